//! Work that runs off the window's thread: the sync worker, and short threads for an import or
//! a save (whose file dialogs block). The frame polls both; neither ever blocks it.

use std::path::PathBuf;
use std::sync::mpsc;

use crate::export::ExportError;
use crate::import::{ImportError, ImportReport};
use crate::sync::worker::{SyncCommand, SyncEvent, SyncHandle};

/// What a background thread finished.
#[derive(Debug)]
pub enum Finished {
    /// An import ran (the user may have cancelled its file dialog: then nothing is sent).
    Imported(Result<ImportReport, ImportError>),
    /// A file or link did not open: the sentence saying why.
    NotOpened(String),
    /// An attachment was written to this path, or could not be.
    Saved(PathBuf, std::io::Result<()>),
    /// A folder was exported to this path (this many messages), or could not be.
    Exported(PathBuf, Result<usize, ExportError>),
    /// Files chosen to attach to a compose window (read when they arrive).
    ToAttach(crate::ui::dialogs::compose::ComposeKey, Vec<PathBuf>),
}

/// The sync worker (when there is one) and the threads' way back.
#[derive(Debug)]
pub struct Background {
    worker: Option<SyncHandle>,
    finished: mpsc::Sender<Finished>,
    arrived: mpsc::Receiver<Finished>,
    /// The window to redraw when a thread finishes (known from the first frame on).
    window: Option<egui::Context>,
}

impl Background {
    /// Background work with this worker; `None` when syncing is not wanted (some tests).
    #[must_use]
    pub fn new(worker: Option<SyncHandle>) -> Self {
        let (finished, arrived) = mpsc::channel();
        Self {
            worker,
            finished,
            arrived,
            window: None,
        }
    }

    /// The window to redraw when a background thread finishes, so its result shows at once.
    pub fn redraw_on_finish(&mut self, ctx: &egui::Context) {
        if self.window.is_none() {
            self.window = Some(ctx.clone());
        }
    }

    /// Asks the sync worker for something (nothing happens without one).
    pub fn sync(&self, command: SyncCommand) {
        if let Some(worker) = &self.worker {
            worker.send(command);
        }
    }

    /// The worker's next event, if one has arrived; never blocks.
    #[must_use]
    pub fn next_event(&self) -> Option<SyncEvent> {
        self.worker
            .as_ref()
            .and_then(|worker| worker.drain().next())
    }

    /// Runs `job` on a thread named `name`; what it returns arrives in [`Self::finished`].
    ///
    /// # Errors
    /// When no thread can be started.
    pub fn spawn(
        &self,
        name: &str,
        job: impl FnOnce() -> Option<Finished> + Send + 'static,
    ) -> std::io::Result<()> {
        let finished = self.finished.clone();
        let window = self.window.clone();
        std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || {
                if let Some(done) = job() {
                    // The window is gone when nobody receives: nothing is left to tell.
                    let _ = finished.send(done);
                    if let Some(window) = window {
                        window.request_repaint();
                    }
                }
            })
            .map(drop)
    }

    /// What the threads finished since the last call; never blocks.
    pub fn finished(&self) -> impl Iterator<Item = Finished> + '_ {
        self.arrived.try_iter()
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;

    /// Polls as the frame does until something arrives (or five seconds pass).
    fn wait_for(background: &Background) -> Option<Finished> {
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(5) {
            if let Some(done) = background.finished().next() {
                return Some(done);
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        None
    }

    #[test]
    fn a_thread_result_arrives_by_polling_and_a_cancelled_job_sends_nothing() {
        let background = Background::new(None);
        background.sync(SyncCommand::SyncAll);
        assert!(background.next_event().is_none(), "no worker, no events");

        background.spawn("satchel-test", || None).expect("thread");
        background
            .spawn("satchel-test", || {
                Some(Finished::Saved(PathBuf::from("/tmp/a.pdf"), Ok(())))
            })
            .expect("thread");
        match wait_for(&background) {
            Some(Finished::Saved(path, Ok(()))) => assert_eq!(path, PathBuf::from("/tmp/a.pdf")),
            other => panic!("expected the save, got {other:?}"),
        }
        assert!(
            background.finished().next().is_none(),
            "the cancelled job sent nothing"
        );
    }
}
