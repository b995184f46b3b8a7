//! The API's errors, written once as RFC 9457 problem details.

use app::error::{AppError, InputProblem};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use transfer_rules::{ReceiptRefusal, TransferRefusal};
use utoipa::ToSchema;

/// Everything an `/api/v1` call can refuse or fail with.
#[derive(Debug)]
pub enum ApiError {
    App(AppError),
    /// The request's body or query could not be read.
    BadRequest(String),
    /// An idempotency key already used for a different request.
    KeyReused,
    /// An idempotency key whose first request is still running.
    KeyInUse,
    /// The request names an Organization the token does not act for.
    OtherOrganization,
}

impl From<AppError> for ApiError {
    fn from(error: AppError) -> Self {
        ApiError::App(error)
    }
}

/// An RFC 9457 problem: `type` names the problem for programs, `code` is the same in
/// short, `title` and `detail` are for people.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    pub code: String,
}

pub const PROBLEM_JSON: &str = "application/problem+json";

impl ApiError {
    fn parts(&self) -> (u16, &'static str, String) {
        match self {
            ApiError::App(error) => (error.http_status(), code(error), error.to_string()),
            ApiError::BadRequest(detail) => (400, "bad_request", detail.clone()),
            ApiError::KeyReused => (
                422,
                "idempotency_key_reused",
                "this Idempotency-Key was already used for a different request".into(),
            ),
            ApiError::OtherOrganization => (
                403,
                "other_organization",
                "this token acts for another Organization".into(),
            ),
            ApiError::KeyInUse => (
                409,
                "idempotency_key_in_use",
                "a request with this Idempotency-Key is still running; retry later".into(),
            ),
        }
    }

    pub fn problem(&self) -> Problem {
        let (status, code, detail) = self.parts();
        Problem {
            kind: format!("/api/v1/problems/{code}"),
            title: StatusCode::from_u16(status)
                .ok()
                .and_then(|status| status.canonical_reason())
                .unwrap_or("Error")
                .to_string(),
            status,
            detail: Some(detail),
            code: code.to_string(),
        }
    }
}

/// A stable code per kind of error, refusals named by their rule.
fn code(error: &AppError) -> &'static str {
    match error {
        AppError::Unauthorized | AppError::BadCredentials => "unauthorized",
        AppError::Forbidden => "forbidden",
        AppError::NotFound => "not_found",
        AppError::LinkUnavailable => "link_unavailable",
        AppError::Throttled | AppError::RateLimited { .. } => "rate_limited",
        AppError::OrganizationLimit => "organization_limit",
        AppError::EmailLimit => "email_limit",
        AppError::TokenLimit => "token_limit",
        AppError::WebhookLimit => "webhook_limit",
        AppError::Busy => "busy",
        AppError::Invalid(problem) => match problem {
            InputProblem::Email => "invalid_email",
            InputProblem::Identifier => "invalid_identifier",
            InputProblem::Language => "invalid_language",
            InputProblem::OrganizationName => "invalid_organization_name",
            InputProblem::Password => "invalid_password",
            InputProblem::TokenName => "invalid_token_name",
            InputProblem::TokenScopes => "invalid_token_scopes",
            InputProblem::TokenLifetime => "invalid_token_lifetime",
            InputProblem::WebhookUrl => "invalid_webhook_url",
            InputProblem::WebhookAddress => "invalid_webhook_address",
            InputProblem::WebhookEvents => "invalid_webhook_events",
        },
        AppError::ConditionsNotAccepted => "conditions_not_accepted",
        AppError::TransferRefused(refusal) => match refusal {
            TransferRefusal::NotAllowed => "not_allowed_to_send",
            TransferRefusal::EmptySelection => "empty_selection",
            TransferRefusal::TooManyProducts { .. } => "too_many_products",
            TransferRefusal::DuplicateProduct { .. } => "duplicate_product",
            TransferRefusal::UnknownProduct { .. } => "unknown_product",
            TransferRefusal::NotTransferable { .. } => "product_not_transferable",
        },
        AppError::ReceiptRefused(refusal) => match refusal {
            ReceiptRefusal::Closed(_) => "transfer_closed",
            ReceiptRefusal::SameOrganization => "same_organization",
            ReceiptRefusal::NotAllowed => "not_allowed_to_receive",
            ReceiptRefusal::ProductMoved { .. } => "product_moved",
            ReceiptRefusal::NotTransferable { .. } => "product_not_transferable",
        },
        AppError::TransferClosed(_) => "transfer_closed",
        AppError::Internal | AppError::Transport(_) => "internal",
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let problem = self.problem();
        let status =
            StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, axum::Json(problem)).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        match self {
            ApiError::App(AppError::RateLimited { retry_after_secs }) => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
            }
            ApiError::App(AppError::Unauthorized) => {
                headers.insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer realm=\"api\""),
                );
            }
            _ => {}
        }
        response
    }
}
