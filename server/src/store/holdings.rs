//! Loading what the rules need to decide on a set of products: the products, their
//! grants, team rights, invoices, links and locks. A constant number of queries, however
//! many products.

use std::collections::BTreeMap;

use sqlx::AnyConnection;
use transfer_rules::{
    AccessGrant, AccessLevel, Holdings, InvoiceId, InvoiceRef, ProductId, ProductLink, TeamId,
    TeamRef, TeamRight, TransferId, UserId, UserRef,
};

use super::{decode, StoreResult};

/// Which products: an Organization's, or a transfer's frozen list.
pub enum Scope<'a> {
    Organization(&'a transfer_rules::OrganizationId),
    Transfer(&'a TransferId),
}

impl Scope<'_> {
    /// A subquery of product ids, reading its key from `$1`.
    fn products(&self) -> &'static str {
        match self {
            Scope::Organization(_) => "SELECT id FROM products WHERE organization_id = $1",
            Scope::Transfer(_) => "SELECT product_id FROM transfer_products WHERE transfer_id = $1",
        }
    }

    fn key(&self) -> &str {
        match self {
            Scope::Organization(organization) => organization.as_str(),
            Scope::Transfer(transfer) => transfer.as_str(),
        }
    }
}

#[derive(sqlx::FromRow)]
struct GrantRow {
    user_id: String,
    user_name: String,
    product_id: String,
    level: String,
    management: i64,
}

#[derive(sqlx::FromRow)]
struct TeamRightRow {
    team_id: String,
    team_name: String,
    product_id: String,
}

#[derive(sqlx::FromRow)]
struct InvoiceRow {
    id: String,
    number: String,
    product_id: String,
}

#[derive(sqlx::FromRow)]
struct LinkRow {
    product_id: String,
    linked_product_id: String,
}

#[derive(sqlx::FromRow)]
pub(super) struct ProductRow {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub organization_id: String,
}

impl ProductRow {
    pub fn into_product(self) -> StoreResult<transfer_rules::Product> {
        Ok(transfer_rules::Product {
            id: decode(ProductId::parse(&self.id))?,
            name: self.name.into(),
            kind: decode(transfer_rules::ProductKind::parse(&self.kind))?,
            owner: decode(transfer_rules::OrganizationId::parse(&self.organization_id))?,
        })
    }
}

/// Loads the holdings of a scope. `now` decides which locks still hold; `except` is a
/// transfer whose own locks do not count (the one being received).
pub async fn load(
    connection: &mut AnyConnection,
    scope: &Scope<'_>,
    now: i64,
    except: Option<&TransferId>,
) -> StoreResult<Holdings> {
    let within = scope.products();
    let key = scope.key();
    let products = products(connection, scope).await?;

    let grant_rows = sqlx::query_as::<_, GrantRow>(&format!(
        "SELECT g.user_id, u.name AS user_name, g.product_id, g.level, g.management \
         FROM access_grants g JOIN users u ON u.id = g.user_id WHERE g.product_id IN ({within})"
    ))
    .bind(key)
    .fetch_all(&mut *connection)
    .await?;
    // Each user named once, in id order: a name per grant would repeat it thousands of times.
    let mut users = BTreeMap::new();
    let mut grants = Vec::with_capacity(grant_rows.len());
    for row in grant_rows {
        let user = decode(UserId::parse(&row.user_id))?;
        (users.entry(user.clone())).or_insert_with(|| row.user_name.into());
        grants.push(AccessGrant {
            user,
            product: decode(ProductId::parse(&row.product_id))?,
            level: decode(AccessLevel::parse(&row.level))?,
            management: row.management != 0,
        });
    }

    let right_rows = sqlx::query_as::<_, TeamRightRow>(&format!(
        "SELECT r.team_id, t.name AS team_name, r.product_id FROM team_rights r \
         JOIN teams t ON t.id = r.team_id WHERE r.product_id IN ({within})"
    ))
    .bind(key)
    .fetch_all(&mut *connection)
    .await?;
    let mut teams = BTreeMap::new();
    let mut team_rights = Vec::with_capacity(right_rows.len());
    for row in right_rows {
        let team = decode(TeamId::parse(&row.team_id))?;
        (teams.entry(team.clone())).or_insert_with(|| row.team_name.into());
        team_rights.push(TeamRight {
            team,
            product: decode(ProductId::parse(&row.product_id))?,
        });
    }

    let invoices = sqlx::query_as::<_, InvoiceRow>(&format!(
        "SELECT id, number, product_id FROM invoices WHERE product_id IN ({within})"
    ))
    .bind(key)
    .fetch_all(&mut *connection)
    .await?
    .into_iter()
    .map(|row| {
        Ok(InvoiceRef {
            id: decode(InvoiceId::parse(&row.id))?,
            number: row.number.into(),
            product: decode(ProductId::parse(&row.product_id))?,
        })
    })
    .collect::<StoreResult<Vec<_>>>()?;

    // Links leaving the scope matter too: a linked product left behind is a warning.
    let links = sqlx::query_as::<_, LinkRow>(&format!(
        "SELECT product_id, linked_product_id FROM product_links \
         WHERE product_id IN ({within}) OR linked_product_id IN ({within})"
    ))
    .bind(key)
    .fetch_all(&mut *connection)
    .await?
    .into_iter()
    .map(|row| {
        Ok(ProductLink {
            from: decode(ProductId::parse(&row.product_id))?,
            to: decode(ProductId::parse(&row.linked_product_id))?,
        })
    })
    .collect::<StoreResult<Vec<_>>>()?;

    let locked = locked(connection, scope, now, except).await?;

    Ok(Holdings {
        products,
        users: (users.into_iter())
            .map(|(id, name)| UserRef { id, name })
            .collect(),
        teams: (teams.into_iter())
            .map(|(id, name)| TeamRef { id, name })
            .collect(),
        grants,
        team_rights,
        invoices,
        links,
        locked,
    })
}

/// The products of a scope, without what is attached to them: what a list of choices needs.
pub async fn products_and_locks(
    connection: &mut AnyConnection,
    scope: &Scope<'_>,
    now: i64,
) -> StoreResult<(Vec<transfer_rules::Product>, Vec<ProductId>)> {
    Ok((
        products(connection, scope).await?,
        locked(connection, scope, now, None).await?,
    ))
}

async fn products(
    connection: &mut AnyConnection,
    scope: &Scope<'_>,
) -> StoreResult<Vec<transfer_rules::Product>> {
    let sql = format!(
        "SELECT id, name, kind, organization_id FROM products WHERE id IN ({}) ORDER BY name, id",
        scope.products()
    );
    product_rows(connection, &sql, scope).await
}

/// The products `sql` selects, reading the scope's key from `$1`.
async fn product_rows(
    connection: &mut AnyConnection,
    sql: &str,
    scope: &Scope<'_>,
) -> StoreResult<Vec<transfer_rules::Product>> {
    sqlx::query_as::<_, ProductRow>(sql)
        .bind(scope.key())
        .fetch_all(&mut *connection)
        .await?
        .into_iter()
        .map(ProductRow::into_product)
        .collect()
}

/// Products outside the scope linked to one inside it. A transfer's scope holds only its
/// products: without these, its receiver could not be told which linked ones stay behind.
pub async fn linked_outside(
    connection: &mut AnyConnection,
    scope: &Scope<'_>,
) -> StoreResult<Vec<transfer_rules::Product>> {
    let within = scope.products();
    let sql = format!(
        "SELECT id, name, kind, organization_id FROM products WHERE id NOT IN ({within}) AND id IN ( \
           SELECT linked_product_id FROM product_links WHERE product_id IN ({within}) \
           UNION SELECT product_id FROM product_links WHERE linked_product_id IN ({within})) \
         ORDER BY name, id"
    );
    product_rows(connection, &sql, scope).await
}

/// Products of the scope in a transfer still in progress at `now`, other than `except`.
async fn locked(
    connection: &mut AnyConnection,
    scope: &Scope<'_>,
    now: i64,
    except: Option<&TransferId>,
) -> StoreResult<Vec<ProductId>> {
    let locked: Vec<String> = sqlx::query_scalar(&format!(
        "SELECT l.product_id FROM product_locks l JOIN transfers t ON t.id = l.transfer_id \
         WHERE l.product_id IN ({}) AND t.status = 'in_progress' AND t.expires_at > $2 \
         AND t.id <> $3",
        scope.products()
    ))
    .bind(scope.key())
    .bind(now)
    .bind(except.map_or("", TransferId::as_str))
    .fetch_all(&mut *connection)
    .await?;
    locked
        .iter()
        .map(|id| decode(ProductId::parse(id)))
        .collect()
}
