//! Password guessing: counted before it is judged, per account and address, and never a
//! way for a stranger to lock a user out.

use app::error::AppError;
use futures::future::join_all;

use crate::support::TestApp;

#[tokio::test]
async fn parallel_wrong_passwords_get_no_more_verdicts_than_the_limit() {
    let app = TestApp::spawn().await;
    let answers = join_all((0..60).map(|_| {
        let browser = app.new_browser();
        let app = &app;
        async move {
            app.login(&browser, "alice@example.com", "wrong password")
                .await
        }
    }))
    .await;
    let verdicts = answers
        .iter()
        .filter(|answer| **answer == Err(AppError::BadCredentials))
        .count();
    // Each attempt counts those recorded before it: in a burst, perhaps none is judged.
    assert!(verdicts <= 5, "{verdicts} wrong passwords were judged");
    assert!(
        answers.iter().all(|answer| matches!(
            answer,
            Err(AppError::BadCredentials | AppError::Throttled | AppError::Busy)
        )),
        "{answers:?}"
    );
    // From here, the right password is refused too: this address guessed enough.
    assert_eq!(
        app.login(&app.new_browser(), "alice@example.com", "demo-password")
            .await,
        Err(AppError::Throttled)
    );
}

#[tokio::test]
async fn a_stranger_cannot_lock_a_user_out() {
    let app = TestApp::spawn_with(&[("MANAGER_TRUSTED_PROXIES", "127.0.0.1")]).await;
    let attacker = Some("203.0.113.66");
    for _ in 0..5 {
        assert_eq!(
            app.login_via(&app.new_browser(), "alice@example.com", "guess", attacker)
                .await,
            Err(AppError::BadCredentials)
        );
    }
    assert_eq!(
        app.login_via(&app.new_browser(), "alice@example.com", "guess", attacker)
            .await,
        Err(AppError::Throttled)
    );
    // Alice, elsewhere, logs in; the attacker's address stays throttled even when right.
    app.login_via(
        &app.new_browser(),
        "alice@example.com",
        "demo-password",
        Some("198.51.100.7"),
    )
    .await
    .expect("the owner logs in from her own address");
    assert_eq!(
        app.login_via(
            &app.new_browser(),
            "alice@example.com",
            "demo-password",
            attacker
        )
        .await,
        Err(AppError::Throttled)
    );
}

#[tokio::test]
async fn one_busy_address_does_not_throttle_the_others_behind_a_proxy() {
    let app = TestApp::spawn_with(&[("MANAGER_TRUSTED_PROXIES", "127.0.0.1")]).await;
    for n in 0..31 {
        let _ = app
            .login_via(
                &app.new_browser(),
                &format!("someone{n}@example.com"),
                "guess",
                Some("203.0.113.66"),
            )
            .await;
    }
    assert_eq!(
        app.login_via(
            &app.new_browser(),
            "bob@example.com",
            "demo-password",
            Some("203.0.113.66")
        )
        .await,
        Err(AppError::Throttled),
        "the guessing address is throttled across accounts"
    );
    app.login_via(
        &app.new_browser(),
        "bob@example.com",
        "demo-password",
        Some("198.51.100.8"),
    )
    .await
    .expect("another client behind the same proxy is not");
}

#[tokio::test]
async fn forwarded_addresses_are_believed_only_from_trusted_proxies() {
    let app = TestApp::spawn().await;
    for _ in 0..5 {
        let _ = app
            .login_via(
                &app.new_browser(),
                "alice@example.com",
                "guess",
                Some("203.0.113.66"),
            )
            .await;
    }
    // Without MANAGER_TRUSTED_PROXIES, the header is the client's own word: ignored.
    assert_eq!(
        app.login_via(
            &app.new_browser(),
            "alice@example.com",
            "demo-password",
            Some("198.51.100.7")
        )
        .await,
        Err(AppError::Throttled)
    );
}
