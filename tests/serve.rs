//! `topo serve` over plain HTTP: the page, the event stream, what a save
//! does, and what the server refuses. (tests/browser.rs drives the page
//! itself in Chromium.)

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

struct Server {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
    file: std::path::PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(text: &str) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plan.topo");
    std::fs::write(&file, text).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_topo"))
        .args(["serve", "plan.topo", "--port", "0"])
        .current_dir(dir.path())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stderr.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line
        .rsplit("127.0.0.1:")
        .next()
        .and_then(|rest| rest.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no port in {line:?}"));
    Server {
        child,
        port,
        _dir: dir,
        file,
    }
}

fn request(port: u16, method: &str, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(s, "{method} {path} HTTP/1.0\r\nHost: localhost\r\n\r\n").unwrap();
    let mut text = String::new();
    s.read_to_string(&mut text).unwrap();
    let status = text.split_whitespace().nth(1).unwrap().parse().unwrap();
    (status, text)
}

/// Reads the event stream until `wanted` arrives (or the watchdog fires).
fn wait_for(events: &mut BufReader<TcpStream>, wanted: &str) {
    let mut line = String::new();
    loop {
        line.clear();
        let n = events
            .read_line(&mut line)
            .expect("the stream stays open until the event");
        assert!(n > 0, "the stream ended before {wanted:?}");
        if line.trim_end() == wanted {
            return;
        }
    }
}

const PLAN: &str = "site dc {}\ntier web { role presentation }\nserver web1 { site dc }\nservice shop on web1 { tier web }\n";

#[test]
fn the_page_and_its_events_follow_the_file() {
    let s = start(PLAN);
    let (status, page) = request(s.port, "GET", "/");
    assert_eq!(status, 200);
    assert!(page.contains("Content-Type: text/html; charset=utf-8"));
    assert!(page.contains("new EventSource(\"/events\")"));
    assert!(page.contains("<title>topo: plan.topo</title>"));

    let stream = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let mut events = BufReader::new(stream);
    write!(
        events.get_mut(),
        "GET /events HTTP/1.1\r\nHost: localhost\r\n\r\n"
    )
    .unwrap();
    wait_for(&mut events, "retry: 1000");

    // A save that changes the report: one event, and the page shows it.
    std::fs::write(
        &s.file,
        format!("{PLAN}service cart on web1 {{ tier web }}\n"),
    )
    .unwrap();
    wait_for(&mut events, "data: 2");
    let (_, page) = request(s.port, "GET", "/");
    assert!(page.contains("cart"));

    // A syntax error: shown, with the last good views kept.
    std::fs::write(&s.file, format!("{PLAN}server broken {{\n")).unwrap();
    wait_for(&mut events, "data: 3");
    let (_, page) = request(s.port, "GET", "/");
    assert!(
        page.contains("<pre id=\"problem\" role=\"alert\">"),
        "{page}"
    );
    assert!(page.contains("data-view=\"system\""));
    assert!(page.contains("cart"), "the last good views stay");
}

#[test]
fn only_get_of_the_page_and_the_events() {
    let s = start(PLAN);
    assert_eq!(request(s.port, "GET", "/nothing").0, 404);
    assert_eq!(request(s.port, "POST", "/").0, 405);
    assert_eq!(request(s.port, "GET", "/index.html").0, 200);
}

#[test]
fn a_missing_file_is_refused_before_listening() {
    let out = Command::new(env!("CARGO_BIN_EXE_topo"))
        .args(["serve", "no-such.topo", "--port", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("cannot read `no-such.topo`"), "{stderr}");
    assert!(!stderr.contains("serving"));
}
