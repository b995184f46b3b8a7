//! Users, Organizations and who belongs where.

use app::session::Membership;
use transfer_rules::{OrganizationId, Role, UserId};

use super::{decode, Store, StoreError, StoreResult, Turn};

#[derive(sqlx::FromRow)]
pub struct UserRow {
    pub id: String,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    /// The language the user chose, if they did.
    pub language: Option<String>,
}

#[derive(sqlx::FromRow)]
struct MembershipRow {
    organization_id: String,
    organization_name: String,
    role: String,
}

impl Store {
    pub async fn user_by_email(&self, email: &str) -> StoreResult<Option<UserRow>> {
        Ok(sqlx::query_as::<_, UserRow>(
            "SELECT id, email, name, password_hash, language FROM users WHERE email = $1",
        )
        .bind(email.to_lowercase())
        .fetch_optional(&self.pool)
        .await?)
    }

    pub async fn user(&self, user: &UserId) -> StoreResult<UserRow> {
        sqlx::query_as::<_, UserRow>(
            "SELECT id, email, name, password_hash, language FROM users WHERE id = $1",
        )
        .bind(user.as_str())
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)
    }

    pub async fn save_language(&self, user: &UserId, language: &str) -> StoreResult<()> {
        sqlx::query("UPDATE users SET language = $1 WHERE id = $2")
            .bind(language)
            .bind(user.as_str())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The user's Organizations, by name.
    pub async fn memberships(&self, user: &UserId) -> StoreResult<Vec<Membership>> {
        let rows = sqlx::query_as::<_, MembershipRow>(
            "SELECT o.id AS organization_id, o.name AS organization_name, m.role \
             FROM memberships m JOIN organizations o ON o.id = m.organization_id \
             WHERE m.user_id = $1 ORDER BY o.name, o.id",
        )
        .bind(user.as_str())
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|row| {
                Ok(Membership {
                    organization: decode(OrganizationId::parse(&row.organization_id))?,
                    name: row.organization_name,
                    role: decode(Role::parse(&row.role))?,
                })
            })
            .collect()
    }

    /// The user's role in an Organization; `None` when they do not belong to it
    /// (or it does not exist: the caller cannot tell the two apart).
    pub async fn role(
        &self,
        user: &UserId,
        organization: &OrganizationId,
    ) -> StoreResult<Option<Role>> {
        let role: Option<String> = sqlx::query_scalar(
            "SELECT role FROM memberships WHERE user_id = $1 AND organization_id = $2",
        )
        .bind(user.as_str())
        .bind(organization.as_str())
        .fetch_optional(&self.pool)
        .await?;
        role.map(|role| decode(Role::parse(&role))).transpose()
    }
}

impl Store {
    /// How many Organizations created since `since` have `creator` as legal representative,
    /// the role their creator receives.
    /// A new Organization, with its creator as legal representative, unless the creator
    /// already represents `most` Organizations created since `since` (counted on their
    /// turn). Returns whether it was created.
    pub async fn create_organization(
        &self,
        organization: &OrganizationId,
        name: &str,
        creator: &UserId,
        now: i64,
        (most, since): (i64, i64),
    ) -> StoreResult<bool> {
        let mut tx = self.pool.begin().await?;
        Turn::User(creator).take(&mut tx).await?;
        let created: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM organizations o \
             JOIN memberships m ON m.organization_id = o.id \
             WHERE m.user_id = $1 AND m.role = $2 AND o.created_at >= $3",
        )
        .bind(creator.as_str())
        .bind(Role::LegalRepresentative.as_str())
        .bind(since)
        .fetch_one(&mut *tx)
        .await?;
        if created >= most {
            return Ok(false);
        }
        sqlx::query("INSERT INTO organizations (id, name, created_at) VALUES ($1, $2, $3)")
            .bind(organization.as_str())
            .bind(name)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO memberships (organization_id, user_id, role) VALUES ($1, $2, $3)")
            .bind(organization.as_str())
            .bind(creator.as_str())
            .bind(Role::LegalRepresentative.as_str())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }
}
