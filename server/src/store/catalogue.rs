//! What an Organization owns: products, their access, teams, links and invoices.

use app::billing::InvoiceSummary;
use app::members::MemberSummary;
use app::products::ProductAccess;
use transfer_rules::{AccessLevel, InvoiceId, OrganizationId, Product, ProductId, Role, UserId};

use super::holdings::ProductRow;
use super::{decode, Store, StoreError, StoreResult};

#[derive(sqlx::FromRow)]
struct AccessRow {
    user_name: String,
    level: String,
    management: i64,
}

#[derive(sqlx::FromRow)]
struct MemberRow {
    id: String,
    name: String,
    email: String,
    role: String,
}

#[derive(sqlx::FromRow)]
struct InvoiceRow {
    id: String,
    number: String,
    product_name: Option<String>,
    amount_cents: i64,
    currency: String,
    issued_at: i64,
}

const PRODUCT_COLUMNS: &str = "p.id, p.name, p.kind, p.organization_id";

impl Store {
    /// An Organization's products; `only_for` limits them to those a user has access to.
    pub async fn products(
        &self,
        organization: &OrganizationId,
        only_for: Option<&UserId>,
    ) -> StoreResult<Vec<Product>> {
        let rows = match only_for {
            None => {
                sqlx::query_as::<_, ProductRow>(&format!(
                    "SELECT {PRODUCT_COLUMNS} FROM products p \
                     WHERE p.organization_id = $1 ORDER BY p.name, p.id"
                ))
                .bind(organization.as_str())
                .fetch_all(&self.pool)
                .await?
            }
            Some(user) => {
                sqlx::query_as::<_, ProductRow>(&format!(
                    "SELECT {PRODUCT_COLUMNS} FROM products p \
                     JOIN access_grants g ON g.product_id = p.id AND g.user_id = $2 \
                     WHERE p.organization_id = $1 ORDER BY p.name, p.id"
                ))
                .bind(organization.as_str())
                .bind(user.as_str())
                .fetch_all(&self.pool)
                .await?
            }
        };
        rows.into_iter().map(ProductRow::into_product).collect()
    }

    pub async fn product(&self, product: &ProductId) -> StoreResult<Product> {
        sqlx::query_as::<_, ProductRow>(&format!(
            "SELECT {PRODUCT_COLUMNS} FROM products p WHERE p.id = $1"
        ))
        .bind(product.as_str())
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?
        .into_product()
    }

    pub async fn organization_name(&self, organization: &OrganizationId) -> StoreResult<String> {
        sqlx::query_scalar("SELECT name FROM organizations WHERE id = $1")
            .bind(organization.as_str())
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)
    }

    pub async fn has_access(&self, user: &UserId, product: &ProductId) -> StoreResult<bool> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT 1 FROM access_grants WHERE user_id = $1 AND product_id = $2",
        )
        .bind(user.as_str())
        .bind(product.as_str())
        .fetch_optional(&self.pool)
        .await?;
        Ok(found.is_some())
    }

    pub async fn product_access(&self, product: &ProductId) -> StoreResult<Vec<ProductAccess>> {
        let rows = sqlx::query_as::<_, AccessRow>(
            "SELECT u.name AS user_name, g.level, g.management FROM access_grants g \
             JOIN users u ON u.id = g.user_id WHERE g.product_id = $1 ORDER BY u.name",
        )
        .bind(product.as_str())
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|row| {
                Ok(ProductAccess {
                    user_name: row.user_name,
                    level: decode(AccessLevel::parse(&row.level))?,
                    management: row.management != 0,
                })
            })
            .collect()
    }

    pub async fn product_teams(&self, product: &ProductId) -> StoreResult<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT t.name FROM team_rights r JOIN teams t ON t.id = r.team_id \
             WHERE r.product_id = $1 ORDER BY t.name",
        )
        .bind(product.as_str())
        .fetch_all(&self.pool)
        .await?)
    }

    /// Products linked to this one, in either direction.
    pub async fn linked_products(&self, product: &ProductId) -> StoreResult<Vec<Product>> {
        let rows = sqlx::query_as::<_, ProductRow>(&format!(
            "SELECT {PRODUCT_COLUMNS} FROM products p WHERE p.id IN ( \
               SELECT linked_product_id FROM product_links WHERE product_id = $1 \
               UNION SELECT product_id FROM product_links WHERE linked_product_id = $1) \
             ORDER BY p.name"
        ))
        .bind(product.as_str())
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(ProductRow::into_product).collect()
    }

    pub async fn members(&self, organization: &OrganizationId) -> StoreResult<Vec<MemberSummary>> {
        let rows = sqlx::query_as::<_, MemberRow>(
            "SELECT u.id, u.name, u.email, m.role FROM memberships m \
             JOIN users u ON u.id = m.user_id WHERE m.organization_id = $1 ORDER BY u.name",
        )
        .bind(organization.as_str())
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|row| {
                Ok(MemberSummary {
                    user: decode(UserId::parse(&row.id))?,
                    name: row.name,
                    email: row.email,
                    role: decode(Role::parse(&row.role))?,
                })
            })
            .collect()
    }

    pub async fn invoices(
        &self,
        organization: &OrganizationId,
    ) -> StoreResult<Vec<InvoiceSummary>> {
        let rows = sqlx::query_as::<_, InvoiceRow>(
            "SELECT i.id, i.number, p.name AS product_name, i.amount_cents, i.currency, i.issued_at \
             FROM invoices i LEFT JOIN products p ON p.id = i.product_id \
             WHERE i.organization_id = $1 ORDER BY i.issued_at DESC, i.number",
        )
        .bind(organization.as_str())
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|row| {
                Ok(InvoiceSummary {
                    id: decode(InvoiceId::parse(&row.id))?,
                    number: row.number,
                    product_name: row.product_name.unwrap_or_default(),
                    amount_cents: row.amount_cents,
                    currency: row.currency,
                    issued_at: row.issued_at,
                })
            })
            .collect()
    }
}
