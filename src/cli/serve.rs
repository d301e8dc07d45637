//! `gazette serve` and `gazette watch`: build once, then rebuild on every
//! change with the incremental engine, serving the result from memory or
//! writing what changed into the output folder. Each rebuild prints one
//! line: what changed, how many pages were rendered and how long it took
//! from the file event to the rebuild being done.

use gazette::diagnostics::print::{emit, Format};
use gazette::serve::engine::{Engine, Rebuild};
use gazette::serve::server::{self, ServerConfig};
use gazette::serve::watch::Watcher;
use gazette::serve::{Bytes, Hub};
use std::io::{self, Write};
use std::net::IpAddr;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub fn serve(root: &Path, bind: IpAddr, port: u16, open: bool, format: Format) -> i32 {
    super::memory::purge_soon();
    let Some((root, stop, watcher)) = start(root) else {
        return 2;
    };
    let t = Instant::now();
    let mut engine = Engine::load(&root);
    let built = t.elapsed();
    report_errors(&engine, format);
    let hub = Arc::new(Hub::new(engine.snapshot()));
    super::memory::release();
    let cfg = ServerConfig {
        bind,
        port,
        ..ServerConfig::default()
    };
    let server = match server::start(&cfg, Arc::clone(&hub)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("gazette: cannot listen on {bind}:{port}: {e}");
            return 2;
        }
    };
    let url = server.url();
    eprintln!(
        "serving {} at {url} ({} files built in {}); Ctrl-C stops",
        root.display(),
        engine.files().len(),
        ms(built)
    );
    if open {
        open_browser(&url);
    }
    let code = watch_loop(
        watcher,
        &root,
        &mut engine,
        &stop,
        format,
        &mut |e: &Engine, _| {
            hub.publish(e.snapshot());
            Ok(())
        },
        &mut |e: &Engine| hub.replace(e.snapshot()),
    );
    server.shutdown();
    eprintln!("stopped");
    code
}

pub fn watch(root: &Path, out: &Path, force: bool, format: Format) -> i32 {
    super::memory::purge_soon();
    if let Err(msg) = gazette::output::check_output_dir(root, out)
        .and_then(|()| gazette::output::check_replaceable(out, force))
    {
        eprintln!("gazette: {msg}");
        return 2;
    }
    let Some((root, stop, watcher)) = start(root) else {
        return 2;
    };
    let t = Instant::now();
    let mut engine = Engine::load(&root);
    report_errors(&engine, format);
    super::memory::release();
    let mut synced = false;
    let mut publish = |e: &Engine, r: Option<&Rebuild>| -> io::Result<()> {
        if !synced {
            // The first complete build replaces the folder as a whole.
            if e.has_errors() || e.has_deferred() || e.files().is_empty() {
                return Ok(());
            }
            let mut files: Vec<gazette::render::OutFile> = e
                .files()
                .iter()
                .map(|(path, b)| gazette::render::OutFile {
                    path: path.clone(),
                    bytes: b.to_vec(),
                })
                .collect();
            files.sort_by(|a, b| a.path.cmp(&b.path));
            gazette::output::write_atomic(out, &files)?;
            synced = true;
            return Ok(());
        }
        let Some(r) = r else { return Ok(()) };
        for p in &r.delta.written {
            if let Some(bytes) = e.files().get(p) {
                write_one(out, p, bytes)?;
            }
        }
        for p in &r.delta.removed {
            remove_one(out, p)?;
        }
        Ok(())
    };
    if let Err(e) = publish(&engine, None) {
        eprintln!("gazette: cannot write {}: {e}", out.display());
        return 2;
    }
    eprintln!(
        "watching {}: {} files in {} ({}); Ctrl-C stops",
        root.display(),
        engine.files().len(),
        out.display(),
        ms(t.elapsed())
    );
    let code = watch_loop(
        watcher,
        &root,
        &mut engine,
        &stop,
        format,
        &mut |e, r| publish(e, Some(r)),
        // The files on disk are the same, only kept smaller in memory.
        &mut |_| {},
    );
    eprintln!("stopped");
    code
}

/// The absolute site folder, a flag Ctrl-C or SIGTERM sets, and the watcher: started
/// before the first build, so that no change made during it is missed.
fn start(root: &Path) -> Option<(PathBuf, Arc<AtomicBool>, Watcher)> {
    let root = match root.canonicalize() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("gazette: cannot read {}: {e}", root.display());
            return None;
        }
    };
    let watcher = match Watcher::new(&root) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("gazette: cannot watch {}: {e}", root.display());
            return None;
        }
    };
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    if let Err(e) = ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst)) {
        eprintln!("gazette: Ctrl-C will end without cleaning up: {e}");
    }
    Some((root, stop, watcher))
}

type Publish<'a> = dyn FnMut(&Engine, &Rebuild) -> io::Result<()> + 'a;

/// Rebuild on every batch of changes until Ctrl-C; the large pages and
/// whole-site files follow as soon as no further change is waiting, and
/// the files kept whole are packed once the output is up to date (handed
/// to `replace`).
fn watch_loop(
    mut watcher: Watcher,
    root: &Path,
    engine: &mut Engine,
    stop: &AtomicBool,
    format: Format,
    publish: &mut Publish,
    replace: &mut dyn FnMut(&Engine),
) -> i32 {
    let mut since: Option<Instant> = None;
    while !stop.load(Ordering::SeqCst) {
        if !watcher.has_pending() && engine.compact() {
            replace(engine);
            super::memory::release();
        }
        if engine.has_deferred() && !watcher.has_pending() {
            let t = Instant::now();
            let r = guarded(root, engine, Engine::finish);
            let after = since.take().map(|s| s.elapsed()).unwrap_or_default();
            done(engine, &r, publish);
            eprintln!(
                "  + {}: {} in {} ({} after the change)",
                r.what,
                counts(&r),
                ms(t.elapsed()),
                ms(after)
            );
            continue;
        }
        let Some(batch) = watcher.next(Duration::from_millis(250)) else {
            continue;
        };
        let r = guarded(root, engine, |e| e.apply(&batch.paths));
        if r.what == "nothing to rebuild" {
            continue;
        }
        done(engine, &r, publish);
        let took = batch.first.elapsed();
        if r.errors > 0 {
            eprintln!(
                "{}: {} error{}; the last good build stays in place ({})",
                r.what,
                r.errors,
                if r.errors == 1 { "" } else { "s" },
                ms(took)
            );
            report_errors(engine, format);
        } else {
            eprintln!("{}: {} in {}", r.what, counts(&r), ms(took));
        }
        since = Some(batch.first);
    }
    0
}

fn done(engine: &Engine, r: &Rebuild, publish: &mut Publish) {
    if let Err(e) = publish(engine, r) {
        eprintln!("gazette: cannot write the output: {e}");
    }
}

/// Run one engine step; should it panic, reload the site from scratch
/// rather than stop serving.
fn guarded(root: &Path, engine: &mut Engine, f: impl FnOnce(&mut Engine) -> Rebuild) -> Rebuild {
    match catch_unwind(AssertUnwindSafe(|| f(engine))) {
        Ok(r) => r,
        Err(_) => {
            eprintln!("gazette: internal error while rebuilding; loading the site again");
            *engine = Engine::load(root);
            Rebuild {
                what: "the whole site".into(),
                errors: engine.errors().len(),
                ..Rebuild::default()
            }
        }
    }
}

fn report_errors(engine: &Engine, format: Format) {
    let diags = engine.diagnostics();
    if !diags.is_empty() {
        emit(&diags, format, engine.sources());
    }
}

fn counts(r: &Rebuild) -> String {
    let files = r.delta.written.len() + r.delta.removed.len();
    format!(
        "{} page{} rendered, {} file{} updated",
        r.pages,
        if r.pages == 1 { "" } else { "s" },
        files,
        if files == 1 { "" } else { "s" }
    )
}

/// Milliseconds with one decimal, the unit every timing line uses.
fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn write_one(out: &Path, path: &str, bytes: &Bytes) -> io::Result<()> {
    if !gazette::urls::safe_relative(path) {
        return Ok(());
    }
    let to = out.join(path);
    if let Some(dir) = to.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut w = io::BufWriter::new(std::fs::File::create(to)?);
    bytes.write_to(&mut w)?;
    w.flush()
}

/// Remove a file and the folders it leaves empty.
fn remove_one(out: &Path, path: &str) -> io::Result<()> {
    if !gazette::urls::safe_relative(path) {
        return Ok(());
    }
    let to = out.join(path);
    match std::fs::remove_file(&to) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    let mut dir = to.parent();
    while let Some(d) = dir {
        if d == out || std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
    Ok(())
}

/// Open `url` in `$BROWSER` when it is set (the convention xdg-open and
/// Python's webbrowser follow), else in the system's default browser,
/// without waiting for it.
fn open_browser(url: &str) {
    let chosen = std::env::var("BROWSER")
        .ok()
        .filter(|b| !b.trim().is_empty());
    let (program, args): (&str, Vec<&str>) = if let Some(b) = chosen.as_deref() {
        (b, vec![url])
    } else if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else if cfg!(windows) {
        ("cmd", vec!["/C", "start", "", url])
    } else {
        ("xdg-open", vec![url])
    };
    let spawned = std::process::Command::new(program)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if let Err(e) = spawned {
        eprintln!("gazette: cannot open a browser ({program}: {e}); open {url}");
    }
}
