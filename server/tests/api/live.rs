//! The live transfers stream: who may open it, and what each Organization hears.

use std::time::Duration;

use app::error::AppError;
use app::transfers::live::{CHANGE_EVENT, LIVE_TRANSFERS_PATH};

use crate::support::TestApp;
use crate::transfers::{receive, start};

/// How long a change may take to be heard before the test gives up on it.
const PATIENCE: Duration = Duration::from_secs(5);

/// One open stream, read the way a browser's `EventSource` reads it.
struct Stream {
    response: reqwest::Response,
    unread: String,
}

/// What a stream says next.
#[derive(Debug, PartialEq)]
enum Heard {
    /// A change, with the transfer it names.
    Change(Option<String>),
    /// The server ended the stream.
    End,
    /// Nothing within the patience allowed.
    Silence,
}

impl Stream {
    async fn open(
        app: &TestApp,
        who: &reqwest::Client,
        organization: &str,
    ) -> Result<Stream, AppError> {
        let response = who
            .get(format!("{}{LIVE_TRANSFERS_PATH}", app.address))
            .query(&[("organization", organization)])
            .send()
            .await
            .expect("request sent");
        if !response.status().is_success() {
            return Err(response.json().await.expect("an AppError"));
        }
        assert_eq!(
            response.headers()["content-type"],
            "text/event-stream",
            "a stream the browser's EventSource reads"
        );
        assert_eq!(
            response.headers()["x-accel-buffering"],
            "no",
            "a reverse proxy passes each event on at once"
        );
        Ok(Stream {
            response,
            unread: String::new(),
        })
    }

    async fn next(&mut self, patience: Duration) -> Heard {
        let deadline = tokio::time::Instant::now() + patience;
        loop {
            while let Some((event, rest)) = self.unread.split_once("\n\n") {
                let event = event.to_string();
                self.unread = rest.to_string();
                if event
                    .lines()
                    .any(|line| line == format!("event: {CHANGE_EVENT}"))
                {
                    let data = (event.lines())
                        .find_map(|line| line.strip_prefix("data: "))
                        .expect("a change has data");
                    let data: serde_json::Value = serde_json::from_str(data).unwrap();
                    return Heard::Change(data["transfer"].as_str().map(str::to_string));
                }
            }
            match tokio::time::timeout_at(deadline, self.response.chunk()).await {
                Err(_) => return Heard::Silence,
                Ok(Ok(Some(bytes))) => self.unread.push_str(&String::from_utf8_lossy(&bytes)),
                Ok(_) => return Heard::End,
            }
        }
    }

    async fn change(&mut self) -> Heard {
        self.next(PATIENCE).await
    }

    /// Whether the stream stays quiet for a while.
    async fn quiet(&mut self) -> Heard {
        self.next(Duration::from_millis(500)).await
    }
}

fn changed(transfer: &transfer_rules::TransferId) -> Heard {
    Heard::Change(Some(transfer.to_string()))
}

#[tokio::test]
async fn only_an_organizations_administrators_may_follow_its_transfers() {
    let app = TestApp::spawn().await;
    let anonymous = app.new_browser();
    let bob = app.logged_in("bob@example.com").await;
    let carol = app.logged_in("carol@example.com").await;
    let studio = "org-alice-studio";
    assert_eq!(
        Stream::open(&app, &anonymous, studio).await.err(),
        Some(AppError::Unauthorized)
    );
    // Bob belongs elsewhere: to him the Organization does not exist, like a made-up one.
    for organization in [studio, "org-does-not-exist"] {
        assert_eq!(
            Stream::open(&app, &bob, organization).await.err(),
            Some(AppError::NotFound)
        );
    }
    // Carol is a member of Alice's Organization, not one of its Administrators.
    assert_eq!(
        Stream::open(&app, &carol, studio).await.err(),
        Some(AppError::Forbidden)
    );
    assert!(matches!(
        Stream::open(&app, &bob, "not an id").await.err(),
        Some(AppError::Invalid(_))
    ));
}

#[tokio::test]
async fn each_side_hears_its_own_transfers_and_nothing_else() {
    let app = TestApp::spawn().await;
    let alice = app.logged_in("alice@example.com").await;
    let bob = app.logged_in("bob@example.com").await;
    let mut studio = Stream::open(&app, &alice, "org-alice-studio")
        .await
        .unwrap();
    let mut consulting = Stream::open(&app, &bob, "org-bob-consulting")
        .await
        .unwrap();

    let (unseen, _) = start(&app, &alice, &["prd-studio-drive"]).await;
    assert_eq!(studio.change().await, changed(&unseen));
    let (received, token) = start(&app, &alice, &["prd-studio-backup"]).await;
    assert_eq!(studio.change().await, changed(&received));
    receive(&app, &bob, &token, "org-bob-consulting")
        .await
        .unwrap();
    assert_eq!(studio.change().await, changed(&received));
    // Bob heard nothing of the transfer not meant for him, first the receipt.
    assert_eq!(consulting.change().await, changed(&received));

    app.call::<()>(&alice, "cancel_transfer", &[("transfer", unseen.as_str())])
        .await
        .unwrap();
    assert_eq!(studio.change().await, changed(&unseen));
    assert_eq!(consulting.quiet().await, Heard::Silence);
}

#[tokio::test]
async fn a_stream_ends_when_its_session_does() {
    let app = TestApp::spawn().await;
    let alice = app.logged_in("alice@example.com").await;
    let alice_elsewhere = app.logged_in("alice@example.com").await;
    let mut stream = Stream::open(&app, &alice, "org-alice-studio")
        .await
        .unwrap();
    app.post(&alice, "logout", &[]).await;
    start(&app, &alice_elsewhere, &["prd-studio-drive"]).await;
    assert_eq!(stream.change().await, Heard::End);
}

#[tokio::test]
async fn a_change_made_through_one_server_reaches_a_stream_opened_on_another() {
    let first = TestApp::spawn().await;
    // One process is all an embedded SQLite database has; the PostgreSQL run tests this.
    if !first.database_url.starts_with("postgres") {
        return;
    }
    let second = first.spawn_beside().await;
    let alice = first.logged_in("alice@example.com").await;
    let mut on_second = Stream::open(&second, &alice, "org-alice-studio")
        .await
        .unwrap();
    let (transfer, _) = start(&first, &alice, &["prd-studio-drive"]).await;
    assert_eq!(on_second.change().await, changed(&transfer));
}
