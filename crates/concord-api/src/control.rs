//! What a caller controls while a use case runs: a cancellation token and a progress callback.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use concord_core::analysis::Hooks;

/// Stops a running use case from another thread (a Ctrl-C handler, a server's request
/// timeout, a notebook's interrupt). Cheap to clone; every clone sets the same flag.
///
/// Every long phase polls it: the merge between issues, branch and bound every few thousand
/// nodes, counting and enumeration every few thousand packages, sensitivity draws,
/// negotiations. The use case then returns an [`Error`](crate::Error) of kind
/// [`Cancelled`](crate::ErrorKind::Cancelled).
#[derive(Debug, Clone, Default)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    /// A token not yet cancelled.
    pub fn new() -> Self {
        CancelToken::default()
    }

    /// A token over an existing flag (a process-wide Ctrl-C flag).
    pub fn from_flag(flag: Arc<AtomicBool>) -> Self {
        CancelToken(flag)
    }

    /// Asks every use case holding this token to stop.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    /// Whether it was cancelled.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }

    /// The flag the engines poll.
    pub fn flag(&self) -> &AtomicBool {
        &self.0
    }

    /// The flag itself, for an engine that keeps it (the simulator's configuration).
    pub(crate) fn shared(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.0)
    }
}

/// One report of progress: `done` of `total` units of the named task (issues merged, searches
/// finished, draws made, negotiations run).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress<'a> {
    /// The task, such as `analysing` or `sensitivity draws`.
    pub task: &'a str,
    /// Units done.
    pub done: usize,
    /// Units in all.
    pub total: usize,
}

/// A progress callback; it may be called from several threads.
pub type ProgressFn = Arc<dyn Fn(Progress<'_>) + Send + Sync>;

/// A warning to show at once, before the work it is about (for example, that the merge's work,
/// bounded before it starts, may pass its budget).
pub type NoticeFn = Arc<dyn Fn(&str) + Send + Sync>;

/// The controls of one call: cancellation and progress. `Control::default()` has neither.
#[derive(Clone, Default)]
pub struct Control {
    /// Polled by every long phase.
    pub cancel: CancelToken,
    /// Called as work advances.
    pub progress: Option<ProgressFn>,
    /// Called with a warning before long work starts (the same warning is not in the report:
    /// show it when it comes).
    pub notice: Option<NoticeFn>,
}

impl std::fmt::Debug for Control {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Control")
            .field("cancel", &self.cancel)
            .field("progress", &self.progress.is_some())
            .field("notice", &self.notice.is_some())
            .finish()
    }
}

impl Control {
    /// Controls with this token and no progress.
    pub fn with_cancel(cancel: CancelToken) -> Self {
        Control {
            cancel,
            progress: None,
            notice: None,
        }
    }

    /// Whether the token was set.
    pub fn is_cancelled(&self) -> bool {
        self.cancel.is_cancelled()
    }

    /// Runs `work` with the engines' hooks, its progress reported under `task`.
    pub(crate) fn run<T>(&self, task: &str, work: impl FnOnce(&Hooks) -> T) -> T {
        let progress = |done: usize, total: usize| {
            if let Some(p) = &self.progress {
                p(Progress { task, done, total });
            }
        };
        let notice = |text: &str| {
            if let Some(n) = &self.notice {
                n(text);
            }
        };
        work(&Hooks {
            stop: Some(self.cancel.flag()),
            progress: self.progress.as_ref().map(|_| &progress as _),
            notice: self.notice.as_ref().map(|_| &notice as _),
        })
    }

    /// Runs `work` with the evidence engine's hooks: the stop flag, and progress under the task
    /// each phase names.
    pub(crate) fn watch<T>(&self, work: impl FnOnce(concord_evidence::Watch<'_>) -> T) -> T {
        let progress = |task: &str, done: usize, total: usize| {
            if let Some(p) = &self.progress {
                p(Progress { task, done, total });
            }
        };
        work(concord_evidence::Watch {
            stop: Some(self.cancel.flag()),
            progress: self.progress.as_ref().map(|_| &progress as _),
        })
    }

    /// An error of kind cancelled when the token is set: a use case whose last phase finished
    /// (a small one, which does not poll) returns no answer after a cancel.
    pub(crate) fn check(&self) -> crate::Result<()> {
        if self.is_cancelled() {
            return Err(crate::Error::new(
                crate::ErrorKind::Cancelled,
                "cancelled before the answer was complete",
            ));
        }
        Ok(())
    }
}
