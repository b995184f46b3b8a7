//! The Manager's server: configuration, persistence, the API's server side and HTTP.

pub mod auth;
pub mod config;
pub mod http;
pub mod services;
pub mod store;

use std::sync::Arc;

use leptos::prelude::LeptosOptions;

use crate::config::Config;
use crate::http::AppState;
use crate::services::Services;
use crate::store::{Store, StoreError};

/// Connects to the database, migrates it, seeds the demo when asked, and assembles the
/// state every request shares.
pub async fn prepare(config: &Config) -> Result<AppState, StoreError> {
    if config.database_url.starts_with("sqlite:") {
        std::fs::create_dir_all(&config.data_dir).map_err(|error| {
            StoreError::Corrupt(format!("cannot create the data directory: {error}"))
        })?;
    }
    let store = Store::connect(&config.database_url).await?;
    store.migrate().await?;
    if config.demo && store.seed_demo(auth::hash_password).await? {
        tracing::info!("seeded the demo data");
    }
    let config = Arc::new(config.clone());
    Ok(AppState {
        leptos_options: leptos_options(&config),
        backend: Arc::new(Services::new(store.clone(), config.clone())),
        store,
        public_url: config.public_url.clone(),
    })
}

fn leptos_options(config: &Config) -> LeptosOptions {
    LeptosOptions::builder()
        // cargo-leptos names the bundle at build time; plain cargo builds use the same name.
        .output_name(option_env!("LEPTOS_OUTPUT_NAME").unwrap_or("manager"))
        .site_root(std::env::var("LEPTOS_SITE_ROOT").unwrap_or_else(|_| "target/site".into()))
        .site_pkg_dir("pkg")
        .site_addr(config.addr)
        .env(leptos::prelude::Env::PROD)
        .build()
}
