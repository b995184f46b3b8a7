//! The HTTP surface: pages, server functions, static files, and the layers guarding them.

mod api_v1;
mod caching;
mod client;
mod headers;
mod live;
mod logging;

use std::sync::{Arc, LazyLock};

use app::backend::{session_user, SharedBackend};
use app::error::AppError;
use app::{shell, App};
use axum::body::Body;
use axum::extract::{FromRef, Request, State};
use axum::handler::HandlerWithoutStateExt;
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use leptos::prelude::*;
use leptos::server_fn::error::SERVER_FN_ERROR_HEADER;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;

pub use client::client_address;
pub use headers::page_policy;
pub use logging::loggable_path;

use crate::mail::Mailer;
use crate::services::Services;
use crate::store::Store;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub backend: SharedBackend,
    pub services: Arc<Services>,
    pub mailer: Mailer,
    pub webhooks: crate::webhooks::Deliverer,
    pub store: Store,
    pub public_url: String,
    pub trusted_proxies: Arc<Vec<ipnet::IpNet>>,
    /// Set when the server is shutting down: the live streams end, so it can.
    pub stopping: Arc<tokio::sync::watch::Sender<bool>>,
}

/// The app's pages, listed once per process. Leptos lists them by drawing the app with
/// every page's data held back, by a switch shared by the whole process: listed again while
/// another server in the process draws a page, that page would wait for its data forever.
static ROUTES: LazyLock<Vec<AxumRouteListing>> = LazyLock::new(|| generate_route_list(App));

pub fn router(state: AppState) -> Router {
    let routes = ROUTES.clone();
    let backend = state.backend.clone();
    let options = state.leptos_options.clone();
    let context = move || {
        provide_context(backend.clone());
        headers::provide_page_policy();
    };
    let pages = Router::new()
        .route("/healthz", get(healthz))
        .merge(api_v1::router())
        .route(
            app::transfers::live::LIVE_TRANSFERS_PATH,
            get(live::transfer_changes),
        )
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = options.clone();
            move || shell(options.clone())
        });
    files_or_not_found(pages, options, context)
        .layer(middleware::from_fn(error_status))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            require_session,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            reject_cross_site,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            client::record_client_address,
        ))
        .layer(middleware::from_fn(hide_transfer_links))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            headers::security_headers,
        ))
        .layer(middleware::from_fn(caching::cache_control))
        .layer(CompressionLayer::new())
        .layer(logging::trace_layer())
        .with_state(state)
}

/// The site's files, pre-compressed where the build compressed them, and the not-found page
/// for any other address. Not leptos_axum's `file_and_error_handler`: it serves each file
/// under a reactive owner it makes the child of whatever owner the worker thread last ran,
/// which may be a page being drawn at that moment, and hands that page's response headers
/// to the file. A third of the pages drawn beside requests for the favicon went out without
/// their Content-Security-Policy, and the browser then ran none of their scripts.
fn files_or_not_found(
    router: Router<AppState>,
    options: LeptosOptions,
    context: impl Fn() + Clone + Send + Sync + 'static,
) -> Router<AppState> {
    let site_root = options.site_root.to_string();
    let page = leptos_axum::render_app_async_with_context(context, move || shell(options.clone()));
    let not_found = move |request: Request| {
        let page = page.clone();
        async move {
            let mut response = page(request).await;
            if response.status() == StatusCode::OK {
                *response.status_mut() = StatusCode::NOT_FOUND;
            }
            response
        }
    };
    router.fallback_service(
        ServeDir::new(site_root)
            .precompressed_br()
            .precompressed_gzip()
            .append_index_html_on_directories(false)
            .fallback(not_found.into_service()),
    )
}

/// Gives a server function's error its own status (see [`AppError::http_status`]). Error
/// bodies are a small JSON `AppError`; anything else, and the redirect that answers a form
/// posted without JavaScript, is passed on untouched.
async fn error_status(request: Request, next: Next) -> Response {
    const MAX_ERROR_BODY: usize = 64 * 1024;
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key(SERVER_FN_ERROR_HEADER)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_ERROR_BODY).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status =
            StatusCode::from_u16(error.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    }
    Response::from_parts(parts, Body::from(bytes))
}

async fn healthz(State(store): State<Store>) -> Response {
    match store.ping().await {
        Ok(()) => (StatusCode::OK, "ok").into_response(),
        Err(error) => {
            tracing::error!(%error, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

const SERVER_FN_PREFIX: &str = "/api/";

/// Pages reachable without a session; everything else sends the visitor to log in.
fn is_public(path: &str) -> bool {
    path == "/login"
        || path == "/healthz"
        || path.starts_with(SERVER_FN_PREFIX)
        || caching::is_static_file(path)
}

async fn require_session(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if request.method() != Method::GET || is_public(request.uri().path()) {
        return next.run(request).await;
    }
    if session_user(state.backend.as_ref(), request.headers())
        .await
        .is_ok()
    {
        return next.run(request).await;
    }
    let target = request
        .uri()
        .path_and_query()
        .map_or("/", |target| target.as_str());
    Redirect::to(&format!(
        "/login?next={}",
        app::shell::encode_component(target)
    ))
    .into_response()
}

/// Server functions accept no request another site made a browser send
/// (server_fn itself does no CSRF checking).
async fn reject_cross_site(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    // The versioned API reads no cookie: another site making a browser call it gains nothing.
    let path = request.uri().path();
    if path.starts_with(SERVER_FN_PREFIX)
        && !path.starts_with(api_v1::PREFIX)
        && request.method() != Method::GET
        && is_cross_site(request.headers(), &state.public_url)
    {
        tracing::warn!(path = %loggable_path(request.uri().path()), "refused a cross-site server function call");
        return (StatusCode::FORBIDDEN, "cross-site request refused").into_response();
    }
    next.run(request).await
}

fn is_cross_site(headers: &HeaderMap, public_url: &str) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        return !matches!(site.to_str(), Ok("same-origin" | "none"));
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) else {
        // Browsers send Origin on every cross-origin POST; a request without one is not
        // a browser being steered by another site.
        return false;
    };
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let origin_host = origin.split_once("://").map(|(_, host)| host);
    !(origin == public_url || (host.is_some() && origin_host == host))
}

/// A transfer link must not leak through the Referer header of anything its page loads.
async fn hide_transfer_links(request: Request, next: Next) -> Response {
    let receive_page = request.uri().path().starts_with("/receive/");
    let mut response = next.run(request).await;
    if receive_page {
        response.headers_mut().insert(
            header::REFERRER_POLICY,
            header::HeaderValue::from_static("no-referrer"),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, value.parse().unwrap());
        }
        map
    }

    #[test]
    fn same_origin_requests_pass() {
        assert!(!is_cross_site(
            &headers(&[("sec-fetch-site", "same-origin")]),
            "http://a"
        ));
        assert!(!is_cross_site(
            &headers(&[
                ("origin", "http://127.0.0.1:3000"),
                ("host", "127.0.0.1:3000")
            ]),
            "http://x"
        ));
        assert!(!is_cross_site(
            &headers(&[("origin", "https://m.example")]),
            "https://m.example"
        ));
        assert!(!is_cross_site(&headers(&[]), "http://a"));
    }

    #[test]
    fn cross_site_requests_are_refused() {
        assert!(is_cross_site(
            &headers(&[("sec-fetch-site", "cross-site")]),
            "http://a"
        ));
        assert!(is_cross_site(
            &headers(&[("sec-fetch-site", "same-site")]),
            "http://a"
        ));
        assert!(is_cross_site(
            &headers(&[
                ("origin", "https://evil.example"),
                ("host", "127.0.0.1:3000")
            ]),
            "http://127.0.0.1:3000"
        ));
    }

    #[test]
    fn pages_need_a_session_but_assets_do_not() {
        for public in [
            "/login",
            "/healthz",
            "/api/login",
            "/pkg/manager.wasm",
            "/favicon.svg",
        ] {
            assert!(is_public(public), "{public}");
        }
        for private in ["/", "/products", "/products/prd-1", "/transfers"] {
            assert!(!is_public(private), "{private}");
        }
    }
}
