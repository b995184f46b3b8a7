//! Background work: delivering the outbox and expiring transfers past their date. Safe to
//! run in several server processes at once: both claim their rows in the database.

use std::sync::Arc;
use std::time::Duration;

use crate::mail::{every, Mailer};
use crate::services::{now_ms, Services};
use crate::store::Store;

pub fn spawn(services: Arc<Services>, store: Store, mailer: Mailer) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut mail = every(Duration::from_secs(2));
        let mut expiry = every(Duration::from_secs(30));
        loop {
            tokio::select! {
                _ = mail.tick() => {
                    if let Err(error) = mailer.deliver_due(&store, now_ms()).await {
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
            }
        }
    })
}
