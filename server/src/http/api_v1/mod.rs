//! `/api/v1`: the versioned JSON API for scripts, authenticated by API tokens
//! (`Authorization: Bearer`), never by cookies. Every call goes through the same services
//! as the pages; this layer only reads requests, confines each token to its Organization,
//! and writes answers (errors as RFC 9457 problems).

mod idempotency;
mod models;
mod problem;

use app::backend::{AccountBackend as _, ClientAddress, TransferBackend as _};
use app::error::{AppError, InputProblem};
use app::paging::PageRequest;
use app::products::ProductFilter;
use app::transfers::api::{search_text, TransferDetail, TransferFilter};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use axum::{Extension, Json, Router};
use serde::de::DeserializeOwned;
use transfer_rules::{ApiScope, OrganizationId, ProductId, ProductKind, TransferId};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use self::idempotency::Answer;
use self::models::*;
use self::problem::{ApiError, Problem};
use super::AppState;
use crate::services::ApiCaller;

pub const PREFIX: &str = "/api/v1/";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Manager API",
        version = "1",
        description = "Move products between Organizations from scripts. Authenticate with an API token of the Organization (`Authorization: Bearer mgr_…`), created on its API tokens page. Errors are RFC 9457 problems (`application/problem+json`). Calls that create something accept an `Idempotency-Key` header."
    ),
    modifiers(&BearerTokens),
    components(schemas(Problem))
)]
struct ApiDoc;

struct BearerTokens;

impl Modify for BearerTokens {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme(
                "bearer",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
    }
}

/// The API's routes and the OpenAPI document describing exactly them.
pub fn router() -> Router<AppState> {
    let (router, document) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(list_products))
        .routes(routes!(list_transfers, start_transfer))
        .routes(routes!(get_transfer))
        .routes(routes!(cancel_transfer))
        .routes(routes!(email_link))
        .routes(routes!(move_transfer))
        .routes(routes!(read_link))
        .routes(routes!(receive_link))
        .routes(routes!(decline_link))
        .split_for_parts();
    let document = serde_json::to_value(document).unwrap_or_default();
    router.route(
        "/api/v1/openapi.json",
        axum::routing::get(move || async move { Json(document) }),
    )
}

/// The secret of an `Authorization: Bearer` header.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, secret) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| secret.trim())
        .filter(|secret| !secret.is_empty())
}

async fn authorize(
    state: &AppState,
    headers: &HeaderMap,
    scope: ApiScope,
) -> Result<ApiCaller, ApiError> {
    let secret = bearer(headers).ok_or(AppError::Unauthorized)?;
    Ok(state.services.api_caller(secret, scope).await?)
}

fn body<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(bytes).map_err(|error| ApiError::BadRequest(error.to_string()))
}

fn transfer_id(raw: &str) -> Result<TransferId, ApiError> {
    TransferId::parse(raw).map_err(|_| AppError::Invalid(InputProblem::Identifier).into())
}

/// The token at the end of a transfer link; a bare token is its own.
fn link_token(link: &str) -> &str {
    let link = link.trim();
    let link = link.split(['?', '#']).next().unwrap_or(link);
    link.rsplit_once("/receive/")
        .map_or(link, |(_, token)| token)
}

fn client(address: &Option<Extension<ClientAddress>>) -> String {
    address
        .as_ref()
        .map_or_else(|| "unknown".into(), |address| address.0 .0.clone())
}

fn created(value: impl serde::Serialize) -> Answer {
    Ok((StatusCode::CREATED, serde_json::json!(value)))
}

/// A transfer the token's Organization sent or received; any other answers like a
/// missing one. The link and the sender's actions show only to the source.
async fn visible_transfer(
    state: &AppState,
    caller: &ApiCaller,
    id: &TransferId,
) -> Result<TransferDetail, ApiError> {
    let mut detail = state.services.transfer(&caller.user, id).await?;
    if detail.source == caller.organization {
        return Ok(detail);
    }
    if detail.destination.as_ref() != Some(&caller.organization) {
        return Err(AppError::NotFound.into());
    }
    detail.link = None;
    detail.can_cancel = false;
    detail.direct_destinations.clear();
    Ok(detail)
}

/// A transfer the token's Organization sent, for the sender's actions.
async fn sent_transfer(
    state: &AppState,
    caller: &ApiCaller,
    raw: &str,
) -> Result<TransferId, ApiError> {
    let id = transfer_id(raw)?;
    let detail = visible_transfer(state, caller, &id).await?;
    if detail.source == caller.organization {
        Ok(id)
    } else {
        Err(AppError::NotFound.into())
    }
}

/// Lists the Organization's products.
#[utoipa::path(get, path = "/api/v1/products", tag = "products",
    params(ProductQuery),
    responses(
        (status = 200, description = "A page of products", body = Paged<Product>),
        (status = "4XX", description = "Refused", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = ["products:read"])))]
async fn list_products(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<ProductQuery>,
) -> Result<Json<Paged<Product>>, ApiError> {
    let caller = authorize(&state, &headers, ApiScope::ProductsRead).await?;
    let kind = match query.kind.as_deref() {
        None | Some("") => None,
        Some(code) => Some(
            ProductKind::parse(code)
                .map_err(|_| ApiError::BadRequest(format!("unknown product kind {code:?}")))?,
        ),
    };
    let filter = ProductFilter {
        search: search_text(query.search),
        kind,
    };
    let page = state
        .services
        .products(
            &caller.user,
            &caller.organization,
            &filter,
            PageRequest::new(query.page, query.size),
        )
        .await?;
    Ok(Json(Paged::from_page(page, Product::from)))
}

/// Lists the Organization's transfers, sent and received, newest first.
#[utoipa::path(get, path = "/api/v1/transfers", tag = "transfers",
    params(TransferQuery),
    responses(
        (status = 200, description = "A page of transfers", body = Paged<TransferListItem>),
        (status = "4XX", description = "Refused", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = ["transfers:read"])))]
async fn list_transfers(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<TransferQuery>,
) -> Result<Json<Paged<TransferListItem>>, ApiError> {
    let caller = authorize(&state, &headers, ApiScope::TransfersRead).await?;
    let status = match query.status.as_deref() {
        None | Some("") => TransferFilter::All,
        Some(code) => TransferFilter::parse(code)
            .ok_or_else(|| ApiError::BadRequest(format!("unknown status filter {code:?}")))?,
    };
    let page = state
        .services
        .transfers(
            &caller.user,
            &caller.organization,
            status,
            &search_text(query.search),
            PageRequest::new(query.page, query.size),
        )
        .await?;
    Ok(Json(Paged::from_page(page, TransferListItem::from)))
}

/// Starts a transfer of some of the Organization's products; its link is in the answer.
#[utoipa::path(post, path = "/api/v1/transfers", tag = "transfers",
    request_body = StartTransfer,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key and body start one transfer")),
    responses(
        (status = 201, description = "The transfer, with its link", body = Transfer),
        (status = "4XX", description = "Refused", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = ["transfers:send"])))]
async fn start_transfer(
    State(state): State<AppState>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let caller = authorize(&state, &headers, ApiScope::TransfersSend).await?;
    let request: StartTransfer = body(&bytes)?;
    let products = request
        .products
        .iter()
        .map(|id| ProductId::parse(id))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| AppError::Invalid(InputProblem::Identifier))?;
    let services = &state.services;
    Ok(idempotency::once(
        services,
        &caller,
        &headers,
        "POST /transfers",
        &bytes,
        || async {
            if !request.accept_conditions {
                return Err(AppError::ConditionsNotAccepted.into());
            }
            let id = services
                .start_transfer(&caller.user, &caller.organization, &products)
                .await?;
            created(Transfer::from(
                visible_transfer(&state, &caller, &id).await?,
            ))
        },
    )
    .await)
}

/// One transfer the Organization sent or received, with its history.
#[utoipa::path(get, path = "/api/v1/transfers/{id}", tag = "transfers",
    params(("id" = String, Path, description = "The transfer's id")),
    responses(
        (status = 200, description = "The transfer", body = Transfer),
        (status = "4XX", description = "Refused", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = ["transfers:read"])))]
async fn get_transfer(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Transfer>, ApiError> {
    let caller = authorize(&state, &headers, ApiScope::TransfersRead).await?;
    let detail = visible_transfer(&state, &caller, &transfer_id(&id)?).await?;
    Ok(Json(detail.into()))
}

/// Cancels a transfer in progress; its link stops working.
#[utoipa::path(post, path = "/api/v1/transfers/{id}/cancel", tag = "transfers",
    params(("id" = String, Path, description = "The transfer's id")),
    responses(
        (status = 200, description = "The cancelled transfer", body = Transfer),
        (status = "4XX", description = "Refused", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = ["transfers:send"])))]
async fn cancel_transfer(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Transfer>, ApiError> {
    let caller = authorize(&state, &headers, ApiScope::TransfersSend).await?;
    let id = sent_transfer(&state, &caller, &id).await?;
    state.services.cancel_transfer(&caller.user, &id).await?;
    Ok(Json(visible_transfer(&state, &caller, &id).await?.into()))
}

/// Emails the transfer link to an address.
#[utoipa::path(post, path = "/api/v1/transfers/{id}/email", tag = "transfers",
    params(
        ("id" = String, Path, description = "The transfer's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key and body send one email"),
    ),
    request_body = EmailLink,
    responses(
        (status = 202, description = "The email is on its way"),
        (status = "4XX", description = "Refused", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = ["transfers:send"])))]
async fn email_link(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let caller = authorize(&state, &headers, ApiScope::TransfersSend).await?;
    let id = sent_transfer(&state, &caller, &id).await?;
    let request: EmailLink = body(&bytes)?;
    let path = format!("POST /transfers/{id}/email");
    let services = &state.services;
    Ok(
        idempotency::once(services, &caller, &headers, &path, &bytes, || async {
            services
                .email_link(
                    &caller.user,
                    &id,
                    request.email.trim(),
                    request.language.as_deref(),
                )
                .await?;
            Ok((StatusCode::ACCEPTED, serde_json::json!({})))
        })
        .await,
    )
}

/// Moves the products straight into another Organization of the token's creator.
#[utoipa::path(post, path = "/api/v1/transfers/{id}/move", tag = "transfers",
    params(("id" = String, Path, description = "The transfer's id")),
    request_body = MoveTransfer,
    responses(
        (status = 200, description = "Received by the destination", body = Receipt),
        (status = "4XX", description = "Refused", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = ["transfers:send"])))]
async fn move_transfer(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Result<Json<Receipt>, ApiError> {
    let caller = authorize(&state, &headers, ApiScope::TransfersSend).await?;
    let id = sent_transfer(&state, &caller, &id).await?;
    let request: MoveTransfer = body(&bytes)?;
    let destination = OrganizationId::parse(&request.destination)
        .map_err(|_| AppError::Invalid(InputProblem::Identifier))?;
    let received = state
        .services
        .transfer_directly(&caller.user, &id, &destination, request.accept_conditions)
        .await?;
    Ok(Json(received.into()))
}

/// What a transfer link offers. The link travels in the body: it is a secret, and
/// URLs end up in logs.
#[utoipa::path(post, path = "/api/v1/links/read", tag = "links",
    request_body = LinkRequest,
    responses(
        (status = 200, description = "The offer", body = Link),
        (status = "4XX", description = "Refused", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = ["transfers:receive"])))]
async fn read_link(
    State(state): State<AppState>,
    headers: HeaderMap,
    address: Option<Extension<ClientAddress>>,
    bytes: Bytes,
) -> Result<Json<Link>, ApiError> {
    let caller = authorize(&state, &headers, ApiScope::TransfersReceive).await?;
    let request: LinkRequest = body(&bytes)?;
    let view = state
        .services
        .open_link(&caller.user, link_token(&request.link), &client(&address))
        .await?;
    let can_receive = view
        .destinations
        .iter()
        .any(|membership| membership.organization == caller.organization);
    Ok(Json(Link::new(view, can_receive)))
}

/// Receives the products of a transfer link into the token's Organization.
#[utoipa::path(post, path = "/api/v1/links/receive", tag = "links",
    request_body = ReceiveLink,
    responses(
        (status = 200, description = "Received", body = Receipt),
        (status = "4XX", description = "Refused", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = ["transfers:receive"])))]
async fn receive_link(
    State(state): State<AppState>,
    headers: HeaderMap,
    address: Option<Extension<ClientAddress>>,
    bytes: Bytes,
) -> Result<Json<Receipt>, ApiError> {
    let caller = authorize(&state, &headers, ApiScope::TransfersReceive).await?;
    let request: ReceiveLink = body(&bytes)?;
    if request
        .organization
        .as_ref()
        .is_some_and(|named| named != caller.organization.as_str())
    {
        return Err(ApiError::OtherOrganization);
    }
    if !request.accept_conditions {
        return Err(AppError::ConditionsNotAccepted.into());
    }
    let received = state
        .services
        .receive(
            &caller.user,
            link_token(&request.link),
            &caller.organization,
            &client(&address),
        )
        .await?;
    Ok(Json(received.into()))
}

/// Declines a transfer link: the sender is told, and the link stops working.
#[utoipa::path(post, path = "/api/v1/links/decline", tag = "links",
    request_body = LinkRequest,
    responses(
        (status = 204, description = "Declined"),
        (status = "4XX", description = "Refused", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = ["transfers:receive"])))]
async fn decline_link(
    State(state): State<AppState>,
    headers: HeaderMap,
    address: Option<Extension<ClientAddress>>,
    bytes: Bytes,
) -> Result<StatusCode, ApiError> {
    let caller = authorize(&state, &headers, ApiScope::TransfersReceive).await?;
    let request: LinkRequest = body(&bytes)?;
    state
        .services
        .decline(&caller.user, link_token(&request.link), &client(&address))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
