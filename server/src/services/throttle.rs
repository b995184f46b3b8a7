//! How hard guessing passwords is made: every attempt is counted before it is judged, per
//! account and address (so a stranger elsewhere cannot lock a user out), per address
//! across accounts, and per account across addresses with a growing delay rather than a
//! lock.

use std::time::Duration;

/// Attempts are counted over this window.
pub const WINDOW_MS: i64 = 15 * 60 * 1000;
/// Attempts on one account from one address.
pub const MAX_PER_ACCOUNT_AND_ADDRESS: i64 = 5;
/// Attempts from one address, whatever the account.
pub const MAX_PER_ADDRESS: i64 = 30;
/// Judged attempts on one account, from anywhere, before each one waits.
pub const FREE_PER_ACCOUNT: i64 = 10;

/// The wait before judging the `judged`-th attempt on one account in the window: nothing
/// up to [`FREE_PER_ACCOUNT`], then doubling from a quarter second up to eight seconds.
/// It slows a guesser spread over many addresses without refusing the owner.
pub fn account_delay(judged: i64) -> Duration {
    let over = judged - FREE_PER_ACCOUNT;
    if over <= 0 {
        return Duration::ZERO;
    }
    Duration::from_millis(250 << (over - 1).min(5))
}

/// The subjects an attempt is counted under.
pub struct Subjects {
    pub account_and_address: String,
    pub address: String,
    pub account: String,
}

impl Subjects {
    pub fn new(email: &str, address: &str) -> Self {
        Subjects {
            account_and_address: format!("login:{email}|{address}"),
            address: format!("client:{address}"),
            account: format!("email:{email}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_owner_is_slowed_down_never_locked_out() {
        assert_eq!(account_delay(1), Duration::ZERO);
        assert_eq!(account_delay(FREE_PER_ACCOUNT), Duration::ZERO);
        assert_eq!(
            account_delay(FREE_PER_ACCOUNT + 1),
            Duration::from_millis(250)
        );
        assert_eq!(
            account_delay(FREE_PER_ACCOUNT + 2),
            Duration::from_millis(500)
        );
        assert_eq!(account_delay(10_000), Duration::from_secs(8));
    }
}
