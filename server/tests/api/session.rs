use app::error::{AppError, InputProblem};
use app::session::Me;

use crate::support::TestApp;

#[tokio::test]
async fn login_opens_a_session_that_logout_closes() {
    let app = TestApp::spawn().await;
    let browser = app.new_browser();
    assert_eq!(
        app.call::<Me>(&browser, "get_me", &[]).await,
        Err(AppError::Unauthorized)
    );

    let response = app
        .post(
            &browser,
            "login",
            &[
                ("email", "Alice@Example.com"),
                ("password", "demo-password"),
                ("next", "/products"),
            ],
        )
        .await;
    let cookie = response
        .headers()
        .get("set-cookie")
        .expect("login sets the session cookie")
        .to_str()
        .unwrap()
        .to_string();
    assert!(cookie.starts_with("manager_session="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(
        !cookie.contains("Secure"),
        "plain HTTP gets no Secure flag: {cookie}"
    );

    let me: Me = app.call(&browser, "get_me", &[]).await.unwrap();
    assert_eq!(me.email, "alice@example.com");
    let names: Vec<_> = me.organizations.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["Alice Holding", "Alice Studio SA"]);

    app.post(&browser, "logout", &[]).await;
    assert_eq!(
        app.call::<Me>(&browser, "get_me", &[]).await,
        Err(AppError::Unauthorized)
    );
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_get_the_same_answer() {
    let app = TestApp::spawn().await;
    let browser = app.new_browser();
    assert_eq!(
        app.login(&browser, "alice@example.com", "wrong").await,
        Err(AppError::BadCredentials)
    );
    assert_eq!(
        app.login(&browser, "nobody@example.com", "wrong").await,
        Err(AppError::BadCredentials)
    );
    assert_eq!(
        app.call::<Me>(&browser, "get_me", &[]).await,
        Err(AppError::Unauthorized)
    );
    assert_eq!(
        app.login(&browser, "not an email", "x").await,
        Err(AppError::Invalid(InputProblem::Email))
    );
}

#[tokio::test]
async fn repeated_failures_from_one_address_throttle_it_even_with_the_right_password() {
    let app = TestApp::spawn().await;
    let browser = app.new_browser();
    for _ in 0..5 {
        assert_eq!(
            app.login(&browser, "dave@example.com", "guess").await,
            Err(AppError::BadCredentials)
        );
    }
    assert_eq!(
        app.login(&browser, "dave@example.com", "demo-password")
            .await,
        Err(AppError::Throttled)
    );
    // Another account is not locked out by dave's attacker.
    assert_eq!(
        app.login(&browser, "carol@example.com", "demo-password")
            .await,
        Ok(())
    );
}

#[tokio::test]
async fn a_forged_session_cookie_is_no_session() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .post(format!("{}/api/get_me", app.address))
        .header("cookie", "manager_session=forged-token")
        .header("accept", "application/json")
        .send()
        .await
        .unwrap();
    let error: AppError = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    assert_eq!(error, AppError::Unauthorized);
}

#[tokio::test]
async fn a_form_posted_without_javascript_is_sent_back_with_its_error() {
    let app = TestApp::spawn().await;
    let login_page = format!("{}/login", app.address);
    let response = app
        .new_browser()
        .post(format!("{}/api/login", app.address))
        .header("accept", "text/html")
        .header("referer", &login_page)
        .form(&[
            ("email", "alice@example.com"),
            ("password", "wrong"),
            ("next", "/products"),
        ])
        .send()
        .await
        .expect("request sent");
    assert_eq!(response.status(), 302);
    let location = response.headers()["location"].to_str().unwrap();
    assert!(location.starts_with(&login_page), "{location}");
    assert!(location.contains("__err="), "{location}");
}

#[tokio::test]
async fn the_login_page_names_the_demo_accounts_in_demo_mode_only() {
    for (demo, shown) in [("1", true), ("0", false)] {
        let app = TestApp::spawn_with(&[("MANAGER_DEMO", demo)]).await;
        let page = app
            .new_browser()
            .get(format!("{}/login", app.address))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        // Drawn in the page, and written on `<body>` for the browser to draw the same.
        for needle in [
            "Demo accounts",
            "data-demo-logins=\"alice@example.com bob@example.com",
            "data-demo-password=\"demo-password\"",
            "<code>demo-password</code>",
        ] {
            assert_eq!(
                page.contains(needle),
                shown,
                "MANAGER_DEMO={demo}: {needle}"
            );
        }
    }
}
