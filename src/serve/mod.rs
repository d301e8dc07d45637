//! Watch mode and the development server (`gazette watch`, `gazette serve`).
//!
//! Three parts with one job each, sharing only the types below:
//! - `engine`: keeps the last loaded site in memory and rebuilds
//!   incrementally on changes, producing a [`Snapshot`] of the output;
//! - `watch`: turns file-system events (notify) into debounced batches of
//!   changed paths, ignoring editors' temporary files;
//! - `server`: serves the newest snapshot over HTTP on 127.0.0.1, injects
//!   the live-reload script and the error overlay, and never serves anything
//!   outside the snapshot.
//!
//! The engine publishes each new snapshot through a [`Hub`]; the server
//! reads the current one and waits on the hub for the next (live reload).

pub mod bytes;
pub mod engine;
pub mod server;
pub mod watch;

use crate::diagnostics::Diagnostic;
pub use bytes::Bytes;
use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

/// One consistent state of the site as served: the output of the last good
/// build, plus the errors of the latest attempt (empty when it succeeded).
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Increases with every published snapshot.
    pub generation: u64,
    /// Output path (as written by `build`, e.g. `grants/x/index.html`) to bytes.
    pub files: HashMap<String, Bytes>,
    /// Errors of the latest rebuild; the files are those of the last good one.
    pub errors: Vec<Diagnostic>,
}

/// Where the engine publishes snapshots and the server picks them up.
#[derive(Default)]
pub struct Hub {
    current: Mutex<Arc<Snapshot>>,
    changed: Condvar,
}

impl Hub {
    pub fn new(first: Snapshot) -> Self {
        Hub {
            current: Mutex::new(Arc::new(first)),
            changed: Condvar::new(),
        }
    }

    /// The snapshot being served now.
    pub fn current(&self) -> Arc<Snapshot> {
        match self.current.lock() {
            Ok(g) => Arc::clone(&g),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Publish a new snapshot; its generation is set to the next number.
    pub fn publish(&self, mut next: Snapshot) -> u64 {
        let mut g = match self.current.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        next.generation = g.generation + 1;
        let generation = next.generation;
        *g = Arc::new(next);
        self.changed.notify_all();
        generation
    }

    /// Replace the snapshot being served by `next`, which holds the same
    /// files and errors kept another way: no reader is told, and its
    /// generation stays.
    pub fn replace(&self, mut next: Snapshot) {
        let mut g = match self.current.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        next.generation = g.generation;
        *g = Arc::new(next);
    }

    /// Wait until a snapshot newer than `generation` is published, or the
    /// timeout passes; returns the current snapshot either way.
    pub fn wait_newer(&self, generation: u64, timeout: Duration) -> Arc<Snapshot> {
        let g = match self.current.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        let g = match self
            .changed
            .wait_timeout_while(g, timeout, |s| s.generation <= generation)
        {
            Ok((g, _)) => g,
            Err(poisoned) => poisoned.into_inner().0,
        };
        Arc::clone(&g)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publishing_wakes_waiters_with_the_new_generation() {
        let hub = Arc::new(Hub::new(Snapshot::default()));
        let h = Arc::clone(&hub);
        let waiter = std::thread::spawn(move || h.wait_newer(0, Duration::from_secs(5)).generation);
        std::thread::sleep(Duration::from_millis(20));
        assert_eq!(hub.publish(Snapshot::default()), 1);
        assert_eq!(waiter.join().unwrap(), 1);
        assert_eq!(hub.wait_newer(1, Duration::from_millis(10)).generation, 1);
    }

    #[test]
    fn a_replaced_snapshot_wakes_no_one_and_keeps_its_generation() {
        let hub = Arc::new(Hub::new(Snapshot::default()));
        hub.publish(Snapshot::default());
        let h = Arc::clone(&hub);
        let waiter = std::thread::spawn(move || h.wait_newer(1, Duration::from_millis(300)));
        std::thread::sleep(Duration::from_millis(20));
        let mut files = HashMap::new();
        files.insert("index.html".to_string(), Bytes::from(b"home".to_vec()));
        hub.replace(Snapshot {
            generation: 0,
            files,
            errors: Vec::new(),
        });
        // The waiter timed out: it saw no newer generation.
        let seen = waiter.join().unwrap();
        assert_eq!(seen.generation, 1);
        assert!(seen.files.contains_key("index.html"), "the replacement");
        assert_eq!(hub.current().generation, 1);
    }
}
