use crate::support::TestApp;
use crate::transfers::start;
use manager_server::http::router;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

#[tokio::test]
async fn anonymous_visits_are_sent_to_login_and_back() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .get(format!("{}/billing?year=2026", app.address))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_redirection());
    assert_eq!(
        response.headers()["location"],
        "/login?next=/billing%3Fyear%3D2026"
    );
    let login = app
        .client
        .get(format!("{}/login", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200);
}

#[tokio::test]
async fn pages_render_on_the_server_for_a_session() {
    let app = TestApp::spawn().await;
    let alice = app.logged_in("alice@example.com").await;
    let html = app.page(&alice, "/products").await;
    assert!(
        html.contains("Studio Drive"),
        "products are rendered on the server"
    );
    assert!(html.contains("Product transfers"));
    let missing = alice
        .get(format!("{}/no-such-page", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
}

#[tokio::test]
async fn a_page_fetches_and_sends_its_data_once() {
    let app = TestApp::spawn().await;
    let alice = app.logged_in("alice@example.com").await;
    let html = app.page(&alice, "/products").await;
    // Once in the table, once in the data the browser takes the page over with.
    assert_eq!(html.matches("Studio Drive").count(), 2, "{html}");
    // Drawn once, the page still names itself in the document's head.
    assert!(html.contains("<title>Products · Manager</title>"), "{html}");
}

/// Leptos holds back every page's data, in the whole process, while it lists an app's
/// routes. A server started beside a running one in the same process (as this suite does)
/// must not list them again, or a page drawn meanwhile waits for its data forever.
#[tokio::test]
async fn pages_load_while_another_server_starts_in_the_same_process() {
    let app = TestApp::spawn().await;
    let alice = app.logged_in("alice@example.com").await;
    let stop = Arc::new(AtomicBool::new(false));
    let starting = {
        let state = app.state.clone();
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .build()
                .expect("a runtime for the other server");
            let _inside = runtime.enter();
            while !stop.load(Ordering::Relaxed) {
                drop(router(state.clone()));
            }
        })
    };
    let mut stalled = 0;
    for _ in 0..10 {
        match tokio::time::timeout(Duration::from_secs(5), app.page(&alice, "/products")).await {
            Ok(html) => assert!(html.contains("Studio Drive"), "{html}"),
            Err(_) => stalled += 1,
        }
    }
    stop.store(true, Ordering::Relaxed);
    starting.join().expect("the other server's router is built");
    assert_eq!(stalled, 0, "pages that never finished loading");
}

#[tokio::test]
async fn health_check_reports_the_database() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .get(format!("{}/healthz", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), "ok");
}

#[tokio::test]
async fn a_receive_page_shows_its_warnings_section_before_the_browser_fetches_them() {
    let app = TestApp::spawn().await;
    let alice = app.logged_in("alice@example.com").await;
    let bob = app.logged_in("bob@example.com").await;
    let (_, token) = start(&app, &alice, &["prd-studio-drive"]).await;
    let html = app.page(&bob, &format!("/receive/{token}")).await;
    // The first paint has the section in its place: nothing below it moves down when
    // the heading arrives, and the largest text is painted at once.
    assert!(html.contains(r#"id="warnings-heading""#), "{html}");
    assert!(html.contains("Read what this transfer changes."));
}
