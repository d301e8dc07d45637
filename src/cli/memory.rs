//! Memory the allocator holds but the program no longer uses, handed back
//! to the system, for the long sessions of `gazette serve` and `gazette
//! watch`.
//!
//! mimalloc 3 keeps freed memory resident for a second before returning it
//! (its purge delay), so within one build or one edit the memory a stage
//! freed is still counted while the next stage allocates: at 10,000
//! records the first build of `serve` peaked near 390 MiB, and near 330 MiB
//! with a delay of 10 ms (mimalloc 2's default), for up to a tenth more
//! CPU. [`purge_soon`] sets that delay.
//!
//! mimalloc also keeps the pages freed on each thread for that thread's
//! next allocations, and rayon's threads sit idle between edits: at 10,000
//! records that was about 60 MB resident after the first edit. The watch
//! loop calls [`release`] once the output is up to date.

use libmimalloc_sys::mi_option_t;
use std::ffi::c_long;

/// `mi_option_purge_delay` in mimalloc 3's `mimalloc.h`, which the
/// bindings do not name.
const PURGE_DELAY: mi_option_t = 15;

/// The purge delay of a long session, in milliseconds.
const PURGE_DELAY_MS: c_long = 10;

/// Have mimalloc return freed memory after [`PURGE_DELAY_MS`]. Called
/// first thing in `serve` and `watch`, before they start any thread.
pub fn purge_soon() {
    // SAFETY: `mi_option_set` only stores the value; it is not thread safe,
    // and no other thread of ours runs yet.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, PURGE_DELAY_MS) };
}

/// Hand back the pages freed on each of rayon's threads and on this one.
pub fn release() {
    // SAFETY: `mi_collect` has no preconditions: any thread may call it at
    // any time, and it only returns the calling thread's free pages (and
    // those of threads that ended) to the system.
    rayon::broadcast(|_| unsafe { libmimalloc_sys::mi_collect(true) });
    unsafe { libmimalloc_sys::mi_collect(true) };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_purge_delay_is_the_option_set() {
        // SAFETY: reading and setting an option; the value only changes how
        // soon freed memory goes back to the system.
        let default = unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) };
        // mimalloc 3's default purge delay: the option is the one meant.
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            assert_eq!(default, 1000);
        }
        purge_soon();
        assert_eq!(
            unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) },
            PURGE_DELAY_MS
        );
    }
}
