//! The progress bar of a long build: on a terminal, once a build has run
//! for a second, the stage and, while rendering, pages done of the total
//! and the rate (indicatif, on stderr). Nothing is drawn when stderr is not
//! a terminal or with `--quiet`.

use gazette::site::Progress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// How long a build runs before its bar appears.
const DELAY: Duration = Duration::from_secs(1);

pub struct Bar {
    bar: ProgressBar,
    start: Instant,
    /// False when nothing may be drawn (not a terminal, `--quiet`).
    wanted: bool,
    shown: AtomicBool,
}

impl Bar {
    /// A bar that draws on stderr if it is a terminal and `quiet` is false.
    pub fn new(quiet: bool) -> Bar {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        bar.set_style(spinner());
        Bar {
            bar,
            start: Instant::now(),
            wanted: !quiet && std::io::stderr().is_terminal(),
            shown: AtomicBool::new(false),
        }
    }

    /// Show the bar once the build has run for [`DELAY`].
    fn maybe_show(&self) {
        if self.wanted && self.start.elapsed() >= DELAY && !self.shown.swap(true, Ordering::Relaxed)
        {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
            self.bar.enable_steady_tick(Duration::from_millis(200));
        }
    }

    /// Take the bar off the terminal before the summary is printed.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

fn spinner() -> ProgressStyle {
    ProgressStyle::with_template("{spinner} {prefix:>8} {elapsed}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner())
}

fn pages() -> ProgressStyle {
    ProgressStyle::with_template(
        "{spinner} {prefix:>8} [{bar:30}] {pos}/{len} pages, {per_sec}, {elapsed}",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar())
    .progress_chars("=> ")
}

impl Progress for Bar {
    fn stage(&self, name: &'static str) {
        self.bar.set_prefix(name);
        self.maybe_show();
    }

    fn pages(&self, total: usize) {
        self.bar.set_style(pages());
        self.bar.set_length(total as u64);
        self.bar.set_position(0);
        self.maybe_show();
    }

    fn page_done(&self) {
        self.bar.inc(1);
        self.maybe_show();
    }
}
