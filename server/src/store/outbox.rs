//! Emails waiting to be sent. They are written in the same transaction as the change they
//! announce, and delivered by a worker that leases them, so a crash loses none. Bodies are
//! kept sealed (they can carry a transfer link) and dropped once delivered.

use sqlx::AnyConnection;
use transfer_rules::{OrganizationId, TransferEventKind, TransferId};

use super::transfers::record_event;
use super::{Store, StoreResult};

/// An email as written, before it is sealed for the outbox.
pub struct Email {
    pub subject: String,
    pub body: String,
}

/// An email whose body only the server key opens: the one form the outbox accepts.
pub struct SealedEmail {
    pub subject: String,
    pub sealed_body: String,
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct OutboxMessage {
    pub id: String,
    pub recipient: String,
    pub subject: String,
    /// Sealed; empty once delivered or given up.
    pub body: String,
    pub attempts: i64,
    pub transfer_id: Option<String>,
}

/// A worker's hold on the messages it claimed: only it may mark them, and only until then.
#[derive(Clone, Debug)]
pub struct Lease {
    pub token: String,
    pub until: i64,
}

/// Queues one email about `transfer`. `id` is stable for the event it announces, so
/// writing it twice cannot send it twice.
pub async fn enqueue(
    connection: &mut AnyConnection,
    id: &str,
    transfer: &TransferId,
    recipient: &str,
    email: &SealedEmail,
    now: i64,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO outbox (id, transfer_id, recipient, subject, body, created_at, next_attempt_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6)",
    )
    .bind(id)
    .bind(transfer.as_str())
    .bind(recipient)
    .bind(&email.subject)
    .bind(&email.sealed_body)
    .bind(now)
    .execute(connection)
    .await?;
    Ok(())
}

/// One email written in each language (by code, the first being the default): each
/// recipient gets the one in their own.
pub struct Translated(pub Vec<(&'static str, SealedEmail)>);

/// Queues an email about `transfer` to every administrator and legal representative of
/// an Organization, each in their language.
pub async fn enqueue_to_admins(
    connection: &mut AnyConnection,
    id_prefix: &str,
    transfer: &TransferId,
    organization: &OrganizationId,
    emails: &Translated,
    now: i64,
) -> StoreResult<()> {
    let default = emails.0.first().map_or("en", |(language, _)| *language);
    for (language, email) in &emails.0 {
        sqlx::query(
            "INSERT INTO outbox (id, transfer_id, recipient, subject, body, created_at, next_attempt_at) \
             SELECT $1 || ':' || u.id, $2, u.email, $3, $4, $5, $5 FROM memberships m \
             JOIN users u ON u.id = m.user_id \
             WHERE m.organization_id = $6 AND m.role IN ('legal_representative', 'administrator') \
             AND COALESCE(u.language, $7) = $8",
        )
        .bind(id_prefix)
        .bind(transfer.as_str())
        .bind(&email.subject)
        .bind(&email.sealed_body)
        .bind(now)
        .bind(organization.as_str())
        .bind(default)
        .bind(*language)
        .execute(&mut *connection)
        .await?;
    }
    record_event(
        connection,
        transfer,
        TransferEventKind::Notified,
        None,
        Some(organization),
        None,
        now,
    )
    .await?;
    Ok(())
}

/// Queues an email about `transfer` to each address its link was emailed to, in the
/// language that address reads (its user's choice, else the link email's), and lists
/// each in the transfer's history.
pub async fn enqueue_to_link_recipients(
    connection: &mut AnyConnection,
    id_prefix: &str,
    transfer: &TransferId,
    emails: &Translated,
    now: i64,
) -> StoreResult<()> {
    let emailed: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT e.detail, COALESCE(u.language, e.language) FROM transfer_events e \
         LEFT JOIN users u ON u.email = e.detail \
         WHERE e.transfer_id = $1 AND e.kind = 'link_emailed' AND e.detail IS NOT NULL ORDER BY e.seq",
    )
    .bind(transfer.as_str())
    .fetch_all(&mut *connection)
    .await?;
    let mut told = std::collections::HashSet::new();
    for (address, language) in emailed {
        if !told.insert(address.clone()) {
            continue;
        }
        let email = (emails.0.iter())
            .find(|(code, _)| Some(*code) == language.as_deref())
            .or(emails.0.first())
            .map(|(_, email)| email);
        let Some(email) = email else { continue };
        let seq = record_event(
            connection,
            transfer,
            TransferEventKind::Notified,
            None,
            None,
            Some(&address),
            now,
        )
        .await?;
        enqueue(
            connection,
            &format!("{id_prefix}:{seq}"),
            transfer,
            &address,
            email,
            now,
        )
        .await?;
    }
    Ok(())
}

const MESSAGE_COLUMNS: &str = "id, recipient, subject, body, attempts, transfer_id";

impl Store {
    /// Leases up to `limit` due messages; a worker that dies leaves them to the next one
    /// once the lease ends.
    pub async fn claim_due_emails(
        &self,
        now: i64,
        lease: &Lease,
        limit: i64,
    ) -> StoreResult<Vec<OutboxMessage>> {
        Ok(sqlx::query_as::<_, OutboxMessage>(&format!(
            "UPDATE outbox SET claimed_until = $1, lease_token = $2, attempts = attempts + 1 \
             WHERE sent_at IS NULL AND failed_at IS NULL AND claimed_until <= $3 AND id IN ( \
               SELECT id FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL \
               AND next_attempt_at <= $3 AND claimed_until <= $3 ORDER BY created_at, id LIMIT $4) \
             RETURNING {MESSAGE_COLUMNS}"
        ))
        .bind(lease.until)
        .bind(&lease.token)
        .bind(now)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Marks a message delivered and forgets its body. False when `lease` no longer holds
    /// it (it ran out and another worker took the message).
    pub async fn mark_email_sent(&self, id: &str, lease: &Lease, now: i64) -> StoreResult<bool> {
        Ok(sqlx::query(
            "UPDATE outbox SET sent_at = $3, claimed_until = 0, body = '' \
             WHERE id = $1 AND lease_token = $2 AND sent_at IS NULL",
        )
        .bind(id)
        .bind(&lease.token)
        .bind(now)
        .execute(&self.pool)
        .await?
        .rows_affected()
            == 1)
    }

    /// Gives back the messages of `lease` not tried yet (a tried one no longer has the
    /// lease's end as its claim), as if never claimed: another worker sends them now
    /// rather than when the lease would have ended.
    pub async fn release_emails(&self, lease: &Lease) -> StoreResult<u64> {
        Ok(sqlx::query(
            "UPDATE outbox SET claimed_until = 0, attempts = attempts - 1 \
             WHERE lease_token = $1 AND claimed_until = $2 AND sent_at IS NULL \
             AND failed_at IS NULL",
        )
        .bind(&lease.token)
        .bind(lease.until)
        .execute(&self.pool)
        .await?
        .rows_affected())
    }

    /// Schedules another attempt. False when `lease` no longer holds the message.
    pub async fn mark_email_failed(
        &self,
        id: &str,
        lease: &Lease,
        retry_at: i64,
        error: &str,
    ) -> StoreResult<bool> {
        Ok(sqlx::query(
            "UPDATE outbox SET next_attempt_at = $3, claimed_until = 0, last_error = $4 \
             WHERE id = $1 AND lease_token = $2 AND sent_at IS NULL",
        )
        .bind(id)
        .bind(&lease.token)
        .bind(retry_at)
        .bind(error)
        .execute(&self.pool)
        .await?
        .rows_affected()
            == 1)
    }

    /// Stops trying a message, forgets its body, and records the failure in its transfer's
    /// history, together. False when `lease` no longer holds the message.
    pub async fn give_up_email(
        &self,
        message: &OutboxMessage,
        lease: &Lease,
        now: i64,
        error: &str,
    ) -> StoreResult<bool> {
        let mut tx = self.pool.begin().await?;
        let held = sqlx::query(
            "UPDATE outbox SET failed_at = $3, claimed_until = 0, last_error = $4, body = '' \
             WHERE id = $1 AND lease_token = $2 AND sent_at IS NULL",
        )
        .bind(&message.id)
        .bind(&lease.token)
        .bind(now)
        .bind(error)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if !held {
            return Ok(false);
        }
        let Some(transfer) = &message.transfer_id else {
            tx.commit().await?;
            return Ok(true);
        };
        let transfer = super::decode(TransferId::parse(transfer))?;
        record_event(
            &mut tx,
            &transfer,
            TransferEventKind::EmailFailed,
            None,
            None,
            Some(&message.recipient),
            now,
        )
        .await?;
        self.commit_announcing(tx, &transfer).await?;
        Ok(true)
    }

    /// Emails not yet delivered nor given up, oldest first (for operators and tests).
    pub async fn pending_emails(&self) -> StoreResult<Vec<OutboxMessage>> {
        Ok(sqlx::query_as::<_, OutboxMessage>(&format!(
            "SELECT {MESSAGE_COLUMNS} FROM outbox \
             WHERE sent_at IS NULL AND failed_at IS NULL ORDER BY created_at, id"
        ))
        .fetch_all(&self.pool)
        .await?)
    }

    /// Forgets delivered and abandoned messages finished before `before`.
    pub async fn purge_finished_emails(&self, before: i64) -> StoreResult<u64> {
        Ok(sqlx::query(
            "DELETE FROM outbox WHERE (sent_at IS NOT NULL AND sent_at < $1) \
             OR (failed_at IS NOT NULL AND failed_at < $1)",
        )
        .bind(before)
        .execute(&self.pool)
        .await?
        .rows_affected())
    }
}
