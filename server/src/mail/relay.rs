//! The SMTP relay the Manager sends through, read from `MANAGER_SMTP_URL`:
//! `smtp://host[:port]` (plain, to a relay beside the Manager), `smtp://…?tls=starttls`
//! (STARTTLS required, port 587 by default), or `smtps://host[:port]` (implicit TLS, 465),
//! with a user name and password in the URL or in `MANAGER_SMTP_USERNAME` and
//! `MANAGER_SMTP_PASSWORD`. Certificates are verified against the system's roots, plus one
//! the operator names (`MANAGER_SMTP_CA_FILE`) for a relay with its own authority.

use std::fmt;
use std::path::PathBuf;

use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, Tokio1Executor};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Security {
    Plain,
    StartTls,
    ImplicitTls,
}

#[derive(Clone, PartialEq, Eq)]
pub struct Relay {
    pub host: String,
    pub port: u16,
    pub security: Security,
    user: Option<(String, String)>,
    pub extra_root: Option<PathBuf>,
}

/// Why the relay settings cannot be used. Never carries the URL: it may hold a password.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RelayError {
    #[error("MANAGER_SMTP_URL must look like smtp://host:port, smtp://host:port?tls=starttls or smtps://host:port")]
    Url,
    #[error(
        "MANAGER_SMTP_URL has a user name without a password, or a password without a user name"
    )]
    HalfCredentials,
    #[error("a password is only sent over TLS: use smtps:// or ?tls=starttls")]
    PasswordInClear,
    #[error("MANAGER_SMTP_CA_FILE cannot be read as a PEM certificate")]
    ExtraRoot,
}

impl fmt::Debug for Relay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Relay")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("user", &self.user.as_ref().map(|(name, _)| name))
            .field("extra_root", &self.extra_root)
            .finish_non_exhaustive()
    }
}

impl Relay {
    /// `username` and `password` (from their own variables) win over those in the URL.
    pub fn parse(
        url: &str,
        username: Option<String>,
        password: Option<String>,
        extra_root: Option<PathBuf>,
    ) -> Result<Self, RelayError> {
        let parsed = url::Url::parse(url).map_err(|_| RelayError::Url)?;
        let tls_query = parsed
            .query_pairs()
            .find(|(key, _)| key == "tls")
            .map(|(_, value)| value.into_owned());
        let security = match (parsed.scheme(), tls_query.as_deref()) {
            ("smtp", None) => Security::Plain,
            ("smtp", Some("starttls" | "required")) => Security::StartTls,
            ("smtps", None) => Security::ImplicitTls,
            _ => return Err(RelayError::Url),
        };
        let host = match parsed.host() {
            Some(url::Host::Domain(name)) if !name.is_empty() => name.to_string(),
            Some(url::Host::Ipv4(ip)) => ip.to_string(),
            Some(url::Host::Ipv6(ip)) => ip.to_string(),
            _ => return Err(RelayError::Url),
        };
        if !parsed.path().trim_matches('/').is_empty() || parsed.fragment().is_some() {
            return Err(RelayError::Url);
        }
        let port = parsed.port().unwrap_or(match security {
            Security::Plain => 25,
            Security::StartTls => 587,
            Security::ImplicitTls => 465,
        });
        let decoded = |part: &str| {
            percent_decode(part)
                .filter(|value| !value.is_empty())
                .ok_or(RelayError::Url)
        };
        let url_user = match parsed.username() {
            "" => None,
            name => Some(decoded(name)?),
        };
        let url_password = parsed.password().map(decoded).transpose()?;
        let user = match (username.or(url_user), password.or(url_password)) {
            (Some(name), Some(password)) => Some((name, password)),
            (None, None) => None,
            _ => return Err(RelayError::HalfCredentials),
        };
        if user.is_some() && security == Security::Plain {
            return Err(RelayError::PasswordInClear);
        }
        Ok(Relay {
            host,
            port,
            security,
            user,
            extra_root,
        })
    }

    pub fn transport(&self) -> Result<AsyncSmtpTransport<Tokio1Executor>, RelayError> {
        let mut builder =
            AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&self.host).port(self.port);
        if self.security != Security::Plain {
            let mut parameters = TlsParameters::builder(self.host.clone());
            if let Some(path) = &self.extra_root {
                let pem = std::fs::read(path).map_err(|_| RelayError::ExtraRoot)?;
                let certificate = Certificate::from_pem(&pem).map_err(|_| RelayError::ExtraRoot)?;
                parameters = parameters.add_root_certificate(certificate);
            }
            let parameters = parameters
                .build_rustls()
                .map_err(|_| RelayError::ExtraRoot)?;
            builder = builder.tls(match self.security {
                Security::StartTls => Tls::Required(parameters),
                _ => Tls::Wrapper(parameters),
            });
        }
        if let Some((name, password)) = &self.user {
            builder = builder.credentials(Credentials::new(name.clone(), password.clone()));
        }
        Ok(builder.build())
    }
}

fn percent_decode(part: &str) -> Option<String> {
    percent_encoding::percent_decode_str(part)
        .decode_utf8()
        .ok()
        .map(|text| text.into_owned())
}

#[cfg(test)]
mod tests {
    use super::{Relay, RelayError, Security};

    fn parse(url: &str) -> Result<Relay, RelayError> {
        Relay::parse(url, None, None, None)
    }

    #[test]
    fn each_form_names_its_security_and_default_port() {
        let plain = parse("smtp://127.0.0.1:2525").unwrap();
        assert_eq!(
            (plain.host.as_str(), plain.port, plain.security),
            ("127.0.0.1", 2525, Security::Plain)
        );
        assert_eq!(parse("smtp://relay.example").unwrap().port, 25);
        let starttls = parse("smtp://relay.example?tls=starttls").unwrap();
        assert_eq!(
            (starttls.port, starttls.security),
            (587, Security::StartTls)
        );
        let implicit = parse("smtps://relay.example").unwrap();
        assert_eq!(
            (implicit.port, implicit.security),
            (465, Security::ImplicitTls)
        );
    }

    #[test]
    fn credentials_come_from_the_url_or_their_own_variables() {
        let relay = parse("smtps://mailer:p%40ss%3Aword@relay.example:2465").unwrap();
        assert_eq!(relay.user, Some(("mailer".into(), "p@ss:word".into())));
        let relay = Relay::parse(
            "smtps://mailer:old@relay.example",
            Some("other".into()),
            Some("new".into()),
            None,
        )
        .unwrap();
        assert_eq!(relay.user, Some(("other".into(), "new".into())));
    }

    #[test]
    fn bad_settings_are_refused_without_repeating_the_password() {
        for (url, error) in [
            ("smtps://relay.example:notaport", RelayError::Url),
            ("smtp://:25", RelayError::Url),
            ("http://relay.example", RelayError::Url),
            ("smtp://relay.example?tls=maybe", RelayError::Url),
            ("smtps://relay.example/path", RelayError::Url),
            ("smtps://mailer@relay.example", RelayError::HalfCredentials),
            (
                "smtp://mailer:secret@relay.example",
                RelayError::PasswordInClear,
            ),
        ] {
            assert_eq!(parse(url).unwrap_err(), error, "{url}");
        }
        let relay = parse("smtps://mailer:secret@relay.example").unwrap();
        assert!(!format!("{relay:?}").contains("secret"));
        assert!(!RelayError::PasswordInClear.to_string().contains("secret"));
    }
}
