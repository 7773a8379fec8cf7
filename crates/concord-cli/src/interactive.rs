//! Long analyses at a terminal: a progress bar while the merge (issues) or the branch and bound
//! (searches) runs, and a clean stop on Ctrl-C.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

/// How long a phase that does not poll the stop flag may run on after Ctrl-C.
const GRACE: Duration = Duration::from_secs(1);

/// Set by a command that polls the stop flag in every phase and then writes what it finished (a
/// tournament's partial results): the handler then lets it end by itself instead of ending the
/// process after the grace period.
static STOPS_ITSELF: AtomicBool = AtomicBool::new(false);

/// Set by the Ctrl-C handler; every long phase polls it (the merge, branch and bound, the
/// counting and enumeration of packages, sensitivity draws, negotiations).
fn stop_flag() -> &'static Arc<AtomicBool> {
    static STOP: OnceLock<Arc<AtomicBool>> = OnceLock::new();
    STOP.get_or_init(|| {
        let flag = Arc::new(AtomicBool::new(false));
        let handler_flag = Arc::clone(&flag);
        // The flag lets a phase that polls it stop cleanly (the command then exits 130); a
        // phase that does not poll it is ended after a grace period, so that Ctrl-C always
        // stops the process within about a second, with status 130. A second Ctrl-C ends the
        // process at once. If a handler cannot be installed, Ctrl-C ends the process as usual.
        let _ = ctrlc::set_handler(move || {
            if handler_flag.swap(true, Ordering::SeqCst) {
                eprintln!("interrupted");
                std::process::exit(130);
            }
            std::thread::sleep(GRACE);
            if !STOPS_ITSELF.load(Ordering::SeqCst) {
                eprintln!("interrupted");
                std::process::exit(130);
            }
        });
        flag
    })
}

/// The stop flag, for a library call that polls it.
pub fn stop_handle() -> Arc<AtomicBool> {
    Arc::clone(stop_flag())
}

/// Tells the Ctrl-C handler that the command stops by itself after Ctrl-C and writes what it
/// finished, so the handler does not end the process after its grace period (a second Ctrl-C
/// still does).
pub fn stops_itself() {
    STOPS_ITSELF.store(true, Ordering::SeqCst);
}

/// Installs the Ctrl-C handler for the whole process (every command).
pub fn install_interrupt_handler() {
    stop_flag();
}

/// Whether Ctrl-C was pressed.
pub fn interrupted() -> bool {
    stop_flag().load(Ordering::SeqCst)
}

/// The progress bar of an analysis: the task, the bar, the units done of all, the time taken.
const BAR: &str = "{msg} [{bar:40}] {pos}/{len} ({elapsed})";

/// Runs an application-layer call with the controls of [`control`] and the bar of an analysis;
/// the bar is cleared when the call returns.
pub fn run<T>(work: impl FnOnce(&concord_api::Control) -> T) -> T {
    let (control, _bar) = control(BAR);
    work(&control)
}

/// The controls of an application-layer call at a terminal: the Ctrl-C stop flag as its
/// cancellation token, and a progress bar on standard error, when it is a terminal, labelled by
/// the task in progress and drawn by `template` (indicatif's). The bar is cleared when the
/// returned guard is dropped.
pub fn control(template: &'static str) -> (concord_api::Control, BarGuard) {
    let bar: Arc<std::sync::Mutex<Option<ProgressBar>>> = Arc::default();
    let guard = BarGuard(Arc::clone(&bar));
    let progress: Option<concord_api::ProgressFn> = std::io::stderr().is_terminal().then(|| {
        let f: concord_api::ProgressFn = Arc::new(move |p: concord_api::Progress<'_>| {
            let Ok(mut slot) = bar.lock() else { return };
            let bar = slot.get_or_insert_with(|| {
                let bar = ProgressBar::new(0);
                bar.set_style(
                    ProgressStyle::with_template(template)
                        .expect("the template is valid")
                        .progress_chars("=> "),
                );
                bar
            });
            if bar.message() != p.task {
                bar.set_message(p.task.to_string());
            }
            bar.set_length(p.total as u64);
            bar.set_position(p.done as u64);
        });
        f
    });
    // A warning is printed above the progress bar, when there is one.
    let shown = Arc::clone(&guard.0);
    let notice: concord_api::NoticeFn = Arc::new(move |text: &str| {
        let bar = shown.lock().ok().and_then(|b| b.clone());
        match bar {
            Some(bar) => bar.suspend(|| crate::common::note("note", text)),
            None => crate::common::note("note", text),
        }
    });
    let control = concord_api::Control {
        cancel: concord_api::CancelToken::from_flag(stop_handle()),
        progress,
        notice: Some(notice),
    };
    (control, guard)
}

/// Clears the progress bar of [`control`] when dropped.
pub struct BarGuard(Arc<std::sync::Mutex<Option<ProgressBar>>>);

impl Drop for BarGuard {
    fn drop(&mut self) {
        if let Some(bar) = self.0.lock().ok().and_then(|mut b| b.take()) {
            bar.finish_and_clear();
        }
    }
}
