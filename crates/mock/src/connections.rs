//! The open connections, bounded. A client that opens connections and sends nothing must not
//! starve the others: each connection has to send its first byte within the header timeout
//! (see `server`), and at most `max` are open at once. When a new connection arrives
//! at the bound, the oldest connection with no request in progress is closed to make room (a
//! silent or idle keep-alive connection loses nothing by it); only when every connection is
//! busy is the newcomer refused.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use tokio::sync::Notify;

/// The default bound on open connections: far more than tests and load runs use, far fewer
/// than a process's usual file-descriptor limit.
pub const DEFAULT_MAX_CONNECTIONS: usize = 512;

/// The open connections of one server.
#[derive(Debug)]
pub(crate) struct Connections {
    max: usize,
    open: Mutex<Open>,
}

#[derive(Debug, Default)]
struct Open {
    next_id: u64,
    /// By id, so the first entry is the oldest.
    slots: BTreeMap<u64, Slot>,
}

#[derive(Debug, Clone)]
struct Slot {
    kill: Arc<Notify>,
    in_flight: Arc<AtomicUsize>,
}

/// One admitted connection: how to close it, how busy it is, and its place, given back on drop.
#[derive(Debug)]
pub(crate) struct Admitted {
    pub kill: Arc<Notify>,
    pub in_flight: Arc<AtomicUsize>,
    id: u64,
    connections: Arc<Connections>,
}

impl Drop for Admitted {
    fn drop(&mut self) {
        self.connections.lock().slots.remove(&self.id);
    }
}

impl Connections {
    pub fn new(max: usize) -> Arc<Self> {
        Arc::new(Self {
            max: max.max(1),
            open: Mutex::new(Open::default()),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Open> {
        self.open.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A place for a new connection, closing the oldest idle one when the bound is reached;
    /// `None` when every open connection has a request in progress.
    pub fn admit(self: &Arc<Self>) -> Option<Admitted> {
        let mut open = self.lock();
        if open.slots.len() >= self.max && !Self::evict(&mut open) {
            return None;
        }
        let id = open.next_id;
        open.next_id += 1;
        let slot = Slot {
            kill: Arc::new(Notify::new()),
            in_flight: Arc::new(AtomicUsize::new(0)),
        };
        open.slots.insert(id, slot.clone());
        Some(Admitted {
            kill: slot.kill,
            in_flight: slot.in_flight,
            id,
            connections: self.clone(),
        })
    }

    /// Closes the oldest connection with no request in progress (when the process runs out of
    /// file descriptors before the bound is reached); false when there is none.
    pub fn evict_oldest_idle(&self) -> bool {
        Self::evict(&mut self.lock())
    }

    fn evict(open: &mut Open) -> bool {
        let idle = open
            .slots
            .iter()
            .find(|(_, slot)| slot.in_flight.load(Ordering::Acquire) == 0)
            .map(|(id, _)| *id);
        let Some(evicted) = idle.and_then(|id| open.slots.remove(&id)) else {
            return false;
        };
        // A stored permit: the connection's task sees it even if it is not waiting yet.
        evicted.kill.notify_one();
        true
    }

    /// How many connections are open.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.lock().slots.len()
    }
}

/// Counts a request in progress on its connection for as long as it lives.
pub(crate) struct InFlight(Arc<AtomicUsize>);

impl InFlight {
    pub fn start(counter: &Arc<AtomicUsize>) -> Self {
        counter.fetch_add(1, Ordering::AcqRel);
        Self(counter.clone())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_the_bound_the_oldest_idle_connection_makes_room() {
        let connections = Connections::new(2);
        let first = connections.admit().unwrap();
        let second = connections.admit().unwrap();
        let busy = InFlight::start(&first.in_flight);
        let third = connections.admit().expect("the idle second makes room");
        assert_eq!(connections.len(), 2);
        // The second was told to close; the busy first was not.
        let told = second.kill.notified();
        tokio_test_block_on(told);
        drop(busy);
        let fourth = connections.admit().expect("the first is idle again");
        assert_eq!(connections.len(), 2);
        drop((third, fourth, second, first));
        assert_eq!(connections.len(), 0);
    }

    #[test]
    fn when_every_connection_is_busy_the_newcomer_is_refused() {
        let connections = Connections::new(1);
        let only = connections.admit().unwrap();
        let _busy = InFlight::start(&only.in_flight);
        assert!(connections.admit().is_none());
    }

    /// Resolves a future that is already ready (a stored `Notify` permit).
    fn tokio_test_block_on<F: std::future::Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap()
            .block_on(async {
                tokio::time::timeout(std::time::Duration::from_secs(5), future)
                    .await
                    .expect("the permit was stored")
            })
    }
}
