//! The demo Organizations of DESIGN.md §8, written into an empty database.

use super::{Store, StoreResult};
use crate::auth::PasswordHashString;

pub const DEMO_PASSWORD: &str = "demo-password";

pub const DEMO_USERS: [(&str, &str, &str); 4] = [
    ("usr-alice", "alice@example.com", "Alice Martin"),
    ("usr-bob", "bob@example.com", "Bob Keller"),
    ("usr-carol", "carol@example.com", "Carol Dubois"),
    ("usr-dave", "dave@example.com", "Dave Rossi"),
];

const ORGANIZATIONS: [(&str, &str); 3] = [
    ("org-alice-studio", "Alice Studio SA"),
    ("org-alice-holding", "Alice Holding"),
    ("org-bob-consulting", "Bob Consulting Sàrl"),
];

const MEMBERSHIPS: [(&str, &str, &str); 5] = [
    ("org-alice-studio", "usr-alice", "legal_representative"),
    ("org-alice-holding", "usr-alice", "administrator"),
    ("org-bob-consulting", "usr-bob", "administrator"),
    ("org-alice-studio", "usr-carol", "user"),
    ("org-alice-studio", "usr-dave", "user"),
];

const PRODUCTS: [(&str, &str, &str, &str); 13] = [
    (
        "prd-studio-drive",
        "org-alice-studio",
        "kdrive",
        "Studio Drive",
    ),
    (
        "prd-studio-ksuite",
        "org-alice-studio",
        "ksuite",
        "Studio kSuite",
    ),
    (
        "prd-alice-my-ksuite",
        "org-alice-studio",
        "my_ksuite",
        "Alice my kSuite",
    ),
    (
        "prd-studio-hosting",
        "org-alice-studio",
        "web_hosting",
        "studio.example hosting",
    ),
    (
        "prd-studio-domain",
        "org-alice-studio",
        "domain",
        "studio.example",
    ),
    (
        "prd-studio-mail",
        "org-alice-studio",
        "mail_service",
        "studio.example mail",
    ),
    (
        "prd-studio-env",
        "org-alice-studio",
        "jelastic_cloud",
        "studio-env",
    ),
    ("prd-build-vps", "org-alice-studio", "vps", "build-vps"),
    (
        "prd-studio-backup",
        "org-alice-studio",
        "swiss_backup",
        "studio-backup",
    ),
    (
        "prd-holding-domain",
        "org-alice-holding",
        "domain",
        "alice-holding.example",
    ),
    (
        "prd-holding-ssl",
        "org-alice-holding",
        "ssl_certificate",
        "alice-holding.example SSL",
    ),
    ("prd-bob-drive", "org-bob-consulting", "kdrive", "Bob Drive"),
    (
        "prd-bob-domain",
        "org-bob-consulting",
        "domain",
        "bob-consulting.example",
    ),
];

/// (product, user, level, management)
const GRANTS: [(&str, &str, &str, i64); 3] = [
    ("prd-studio-drive", "usr-carol", "write", 1),
    ("prd-studio-hosting", "usr-carol", "write", 0),
    ("prd-studio-mail", "usr-dave", "read", 0),
];

const LINKS: [(&str, &str); 2] = [
    ("prd-studio-domain", "prd-studio-mail"),
    ("prd-studio-domain", "prd-studio-hosting"),
];

/// (id, organization, product, number, amount in cents, issued at)
const INVOICES: [(&str, &str, &str, &str, i64, i64); 6] = [
    (
        "inv-studio-1",
        "org-alice-studio",
        "prd-studio-drive",
        "2026-0001",
        12_000,
        1_767_225_600_000,
    ),
    (
        "inv-studio-2",
        "org-alice-studio",
        "prd-studio-hosting",
        "2026-0002",
        8_900,
        1_769_904_000_000,
    ),
    (
        "inv-studio-3",
        "org-alice-studio",
        "prd-studio-domain",
        "2026-0003",
        1_800,
        1_772_323_200_000,
    ),
    (
        "inv-studio-4",
        "org-alice-studio",
        "prd-studio-ksuite",
        "2026-0004",
        24_000,
        1_775_001_600_000,
    ),
    (
        "inv-holding-1",
        "org-alice-holding",
        "prd-holding-ssl",
        "2026-0005",
        4_900,
        1_775_001_600_000,
    ),
    (
        "inv-bob-1",
        "org-bob-consulting",
        "prd-bob-drive",
        "2026-0006",
        12_000,
        1_772_323_200_000,
    ),
];

impl Store {
    /// Seeds the demo data when the database has no Organization yet. Returns whether it did.
    /// `hash` is called once per demo user, so each gets its own salt. When several server
    /// processes start at once on one empty database, exactly one of them seeds it.
    pub async fn seed_demo(&self, hash: impl Fn(&str) -> PasswordHashString) -> StoreResult<bool> {
        let organizations: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM organizations")
            .fetch_one(&self.pool)
            .await?;
        if organizations > 0 {
            return Ok(false);
        }
        let hashes: Vec<PasswordHashString> =
            DEMO_USERS.iter().map(|_| hash(DEMO_PASSWORD)).collect();
        let mut tx = self.pool.begin().await?;
        let now = 1_767_225_600_000_i64;
        for (id, name) in ORGANIZATIONS {
            let inserted = sqlx::query(
                "INSERT INTO organizations (id, name, created_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (id) DO NOTHING",
            )
            .bind(id)
            .bind(name)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            // Another server process started on the same empty database and seeded it
            // first: the insert waited for its commit. Dropping `tx` rolls this one back.
            if inserted == 0 {
                return Ok(false);
            }
        }
        for ((id, email, name), hash) in DEMO_USERS.iter().zip(hashes) {
            sqlx::query(
                "INSERT INTO users (id, email, name, password_hash, created_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(*id)
            .bind(*email)
            .bind(*name)
            .bind(hash.0)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        for (organization, user, role) in MEMBERSHIPS {
            sqlx::query(
                "INSERT INTO memberships (organization_id, user_id, role) VALUES ($1, $2, $3)",
            )
            .bind(organization)
            .bind(user)
            .bind(role)
            .execute(&mut *tx)
            .await?;
        }
        for (id, organization, kind, name) in PRODUCTS {
            sqlx::query(
                "INSERT INTO products (id, organization_id, kind, name, created_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(id)
            .bind(organization)
            .bind(kind)
            .bind(name)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        for (product, user, level, management) in GRANTS {
            sqlx::query(
                "INSERT INTO access_grants (product_id, user_id, level, management) VALUES ($1, $2, $3, $4)",
            )
            .bind(product)
            .bind(user)
            .bind(level)
            .bind(management)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("INSERT INTO teams (id, organization_id, name) VALUES ('team-designers', 'org-alice-studio', 'Designers')")
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO team_members (team_id, user_id) VALUES ('team-designers', 'usr-dave')",
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query("INSERT INTO team_rights (team_id, product_id) VALUES ('team-designers', 'prd-studio-hosting')")
            .execute(&mut *tx)
            .await?;
        for (product, linked) in LINKS {
            sqlx::query(
                "INSERT INTO product_links (product_id, linked_product_id) VALUES ($1, $2)",
            )
            .bind(product)
            .bind(linked)
            .execute(&mut *tx)
            .await?;
        }
        for (id, organization, product, number, amount, issued_at) in INVOICES {
            sqlx::query(
                "INSERT INTO invoices (id, organization_id, product_id, number, amount_cents, currency, issued_at) \
                 VALUES ($1, $2, $3, $4, $5, 'CHF', $6)",
            )
            .bind(id)
            .bind(organization)
            .bind(product)
            .bind(number)
            .bind(amount)
            .bind(issued_at)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(true)
    }
}
