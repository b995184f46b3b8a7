//! Who the client is. Behind a reverse proxy every request comes from the proxy, so the
//! client's address is read from the proxy's `Forwarded` or `X-Forwarded-For` header, but
//! only when the peer is a proxy the operator trusts: anyone else could write anything there.

use std::net::{IpAddr, SocketAddr};

use app::backend::ClientAddress;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use ipnet::IpNet;

use super::AppState;

pub async fn record_client_address(
    State(state): State<AppState>,
    mut request: Request<Body>,
    next: Next,
) -> Response {
    if let Some(ConnectInfo(peer)) = request.extensions().get::<ConnectInfo<SocketAddr>>() {
        let client = client_address(peer.ip(), request.headers(), &state.trusted_proxies);
        request
            .extensions_mut()
            .insert(ClientAddress(client.to_string()));
    }
    next.run(request).await
}

/// Walks the chain of forwarding hops from the nearest: each hop a trusted proxy vouches
/// for the one before it; the first hop no trusted proxy stands for is the client. An
/// entry that is not an address ends the walk at the last hop that could be believed.
pub fn client_address(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |address: &IpAddr| trusted.iter().any(|net| net.contains(address));
    let mut client = peer;
    if !is_trusted(&client) {
        return client;
    }
    for hop in forwarded_chain(headers).into_iter().rev() {
        match hop {
            Some(address) => {
                client = address;
                if !is_trusted(&client) {
                    break;
                }
            }
            None => break,
        }
    }
    client
}

/// The `for` addresses of `Forwarded` (RFC 7239) if present, else of `X-Forwarded-For`,
/// from the farthest hop to the nearest; `None` for an entry that is no address.
fn forwarded_chain(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let values = |name: &str| -> Vec<String> {
        headers
            .get_all(name)
            .iter()
            .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
            .collect()
    };
    let forwarded = values("forwarded");
    if !forwarded.is_empty() {
        return forwarded
            .iter()
            .flat_map(|value| value.split(','))
            .map(|element| {
                element
                    .split(';')
                    .filter_map(|pair| pair.split_once('='))
                    .find(|(key, _)| key.trim().eq_ignore_ascii_case("for"))
                    .and_then(|(_, node)| parse_node(node))
            })
            .collect();
    }
    values("x-forwarded-for")
        .iter()
        .flat_map(|value| value.split(','))
        .map(parse_node)
        .collect()
}

/// `192.0.2.1`, `"192.0.2.1:80"`, `"[2001:db8::1]:443"` or `2001:db8::1`.
fn parse_node(node: &str) -> Option<IpAddr> {
    let node = node.trim().trim_matches('"');
    if let Ok(address) = node.parse::<IpAddr>() {
        return Some(address);
    }
    if let Ok(socket) = node.parse::<SocketAddr>() {
        return Some(socket.ip());
    }
    node.strip_prefix('[')
        .and_then(|rest| rest.split_once(']'))
        .and_then(|(inner, _)| inner.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, value.parse().unwrap());
        }
        map
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().map(|net| net.parse().unwrap()).collect()
    }

    #[test]
    fn without_trusted_proxies_the_peer_is_the_client() {
        let spoofed = headers(&[("x-forwarded-for", "203.0.113.9")]);
        assert_eq!(
            client_address(ip("198.51.100.1"), &spoofed, &[]),
            ip("198.51.100.1")
        );
        let other_proxy = nets(&["10.0.0.0/8"]);
        assert_eq!(
            client_address(ip("198.51.100.1"), &spoofed, &other_proxy),
            ip("198.51.100.1")
        );
    }

    #[test]
    fn a_trusted_proxy_names_the_client() {
        let proxies = nets(&["10.0.0.0/8"]);
        let forwarded = headers(&[("x-forwarded-for", "203.0.113.9")]);
        assert_eq!(
            client_address(ip("10.1.2.3"), &forwarded, &proxies),
            ip("203.0.113.9")
        );
        let rfc = headers(&[("forwarded", "for=\"[2001:db8::7]:4711\";proto=https")]);
        assert_eq!(
            client_address(ip("10.1.2.3"), &rfc, &proxies),
            ip("2001:db8::7")
        );
    }

    #[test]
    fn what_the_client_wrote_itself_is_not_believed() {
        let proxies = nets(&["10.0.0.0/8"]);
        // The client sent "1.2.3.4"; the proxy appended the address it saw.
        let chain = headers(&[("x-forwarded-for", "1.2.3.4, 203.0.113.9")]);
        assert_eq!(
            client_address(ip("10.0.0.1"), &chain, &proxies),
            ip("203.0.113.9")
        );
        // Through two trusted proxies, split over two header lines.
        let two = headers(&[
            ("x-forwarded-for", "1.2.3.4, 203.0.113.9"),
            ("x-forwarded-for", "10.0.0.2"),
        ]);
        assert_eq!(
            client_address(ip("10.0.0.1"), &two, &proxies),
            ip("203.0.113.9")
        );
        // Garbage where the nearest untrusted hop should be: the proxy is all we know.
        let garbage = headers(&[("x-forwarded-for", "203.0.113.9, unknown")]);
        assert_eq!(
            client_address(ip("10.0.0.1"), &garbage, &proxies),
            ip("10.0.0.1")
        );
        let hidden = headers(&[("forwarded", "for=_hidden, for=203.0.113.9")]);
        assert_eq!(
            client_address(ip("10.0.0.1"), &hidden, &proxies),
            ip("203.0.113.9")
        );
    }
}
