//! How hard guessing passwords is made: every attempt is counted before it is judged, per
//! account and address (so a stranger elsewhere cannot lock a user out), per address
//! across accounts, and per account across addresses with a growing delay rather than a
//! lock. Password hashing itself runs a bounded number at a time.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

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

/// Bounds how many password hashes run at once (each holds about 19 MiB), and how many
/// requests may wait for one; beyond that a login is answered "busy" at once.
#[derive(Clone)]
pub struct HashingGate {
    running: Arc<Semaphore>,
    admitted: Arc<AtomicUsize>,
    max_admitted: usize,
}

/// A turn at hashing; the next waiting request goes when it is dropped.
pub struct HashingTurn {
    _permit: OwnedSemaphorePermit,
    _admission: Admission,
}

struct Admission(Arc<AtomicUsize>);

impl Drop for Admission {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl HashingGate {
    pub fn new(at_once: usize, waiting: usize) -> Self {
        HashingGate {
            running: Arc::new(Semaphore::new(at_once.max(1))),
            admitted: Arc::new(AtomicUsize::new(0)),
            max_admitted: at_once.max(1) + waiting,
        }
    }

    /// One hash at a time per core, and a short queue of twice that.
    pub fn for_this_machine() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        Self::new(cores, 2 * cores)
    }

    /// A turn, after waiting in the queue; `None` when the queue is full.
    pub async fn turn(&self) -> Option<HashingTurn> {
        if self.admitted.fetch_add(1, Ordering::AcqRel) >= self.max_admitted {
            self.admitted.fetch_sub(1, Ordering::AcqRel);
            return None;
        }
        let admission = Admission(self.admitted.clone());
        let permit = self.running.clone().acquire_owned().await.ok()?;
        Some(HashingTurn {
            _permit: permit,
            _admission: admission,
        })
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

    #[tokio::test]
    async fn the_gate_runs_a_few_queues_a_few_and_turns_the_rest_away() {
        let gate = HashingGate::new(1, 1);
        let running = gate.turn().await.expect("a free gate admits");
        let queued = {
            let gate = gate.clone();
            tokio::spawn(async move { gate.turn().await.is_some() })
        };
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(
            gate.turn().await.is_none(),
            "one running and one waiting: full"
        );
        drop(running);
        assert!(queued.await.unwrap(), "the waiting request gets its turn");
        assert!(gate.turn().await.is_some(), "and the gate empties again");
    }
}
