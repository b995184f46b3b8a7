//! Cache-Control. The bundle's files carry a hash of the whole build in their names (see
//! `scripts/seal-bundle.mjs`), so a browser may keep them for a year without asking
//! again; a new build links new names. Everything else, pages first, is asked for again
//! each time (pages show one user's data: no shared cache keeps them).

use axum::extract::Request;
use axum::http::header::{self, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

const FOR_A_YEAR: &str = "public, max-age=31536000, immutable";
const ASK_AGAIN: &str = "no-cache";
const ASK_AGAIN_PRIVATE: &str = "private, no-cache";

pub async fn cache_control(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    if response.headers().contains_key(header::CACHE_CONTROL) {
        return response;
    }
    let policy = if !response.status().is_success() {
        ASK_AGAIN
    } else if is_hashed_asset(&path) {
        FOR_A_YEAR
    } else if is_static_file(&path) {
        ASK_AGAIN
    } else {
        ASK_AGAIN_PRIVATE
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    response
}

/// `/pkg/manager.IM4RK1uN94aVnfE-nKCvjg.wasm`: a name, the build's hash (22 URL-safe
/// base64 characters), then an extension.
fn is_hashed_asset(path: &str) -> bool {
    let Some(name) = path.strip_prefix("/pkg/") else {
        return false;
    };
    let parts: Vec<&str> = name.split('.').collect();
    parts.len() >= 3
        && parts[1..parts.len() - 1].iter().any(|part| {
            part.len() == 22
                && part
                    .bytes()
                    .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_')
        })
}

/// The bundle, and the files of the assets folder (their names have an extension).
pub(super) fn is_static_file(path: &str) -> bool {
    path.starts_with("/pkg/")
        || path
            .rsplit('/')
            .next()
            .is_some_and(|name| name.contains('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_content_hashed_bundle_files_are_kept() {
        for hashed in [
            "/pkg/manager.IM4RK1uN94aVnfE-nKCvjg.wasm",
            "/pkg/manager.43EEbczdBiGXVL0cQY56Ww.js",
            "/pkg/manager.0UqBdaK1KlPbq6WIySSn1Q.css",
        ] {
            assert!(is_hashed_asset(hashed), "{hashed}");
        }
        for plain in [
            "/pkg/manager.wasm",
            "/pkg/manager_bg.wasm",
            "/favicon.svg",
            "/products",
            "/pkg/manager.short.js",
            "/manager.IM4RK1uN94aVnfE-nKCvjg.wasm",
        ] {
            assert!(!is_hashed_asset(plain), "{plain}");
        }
    }
}
