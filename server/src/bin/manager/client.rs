//! Calls to `/api/v1`: a refusal is told apart from a failure, calls that create something
//! are retried on a network error with the same idempotency key (so they happen once), and
//! lists are read page after page behind a progress bar.

use std::fmt;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use reqwest::{Method, RequestBuilder, StatusCode};
use serde_json::Value;

use crate::config::Settings;

/// Items asked for per page: the most the API gives.
const PAGE_SIZE: u32 = 100;
const ATTEMPTS: u32 = 3;

pub enum Failure {
    /// The Manager answered with a problem (RFC 9457).
    Refused {
        status: u16,
        code: String,
        detail: String,
    },
    /// The transfer has no link: closed, or the token's Organization did not send it.
    NoLink,
    Failed(String),
}

impl Failure {
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Refused { status, .. } if *status < 500 => 3,
            Failure::NoLink => 3,
            Failure::Refused { .. } | Failure::Failed(_) => 1,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Refused {
                status,
                code,
                detail,
            } => write!(f, "refused ({status} {code}): {detail}"),
            Failure::NoLink => f.write_str(
                "this transfer has no link to share (closed, or received by this Organization)",
            ),
            Failure::Failed(message) => f.write_str(message),
        }
    }
}

/// One path segment, encoded: an id typed by a person must not reach another route.
pub fn segment(raw: &str) -> String {
    utf8_percent_encode(raw, NON_ALPHANUMERIC).to_string()
}

pub struct Client {
    http: reqwest::Client,
    settings: Settings,
}

impl Client {
    pub fn new(settings: Settings) -> Client {
        Client {
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(60))
                .user_agent(concat!("manager-cli/", env!("CARGO_PKG_VERSION")))
                .build()
                .unwrap_or_default(),
            settings,
        }
    }

    fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.http
            .request(method, format!("{}/api/v1{path}", self.settings.url))
            .bearer_auth(&self.settings.token)
    }

    async fn answer(request: RequestBuilder) -> Result<Value, Failure> {
        let response = request
            .send()
            .await
            .map_err(|error| Failure::Failed(format!("cannot reach the Manager: {error}")))?;
        let status = response.status();
        let text = response
            .text()
            .await
            .map_err(|error| Failure::Failed(format!("the answer was cut: {error}")))?;
        let body: Value = if text.is_empty() || status == StatusCode::NO_CONTENT {
            Value::Null
        } else {
            serde_json::from_str(&text).map_err(|_| {
                Failure::Failed(format!(
                    "the Manager answered {status} with something other than JSON"
                ))
            })?
        };
        if status.is_success() {
            return Ok(body);
        }
        Err(Failure::Refused {
            status: status.as_u16(),
            code: body["code"].as_str().unwrap_or("unknown").to_string(),
            detail: body["detail"].as_str().unwrap_or("").to_string(),
        })
    }

    pub async fn get(&self, path: &str) -> Result<Value, Failure> {
        Self::answer(self.request(Method::GET, path)).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Result<Value, Failure> {
        Self::answer(self.request(Method::POST, path).json(body)).await
    }

    /// A call that creates something: retried on a network error or a server error under
    /// one idempotency key, so the Manager does it once.
    pub async fn create(&self, path: &str, body: &Value) -> Result<Value, Failure> {
        let key = manager_server::auth::new_token();
        let mut attempt = 1;
        loop {
            let request = self
                .request(Method::POST, path)
                .header("idempotency-key", &key)
                .json(body);
            match Self::answer(request).await {
                Err(failure) if attempt < ATTEMPTS && failure.exit_code() == 1 => {
                    tokio::time::sleep(Duration::from_millis(500 * u64::from(attempt))).await;
                    attempt += 1;
                }
                answer => return answer,
            }
        }
    }

    /// Every item of a list, page after page; a progress bar on a terminal when asked.
    pub async fn all_pages(
        &self,
        path: &str,
        query: &[(&str, Option<String>)],
        progress: bool,
    ) -> Result<Vec<Value>, Failure> {
        let mut items = Vec::new();
        let bar = if progress {
            ProgressBar::new(0)
        } else {
            ProgressBar::hidden()
        };
        bar.set_style(
            ProgressStyle::with_template("{msg} {bar:30} {pos}/{len}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.set_message("reading");
        for page in 1.. {
            let request = self
                .request(Method::GET, path)
                .query(&[("page", page), ("size", PAGE_SIZE)])
                .query(
                    &query
                        .iter()
                        .filter_map(|(name, value)| Some((*name, value.as_deref()?)))
                        .collect::<Vec<_>>(),
                );
            let answer = Self::answer(request).await?;
            let total = answer["total"].as_u64().unwrap_or(0);
            let got = answer["items"].as_array().cloned().unwrap_or_default();
            let empty = got.is_empty();
            items.extend(got);
            bar.set_length(total);
            bar.set_position(items.len() as u64);
            if empty || items.len() as u64 >= total {
                break;
            }
        }
        bar.finish_and_clear();
        Ok(items)
    }

    pub async fn all_products(
        &self,
        search: Option<String>,
        kind: Option<String>,
        progress: bool,
    ) -> Result<Vec<Value>, Failure> {
        self.all_pages("/products", &[("search", search), ("kind", kind)], progress)
            .await
    }
}
