//! `/api/v1` with API tokens: scopes, confinement to the token's Organization, problem
//! details, idempotent retries, rate limits and the OpenAPI document.

use std::collections::BTreeSet;

use app::api_tokens::{ApiTokenSummary, CreatedApiToken};
use app::error::{AppError, InputProblem};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::support::{assert_bounded, TestApp};
use crate::transfers::{make_carol_an_administrator_of_both_alice_organizations, start};

const ALL_SCOPES: [&str; 4] = [
    "products:read",
    "transfers:read",
    "transfers:send",
    "transfers:receive",
];

async fn create_token(
    app: &TestApp,
    client: &reqwest::Client,
    organization: &str,
    scopes: &[&str],
) -> Result<CreatedApiToken, AppError> {
    app.call_json(
        client,
        "create_api_token",
        json!({"organization": organization, "name": "deploy script", "scopes": scopes, "days": 30}),
    )
    .await
}

async fn token_for(app: &TestApp, email: &str, organization: &str, scopes: &[&str]) -> String {
    let client = app.logged_in(email).await;
    create_token(app, &client, organization, scopes)
        .await
        .expect("the token is created")
        .secret
}

#[tokio::test]
async fn an_organization_holds_a_bounded_number_of_active_tokens_even_asked_at_once() {
    let app = TestApp::spawn().await;
    let alice = app.logged_in("alice@example.com").await;
    let at_once = futures::future::join_all(
        (0..60).map(|_| create_token(&app, &alice, "org-alice-studio", &["products:read"])),
    )
    .await;
    assert_bounded(&at_once, 50, AppError::TokenLimit);
    // Another Organization has its own bound.
    create_token(&app, &alice, "org-alice-holding", &["products:read"])
        .await
        .expect("Alice Holding's first token");
}

struct Api<'a> {
    app: &'a TestApp,
    client: reqwest::Client,
}

impl<'a> Api<'a> {
    fn new(app: &'a TestApp) -> Self {
        Api {
            app,
            client: app.new_browser(),
        }
    }

    async fn send(
        &self,
        token: Option<&str>,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
        key: Option<&str>,
    ) -> (StatusCode, reqwest::header::HeaderMap, Value) {
        let mut request = self
            .client
            .request(method, format!("{}/api/v1{path}", self.app.address));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        if let Some(key) = key {
            request = request.header("idempotency-key", key);
        }
        let response = request.send().await.expect("request sent");
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.expect("body");
        let value = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or_else(|_| panic!("JSON body: {text}"))
        };
        (status, headers, value)
    }

    async fn get(&self, token: &str, path: &str) -> (StatusCode, Value) {
        let (status, _, body) = self
            .send(Some(token), reqwest::Method::GET, path, None, None)
            .await;
        (status, body)
    }

    async fn post(&self, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
        let (status, _, body) = self
            .send(Some(token), reqwest::Method::POST, path, Some(body), None)
            .await;
        (status, body)
    }
}

fn assert_problem(
    (status, headers, body): &(StatusCode, reqwest::header::HeaderMap, Value),
    expected: u16,
    code: &str,
) {
    assert_eq!(status.as_u16(), expected, "{body}");
    assert_eq!(
        headers["content-type"], "application/problem+json",
        "{body}"
    );
    assert_eq!(body["status"], expected);
    assert_eq!(body["code"], code, "{body}");
    assert_eq!(body["type"], format!("/api/v1/problems/{code}"));
}

#[tokio::test]
async fn administrators_create_list_and_revoke_tokens_shown_once_and_stored_hashed() {
    let app = TestApp::spawn().await;
    let alice = app.logged_in("alice@example.com").await;
    let created = create_token(&app, &alice, "org-alice-studio", &["products:read"])
        .await
        .unwrap();
    assert!(created.secret.starts_with("mgr_") && created.secret.len() > 40);

    let listed: Vec<ApiTokenSummary> = app
        .call(
            &alice,
            "list_api_tokens",
            &[("organization", "org-alice-studio")],
        )
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, created.id);
    assert_eq!(listed[0].name, "deploy script");
    assert_eq!(listed[0].creator, "Alice Martin");
    assert!(listed[0].active && listed[0].last_used_at.is_none());
    let listing = serde_json::to_string(&listed).unwrap();
    assert!(!listing.contains(&created.secret));

    // Only a hash is kept: no column of the table holds the secret.
    let db = app.database().await;
    let rows: Vec<(String, String, String, String)> =
        sqlx::query_as("SELECT id, name, scopes, secret_hash FROM api_tokens")
            .fetch_all(&db)
            .await
            .unwrap();
    assert_eq!(rows.len(), 1);
    let (_, _, _, hash) = &rows[0];
    assert!(![&rows[0].0, &rows[0].1, &rows[0].2, hash]
        .iter()
        .any(|value| value.contains(&created.secret[4..])));

    let api = Api::new(&app);
    assert_eq!(
        api.get(&created.secret, "/products").await.0,
        StatusCode::OK
    );
    let listed: Vec<ApiTokenSummary> = app
        .call(
            &alice,
            "list_api_tokens",
            &[("organization", "org-alice-studio")],
        )
        .await
        .unwrap();
    assert!(listed[0].last_used_at.is_some(), "the use is recorded");

    // Users of the Organization and outsiders may not manage its tokens.
    let carol = app.logged_in("carol@example.com").await;
    assert_eq!(
        create_token(&app, &carol, "org-alice-studio", &["products:read"]).await,
        Err(AppError::Forbidden)
    );
    let bob = app.logged_in("bob@example.com").await;
    assert_eq!(
        app.call::<Vec<ApiTokenSummary>>(
            &bob,
            "list_api_tokens",
            &[("organization", "org-alice-studio")]
        )
        .await,
        Err(AppError::NotFound)
    );
    assert_eq!(
        app.call::<()>(
            &bob,
            "revoke_api_token",
            &[
                ("organization", "org-bob-consulting"),
                ("token", created.id.as_str())
            ]
        )
        .await,
        Err(AppError::NotFound),
        "another Organization's token is not found"
    );

    // Bad input: a clear refusal, and nothing created.
    for (body, problem) in [
        (
            json!({"organization": "org-alice-studio", "name": " ", "scopes": ["products:read"], "days": 30}),
            InputProblem::TokenName,
        ),
        (
            json!({"organization": "org-alice-studio", "name": "x".repeat(101), "scopes": ["products:read"], "days": 30}),
            InputProblem::TokenName,
        ),
        (
            json!({"organization": "org-alice-studio", "name": "ci", "scopes": [], "days": 30}),
            InputProblem::TokenScopes,
        ),
        (
            json!({"organization": "org-alice-studio", "name": "ci", "scopes": ["products:read"], "days": 0}),
            InputProblem::TokenLifetime,
        ),
        (
            json!({"organization": "org-alice-studio", "name": "ci", "scopes": ["products:read"], "days": 5000}),
            InputProblem::TokenLifetime,
        ),
    ] {
        assert_eq!(
            app.call_json::<CreatedApiToken>(&alice, "create_api_token", body)
                .await,
            Err(AppError::Invalid(problem))
        );
    }
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM api_tokens")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(count, 1);

    app.call::<()>(
        &alice,
        "revoke_api_token",
        &[
            ("organization", "org-alice-studio"),
            ("token", created.id.as_str()),
        ],
    )
    .await
    .unwrap();
    let refused = api
        .send(
            Some(&created.secret),
            reqwest::Method::GET,
            "/products",
            None,
            None,
        )
        .await;
    assert_problem(&refused, 401, "unauthorized");
}

#[tokio::test]
async fn each_route_needs_its_scope_a_live_token_and_never_a_cookie() {
    let app = TestApp::spawn().await;
    let api = Api::new(&app);
    let reader = token_for(
        &app,
        "alice@example.com",
        "org-alice-studio",
        &["products:read"],
    )
    .await;
    let (status, page) = api.get(&reader, "/products?size=3&page=2").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page["total"], 9, "{page}");
    assert_eq!(page["size"], 3);
    assert_eq!(page["page"], 2);
    assert_eq!(page["items"].as_array().unwrap().len(), 3);
    let (_, found) = api.get(&reader, "/products?search=backup").await;
    assert_eq!(found["items"][0]["id"], "prd-studio-backup");
    let (status, found) = api.get(&reader, "/products?search=%00backup").await;
    assert_eq!(
        status,
        StatusCode::OK,
        "a NUL is dropped, not sent to the database"
    );
    assert_eq!(found["items"][0]["id"], "prd-studio-backup");
    let (_, kdrives) = api.get(&reader, "/products?kind=kdrive").await;
    assert_eq!(kdrives["total"], 1);
    assert_problem(
        &api.send(
            Some(&reader),
            reqwest::Method::GET,
            "/products?kind=spaceship",
            None,
            None,
        )
        .await,
        400,
        "bad_request",
    );

    // The scope each route names, and no other, lets a request through.
    for (method, path, body) in [
        (reqwest::Method::GET, "/transfers", None),
        (reqwest::Method::GET, "/transfers/trf-missing", None),
        (
            reqwest::Method::POST,
            "/transfers",
            Some(json!({"products": ["prd-build-vps"], "accept_conditions": true})),
        ),
        (reqwest::Method::POST, "/transfers/trf-missing/cancel", None),
        (
            reqwest::Method::POST,
            "/links/read",
            Some(json!({"link": "nothing"})),
        ),
        (
            reqwest::Method::POST,
            "/links/receive",
            Some(json!({"link": "nothing", "accept_conditions": true})),
        ),
        (
            reqwest::Method::POST,
            "/links/decline",
            Some(json!({"link": "nothing"})),
        ),
    ] {
        let refused = api.send(Some(&reader), method, path, body, None).await;
        assert_problem(&refused, 403, "forbidden");
    }
    let receiver = token_for(
        &app,
        "alice@example.com",
        "org-alice-studio",
        &["transfers:receive"],
    )
    .await;
    assert_problem(
        &api.send(
            Some(&receiver),
            reqwest::Method::GET,
            "/products",
            None,
            None,
        )
        .await,
        403,
        "forbidden",
    );
    assert_problem(
        &api.send(
            Some(&receiver),
            reqwest::Method::POST,
            "/links/read",
            Some(json!({"link": "nothing"})),
            None,
        )
        .await,
        404,
        "link_unavailable",
    );

    // No token, a made-up one, or a browser session: not authenticated.
    let anonymous = api
        .send(None, reqwest::Method::GET, "/products", None, None)
        .await;
    assert_problem(&anonymous, 401, "unauthorized");
    assert!(anonymous.1["www-authenticate"]
        .to_str()
        .unwrap()
        .starts_with("Bearer"));
    assert_problem(
        &api.send(
            Some("mgr_made-up"),
            reqwest::Method::GET,
            "/products",
            None,
            None,
        )
        .await,
        401,
        "unauthorized",
    );
    let browser = app.logged_in("alice@example.com").await;
    let response = browser
        .get(format!("{}/api/v1/products", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);

    // Expired, or its creator no longer manages the Organization: dead at once.
    let db = app.database().await;
    sqlx::query("UPDATE api_tokens SET expires_at = 1 WHERE scopes = 'transfers:receive'")
        .execute(&db)
        .await
        .unwrap();
    assert_problem(
        &api.send(
            Some(&receiver),
            reqwest::Method::POST,
            "/links/read",
            Some(json!({"link": "x"})),
            None,
        )
        .await,
        401,
        "unauthorized",
    );
    assert_eq!(api.get(&reader, "/products").await.0, StatusCode::OK);
    sqlx::query("UPDATE memberships SET role = 'user' WHERE user_id = 'usr-alice' AND organization_id = 'org-alice-studio'")
        .execute(&db)
        .await
        .unwrap();
    assert_problem(
        &api.send(Some(&reader), reqwest::Method::GET, "/products", None, None)
            .await,
        401,
        "unauthorized",
    );
}

#[tokio::test]
async fn a_retry_takes_over_a_claim_its_first_call_abandoned() {
    let app = TestApp::spawn().await;
    let api = Api::new(&app);
    let alice = token_for(&app, "alice@example.com", "org-alice-studio", &ALL_SCOPES).await;
    let start = json!({"products": ["prd-studio-drive"], "accept_conditions": true});
    let send = || {
        api.send(
            Some(&alice),
            reqwest::Method::POST,
            "/transfers",
            Some(start.clone()),
            Some("run-7"),
        )
    };
    let first = send().await;
    assert_eq!(first.0, StatusCode::CREATED, "{}", first.2);
    let id = first.2["id"].as_str().unwrap();
    let (cancelled, ..) = api
        .post(&alice, &format!("/transfers/{id}/cancel"), json!({}))
        .await;
    assert_eq!(cancelled, StatusCode::OK);

    // As if the first call's client had gone away before its answer was kept.
    let db = app.database().await;
    sqlx::query("UPDATE api_idempotency SET status = NULL, body = NULL")
        .execute(&db)
        .await
        .unwrap();
    assert_problem(&send().await, 409, "idempotency_key_in_use");
    // A minute later nothing can still be running: the retry runs, and is kept.
    sqlx::query("UPDATE api_idempotency SET created_at = created_at - 61000")
        .execute(&db)
        .await
        .unwrap();
    let retried = send().await;
    assert_eq!(retried.0, StatusCode::CREATED, "{}", retried.2);
    assert_ne!(retried.2["id"], first.2["id"]);
    let replayed = send().await;
    assert_eq!(replayed.1["idempotent-replayed"], "true");
    assert_eq!(replayed.2["id"], retried.2["id"]);
}

#[tokio::test]
async fn two_tokens_do_the_whole_flow_and_see_only_their_own_organization() {
    let app = TestApp::spawn().await;
    let api = Api::new(&app);
    let alice = token_for(&app, "alice@example.com", "org-alice-studio", &ALL_SCOPES).await;
    let bob = token_for(&app, "bob@example.com", "org-bob-consulting", &ALL_SCOPES).await;

    let start =
        json!({"products": ["prd-studio-drive", "prd-build-vps"], "accept_conditions": true});
    let first = api
        .send(
            Some(&alice),
            reqwest::Method::POST,
            "/transfers",
            Some(start.clone()),
            Some("run-42"),
        )
        .await;
    assert_eq!(first.0, StatusCode::CREATED, "{}", first.2);
    let again = api
        .send(
            Some(&alice),
            reqwest::Method::POST,
            "/transfers",
            Some(start.clone()),
            Some("run-42"),
        )
        .await;
    assert_eq!(again.0, StatusCode::CREATED);
    assert_eq!(again.1["idempotent-replayed"], "true");
    assert_eq!(again.2["id"], first.2["id"], "a retry creates nothing new");
    let link = first.2["link"].as_str().expect("the source sees its link");
    assert_eq!(again.2["link"], link);
    let db = app.database().await;
    let kept: String = sqlx::query_scalar("SELECT body FROM api_idempotency")
        .fetch_one(&db)
        .await
        .unwrap();
    let token = link.rsplit('/').next().unwrap();
    assert!(
        !kept.contains(token) && !kept.contains(first.2["id"].as_str().unwrap()),
        "the kept answer is sealed"
    );
    let transfers: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM transfers")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(transfers, 1);
    // The same call twice at once still starts one transfer.
    let concurrent = json!({"products": ["prd-studio-hosting"], "accept_conditions": true});
    let (one, two) = tokio::join!(
        api.send(
            Some(&alice),
            reqwest::Method::POST,
            "/transfers",
            Some(concurrent.clone()),
            Some("run-43")
        ),
        api.send(
            Some(&alice),
            reqwest::Method::POST,
            "/transfers",
            Some(concurrent.clone()),
            Some("run-43")
        ),
    );
    let statuses = BTreeSet::from([one.0.as_u16(), two.0.as_u16()]);
    assert!(statuses.contains(&201), "{statuses:?}");
    assert!(
        statuses.is_subset(&BTreeSet::from([201, 409])),
        "{statuses:?}"
    );
    let transfers: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM transfers")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(transfers, 2);
    assert_problem(
        &api.send(
            Some(&alice),
            reqwest::Method::POST,
            "/transfers",
            Some(json!({"products": ["prd-studio-backup"], "accept_conditions": true})),
            Some("run-42"),
        )
        .await,
        422,
        "idempotency_key_reused",
    );
    assert_problem(
        &api.send(
            Some(&alice),
            reqwest::Method::POST,
            "/transfers",
            Some(json!({"products": ["prd-studio-backup"], "accept_conditions": false})),
            None,
        )
        .await,
        422,
        "conditions_not_accepted",
    );
    assert_problem(
        &api.send(
            Some(&alice),
            reqwest::Method::POST,
            "/transfers",
            Some(json!({"products": ["prd-bob-drive"], "accept_conditions": true})),
            None,
        )
        .await,
        422,
        "unknown_product",
    );
    assert_problem(
        &api.send(
            Some(&alice),
            reqwest::Method::POST,
            "/transfers",
            Some(json!({"products": "all"})),
            None,
        )
        .await,
        400,
        "bad_request",
    );

    // A script is no browser: a bearer call passes whatever its site headers say.
    let scripted = api
        .client
        .post(format!("{}/api/v1/transfers", app.address))
        .bearer_auth(&alice)
        .header("sec-fetch-site", "cross-site")
        .header("origin", "https://elsewhere.example")
        .json(&json!({"products": ["prd-bob-drive"], "accept_conditions": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        scripted.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "judged, not refused as cross-site"
    );

    let transfer = first.2;
    let id = transfer["id"].as_str().unwrap().to_string();
    assert_eq!(transfer["status"], "in_progress");
    assert_eq!(transfer["source"], "org-alice-studio");
    let link = transfer["link"].as_str().unwrap().to_string();
    assert!(link.contains("/receive/"));

    // Bob's token: Alice's transfer answers exactly like one that does not exist.
    let (status, hidden) = api.get(&bob, &format!("/transfers/{id}")).await;
    let (_, missing) = api.get(&bob, "/transfers/trf-does-not-exist").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(hidden, missing);
    let (status, cancel) = api
        .post(&bob, &format!("/transfers/{id}/cancel"), json!({}))
        .await;
    assert_eq!((status, cancel), (StatusCode::NOT_FOUND, missing.clone()));

    // Alice's token for her other Organization: her rights there, not in the sender.
    let holding = token_for(&app, "alice@example.com", "org-alice-holding", &ALL_SCOPES).await;
    let (status, elsewhere) = api.get(&holding, &format!("/transfers/{id}")).await;
    assert_eq!((status, &elsewhere), (StatusCode::NOT_FOUND, &missing));
    let (status, cancel) = api
        .post(&holding, &format!("/transfers/{id}/cancel"), json!({}))
        .await;
    assert_eq!((status, cancel), (StatusCode::NOT_FOUND, missing.clone()));
    let (_, own) = api.get(&holding, "/products").await;
    assert_eq!(own["total"], 2, "{own}");
    assert_eq!(api.get(&holding, "/transfers").await.1["total"], 0);

    let (status, offer) = api.post(&bob, "/links/read", json!({"link": link})).await;
    assert_eq!(status, StatusCode::OK, "{offer}");
    assert_eq!(offer["source_name"], "Alice Studio SA");
    assert_eq!(offer["can_receive"], true);
    assert_problem(
        &api.send(
            Some(&bob),
            reqwest::Method::POST,
            "/links/receive",
            Some(json!({"link": link, "accept_conditions": false})),
            None,
        )
        .await,
        422,
        "conditions_not_accepted",
    );
    let (status, receipt) = api
        .post(
            &bob,
            "/links/receive",
            json!({"link": link, "accept_conditions": true}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{receipt}");
    assert_eq!(
        receipt,
        json!({"transfer": id, "destination": "org-bob-consulting"})
    );

    let (_, sent) = api.get(&alice, "/transfers?status=completed").await;
    assert_eq!(sent["total"], 1);
    assert_eq!(sent["items"][0]["direction"], "outgoing");
    assert_eq!(
        sent["items"][0]["other_organization"],
        "Bob Consulting Sàrl"
    );
    let (_, received) = api.get(&bob, "/transfers").await;
    assert_eq!(received["items"][0]["direction"], "incoming");
    assert_eq!(received["items"][0]["product_count"], 2);
    let (_, seen) = api.get(&bob, &format!("/transfers/{id}")).await;
    assert_eq!(seen["status"], "completed");
    assert_eq!(seen["link"], Value::Null);
    let (_, bobs) = api.get(&bob, "/products?kind=vps").await;
    assert_eq!(bobs["items"][0]["id"], "prd-build-vps");

    // Email, cancel, move and decline, each through the same services.
    let (_, second) = api
        .post(
            &alice,
            "/transfers",
            json!({"products": ["prd-studio-backup"], "accept_conditions": true}),
        )
        .await;
    let second_id = second["id"].as_str().unwrap();
    let (status, _) = api
        .post(
            &alice,
            &format!("/transfers/{second_id}/email"),
            json!({"email": "someone@example.org", "language": "fr"}),
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    assert_problem(
        &api.send(
            Some(&alice),
            reqwest::Method::POST,
            &format!("/transfers/{second_id}/email"),
            Some(json!({"email": "not an address"})),
            None,
        )
        .await,
        400,
        "invalid_email",
    );
    let (status, cancelled) = api
        .post(&alice, &format!("/transfers/{second_id}/cancel"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(cancelled["status"], "cancelled");
    assert_problem(
        &api.send(
            Some(&alice),
            reqwest::Method::POST,
            &format!("/transfers/{second_id}/cancel"),
            None,
            None,
        )
        .await,
        409,
        "transfer_closed",
    );

    let (_, third) = api
        .post(
            &alice,
            "/transfers",
            json!({"products": ["prd-studio-backup"], "accept_conditions": true}),
        )
        .await;
    let third_id = third["id"].as_str().unwrap();
    let (status, moved) = api
        .post(
            &alice,
            &format!("/transfers/{third_id}/move"),
            json!({"destination": "org-alice-holding"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert_eq!(moved["destination"], "org-alice-holding");

    let (_, fourth) = api
        .post(
            &bob,
            "/transfers",
            json!({"products": ["prd-bob-domain"], "accept_conditions": true}),
        )
        .await;
    let declined = api
        .send(
            Some(&alice),
            reqwest::Method::POST,
            "/links/decline",
            Some(json!({"link": fourth["link"]})),
            None,
        )
        .await;
    assert_eq!(declined.0, StatusCode::NO_CONTENT);
    let (_, after) = api
        .get(
            &bob,
            &format!("/transfers/{}", fourth["id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(after["status"], "declined");
}

#[tokio::test]
async fn a_move_by_another_administrators_token_needs_the_conditions_accepted() {
    let app = TestApp::spawn().await;
    make_carol_an_administrator_of_both_alice_organizations(&app).await;
    let alice = app.logged_in("alice@example.com").await;
    let (id, _) = start(&app, &alice, &["prd-studio-domain"]).await;
    let carol = token_for(
        &app,
        "carol@example.com",
        "org-alice-studio",
        &["transfers:send"],
    )
    .await;
    let api = Api::new(&app);
    let path = format!("/transfers/{id}/move");
    assert_problem(
        &api.send(
            Some(&carol),
            reqwest::Method::POST,
            &path,
            Some(json!({"destination": "org-alice-holding"})),
            None,
        )
        .await,
        422,
        "conditions_not_accepted",
    );
    let (status, moved) = api
        .post(
            &carol,
            &path,
            json!({"destination": "org-alice-holding", "accept_conditions": true}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert_eq!(moved["destination"], "org-alice-holding");
}

#[tokio::test]
async fn a_token_over_its_rate_limit_is_told_when_to_come_back() {
    let app = TestApp::spawn_with(&[("MANAGER_API_RATE_LIMIT", "3")]).await;
    let api = Api::new(&app);
    let token = token_for(
        &app,
        "alice@example.com",
        "org-alice-studio",
        &["products:read"],
    )
    .await;
    let other = token_for(
        &app,
        "alice@example.com",
        "org-alice-studio",
        &["products:read"],
    )
    .await;
    for _ in 0..3 {
        assert_eq!(api.get(&token, "/products").await.0, StatusCode::OK);
    }
    let limited = api
        .send(Some(&token), reqwest::Method::GET, "/products", None, None)
        .await;
    assert_problem(&limited, 429, "rate_limited");
    let wait: u64 = limited.1["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    assert_eq!(
        api.get(&other, "/products").await.0,
        StatusCode::OK,
        "limits are per token"
    );
}

/// Every `$ref` in the document, to check that each names a schema it defines.
fn refs(value: &Value, found: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                match (key.as_str(), value) {
                    ("$ref", Value::String(target)) => {
                        found.insert(target.clone());
                    }
                    _ => refs(value, found),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| refs(item, found)),
        _ => {}
    }
}

#[tokio::test]
async fn the_openapi_document_is_3_1_and_describes_every_route() {
    let app = TestApp::spawn().await;
    let document: Value = reqwest::get(format!("{}/api/v1/openapi.json", app.address))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(document["openapi"].as_str().unwrap().starts_with("3.1"));
    let operations: BTreeSet<String> = document["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .map(move |method| format!("{} {path}", method.to_uppercase()))
        })
        .collect();
    let expected: BTreeSet<String> = [
        "GET /api/v1/products",
        "GET /api/v1/transfers",
        "POST /api/v1/transfers",
        "GET /api/v1/transfers/{id}",
        "POST /api/v1/transfers/{id}/cancel",
        "POST /api/v1/transfers/{id}/email",
        "POST /api/v1/transfers/{id}/move",
        "POST /api/v1/links/read",
        "POST /api/v1/links/receive",
        "POST /api/v1/links/decline",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(operations, expected);
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            assert!(
                operation["responses"]
                    .as_object()
                    .is_some_and(|r| !r.is_empty()),
                "{method} {path} documents its answers"
            );
            assert!(
                operation["security"][0]["bearer"].is_array(),
                "{method} {path} names its scope"
            );
        }
    }
    assert_eq!(
        document["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    let mut found = BTreeSet::new();
    refs(&document, &mut found);
    assert!(!found.is_empty());
    for target in found {
        let name = target
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("{target} points into the schemas"));
        assert!(
            document["components"]["schemas"][name].is_object(),
            "{target} is defined"
        );
    }
}
