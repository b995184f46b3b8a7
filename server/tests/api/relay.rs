//! Email through a real relay as providers run them: STARTTLS or implicit TLS with a
//! self-signed certificate the test trusts explicitly, and a user name and password.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use crate::support::TestApp;
use crate::transfers::start;

const USER: &str = "manager";
const PASSWORD: &str = "relay-pa55word";

/// aiosmtpd behind TLS, requiring AUTH; stopped when dropped.
struct Relay {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl Relay {
    fn start(mode: &str) -> Relay {
        let dir = tempfile::tempdir().unwrap();
        let certificate = rcgen::generate_simple_self_signed(vec!["127.0.0.1".into()]).unwrap();
        std::fs::write(dir.path().join("cert.pem"), certificate.cert.pem()).unwrap();
        std::fs::write(
            dir.path().join("key.pem"),
            certificate.key_pair.serialize_pem(),
        )
        .unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut child = Command::new("python3")
            .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/api/relay.py"))
            .args([mode, &port.to_string()])
            .arg(dir.path().join("cert.pem"))
            .arg(dir.path().join("key.pem"))
            .args([USER, PASSWORD])
            .arg(dir.path().join("maildir"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 with aiosmtpd (scripts/tools.sh installs it)");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(line.trim(), "ready", "the relay started");
        Relay { child, port, dir }
    }

    fn certificate(&self) -> String {
        self.dir.path().join("cert.pem").display().to_string()
    }

    /// The messages the relay accepted, as received.
    fn delivered(&self) -> Vec<String> {
        let new: PathBuf = self.dir.path().join("maildir").join("new");
        std::fs::read_dir(new)
            .map(|entries| {
                entries
                    .map(|entry| std::fs::read_to_string(entry.unwrap().path()).unwrap())
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// alice emails a transfer link to a partner; returns how many emails the worker sent.
async fn email_a_link_through(settings: &[(&str, &str)]) -> (TestApp, usize) {
    let app = TestApp::spawn_with(settings).await;
    let alice = app.logged_in("alice@example.com").await;
    let (id, _) = start(&app, &alice, &["prd-studio-drive"]).await;
    let () = app
        .call(
            &alice,
            "email_transfer_link",
            &[("transfer", id.as_str()), ("email", "partner@example.net")],
        )
        .await
        .unwrap();
    let sent = app.deliver_emails().await;
    (app, sent)
}

async fn last_error(app: &TestApp) -> String {
    let pool = app.database().await;
    let error: Option<String> = sqlx::query_scalar("SELECT last_error FROM outbox")
        .fetch_one(&pool)
        .await
        .unwrap();
    pool.close().await;
    error.unwrap_or_default()
}

fn assert_one_link_email(relay: &Relay) {
    let delivered = relay.delivered();
    assert_eq!(delivered.len(), 1, "the relay accepted one email");
    let email = &delivered[0];
    assert!(email.contains("To: partner@example.net"), "{email}");
    assert!(email.contains("multipart/alternative"), "{email}");
    assert!(
        email.contains("text/html") && email.contains("text/plain"),
        "{email}"
    );
    assert!(email.contains("Message-ID: <"), "{email}");
}

#[tokio::test]
async fn emails_reach_a_starttls_relay_that_requires_a_password() {
    let relay = Relay::start("starttls");
    let url = format!(
        "smtp://{USER}:{PASSWORD}@127.0.0.1:{}?tls=starttls",
        relay.port
    );
    let (_app, sent) = email_a_link_through(&[
        ("MANAGER_SMTP_URL", &url),
        ("MANAGER_SMTP_CA_FILE", &relay.certificate()),
    ])
    .await;
    assert_eq!(sent, 1);
    assert_one_link_email(&relay);
}

#[tokio::test]
async fn emails_reach_an_implicit_tls_relay_with_credentials_from_their_own_settings() {
    let relay = Relay::start("implicit");
    let url = format!("smtps://127.0.0.1:{}", relay.port);
    let (_app, sent) = email_a_link_through(&[
        ("MANAGER_SMTP_URL", &url),
        ("MANAGER_SMTP_USERNAME", USER),
        ("MANAGER_SMTP_PASSWORD", PASSWORD),
        ("MANAGER_SMTP_CA_FILE", &relay.certificate()),
    ])
    .await;
    assert_eq!(sent, 1);
    assert_one_link_email(&relay);
}

#[tokio::test]
async fn wrong_credentials_are_refused_with_a_clear_error_that_never_shows_the_password() {
    let relay = Relay::start("starttls");
    let url = format!(
        "smtp://{USER}:not-the-password@127.0.0.1:{}?tls=starttls",
        relay.port
    );
    let (app, sent) = email_a_link_through(&[
        ("MANAGER_SMTP_URL", &url),
        ("MANAGER_SMTP_CA_FILE", &relay.certificate()),
    ])
    .await;
    assert_eq!(sent, 0);
    assert!(relay.delivered().is_empty());
    let error = last_error(&app).await;
    assert!(
        error.contains("535"),
        "the relay's refusal is kept: {error}"
    );
    assert!(!error.contains("not-the-password") && !error.contains(PASSWORD));
}

#[tokio::test]
async fn a_relay_certificate_nobody_vouches_for_is_refused() {
    let relay = Relay::start("starttls");
    let url = format!(
        "smtp://{USER}:{PASSWORD}@127.0.0.1:{}?tls=starttls",
        relay.port
    );
    let (app, sent) = email_a_link_through(&[("MANAGER_SMTP_URL", &url)]).await;
    assert_eq!(
        sent, 0,
        "no email leaves over a connection that could be intercepted"
    );
    assert!(relay.delivered().is_empty());
    assert!(!last_error(&app).await.is_empty());
}
