//! Password verification, a bounded number at a time. Each Argon2 verification works in
//! about 19 MiB: the gate lets one run per core, makes a few more wait, turns the rest
//! away, and keeps each running slot's memory for the next verification, so a burst of
//! logins costs a fixed amount of memory.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinError;

use crate::auth::{verify_password_in, HashingMemory};

#[derive(Clone)]
pub struct HashingGate {
    running: Arc<Semaphore>,
    admitted: Arc<AtomicUsize>,
    max_admitted: usize,
    /// At most one per running slot: a turn takes one (or starts one) and gives it back.
    memories: Arc<Mutex<Vec<HashingMemory>>>,
}

/// A turn at verifying a password; the next waiting request goes when it is dropped.
pub struct HashingTurn {
    memory: HashingMemory,
    memories: Arc<Mutex<Vec<HashingMemory>>>,
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
            memories: Arc::default(),
        }
    }

    /// One verification at a time per core, and a short queue of twice that.
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
        let memory = lock(&self.memories).pop().unwrap_or_default();
        Some(HashingTurn {
            memory,
            memories: self.memories.clone(),
            _permit: permit,
            _admission: admission,
        })
    }

    /// How many working memories the gate keeps between turns.
    #[cfg(test)]
    fn kept_memories(&self) -> usize {
        lock(&self.memories).len()
    }
}

impl HashingTurn {
    /// Verifies `password` against `stored` on a blocking thread, then ends the turn.
    pub async fn verify(mut self, password: String, stored: String) -> Result<bool, JoinError> {
        tokio::task::spawn_blocking(move || {
            verify_password_in(&mut self.memory, &password, &stored)
        })
        .await
    }
}

impl Drop for HashingTurn {
    fn drop(&mut self) {
        let memory = std::mem::take(&mut self.memory);
        lock(&self.memories).push(memory);
    }
}

/// The pool holds plain buffers: one left behind by a panicking holder is still usable.
fn lock(memories: &Mutex<Vec<HashingMemory>>) -> std::sync::MutexGuard<'_, Vec<HashingMemory>> {
    memories.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::auth::hash_password;

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

    #[tokio::test]
    async fn verifications_reuse_one_memory_per_running_slot() {
        let gate = HashingGate::new(2, 4);
        let stored = hash_password("demo-password").0;
        let verifications: Vec<_> = (0..12)
            .map(|n| {
                let (gate, stored) = (gate.clone(), stored.clone());
                tokio::spawn(async move {
                    let password = if n % 3 == 0 { "demo-password" } else { "wrong" };
                    let turn = gate.turn().await?;
                    Some((
                        n % 3 == 0,
                        turn.verify(password.into(), stored).await.unwrap(),
                    ))
                })
            })
            .collect();
        let mut judged = 0;
        for verification in verifications {
            if let Some((right, verdict)) = verification.await.unwrap() {
                assert_eq!(verdict, right);
                judged += 1;
            }
        }
        assert!(judged >= 6, "two running and four waiting are judged");
        let kept = gate.kept_memories();
        assert!((1..=2).contains(&kept), "{kept} memories kept for 2 slots");
    }
}
