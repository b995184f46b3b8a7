//! Delivering webhooks: each due delivery is signed and POSTed to its endpoint, at least
//! once, retried on Standard Webhooks' schedule until it succeeds or is given up.

pub mod address;
pub mod signature;

use std::time::Duration;

use transfer_rules::webhook_retry_delay;

use crate::jobs::{Turn, BATCH};
use crate::links::LinkKeys;
use crate::store::webhooks::{Attempt, DueDelivery, EndpointTarget};
use crate::store::{Store, StoreResult};

/// A receiver answers within this, or the attempt failed.
const TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Clone)]
pub struct Deliverer {
    keys: LinkKeys,
    allow_private: bool,
}

/// Why an attempt failed, as the delivery log keeps it.
struct Failure {
    status: Option<u16>,
    reason: String,
}

impl Deliverer {
    pub fn new(keys: LinkKeys, allow_private: bool) -> Self {
        Deliverer {
            keys,
            allow_private,
        }
    }

    /// Delivers what is due once; returns how many were delivered. Between deliveries it
    /// checks `stopping`: a stopping process finishes the one in hand and gives the rest
    /// back.
    pub async fn deliver_due(
        &self,
        store: &Store,
        now: i64,
        stopping: impl Fn() -> bool,
    ) -> StoreResult<usize> {
        let turn = Turn::begin(now);
        let lease = &turn.lease;
        let mut delivered = 0;
        for delivery in store.claim_due_webhooks(now, lease, BATCH).await? {
            if turn.over(&stopping) {
                store.release_webhooks(lease).await?;
                break;
            }
            let target = store.webhook_target(&delivery.endpoint_id).await?;
            let outcome = self.send(&target, &delivery, now).await;
            let (attempt, next) = match &outcome {
                Ok(status) => {
                    delivered += 1;
                    let attempt = Attempt {
                        at: now,
                        status: Some(*status),
                        error: None,
                    };
                    (attempt, None)
                }
                Err(failure) => {
                    let next = webhook_retry_delay(delivery.attempts)
                        .filter(|_| target.deleted_at.is_none())
                        .map(|delay| now + delay);
                    tracing::warn!(
                        event = %delivery.event_id,
                        endpoint = %delivery.endpoint_id,
                        attempts = delivery.attempts,
                        error = %failure.reason,
                        retry = next.is_some(),
                        "webhook not delivered"
                    );
                    let attempt = Attempt {
                        at: now,
                        status: failure.status,
                        error: Some(&failure.reason),
                    };
                    (attempt, next)
                }
            };
            if !store
                .finish_webhook_attempt(&delivery, lease, attempt, next)
                .await?
            {
                tracing::warn!(event = %delivery.event_id, "webhook lease ended before it was marked");
            }
        }
        Ok(delivered)
    }

    /// One signed POST; the receiver's status when it is 2xx.
    async fn send(
        &self,
        target: &EndpointTarget,
        delivery: &DueDelivery,
        now: i64,
    ) -> Result<u16, Failure> {
        let failure = |reason: String| Failure {
            status: None,
            reason,
        };
        if target.deleted_at.is_some() {
            return Err(failure("endpoint removed".into()));
        }
        let url = address::parse(&target.url).map_err(|refusal| failure(refusal.to_string()))?;
        let pinned = address::resolve(&url, self.allow_private)
            .await
            .map_err(|refusal| failure(refusal.to_string()))?;
        let secret = (self.keys.open(&target.sealed_secret))
            .ok_or_else(|| failure("the endpoint's secret cannot be opened".into()))?;
        let timestamp = now.div_euclid(1000);
        let signature = signature::sign(&secret, &delivery.event_id, timestamp, &delivery.body)
            .ok_or_else(|| failure("the endpoint's secret is malformed".into()))?;
        let mut client = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .user_agent(concat!("Manager-Webhooks/", env!("CARGO_PKG_VERSION")));
        // The connection goes to the address just checked, whatever the name says later.
        if let Some(domain) = url.domain() {
            client = client.resolve(domain, pinned);
        }
        let client = client
            .build()
            .map_err(|error| failure(format!("client: {error}")))?;
        let response = client
            .post(url)
            .header("content-type", "application/json")
            .header("webhook-id", &delivery.event_id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signature)
            .body(delivery.body.clone())
            .send()
            .await
            .map_err(|error| failure(without_url(&error)))?;
        let status = response.status();
        if status.is_success() {
            Ok(status.as_u16())
        } else {
            Err(Failure {
                status: Some(status.as_u16()),
                reason: format!("the receiver answered {status}"),
            })
        }
    }
}

/// A transport error, without the URL reqwest puts in it (its query could hold a secret
/// of the receiver's).
fn without_url(error: &reqwest::Error) -> String {
    let kind = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "could not connect"
    } else {
        "request failed"
    };
    kind.to_string()
}
