//! Tells whoever watches an Organization's transfers that one of them changed. Within one
//! process a broadcast channel carries the news; on PostgreSQL it goes through
//! `NOTIFY`, sent inside the changing transaction, so that every server process sharing
//! the database hears of committed changes, and of nothing rolled back.

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use sqlx::postgres::{PgConnectOptions, PgListener, PgPoolOptions};
use sqlx::{Any, Transaction};
use tokio::sync::{broadcast, OnceCell};
use transfer_rules::{OrganizationId, TransferId};

use super::{Dialect, Store, StoreResult};

/// The PostgreSQL channel every server process listens on.
const CHANNEL: &str = "manager_transfer_changes";

/// Changes kept for a watcher slower than the others before it is told it missed some.
const BACKLOG: usize = 1024;

/// What a watcher hears.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Change {
    /// A transfer changed: its Organizations (source, and destination once received) care.
    Transfer {
        transfer: String,
        organizations: Vec<String>,
    },
    /// Some changes may have gone unheard (the database connection dropped, or the watcher
    /// fell behind): everything should be read again.
    Missed,
}

impl Change {
    /// Whether a watcher of `organization` should hear of it.
    pub fn concerns(&self, organization: &OrganizationId) -> bool {
        match self {
            Change::Transfer { organizations, .. } => {
                organizations.iter().any(|id| id == organization.as_str())
            }
            Change::Missed => true,
        }
    }
}

pub(super) struct Changes {
    local: broadcast::Sender<Change>,
    /// On PostgreSQL, where the listener connects; it is started by the first watcher.
    postgres: Option<PgConnectOptions>,
    listening: OnceCell<()>,
}

impl Changes {
    pub(super) fn new(postgres: Option<PgConnectOptions>) -> Self {
        Changes {
            local: broadcast::channel(BACKLOG).0,
            postgres,
            listening: OnceCell::new(),
        }
    }

    /// Hears `NOTIFY`s from every process (this one's included) and passes them on here.
    async fn listen(&self, options: &PgConnectOptions) -> StoreResult<()> {
        let pool = PgPoolOptions::new()
            .max_connections(1)
            .connect_lazy_with(options.clone());
        let mut listener = PgListener::connect_with(&pool).await?;
        listener.listen(CHANNEL).await?;
        let local = self.local.clone();
        tokio::spawn(async move {
            loop {
                match listener.try_recv().await {
                    Ok(Some(notification)) => {
                        match serde_json::from_str::<Change>(notification.payload()) {
                            Ok(change) => {
                                let _ = local.send(change);
                            }
                            Err(error) => tracing::warn!(%error, "ignored a malformed change"),
                        }
                    }
                    // The connection dropped; the next call reconnects, and what was said
                    // meanwhile is lost.
                    Ok(None) => {
                        let _ = local.send(Change::Missed);
                    }
                    Err(error) => {
                        tracing::warn!(%error, "listening for transfer changes failed");
                        tokio::time::sleep(Duration::from_secs(1)).await;
                    }
                }
            }
        });
        Ok(())
    }
}

// The connect options hold the database password.
impl fmt::Debug for Changes {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("Changes")
            .field("watchers", &self.local.receiver_count())
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Every change to transfers from now on, of every Organization: the caller filters.
    pub async fn watch_changes(&self) -> StoreResult<broadcast::Receiver<Change>> {
        // Subscribed before listening, so nothing heard in between is lost.
        let changes = self.changes.local.subscribe();
        if let Some(options) = &self.changes.postgres {
            self.changes
                .listening
                .get_or_try_init(|| self.changes.listen(options))
                .await?;
        }
        Ok(changes)
    }

    /// Commits `tx`, which changed `transfer`, and tells the watchers.
    pub(super) async fn commit_announcing(
        &self,
        mut tx: Transaction<'_, Any>,
        transfer: &TransferId,
    ) -> StoreResult<()> {
        let (source, destination): (String, Option<String>) =
            sqlx::query_as("SELECT source_id, destination_id FROM transfers WHERE id = $1")
                .bind(transfer.as_str())
                .fetch_one(&mut *tx)
                .await?;
        let change = Change::Transfer {
            transfer: transfer.to_string(),
            organizations: [Some(source), destination].into_iter().flatten().collect(),
        };
        match self.dialect {
            Dialect::Postgres => {
                let payload = serde_json::to_string(&change).expect("a change serialises");
                // Counted, not returned: the `Any` driver cannot carry a `void`.
                sqlx::query("SELECT COUNT(*) FROM (SELECT pg_notify($1, $2)) AS notified")
                    .bind(CHANNEL)
                    .bind(payload)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
            }
            Dialect::Sqlite => {
                tx.commit().await?;
                let _ = self.changes.local.send(change);
            }
        }
        Ok(())
    }
}
