//! Background work: delivering the outbox and webhooks, expiring transfers past their date, and
//! sweeping what can no longer matter. Safe to run in several server processes at once:
//! each claims its rows in the database.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::watch;

use crate::auth::new_token;
use crate::mail::{every, Mailer};
use crate::services::{now_ms, Services, ATTEMPTS_WINDOW_MS};
use crate::store::outbox::Lease;
use crate::store::{Store, StoreResult};
use crate::webhooks::Deliverer;

/// Delivered or abandoned emails are kept this long for operators, then deleted.
const KEEP_FINISHED_EMAILS_MS: i64 = 7 * 24 * 60 * 60 * 1000;

/// Finished webhook deliveries stay in the log this long.
const KEEP_FINISHED_WEBHOOKS_MS: i64 = 30 * 24 * 60 * 60 * 1000;

/// Answers kept for retries with the same idempotency key; a retry comes within minutes.
const KEEP_IDEMPOTENT_ANSWERS_MS: i64 = 24 * 60 * 60 * 1000;

const LEASE_MS: i64 = 60_000;
/// A worker stops its batch this long into its lease, well before it ends.
const LEASE_USE: Duration = Duration::from_secs(40);
/// Rows one worker claims at a time.
pub const BATCH: i64 = 20;

/// One worker's pass over due rows: a lease on what it claims, and when to stop and give
/// back the rest.
pub struct Turn {
    pub lease: Lease,
    started: Instant,
}

impl Turn {
    pub fn begin(now: i64) -> Turn {
        Turn {
            lease: Lease {
                token: new_token(),
                until: now + LEASE_MS,
            },
            started: Instant::now(),
        }
    }

    /// Whether to stop before the next row: the process is stopping, or so much of the
    /// lease is spent that another worker could soon take the rows.
    pub fn over(&self, stopping: &impl Fn() -> bool) -> bool {
        stopping() || self.started.elapsed() > LEASE_USE
    }
}

/// The running jobs; [`Jobs::stop`] lets the current step finish (an email handed to the
/// relay is marked sent before the process ends; emails claimed but not tried yet are
/// given back for another process).
pub struct Jobs {
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl Jobs {
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

pub fn spawn(services: Arc<Services>, store: Store, mailer: Mailer, webhooks: Deliverer) -> Jobs {
    let (stop, mut stopped) = watch::channel(false);
    let task = tokio::spawn(async move {
        let mut mail = every(Duration::from_secs(2));
        let mut hooks = every(Duration::from_secs(2));
        let mut expiry = every(Duration::from_secs(30));
        let mut sweep = every(Duration::from_secs(600));
        let stopping = stopped.clone();
        loop {
            tokio::select! {
                _ = stopped.changed() => break,
                _ = mail.tick() => {
                    if let Err(error) = mailer.deliver_due(&store, now_ms(), || *stopping.borrow()).await {
                        tracing::error!(%error, "outbox delivery failed");
                    }
                }
                _ = hooks.tick() => {
                    if let Err(error) = webhooks.deliver_due(&store, now_ms(), || *stopping.borrow()).await {
                        tracing::error!(%error, "webhook delivery failed");
                    }
                }
                _ = expiry.tick() => {
                    match services.expire_due(None).await {
                        Ok(0) => {}
                        Ok(count) => tracing::info!(count, "expired transfers"),
                        Err(error) => tracing::error!(?error, "expiring transfers failed"),
                    }
                }
                _ = sweep.tick() => {
                    if let Err(error) = housekeeping(&store, now_ms()).await {
                        tracing::error!(%error, "housekeeping failed");
                    }
                }
            }
        }
    });
    Jobs { stop, task }
}

/// Deletes expired sessions, login attempts past every throttling window, emails
/// finished long ago and old idempotent answers, so no table grows for ever.
pub async fn housekeeping(store: &Store, now: i64) -> StoreResult<()> {
    store.purge_expired(now, now - ATTEMPTS_WINDOW_MS).await?;
    store
        .purge_idempotency_keys(now - KEEP_IDEMPOTENT_ANSWERS_MS)
        .await?;
    let emails = store
        .purge_finished_emails(now - KEEP_FINISHED_EMAILS_MS)
        .await?;
    let webhooks = store
        .purge_finished_webhooks(now - KEEP_FINISHED_WEBHOOKS_MS)
        .await?;
    if emails > 0 || webhooks > 0 {
        tracing::info!(emails, webhooks, "swept finished emails and webhooks");
    }
    Ok(())
}
