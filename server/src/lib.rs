//! The Manager's server: configuration, persistence, the API's server side and HTTP.

pub mod auth;
pub mod config;
pub mod http;
pub mod jobs;
pub mod links;
pub mod mail;
pub mod services;
pub mod store;
pub mod webhooks;

use std::sync::Arc;

use leptos::prelude::LeptosOptions;

use crate::config::Config;
use crate::http::AppState;
use crate::services::Services;
use crate::store::{Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot create the data directory: {0}")]
    DataDir(std::io::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Key(#[from] links::KeyError),
    #[error(transparent)]
    Mail(#[from] mail::MailConfigError),
}

/// Connects to the database, migrates it, seeds the demo when asked, and assembles the
/// state every request shares.
pub async fn prepare(config: &Config) -> Result<AppState, StartError> {
    std::fs::create_dir_all(&config.data_dir).map_err(StartError::DataDir)?;
    let link_keys = links::LinkKeys::load(config.secret_key.as_deref(), &config.data_dir)?;
    let mailer = mail::Mailer::new(
        config.smtp.as_ref(),
        config.data_dir.join("outbox"),
        &config.mail_from,
        link_keys.clone(),
    )?;
    let store = Store::connect(&config.database_url).await?;
    store.migrate().await?;
    if config.demo && store.seed_demo(auth::hash_password).await? {
        tracing::info!("seeded the demo data");
    }
    if let (true, Some(products)) = (config.demo, config.demo_scale) {
        let hash = auth::hash_password(store::demo::DEMO_PASSWORD);
        if store
            .seed_scale(products, &hash.0, services::now_ms())
            .await?
        {
            tracing::info!(products, "seeded the scale Organization");
        }
    }
    let config = Arc::new(config.clone());
    let webhooks = webhooks::Deliverer::new(link_keys.clone(), config.webhook_allow_private);
    let services = Arc::new(Services::new(store.clone(), config.clone(), link_keys));
    Ok(AppState {
        leptos_options: leptos_options(&config),
        backend: services.clone(),
        services,
        mailer,
        webhooks,
        store,
        public_url: config.public_url.clone(),
        trusted_proxies: Arc::new(config.trusted_proxies.clone()),
        stopping: Arc::new(tokio::sync::watch::channel(false).0),
    })
}

/// cargo-leptos writes the assets' content hashes beside the server binary it builds
/// (`hash-files` in Cargo.toml); a server built by plain cargo, as in tests, has none and
/// links the unhashed names.
fn assets_are_hashed() -> bool {
    std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.join("hash.txt")))
        .is_some_and(|file| file.exists())
}

fn leptos_options(config: &Config) -> LeptosOptions {
    LeptosOptions::builder()
        // cargo-leptos names the bundle at build time; plain cargo builds use the same name.
        .output_name(option_env!("LEPTOS_OUTPUT_NAME").unwrap_or("manager"))
        .site_root(std::env::var("LEPTOS_SITE_ROOT").unwrap_or_else(|_| "target/site".into()))
        .site_pkg_dir("pkg")
        .hash_files(assets_are_hashed())
        .site_addr(config.addr)
        .env(leptos::prelude::Env::PROD)
        .build()
}
