//! Webhook endpoints of the current Organization: registered, listed and removed by its
//! Administrators and Legal representatives, and the log of what was sent to them.

mod page;

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};
use transfer_rules::{OrganizationId, Timestamp, TransferId, WebhookEndpointId, WebhookEvent};

use crate::error::AppError;

pub use page::WebhooksPage;

/// An endpoint as its Organization's list shows it: never its secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookEndpointSummary {
    pub id: WebhookEndpointId,
    pub url: String,
    pub events: Vec<WebhookEvent>,
    pub creator: String,
    pub created_at: Timestamp,
}

/// An endpoint just registered: the only time its signing secret is shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedWebhookEndpoint {
    pub id: WebhookEndpointId,
    pub secret: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryState {
    /// Not sent yet, or failed and waiting for its next attempt.
    Pending,
    Delivered,
    /// Every attempt failed, or its endpoint was removed; "send again" starts over.
    Failed,
}

/// One event sent (or to send) to one endpoint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookDelivery {
    pub endpoint: WebhookEndpointId,
    pub endpoint_url: String,
    /// The `webhook-id` header: the same on every attempt.
    pub event_id: String,
    pub event: WebhookEvent,
    pub transfer: TransferId,
    pub created_at: Timestamp,
    pub state: DeliveryState,
    pub attempts: u32,
    /// The receiver's HTTP status at the last attempt, when it answered.
    pub last_status: Option<u16>,
    pub last_attempt_at: Option<Timestamp>,
}

/// Endpoints an Organization may register.
pub const MAX_WEBHOOK_ENDPOINTS: usize = 10;

/// Longer URLs are refused: no receiver needs one.
pub const MAX_WEBHOOK_URL_CHARS: usize = 2_000;

#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait WebhookBackend: Send + Sync + 'static {
    async fn webhook_endpoints(
        &self,
        user: &transfer_rules::UserId,
        organization: &OrganizationId,
    ) -> Result<Vec<WebhookEndpointSummary>, AppError>;
    async fn create_webhook_endpoint(
        &self,
        user: &transfer_rules::UserId,
        organization: &OrganizationId,
        url: &str,
        events: &[WebhookEvent],
    ) -> Result<CreatedWebhookEndpoint, AppError>;
    async fn delete_webhook_endpoint(
        &self,
        user: &transfer_rules::UserId,
        organization: &OrganizationId,
        endpoint: &WebhookEndpointId,
    ) -> Result<(), AppError>;
    /// The Organization's most recent deliveries, newest first (bounded).
    async fn webhook_deliveries(
        &self,
        user: &transfer_rules::UserId,
        organization: &OrganizationId,
    ) -> Result<Vec<WebhookDelivery>, AppError>;
    /// Queues a delivery once more, with the same event id and body.
    async fn resend_webhook(
        &self,
        user: &transfer_rules::UserId,
        organization: &OrganizationId,
        endpoint: &WebhookEndpointId,
        event_id: &str,
    ) -> Result<(), AppError>;
}

#[server(endpoint = "list_webhook_endpoints")]
pub async fn list_webhook_endpoints(
    organization: OrganizationId,
) -> Result<Vec<WebhookEndpointSummary>, AppError> {
    let (backend, user) = crate::backend::caller().await?;
    backend.webhook_endpoints(&user, &organization).await
}

#[server(endpoint = "create_webhook_endpoint", input = Json)]
pub async fn create_webhook_endpoint(
    organization: OrganizationId,
    url: String,
    events: Vec<WebhookEvent>,
) -> Result<CreatedWebhookEndpoint, AppError> {
    let (backend, user) = crate::backend::caller().await?;
    backend
        .create_webhook_endpoint(&user, &organization, url.trim(), &events)
        .await
}

#[server(endpoint = "delete_webhook_endpoint")]
pub async fn delete_webhook_endpoint(
    organization: OrganizationId,
    endpoint: WebhookEndpointId,
) -> Result<(), AppError> {
    let (backend, user) = crate::backend::caller().await?;
    backend
        .delete_webhook_endpoint(&user, &organization, &endpoint)
        .await
}

#[server(endpoint = "list_webhook_deliveries")]
pub async fn list_webhook_deliveries(
    organization: OrganizationId,
) -> Result<Vec<WebhookDelivery>, AppError> {
    let (backend, user) = crate::backend::caller().await?;
    backend.webhook_deliveries(&user, &organization).await
}

#[server(endpoint = "resend_webhook")]
pub async fn resend_webhook(
    organization: OrganizationId,
    endpoint: WebhookEndpointId,
    event_id: String,
) -> Result<(), AppError> {
    let (backend, user) = crate::backend::caller().await?;
    backend
        .resend_webhook(&user, &organization, &endpoint, &event_id)
        .await
}
