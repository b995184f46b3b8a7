//! The one error type of every server function, and its translation for people.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};
use transfer_rules::{ReceiptRefusal, TransferRefusal, TransferStateRefusal};

/// What went wrong, as the browser may know it. Internal details never travel:
/// they are logged on the server and arrive here as `Internal`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("not logged in")]
    Unauthorized,
    #[error("wrong email or password")]
    BadCredentials,
    #[error("too many attempts")]
    Throttled,
    /// The caller created as many Organizations as a day allows.
    #[error("too many Organizations created recently")]
    OrganizationLimit,
    /// The caller, or their Organization, emailed as many links as an hour allows.
    #[error("too many emails sent recently")]
    EmailLimit,
    /// The Organization holds as many active API tokens as it may.
    #[error("too many API tokens")]
    TokenLimit,
    /// The Organization has as many webhook endpoints as it may.
    #[error("too many webhook endpoints")]
    WebhookLimit,
    /// An API token made more requests than its window allows.
    #[error("rate limited")]
    RateLimited { retry_after_secs: u32 },
    /// The server is at capacity for this kind of work; try again in a moment.
    #[error("server busy")]
    Busy,
    /// Also the answer for things that exist but belong to someone else.
    #[error("not found")]
    NotFound,
    #[error("not allowed")]
    Forbidden,
    #[error("invalid input: {0:?}")]
    Invalid(InputProblem),
    #[error("the general conditions were not accepted")]
    ConditionsNotAccepted,
    #[error("transfer refused: {0}")]
    TransferRefused(TransferRefusal),
    #[error("receipt refused: {0}")]
    ReceiptRefused(ReceiptRefusal),
    #[error("transfer closed: {0}")]
    TransferClosed(TransferStateRefusal),
    /// Unknown, used, cancelled, declined or expired: the link tells nothing more.
    #[error("transfer link unavailable")]
    LinkUnavailable,
    #[error("internal error")]
    Internal,
    #[error("request failed: {0}")]
    Transport(String),
}

/// Input the server refused, by field, so the UI can say it in the user's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum InputProblem {
    Email,
    Password,
    Identifier,
    OrganizationName,
    Language,
    TokenName,
    TokenScopes,
    TokenLifetime,
    /// Not an HTTPS URL a receiver could answer at.
    WebhookUrl,
    /// The URL's host is on a private, loopback or link-local network.
    WebhookAddress,
    WebhookEvents,
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }
}

impl AppError {
    /// The HTTP status a server function answers with: server_fn says 500 for every
    /// error, which would make each wrong password look like an outage.
    pub fn http_status(&self) -> u16 {
        match self {
            AppError::Unauthorized | AppError::BadCredentials => 401,
            AppError::Forbidden => 403,
            AppError::NotFound | AppError::LinkUnavailable => 404,
            AppError::TransferClosed(_) => 409,
            AppError::Invalid(_) | AppError::Transport(_) => 400,
            AppError::ConditionsNotAccepted
            | AppError::TransferRefused(_)
            | AppError::ReceiptRefused(_) => 422,
            AppError::Throttled
            | AppError::OrganizationLimit
            | AppError::EmailLimit
            | AppError::TokenLimit
            | AppError::WebhookLimit
            | AppError::RateLimited { .. } => 429,
            AppError::Busy => 503,
            AppError::Internal => 500,
        }
    }
}
