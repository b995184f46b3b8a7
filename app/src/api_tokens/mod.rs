//! API tokens of the current Organization: created, listed and revoked by its
//! Administrators and Legal representatives, for scripts calling `/api/v1`.

mod page;

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};
use transfer_rules::{ApiScope, ApiTokenId, OrganizationId, Timestamp};

use crate::error::AppError;

pub use page::ApiTokensPage;

/// A token as its Organization's list shows it: never its secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiTokenSummary {
    pub id: ApiTokenId,
    pub name: String,
    pub scopes: Vec<ApiScope>,
    pub creator: String,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
    /// Neither revoked nor expired, as of the server's clock.
    pub active: bool,
}

/// A token just created: the only time its secret is shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedApiToken {
    pub id: ApiTokenId,
    pub secret: String,
}

/// The lifetimes the page offers, in days.
pub const LIFETIMES: [u32; 4] = [7, 30, 90, 365];

/// A token name is what its list shows; longer names are refused.
pub const MAX_TOKEN_NAME_CHARS: usize = 100;

#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait ApiTokenBackend: Send + Sync + 'static {
    /// The Organization's most recent tokens, revoked ones included (bounded).
    async fn api_tokens(
        &self,
        user: &transfer_rules::UserId,
        organization: &OrganizationId,
    ) -> Result<Vec<ApiTokenSummary>, AppError>;
    async fn create_api_token(
        &self,
        user: &transfer_rules::UserId,
        organization: &OrganizationId,
        name: &str,
        scopes: &[ApiScope],
        days: u32,
    ) -> Result<CreatedApiToken, AppError>;
    async fn revoke_api_token(
        &self,
        user: &transfer_rules::UserId,
        organization: &OrganizationId,
        token: &ApiTokenId,
    ) -> Result<(), AppError>;
}

#[server(endpoint = "list_api_tokens")]
pub async fn list_api_tokens(
    organization: OrganizationId,
) -> Result<Vec<ApiTokenSummary>, AppError> {
    let (backend, user) = crate::backend::caller().await?;
    backend.api_tokens(&user, &organization).await
}

#[server(endpoint = "create_api_token", input = Json)]
pub async fn create_api_token(
    organization: OrganizationId,
    name: String,
    scopes: Vec<ApiScope>,
    days: u32,
) -> Result<CreatedApiToken, AppError> {
    let (backend, user) = crate::backend::caller().await?;
    backend
        .create_api_token(&user, &organization, name.trim(), &scopes, days)
        .await
}

#[server(endpoint = "revoke_api_token")]
pub async fn revoke_api_token(
    organization: OrganizationId,
    token: ApiTokenId,
) -> Result<(), AppError> {
    let (backend, user) = crate::backend::caller().await?;
    backend.revoke_api_token(&user, &organization, &token).await
}
