//! Webhook endpoints: who may register them, where they may point, and the delivery log.

use app::error::{AppError, InputProblem};
use app::webhooks::{
    CreatedWebhookEndpoint, WebhookBackend, WebhookDelivery, WebhookEndpointSummary,
    MAX_WEBHOOK_ENDPOINTS, MAX_WEBHOOK_URL_CHARS,
};
use async_trait::async_trait;
use transfer_rules::{OrganizationId, UserId, WebhookEndpointId, WebhookEvent};

use super::{now_ms, Services};
use crate::auth::new_token;
use crate::store::webhooks::NewWebhookEndpoint;
use crate::webhooks::address::{self, AddressRefusal};
use crate::webhooks::signature;

impl From<AddressRefusal> for AppError {
    fn from(refusal: AddressRefusal) -> Self {
        AppError::Invalid(match refusal {
            AddressRefusal::Private => InputProblem::WebhookAddress,
            AddressRefusal::NotHttps | AddressRefusal::Unresolvable => InputProblem::WebhookUrl,
        })
    }
}

#[async_trait]
impl WebhookBackend for Services {
    async fn webhook_endpoints(
        &self,
        user: &UserId,
        organization: &OrganizationId,
    ) -> Result<Vec<WebhookEndpointSummary>, AppError> {
        self.require_admin(user, organization).await?;
        Ok(self.store.webhook_endpoints(organization).await?)
    }

    async fn create_webhook_endpoint(
        &self,
        user: &UserId,
        organization: &OrganizationId,
        url: &str,
        events: &[WebhookEvent],
    ) -> Result<CreatedWebhookEndpoint, AppError> {
        self.require_admin(user, organization).await?;
        if url.chars().count() > MAX_WEBHOOK_URL_CHARS {
            return Err(AppError::Invalid(InputProblem::WebhookUrl));
        }
        let parsed = address::parse(url)?;
        let mut events = events.to_vec();
        events.sort();
        events.dedup();
        if events.is_empty() {
            return Err(AppError::Invalid(InputProblem::WebhookEvents));
        }
        address::resolve(&parsed, self.config.webhook_allow_private).await?;
        let id = WebhookEndpointId::parse(&format!("whe-{}", &new_token()[..16]))
            .map_err(|_| AppError::Internal)?;
        let secret = signature::new_secret();
        let inserted = self
            .store
            .insert_webhook_endpoint(
                NewWebhookEndpoint {
                    id: &id,
                    organization,
                    creator: user,
                    url: parsed.as_str(),
                    events: &events,
                    sealed_secret: &self.links.seal(&secret),
                    created_at: now_ms(),
                },
                MAX_WEBHOOK_ENDPOINTS as i64,
            )
            .await?;
        if !inserted {
            return Err(AppError::WebhookLimit);
        }
        tracing::info!(endpoint = %id, %organization, "webhook endpoint added");
        Ok(CreatedWebhookEndpoint { id, secret })
    }

    async fn delete_webhook_endpoint(
        &self,
        user: &UserId,
        organization: &OrganizationId,
        endpoint: &WebhookEndpointId,
    ) -> Result<(), AppError> {
        self.require_admin(user, organization).await?;
        if self
            .store
            .delete_webhook_endpoint(organization, endpoint, now_ms())
            .await?
        {
            tracing::info!(%endpoint, %organization, "webhook endpoint removed");
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }

    async fn webhook_deliveries(
        &self,
        user: &UserId,
        organization: &OrganizationId,
    ) -> Result<Vec<WebhookDelivery>, AppError> {
        self.require_admin(user, organization).await?;
        Ok(self.store.webhook_deliveries(organization).await?)
    }

    async fn resend_webhook(
        &self,
        user: &UserId,
        organization: &OrganizationId,
        endpoint: &WebhookEndpointId,
        event_id: &str,
    ) -> Result<(), AppError> {
        self.require_admin(user, organization).await?;
        // The server writes event ids without control characters, and PostgreSQL refuses
        // a NUL in text: such an id names no delivery.
        if event_id.chars().any(char::is_control) {
            return Err(AppError::NotFound);
        }
        if self
            .store
            .resend_webhook(organization, endpoint, event_id, now_ms())
            .await?
        {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }
}
