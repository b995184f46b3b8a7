//! Emails waiting to be sent. They are written in the same transaction as the change they
//! announce, and delivered by a worker that leases them, so a crash loses none.

use sqlx::AnyConnection;
use transfer_rules::OrganizationId;

use super::{Store, StoreResult};

pub struct Email {
    pub subject: String,
    pub body: String,
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct OutboxMessage {
    pub id: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub attempts: i64,
}

/// Queues one email. `id` is stable for the event it announces, so writing it twice
/// cannot send it twice.
pub async fn enqueue(
    connection: &mut AnyConnection,
    id: &str,
    recipient: &str,
    email: &Email,
    now: i64,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO outbox (id, recipient, subject, body, created_at, next_attempt_at) \
         VALUES ($1, $2, $3, $4, $5, $5)",
    )
    .bind(id)
    .bind(recipient)
    .bind(&email.subject)
    .bind(&email.body)
    .bind(now)
    .execute(connection)
    .await?;
    Ok(())
}

/// Queues an email to every administrator and legal representative of an Organization.
pub async fn enqueue_to_admins(
    connection: &mut AnyConnection,
    id_prefix: &str,
    organization: &OrganizationId,
    email: &Email,
    now: i64,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO outbox (id, recipient, subject, body, created_at, next_attempt_at) \
         SELECT $1 || ':' || u.id, u.email, $2, $3, $4, $4 FROM memberships m \
         JOIN users u ON u.id = m.user_id \
         WHERE m.organization_id = $5 AND m.role IN ('legal_representative', 'administrator')",
    )
    .bind(id_prefix)
    .bind(&email.subject)
    .bind(&email.body)
    .bind(now)
    .bind(organization.as_str())
    .execute(connection)
    .await?;
    Ok(())
}

impl Store {
    /// Leases up to `limit` due messages until `lease_until`; a worker that dies leaves
    /// them to the next one once the lease ends.
    pub async fn claim_due_emails(
        &self,
        now: i64,
        lease_until: i64,
        limit: i64,
    ) -> StoreResult<Vec<OutboxMessage>> {
        Ok(sqlx::query_as::<_, OutboxMessage>(
            "UPDATE outbox SET claimed_until = $1, attempts = attempts + 1 \
             WHERE sent_at IS NULL AND claimed_until <= $2 AND id IN ( \
               SELECT id FROM outbox WHERE sent_at IS NULL AND next_attempt_at <= $2 \
               AND claimed_until <= $2 ORDER BY created_at, id LIMIT $3) \
             RETURNING id, recipient, subject, body, attempts",
        )
        .bind(lease_until)
        .bind(now)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn mark_email_sent(&self, id: &str, now: i64) -> StoreResult<()> {
        sqlx::query("UPDATE outbox SET sent_at = $2, claimed_until = 0 WHERE id = $1")
            .bind(id)
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn mark_email_failed(&self, id: &str, retry_at: i64, error: &str) -> StoreResult<()> {
        sqlx::query(
            "UPDATE outbox SET next_attempt_at = $2, claimed_until = 0, last_error = $3 WHERE id = $1",
        )
        .bind(id)
        .bind(retry_at)
        .bind(error)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Emails not yet delivered, oldest first (for operators and tests).
    pub async fn pending_emails(&self) -> StoreResult<Vec<OutboxMessage>> {
        Ok(sqlx::query_as::<_, OutboxMessage>(
            "SELECT id, recipient, subject, body, attempts FROM outbox \
             WHERE sent_at IS NULL ORDER BY created_at, id",
        )
        .fetch_all(&self.pool)
        .await?)
    }
}
