//! What an attacker or a fault could do, and no longer can: stale locks, colliding writes
//! on PostgreSQL, tables that only grow, missing headers, tokens in logs, look-alike names.

use app::error::{AppError, InputProblem};
use app::session::Membership;
use app::transfers::api::{LinkView, Received, TransferDetail};
use futures::future::join_all;
use manager_server::services::now_ms;
use manager_server::store::transfers::NewTransfer;
use manager_server::store::StoreError;
use serde_json::json;
use transfer_rules::{OrganizationId, TransferEventKind, TransferId, UserId};

use crate::support::TestApp;
use crate::transfers::{execute, receive, scalar, start};

#[tokio::test]
async fn a_new_transfer_never_locks_a_product_that_has_moved() {
    let app = TestApp::spawn().await;
    let alice = app.logged_in("alice@example.com").await;
    let bob = app.logged_in("bob@example.com").await;
    let studio = OrganizationId::parse("org-alice-studio").unwrap();
    // Alice's wizard read her products before the receipt below committed.
    let stale = app
        .state
        .store
        .sender_holdings(&studio, now_ms())
        .await
        .unwrap();
    let (_, token) = start(&app, &alice, &["prd-build-vps"]).await;
    receive(&app, &bob, &token, "org-bob-consulting")
        .await
        .unwrap();

    let vps: Vec<_> = stale
        .products
        .into_iter()
        .filter(|p| p.id.as_str() == "prd-build-vps")
        .collect();
    let attempt = app
        .state
        .store
        .insert_transfer(NewTransfer {
            id: &TransferId::parse("trf-stale").unwrap(),
            source: &studio,
            creator: &UserId::parse("usr-alice").unwrap(),
            products: &vps,
            created_at: now_ms(),
            expires_at: now_ms() + 86_400_000,
            token_lookup: "stale-lookup",
            token_sealed: "stale-sealed",
            conditions_version: "test",
        })
        .await;
    assert!(matches!(attempt, Err(StoreError::Conflict)), "{attempt:?}");
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM product_locks").await,
        0,
        "nothing locked"
    );
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM transfers WHERE id = 'trf-stale'"
        )
        .await,
        0
    );
    // Bob, the new owner, moves it on at once.
    let moved: Result<TransferId, AppError> = app
        .call_json(
            &bob,
            "start_transfer",
            json!({"organization": "org-bob-consulting", "products": ["prd-build-vps"], "accepted_conditions": true}),
        )
        .await;
    assert!(moved.is_ok(), "{moved:?}");
}

#[tokio::test]
async fn events_written_together_on_one_transfer_all_land() {
    let app = TestApp::spawn().await;
    let alice = app.logged_in("alice@example.com").await;
    let bob = app.logged_in("bob@example.com").await;
    let (id, token) = start(&app, &alice, &["prd-studio-backup"]).await;
    let emails = join_all((0..12).map(|n| {
        let (app, alice, id) = (&app, &alice, id.as_str());
        async move {
            app.call::<()>(
                alice,
                "email_transfer_link",
                &[("transfer", id), ("email", &format!("p{n}@example.net"))],
            )
            .await
        }
    }));
    let (emails, received) =
        futures::join!(emails, receive(&app, &bob, &token, "org-bob-consulting"));
    received.expect("the receipt goes through");
    for email in &emails {
        // Emails after the receipt find the transfer closed; none fails inside.
        assert!(
            matches!(email, Ok(()) | Err(AppError::TransferClosed(_))),
            "{emails:?}"
        );
    }
    let detail: TransferDetail = app
        .call(&alice, "get_transfer", &[("transfer", id.as_str())])
        .await
        .unwrap();
    let sent = emails.iter().filter(|e| e.is_ok()).count();
    let completed = detail
        .events
        .iter()
        .position(|event| event.kind == TransferEventKind::Completed)
        .expect("completed");
    assert!(
        !detail.events[completed..]
            .iter()
            .any(|event| event.kind == TransferEventKind::LinkEmailed),
        "no link is emailed once the transfer is completed: {:?}",
        detail.events
    );
    assert_eq!(
        detail.events.len(),
        2 + sent + 2,
        "created, emails, completed, both sides notified"
    );
    assert_eq!(
        scalar(
            &app,
            &format!("SELECT MAX(seq) FROM transfer_events WHERE transfer_id = '{id}'")
        )
        .await,
        (2 + sent + 2) as i64
    );
}

#[tokio::test]
async fn receipts_into_one_organization_may_integrate_the_same_kdrive_user() {
    let app = TestApp::spawn().await;
    execute(
        &app,
        &[
            "INSERT INTO products (id, organization_id, kind, name, created_at) \
             VALUES ('prd-second-drive', 'org-alice-studio', 'kdrive', 'Second Drive', 0)",
            "INSERT INTO access_grants (product_id, user_id, level, management) \
             VALUES ('prd-second-drive', 'usr-carol', 'write', 0)",
        ],
    )
    .await;
    let alice = app.logged_in("alice@example.com").await;
    let bob = app.logged_in("bob@example.com").await;
    let (_, first) = start(&app, &alice, &["prd-studio-drive"]).await;
    let (_, second) = start(&app, &alice, &["prd-second-drive"]).await;
    let (a, b) = futures::join!(
        receive(&app, &bob, &first, "org-bob-consulting"),
        receive(&app, &bob, &second, "org-bob-consulting")
    );
    let received: Vec<Result<Received, AppError>> = vec![a, b];
    assert!(received.iter().all(Result::is_ok), "{received:?}");
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM memberships WHERE organization_id = 'org-bob-consulting' \
             AND user_id = 'usr-carol'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn housekeeping_sweeps_what_no_longer_matters() {
    let app = TestApp::spawn().await;
    let alice = app.logged_in("alice@example.com").await;
    let now = now_ms();
    let day = 86_400_000_i64;
    execute(
        &app,
        &[
            &format!("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ('old', 'usr-bob', 0, {})", now - day),
            &format!("INSERT INTO login_failures (subject, failed_at) VALUES ('email:x@example.com', {})", now - day),
            &format!("INSERT INTO login_failures (subject, failed_at) VALUES ('email:y@example.com', {})", now - 1_000),
            &format!("INSERT INTO outbox (id, recipient, subject, body, created_at, next_attempt_at, sent_at) VALUES ('old-mail', 'a@example.com', 's', '', 0, 0, {})", now - 30 * day),
            &format!("INSERT INTO outbox (id, recipient, subject, body, created_at, next_attempt_at, sent_at) VALUES ('new-mail', 'a@example.com', 's', '', 0, 0, {})", now - day),
        ],
    )
    .await;
    manager_server::jobs::housekeeping(&app.state.store, now)
        .await
        .unwrap();
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM sessions WHERE token_hash = 'old'"
        )
        .await,
        0
    );
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM sessions").await,
        1,
        "alice's stays"
    );
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM login_failures").await, 1);
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM outbox WHERE id = 'new-mail'").await,
        1
    );
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM outbox").await, 1);
    app.call::<app::session::Me>(&alice, "get_me", &[])
        .await
        .expect("a live session survives the sweep");
}

#[tokio::test]
async fn pages_carry_a_policy_naming_their_nonce_and_protective_headers() {
    let app = TestApp::spawn().await;
    let page = app
        .client
        .get(format!("{}/login", app.address))
        .send()
        .await
        .unwrap();
    let header = |name: &str| {
        page.headers()
            .get(name)
            .map(|value| value.to_str().unwrap().to_string())
    };
    let policy = header("content-security-policy").expect("a page has a policy");
    assert!(policy.contains("'wasm-unsafe-eval'") && policy.contains("frame-ancestors 'none'"));
    let nonce = policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("the policy names a nonce")
        .to_string();
    assert_eq!(header("x-content-type-options").as_deref(), Some("nosniff"));
    assert_eq!(header("x-frame-options").as_deref(), Some("DENY"));
    assert!(header("permissions-policy").unwrap().contains("camera=()"));
    assert_eq!(
        header("strict-transport-security"),
        None,
        "not over plain HTTP"
    );
    let html = page.text().await.unwrap();
    // An empty inline script (leptos_i18n's hydration placeholder) runs nothing, and the
    // browser does not weigh it against the policy.
    let scripts = html.matches("<script").count() - html.matches("<script></script>").count();
    assert!(scripts > 0);
    assert_eq!(
        html.matches(&format!("nonce=\"{nonce}\"")).count(),
        scripts,
        "every inline script carries the page's nonce"
    );
    let again = app
        .client
        .get(format!("{}/login", app.address))
        .send()
        .await
        .unwrap();
    assert!(
        !again.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains(&nonce),
        "a nonce serves one page"
    );

    let api = app.post(&app.client, "get_me", &[]).await;
    assert_eq!(
        api.headers()["content-security-policy"],
        "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    );
}

#[tokio::test]
async fn https_deployments_ask_browsers_to_stay_on_https() {
    let app = TestApp::spawn_with(&[("MANAGER_PUBLIC_URL", "https://manager.example")]).await;
    let page = app
        .client
        .get(format!("{}/healthz", app.address))
        .send()
        .await
        .unwrap();
    assert!(page.headers()["strict-transport-security"]
        .to_str()
        .unwrap()
        .starts_with("max-age="));
}

/// A log sink for one test: what a subscriber writes, kept in memory.
#[derive(Clone, Default)]
struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn link_tokens_never_reach_the_request_log() {
    use tower::ServiceExt;
    let app = TestApp::spawn().await;
    let alice = app.logged_in("alice@example.com").await;
    let (_, token) = start(&app, &alice, &["prd-studio-drive"]).await;
    let captured = Captured::default();
    let sink = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter("debug")
        .with_writer(move || sink.clone())
        .with_ansi(false)
        .finish();
    let _logging = tracing::subscriber::set_default(subscriber);
    for uri in [
        format!("/receive/{token}"),
        format!("/login?next=%2Freceive%2F{token}"),
    ] {
        let request = axum::http::Request::get(uri)
            .body(axum::body::Body::empty())
            .unwrap();
        manager_server::http::router(app.state.clone())
            .oneshot(request)
            .await
            .unwrap();
    }
    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        log.contains("/receive/[token]"),
        "requests are logged: {log}"
    );
    assert!(!log.contains(&token), "the token is not: {log}");
}

#[tokio::test]
async fn look_alike_organization_names_are_refused_and_the_sender_is_identified() {
    let app = TestApp::spawn().await;
    let alice = app.logged_in("alice@example.com").await;
    let bob = app.logged_in("bob@example.com").await;
    for sneaky in [
        "Alice Studio SA\u{200B}",
        "\u{202E}AS oidutS ecilA",
        "Alice\u{2066}Studio",
    ] {
        assert_eq!(
            app.call::<Membership>(&bob, "create_organization", &[("name", sneaky)])
                .await,
            Err(AppError::Invalid(InputProblem::OrganizationName)),
            "{sneaky:?}"
        );
    }
    let created: Membership = app
        .call(
            &bob,
            "create_organization",
            &[("name", "  Cafe\u{301}   Bob ")],
        )
        .await
        .unwrap();
    assert_eq!(
        created.name, "Caf\u{e9} Bob",
        "stored in one canonical spelling"
    );

    let (_, token) = start(&app, &alice, &["prd-studio-drive"]).await;
    let view: LinkView = app
        .call(&bob, "open_transfer_link", &[("token", &token)])
        .await
        .unwrap();
    assert_eq!(view.source.as_str(), "org-alice-studio");
    assert_eq!(view.source_since.as_millis(), 1_767_225_600_000);
    let page = app.page(&bob, &format!("/receive/{token}")).await;
    assert!(
        page.contains("<code>org-alice-studio</code>"),
        "the receive page shows what a look-alike cannot copy"
    );
}

#[tokio::test]
async fn the_scale_organization_is_seeded_set_by_set() {
    let app = TestApp::spawn_with(&[("MANAGER_DEMO_SCALE", "500")]).await;
    let count = |sql: &'static str| scalar(&app, sql);
    assert_eq!(
        count("SELECT COUNT(*) FROM products WHERE organization_id = 'org-scale' AND kind NOT IN ('my_ksuite', 'jelastic_cloud')").await,
        500
    );
    assert_eq!(
        count("SELECT COUNT(DISTINCT kind) FROM products WHERE organization_id = 'org-scale'")
            .await,
        12,
        "every kind"
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM memberships WHERE organization_id = 'org-scale'").await,
        51
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM teams WHERE organization_id = 'org-scale'").await,
        10
    );
    assert!(count("SELECT COUNT(*) FROM access_grants WHERE management = 1 AND product_id LIKE 'prd-scale-%'").await > 0);
    assert!(
        count("SELECT COUNT(*) FROM product_links WHERE product_id LIKE 'prd-scale-%'").await > 0
    );
    assert!(count("SELECT COUNT(*) FROM invoices WHERE organization_id = 'org-scale'").await > 0);
    let alice = app.logged_in("alice@example.com").await;
    let products: Vec<String> = (1..=500).map(|n| format!("prd-scale-{n}")).collect();
    let started: Result<TransferId, AppError> = app
        .call_json(
            &alice,
            "start_transfer",
            json!({"organization": "org-scale", "products": products, "accepted_conditions": true}),
        )
        .await;
    assert!(started.is_ok(), "{started:?}");
}
