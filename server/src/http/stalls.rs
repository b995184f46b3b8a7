//! A page whose server rendering stalls is drawn again.
//!
//! Under load, Leptos 0.8's server rendering can miss the wake-up that tells a `Suspense`
//! its data has arrived (upstream issues #4851, #4578): every query has answered, yet the
//! page never finishes, and the browser would wait for ever. Drawing a page only reads,
//! so a stalled one is dropped and drawn afresh; a page that stalls every time gets a 503
//! rather than an open connection.

use std::time::Duration;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::loggable_path;

/// Far beyond any page's normal drawing time, which is well under a second.
pub const STALL: Duration = Duration::from_secs(10);

const ATTEMPTS: u32 = 3;

/// Runs a page request again when its response has not started within [`STALL`]. Only
/// page reads (`GET`, `HEAD`) are retried; everything else passes through untouched.
pub async fn draw_again_when_stalled(request: Request, next: Next) -> Response {
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return next.run(request).await;
    }
    // A page read has no body: each attempt gets the same head and an empty one.
    let (head, _) = request.into_parts();
    for attempt in 1..=ATTEMPTS {
        let request = Request::from_parts(head.clone(), Body::empty());
        match tokio::time::timeout(STALL, next.clone().run(request)).await {
            Ok(response) => return response,
            Err(_) => tracing::warn!(
                attempt,
                path = %loggable_path(head.uri.path()),
                "page rendering stalled; drawing it again"
            ),
        }
    }
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::RETRY_AFTER, "1")],
        "This page could not be drawn just now. Please reload it.",
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::Arc;

    use axum::middleware;
    use axum::routing::get;
    use axum::Router;
    use tower::ServiceExt;

    use super::*;

    /// A page that stalls on its first `stalls` drawings, and counts them all.
    fn page_stalling(stalls: u32) -> (Router, Arc<AtomicU32>) {
        let drawn = Arc::new(AtomicU32::new(0));
        let counter = drawn.clone();
        let draw = move || {
            let counter = counter.clone();
            async move {
                if counter.fetch_add(1, Ordering::SeqCst) < stalls {
                    std::future::pending::<()>().await;
                }
                "the page"
            }
        };
        let router = Router::new()
            .route("/page", get(draw.clone()).post(draw))
            .layer(middleware::from_fn(draw_again_when_stalled));
        (router, drawn)
    }

    async fn request(router: Router, method: Method) -> Response {
        let request = Request::builder()
            .method(method)
            .uri("/page")
            .body(Body::empty())
            .unwrap();
        // Time is paused: the stall limits pass at once, and a hang fails here.
        tokio::time::timeout(STALL * (ATTEMPTS + 1), router.oneshot(request))
            .await
            .expect("the request ends")
            .unwrap()
    }

    #[tokio::test(start_paused = true)]
    async fn a_stalled_page_is_drawn_again() {
        let (router, drawn) = page_stalling(1);
        let response = request(router, Method::GET).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(drawn.load(Ordering::SeqCst), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn a_page_stalling_every_time_gets_a_503_not_an_open_connection() {
        let (router, drawn) = page_stalling(u32::MAX);
        let response = request(router, Method::GET).await;
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(drawn.load(Ordering::SeqCst), ATTEMPTS);
    }

    #[tokio::test(start_paused = true)]
    async fn a_request_that_changes_something_is_never_sent_twice() {
        let (router, drawn) = page_stalling(1);
        let request = Request::builder()
            .method(Method::POST)
            .uri("/page")
            .body(Body::empty())
            .unwrap();
        let waited = tokio::time::timeout(STALL * (ATTEMPTS + 1), router.oneshot(request)).await;
        assert!(waited.is_err(), "the stalled POST was not answered");
        assert_eq!(drawn.load(Ordering::SeqCst), 1);
    }
}
