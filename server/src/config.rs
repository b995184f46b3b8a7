//! Settings, read once from the environment at start.

use std::net::SocketAddr;
use std::path::PathBuf;

use ipnet::IpNet;

use transfer_rules::ExpiryPolicy;

use crate::mail::{Relay, RelayError};

#[derive(Clone, Debug)]
pub struct Config {
    /// Where the HTTP server listens (`MANAGER_ADDR`).
    pub addr: SocketAddr,
    /// The URL people reach the Manager at (`MANAGER_PUBLIC_URL`); cookies are `Secure`
    /// when it is HTTPS, and cross-site checks accept its origin.
    pub public_url: String,
    /// Files the embedded setup keeps (`MANAGER_DATA_DIR`).
    pub data_dir: PathBuf,
    /// `DATABASE_URL`: `sqlite://…` or `postgres://…`; default, a SQLite file in the data dir.
    pub database_url: String,
    /// Seed the demo Organizations into an empty database and show the demo logins.
    pub demo: bool,
    /// `MANAGER_DEMO_SCALE`: with the demo, also an Organization of this many products.
    pub demo_scale: Option<i64>,
    /// How long a login session lasts.
    pub session_ttl_ms: i64,
    /// `MANAGER_SECRET_KEY`: seals transfer links; else a key file in the data dir.
    pub secret_key: Option<String>,
    /// The relay of `MANAGER_SMTP_URL` (see [`Relay`]); without it, emails are written as
    /// files into `<data dir>/outbox`.
    pub smtp: Option<Relay>,
    pub mail_from: String,
    /// How long a transfer stays open (`MANAGER_TRANSFER_EXPIRY_DAYS`).
    pub transfer_expiry: ExpiryPolicy,
    /// `MANAGER_TRUSTED_PROXIES`: peers whose `Forwarded`/`X-Forwarded-For` name the client.
    pub trusted_proxies: Vec<IpNet>,
    /// `MANAGER_API_RATE_LIMIT`: requests one API token may make per minute.
    pub api_rate_limit: u32,
    /// `MANAGER_WEBHOOK_ALLOW_PRIVATE`: webhook endpoints may be on private, loopback or
    /// link-local addresses (a receiver on the operator's own network, or a test's).
    pub webhook_allow_private: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{name} is not valid: {reason}")]
    Invalid { name: &'static str, reason: String },
    #[error(transparent)]
    Smtp(#[from] RelayError),
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let addr: SocketAddr = lookup("MANAGER_ADDR")
            .unwrap_or_else(|| "127.0.0.1:3000".to_string())
            .parse()
            .map_err(|error: std::net::AddrParseError| ConfigError::Invalid {
                name: "MANAGER_ADDR",
                reason: error.to_string(),
            })?;
        let public_url = lookup("MANAGER_PUBLIC_URL")
            .unwrap_or_else(|| format!("http://{addr}"))
            .trim_end_matches('/')
            .to_string();
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
            return Err(ConfigError::Invalid {
                name: "MANAGER_PUBLIC_URL",
                reason: "must start with http:// or https://".into(),
            });
        }
        let data_dir = PathBuf::from(lookup("MANAGER_DATA_DIR").unwrap_or_else(|| "data".into()));
        let database_url = lookup("DATABASE_URL").unwrap_or_else(|| {
            format!(
                "sqlite://{}?mode=rwc",
                data_dir.join("manager.db").display()
            )
        });
        let enabled =
            |name: &str| matches!(lookup(name).as_deref(), Some("1" | "true" | "yes" | "on"));
        let demo = enabled("MANAGER_DEMO");
        let webhook_allow_private = enabled("MANAGER_WEBHOOK_ALLOW_PRIVATE");
        let demo_scale = match lookup("MANAGER_DEMO_SCALE") {
            None => None,
            Some(value) => Some(
                value
                    .trim()
                    .parse::<i64>()
                    .ok()
                    .filter(|products| (1..=100_000).contains(products))
                    .ok_or(ConfigError::Invalid {
                        name: "MANAGER_DEMO_SCALE",
                        reason: "must be a number of products from 1 to 100000".into(),
                    })?,
            ),
        };
        let session_hours: i64 = lookup("MANAGER_SESSION_HOURS")
            .unwrap_or_else(|| "168".into())
            .parse()
            .ok()
            .filter(|hours| *hours > 0)
            .ok_or(ConfigError::Invalid {
                name: "MANAGER_SESSION_HOURS",
                reason: "must be a positive number of hours".into(),
            })?;
        let expiry_days: i64 = lookup("MANAGER_TRANSFER_EXPIRY_DAYS")
            .unwrap_or_else(|| "14".into())
            .parse()
            .ok()
            .filter(|days| (1..=365).contains(days))
            .ok_or(ConfigError::Invalid {
                name: "MANAGER_TRANSFER_EXPIRY_DAYS",
                reason: "must be a whole number of days from 1 to 365".into(),
            })?;
        let transfer_expiry =
            ExpiryPolicy::new(expiry_days * 86_400_000).map_err(|_| ConfigError::Invalid {
                name: "MANAGER_TRANSFER_EXPIRY_DAYS",
                reason: "must be positive".into(),
            })?;
        let trusted_proxies = parse_networks(
            &lookup("MANAGER_TRUSTED_PROXIES").unwrap_or_default(),
        )
        .map_err(|reason| ConfigError::Invalid {
            name: "MANAGER_TRUSTED_PROXIES",
            reason,
        })?;
        let api_rate_limit: u32 = lookup("MANAGER_API_RATE_LIMIT")
            .unwrap_or_else(|| "600".into())
            .parse()
            .ok()
            .filter(|limit| *limit > 0)
            .ok_or(ConfigError::Invalid {
                name: "MANAGER_API_RATE_LIMIT",
                reason: "must be a positive number of requests per minute".into(),
            })?;
        let smtp = lookup("MANAGER_SMTP_URL")
            .map(|url| {
                Relay::parse(
                    &url,
                    lookup("MANAGER_SMTP_USERNAME"),
                    lookup("MANAGER_SMTP_PASSWORD"),
                    lookup("MANAGER_SMTP_CA_FILE").map(PathBuf::from),
                )
            })
            .transpose()?;
        Ok(Config {
            trusted_proxies,
            secret_key: lookup("MANAGER_SECRET_KEY"),
            smtp,
            mail_from: lookup("MANAGER_MAIL_FROM")
                .unwrap_or_else(|| "Manager <no-reply@manager.localhost>".into()),
            transfer_expiry,
            addr,
            public_url,
            data_dir,
            database_url,
            demo,
            demo_scale,
            session_ttl_ms: session_hours * 3_600_000,
            api_rate_limit,
            webhook_allow_private,
        })
    }

    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

/// Addresses or CIDR blocks, separated by commas or spaces; an address is its own block.
fn parse_networks(list: &str) -> Result<Vec<IpNet>, String> {
    list.split([',', ' '])
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| {
            item.parse::<IpNet>()
                .or_else(|_| item.parse::<std::net::IpAddr>().map(IpNet::from))
                .map_err(|_| format!("{item:?} is neither an address nor a CIDR block"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(move |name| {
            pairs
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.clone())
        })
    }

    #[test]
    fn defaults_give_an_embedded_setup() {
        let config = config(&[]).unwrap();
        assert_eq!(config.addr.to_string(), "127.0.0.1:3000");
        assert_eq!(config.public_url, "http://127.0.0.1:3000");
        assert_eq!(config.database_url, "sqlite://data/manager.db?mode=rwc");
        assert!(!config.demo);
        assert!(!config.secure_cookies());
        assert!(
            !config.webhook_allow_private,
            "private endpoints need the operator's leave"
        );
        assert_eq!(config.transfer_expiry, ExpiryPolicy::default());
    }

    #[test]
    fn https_public_url_makes_cookies_secure() {
        let config = config(&[("MANAGER_PUBLIC_URL", "https://manager.example/")]).unwrap();
        assert_eq!(config.public_url, "https://manager.example");
        assert!(config.secure_cookies());
    }

    #[test]
    fn bad_values_are_refused_by_name() {
        let error = config(&[("MANAGER_ADDR", "nowhere")]).unwrap_err();
        assert!(error.to_string().starts_with("MANAGER_ADDR"));
        assert!(config(&[("MANAGER_PUBLIC_URL", "ftp://x")]).is_err());
        assert!(config(&[("MANAGER_SESSION_HOURS", "0")]).is_err());
        assert!(config(&[("MANAGER_TRANSFER_EXPIRY_DAYS", "0")]).is_err());
        assert!(config(&[("MANAGER_TRUSTED_PROXIES", "10.0.0.0/33")]).is_err());
        assert!(config(&[("MANAGER_TRUSTED_PROXIES", "proxy.example")]).is_err());
        assert!(config(&[("MANAGER_DEMO_SCALE", "0")]).is_err());
        assert_eq!(
            config(&[("MANAGER_DEMO_SCALE", "10000")])
                .unwrap()
                .demo_scale,
            Some(10_000)
        );
    }

    #[test]
    fn trusted_proxies_are_addresses_and_blocks() {
        assert!(config(&[]).unwrap().trusted_proxies.is_empty());
        let proxies = config(&[("MANAGER_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8 ::1")])
            .unwrap()
            .trusted_proxies;
        let shown: Vec<String> = proxies.iter().map(ToString::to_string).collect();
        assert_eq!(shown, ["127.0.0.1/32", "10.0.0.0/8", "::1/128"]);
    }
}
