//! A thread fed through a bounded queue: closing the queue ends it, and it is joined when
//! closed or dropped. The committer and the indexer are both one.

use std::sync::mpsc::{self, Receiver, SyncSender};
use std::thread::JoinHandle;

/// A running thread and the queue that feeds it.
pub(super) struct FedThread<T> {
    queue: Option<SyncSender<T>>,
    thread: Option<JoinHandle<()>>,
}

impl<T: Send + 'static> FedThread<T> {
    /// Starts thread `name` running `body` on a queue of `depth` items.
    ///
    /// # Errors
    /// When the thread cannot start.
    pub(super) fn spawn(
        name: &str,
        depth: usize,
        body: impl FnOnce(Receiver<T>) + Send + 'static,
    ) -> std::io::Result<Self> {
        let (queue, incoming) = mpsc::sync_channel(depth);
        let thread = std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || body(incoming))?;
        Ok(Self {
            queue: Some(queue),
            thread: Some(thread),
        })
    }

    /// Hands `item` over, waiting while the queue is full; `false` once the thread has stopped
    /// taking items (or the queue is closed).
    pub(super) fn send(&self, item: T) -> bool {
        self.queue
            .as_ref()
            .is_some_and(|queue| queue.send(item).is_ok())
    }
}

impl<T> FedThread<T> {
    /// Closes the queue and waits for the thread to finish what it was handed.
    pub(super) fn close(&mut self) {
        self.queue = None;
        if let Some(thread) = self.thread.take() {
            // A thread that panicked has reported nothing more; its caller counts only what
            // was reported.
            let _ = thread.join();
        }
    }
}

impl<T> Drop for FedThread<T> {
    fn drop(&mut self) {
        self.close();
    }
}
