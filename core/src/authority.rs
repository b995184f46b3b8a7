//! Who may act on a transfer, and whether the transfer is still open to act on.

use serde::{Deserialize, Serialize};

use crate::role::Role;
use crate::time::{is_expired, Timestamp};
use crate::transfer::{TransferRecord, TransferStatus};

/// `role`: the actor's role in the source Organization; `None` when not a member.
pub fn may_send(role: Option<Role>) -> bool {
    role.is_some_and(Role::is_admin)
}

/// `role`: the actor's role in the destination Organization; `None` when not a member.
pub fn may_receive(role: Option<Role>) -> bool {
    role.is_some_and(Role::is_admin)
}

#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    thiserror::Error,
)]
#[serde(rename_all = "snake_case")]
pub enum TransferStateRefusal {
    #[error("the actor may not do this")]
    NotAllowed,
    #[error("the transfer is already completed")]
    AlreadyCompleted,
    #[error("the transfer was cancelled")]
    Cancelled,
    #[error("the transfer was declined")]
    Declined,
    #[error("the transfer has expired")]
    Expired,
}

/// Open means in progress and not past its deadline: a transfer the expiry job has not
/// reached yet is already expired for everyone.
pub fn check_open(transfer: &TransferRecord, now: Timestamp) -> Result<(), TransferStateRefusal> {
    match transfer.status {
        TransferStatus::InProgress if is_expired(transfer.expires_at, now) => {
            Err(TransferStateRefusal::Expired)
        }
        TransferStatus::InProgress => Ok(()),
        TransferStatus::Completed => Err(TransferStateRefusal::AlreadyCompleted),
        TransferStatus::Cancelled => Err(TransferStateRefusal::Cancelled),
        TransferStatus::Declined => Err(TransferStateRefusal::Declined),
        TransferStatus::Expired => Err(TransferStateRefusal::Expired),
    }
}

/// Only the source's admins may cancel. Authority is checked first so that an outsider
/// learns nothing about the transfer's state.
pub fn check_cancel(
    actor_role_in_source: Option<Role>,
    transfer: &TransferRecord,
    now: Timestamp,
) -> Result<(), TransferStateRefusal> {
    if !may_send(actor_role_in_source) {
        return Err(TransferStateRefusal::NotAllowed);
    }
    check_open(transfer, now)
}

/// Any authenticated holder of the link may decline: the link is the invitation, and
/// declining gives nothing away.
pub fn check_decline(
    transfer: &TransferRecord,
    now: Timestamp,
) -> Result<(), TransferStateRefusal> {
    check_open(transfer, now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{record, EXPIRES};
    use TransferStateRefusal as R;

    const BEFORE: Timestamp = Timestamp::from_millis(EXPIRES.as_millis() - 1);

    #[test]
    fn who_may_send_is_an_admin_of_the_source() {
        assert!(may_send(Some(Role::LegalRepresentative)));
        assert!(may_send(Some(Role::Administrator)));
        assert!(!may_send(Some(Role::User)));
        assert!(!may_send(None));
    }

    #[test]
    fn who_may_receive_is_an_admin_of_the_destination() {
        assert!(may_receive(Some(Role::LegalRepresentative)));
        assert!(may_receive(Some(Role::Administrator)));
        assert!(!may_receive(Some(Role::User)));
        assert!(!may_receive(None));
    }

    #[test]
    fn single_use_closed_transfers_are_refused() {
        let cases = [
            (TransferStatus::InProgress, BEFORE, Ok(())),
            (TransferStatus::InProgress, EXPIRES, Err(R::Expired)),
            (TransferStatus::Completed, BEFORE, Err(R::AlreadyCompleted)),
            (TransferStatus::Cancelled, BEFORE, Err(R::Cancelled)),
            (TransferStatus::Declined, BEFORE, Err(R::Declined)),
            (TransferStatus::Expired, BEFORE, Err(R::Expired)),
        ];
        for (status, now, expected) in cases {
            let transfer = record(status, &["drive"]);
            assert_eq!(check_open(&transfer, now), expected, "{status}");
            assert_eq!(check_decline(&transfer, now), expected, "{status}");
        }
    }

    #[test]
    fn only_source_admins_cancel_and_only_open_transfers() {
        let open = record(TransferStatus::InProgress, &["drive"]);
        assert_eq!(
            check_cancel(Some(Role::Administrator), &open, BEFORE),
            Ok(())
        );
        assert_eq!(
            check_cancel(Some(Role::User), &open, BEFORE),
            Err(R::NotAllowed)
        );
        let done = record(TransferStatus::Completed, &["drive"]);
        assert_eq!(check_cancel(None, &done, BEFORE), Err(R::NotAllowed));
        assert_eq!(
            check_cancel(Some(Role::LegalRepresentative), &done, BEFORE),
            Err(R::AlreadyCompleted)
        );
    }
}
