//! Background work: delivering the outbox, expiring transfers past their date, and
//! sweeping what can no longer matter. Safe to run in several server processes at once:
//! each claims its rows in the database.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use crate::mail::{every, Mailer};
use crate::services::{now_ms, Services, ATTEMPTS_WINDOW_MS};
use crate::store::{Store, StoreResult};

/// Delivered or abandoned emails are kept this long for operators, then deleted.
const KEEP_FINISHED_EMAILS_MS: i64 = 7 * 24 * 60 * 60 * 1000;

/// Answers kept for retries with the same idempotency key; a retry comes within minutes.
const KEEP_IDEMPOTENT_ANSWERS_MS: i64 = 24 * 60 * 60 * 1000;

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

pub fn spawn(services: Arc<Services>, store: Store, mailer: Mailer) -> Jobs {
    let (stop, mut stopped) = watch::channel(false);
    let task = tokio::spawn(async move {
        let mut mail = every(Duration::from_secs(2));
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
                _ = expiry.tick() => {
                    match services.expire_due().await {
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
    if emails > 0 {
        tracing::info!(emails, "swept finished emails");
    }
    Ok(())
}
