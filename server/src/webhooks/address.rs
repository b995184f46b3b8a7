//! Where an endpoint may be: an HTTPS URL whose host resolves to public addresses only.
//! With `MANAGER_WEBHOOK_ALLOW_PRIVATE`, private, loopback and link-local hosts are allowed
//! too, over HTTPS or plain HTTP (a receiver on the operator's own network rarely has a
//! certificate); a public host always needs HTTPS.

use std::net::{IpAddr, SocketAddr};

use transfer_rules::is_public_address;
use url::{Host, Url};

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AddressRefusal {
    #[error("not an HTTPS URL with a host")]
    NotHttps,
    #[error("the host resolves to a private, loopback or link-local address")]
    Private,
    #[error("the host does not resolve")]
    Unresolvable,
}

/// Parses an endpoint URL: HTTP(S), a host, no credentials in it.
pub fn parse(raw: &str) -> Result<Url, AddressRefusal> {
    let url = Url::parse(raw).map_err(|_| AddressRefusal::NotHttps)?;
    let plausible = matches!(url.scheme(), "https" | "http")
        && url.host().is_some()
        && url.username().is_empty()
        && url.password().is_none();
    plausible.then_some(url).ok_or(AddressRefusal::NotHttps)
}

/// The address to connect to for `url`, checked now: a name that resolved to a public
/// address when the endpoint was registered may point inside since.
pub async fn resolve(url: &Url, allow_private: bool) -> Result<SocketAddr, AddressRefusal> {
    let port = url
        .port_or_known_default()
        .ok_or(AddressRefusal::NotHttps)?;
    let addresses: Vec<SocketAddr> = match url.host() {
        Some(Host::Ipv4(ip)) => vec![SocketAddr::new(IpAddr::V4(ip), port)],
        Some(Host::Ipv6(ip)) => vec![SocketAddr::new(IpAddr::V6(ip), port)],
        Some(Host::Domain(name)) => tokio::net::lookup_host((name, port))
            .await
            .map_err(|_| AddressRefusal::Unresolvable)?
            .collect(),
        None => return Err(AddressRefusal::NotHttps),
    };
    let public = addresses
        .iter()
        .all(|address| is_public_address(address.ip()));
    if !public && !allow_private {
        return Err(AddressRefusal::Private);
    }
    if url.scheme() != "https" && public {
        return Err(AddressRefusal::NotHttps);
    }
    addresses
        .first()
        .copied()
        .ok_or(AddressRefusal::Unresolvable)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn private_hosts_need_the_operators_leave() {
        for raw in [
            "https://127.0.0.1/hook",
            "https://localhost:8443/hook",
            "https://[::1]/hook",
            "https://169.254.169.254/latest/meta-data",
            "https://10.0.0.7/hook",
        ] {
            let url = parse(raw).unwrap();
            assert_eq!(
                resolve(&url, false).await,
                Err(AddressRefusal::Private),
                "{raw}"
            );
            assert!(resolve(&url, true).await.is_ok(), "{raw}");
        }
        let local_http = parse("http://127.0.0.1:9000/hook").unwrap();
        assert_eq!(
            resolve(&local_http, true).await,
            Ok("127.0.0.1:9000".parse().unwrap())
        );
    }

    #[tokio::test]
    async fn a_public_host_needs_https() {
        let plain = parse("http://93.184.215.14/hook").unwrap();
        assert_eq!(resolve(&plain, true).await, Err(AddressRefusal::NotHttps));
        let secure = parse("https://93.184.215.14/hook").unwrap();
        assert_eq!(
            resolve(&secure, false).await,
            Ok("93.184.215.14:443".parse().unwrap())
        );
    }

    #[test]
    fn only_web_urls_with_a_host_and_no_credentials() {
        for raw in [
            "ftp://example.com/",
            "https://user:pw@example.com/",
            "not a url",
            "mailto:a@example.com",
        ] {
            assert_eq!(parse(raw), Err(AddressRefusal::NotHttps), "{raw}");
        }
        assert!(parse("https://hooks.example.com/manager?x=1").is_ok());
    }
}
