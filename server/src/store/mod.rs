//! Persistence: one pool over SQLite (embedded default) or PostgreSQL (shared by several
//! server processes). Every query is written once, in the SQL both dialects accept.

mod accounts;
pub mod api_tokens;
mod catalogue;
mod changes;
pub mod demo;
pub mod holdings;
pub mod outbox;
mod scale;
mod sessions;
pub mod transfers;
pub mod webhooks;

pub use catalogue::ProductSearch;
pub use changes::Change;
pub use scale::SCALE_ORGANIZATION;

use std::fs::File;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::postgres::PgConnectOptions;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{AnyConnection, AnyPool, Executor};
use transfer_rules::{OrganizationId, UserId};

/// One set for both databases: the schema sticks to what SQLite and PostgreSQL share.
static MIGRATIONS: Migrator = sqlx::migrate!("./migrations");

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    #[error("conflicting change")]
    Conflict,
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("migration lock: {0}")]
    MigrationLock(std::io::Error),
    #[error("stored value is invalid: {0}")]
    Corrupt(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    dialect: Dialect,
    /// The SQLite database file, when there is one on disk.
    sqlite_file: Option<PathBuf>,
    changes: Arc<changes::Changes>,
}

impl Store {
    pub async fn connect(url: &str) -> StoreResult<Self> {
        sqlx::any::install_default_drivers();
        let dialect = if url.starts_with("sqlite:") {
            Dialect::Sqlite
        } else {
            Dialect::Postgres
        };
        let options = AnyConnectOptions::from_str(url)?;
        let pool = match dialect {
            Dialect::Sqlite => {
                AnyPoolOptions::new()
                    .max_connections(8)
                    .after_connect(|connection, _| {
                        Box::pin(async move {
                            connection
                                .execute(
                                    // FULL: a receipt confirmed to the user survives a
                                    // power loss (NORMAL could undo the last commits).
                                    "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                                     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;",
                                )
                                .await?;
                            Ok(())
                        })
                    })
                    .connect_with(options)
                    .await?
            }
            Dialect::Postgres => {
                AnyPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect_with(options)
                    .await?
            }
        };
        let sqlite_file = match dialect {
            Dialect::Sqlite => Some(SqliteConnectOptions::from_str(url)?.get_filename())
                .filter(|file| file.is_file())
                .map(Path::to_path_buf),
            Dialect::Postgres => None,
        };
        let listen_on = match dialect {
            Dialect::Sqlite => None,
            Dialect::Postgres => Some(PgConnectOptions::from_str(url)?),
        };
        Ok(Store {
            pool,
            dialect,
            sqlite_file,
            changes: Arc::new(changes::Changes::new(listen_on)),
        })
    }

    pub async fn migrate(&self) -> StoreResult<()> {
        let _turn = match &self.sqlite_file {
            Some(file) => Some(migration_turn(file).await?),
            None => None,
        };
        MIGRATIONS.run(&self.pool).await?;
        Ok(())
    }

    pub async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// sqlx locks PostgreSQL while migrating but not SQLite: servers starting together on one
/// SQLite file would both create the same tables. They take turns through a lock file beside
/// the database (not the database file itself, whose SQLite locks closing another handle
/// would release). The turn ends when the returned file is dropped.
async fn migration_turn(database: &Path) -> StoreResult<File> {
    let mut name = database.as_os_str().to_owned();
    name.push(".migrating");
    let path = PathBuf::from(name);
    tokio::task::spawn_blocking(move || {
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)?;
        file.lock()?;
        Ok(file)
    })
    .await
    .unwrap_or_else(|join| Err(std::io::Error::other(join)))
    .map_err(StoreError::MigrationLock)
}

/// The row a transaction adding a bounded kind of row writes first, without changing it:
/// concurrent transactions bounded by the same row take turns, so each one's count holds
/// the rows added by those before it.
pub(crate) enum Turn<'a> {
    User(&'a UserId),
    Organization(&'a OrganizationId),
}

impl Turn<'_> {
    pub(crate) async fn take(&self, connection: &mut AnyConnection) -> StoreResult<()> {
        let (statement, id) = match self {
            Turn::User(user) => (
                "UPDATE users SET language = language WHERE id = $1",
                user.as_str(),
            ),
            Turn::Organization(organization) => (
                "UPDATE organizations SET name = name WHERE id = $1",
                organization.as_str(),
            ),
        };
        sqlx::query(statement).bind(id).execute(connection).await?;
        Ok(())
    }
}

/// Parses a stored code (role, kind…) back into its rules-crate type.
pub(crate) fn decode<T, E: std::fmt::Display>(parsed: Result<T, E>) -> StoreResult<T> {
    parsed.map_err(|error| StoreError::Corrupt(error.to_string()))
}

/// How much the database holds, logged at start so an operator sees what they serve.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableCounts {
    pub organizations: i64,
    pub users: i64,
    pub products: i64,
    pub invoices: i64,
}

impl Store {
    pub async fn table_counts(&self) -> StoreResult<TableCounts> {
        let count = |table: &'static str| {
            let pool = self.pool.clone();
            async move {
                sqlx::query_scalar::<_, i64>(&format!("SELECT COUNT(*) FROM {table}"))
                    .fetch_one(&pool)
                    .await
            }
        };
        Ok(TableCounts {
            organizations: count("organizations").await?,
            users: count("users").await?,
            products: count("products").await?,
            invoices: count("invoices").await?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_embedded_database_syncs_every_commit() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("t.db").display());
        let store = Store::connect(&url).await.unwrap();
        let synchronous: i64 = sqlx::query_scalar("PRAGMA synchronous")
            .fetch_one(&store.pool)
            .await
            .unwrap();
        assert_eq!(
            synchronous, 2,
            "FULL: a confirmed receipt survives a power loss"
        );
        store.close().await;
    }
}
