//! What an Organization owns: products, their access, teams, links and invoices.

use app::billing::InvoiceSummary;
use app::members::MemberSummary;
use app::paging::PageRequest;
use app::products::ProductAccess;
use transfer_rules::{
    AccessLevel, InvoiceId, OrganizationId, Product, ProductId, ProductKind, Role, UserId,
};

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

/// Which of an Organization's products a list shows.
pub struct ProductSearch<'a> {
    pub organization: &'a OrganizationId,
    /// Plain users see only the products they were given access to.
    pub only_for: Option<&'a UserId>,
    /// Matched anywhere in the name, whatever the case.
    pub name_contains: &'a str,
    pub kind: Option<ProductKind>,
}

/// A `LIKE` pattern matching `text` anywhere, its own wildcards taken literally.
pub(super) fn like_pattern(text: &str) -> String {
    let mut pattern = String::from("%");
    for c in text.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

impl Store {
    /// A page of an Organization's products, sorted by name, and how many match in all.
    pub async fn product_page(
        &self,
        search: &ProductSearch<'_>,
        page: PageRequest,
    ) -> StoreResult<(Vec<Product>, u64)> {
        let filter = "p.organization_id = $1 AND LOWER(p.name) LIKE $2 ESCAPE '\\' \
             AND ($3 = '' OR p.kind = $3) AND ($4 = '' OR EXISTS (SELECT 1 FROM access_grants g \
             WHERE g.product_id = p.id AND g.user_id = $4))";
        let pattern = like_pattern(search.name_contains);
        let kind = search.kind.map_or("", ProductKind::as_str);
        let only_for = search.only_for.map_or("", UserId::as_str);
        let total: i64 =
            sqlx::query_scalar(&format!("SELECT COUNT(*) FROM products p WHERE {filter}"))
                .bind(search.organization.as_str())
                .bind(&pattern)
                .bind(kind)
                .bind(only_for)
                .fetch_one(&self.pool)
                .await?;
        let rows = sqlx::query_as::<_, ProductRow>(&format!(
            "SELECT {PRODUCT_COLUMNS} FROM products p WHERE {filter} \
             ORDER BY p.name, p.id LIMIT $5 OFFSET $6"
        ))
        .bind(search.organization.as_str())
        .bind(&pattern)
        .bind(kind)
        .bind(only_for)
        .bind(page.limit())
        .bind(page.offset())
        .fetch_all(&self.pool)
        .await?;
        let products = rows
            .into_iter()
            .map(ProductRow::into_product)
            .collect::<StoreResult<_>>()?;
        Ok((products, u64::try_from(total).unwrap_or_default()))
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

    pub async fn members(
        &self,
        organization: &OrganizationId,
        page: PageRequest,
    ) -> StoreResult<(Vec<MemberSummary>, u64)> {
        let total = self
            .count("memberships WHERE organization_id = $1", organization)
            .await?;
        let rows = sqlx::query_as::<_, MemberRow>(
            "SELECT u.id, u.name, u.email, m.role FROM memberships m \
             JOIN users u ON u.id = m.user_id WHERE m.organization_id = $1 \
             ORDER BY u.name, u.id LIMIT $2 OFFSET $3",
        )
        .bind(organization.as_str())
        .bind(page.limit())
        .bind(page.offset())
        .fetch_all(&self.pool)
        .await?;
        let members = rows
            .into_iter()
            .map(|row| {
                Ok(MemberSummary {
                    user: decode(UserId::parse(&row.id))?,
                    name: row.name,
                    email: row.email,
                    role: decode(Role::parse(&row.role))?,
                })
            })
            .collect::<StoreResult<_>>()?;
        Ok((members, total))
    }

    /// How many rows `from_where` (a table and its condition on `$1`) holds.
    async fn count(&self, from_where: &str, organization: &OrganizationId) -> StoreResult<u64> {
        let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {from_where}"))
            .bind(organization.as_str())
            .fetch_one(&self.pool)
            .await?;
        Ok(u64::try_from(total).unwrap_or_default())
    }

    pub async fn invoices(
        &self,
        organization: &OrganizationId,
        page: PageRequest,
    ) -> StoreResult<(Vec<InvoiceSummary>, u64)> {
        let total = self
            .count("invoices WHERE organization_id = $1", organization)
            .await?;
        let rows = sqlx::query_as::<_, InvoiceRow>(
            "SELECT i.id, i.number, p.name AS product_name, i.amount_cents, i.currency, i.issued_at \
             FROM invoices i LEFT JOIN products p ON p.id = i.product_id \
             WHERE i.organization_id = $1 ORDER BY i.issued_at DESC, i.number LIMIT $2 OFFSET $3",
        )
        .bind(organization.as_str())
        .bind(page.limit())
        .bind(page.offset())
        .fetch_all(&self.pool)
        .await?;
        let invoices = rows
            .into_iter()
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
            .collect::<StoreResult<_>>()?;
        Ok((invoices, total))
    }
}

#[cfg(test)]
mod tests {
    use super::like_pattern;

    #[test]
    fn searches_take_wildcards_literally() {
        assert_eq!(like_pattern("Studio"), "%studio%");
        assert_eq!(like_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
    }
}
