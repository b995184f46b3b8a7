//! The transfer API: wire types and server functions. Every body finds the caller and
//! delegates to the server's `TransferBackend`, which checks rights and applies the rules.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

use transfer_rules::{
    NotTransferable, OrganizationId, ProductId, ProductKind, Timestamp, TransferEventKind,
    TransferId, TransferStatus, Warnings,
};

use crate::error::AppError;
use crate::paging::Page;
#[cfg(feature = "ssr")]
use crate::paging::PageRequest;
use crate::session::Membership;

/// The version of the general conditions both parties accept; recorded with each acceptance.
pub const CONDITIONS_VERSION: &str = "2026-04-14";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Direction {
    Outgoing,
    Incoming,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferSummary {
    pub id: TransferId,
    pub direction: Direction,
    /// As people should see it: a pending transfer past its expiry reads `Expired`.
    pub status: TransferStatus,
    pub other_organization: Option<String>,
    /// The first few products, by name; `product_count` says how many there are.
    pub products: Vec<String>,
    pub product_count: u64,
    pub created_at: Timestamp,
    pub closed_at: Option<Timestamp>,
}

/// Which transfers a list shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TransferFilter {
    InProgress,
    Completed,
    #[default]
    All,
}

impl TransferFilter {
    pub const ALL: [Self; 3] = [Self::InProgress, Self::Completed, Self::All];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::InProgress => "in_progress",
            Self::Completed => "completed",
            Self::All => "all",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|filter| filter.as_str() == code)
    }
}

/// A transfer as its sender knows it (by id) or as a link's holder does (by token).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TransferKey {
    Id(TransferId),
    Link(String),
}

/// A product the wizard offers, with why it cannot move when it cannot.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductChoice {
    pub id: ProductId,
    pub name: Arc<str>,
    pub kind: ProductKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked: Option<NotTransferable>,
}

/// How many products of each kind a transfer holds.
pub type KindCounts = Vec<(ProductKind, u64)>;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrozenProduct {
    pub id: ProductId,
    pub name: String,
    pub kind: ProductKind,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferEvent {
    pub kind: TransferEventKind,
    pub actor: Option<String>,
    pub organization: Option<String>,
    pub detail: Option<String>,
    pub at: Timestamp,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferDetail {
    pub id: TransferId,
    pub status: TransferStatus,
    pub source: OrganizationId,
    pub source_name: String,
    pub destination: Option<OrganizationId>,
    pub destination_name: Option<String>,
    pub kinds: KindCounts,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub closed_at: Option<Timestamp>,
    pub events: Vec<TransferEvent>,
    /// The link, for the source's administrators while the transfer is in progress.
    pub link: Option<String>,
    /// Other Organizations of the caller where they may receive.
    pub direct_destinations: Vec<Membership>,
    /// Whether the caller accepted the general conditions when starting the transfer: a
    /// direct move asks anyone else to accept them first. False where none is offered.
    pub conditions_accepted: bool,
    pub can_cancel: bool,
}

/// What the receive page shows: enough to decide, nothing that was not meant to be shared.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkView {
    pub source_name: String,
    /// With `source_since`, what tells the real sender from one with a look-alike name.
    pub source: OrganizationId,
    /// When the sending Organization was created.
    pub source_since: Timestamp,
    /// The products themselves and the warnings come a page at a time, by the link.
    pub kinds: KindCounts,
    pub expires_at: Timestamp,
    /// Where the caller may receive (never the source).
    pub destinations: Vec<Membership>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Received {
    pub transfer: TransferId,
    pub destination: OrganizationId,
}

#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait TransferBackend: Send + Sync + 'static {
    async fn transfers(
        &self,
        user: &transfer_rules::UserId,
        organization: &OrganizationId,
        filter: TransferFilter,
        product_name: &str,
        page: PageRequest,
    ) -> Result<Page<TransferSummary>, AppError>;
    async fn transfers_in_progress(
        &self,
        user: &transfer_rules::UserId,
        organization: &OrganizationId,
    ) -> Result<u32, AppError>;
    async fn product_choices(
        &self,
        user: &transfer_rules::UserId,
        organization: &OrganizationId,
    ) -> Result<Vec<ProductChoice>, AppError>;
    /// What starting a transfer of `products` would change, or why it cannot start.
    async fn preview_transfer(
        &self,
        user: &transfer_rules::UserId,
        organization: &OrganizationId,
        products: &[ProductId],
    ) -> Result<Warnings, AppError>;
    async fn start_transfer(
        &self,
        user: &transfer_rules::UserId,
        organization: &OrganizationId,
        products: &[ProductId],
    ) -> Result<TransferId, AppError>;
    async fn transfer(
        &self,
        user: &transfer_rules::UserId,
        transfer: &TransferId,
    ) -> Result<TransferDetail, AppError>;
    async fn transfer_products(
        &self,
        user: &transfer_rules::UserId,
        key: &TransferKey,
        client: &str,
        page: PageRequest,
    ) -> Result<Page<FrozenProduct>, AppError>;
    /// What receiving an open transfer changes, as of now.
    async fn transfer_warnings(
        &self,
        user: &transfer_rules::UserId,
        key: &TransferKey,
        client: &str,
    ) -> Result<Warnings, AppError>;
    async fn cancel_transfer(
        &self,
        user: &transfer_rules::UserId,
        transfer: &TransferId,
    ) -> Result<(), AppError>;
    /// `language`: the email's language when the address is not a user's who chose one.
    async fn email_link(
        &self,
        user: &transfer_rules::UserId,
        transfer: &TransferId,
        email: &str,
        language: Option<&str>,
    ) -> Result<(), AppError>;
    /// `accepted_conditions`: ticked on this page. The one who started the transfer accepted
    /// them then; anyone else must here, or their receipt would be recorded unseen.
    async fn transfer_directly(
        &self,
        user: &transfer_rules::UserId,
        transfer: &TransferId,
        destination: &OrganizationId,
        accepted_conditions: bool,
    ) -> Result<Received, AppError>;
    async fn open_link(
        &self,
        user: &transfer_rules::UserId,
        token: &str,
        client: &str,
    ) -> Result<LinkView, AppError>;
    async fn receive(
        &self,
        user: &transfer_rules::UserId,
        token: &str,
        destination: &OrganizationId,
        client: &str,
    ) -> Result<Received, AppError>;
    async fn decline(
        &self,
        user: &transfer_rules::UserId,
        token: &str,
        client: &str,
    ) -> Result<(), AppError>;
    async fn create_organization(
        &self,
        user: &transfer_rules::UserId,
        name: &str,
    ) -> Result<Membership, AppError>;
}

#[cfg(feature = "ssr")]
fn require_conditions(accepted: bool) -> Result<(), AppError> {
    if accepted {
        Ok(())
    } else {
        Err(AppError::ConditionsNotAccepted)
    }
}

/// Searches match a product name; longer texts are cut to this many characters.
pub const MAX_SEARCH_CHARS: usize = 100;

/// Control characters are dropped: no name holds one, and PostgreSQL refuses a NUL in text.
#[cfg(feature = "ssr")]
pub fn search_text(search: Option<String>) -> String {
    search
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_control())
        .collect::<String>()
        .trim()
        .chars()
        .take(MAX_SEARCH_CHARS)
        .collect()
}

#[server(endpoint = "list_transfers")]
pub async fn list_transfers(
    organization: OrganizationId,
    search: Option<String>,
    status: Option<TransferFilter>,
    page: Option<u32>,
    size: Option<u32>,
) -> Result<Page<TransferSummary>, AppError> {
    let (backend, user) = crate::backend::caller().await?;
    backend
        .transfers(
            &user,
            &organization,
            status.unwrap_or_default(),
            &search_text(search),
            PageRequest::new(page, size),
        )
        .await
}

#[server(endpoint = "count_transfers_in_progress")]
pub async fn count_transfers_in_progress(organization: OrganizationId) -> Result<u32, AppError> {
    let (backend, user) = crate::backend::caller().await?;
    backend.transfers_in_progress(&user, &organization).await
}

/// Every product of the Organization, for the wizard to filter and select in the browser:
/// names and kinds only, never who has access to what.
#[server(endpoint = "list_product_choices")]
pub async fn list_product_choices(
    organization: OrganizationId,
) -> Result<Vec<ProductChoice>, AppError> {
    let (backend, user) = crate::backend::caller().await?;
    backend.product_choices(&user, &organization).await
}

/// JSON: a selection can hold thousands of products.
#[server(endpoint = "preview_transfer", input = Json)]
pub async fn preview_transfer(
    organization: OrganizationId,
    products: Vec<ProductId>,
) -> Result<Warnings, AppError> {
    let (backend, user) = crate::backend::caller().await?;
    backend
        .preview_transfer(&user, &organization, &products)
        .await
}

#[server(endpoint = "list_transfer_products", input = Json)]
pub async fn list_transfer_products(
    transfer: TransferKey,
    page: Option<u32>,
    size: Option<u32>,
) -> Result<Page<FrozenProduct>, AppError> {
    let (backend, user) = crate::backend::caller().await?;
    backend
        .transfer_products(
            &user,
            &transfer,
            &crate::backend::client_address(),
            PageRequest::new(page, size),
        )
        .await
}

#[server(endpoint = "get_transfer_warnings", input = Json)]
pub async fn get_transfer_warnings(transfer: TransferKey) -> Result<Warnings, AppError> {
    let (backend, user) = crate::backend::caller().await?;
    backend
        .transfer_warnings(&user, &transfer, &crate::backend::client_address())
        .await
}

/// JSON: a selection can hold thousands of products.
#[server(endpoint = "start_transfer", input = Json)]
pub async fn start_transfer(
    organization: OrganizationId,
    products: Vec<ProductId>,
    accepted_conditions: bool,
) -> Result<TransferId, AppError> {
    let (backend, user) = crate::backend::caller().await?;
    require_conditions(accepted_conditions)?;
    backend
        .start_transfer(&user, &organization, &products)
        .await
}

#[server(endpoint = "get_transfer")]
pub async fn get_transfer(transfer: TransferId) -> Result<TransferDetail, AppError> {
    let (backend, user) = crate::backend::caller().await?;
    backend.transfer(&user, &transfer).await
}

#[server(endpoint = "cancel_transfer")]
pub async fn cancel_transfer(transfer: TransferId) -> Result<(), AppError> {
    let (backend, user) = crate::backend::caller().await?;
    backend.cancel_transfer(&user, &transfer).await
}

#[server(endpoint = "email_transfer_link")]
pub async fn email_transfer_link(
    transfer: TransferId,
    email: String,
    language: Option<String>,
) -> Result<(), AppError> {
    let (backend, user) = crate::backend::caller().await?;
    backend
        .email_link(&user, &transfer, email.trim(), language.as_deref())
        .await
}

#[server(endpoint = "transfer_to_organization")]
pub async fn transfer_to_organization(
    transfer: TransferId,
    destination: OrganizationId,
    accepted_conditions: bool,
) -> Result<Received, AppError> {
    let (backend, user) = crate::backend::caller().await?;
    backend
        .transfer_directly(&user, &transfer, &destination, accepted_conditions)
        .await
}

#[server(endpoint = "open_transfer_link")]
pub async fn open_transfer_link(token: String) -> Result<LinkView, AppError> {
    let (backend, user) = crate::backend::caller().await?;
    backend
        .open_link(&user, &token, &crate::backend::client_address())
        .await
}

#[server(endpoint = "receive_transfer")]
pub async fn receive_transfer(
    token: String,
    destination: OrganizationId,
    accepted_conditions: bool,
) -> Result<Received, AppError> {
    let (backend, user) = crate::backend::caller().await?;
    require_conditions(accepted_conditions)?;
    backend
        .receive(
            &user,
            &token,
            &destination,
            &crate::backend::client_address(),
        )
        .await
}

#[server(endpoint = "decline_transfer")]
pub async fn decline_transfer(token: String) -> Result<(), AppError> {
    let (backend, user) = crate::backend::caller().await?;
    backend
        .decline(&user, &token, &crate::backend::client_address())
        .await
}

#[server(endpoint = "create_organization")]
pub async fn create_organization(name: String) -> Result<Membership, AppError> {
    let (backend, user) = crate::backend::caller().await?;
    backend.create_organization(&user, name.trim()).await
}
