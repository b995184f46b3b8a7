use std::net::SocketAddr;
use std::time::Duration;

use app::error::AppError;
use manager_server::config::Config;
use manager_server::http::{router, AppState};
use reqwest::redirect::Policy;
use serde::de::DeserializeOwned;
use sqlx::any::AnyPoolOptions;

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub state: AppState,
    pub database_url: String,
    pub data_dir: tempfile::TempDir,
}

/// A fresh, empty database for one test: a SQLite file, or a new PostgreSQL database.
pub async fn fresh_database_url(data_dir: &std::path::Path) -> String {
    match std::env::var("MANAGER_TEST_DATABASE") {
        Ok(admin_url) if admin_url.starts_with("postgres") => {
            sqlx::any::install_default_drivers();
            let name = format!("test_{}", uuid_like());
            let admin = AnyPoolOptions::new()
                .max_connections(1)
                .connect(&admin_url)
                .await
                .expect("the test PostgreSQL server is reachable");
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&admin)
                .await
                .expect("create a test database");
            admin.close().await;
            let (base, _) = admin_url
                .rsplit_once('/')
                .expect("a database URL has a path");
            format!("{base}/{name}")
        }
        _ => format!("sqlite://{}?mode=rwc", data_dir.join("test.db").display()),
    }
}

fn uuid_like() -> String {
    manager_server::auth::new_token()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(20)
        .collect::<String>()
        .to_lowercase()
}

pub fn test_config(data_dir: &std::path::Path, database_url: &str) -> Config {
    test_config_with(data_dir, database_url, &[])
}

/// The test configuration, with `extra` settings taking precedence.
pub fn test_config_with(
    data_dir: &std::path::Path,
    database_url: &str,
    extra: &[(&str, &str)],
) -> Config {
    let pairs = [
        ("MANAGER_ADDR", "127.0.0.1:0".to_string()),
        ("MANAGER_DATA_DIR", data_dir.display().to_string()),
        ("DATABASE_URL", database_url.to_string()),
        ("MANAGER_DEMO", "1".to_string()),
    ];
    Config::from_lookup(|name| {
        extra
            .iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.to_string())
            .or_else(|| {
                pairs
                    .iter()
                    .find(|(key, _)| *key == name)
                    .map(|(_, value)| value.clone())
            })
    })
    .expect("test configuration is valid")
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(&[]).await
    }

    /// A server with some settings of its own (`MANAGER_*` names and values).
    pub async fn spawn_with(settings: &[(&str, &str)]) -> TestApp {
        // Server logs show with a failing test's output; RUST_LOG chooses how much.
        let _ = tracing_subscriber::fmt()
            .with_test_writer()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .try_init();
        let data_dir = tempfile::tempdir().expect("temporary directory");
        let database_url = fresh_database_url(data_dir.path()).await;
        Self::spawn_on(database_url, data_dir, settings).await
    }

    /// A second server process, as it were, on this one's database.
    pub async fn spawn_beside(&self) -> TestApp {
        self.spawn_beside_with(&[]).await
    }

    /// A second server process on this one's database, with some settings of its own.
    pub async fn spawn_beside_with(&self, settings: &[(&str, &str)]) -> TestApp {
        let data_dir = tempfile::tempdir().expect("temporary directory");
        Self::spawn_on(self.database_url.clone(), data_dir, settings).await
    }

    async fn spawn_on(
        database_url: String,
        data_dir: tempfile::TempDir,
        settings: &[(&str, &str)],
    ) -> TestApp {
        let config = test_config_with(data_dir.path(), &database_url, settings);
        let state: AppState = manager_server::prepare(&config)
            .await
            .expect("the server prepares its database");
        let served = state.clone();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a free port");
        let address = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move {
            axum::serve(
                listener,
                router(served).into_make_service_with_connect_info::<SocketAddr>(),
            )
            .await
            .expect("the server runs");
        });
        TestApp {
            address,
            client: new_client(),
            state,
            database_url,
            data_dir,
        }
    }

    /// Another browser: its own cookies, same server.
    pub fn new_browser(&self) -> reqwest::Client {
        new_client()
    }

    /// The HTML of a page as the server renders it for `client`.
    pub async fn page(&self, client: &reqwest::Client, path: &str) -> String {
        client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .expect("page request")
            .text()
            .await
            .expect("page body")
    }

    pub async fn post(
        &self,
        client: &reqwest::Client,
        function: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        client
            .post(format!("{}/api/{function}", self.address))
            .header("accept", "application/json")
            .form(form)
            .send()
            .await
            .expect("request sent")
    }

    /// Calls a server function and decodes its answer or its `AppError`.
    pub async fn call<T: DeserializeOwned>(
        &self,
        client: &reqwest::Client,
        function: &str,
        form: &[(&str, &str)],
    ) -> Result<T, AppError> {
        decode(function, self.post(client, function, form).await).await
    }

    /// Calls a server function that takes JSON.
    pub async fn call_json<T: DeserializeOwned>(
        &self,
        client: &reqwest::Client,
        function: &str,
        body: serde_json::Value,
    ) -> Result<T, AppError> {
        let response = client
            .post(format!("{}/api/{function}", self.address))
            .header("accept", "application/json")
            .json(&body)
            .send()
            .await
            .expect("request sent");
        decode(function, response).await
    }

    /// A direct connection to the test database, to look at or tamper with what the
    /// server wrote.
    pub async fn database(&self) -> sqlx::AnyPool {
        AnyPoolOptions::new()
            .max_connections(2)
            .connect(&self.database_url)
            .await
            .expect("connect to the test database")
    }

    pub async fn login(
        &self,
        client: &reqwest::Client,
        email: &str,
        password: &str,
    ) -> Result<(), AppError> {
        self.login_via(client, email, password, None).await
    }

    /// Logs in as if through a reverse proxy that saw the client at `forwarded_for`.
    pub async fn login_via(
        &self,
        client: &reqwest::Client,
        email: &str,
        password: &str,
        forwarded_for: Option<&str>,
    ) -> Result<(), AppError> {
        let mut request = client
            .post(format!("{}/api/login", self.address))
            .header("accept", "application/json")
            .form(&[
                ("email", email),
                ("password", password),
                ("next", "/products"),
            ]);
        if let Some(address) = forwarded_for {
            request = request.header("x-forwarded-for", address);
        }
        let response = request.send().await.expect("request sent");
        if response.status().is_redirection() {
            return Ok(());
        }
        decode::<()>("login", response).await
    }

    /// Runs the email worker once, now; returns how many emails it sent.
    pub async fn deliver_emails(&self) -> usize {
        self.state
            .mailer
            .deliver_due(
                &self.state.store,
                manager_server::services::now_ms(),
                || false,
            )
            .await
            .expect("the worker reads the outbox")
    }

    pub async fn logged_in(&self, email: &str) -> reqwest::Client {
        let client = self.new_browser();
        self.login(&client, email, "demo-password")
            .await
            .unwrap_or_else(|error| panic!("{email} logs in: {error:?}"));
        client
    }
}

/// A request that never ends fails its test, naming its URL, instead of stalling the
/// whole suite.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(120);

/// A browser as the tests drive it: it sees redirects rather than following them, and
/// gives up on a request that never ends. Callers choose how it keeps cookies.
pub fn client_builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .redirect(Policy::none())
        .timeout(REQUEST_TIMEOUT)
}

fn new_client() -> reqwest::Client {
    client_builder()
        .cookie_store(true)
        .build()
        .expect("HTTP client")
}

/// A server function's answer, or its `AppError`, which must come with that error's own
/// HTTP status.
async fn decode<T: DeserializeOwned>(
    function: &str,
    response: reqwest::Response,
) -> Result<T, AppError> {
    let status = response.status();
    let body = response.text().await.expect("response body");
    let unexpected = |e: serde_json::Error| format!("{function}: {e}: {body}");
    if status.is_success() {
        Ok(serde_json::from_str(&body).unwrap_or_else(|e| panic!("{}", unexpected(e))))
    } else {
        let error: AppError =
            serde_json::from_str(&body).unwrap_or_else(|e| panic!("{}", unexpected(e)));
        assert_eq!(
            status.as_u16(),
            error.http_status(),
            "{function}: {error:?}"
        );
        Err(error)
    }
}

/// Calls made at once against a bound: exactly `allowed` of them succeed, and every other
/// one is refused with `refusal`.
pub fn assert_bounded<T: std::fmt::Debug>(
    outcomes: &[Result<T, AppError>],
    allowed: usize,
    refusal: AppError,
) {
    let succeeded = outcomes.iter().filter(|outcome| outcome.is_ok()).count();
    assert_eq!(succeeded, allowed, "{outcomes:?}");
    assert!(
        outcomes
            .iter()
            .all(|outcome| outcome.as_ref().err().is_none_or(|error| *error == refusal)),
        "{outcomes:?}"
    );
}
