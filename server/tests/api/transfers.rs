use app::error::AppError;
use app::paging::Page;
use app::session::Membership;
use app::transfers::api::{LinkView, Received, TransferDetail, TransferSummary};
use serde_json::json;
use transfer_rules::{
    NotTransferable, ReceiptRefusal, TransferId, TransferRefusal, TransferStateRefusal,
    TransferStatus,
};

use manager_server::store::outbox::Lease;

use crate::support::{assert_bounded, TestApp};

/// Alice starts a transfer of the given products and returns its id and link token.
pub async fn start(
    app: &TestApp,
    alice: &reqwest::Client,
    products: &[&str],
) -> (TransferId, String) {
    let id: TransferId = app
        .call_json(
            alice,
            "start_transfer",
            json!({"organization": "org-alice-studio", "products": products, "accepted_conditions": true}),
        )
        .await
        .expect("alice starts a transfer");
    let detail: TransferDetail = app
        .call(alice, "get_transfer", &[("transfer", id.as_str())])
        .await
        .unwrap();
    let link = detail.link.expect("the sender sees the link");
    let token = link.rsplit('/').next().unwrap().to_string();
    assert!(link.starts_with(&format!("{}/receive/", app.state.public_url)));
    (id, token)
}

pub async fn receive(
    app: &TestApp,
    who: &reqwest::Client,
    token: &str,
    destination: &str,
) -> Result<Received, AppError> {
    app.call(
        who,
        "receive_transfer",
        &[
            ("token", token),
            ("destination", destination),
            ("accepted_conditions", "true"),
        ],
    )
    .await
}

/// Puts a transfer's expiry in the past, as if its days had run out.
pub async fn make_overdue(app: &TestApp, transfer: &TransferId) {
    let pool = app.database().await;
    sqlx::query("UPDATE transfers SET expires_at = 1 WHERE id = $1")
        .bind(transfer.as_str())
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
}

pub async fn execute(app: &TestApp, statements: &[&str]) {
    let pool = app.database().await;
    for statement in statements {
        sqlx::query(statement).execute(&pool).await.unwrap();
    }
    pool.close().await;
}

/// Carol, a plain User of Alice Studio in the demo, becomes an Administrator of it and of
/// Alice Holding: another administrator of a transfer's source, who did not start it.
pub async fn make_carol_an_administrator_of_both_alice_organizations(app: &TestApp) {
    execute(
        app,
        &[
            "UPDATE memberships SET role = 'administrator' \
             WHERE organization_id = 'org-alice-studio' AND user_id = 'usr-carol'",
            "INSERT INTO memberships (organization_id, user_id, role) \
             VALUES ('org-alice-holding', 'usr-carol', 'administrator')",
        ],
    )
    .await;
}

pub async fn scalar(app: &TestApp, sql: &str) -> i64 {
    let pool = app.database().await;
    let value = sqlx::query_scalar::<_, i64>(sql)
        .fetch_one(&pool)
        .await
        .unwrap();
    pool.close().await;
    value
}

#[tokio::test]
async fn a_link_moves_the_products_and_applies_every_rule() {
    let app = TestApp::spawn().await;
    let alice = app.logged_in("alice@example.com").await;
    let bob = app.logged_in("bob@example.com").await;
    let (id, token) = start(&app, &alice, &["prd-studio-drive", "prd-studio-hosting"]).await;

    // Opening the link shows the transfer and changes nothing.
    let view: LinkView = app
        .call(&bob, "open_transfer_link", &[("token", &token)])
        .await
        .unwrap();
    assert_eq!(view.source_name, "Alice Studio SA");
    let kinds: u64 = view.kinds.iter().map(|(_, n)| n).sum();
    assert_eq!(kinds, 2);
    let destinations: Vec<_> = view.destinations.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(destinations, ["Bob Consulting Sàrl"]);
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM products WHERE organization_id = 'org-bob-consulting'"
        )
        .await,
        2
    );

    let received = receive(&app, &bob, &token, "org-bob-consulting")
        .await
        .unwrap();
    assert_eq!(received.transfer, id);

    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM products WHERE organization_id = 'org-bob-consulting'"
        )
        .await,
        4
    );
    // carol joins Bob Consulting as a User, keeps her kDrive access without management…
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM memberships WHERE organization_id = 'org-bob-consulting' AND user_id = 'usr-carol' AND role = 'user'").await, 1);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM access_grants WHERE user_id = 'usr-carol' AND product_id = 'prd-studio-drive' AND level = 'write' AND management = 0").await, 1);
    // …and loses the hosting; the Designers team loses its rights on it.
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM access_grants WHERE product_id = 'prd-studio-hosting'"
        )
        .await,
        0
    );
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM team_rights WHERE product_id = 'prd-studio-hosting'"
        )
        .await,
        0
    );
    // Invoices stay with the source.
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM invoices WHERE organization_id = 'org-alice-studio'"
        )
        .await,
        4
    );
    // Both acceptances are recorded with the conditions' version.
    assert_eq!(scalar(&app, &format!("SELECT COUNT(*) FROM condition_acceptances WHERE transfer_id = '{id}' AND conditions_version = '{}'", app::transfers::api::CONDITIONS_VERSION)).await, 2);
    // Both sides' administrators are told.
    let recipients: Vec<String> = app
        .state
        .store
        .pending_emails()
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.recipient)
        .collect();
    assert!(
        recipients.contains(&"alice@example.com".to_string())
            && recipients.contains(&"bob@example.com".to_string()),
        "{recipients:?}"
    );

    for (who, org) in [(&alice, "org-alice-studio"), (&bob, "org-bob-consulting")] {
        let list: Page<TransferSummary> = app
            .call(who, "list_transfers", &[("organization", org)])
            .await
            .unwrap();
        assert_eq!(list.items[0].status, TransferStatus::Completed);
    }
    // The same link cannot be received twice, nor opened again.
    assert_eq!(
        receive(&app, &bob, &token, "org-bob-consulting").await,
        Err(AppError::ReceiptRefused(ReceiptRefusal::Closed(
            TransferStateRefusal::AlreadyCompleted
        )))
    );
    assert_eq!(
        app.call::<LinkView>(&bob, "open_transfer_link", &[("token", &token)])
            .await,
        Err(AppError::LinkUnavailable)
    );
}

#[tokio::test]
async fn fifty_concurrent_receipts_of_one_link_move_it_once() {
    let app = TestApp::spawn().await;
    let alice = app.logged_in("alice@example.com").await;
    let bob = app.logged_in("bob@example.com").await;
    let (_, token) = start(&app, &alice, &["prd-build-vps"]).await;
    let attempts = (0..50).map(|_| receive(&app, &bob, &token, "org-bob-consulting"));
    let results = futures::future::join_all(attempts).await;
    let succeeded = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(succeeded, 1, "{results:?}");
    for result in results.into_iter().filter(Result::is_err) {
        assert_eq!(
            result,
            Err(AppError::ReceiptRefused(ReceiptRefusal::Closed(
                TransferStateRefusal::AlreadyCompleted
            )))
        );
    }
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM transfer_events WHERE kind = 'completed'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn two_transfers_racing_for_one_product_lock_it_once() {
    let app = TestApp::spawn().await;
    let alice = app.logged_in("alice@example.com").await;
    let body = json!({"organization": "org-alice-studio", "products": ["prd-studio-backup"], "accepted_conditions": true});
    let (first, second) = tokio::join!(
        app.call_json::<TransferId>(&alice, "start_transfer", body.clone()),
        app.call_json::<TransferId>(&alice, "start_transfer", body.clone()),
    );
    let outcomes = [first, second];
    assert_eq!(
        outcomes.iter().filter(|r| r.is_ok()).count(),
        1,
        "{outcomes:?}"
    );
    assert!(outcomes.contains(&Err(AppError::TransferRefused(
        TransferRefusal::NotTransferable {
            product: "prd-studio-backup".parse().unwrap(),
            reason: NotTransferable::AlreadyInTransfer,
        }
    ))));
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM product_locks").await, 1);
}

/// Every row of every table, as text, to compare states.
async fn everything(app: &TestApp) -> Vec<String> {
    let pool = app.database().await;
    let mut rows = Vec::new();
    for (table, columns) in [
        ("products", "id || organization_id"),
        (
            "access_grants",
            "product_id || user_id || level || management",
        ),
        ("memberships", "organization_id || user_id || role"),
        ("team_rights", "team_id || product_id"),
        ("invoices", "id || organization_id"),
        ("transfers", "id || status || COALESCE(destination_id, '-')"),
        ("product_locks", "product_id || transfer_id"),
        ("transfer_events", "transfer_id || kind"),
        ("condition_acceptances", "transfer_id || party"),
        ("outbox", "id"),
    ] {
        let mut values: Vec<String> = sqlx::query_scalar(&format!("SELECT {columns} FROM {table}"))
            .fetch_all(&pool)
            .await
            .unwrap();
        values.sort();
        rows.extend(values.into_iter().map(|v| format!("{table}: {v}")));
    }
    pool.close().await;
    rows
}

#[tokio::test]
async fn a_receipt_failing_midway_changes_nothing() {
    let app = TestApp::spawn().await;
    let alice = app.logged_in("alice@example.com").await;
    let bob = app.logged_in("bob@example.com").await;
    let (_, token) = start(&app, &alice, &["prd-studio-drive", "prd-studio-hosting"]).await;
    let before = everything(&app).await;

    // Make the last write of the receipt fail, after products, grants and rights changed.
    let pool = app.database().await;
    let sqlite = app.database_url.starts_with("sqlite");
    let statements: &[&str] = if sqlite {
        &["CREATE TRIGGER fail_receipt BEFORE INSERT ON condition_acceptances WHEN NEW.party = 'receiver' \
           BEGIN SELECT RAISE(ABORT, 'injected failure'); END"]
    } else {
        &[
            "CREATE FUNCTION fail_receipt() RETURNS trigger AS $$ BEGIN \
             IF NEW.party = 'receiver' THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER fail_receipt BEFORE INSERT ON condition_acceptances FOR EACH ROW EXECUTE FUNCTION fail_receipt()",
        ]
    };
    for statement in statements {
        sqlx::query(statement).execute(&pool).await.unwrap();
    }
    let failed = receive(&app, &bob, &token, "org-bob-consulting").await;
    assert_eq!(
        failed,
        Err(AppError::Internal),
        "the database's text never reaches the client"
    );
    assert_eq!(everything(&app).await, before);

    let drop = if sqlite {
        "DROP TRIGGER fail_receipt"
    } else {
        "DROP TRIGGER fail_receipt ON condition_acceptances"
    };
    sqlx::query(drop).execute(&pool).await.unwrap();
    pool.close().await;
    assert!(
        receive(&app, &bob, &token, "org-bob-consulting")
            .await
            .is_ok(),
        "the same link still works"
    );
}

#[tokio::test]
async fn only_administrators_send_and_only_parties_see() {
    let app = TestApp::spawn().await;
    let carol = app.logged_in("carol@example.com").await;
    let alice = app.logged_in("alice@example.com").await;
    let bob = app.logged_in("bob@example.com").await;
    assert_eq!(
        app.call_json::<TransferId>(&carol, "start_transfer", json!({"organization": "org-alice-studio", "products": ["prd-studio-drive"], "accepted_conditions": true})).await,
        Err(AppError::Forbidden)
    );
    assert_eq!(
        app.call_json::<TransferId>(&bob, "start_transfer", json!({"organization": "org-alice-studio", "products": ["prd-studio-drive"], "accepted_conditions": true})).await,
        Err(AppError::NotFound)
    );
    // Bob's own products cannot be put in Alice's transfer, and the answer is "unknown".
    assert_eq!(
        app.call_json::<TransferId>(&alice, "start_transfer", json!({"organization": "org-alice-studio", "products": ["prd-bob-drive"], "accepted_conditions": true})).await,
        Err(AppError::TransferRefused(TransferRefusal::UnknownProduct { product: "prd-bob-drive".parse().unwrap() }))
    );
    assert_eq!(
        app.call_json::<TransferId>(&alice, "start_transfer", json!({"organization": "org-alice-studio", "products": ["prd-alice-my-ksuite"], "accepted_conditions": true})).await,
        Err(AppError::TransferRefused(TransferRefusal::NotTransferable { product: "prd-alice-my-ksuite".parse().unwrap(), reason: NotTransferable::NeverTransferable }))
    );
    assert_eq!(
        app.call_json::<TransferId>(
            &alice,
            "start_transfer",
            json!({"organization": "org-alice-studio", "products": [], "accepted_conditions": true})
        )
        .await,
        Err(AppError::TransferRefused(TransferRefusal::EmptySelection))
    );
    assert_eq!(
        app.call_json::<TransferId>(&alice, "start_transfer", json!({"organization": "org-alice-studio", "products": ["prd-studio-drive"], "accepted_conditions": false})).await,
        Err(AppError::ConditionsNotAccepted)
    );
    let (id, _) = start(&app, &alice, &["prd-studio-drive"]).await;
    assert_eq!(
        app.call::<TransferDetail>(&bob, "get_transfer", &[("transfer", id.as_str())])
            .await,
        Err(AppError::NotFound)
    );
    assert_eq!(
        app.call::<()>(&bob, "cancel_transfer", &[("transfer", id.as_str())])
            .await,
        Err(AppError::NotFound)
    );
    assert_eq!(
        app.call::<()>(&carol, "cancel_transfer", &[("transfer", id.as_str())])
            .await,
        Err(AppError::TransferClosed(TransferStateRefusal::NotAllowed))
    );
    assert_eq!(
        app.call::<()>(
            &alice,
            "email_transfer_link",
            &[("transfer", id.as_str()), ("email", "not-an-email")]
        )
        .await,
        Err(AppError::Invalid(app::error::InputProblem::Email))
    );
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM outbox").await,
        0,
        "bad input changes nothing"
    );
}

#[tokio::test]
async fn cancel_decline_and_expiry_close_the_transfer_and_free_its_products() {
    let app = TestApp::spawn().await;
    let alice = app.logged_in("alice@example.com").await;
    let bob = app.logged_in("bob@example.com").await;

    let (cancelled, token) = start(&app, &alice, &["prd-studio-drive"]).await;
    app.call::<()>(
        &alice,
        "cancel_transfer",
        &[("transfer", cancelled.as_str())],
    )
    .await
    .unwrap();
    assert_eq!(
        app.call::<LinkView>(&bob, "open_transfer_link", &[("token", &token)])
            .await,
        Err(AppError::LinkUnavailable)
    );
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM product_locks").await, 0);

    let (declined, token) = start(&app, &alice, &["prd-studio-drive"]).await;
    app.call::<()>(&bob, "decline_transfer", &[("token", &token)])
        .await
        .unwrap();
    let detail: TransferDetail = app
        .call(&alice, "get_transfer", &[("transfer", declined.as_str())])
        .await
        .unwrap();
    assert_eq!(detail.status, TransferStatus::Declined);
    assert!(detail.link.is_none());

    let (expired, token) = start(&app, &alice, &["prd-studio-drive"]).await;
    make_overdue(&app, &expired).await;
    // Shown as expired at once, before the sweeper writes it.
    assert_eq!(
        app.call::<LinkView>(&bob, "open_transfer_link", &[("token", &token)])
            .await,
        Err(AppError::LinkUnavailable)
    );
    assert_eq!(
        receive(&app, &bob, &token, "org-bob-consulting").await,
        Err(AppError::ReceiptRefused(ReceiptRefusal::Closed(
            TransferStateRefusal::Expired
        )))
    );
    assert_eq!(app.state.services.expire_due(None).await.unwrap(), 1);
    assert_eq!(
        scalar(
            &app,
            &format!(
                "SELECT COUNT(*) FROM transfers WHERE id = '{expired}' AND status = 'expired'"
            )
        )
        .await,
        1
    );
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM product_locks").await, 0);
    // The product is free for a new transfer.
    start(&app, &alice, &["prd-studio-drive"]).await;
}

#[tokio::test]
async fn a_transfer_past_its_date_is_expired_by_the_next_sender_of_its_organization_only() {
    let app = TestApp::spawn().await;
    let alice = app.logged_in("alice@example.com").await;
    let (due, _) = start(&app, &alice, &["prd-studio-drive"]).await;
    make_overdue(&app, &due).await;
    let still_open =
        format!("SELECT COUNT(*) FROM transfers WHERE id = '{due}' AND status = 'in_progress'");

    // Neither a caller who may not send, nor a sender of another Organization, writes anything.
    let carol = app.logged_in("carol@example.com").await;
    let refused = app
        .call_json::<TransferId>(
            &carol,
            "start_transfer",
            json!({"organization": "org-alice-studio", "products": ["prd-studio-drive"], "accepted_conditions": true}),
        )
        .await;
    assert_eq!(refused, Err(AppError::Forbidden));
    let bob = app.logged_in("bob@example.com").await;
    app.call_json::<TransferId>(
        &bob,
        "start_transfer",
        json!({"organization": "org-bob-consulting", "products": ["prd-bob-domain"], "accepted_conditions": true}),
    )
    .await
    .expect("bob sends one of his products");
    assert_eq!(scalar(&app, &still_open).await, 1);

    // Alice's next transfer expires it, and takes its product.
    start(&app, &alice, &["prd-studio-drive"]).await;
    assert_eq!(scalar(&app, &still_open).await, 0);
}

#[tokio::test]
async fn a_direct_transfer_moves_products_to_another_of_my_organizations() {
    let app = TestApp::spawn().await;
    let alice = app.logged_in("alice@example.com").await;
    let (id, _) = start(&app, &alice, &["prd-studio-domain"]).await;
    let detail: TransferDetail = app
        .call(&alice, "get_transfer", &[("transfer", id.as_str())])
        .await
        .unwrap();
    let names: Vec<_> = detail
        .direct_destinations
        .iter()
        .map(|m| m.name.as_str())
        .collect();
    assert_eq!(names, ["Alice Holding"]);
    // She accepted the conditions when starting it, for this move too.
    assert!(detail.conditions_accepted);
    let received: Received = app
        .call(
            &alice,
            "transfer_to_organization",
            &[
                ("transfer", id.as_str()),
                ("destination", "org-alice-holding"),
                ("accepted_conditions", "false"),
            ],
        )
        .await
        .unwrap();
    assert_eq!(received.destination.as_str(), "org-alice-holding");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM products WHERE id = 'prd-studio-domain' AND organization_id = 'org-alice-holding'").await, 1);
}

#[tokio::test]
async fn another_administrator_accepts_the_conditions_before_moving_a_transfer_directly() {
    let app = TestApp::spawn().await;
    make_carol_an_administrator_of_both_alice_organizations(&app).await;
    let alice = app.logged_in("alice@example.com").await;
    let carol = app.logged_in("carol@example.com").await;
    let (id, _) = start(&app, &alice, &["prd-studio-domain"]).await;
    let detail: TransferDetail = app
        .call(&carol, "get_transfer", &[("transfer", id.as_str())])
        .await
        .unwrap();
    assert!(!detail.conditions_accepted);
    let direct = |accepted: &'static str| {
        let id = id.clone();
        let carol = carol.clone();
        let app = &app;
        async move {
            app.call::<Received>(
                &carol,
                "transfer_to_organization",
                &[
                    ("transfer", id.as_str()),
                    ("destination", "org-alice-holding"),
                    ("accepted_conditions", accepted),
                ],
            )
            .await
        }
    };
    assert_eq!(direct("false").await, Err(AppError::ConditionsNotAccepted));
    let moved = "SELECT COUNT(*) FROM products WHERE id = 'prd-studio-domain' AND organization_id = 'org-alice-holding'";
    let carols_acceptance = "SELECT COUNT(*) FROM condition_acceptances \
         WHERE party = 'receiver' AND user_id = 'usr-carol'";
    assert_eq!(scalar(&app, moved).await, 0);
    assert_eq!(scalar(&app, carols_acceptance).await, 0);

    assert!(direct("true").await.is_ok());
    assert_eq!(scalar(&app, moved).await, 1);
    assert_eq!(scalar(&app, carols_acceptance).await, 1);
}

#[tokio::test]
async fn unknown_links_are_throttled_per_client() {
    let app = TestApp::spawn().await;
    let bob = app.logged_in("bob@example.com").await;
    for _ in 0..20 {
        assert_eq!(
            app.call::<LinkView>(&bob, "open_transfer_link", &[("token", "guess")])
                .await,
            Err(AppError::LinkUnavailable)
        );
    }
    assert_eq!(
        app.call::<LinkView>(&bob, "open_transfer_link", &[("token", "guess")])
            .await,
        Err(AppError::Throttled)
    );
}

#[tokio::test]
async fn the_outbox_delivers_each_email_once_across_a_worker_restart() {
    let app = TestApp::spawn().await;
    let alice = app.logged_in("alice@example.com").await;
    let (id, _) = start(&app, &alice, &["prd-studio-drive"]).await;
    for address in ["one@example.com", "two@example.com"] {
        app.call::<()>(
            &alice,
            "email_transfer_link",
            &[("transfer", id.as_str()), ("email", address)],
        )
        .await
        .unwrap();
    }
    let now = manager_server::services::now_ms();
    let sink = app.data_dir.path().join("outbox");
    let mailer = || app.state.mailer.clone();

    // A worker leases one message and dies before sending it.
    let lease = Lease {
        token: "dead worker".into(),
        until: now + 60_000,
    };
    let leased = app
        .state
        .store
        .claim_due_emails(now, &lease, 1)
        .await
        .unwrap();
    assert_eq!(leased.len(), 1);
    // The next worker sends the other one only…
    assert_eq!(
        mailer()
            .deliver_due(&app.state.store, now, || false)
            .await
            .unwrap(),
        1
    );
    // …and, after a restart, nothing twice; the dead worker's message once its lease ends.
    assert_eq!(
        mailer()
            .deliver_due(&app.state.store, now + 1_000, || false)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        mailer()
            .deliver_due(&app.state.store, now + 61_000, || false)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        mailer()
            .deliver_due(&app.state.store, now + 200_000, || false)
            .await
            .unwrap(),
        0
    );
    let files: Vec<_> = std::fs::read_dir(&sink).unwrap().collect();
    assert_eq!(files.len(), 2);
    let texts: Vec<String> = std::fs::read_dir(&sink)
        .unwrap()
        .map(|entry| std::fs::read_to_string(entry.unwrap().path()).unwrap())
        .collect();
    assert!(
        texts.iter().all(|text| text.contains("/receive/")),
        "the email carries the link"
    );
}

#[tokio::test]
async fn a_user_creates_a_few_organizations_a_day_and_no_more() {
    let app = TestApp::spawn().await;
    let bob = app.logged_in("bob@example.com").await;
    for n in 1..=5 {
        let name = format!("Bob's venture {n}");
        let created: Membership = app
            .call(&bob, "create_organization", &[("name", &name)])
            .await
            .expect("a new Organization");
        assert_eq!(created.name, name);
        assert_eq!(created.role, transfer_rules::Role::LegalRepresentative);
    }
    let organizations = scalar(&app, "SELECT COUNT(*) FROM organizations").await;

    let refused = app
        .call::<Membership>(&bob, "create_organization", &[("name", "One too many")])
        .await;
    assert_eq!(refused, Err(AppError::OrganizationLimit));
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM organizations").await,
        organizations
    );

    // Asked for at once, the bound still holds.
    let carol = app.logged_in("carol@example.com").await;
    let at_once = futures::future::join_all((1..=8).map(|n| {
        let (app, carol) = (&app, &carol);
        async move {
            let name = format!("Carol's venture {n}");
            app.call::<Membership>(carol, "create_organization", &[("name", &name)])
                .await
        }
    }))
    .await;
    assert_bounded(&at_once, 5, AppError::OrganizationLimit);

    // The bound is per person: Dave still creates his.
    let dave = app.logged_in("dave@example.com").await;
    app.call::<Membership>(&dave, "create_organization", &[("name", "Dave's")])
        .await
        .expect("another user is not limited by the others' creations");
}

#[tokio::test]
async fn the_receiver_is_warned_of_linked_products_staying_with_the_source() {
    let app = TestApp::spawn().await;
    let alice = app.logged_in("alice@example.com").await;
    let (id, token) = start(&app, &alice, &["prd-studio-domain"]).await;
    let bob = app.logged_in("bob@example.com").await;
    let by_link: transfer_rules::Warnings = app
        .call_json(
            &bob,
            "get_transfer_warnings",
            json!({"transfer": {"link": token}}),
        )
        .await
        .unwrap();
    let staying: Vec<&str> = by_link.products[0]
        .linked_left_behind
        .iter()
        .map(|product| &*product.name)
        .collect();
    assert_eq!(staying, ["studio.example hosting", "studio.example mail"]);
    let by_id: transfer_rules::Warnings = app
        .call_json(
            &alice,
            "get_transfer_warnings",
            json!({"transfer": {"id": id}}),
        )
        .await
        .unwrap();
    assert_eq!(by_link, by_id, "both sides read the same warnings");
}
