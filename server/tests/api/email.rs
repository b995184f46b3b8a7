//! Email about transfers: no usable link kept in the database, bounded retries shown in
//! the history, one worker per message, and a bound on how many links a sender mails.

use app::error::{AppError, InputProblem};
use app::transfers::api::TransferDetail;
use manager_server::mail::MAX_ATTEMPTS;
use manager_server::services::now_ms;
use manager_server::store::outbox::Lease;
use transfer_rules::{TransferEventKind, TransferId};

use crate::support::{assert_bounded, TestApp};
use crate::transfers::{receive, scalar, start};

async fn email_link(
    app: &TestApp,
    who: &reqwest::Client,
    transfer: &str,
    address: &str,
) -> Result<(), AppError> {
    app.call(
        who,
        "email_transfer_link",
        &[("transfer", transfer), ("email", address)],
    )
    .await
}

/// A server where alice has started a transfer of `Studio Drive` and emailed its link to
/// each of `addresses`: (the server, alice, the transfer, its link's token).
async fn alice_emails(addresses: &[&str]) -> (TestApp, reqwest::Client, TransferId, String) {
    let app = TestApp::spawn().await;
    let alice = app.logged_in("alice@example.com").await;
    let (id, token) = start(&app, &alice, &["prd-studio-drive"]).await;
    for address in addresses {
        email_link(&app, &alice, id.as_str(), address)
            .await
            .unwrap();
    }
    (app, alice, id, token)
}

#[tokio::test]
async fn the_receiving_side_does_not_see_whom_the_link_was_emailed_to() {
    let (app, alice, id, token) = alice_emails(&["partner@example.net"]).await;
    let bob = app.logged_in("bob@example.com").await;
    receive(&app, &bob, &token, "org-bob-consulting")
        .await
        .expect("received");
    let seen_by = |who| {
        let (app, id) = (&app, id.as_str());
        async move {
            let detail: TransferDetail = app
                .call(who, "get_transfer", &[("transfer", id)])
                .await
                .unwrap();
            detail
                .events
                .iter()
                .filter_map(|event| event.detail.clone())
                .collect::<Vec<_>>()
        }
    };
    assert!(seen_by(&alice)
        .await
        .contains(&"partner@example.net".to_string()));
    let bobs = seen_by(&bob).await;
    assert!(!bobs.iter().any(|detail| detail.contains('@')), "{bobs:?}");
}

async fn outbox_bodies(app: &TestApp) -> Vec<String> {
    let pool = app.database().await;
    let bodies = sqlx::query_scalar("SELECT body FROM outbox ORDER BY id")
        .fetch_all(&pool)
        .await
        .unwrap();
    pool.close().await;
    bodies
}

#[tokio::test]
async fn emailed_links_are_not_kept_in_clear() {
    use std::os::unix::fs::PermissionsExt;
    let (app, _, _, token) = alice_emails(&["partner@example.net"]).await;

    let queued = outbox_bodies(&app).await;
    assert_eq!(queued.len(), 1);
    assert!(
        !queued[0].contains(&token) && !queued[0].contains("/receive/"),
        "the database alone yields no link: {}",
        queued[0]
    );

    assert_eq!(
        app.state
            .mailer
            .deliver_due(&app.state.store, now_ms(), || false)
            .await
            .unwrap(),
        1
    );
    let sink = app.data_dir.path().join("outbox");
    let file = std::fs::read_dir(&sink)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let sent = std::fs::read_to_string(&file).unwrap();
    assert!(
        sent.replace("=\r\n", "").contains("/receive/"),
        "the email itself carries the link"
    );
    let mode =
        |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&file), 0o600, "only the server's user reads sent mail");
    assert_eq!(mode(&sink), 0o700);
    assert_eq!(
        outbox_bodies(&app).await,
        [""],
        "a delivered body is forgotten"
    );
}

#[tokio::test]
async fn addresses_the_mail_library_refuses_are_refused_at_once() {
    let (app, alice, id, _) = alice_emails(&[]).await;
    for address in ["a,b@example.com", "a;b@example.com", "<a@example.com>"] {
        assert_eq!(
            email_link(&app, &alice, id.as_str(), address).await,
            Err(AppError::Invalid(InputProblem::Email)),
            "{address}"
        );
    }
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM outbox").await, 0);
}

#[tokio::test]
async fn an_email_that_cannot_go_is_given_up_and_shown_in_the_history() {
    let (app, alice, id, _) = alice_emails(&["partner@example.net"]).await;
    // The sink cannot be written: every attempt fails.
    std::fs::write(app.data_dir.path().join("outbox"), "not a folder").unwrap();

    let mut now = now_ms();
    for _ in 0..MAX_ATTEMPTS + 3 {
        app.state
            .mailer
            .deliver_due(&app.state.store, now, || false)
            .await
            .unwrap();
        now += 4 * 60 * 60 * 1000;
    }
    assert_eq!(
        scalar(&app, "SELECT MAX(attempts) FROM outbox").await,
        MAX_ATTEMPTS,
        "no attempt after the last"
    );
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM outbox WHERE failed_at IS NOT NULL"
        )
        .await,
        1
    );
    assert!(app.state.store.pending_emails().await.unwrap().is_empty());
    let detail: TransferDetail = app
        .call(&alice, "get_transfer", &[("transfer", id.as_str())])
        .await
        .unwrap();
    let failed = detail
        .events
        .iter()
        .find(|event| event.kind == TransferEventKind::EmailFailed)
        .expect("the failure is in the history");
    assert_eq!(failed.detail.as_deref(), Some("partner@example.net"));
}

#[tokio::test]
async fn only_the_worker_holding_a_message_marks_it() {
    let (app, ..) = alice_emails(&["partner@example.net"]).await;
    let store = &app.state.store;
    let now = now_ms();
    let slow = Lease {
        token: "slow worker".into(),
        until: now + 60_000,
    };
    let message = store.claim_due_emails(now, &slow, 10).await.unwrap();
    assert_eq!(message.len(), 1);
    // The slow worker's lease runs out; another worker takes the message.
    let later = now + 61_000;
    let next = Lease {
        token: "next worker".into(),
        until: later + 60_000,
    };
    assert_eq!(
        store
            .claim_due_emails(later, &next, 10)
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(
        !store
            .mark_email_sent(&message[0].id, &slow, later)
            .await
            .unwrap(),
        "a lease that ran out marks nothing"
    );
    assert!(!store
        .mark_email_failed(&message[0].id, &slow, later, "x")
        .await
        .unwrap());
    assert_eq!(store.pending_emails().await.unwrap().len(), 1);
    assert!(store
        .mark_email_sent(&message[0].id, &next, later)
        .await
        .unwrap());
    assert!(store.pending_emails().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_stopping_worker_sends_the_message_in_hand_and_gives_back_the_rest() {
    let (app, ..) =
        alice_emails(&["one@example.net", "two@example.net", "three@example.net"]).await;
    let store = &app.state.store;
    let now = now_ms();
    // The process is told to stop while it sends the first message of its batch.
    let asked = std::cell::Cell::new(0);
    let stopping = || {
        asked.set(asked.get() + 1);
        asked.get() > 1
    };
    assert_eq!(
        app.state
            .mailer
            .deliver_due(store, now, stopping)
            .await
            .unwrap(),
        1
    );
    assert_eq!(store.pending_emails().await.unwrap().len(), 2);
    // Another process sends the rest at once, not when the first one's lease would end.
    assert_eq!(
        app.state
            .mailer
            .deliver_due(store, now, || false)
            .await
            .unwrap(),
        2
    );
    assert!(store.pending_emails().await.unwrap().is_empty());
    assert_eq!(
        scalar(&app, "SELECT MAX(attempts) FROM outbox").await,
        1,
        "a message given back was not tried"
    );
}

#[tokio::test]
async fn a_sender_emails_a_bounded_number_of_links() {
    let (app, alice, id, _) = alice_emails(&[]).await;
    for n in 0..20 {
        email_link(
            &app,
            &alice,
            id.as_str(),
            &format!("partner{n}@example.net"),
        )
        .await
        .unwrap();
    }
    assert_eq!(
        email_link(&app, &alice, id.as_str(), "one-more@example.net").await,
        Err(AppError::EmailLimit)
    );
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM outbox").await, 20);
}

#[tokio::test]
async fn sends_at_once_share_the_bound() {
    let (app, alice, id, _) = alice_emails(&[]).await;
    let sends = futures::future::join_all((0..30).map(|n| {
        let (app, alice, id) = (&app, &alice, id.as_str());
        async move { email_link(app, alice, id, &format!("partner{n}@example.net")).await }
    }))
    .await;
    assert_bounded(&sends, 20, AppError::EmailLimit);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM outbox").await, 20);
}
