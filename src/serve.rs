//! `topo serve FILE [--port N]`: a live preview on 127.0.0.1. `GET /` is
//! the HTML report of the project as it is on disk; `GET /events` is a
//! stream of Server-Sent Events, one after each save that changes the
//! report, on which the page fetches itself again and redraws in place.
//!
//! The HTTP server is `tiny_http`: synchronous, no async runtime, a handful
//! of dependencies — a preview serves one person's browser, and a thread
//! per open event stream (at most [`MAX_STREAMS`]) is simpler and smaller
//! than a runtime. File changes come from `notify`, watching the directory
//! of every file the project reads (its includes too), re-read after each
//! check so a new include is watched from then on.

use crate::analyze;
use crate::check::{check_files_in, Checked};
use crate::diagnostic::{Diagnostic, Severity};
use crate::input::Root;
use crate::render::html::{self, Page, View};
use crate::report::human::{self, Style};
use notify::{RecursiveMode, Watcher};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

/// Open event streams at once; a further one is refused (503) rather than
/// given a thread.
pub const MAX_STREAMS: usize = 32;

/// Saves that come in a burst (an editor writing a file in several steps)
/// are one change.
const SETTLE: Duration = Duration::from_millis(80);

/// The report being served and how often it has changed.
struct Report {
    page: String,
    generation: u64,
    /// The views of the last check without a language error, kept beside
    /// a syntax error until the file checks again.
    last_good: Option<Vec<View>>,
    streams: usize,
}

struct Shared {
    report: Mutex<Report>,
    changed: Condvar,
}

/// Serves until the process is stopped; returns only on a setup failure,
/// with the message to print.
pub fn serve(file: &Path, root: &Root, port: u16, ready: impl FnOnce(u16)) -> Result<(), String> {
    let server = tiny_http::Server::http(("127.0.0.1", port))
        .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    let port = server.server_addr().to_ip().map_or(port, |a| a.port());
    let shared = Arc::new(Shared {
        report: Mutex::new(Report {
            page: String::new(),
            generation: 0,
            last_good: None,
            streams: 0,
        }),
        changed: Condvar::new(),
    });
    let watched = rebuild(file, root, &shared);

    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if event.is_ok_and(|e| !e.kind.is_access()) {
            let _ = tx.send(());
        }
    })
    .map_err(|e| format!("cannot watch files: {e}"))?;
    let mut dirs = BTreeSet::new();
    watch(&mut watcher, &mut dirs, &watched);
    let (file, root, state) = (file.to_path_buf(), root.clone(), Arc::clone(&shared));
    std::thread::spawn(move || {
        while rx.recv().is_ok() {
            std::thread::sleep(SETTLE);
            while rx.try_recv().is_ok() {}
            let files = rebuild(&file, &root, &state);
            watch(&mut watcher, &mut dirs, &files);
        }
    });

    ready(port);
    for request in server.incoming_requests() {
        let shared = Arc::clone(&shared);
        std::thread::spawn(move || answer(request, &shared));
    }
    Ok(())
}

/// Watches the directory of each file not yet watched.
fn watch(watcher: &mut impl Watcher, dirs: &mut BTreeSet<PathBuf>, files: &[PathBuf]) {
    for f in files {
        let dir = f
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        let dir = if dir.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            dir
        };
        if !dirs.contains(&dir) && watcher.watch(&dir, RecursiveMode::NonRecursive).is_ok() {
            dirs.insert(dir);
        }
    }
}

/// Checks the project again and, when the page differs, makes it the one
/// served and wakes every event stream. Returns the files read.
fn rebuild(file: &Path, root: &Root, shared: &Shared) -> Vec<PathBuf> {
    let checked = check_files_in(&[file.to_path_buf()], root);
    let files = checked
        .sources
        .iter()
        .map(|(_, s)| s.path.clone())
        .chain(std::iter::once(file.to_path_buf()))
        .collect();
    let mut report = shared.report.lock().unwrap_or_else(|e| e.into_inner());
    let page = page(file, &checked, &mut report.last_good);
    if page != report.page {
        report.page = page;
        report.generation += 1;
        shared.changed.notify_all();
    }
    files
}

/// The language errors (the project could not be read as written).
fn language_errors(d: &[Diagnostic]) -> Vec<Diagnostic> {
    d.iter()
        .filter(|d| {
            d.severity == Severity::Error
                && analyze::rule(d.rule).is_some_and(|r| r.check.is_none())
        })
        .cloned()
        .collect()
}

fn page(file: &Path, checked: &Checked, last_good: &mut Option<Vec<View>>) -> String {
    let title = file.display().to_string();
    let unreadable: Vec<String> = checked
        .unreadable
        .iter()
        .map(|u| format!("cannot read `{}`: {}", u.path.display(), u.reason))
        .collect();
    let errors = language_errors(&checked.diagnostics);
    let problem = if !unreadable.is_empty() {
        Some(unreadable.join("\n"))
    } else if !errors.is_empty() {
        Some(human::render(&checked.sources, &errors, Style::plain()))
    } else {
        None
    };
    let views = match (&problem, last_good.as_ref()) {
        (Some(_), Some(good)) => good.iter().map(View::clone).collect(),
        _ => html::views(&checked.project, &checked.diagnostics),
    };
    if problem.is_none() {
        *last_good = Some(views.iter().map(View::clone).collect());
    }
    Page {
        title: &title,
        sources: &checked.sources,
        diagnostics: &checked.diagnostics,
        views,
        live: true,
        problem,
    }
    .render()
}

fn answer(request: tiny_http::Request, shared: &Arc<Shared>) {
    let header = |k: &str, v: &str| {
        tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes()).expect("a valid header")
    };
    if *request.method() != tiny_http::Method::Get {
        let _ = request.respond(tiny_http::Response::from_string("only GET").with_status_code(405));
        return;
    }
    match request.url() {
        "/" | "/index.html" => {
            let page = shared
                .report
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .page
                .clone();
            let _ = request.respond(
                tiny_http::Response::from_string(page)
                    .with_header(header("Content-Type", "text/html; charset=utf-8"))
                    .with_header(header("Cache-Control", "no-store")),
            );
        }
        "/events" => {
            let generation = {
                let mut report = shared.report.lock().unwrap_or_else(|e| e.into_inner());
                if report.streams >= MAX_STREAMS {
                    drop(report);
                    let _ = request.respond(
                        tiny_http::Response::from_string("too many open event streams")
                            .with_status_code(503),
                    );
                    return;
                }
                report.streams += 1;
                report.generation
            };
            // Written straight to the connection: a chunked response would
            // be buffered and an event held back until 8 KiB had gathered.
            let mut out = request.into_writer();
            let _ = stream(&mut *out, shared, generation);
            let mut report = shared.report.lock().unwrap_or_else(|e| e.into_inner());
            report.streams -= 1;
        }
        _ => {
            let _ = request
                .respond(tiny_http::Response::from_string("not found").with_status_code(404));
        }
    }
}

/// Writes the event stream: one event naming the report's generation after
/// each change, and a comment every 15 s (it keeps proxies from closing the
/// stream, and fails once the browser has gone, which frees the thread).
fn stream(out: &mut dyn Write, shared: &Shared, mut seen: u64) -> std::io::Result<()> {
    out.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\nretry: 1000\n\n",
    )?;
    out.flush()?;
    loop {
        let event = {
            let mut report = shared.report.lock().unwrap_or_else(|e| e.into_inner());
            while report.generation == seen {
                let (r, timeout) = shared
                    .changed
                    .wait_timeout(report, Duration::from_secs(15))
                    .unwrap_or_else(|e| e.into_inner());
                report = r;
                if timeout.timed_out() {
                    break;
                }
            }
            if report.generation == seen {
                ": still here\n\n".to_string()
            } else {
                seen = report.generation;
                format!("data: {seen}\n\n")
            }
        };
        out.write_all(event.as_bytes())?;
        out.flush()?;
    }
}
