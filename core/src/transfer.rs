use serde::{Deserialize, Serialize};

use crate::codes::coded_enum;
use crate::ids::{OrganizationId, ProductId, TransferId};
use crate::time::Timestamp;

coded_enum! {
    pub enum TransferStatus as "transfer status" {
        InProgress = "in_progress",
        Completed = "completed",
        Cancelled = "cancelled",
        Declined = "declined",
        Expired = "expired",
    }
}

impl TransferStatus {
    pub const fn is_terminal(self) -> bool {
        !matches!(self, Self::InProgress)
    }

    /// A transfer is single use: it leaves `InProgress` once, and never comes back.
    pub const fn can_become(self, next: Self) -> bool {
        matches!(self, Self::InProgress) && next.is_terminal()
    }
}

coded_enum! {
    /// An entry in a transfer's history.
    pub enum TransferEventKind as "transfer event kind" {
        Created = "created",
        LinkEmailed = "link_emailed",
        Completed = "completed",
        Cancelled = "cancelled",
        Declined = "declined",
        Expired = "expired",
        /// An email about the transfer could not be delivered, and will not be retried.
        EmailFailed = "email_failed",
        /// An email told people of the transfer's outcome: an Organization's
        /// administrators, or an address its link was emailed to.
        Notified = "notified",
    }
}

impl TransferEventKind {
    /// The event recorded in the same transaction as a change to `status`.
    pub const fn for_status(status: TransferStatus) -> Option<Self> {
        match status {
            TransferStatus::InProgress => None,
            TransferStatus::Completed => Some(Self::Completed),
            TransferStatus::Cancelled => Some(Self::Cancelled),
            TransferStatus::Declined => Some(Self::Declined),
            TransferStatus::Expired => Some(Self::Expired),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferRecord {
    pub id: TransferId,
    pub source: OrganizationId,
    pub status: TransferStatus,
    /// Frozen when the transfer starts: the receiver accepts exactly this list.
    pub products: Vec<ProductId>,
    pub started_at: Timestamp,
    pub expires_at: Timestamp,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_use_only_in_progress_moves_and_only_to_an_end() {
        use TransferStatus::*;
        for from in TransferStatus::ALL {
            for to in TransferStatus::ALL {
                assert_eq!(from.can_become(to), from == InProgress && to != InProgress);
            }
        }
        assert_eq!(
            TransferStatus::ALL.map(TransferStatus::is_terminal),
            [false, true, true, true, true]
        );
    }

    #[test]
    fn codes_round_trip_and_each_end_has_its_event() {
        for status in TransferStatus::ALL {
            assert_eq!(TransferStatus::parse(status.as_str()), Ok(status));
            let event = TransferEventKind::for_status(status);
            assert_eq!(event.is_some(), status.is_terminal());
            if let Some(event) = event {
                assert_eq!(event.as_str(), status.as_str());
            }
        }
        for kind in TransferEventKind::ALL {
            assert_eq!(kind.to_string().parse(), Ok(kind));
        }
        assert_eq!(
            serde_json::to_string(&TransferStatus::InProgress).unwrap(),
            "\"in_progress\""
        );
    }
}
