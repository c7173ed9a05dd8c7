//! `topo lsp` spoken to over stdio as an editor would: JSON-RPC messages in
//! `Content-Length` frames. Messages are read on a thread, so a server that
//! goes silent fails the test at the watchdog instead of hanging it, and a
//! server left running by a failed test is killed. The raw side (bytes,
//! frames, single messages) stays open for the tests of the framing itself.

use serde_json::{json, Value};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// `ulimit -v` of a bounded server, in KiB: 2 GiB.
const MEMORY_LIMIT_KIB: u64 = 2 * 1024 * 1024;

/// A running `topo lsp` and the client's side of the conversation.
pub struct Lsp {
    child: Child,
    input: Option<ChildStdin>,
    messages: Receiver<Value>,
    log: Option<JoinHandle<String>>,
    /// Generous: catches a hang, never a slow machine.
    watchdog: Duration,
    next_id: i64,
    versions: HashMap<String, i64>,
}

impl Lsp {
    /// `topo lsp`, not yet initialized.
    pub fn start() -> Lsp {
        let mut command = Command::new(env!("CARGO_BIN_EXE_topo"));
        command.arg("lsp");
        Lsp::spawn(command)
    }

    /// `topo lsp` under a 2 GiB address-space limit (`ulimit -v`), so that
    /// a server that allocated whatever length a message announces dies.
    pub fn start_limited() -> Lsp {
        let mut command = Command::new("sh");
        command
            .arg("-c")
            .arg(format!("ulimit -v {MEMORY_LIMIT_KIB} && exec \"$0\" lsp"))
            .arg(env!("CARGO_BIN_EXE_topo"));
        Lsp::spawn(command)
    }

    pub fn spawn(mut command: Command) -> Lsp {
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("topo lsp starts");
        let input = child.stdin.take();
        let mut output = BufReader::new(child.stdout.take().unwrap());
        let mut errors = child.stderr.take().unwrap();
        let (sender, messages) = channel();
        std::thread::spawn(move || {
            while let Some(message) = read_frame(&mut output) {
                if sender.send(message).is_err() {
                    return;
                }
            }
        });
        let log = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = errors.read_to_string(&mut text);
            text
        });
        Lsp {
            child,
            input,
            messages,
            log: Some(log),
            watchdog: Duration::from_secs(120),
            next_id: 1,
            versions: HashMap::new(),
        }
    }

    pub fn watchdog(mut self, seconds: u64) -> Lsp {
        self.watchdog = Duration::from_secs(seconds);
        self
    }

    // --- the conversation ----------------------------------------------------

    /// `initialize` without a root, then `initialized`; returns the response
    /// to `initialize`.
    pub fn initialize(&mut self) -> Value {
        self.initialize_with(json!({"processId": null, "rootUri": null, "capabilities": {}}))
    }

    /// `initialize` with `folder` as the one workspace folder (the root that
    /// includes resolve under), then `initialized`.
    pub fn initialize_in(&mut self, folder: &Path) -> Value {
        let name = folder
            .file_name()
            .map_or(String::new(), |n| n.to_string_lossy().into_owned());
        self.initialize_with(json!({"processId": null, "capabilities": {},
            "workspaceFolders": [{"uri": file_uri(folder), "name": name}]}))
    }

    fn initialize_with(&mut self, params: Value) -> Value {
        let response = self.request("initialize", params);
        self.notify("initialized", json!({}));
        response
    }

    /// Sends a request and returns its response, skipping what comes
    /// before it.
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.response_to(id)
    }

    /// A request about one place of a document (hover, definition,
    /// completion ...): 0-based line, UTF-16 character.
    pub fn request_at(&mut self, method: &str, uri: &str, line: usize, character: usize) -> Value {
        self.request(
            method,
            json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
        )
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Opens a document at version 1.
    pub fn open(&mut self, uri: &str, text: &str) {
        self.versions.insert(uri.to_string(), 1);
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "topo", "version": 1, "text": text}}),
        );
    }

    /// Replaces the whole text of an open document, at its next version.
    pub fn change(&mut self, uri: &str, text: &str) {
        let version = self.versions.entry(uri.to_string()).or_insert(1);
        *version += 1;
        let version = *version;
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version},
                   "contentChanges": [{"text": text}]}),
        );
    }

    pub fn close(&mut self, uri: &str) {
        self.versions.remove(uri);
        self.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": uri}}),
        );
    }

    /// The next diagnostics published for `uri`.
    pub fn diagnostics_for(&mut self, uri: &str) -> Vec<Value> {
        loop {
            let m = self.receive();
            if m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri {
                return m["params"]["diagnostics"].as_array().unwrap().clone();
            }
        }
    }

    /// Sends `shutdown` and returns its response; `exit` comes next.
    pub fn shutdown(&mut self) -> Value {
        self.request("shutdown", Value::Null)
    }

    /// Ends the session as an editor does: `shutdown` answered without an
    /// error, then `exit`, and the server exits 0.
    pub fn finish(mut self) {
        let shutdown = self.shutdown();
        assert!(shutdown["error"].is_null(), "{shutdown:#}");
        let (status, log) = self.exit();
        assert!(status.success(), "{status}\n{log}");
    }

    /// Sends `exit` and waits for the server to end, its input still open;
    /// returns the status and what the server logged.
    pub fn exit(mut self) -> (ExitStatus, String) {
        self.notify("exit", Value::Null);
        let status = self.wait("the server did not exit on `exit`");
        drop(self.input.take());
        (status, self.log())
    }

    /// Closes the input and waits for the server to end; returns the status
    /// and what the server logged.
    pub fn end_input(mut self) -> (ExitStatus, String) {
        drop(self.input.take());
        let status = self.wait("the server did not exit at the end of its input");
        (status, self.log())
    }

    fn wait(&mut self, hang: &str) -> ExitStatus {
        let deadline = Instant::now() + self.watchdog;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            if Instant::now() > deadline {
                panic!("{hang} before the watchdog");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// What the server wrote on stderr, once it has ended; a panic there
    /// fails the test.
    fn log(&mut self) -> String {
        let log = self.log.take().unwrap().join().unwrap();
        assert!(!log.contains("panicked"), "{log}");
        log
    }

    // --- the raw side ----------------------------------------------------------

    /// Writes bytes as they are: a frame, part of one, or none.
    pub fn write(&mut self, bytes: &[u8]) {
        let input = self.input.as_mut().expect("input open");
        input.write_all(bytes).expect("the server reads its input");
        input.flush().unwrap();
    }

    /// Writes one message in its frame.
    pub fn send(&mut self, message: &Value) {
        self.write(&frame(&message.to_string()));
    }

    /// The next message from the server, whatever it is.
    pub fn receive(&mut self) -> Value {
        self.messages
            .recv_timeout(self.watchdog)
            .expect("the server answers before the watchdog")
    }

    /// The response to request `id`, skipping what comes before it.
    pub fn response_to(&mut self, id: i64) -> Value {
        loop {
            let m = self.receive();
            if m["id"] == id {
                return m;
            }
        }
    }
}

impl Drop for Lsp {
    /// A test that failed midway leaves no server behind.
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// `body` in its `Content-Length` frame.
pub fn frame(body: &str) -> Vec<u8> {
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

/// The next message, or None at the end of the output or at a frame that
/// does not hold one.
fn read_frame(output: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if output.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(n) = line.strip_prefix("Content-Length: ") {
            length = n.parse().ok();
        }
    }
    let mut body = vec![0; length?];
    output.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

pub fn file_uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// `text` written to `name` in a new temporary directory, and its URI.
pub fn document(name: &str, text: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    (dir, file_uri(&path))
}
