//! Email: what the Manager writes, and the worker that delivers the outbox through SMTP
//! (or, in development, into files).

use std::path::PathBuf;
use std::time::Duration;

use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

mod relay;
pub mod texts;

pub use relay::{Relay, RelayError};

use crate::jobs::{Turn, BATCH};
use crate::links::LinkKeys;
use crate::store::outbox::OutboxMessage;
use crate::store::{Store, StoreResult};

/// How long a worker holds a message it is sending before another may try.
/// About three and a half hours of retries (see [`backoff_ms`]); then the failure is
/// shown in the transfer's history.
pub const MAX_ATTEMPTS: i64 = 12;

#[derive(Clone)]
pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(PathBuf),
}

#[derive(Debug, thiserror::Error)]
pub enum MailConfigError {
    #[error(transparent)]
    Relay(#[from] RelayError),
    #[error("MANAGER_MAIL_FROM is not a valid address")]
    From,
}

/// Why one message did not go, and whether trying again could help.
struct Failure {
    permanent: bool,
    reason: String,
}

impl Failure {
    fn permanent(reason: impl Into<String>) -> Self {
        Failure {
            permanent: true,
            reason: reason.into(),
        }
    }

    fn transient(reason: impl ToString) -> Self {
        Failure {
            permanent: false,
            reason: reason.to_string(),
        }
    }
}

#[derive(Clone)]
pub struct Mailer {
    transport: Transport,
    from: Mailbox,
    keys: LinkKeys,
}

impl Mailer {
    pub fn new(
        relay: Option<&Relay>,
        files: PathBuf,
        from: &str,
        keys: LinkKeys,
    ) -> Result<Self, MailConfigError> {
        let transport = match relay {
            Some(relay) => Transport::Smtp(relay.transport()?),
            None => Transport::Files(files),
        };
        let from = from.parse().map_err(|_| MailConfigError::From)?;
        Ok(Mailer {
            transport,
            from,
            keys,
        })
    }

    async fn send(&self, message: &OutboxMessage) -> Result<(), Failure> {
        let to: Mailbox = message
            .recipient
            .parse()
            .map_err(|_| Failure::permanent("invalid recipient"))?;
        let body = self
            .keys
            .open(&message.body)
            .ok_or_else(|| Failure::permanent("body cannot be opened with this server key"))?;
        let email = Message::builder()
            .from(self.from.clone())
            .to(to)
            // Stable per outbox row, so a receiving server can drop a rare duplicate.
            .message_id(Some(format!("<{}@manager>", message.id.replace(':', "."))))
            .subject(&message.subject)
            .multipart(MultiPart::alternative_plain_html(
                body.clone(),
                texts::html(&body),
            ))
            .map_err(|error| Failure::permanent(error.to_string()))?;
        match &self.transport {
            Transport::Smtp(smtp) => smtp.send(email).await.map(|_| ()).map_err(|error| Failure {
                permanent: error.is_permanent(),
                reason: error.to_string(),
            }),
            Transport::Files(dir) => {
                let name = format!("{}.eml", message.id.replace([':', '/'], "_"));
                write_private(dir, &name, &email.formatted())
                    .await
                    .map_err(Failure::transient)
            }
        }
    }

    /// Delivers what is due once; returns how many were sent. Between messages it checks
    /// `stopping`: a stopping process finishes the message in hand and gives the rest back.
    pub async fn deliver_due(
        &self,
        store: &Store,
        now: i64,
        stopping: impl Fn() -> bool,
    ) -> StoreResult<usize> {
        let turn = Turn::begin(now);
        let lease = &turn.lease;
        let mut sent = 0;
        for message in store.claim_due_emails(now, lease, BATCH).await? {
            if turn.over(&stopping) {
                store.release_emails(lease).await?;
                break;
            }
            let held = match self.send(&message).await {
                Ok(()) => {
                    sent += 1;
                    store.mark_email_sent(&message.id, lease, now).await?
                }
                Err(failure) if failure.permanent || message.attempts >= MAX_ATTEMPTS => {
                    tracing::warn!(id = %message.id, attempts = message.attempts, error = %failure.reason, "email given up");
                    store
                        .give_up_email(&message, lease, now, &failure.reason)
                        .await?
                }
                Err(failure) => {
                    tracing::warn!(id = %message.id, attempts = message.attempts, error = %failure.reason, "email not delivered, will retry");
                    let retry_at = now + backoff_ms(message.attempts);
                    store
                        .mark_email_failed(&message.id, lease, retry_at, &failure.reason)
                        .await?
                }
            };
            if !held {
                tracing::warn!(id = %message.id, "email lease ended before it was marked");
            }
        }
        Ok(sent)
    }
}

/// Writes a file only the server's user can read, in a folder only it can open: an email
/// can carry a transfer link.
async fn write_private(dir: &std::path::Path, name: &str, contents: &[u8]) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    use tokio::io::AsyncWriteExt;
    tokio::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .await?;
    tokio::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).await?;
    let mut file = tokio::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(dir.join(name))
        .await?;
    file.write_all(contents).await?;
    file.flush().await
}

/// 10 s, 20 s, 40 s… capped at an hour.
pub fn backoff_ms(attempts: i64) -> i64 {
    let exponent = attempts.clamp(1, 20) as u32 - 1;
    (10_000_i64.saturating_mul(1 << exponent)).min(3_600_000)
}

pub fn every(period: Duration) -> tokio::time::Interval {
    let mut interval = tokio::time::interval(period);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    interval
}

#[cfg(test)]
mod tests {
    use super::backoff_ms;

    #[test]
    fn retries_back_off_to_an_hour() {
        assert_eq!(backoff_ms(1), 10_000);
        assert_eq!(backoff_ms(2), 20_000);
        assert_eq!(backoff_ms(4), 80_000);
        assert_eq!(backoff_ms(30), 3_600_000);
    }
}
