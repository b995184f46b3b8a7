//! Webhooks to a real local receiver: who may register an endpoint and where, Standard
//! Webhooks signatures checked independently, retries, "send again", and delivery across a
//! worker restart.

use std::sync::{Arc, Mutex};

use app::error::{AppError, InputProblem};
use app::webhooks::{
    CreatedWebhookEndpoint, DeliveryState, WebhookDelivery, WebhookEndpointSummary,
    MAX_WEBHOOK_ENDPOINTS,
};
use axum::http::{HeaderMap, StatusCode};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use manager_server::services::now_ms;
use manager_server::store::outbox::Lease;
use serde_json::{json, Value};
use sha2::Sha256;

use crate::support::{assert_bounded, TestApp};
use crate::transfers::{make_overdue, receive, start};

const ALLOW_PRIVATE: (&str, &str) = ("MANAGER_WEBHOOK_ALLOW_PRIVATE", "1");
const EVERY_EVENT: [&str; 5] = [
    "transfer.created",
    "transfer.completed",
    "transfer.cancelled",
    "transfer.declined",
    "transfer.expired",
];

/// What the receiver was sent.
#[derive(Clone, Debug)]
struct Received {
    id: String,
    timestamp: String,
    signature: String,
    body: String,
}

impl Received {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).expect("the body is JSON")
    }
}

/// An HTTP receiver on this machine that answers 503 to its first `failures` requests.
struct Receiver {
    url: String,
    seen: Arc<Mutex<Vec<Received>>>,
}

impl Receiver {
    async fn start(failures: usize) -> Receiver {
        let seen = Arc::new(Mutex::new(Vec::<Received>::new()));
        let log = seen.clone();
        let handler = move |headers: HeaderMap, body: String| {
            let log = log.clone();
            async move {
                let header = |name: &str| {
                    headers
                        .get(name)
                        .and_then(|value| value.to_str().ok())
                        .unwrap_or_default()
                        .to_string()
                };
                let mut log = log.lock().unwrap();
                log.push(Received {
                    id: header("webhook-id"),
                    timestamp: header("webhook-timestamp"),
                    signature: header("webhook-signature"),
                    body,
                });
                if log.len() <= failures {
                    StatusCode::SERVICE_UNAVAILABLE
                } else {
                    StatusCode::NO_CONTENT
                }
            }
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hooks", listener.local_addr().unwrap());
        let router = axum::Router::new().route("/hooks", axum::routing::post(handler));
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        Receiver { url, seen }
    }

    fn seen(&self) -> Vec<Received> {
        self.seen.lock().unwrap().clone()
    }
}

/// The receiver's side of Standard Webhooks, written from the specification.
fn verifies(secret: &str, received: &Received) -> bool {
    let key = STANDARD
        .decode(secret.strip_prefix("whsec_").expect("a whsec_ secret"))
        .unwrap();
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
    mac.update(format!("{}.{}.{}", received.id, received.timestamp, received.body).as_bytes());
    let expected = format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()));
    received
        .signature
        .split(' ')
        .any(|signature| signature == expected)
}

async fn register(
    app: &TestApp,
    client: &reqwest::Client,
    organization: &str,
    url: &str,
    events: &[&str],
) -> Result<CreatedWebhookEndpoint, AppError> {
    app.call_json(
        client,
        "create_webhook_endpoint",
        json!({"organization": organization, "url": url, "events": events}),
    )
    .await
}

#[tokio::test]
async fn an_organization_has_a_bounded_number_of_endpoints_even_asked_at_once() {
    let app = TestApp::spawn_with(&[ALLOW_PRIVATE]).await;
    let alice = app.logged_in("alice@example.com").await;
    let at_once = futures::future::join_all((0..15).map(|n| {
        let (app, alice) = (&app, &alice);
        async move {
            let url = format!("http://127.0.0.1:9/hook/{n}");
            register(app, alice, "org-alice-studio", &url, &["transfer.created"]).await
        }
    }))
    .await;
    assert_bounded(&at_once, MAX_WEBHOOK_ENDPOINTS, AppError::WebhookLimit);
}

async fn deliveries(
    app: &TestApp,
    client: &reqwest::Client,
    organization: &str,
) -> Vec<WebhookDelivery> {
    app.call(
        client,
        "list_webhook_deliveries",
        &[("organization", organization)],
    )
    .await
    .expect("the delivery log")
}

async fn deliver(app: &TestApp, now: i64) -> usize {
    app.state
        .webhooks
        .deliver_due(&app.state.store, now, || false)
        .await
        .expect("the webhook worker runs")
}

#[tokio::test]
async fn only_administrators_register_public_https_endpoints_by_default() {
    let app = TestApp::spawn().await;
    let alice = app.logged_in("alice@example.com").await;
    let studio = "org-alice-studio";
    let refused = [
        ("http://127.0.0.1:9/hooks", InputProblem::WebhookAddress),
        ("https://localhost/hooks", InputProblem::WebhookAddress),
        (
            "https://169.254.169.254/latest",
            InputProblem::WebhookAddress,
        ),
        ("https://[::1]/hooks", InputProblem::WebhookAddress),
        ("http://93.184.215.14/hooks", InputProblem::WebhookUrl),
        ("ftp://example.com/hooks", InputProblem::WebhookUrl),
        ("https://user:secret@example.com/", InputProblem::WebhookUrl),
    ];
    for (url, problem) in refused {
        assert_eq!(
            register(&app, &alice, studio, url, &EVERY_EVENT).await,
            Err(AppError::Invalid(problem)),
            "{url}"
        );
    }
    assert_eq!(
        register(&app, &alice, studio, "https://93.184.215.14/hooks", &[]).await,
        Err(AppError::Invalid(InputProblem::WebhookEvents))
    );
    // A member who is not an administrator, and someone from elsewhere.
    let carol = app.logged_in("carol@example.com").await;
    let bob = app.logged_in("bob@example.com").await;
    let public = "https://93.184.215.14/hooks";
    assert_eq!(
        register(&app, &carol, studio, public, &EVERY_EVENT).await,
        Err(AppError::Forbidden)
    );
    assert_eq!(
        register(&app, &bob, studio, public, &EVERY_EVENT).await,
        Err(AppError::NotFound)
    );
    let listed: Vec<WebhookEndpointSummary> = app
        .call(
            &alice,
            "list_webhook_endpoints",
            &[("organization", studio)],
        )
        .await
        .unwrap();
    assert!(listed.is_empty(), "nothing refused was stored");

    let created = register(&app, &alice, studio, public, &["transfer.completed"])
        .await
        .unwrap();
    assert!(created.secret.starts_with("whsec_"));
    let pool = app.database().await;
    let stored: String = sqlx::query_scalar("SELECT sealed_secret FROM webhook_endpoints")
        .fetch_one(&pool)
        .await
        .unwrap();
    pool.close().await;
    assert!(!stored.contains(created.secret.trim_start_matches("whsec_")));
    assert_eq!(
        app.call::<Vec<WebhookDelivery>>(
            &bob,
            "list_webhook_deliveries",
            &[("organization", studio)]
        )
        .await,
        Err(AppError::NotFound)
    );
    assert_eq!(
        app.call::<()>(
            &bob,
            "delete_webhook_endpoint",
            &[
                ("organization", "org-bob-consulting"),
                ("endpoint", created.id.as_str())
            ]
        )
        .await,
        Err(AppError::NotFound),
        "another Organization's endpoint answers like a missing one"
    );
    app.call::<()>(
        &alice,
        "delete_webhook_endpoint",
        &[("organization", studio), ("endpoint", created.id.as_str())],
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn a_failing_receiver_gets_signed_retries_then_succeeds_and_can_be_sent_again() {
    let app = TestApp::spawn_with(&[ALLOW_PRIVATE]).await;
    let receiver = Receiver::start(2).await;
    let alice = app.logged_in("alice@example.com").await;
    let studio = "org-alice-studio";
    let endpoint = register(&app, &alice, studio, &receiver.url, &["transfer.created"])
        .await
        .expect("a local endpoint, allowed by the configuration");

    let (transfer, _) = start(&app, &alice, &["prd-studio-drive", "prd-studio-mail"]).await;
    let now = now_ms();
    assert_eq!(
        deliver(&app, now).await,
        0,
        "the receiver fails the first time"
    );
    assert_eq!(
        deliver(&app, now + 1_000).await,
        0,
        "not retried before its time"
    );
    assert_eq!(receiver.seen().len(), 1);
    assert_eq!(deliver(&app, now + 6_000).await, 0, "fails again after 5 s");
    let log = deliveries(&app, &alice, studio).await;
    assert_eq!(log.len(), 1);
    assert_eq!(
        (log[0].state, log[0].attempts, log[0].last_status),
        (DeliveryState::Pending, 2, Some(503))
    );
    assert_eq!(
        deliver(&app, now + 6_000 + 5 * 60_000).await,
        1,
        "then succeeds"
    );

    let seen = receiver.seen();
    assert_eq!(seen.len(), 3);
    for attempt in &seen {
        assert!(verifies(&endpoint.secret, attempt), "{attempt:?}");
        assert_eq!(
            attempt.id, seen[0].id,
            "every attempt carries the same event id"
        );
        assert_eq!(attempt.body, seen[0].body);
    }
    assert!(!verifies(
        "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        &seen[0]
    ));
    let event = seen[0].json();
    assert_eq!(event["type"], "transfer.created");
    assert_eq!(event["data"]["id"], transfer.as_str());
    assert_eq!(event["data"]["source"], studio);
    assert_eq!(event["data"]["product_count"], 2);

    let log = deliveries(&app, &alice, studio).await;
    assert_eq!(
        (log[0].state, log[0].attempts, log[0].last_status),
        (DeliveryState::Delivered, 3, Some(204))
    );
    app.call::<()>(
        &alice,
        "resend_webhook",
        &[
            ("organization", studio),
            ("endpoint", endpoint.id.as_str()),
            ("event_id", log[0].event_id.as_str()),
        ],
    )
    .await
    .expect("send again");
    let unknown = app
        .call::<()>(
            &alice,
            "resend_webhook",
            &[
                ("organization", studio),
                ("endpoint", endpoint.id.as_str()),
                ("event_id", "evt_\u{0}"),
            ],
        )
        .await;
    assert_eq!(unknown, Err(AppError::NotFound), "not a database error");
    assert_eq!(deliver(&app, now_ms()).await, 1);
    let seen = receiver.seen();
    assert_eq!(seen.len(), 4);
    assert_eq!(seen[3].id, seen[0].id, "sent again under the same event id");
    assert!(verifies(&endpoint.secret, &seen[3]));
}

#[tokio::test]
async fn each_outcome_is_announced_and_completion_reaches_both_organizations() {
    let app = TestApp::spawn_with(&[ALLOW_PRIVATE]).await;
    let (studio_receiver, bob_receiver) = (Receiver::start(0).await, Receiver::start(0).await);
    let alice = app.logged_in("alice@example.com").await;
    let bob = app.logged_in("bob@example.com").await;
    register(
        &app,
        &alice,
        "org-alice-studio",
        &studio_receiver.url,
        &EVERY_EVENT,
    )
    .await
    .unwrap();
    register(
        &app,
        &bob,
        "org-bob-consulting",
        &bob_receiver.url,
        &["transfer.completed"],
    )
    .await
    .unwrap();

    let (_, token) = start(&app, &alice, &["prd-studio-drive"]).await;
    receive(&app, &bob, &token, "org-bob-consulting")
        .await
        .unwrap();
    let (cancelled, _) = start(&app, &alice, &["prd-studio-mail"]).await;
    app.call::<()>(
        &alice,
        "cancel_transfer",
        &[("transfer", cancelled.as_str())],
    )
    .await
    .unwrap();
    let (_, token) = start(&app, &alice, &["prd-studio-hosting"]).await;
    app.call::<()>(&bob, "decline_transfer", &[("token", &token)])
        .await
        .unwrap();
    let (expired, _) = start(&app, &alice, &["prd-studio-domain"]).await;
    make_overdue(&app, &expired).await;
    assert_eq!(app.state.services.expire_due(None).await.unwrap(), 1);
    assert_eq!(deliver(&app, now_ms()).await, 9);

    let types = |receiver: &Receiver| -> Vec<String> {
        receiver
            .seen()
            .iter()
            .map(|received| received.json()["type"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        types(&studio_receiver),
        [
            "transfer.created",
            "transfer.completed",
            "transfer.created",
            "transfer.cancelled",
            "transfer.created",
            "transfer.declined",
            "transfer.created",
            "transfer.expired",
        ]
    );
    assert_eq!(types(&bob_receiver), ["transfer.completed"]);
    let completed = bob_receiver.seen()[0].json();
    assert_eq!(completed["data"]["destination"], "org-bob-consulting");
    assert_eq!(completed["data"]["status"], "completed");
}

#[tokio::test]
async fn a_restart_neither_loses_nor_duplicates_a_delivery() {
    // Processes sharing a database share the key that seals the endpoints' secrets.
    let key = (
        "MANAGER_SECRET_KEY",
        "c2hhcmVkIGJ5IGV2ZXJ5IHByb2Nlc3Mgb2Ygb25lISE",
    );
    let app = TestApp::spawn_with(&[ALLOW_PRIVATE, key]).await;
    let receiver = Receiver::start(0).await;
    let alice = app.logged_in("alice@example.com").await;
    register(
        &app,
        &alice,
        "org-alice-studio",
        &receiver.url,
        &EVERY_EVENT,
    )
    .await
    .unwrap();
    start(&app, &alice, &["prd-studio-drive"]).await;
    start(&app, &alice, &["prd-studio-mail"]).await;

    // A worker claims both deliveries and dies before sending them.
    let now = now_ms();
    let dead = Lease {
        token: "dead worker".into(),
        until: now + 60_000,
    };
    assert_eq!(
        app.state
            .store
            .claim_due_webhooks(now, &dead, 10)
            .await
            .unwrap()
            .len(),
        2
    );
    // The server restarts (another process on the same database): nothing is sent twice
    // while the lease holds, then each once.
    let restarted = app.spawn_beside_with(&[ALLOW_PRIVATE, key]).await;
    assert_eq!(deliver(&restarted, now + 1_000).await, 0);
    assert_eq!(deliver(&restarted, now + 61_000).await, 2);
    assert_eq!(deliver(&restarted, now + 200_000).await, 0);
    assert_eq!(deliver(&app, now + 200_000).await, 0);
    let mut ids: Vec<String> = receiver.seen().into_iter().map(|r| r.id).collect();
    assert_eq!(ids.len(), 2);
    ids.dedup();
    assert_eq!(ids.len(), 2, "two events, each delivered once");
    // The dead worker's lease is spent: it cannot mark what it no longer holds.
    let log = deliveries(&app, &alice, "org-alice-studio").await;
    assert!(log.iter().all(|d| d.state == DeliveryState::Delivered));
}
