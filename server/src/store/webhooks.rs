//! Webhook endpoints and their deliveries. A delivery is written in the transaction of the
//! transfer change it announces (see [`enqueue_webhooks`]), then sent by a worker that
//! leases it, as the email outbox is: a crash or a restart loses none, and a repeat keeps
//! its event id.

use app::dates::rfc3339;
use app::webhooks::{DeliveryState, WebhookDelivery, WebhookEndpointSummary};
use sqlx::AnyConnection;
use transfer_rules::{
    OrganizationId, Timestamp, TransferEventKind, TransferId, UserId, WebhookEndpointId,
    WebhookEvent,
};

use super::outbox::Lease;
use super::{decode, Store, StoreResult, Turn};

/// The deliveries the log shows: the most recent ones.
const LISTED_DELIVERIES: i64 = 100;

pub struct NewWebhookEndpoint<'a> {
    pub id: &'a WebhookEndpointId,
    pub organization: &'a OrganizationId,
    pub creator: &'a UserId,
    pub url: &'a str,
    pub events: &'a [WebhookEvent],
    pub sealed_secret: &'a str,
    pub created_at: i64,
}

/// A delivery as the worker sends it.
#[derive(sqlx::FromRow, Debug, Clone)]
pub struct DueDelivery {
    pub endpoint_id: String,
    pub event_id: String,
    pub body: String,
    pub attempts: i64,
}

/// Where, and with which key, a delivery goes.
#[derive(sqlx::FromRow, Debug, Clone)]
pub struct EndpointTarget {
    pub url: String,
    pub sealed_secret: String,
    pub deleted_at: Option<i64>,
}

/// The outcome of one attempt, as the log keeps it.
pub struct Attempt<'a> {
    pub at: i64,
    /// The receiver's HTTP status, when it answered.
    pub status: Option<u16>,
    pub error: Option<&'a str>,
}

#[derive(sqlx::FromRow)]
struct EndpointRow {
    id: String,
    url: String,
    events: String,
    creator_name: String,
    created_at: i64,
}

#[derive(sqlx::FromRow)]
struct DeliveryRow {
    endpoint_id: String,
    url: String,
    event_id: String,
    event_type: String,
    transfer_id: String,
    created_at: i64,
    attempts: i64,
    last_attempt_at: Option<i64>,
    last_status: Option<i64>,
    delivered_at: Option<i64>,
    failed_at: Option<i64>,
}

/// Stored between spaces, so `LIKE '% code %'` finds exactly one event.
fn stored_events(events: &[WebhookEvent]) -> String {
    let codes: Vec<&str> = events.iter().map(|event| event.as_str()).collect();
    format!(" {} ", codes.join(" "))
}

fn parse_events(stored: &str) -> StoreResult<Vec<WebhookEvent>> {
    stored
        .split_whitespace()
        .map(|code| decode(WebhookEvent::parse(code)))
        .collect()
}

/// Queues the webhook that the history event `seq` of `transfer` announces, to every
/// endpoint subscribed to it in the Organizations concerned: the source, and the
/// destination once it received the transfer. Runs in the change's transaction.
pub(super) async fn enqueue_webhooks(
    connection: &mut AnyConnection,
    transfer: &TransferId,
    kind: TransferEventKind,
    seq: i64,
    now: i64,
) -> StoreResult<()> {
    let Some(event) = WebhookEvent::for_transfer_event(kind) else {
        return Ok(());
    };
    let (source, destination, status): (String, Option<String>, String) =
        sqlx::query_as("SELECT source_id, destination_id, status FROM transfers WHERE id = $1")
            .bind(transfer.as_str())
            .fetch_one(&mut *connection)
            .await?;
    let subscribed = format!("% {event} %");
    let listeners: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM webhook_endpoints WHERE deleted_at IS NULL \
         AND organization_id IN ($1, $2) AND events LIKE $3",
    )
    .bind(&source)
    .bind(&destination)
    .bind(&subscribed)
    .fetch_one(&mut *connection)
    .await?;
    if listeners == 0 {
        return Ok(());
    }
    let products: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM transfer_products WHERE transfer_id = $1")
            .bind(transfer.as_str())
            .fetch_one(&mut *connection)
            .await?;
    let body = serde_json::json!({
        "type": event.as_str(),
        "timestamp": rfc3339(now),
        "data": {
            "id": transfer.as_str(),
            "status": status,
            "source": source,
            "destination": destination,
            "product_count": products,
        },
    })
    .to_string();
    sqlx::query(
        "INSERT INTO webhook_deliveries (endpoint_id, event_id, event_type, transfer_id, \
         organization_id, body, created_at, next_attempt_at) \
         SELECT id, $1, $2, $3, organization_id, $4, $5, $5 FROM webhook_endpoints \
         WHERE deleted_at IS NULL AND organization_id IN ($6, $7) AND events LIKE $8",
    )
    .bind(format!("evt_{transfer}_{seq}"))
    .bind(event.as_str())
    .bind(transfer.as_str())
    .bind(&body)
    .bind(now)
    .bind(&source)
    .bind(&destination)
    .bind(&subscribed)
    .execute(connection)
    .await?;
    Ok(())
}

const DUE_COLUMNS: &str = "endpoint_id, event_id, body, attempts";

impl Store {
    /// Adds an endpoint unless its Organization already has `most` (counted on the
    /// Organization's turn). Returns whether it was added.
    pub async fn insert_webhook_endpoint(
        &self,
        new: NewWebhookEndpoint<'_>,
        most: i64,
    ) -> StoreResult<bool> {
        let mut tx = self.pool.begin().await?;
        Turn::Organization(new.organization).take(&mut tx).await?;
        let endpoints: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM webhook_endpoints \
             WHERE organization_id = $1 AND deleted_at IS NULL",
        )
        .bind(new.organization.as_str())
        .fetch_one(&mut *tx)
        .await?;
        if endpoints >= most {
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO webhook_endpoints (id, organization_id, creator_id, url, events, \
             sealed_secret, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(new.id.as_str())
        .bind(new.organization.as_str())
        .bind(new.creator.as_str())
        .bind(new.url)
        .bind(stored_events(new.events))
        .bind(new.sealed_secret)
        .bind(new.created_at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    pub async fn webhook_endpoints(
        &self,
        organization: &OrganizationId,
    ) -> StoreResult<Vec<WebhookEndpointSummary>> {
        let rows: Vec<EndpointRow> = sqlx::query_as(
            "SELECT w.id, w.url, w.events, u.name AS creator_name, w.created_at \
             FROM webhook_endpoints w JOIN users u ON u.id = w.creator_id \
             WHERE w.organization_id = $1 AND w.deleted_at IS NULL ORDER BY w.created_at, w.id",
        )
        .bind(organization.as_str())
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|row| {
                Ok(WebhookEndpointSummary {
                    id: decode(WebhookEndpointId::parse(&row.id))?,
                    events: parse_events(&row.events)?,
                    url: row.url,
                    creator: row.creator_name,
                    created_at: Timestamp::from_millis(row.created_at),
                })
            })
            .collect()
    }

    /// Removes an endpoint of this Organization; what it had still to receive is marked
    /// failed, together. False when there is no such endpoint.
    pub async fn delete_webhook_endpoint(
        &self,
        organization: &OrganizationId,
        endpoint: &WebhookEndpointId,
        now: i64,
    ) -> StoreResult<bool> {
        let mut tx = self.pool.begin().await?;
        let removed = sqlx::query(
            "UPDATE webhook_endpoints SET deleted_at = $3 \
             WHERE id = $1 AND organization_id = $2 AND deleted_at IS NULL",
        )
        .bind(endpoint.as_str())
        .bind(organization.as_str())
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if removed {
            sqlx::query(
                "UPDATE webhook_deliveries SET failed_at = $2, last_error = 'endpoint removed' \
                 WHERE endpoint_id = $1 AND delivered_at IS NULL AND failed_at IS NULL",
            )
            .bind(endpoint.as_str())
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(removed)
    }

    /// The Organization's most recent deliveries, newest first.
    pub async fn webhook_deliveries(
        &self,
        organization: &OrganizationId,
    ) -> StoreResult<Vec<WebhookDelivery>> {
        let rows: Vec<DeliveryRow> = sqlx::query_as(
            "SELECT d.endpoint_id, w.url, d.event_id, d.event_type, d.transfer_id, d.created_at, \
             d.attempts, d.last_attempt_at, d.last_status, d.delivered_at, d.failed_at \
             FROM webhook_deliveries d JOIN webhook_endpoints w ON w.id = d.endpoint_id \
             WHERE d.organization_id = $1 \
             ORDER BY d.created_at DESC, d.event_id DESC, d.endpoint_id LIMIT $2",
        )
        .bind(organization.as_str())
        .bind(LISTED_DELIVERIES)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|row| {
                Ok(WebhookDelivery {
                    endpoint: decode(WebhookEndpointId::parse(&row.endpoint_id))?,
                    event: decode(WebhookEvent::parse(&row.event_type))?,
                    transfer: decode(TransferId::parse(&row.transfer_id))?,
                    state: match (row.delivered_at, row.failed_at) {
                        (Some(_), _) => DeliveryState::Delivered,
                        (None, Some(_)) => DeliveryState::Failed,
                        (None, None) => DeliveryState::Pending,
                    },
                    attempts: u32::try_from(row.attempts).unwrap_or(u32::MAX),
                    last_status: row.last_status.and_then(|s| u16::try_from(s).ok()),
                    last_attempt_at: row.last_attempt_at.map(Timestamp::from_millis),
                    created_at: Timestamp::from_millis(row.created_at),
                    endpoint_url: row.url,
                    event_id: row.event_id,
                })
            })
            .collect()
    }

    /// Queues a finished delivery of this Organization once more, now, with its event id
    /// and body. False when there is none (or it is being sent this very moment).
    pub async fn resend_webhook(
        &self,
        organization: &OrganizationId,
        endpoint: &WebhookEndpointId,
        event_id: &str,
        now: i64,
    ) -> StoreResult<bool> {
        Ok(sqlx::query(
            "UPDATE webhook_deliveries SET attempts = 0, delivered_at = NULL, failed_at = NULL, \
             next_attempt_at = $4, claimed_until = 0, last_error = NULL \
             WHERE organization_id = $1 AND endpoint_id = $2 AND event_id = $3 \
             AND claimed_until <= $4 AND (delivered_at IS NOT NULL OR failed_at IS NOT NULL) \
             AND endpoint_id IN (SELECT id FROM webhook_endpoints WHERE deleted_at IS NULL)",
        )
        .bind(organization.as_str())
        .bind(endpoint.as_str())
        .bind(event_id)
        .bind(now)
        .execute(&self.pool)
        .await?
        .rows_affected()
            == 1)
    }

    /// Leases up to `limit` due deliveries; a worker that dies leaves them to the next one
    /// once the lease ends.
    pub async fn claim_due_webhooks(
        &self,
        now: i64,
        lease: &Lease,
        limit: i64,
    ) -> StoreResult<Vec<DueDelivery>> {
        Ok(sqlx::query_as::<_, DueDelivery>(&format!(
            "UPDATE webhook_deliveries SET claimed_until = $1, lease_token = $2, \
             attempts = attempts + 1 \
             WHERE delivered_at IS NULL AND failed_at IS NULL AND claimed_until <= $3 \
             AND (endpoint_id, event_id) IN ( \
               SELECT endpoint_id, event_id FROM webhook_deliveries \
               WHERE delivered_at IS NULL AND failed_at IS NULL \
               AND next_attempt_at <= $3 AND claimed_until <= $3 \
               ORDER BY created_at, event_id LIMIT $4) \
             RETURNING {DUE_COLUMNS}"
        ))
        .bind(lease.until)
        .bind(&lease.token)
        .bind(now)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn webhook_target(&self, endpoint_id: &str) -> StoreResult<EndpointTarget> {
        Ok(sqlx::query_as::<_, EndpointTarget>(
            "SELECT url, sealed_secret, deleted_at FROM webhook_endpoints WHERE id = $1",
        )
        .bind(endpoint_id)
        .fetch_one(&self.pool)
        .await?)
    }

    /// Records an attempt. `next_attempt_at`: when to try again; `None` with a status of
    /// 2xx means delivered, otherwise given up. False when `lease` no longer holds it.
    pub async fn finish_webhook_attempt(
        &self,
        delivery: &DueDelivery,
        lease: &Lease,
        attempt: Attempt<'_>,
        next_attempt_at: Option<i64>,
    ) -> StoreResult<bool> {
        let delivered = attempt.error.is_none();
        let (delivered_at, failed_at) = match (delivered, next_attempt_at) {
            (true, _) => (Some(attempt.at), None),
            (false, Some(_)) => (None, None),
            (false, None) => (None, Some(attempt.at)),
        };
        Ok(sqlx::query(
            "UPDATE webhook_deliveries SET claimed_until = 0, last_attempt_at = $4, \
             last_status = $5, last_error = $6, delivered_at = $7, failed_at = $8, \
             next_attempt_at = COALESCE($9, next_attempt_at) \
             WHERE endpoint_id = $1 AND event_id = $2 AND lease_token = $3 \
             AND delivered_at IS NULL AND failed_at IS NULL",
        )
        .bind(&delivery.endpoint_id)
        .bind(&delivery.event_id)
        .bind(&lease.token)
        .bind(attempt.at)
        .bind(attempt.status.map(i64::from))
        .bind(attempt.error)
        .bind(delivered_at)
        .bind(failed_at)
        .bind(next_attempt_at)
        .execute(&self.pool)
        .await?
        .rows_affected()
            == 1)
    }

    /// Gives back the deliveries of `lease` not tried yet, as if never claimed.
    pub async fn release_webhooks(&self, lease: &Lease) -> StoreResult<u64> {
        Ok(sqlx::query(
            "UPDATE webhook_deliveries SET claimed_until = 0, attempts = attempts - 1 \
             WHERE lease_token = $1 AND claimed_until = $2 \
             AND delivered_at IS NULL AND failed_at IS NULL",
        )
        .bind(&lease.token)
        .bind(lease.until)
        .execute(&self.pool)
        .await?
        .rows_affected())
    }

    /// Forgets deliveries finished before `before`.
    pub async fn purge_finished_webhooks(&self, before: i64) -> StoreResult<u64> {
        Ok(sqlx::query(
            "DELETE FROM webhook_deliveries WHERE (delivered_at IS NOT NULL AND delivered_at < $1) \
             OR (failed_at IS NOT NULL AND failed_at < $1)",
        )
        .bind(before)
        .execute(&self.pool)
        .await?
        .rows_affected())
    }
}
