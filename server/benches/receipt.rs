//! Receiving one transfer of 10, 1,000 and 10,000 products, each with 50 users and 10 teams
//! around it, on SQLite and (when `MANAGER_BENCH_POSTGRES` names a server) on PostgreSQL.
//! Reports the median of several receipts and how many SQL statements one receipt ran.
//!
//!     cargo bench -p server --bench receipt

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use app::backend::{AccountBackend, TransferBackend};
use manager_server::config::Config;
use sqlx::any::AnyPoolOptions;
use tracing_subscriber::layer::SubscriberExt;
use transfer_rules::{OrganizationId, ProductId, UserId};

const SIZES: [usize; 3] = [10, 1_000, 10_000];
const RUNS: usize = 5;

/// Counts the statements sqlx runs, from its own query log.
struct StatementCounter(Arc<AtomicUsize>);

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for StatementCounter {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        if event.metadata().target() == "sqlx::query" {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
    }
}

async fn database_url(dir: &std::path::Path, run: usize) -> String {
    match std::env::var("MANAGER_BENCH_POSTGRES") {
        Ok(admin) => {
            sqlx::any::install_default_drivers();
            let pool = AnyPoolOptions::new()
                .max_connections(1)
                .connect(&admin)
                .await
                .unwrap();
            let name = format!("bench_{}_{run}", std::process::id());
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&pool)
                .await
                .unwrap();
            pool.close().await;
            format!("{}/{name}", admin.rsplit_once('/').unwrap().0)
        }
        Err(_) => format!(
            "sqlite://{}?mode=rwc",
            dir.join(format!("bench-{run}.db")).display()
        ),
    }
}

/// An Organization with `products` products, 50 users holding 3 grants per product between
/// them (kDrives among the products), 10 teams with rights, one invoice per product.
async fn seed(url: &str, products: usize) {
    let pool = AnyPoolOptions::new()
        .max_connections(1)
        .connect(url)
        .await
        .unwrap();
    let statements = [
        "INSERT INTO organizations (id, name, created_at) VALUES ('org-src', 'Source', 0), ('org-dst', 'Destination', 0)",
        "INSERT INTO users (id, email, name, password_hash, created_at) \
         WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n < 50) \
         SELECT 'usr-' || n, 'user' || n || '@example.com', 'User ' || n, 'x', 0 FROM seq",
        "INSERT INTO memberships (organization_id, user_id, role) VALUES ('org-src', 'usr-0', 'legal_representative'), ('org-dst', 'usr-0', 'administrator')",
        "INSERT INTO products (id, organization_id, kind, name, created_at) \
         WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < $1) \
         SELECT 'prd-' || n, 'org-src', CASE WHEN n % 4 = 0 THEN 'kdrive' ELSE 'web_hosting' END, 'Product ' || n, 0 FROM seq",
        "INSERT INTO access_grants (product_id, user_id, level, management) \
         SELECT p.id, 'usr-' || (1 + (CAST(SUBSTR(p.id, 5) AS INTEGER) + k.k * 17) % 50), 'write', k.k % 2 \
         FROM products p CROSS JOIN (SELECT 0 AS k UNION ALL SELECT 1 UNION ALL SELECT 2) k",
        "INSERT INTO teams (id, organization_id, name) \
         WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 10) \
         SELECT 'team-' || n, 'org-src', 'Team ' || n FROM seq",
        "INSERT INTO team_rights (team_id, product_id) \
         SELECT 'team-' || (1 + CAST(SUBSTR(id, 5) AS INTEGER) % 10), id FROM products WHERE CAST(SUBSTR(id, 5) AS INTEGER) % 3 = 0",
        "INSERT INTO invoices (id, organization_id, product_id, number, amount_cents, currency, issued_at) \
         SELECT 'inv-' || SUBSTR(id, 5), 'org-src', id, 'N-' || SUBSTR(id, 5), 1000, 'CHF', 0 FROM products",
    ];
    for statement in statements {
        sqlx::query(statement)
            .bind(products as i64)
            .execute(&pool)
            .await
            .unwrap();
    }
    pool.close().await;
}

async fn one_receipt(products: usize, run: usize, counter: &AtomicUsize) -> (Duration, usize) {
    let dir = tempfile::tempdir().unwrap();
    let url = database_url(dir.path(), run).await;
    let pairs = [
        ("DATABASE_URL", url.clone()),
        ("MANAGER_DATA_DIR", dir.path().display().to_string()),
    ];
    let config = Config::from_lookup(|name| {
        pairs
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.clone())
    })
    .unwrap();
    let state = manager_server::prepare(&config).await.unwrap();
    seed(&url, products).await;
    let services = state.services.clone();
    let admin = UserId::parse("usr-0").unwrap();
    let source = OrganizationId::parse("org-src").unwrap();
    let selection: Vec<ProductId> = (1..=products)
        .map(|n| ProductId::parse(&format!("prd-{n}")).unwrap())
        .collect();
    let transfer = services
        .start_transfer(&admin, &source, &selection)
        .await
        .unwrap();
    let link = services
        .transfer(&admin, &transfer)
        .await
        .unwrap()
        .link
        .unwrap();
    let token = link.rsplit('/').next().unwrap().to_string();
    let destination = OrganizationId::parse("org-dst").unwrap();

    counter.store(0, Ordering::Relaxed);
    let started = Instant::now();
    services
        .receive(&admin, &token, &destination, "bench")
        .await
        .unwrap();
    let elapsed = started.elapsed();
    let statements = counter.load(Ordering::Relaxed);
    assert!(services.me(&admin, None).await.is_ok());
    state.store.close().await;
    (elapsed, statements)
}

fn main() {
    let counter = Arc::new(AtomicUsize::new(0));
    let subscriber = tracing_subscriber::registry().with(StatementCounter(counter.clone()));
    tracing::subscriber::set_global_default(subscriber).unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let backend = if std::env::var("MANAGER_BENCH_POSTGRES").is_ok() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    println!("receiving one transfer on {backend} (median of {RUNS} runs)");
    println!("{:>9}  {:>12}  {:>10}", "products", "receipt", "statements");
    for (size_index, products) in SIZES.into_iter().enumerate() {
        let mut times = Vec::new();
        let mut statements = 0;
        for run in 0..RUNS {
            let (elapsed, count) =
                runtime.block_on(one_receipt(products, size_index * RUNS + run, &counter));
            times.push(elapsed);
            statements = count;
        }
        times.sort();
        println!(
            "{products:>9}  {:>10.1}ms  {statements:>10}",
            times[RUNS / 2].as_secs_f64() * 1000.0
        );
    }
}
