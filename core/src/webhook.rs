//! Webhooks: which transfer events an endpoint may hear, where an endpoint may live, and how
//! long a failing one is retried (DESIGN.md §10).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::codes::coded_enum;
use crate::transfer::TransferEventKind;

coded_enum! {
    /// What an endpoint subscribes to; each is sent when its transfer change commits.
    pub enum WebhookEvent as "webhook event" {
        TransferCreated = "transfer.created",
        TransferCompleted = "transfer.completed",
        TransferCancelled = "transfer.cancelled",
        TransferDeclined = "transfer.declined",
        TransferExpired = "transfer.expired",
    }
}

impl WebhookEvent {
    /// The webhook a transfer's history event announces, if any: notes on emails are
    /// the Manager's own business.
    pub const fn for_transfer_event(kind: TransferEventKind) -> Option<Self> {
        match kind {
            TransferEventKind::Created => Some(Self::TransferCreated),
            TransferEventKind::Completed => Some(Self::TransferCompleted),
            TransferEventKind::Cancelled => Some(Self::TransferCancelled),
            TransferEventKind::Declined => Some(Self::TransferDeclined),
            TransferEventKind::Expired => Some(Self::TransferExpired),
            TransferEventKind::LinkEmailed
            | TransferEventKind::EmailFailed
            | TransferEventKind::Notified => None,
        }
    }
}

/// Waits between attempts, after the first (Standard Webhooks' schedule): a receiver down
/// for most of a day still gets every event.
const RETRY_DELAYS_MS: [i64; 7] = [
    5_000,
    5 * 60_000,
    30 * 60_000,
    2 * 3_600_000,
    5 * 3_600_000,
    10 * 3_600_000,
    10 * 3_600_000,
];

/// How long to wait after `attempts` failed attempts, or `None` once it is time to give up.
pub fn webhook_retry_delay(attempts: i64) -> Option<i64> {
    let index = usize::try_from(attempts.checked_sub(1)?).ok()?;
    RETRY_DELAYS_MS.get(index).copied()
}

/// Whether an address is on the public internet. Endpoints anywhere else (this machine,
/// the hosting provider's own networks, cloud metadata services) could be made to receive
/// requests on an attacker's behalf, so they are refused unless the operator allows them.
pub fn is_public_address(address: IpAddr) -> bool {
    match address {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_public_v4(v4),
            None => is_public_v6(v6),
        },
    }
}

fn is_public_v4(address: Ipv4Addr) -> bool {
    let [a, b, c, _] = address.octets();
    !(address.is_private()
        || address.is_loopback()
        || address.is_link_local()
        || address.is_unspecified()
        || address.is_broadcast()
        || address.is_multicast()
        || address.is_documentation()
        || a == 0
        // Shared address space (carrier-grade NAT).
        || (a == 100 && (64..128).contains(&b))
        // IETF protocol assignments, benchmarking, reserved.
        || (a == 192 && b == 0 && c == 0)
        || (a == 198 && (18..20).contains(&b))
        || a >= 240)
}

fn is_public_v6(address: Ipv6Addr) -> bool {
    let first = address.segments()[0];
    !(address.is_loopback()
        || address.is_unspecified()
        || address.is_multicast()
        // Unique local fc00::/7 and link-local fe80::/10.
        || (first & 0xfe00) == 0xfc00
        || (first & 0xffc0) == 0xfe80
        // Documentation 2001:db8::/32.
        || (first == 0x2001 && address.segments()[1] == 0x0db8)
        // NAT64 64:ff9b::/96 reaches IPv4 addresses: judge the one it embeds.
        || (address.segments()[..6] == [0x64, 0xff9b, 0, 0, 0, 0]
            && !is_public_v4(Ipv4Addr::from_bits(address.to_bits() as u32))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_closing_event_and_the_start_are_announced() {
        for kind in TransferEventKind::ALL {
            let event = WebhookEvent::for_transfer_event(kind);
            assert_eq!(
                event.map(|e| e.as_str().trim_start_matches("transfer.").to_string()),
                matches!(
                    kind,
                    TransferEventKind::Created
                        | TransferEventKind::Completed
                        | TransferEventKind::Cancelled
                        | TransferEventKind::Declined
                        | TransferEventKind::Expired
                )
                .then(|| kind.as_str().to_string()),
            );
        }
    }

    #[test]
    fn retries_back_off_then_stop() {
        let delays: Vec<Option<i64>> = (0..=8).map(webhook_retry_delay).collect();
        assert_eq!(delays[0], None, "no wait is owed before the first attempt");
        assert_eq!(delays[1], Some(5_000));
        assert!(delays[1..8].windows(2).all(|pair| pair[0] <= pair[1]));
        assert_eq!(
            delays[8], None,
            "eight attempts, then the delivery has failed"
        );
    }

    #[test]
    fn only_public_addresses_are_public() {
        let private = [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "255.255.255.255",
            "224.0.0.1",
            "::1",
            "::",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a00:1",
            "2001:db8::1",
        ];
        for address in private {
            assert!(!is_public_address(address.parse().unwrap()), "{address}");
        }
        for address in [
            "93.184.215.14",
            "1.1.1.1",
            "2606:4700::1111",
            "64:ff9b::5db8:d70e",
        ] {
            assert!(is_public_address(address.parse().unwrap()), "{address}");
        }
    }
}
