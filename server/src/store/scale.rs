//! A reseller-sized Organization for trying and measuring the Manager at scale
//! (`MANAGER_DEMO_SCALE=N`): N transferable products of every kind, a few that cannot
//! move, about a thousand users with grants, two hundred teams with rights, linked
//! products and invoices. Written by a handful of set-based statements, so 10,000
//! products take seconds, not minutes.

use super::{Store, StoreResult};

pub const SCALE_ORGANIZATION: &str = "org-scale";
const SCALE_ADMIN: &str = "usr-alice";

/// How many users and teams a scale of `products` gets.
fn people(products: i64) -> (i64, i64) {
    (
        (products / 10).clamp(10, 1_000),
        (products / 50).clamp(2, 200),
    )
}

/// The kind of the n-th product: the ten transferable kinds in turn.
const KIND_OF_N: &str = "CASE n % 10 WHEN 0 THEN 'kdrive' WHEN 1 THEN 'web_hosting' \
     WHEN 2 THEN 'domain' WHEN 3 THEN 'mail_service' WHEN 4 THEN 'vps' WHEN 5 THEN 'ksuite' \
     WHEN 6 THEN 'swiss_backup' WHEN 7 THEN 'public_cloud' WHEN 8 THEN 'ssl_certificate' \
     ELSE 'streaming' END";

/// Its name: a fixed-width number sorts like the number, on both databases.
const NAME_OF_N: &str = "'client' || (100000 + n) || '.example' || CASE n % 10 \
     WHEN 0 THEN ' drive' WHEN 1 THEN ' hosting' WHEN 3 THEN ' mail' WHEN 4 THEN ' vps' \
     WHEN 5 THEN ' kSuite' WHEN 6 THEN ' backup' WHEN 7 THEN ' cloud' WHEN 8 THEN ' SSL' \
     WHEN 9 THEN ' stream' ELSE '' END";

/// `n` from 1 to `$1`.
const SERIES: &str = "WITH RECURSIVE series(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM series \
     WHERE n < CAST($1 AS BIGINT))";

enum Param<'a> {
    Int(i64),
    Text(&'a str),
}

impl Store {
    /// Seeds the scale Organization once; `password_hash` is every scale user's. Returns
    /// whether it did (another process may have done it first).
    pub async fn seed_scale(
        &self,
        products: i64,
        password_hash: &str,
        now: i64,
    ) -> StoreResult<bool> {
        let (users, teams) = people(products);
        let mut tx = self.pool.begin().await?;
        let inserted = sqlx::query(
            "INSERT INTO organizations (id, name, created_at) VALUES ($1, 'Scale Reseller SA', $2) \
             ON CONFLICT (id) DO NOTHING",
        )
        .bind(SCALE_ORGANIZATION)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if inserted == 0 {
            return Ok(false);
        }
        let org = SCALE_ORGANIZATION;
        // Each statement binds only what it names ($1 is always the series' length).
        let statements: [(String, Vec<Param>); 13] = [
            (
                "INSERT INTO memberships (organization_id, user_id, role) \
                 VALUES ($1, $2, 'legal_representative')"
                    .to_string(),
                vec![Param::Text(org), Param::Text(SCALE_ADMIN)],
            ),
            (
                format!(
                    "INSERT INTO users (id, email, name, password_hash, created_at) {SERIES} \
                     SELECT 'usr-scale-' || n, 'user' || n || '@scale.example', \
                     'Scale User ' || n, $2, $3 FROM series"
                ),
                vec![
                    Param::Int(users),
                    Param::Text(password_hash),
                    Param::Int(now),
                ],
            ),
            (
                format!(
                    "INSERT INTO memberships (organization_id, user_id, role) {SERIES} \
                     SELECT $2, 'usr-scale-' || n, CASE WHEN n <= 5 THEN 'administrator' \
                     ELSE 'user' END FROM series"
                ),
                vec![Param::Int(users), Param::Text(org)],
            ),
            (
                format!(
                    "INSERT INTO teams (id, organization_id, name) {SERIES} \
                     SELECT 'team-scale-' || n, $2, 'Team ' || n FROM series"
                ),
                vec![Param::Int(teams), Param::Text(org)],
            ),
            (
                format!(
                    "INSERT INTO team_members (team_id, user_id) {SERIES} \
                     SELECT 'team-scale-' || (n % $2 + 1), 'usr-scale-' || n FROM series"
                ),
                vec![Param::Int(users), Param::Int(teams)],
            ),
            (
                format!(
                    "INSERT INTO products (id, organization_id, kind, name, created_at) {SERIES} \
                     SELECT 'prd-scale-' || n, $2, {KIND_OF_N}, {NAME_OF_N}, $3 FROM series"
                ),
                vec![Param::Int(products), Param::Text(org), Param::Int(now)],
            ),
            // Not transferable: a my kSuite and a Jelastic Cloud per hundred products.
            (
                format!(
                    "INSERT INTO products (id, organization_id, kind, name, created_at) {SERIES} \
                     SELECT 'prd-scale-x' || n, $2, CASE n % 2 WHEN 0 THEN 'my_ksuite' \
                     ELSE 'jelastic_cloud' END, 'reserved' || (100000 + n) || '.example', $3 \
                     FROM series"
                ),
                vec![
                    Param::Int((products / 50).max(2)),
                    Param::Text(org),
                    Param::Int(now),
                ],
            ),
            // Every product has a user; a third of them manage it; every fourth has a second.
            (
                format!(
                    "INSERT INTO access_grants (product_id, user_id, level, management) {SERIES} \
                     SELECT 'prd-scale-' || n, 'usr-scale-' || ((n * 7) % $2 + 1), 'write', \
                     CASE WHEN n % 3 = 0 THEN 1 ELSE 0 END FROM series"
                ),
                vec![Param::Int(products), Param::Int(users)],
            ),
            (
                format!(
                    "INSERT INTO access_grants (product_id, user_id, level, management) {SERIES} \
                     SELECT 'prd-scale-' || n, 'usr-scale-' || (((n * 7) % $2 + 1) % $2 + 1), \
                     'read', 0 FROM series WHERE n % 4 = 0"
                ),
                vec![Param::Int(products), Param::Int(users)],
            ),
            (
                format!(
                    "INSERT INTO team_rights (team_id, product_id) {SERIES} \
                     SELECT 'team-scale-' || ((n / 5) % $2 + 1), 'prd-scale-' || n FROM series \
                     WHERE n % 5 = 0"
                ),
                vec![Param::Int(products), Param::Int(teams)],
            ),
            // Each domain serves the hosting before it and the mail after it.
            (
                format!(
                    "INSERT INTO product_links (product_id, linked_product_id) {SERIES} \
                     SELECT 'prd-scale-' || n, 'prd-scale-' || (n - 1) FROM series \
                     WHERE n % 10 = 2"
                ),
                vec![Param::Int(products)],
            ),
            (
                format!(
                    "INSERT INTO product_links (product_id, linked_product_id) {SERIES} \
                     SELECT 'prd-scale-' || n, 'prd-scale-' || (n + 1) FROM series \
                     WHERE n % 10 = 2 AND n < CAST($1 AS BIGINT)"
                ),
                vec![Param::Int(products)],
            ),
            (
                format!(
                    "INSERT INTO invoices (id, organization_id, product_id, number, amount_cents, \
                     currency, issued_at) {SERIES} \
                     SELECT 'inv-scale-' || n, $2, 'prd-scale-' || n, 'S-' || (100000 + n), \
                     1000 + (n % 50) * 100, 'CHF', $3 FROM series WHERE n % 2 = 0"
                ),
                vec![Param::Int(products), Param::Text(org), Param::Int(now)],
            ),
        ];
        for (statement, params) in &statements {
            let mut query = sqlx::query(statement);
            for param in params {
                query = match *param {
                    Param::Int(value) => query.bind(value),
                    Param::Text(value) => query.bind(value),
                };
            }
            query.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(true)
    }
}
