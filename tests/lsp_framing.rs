//! `topo lsp` fed broken framing: huge or malformed `Content-Length`s,
//! bodies that are not UTF-8 or not JSON, endless header lines. Each is
//! answered or logged, the next message is served where the stream can be
//! resynchronised, and the end of input ends the server cleanly. Servers
//! run under `ulimit -v` 2 GiB, so a server that allocated the announced
//! length would die here.

use serde_json::{json, Value};

mod support;
use support::lsp::{frame, Lsp};

const LIMIT: usize = 64 * 1024 * 1024;

impl Lsp {
    /// Sends `initialize` with `id` and returns its response.
    fn initialize_with_id(&mut self, id: i64) -> Value {
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": "initialize",
               "params": {"processId": null, "rootUri": null, "capabilities": {}}}));
        self.response_to(id)
    }
}

fn assert_initialized(response: &Value) {
    assert!(
        response["result"]["capabilities"].is_object(),
        "{response:#}"
    );
}

/// Lengths the old server aborted on, panicked on or waited for with
/// gigabytes allocated: the body is skipped as it streams by, and the end
/// of input ends the server, exit 0.
#[test]
fn huge_content_lengths_end_cleanly_at_the_end_of_input() {
    for length in ["1000000000000", "18446744073709551615", "4000000000"] {
        let mut server = Lsp::start_limited();
        assert_initialized(&server.initialize_with_id(1));
        server.write(format!("Content-Length: {length}\r\n\r\n{{\"jsonrpc\":").as_bytes());
        let (status, log) = server.end_input();
        assert!(status.success(), "{length}: {status}\n{log}");
        assert!(
            log.contains(&format!("a message of {length} bytes"))
                && log.contains("over the limit of 67108864 bytes"),
            "{length}: {log}"
        );
    }
}

/// A length with more digits than any integer holds is over the limit too.
#[test]
fn a_length_past_every_integer_is_over_the_limit() {
    let mut server = Lsp::start_limited();
    server.write(b"Content-Length: 99999999999999999999999999\r\n\r\n{}");
    let (status, log) = server.end_input();
    assert!(status.success(), "{status}\n{log}");
    assert!(log.contains("over the limit"), "{log}");
}

#[test]
fn a_message_over_the_limit_is_skipped_and_the_next_one_served() {
    let mut server = Lsp::start_limited();
    let body = " ".repeat(LIMIT + 1);
    server.write(&frame(&body));
    drop(body);
    assert_initialized(&server.initialize_with_id(1));
    let (status, log) = server.end_input();
    assert!(status.success(), "{status}\n{log}");
    assert!(
        log.contains("skipped a message of 67108865 bytes: the limit is 67108864 bytes"),
        "{log}"
    );
}

/// A header that cannot be trusted loses its message; the reader finds the
/// next `Content-Length` and serves it.
#[test]
fn malformed_headers_are_logged_and_the_next_message_served() {
    let cases: [(&str, Vec<u8>, &str); 5] = [
        (
            "non-numeric length",
            b"Content-Length: abc\r\n\r\n{\"jsonrpc\":\"2.0\"}".to_vec(),
            "Content-Length is not a number of bytes: \"abc\"",
        ),
        (
            "negative length",
            b"Content-Length: -12\r\n\r\n".to_vec(),
            "Content-Length is not a number of bytes: \"-12\"",
        ),
        (
            "no length",
            b"Content-Type: application/vscode-jsonrpc\r\n\r\n{}".to_vec(),
            "no Content-Length",
        ),
        (
            "a 1 MB header line",
            format!("X-Junk: {}\r\n\r\n", "a".repeat(1 << 20)).into_bytes(),
            "a header line is longer than 4096 bytes",
        ),
        (
            "a header line without \\r\\n",
            b"Content-Length: 2\n\n{}".to_vec(),
            "does not end with \\r\\n",
        ),
    ];
    for (what, bytes, logged) in cases {
        let mut server = Lsp::start_limited();
        server.write(&bytes);
        assert_initialized(&server.initialize_with_id(1));
        let (status, log) = server.end_input();
        assert!(status.success(), "{what}: {status}\n{log}");
        assert!(log.contains(logged), "{what}: {log}");
    }
}

/// Bodies that are framed correctly but are not messages get a JSON-RPC
/// error reply with id null, and the server goes on.
#[test]
fn bodies_that_are_not_messages_get_an_error_reply() {
    let cases: [(&str, Vec<u8>, i64, &str); 3] = [
        (
            "invalid UTF-8",
            b"Content-Length: 6\r\n\r\n\"\xff\xfe\xc0\x80\"".to_vec(),
            -32700,
            "the message is not UTF-8",
        ),
        (
            "invalid JSON",
            frame("{\"jsonrpc\": \"2.0\", \"id\": 1,"),
            -32700,
            "the message is not JSON",
        ),
        (
            "JSON that is no message",
            frame("[1, 2, 3]"),
            -32600,
            "not a JSON-RPC request, response or notification",
        ),
    ];
    for (what, bytes, code, reason) in cases {
        let mut server = Lsp::start_limited();
        server.write(&bytes);
        let reply = server.receive();
        assert_eq!(reply["id"], Value::Null, "{what}: {reply:#}");
        assert_eq!(reply["error"]["code"], code, "{what}: {reply:#}");
        assert!(
            reply["error"]["message"].as_str().unwrap().contains(reason),
            "{what}: {reply:#}"
        );
        assert_initialized(&server.initialize_with_id(1));
        let (status, log) = server.end_input();
        assert!(status.success(), "{what}: {status}\n{log}");
        assert!(log.contains(reason), "{what}: {log}");
    }
}

/// One session through every bad message: the server answers requests
/// between them and shuts down normally.
#[test]
fn a_session_survives_every_bad_message() {
    let mut server = Lsp::start_limited();
    assert_initialized(&server.initialize_with_id(1));
    server.send(&json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
    let bad: [&[u8]; 5] = [
        b"Content-Length: abc\r\n\r\n{}",
        b"Content-Length: 4\r\n\r\n\xff\xff\xff\xff",
        b"Content-Length: 3\r\n\r\n{{{",
        b"Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
        b"X-A: 1\r\nX-A: 1\r\nX-A: 1\r\nX-A: 1\r\nX-A: 1\r\nX-A: 1\r\nX-A: 1\r\nX-A: 1\r\n\
          X-A: 1\r\nX-A: 1\r\nX-A: 1\r\nX-A: 1\r\nX-A: 1\r\nX-A: 1\r\nX-A: 1\r\nX-A: 1\r\n\
          X-A: 1\r\nX-A: 1\r\nX-A: 1\r\nX-A: 1\r\nX-A: 1\r\nX-A: 1\r\nX-A: 1\r\nX-A: 1\r\n\
          X-A: 1\r\nX-A: 1\r\nX-A: 1\r\nX-A: 1\r\nX-A: 1\r\nX-A: 1\r\nX-A: 1\r\nX-A: 1\r\n\
          X-A: 1\r\n\r\n",
    ];
    for (i, bytes) in bad.iter().enumerate() {
        server.write(bytes);
        let id = i as i64 + 2;
        server.send(
            &json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/documentSymbol",
                            "params": {"textDocument": {"uri": "file:///nowhere.topo"}}}),
        );
        loop {
            let m = server.receive();
            if m["id"] == id {
                assert!(m["error"].is_null(), "{m:#}");
                break;
            }
        }
    }
    server.send(&json!({"jsonrpc": "2.0", "id": 99, "method": "shutdown"}));
    while server.receive()["id"] != 99 {}
    server.send(&json!({"jsonrpc": "2.0", "method": "exit"}));
    let (status, log) = server.end_input();
    assert!(status.success(), "{status}\n{log}");
    for logged in [
        "not a number",
        "not UTF-8",
        "not JSON",
        "two different Content-Length",
        "more than 32 header lines",
    ] {
        assert!(log.contains(logged), "{logged}: {log}");
    }
}

/// The conversation's order is kept without ending the server: requests
/// before `initialize` and a second `initialize` get errors, and `exit`
/// without `shutdown` is exit 1, as LSP asks.
#[test]
fn requests_out_of_order_get_errors() {
    let mut server = Lsp::start_limited();
    server.send(&json!({"jsonrpc": "2.0", "id": 1, "method": "textDocument/hover", "params": {}}));
    assert_eq!(server.receive()["error"]["code"], -32002);
    server.send(
        &json!({"jsonrpc": "2.0", "id": 2, "method": "initialize", "params": {"capabilities": 3}}),
    );
    assert_eq!(server.receive()["error"]["code"], -32602);
    assert_initialized(&server.initialize_with_id(3));
    let again = server.initialize_with_id(4);
    assert_eq!(again["error"]["code"], -32600, "{again:#}");
    server.send(&json!({"jsonrpc": "2.0", "method": "exit"}));
    let (status, log) = server.end_input();
    assert_eq!(status.code(), Some(1), "{log}");
    assert!(log.contains("`exit` before `shutdown`"), "{log}");
}

/// Documents at URIs that decode to awkward paths (brackets, a pipe, a
/// newline, ESC, bytes that are not UTF-8, a host) are served or ignored:
/// the diagnostics come back for every path the server can name, and the
/// server answers afterwards.
#[test]
fn documents_at_awkward_uris_do_not_end_the_server() {
    let mut server = Lsp::start_limited();
    assert_initialized(&server.initialize_with_id(1));
    server.send(&json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
    let uris = [
        "file:///nonexistent/a%5B1%5D%5E%7C%5C.topo",
        "file:///nonexistent/x%0A%1B%5B2J.topo",
        "file:///nonexistent/%FF%FE.topo",
        "file://host/share/q.topo",
        "untitled:Untitled-1",
    ];
    for uri in uris {
        server.send(&json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
            "textDocument": {"uri": uri, "languageId": "topo", "version": 1, "text": "site dc\nbogus\n"}}}));
    }
    server.send(&json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}));
    let mut published = Vec::new();
    loop {
        let m = server.receive();
        if m["id"] == 2 {
            break;
        }
        if m["method"] == "textDocument/publishDiagnostics" {
            published.push(m["params"]["uri"].as_str().unwrap().to_string());
        }
    }
    assert!(
        published.contains(&uris[0].to_string()) && published.contains(&uris[1].to_string()),
        "{published:?}"
    );
    server.send(&json!({"jsonrpc": "2.0", "method": "exit"}));
    let (status, log) = server.end_input();
    assert!(status.success(), "{status}\n{log}");
}
