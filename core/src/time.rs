//! Time is always passed in, so every rule is reproducible and testable at any instant.

use serde::{Deserialize, Serialize};

/// Milliseconds since the Unix epoch: an integer, portable to every database.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(i64);

impl Timestamp {
    pub const fn from_millis(millis: i64) -> Self {
        Self(millis)
    }

    pub const fn as_millis(self) -> i64 {
        self.0
    }
}

/// How long a pending transfer stays open (DESIGN.md §2: configurable, 14 days by default).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExpiryPolicy {
    period_ms: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the expiry period must be a positive number of milliseconds")]
pub struct ExpiryPolicyError;

impl ExpiryPolicy {
    pub const DEFAULT_PERIOD_MS: i64 = 14 * 24 * 60 * 60 * 1000;

    pub fn new(period_ms: i64) -> Result<Self, ExpiryPolicyError> {
        if period_ms > 0 {
            Ok(Self { period_ms })
        } else {
            Err(ExpiryPolicyError)
        }
    }

    pub const fn period_ms(self) -> i64 {
        self.period_ms
    }

    pub const fn expires_at(self, started: Timestamp) -> Timestamp {
        Timestamp(started.0.saturating_add(self.period_ms))
    }
}

impl Default for ExpiryPolicy {
    fn default() -> Self {
        Self {
            period_ms: Self::DEFAULT_PERIOD_MS,
        }
    }
}

/// The deadline itself already counts as expired, so "expires at" never means "still open at".
pub fn is_expired(expires_at: Timestamp, now: Timestamp) -> bool {
    now >= expires_at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiry_defaults_to_14_days_and_expires_at_the_deadline() {
        let started = Timestamp::from_millis(1_000);
        let deadline = ExpiryPolicy::default().expires_at(started);
        assert_eq!(deadline.as_millis(), 1_000 + 1_209_600_000);
        assert!(!is_expired(
            deadline,
            Timestamp::from_millis(deadline.as_millis() - 1)
        ));
        assert!(is_expired(deadline, deadline));
        assert!(is_expired(
            deadline,
            Timestamp::from_millis(deadline.as_millis() + 1)
        ));
    }

    #[test]
    fn expiry_period_is_configurable_but_positive() {
        let hour = ExpiryPolicy::new(3_600_000).unwrap();
        assert_eq!(hour.period_ms(), 3_600_000);
        assert_eq!(
            hour.expires_at(Timestamp::from_millis(0)).as_millis(),
            3_600_000
        );
        assert_eq!(ExpiryPolicy::new(0), Err(ExpiryPolicyError));
        assert_eq!(ExpiryPolicy::new(-1), Err(ExpiryPolicyError));
    }
}
