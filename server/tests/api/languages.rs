//! A user's language: saved once, followed on every browser they log in from, and used
//! for every email they get; an outside address gets the language the sender picks.

use app::error::{AppError, InputProblem};
use app::session::Me;

use crate::support::TestApp;
use crate::transfers::{receive, scalar, start};

async fn save_language(
    app: &TestApp,
    who: &reqwest::Client,
    language: &str,
) -> Result<(), AppError> {
    app.call(who, "save_language", &[("language", language)])
        .await
}

/// (recipient, subject) of every queued email, by recipient.
async fn queued(app: &TestApp) -> Vec<(String, String)> {
    let pool = app.database().await;
    let rows = sqlx::query_as("SELECT recipient, subject FROM outbox ORDER BY recipient, id")
        .fetch_all(&pool)
        .await
        .unwrap();
    pool.close().await;
    rows
}

#[tokio::test]
async fn a_saved_language_follows_the_user_to_a_new_browser() {
    let app = TestApp::spawn().await;
    let bob = app.logged_in("bob@example.com").await;
    save_language(&app, &bob, "de").await.unwrap();
    let me: Me = app.call(&bob, "get_me", &[]).await.unwrap();
    assert_eq!(me.language.as_deref(), Some("de"));

    let elsewhere = app.logged_in("bob@example.com").await;
    let page = app.page(&elsewhere, "/products").await;
    assert!(
        page.contains(r#"<html lang="de""#),
        "drawn in German from the first byte: {}",
        &page[..page.len().min(400)]
    );
    assert!(page.contains("Produkt\u{ad}übertragungen"));
    // Someone else, never having chosen, keeps the browser's language.
    let alice = app.logged_in("alice@example.com").await;
    let me: Me = app.call(&alice, "get_me", &[]).await.unwrap();
    assert_eq!(me.language, None);
}

#[tokio::test]
async fn only_the_managers_languages_can_be_saved() {
    let app = TestApp::spawn().await;
    let bob = app.logged_in("bob@example.com").await;
    for code in ["xx", "", "EN", "de-CH", "en'; --"] {
        assert_eq!(
            save_language(&app, &bob, code).await,
            Err(AppError::Invalid(InputProblem::Language)),
            "{code:?}"
        );
    }
    let me: Me = app.call(&bob, "get_me", &[]).await.unwrap();
    assert_eq!(me.language, None, "nothing was saved");
    let anonymous = app.new_browser();
    assert_eq!(
        save_language(&app, &anonymous, "fr").await,
        Err(AppError::Unauthorized)
    );
}

#[tokio::test]
async fn each_side_is_told_of_a_completed_transfer_in_its_own_language() {
    let app = TestApp::spawn().await;
    let alice = app.logged_in("alice@example.com").await;
    let bob = app.logged_in("bob@example.com").await;
    save_language(&app, &alice, "de").await.unwrap();
    save_language(&app, &bob, "it").await.unwrap();
    let (_, token) = start(&app, &alice, &["prd-studio-drive"]).await;
    receive(&app, &bob, &token, "org-bob-consulting")
        .await
        .unwrap();

    assert_eq!(
        queued(&app).await,
        [
            (
                "alice@example.com".to_string(),
                "Übertragung abgeschlossen: Alice Studio SA → Bob Consulting Sàrl".to_string()
            ),
            (
                "bob@example.com".to_string(),
                "Trasferimento completato: Alice Studio SA → Bob Consulting Sàrl".to_string()
            ),
        ]
    );
    let sent = app.deliver_emails().await;
    assert_eq!(sent, 2);
    let outbox = app.data_dir.path().join("outbox");
    for entry in std::fs::read_dir(outbox).unwrap() {
        let email = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        assert!(email.contains("multipart/alternative"), "{email}");
        assert!(
            email.contains("text/plain") && email.contains("text/html"),
            "{email}"
        );
    }
}

#[tokio::test]
async fn a_link_email_is_in_the_senders_pick_unless_its_reader_chose_a_language() {
    let app = TestApp::spawn().await;
    let alice = app.logged_in("alice@example.com").await;
    let bob = app.logged_in("bob@example.com").await;
    save_language(&app, &alice, "de").await.unwrap();
    save_language(&app, &bob, "it").await.unwrap();
    let (id, _) = start(&app, &alice, &["prd-studio-drive"]).await;
    let email = |address: &'static str, language: Option<&'static str>| {
        let (app, alice, id) = (&app, &alice, id.clone());
        async move {
            let mut form = vec![
                ("transfer", id.as_str().to_string()),
                ("email", address.to_string()),
            ];
            if let Some(language) = language {
                form.push(("language", language.to_string()));
            }
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.call::<()>(alice, "email_transfer_link", &form).await
        }
    };
    email("partner@example.net", Some("fr")).await.unwrap();
    email("bob@example.com", Some("fr")).await.unwrap();
    email("other@example.org", None).await.unwrap();
    assert_eq!(
        email("third@example.org", Some("xx")).await,
        Err(AppError::Invalid(InputProblem::Language))
    );

    let subjects = queued(&app).await;
    assert_eq!(
        subjects,
        [
            (
                "bob@example.com".to_string(),
                "Prodotti trasferiti a lei da Alice Studio SA".to_string()
            ),
            (
                "other@example.org".to_string(),
                "Produkte, die Alice Studio SA Ihnen überträgt".to_string()
            ),
            (
                "partner@example.net".to_string(),
                "Produits transférés par Alice Studio SA".to_string()
            ),
        ]
    );
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM outbox").await, 3);
}

#[tokio::test]
async fn a_cancelled_transfer_tells_each_address_its_link_went_to_and_lists_it() {
    use app::transfers::api::TransferDetail;
    use transfer_rules::TransferEventKind;

    let app = TestApp::spawn().await;
    let alice = app.logged_in("alice@example.com").await;
    let bob = app.logged_in("bob@example.com").await;
    save_language(&app, &bob, "it").await.unwrap();
    let (id, _) = start(&app, &alice, &["prd-studio-drive"]).await;
    for (address, language) in [
        ("partner@example.net", "fr"),
        ("bob@example.com", "de"),
        ("partner@example.net", "en"),
    ] {
        let form = [
            ("transfer", id.as_str()),
            ("email", address),
            ("language", language),
        ];
        app.call::<()>(&alice, "email_transfer_link", &form)
            .await
            .unwrap();
    }
    let () = app
        .call(&alice, "cancel_transfer", &[("transfer", id.as_str())])
        .await
        .unwrap();

    let cancellations: Vec<(String, String)> = queued(&app)
        .await
        .into_iter()
        .filter(|(_, subject)| !subject.contains("Alice Studio SA"))
        .collect();
    assert_eq!(
        cancellations,
        [
            (
                "bob@example.com".to_string(),
                "Trasferimento annullato".to_string()
            ),
            (
                "partner@example.net".to_string(),
                "Transfert annulé".to_string()
            ),
        ],
        "once per address, in the language it reads"
    );
    let detail: TransferDetail = app
        .call(&alice, "get_transfer", &[("transfer", id.as_str())])
        .await
        .unwrap();
    let notified: Vec<Option<&str>> = (detail.events.iter())
        .filter(|event| event.kind == TransferEventKind::Notified)
        .map(|event| event.detail.as_deref())
        .collect();
    assert_eq!(
        notified,
        [Some("partner@example.net"), Some("bob@example.com")]
    );
}

#[tokio::test]
async fn a_decline_tells_the_senders_administrators_and_the_history_says_so() {
    use app::transfers::api::TransferDetail;
    use transfer_rules::TransferEventKind;

    let app = TestApp::spawn().await;
    let alice = app.logged_in("alice@example.com").await;
    save_language(&app, &alice, "fr").await.unwrap();
    let (id, token) = start(&app, &alice, &["prd-studio-drive"]).await;
    let bob = app.logged_in("bob@example.com").await;
    let () = app
        .call(&bob, "decline_transfer", &[("token", token.as_str())])
        .await
        .unwrap();
    assert_eq!(
        queued(&app).await,
        [(
            "alice@example.com".to_string(),
            "Transfert refusé".to_string()
        )]
    );
    let detail: TransferDetail = app
        .call(&alice, "get_transfer", &[("transfer", id.as_str())])
        .await
        .unwrap();
    let last = detail.events.last().unwrap();
    assert_eq!(last.kind, TransferEventKind::Notified);
    assert_eq!(last.organization.as_deref(), Some("Alice Studio SA"));
}

/// alice's browser, telling the server it lives in `zone`.
async fn alice_in_zone(app: &TestApp, zone: &str) -> reqwest::Client {
    let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
    jar.add_cookie_str(
        &format!("{}={zone}; Path=/", app::dates::TIME_ZONE_COOKIE),
        &app.address.parse().unwrap(),
    );
    let client = crate::support::client_builder()
        .cookie_provider(jar)
        .build()
        .unwrap();
    app.login(&client, "alice@example.com", "demo-password")
        .await
        .unwrap();
    client
}

#[tokio::test]
async fn pages_show_dates_and_times_in_the_browsers_time_zone() {
    use app::dates::{date_in, date_time_in};
    use app::i18n::Locale;
    use app::transfers::api::TransferDetail;

    let app = TestApp::spawn().await;
    let alice = app.logged_in("alice@example.com").await;
    let (id, _) = start(&app, &alice, &["prd-studio-drive"]).await;
    let detail: TransferDetail = app
        .call(&alice, "get_transfer", &[("transfer", id.as_str())])
        .await
        .unwrap();
    let started = detail.created_at.as_millis();
    let created_event = detail.events[0].at.as_millis();

    // Kiritimati is 14 hours ahead of UTC all year: its dates are a day ahead at times.
    for (zone, offset) in [
        ("Pacific/Kiritimati", 14 * 3_600_000),
        ("Not/AZone", 0),
        ("UTC", 0),
    ] {
        let browser = alice_in_zone(&app, zone).await;
        let page = app.page(&browser, &format!("/transfers/{id}")).await;
        let date = date_in(Locale::en, started + offset);
        let time = date_time_in(Locale::en, created_event + offset);
        assert!(page.contains(&format!(">{date}</time>")), "{zone}: {date}");
        assert!(page.contains(&format!(">{time}</time>")), "{zone}: {time}");
    }
}
