//! `Idempotency-Key`: a retried call that creates something answers as the first did,
//! instead of creating it twice.

use std::future::Future;

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use super::problem::{ApiError, PROBLEM_JSON};
use crate::services::{ApiCaller, Services};
use crate::store::api_tokens::Claim;

pub const IDEMPOTENCY_KEY: &str = "idempotency-key";
const MAX_KEY_CHARS: usize = 255;

/// A call's outcome: its status and JSON body.
pub type Answer = Result<(StatusCode, serde_json::Value), ApiError>;

/// Runs `call` once per key and request; a retry with the same key and request gets the
/// first answer again (server failures excepted: those may be retried for real).
pub async fn once<F, Fut>(
    services: &Services,
    caller: &ApiCaller,
    headers: &HeaderMap,
    path: &str,
    body: &[u8],
    call: F,
) -> Response
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = Answer>,
{
    let Some(key) = headers.get(IDEMPOTENCY_KEY) else {
        return respond(call().await);
    };
    let key = match key.to_str() {
        Ok(key) if (1..=MAX_KEY_CHARS).contains(&key.len()) => key,
        _ => {
            return ApiError::BadRequest(format!(
                "Idempotency-Key must be 1 to {MAX_KEY_CHARS} visible ASCII characters"
            ))
            .into_response()
        }
    };
    let fingerprint = hex::encode(
        Sha256::new()
            .chain_update(path)
            .chain_update(b"\n")
            .chain_update(body)
            .finalize(),
    );
    match services
        .claim_idempotency_key(caller, key, &fingerprint)
        .await
    {
        Err(error) => ApiError::from(error).into_response(),
        Ok(Claim::Mismatch) => ApiError::KeyReused.into_response(),
        Ok(Claim::Running) => ApiError::KeyInUse.into_response(),
        Ok(Claim::Answered { status, body }) => {
            let mut response = replay(status, body);
            response
                .headers_mut()
                .insert("idempotent-replayed", HeaderValue::from_static("true"));
            response
        }
        Ok(Claim::Fresh) => {
            let answer = call().await;
            let (status, body) = match &answer {
                Ok((status, body)) => (status.as_u16(), body.to_string()),
                Err(error) => {
                    let problem = error.problem();
                    (problem.status, serde_json::json!(problem).to_string())
                }
            };
            let kept = if status >= 500 {
                services.release_idempotency_key(caller, key).await
            } else {
                services.keep_answer(caller, key, status, &body).await
            };
            if let Err(error) = kept {
                tracing::error!(?error, "could not keep an idempotent answer");
            }
            respond(answer)
        }
    }
}

fn respond(answer: Answer) -> Response {
    match answer {
        Ok((status, body)) => (status, axum::Json(body)).into_response(),
        Err(error) => error.into_response(),
    }
}

fn replay(status: u16, body: String) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let kind = if status.is_success() {
        "application/json"
    } else {
        PROBLEM_JSON
    };
    (status, [(header::CONTENT_TYPE, kind)], body).into_response()
}
