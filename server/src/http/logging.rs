//! Request logs. A transfer link's token is a bearer secret: it never reaches a log, so a
//! logged request names its path with the token masked, and never its query (a login
//! redirect carries the link in `next`).

use axum::body::Body;
use axum::http::Request;
use tower_http::classify::{ServerErrorsAsFailures, SharedClassifier};
use tower_http::trace::TraceLayer;
use tracing::Span;

const RECEIVE: &str = "/receive/";

/// The request tracer, naming each request by its [`loggable_path`].
pub type RequestTracer =
    TraceLayer<SharedClassifier<ServerErrorsAsFailures>, fn(&Request<Body>) -> Span>;

pub fn trace_layer() -> RequestTracer {
    TraceLayer::new_for_http().make_span_with(request_span as fn(&Request<Body>) -> Span)
}

fn request_span(request: &Request<Body>) -> Span {
    tracing::debug_span!(
        "request",
        method = %request.method(),
        path = %loggable_path(request.uri().path()),
        version = ?request.version(),
    )
}

/// The path with any link token replaced.
pub fn loggable_path(path: &str) -> String {
    match path.find(RECEIVE) {
        Some(at) => format!("{}{RECEIVE}[token]", &path[..at]),
        None => path.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::loggable_path;

    #[test]
    fn link_tokens_are_masked() {
        assert_eq!(loggable_path("/receive/abcDEF123-_xyz"), "/receive/[token]");
        assert_eq!(loggable_path("/receive/abc/extra"), "/receive/[token]");
        assert_eq!(loggable_path("/transfers/trf-1"), "/transfers/trf-1");
    }
}
