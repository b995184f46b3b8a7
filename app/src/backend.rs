//! The server side of the API, as the server functions see it: one trait the server
//! binary implements over its database, reached through context. Server-function bodies
//! stay thin: they find the caller, then delegate here.

use std::sync::Arc;

use async_trait::async_trait;
use http::request::Parts;
use leptos::prelude::*;
use transfer_rules::{OrganizationId, ProductId, ProductRef, UserId};

pub use crate::api_tokens::ApiTokenBackend;
use crate::billing::InvoiceSummary;
use crate::error::AppError;
use crate::members::MemberSummary;
use crate::paging::{Page, PageRequest};
use crate::products::{ProductDetail, ProductFilter};
use crate::session::{DemoHints, LoggedIn, Me, SESSION_COOKIE};
use crate::shell::ORGANIZATION_COOKIE;
pub use crate::transfers::api::TransferBackend;
pub use crate::webhooks::WebhookBackend;

/// Everything the server functions need from the server.
pub trait Backend: AccountBackend + TransferBackend + ApiTokenBackend + WebhookBackend {}

impl<T: AccountBackend + TransferBackend + ApiTokenBackend + WebhookBackend> Backend for T {}

#[async_trait]
pub trait AccountBackend: Send + Sync + 'static {
    /// The user a session token belongs to, if the session is still valid.
    async fn authenticate(&self, session_token: &str) -> Result<Option<UserId>, AppError>;
    /// Opens a session; `client` identifies the caller's address for throttling.
    async fn login(&self, email: &str, password: &str, client: &str) -> Result<LoggedIn, AppError>;
    async fn logout(&self, session_token: &str) -> Result<(), AppError>;
    /// The `Set-Cookie` value carrying a session token (empty token: clear it).
    fn session_cookie(&self, session_token: &str) -> String;
    fn demo_hints(&self) -> Option<DemoHints>;

    async fn me(&self, user: &UserId, preferred: Option<OrganizationId>) -> Result<Me, AppError>;
    /// Refuses a code that is not one of the Manager's languages.
    async fn save_language(&self, user: &UserId, language: &str) -> Result<(), AppError>;
    async fn products(
        &self,
        user: &UserId,
        organization: &OrganizationId,
        filter: &ProductFilter,
        page: PageRequest,
    ) -> Result<Page<ProductRef>, AppError>;
    async fn product(&self, user: &UserId, product: &ProductId) -> Result<ProductDetail, AppError>;
    async fn members(
        &self,
        user: &UserId,
        organization: &OrganizationId,
        page: PageRequest,
    ) -> Result<Page<MemberSummary>, AppError>;
    async fn invoices(
        &self,
        user: &UserId,
        organization: &OrganizationId,
        page: PageRequest,
    ) -> Result<Page<InvoiceSummary>, AppError>;
}

pub type SharedBackend = Arc<dyn Backend>;

pub fn backend() -> SharedBackend {
    expect_context::<SharedBackend>()
}

/// The value of one cookie of a request.
pub fn cookie_value(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_string())
}

fn request_parts() -> Result<Parts, AppError> {
    use_context::<Parts>().ok_or(AppError::Internal)
}

/// The authenticated user behind the current request, or `Unauthorized`.
pub async fn caller() -> Result<(SharedBackend, UserId), AppError> {
    let parts = request_parts()?;
    let backend = backend();
    let (_, user) = session_user(backend.as_ref(), &parts.headers).await?;
    Ok((backend, user))
}

/// The session token a request carries and its user, or `Unauthorized`.
pub async fn session_user(
    backend: &dyn Backend,
    headers: &http::HeaderMap,
) -> Result<(String, UserId), AppError> {
    let token = cookie_value(headers, SESSION_COOKIE).ok_or(AppError::Unauthorized)?;
    let user = backend
        .authenticate(&token)
        .await?
        .ok_or(AppError::Unauthorized)?;
    Ok((token, user))
}

pub fn session_token() -> Option<String> {
    request_parts()
        .ok()
        .and_then(|parts| cookie_value(&parts.headers, SESSION_COOKIE))
}

pub fn preferred_organization() -> Option<OrganizationId> {
    request_parts()
        .ok()
        .and_then(|parts| cookie_value(&parts.headers, ORGANIZATION_COOKIE))
        .and_then(|value| OrganizationId::parse(&value).ok())
}

/// The client's address as the server saw it, for throttling.
pub fn client_address() -> String {
    request_parts()
        .ok()
        .and_then(|parts| {
            parts
                .extensions
                .get::<ClientAddress>()
                .map(|address| address.0.clone())
        })
        .unwrap_or_else(|| "unknown".to_string())
}

/// The client's address, inserted into request extensions by the server.
#[derive(Clone, Debug)]
pub struct ClientAddress(pub String);
