//! LSP framing on stdin and stdout, with limits.
//!
//! lsp-server's own reader trusts `Content-Length`: it allocates the
//! announced size before reading (aborting on 10^12 bytes, panicking with
//! "capacity overflow" on u64::MAX, holding gigabytes for a body that never
//! comes) and ends the server on any malformed message. This reader bounds
//! what one message can cost, skips what it cannot use and goes on with the
//! next message.

use lsp_server::{Message, RequestId, Response};
use serde_json::Value;
use std::io::{self, BufRead, Read, Write};
use std::sync::mpsc::{sync_channel, Receiver};

/// The largest message body read (the input limit of every topo input).
pub const MAX_MESSAGE: u64 = crate::input::MAX_INPUT_BYTES;
/// The longest header line, `\r\n` included.
const MAX_HEADER_LINE: usize = 4096;
/// The most header lines in one message.
const MAX_HEADERS: usize = 32;
/// The most JSON values in one body: a 64 MiB body of `[0,0,...]` would
/// otherwise become a gigabyte of `serde_json::Value`s. Documents travel as
/// one string each, so real messages stay far below.
const MAX_JSON_VALUES: usize = 1_000_000;
/// What a header block starts with after a bad message is skipped.
const RESYNC: &[u8] = b"content-length";

/// The reader's buffered bytes, refilled when empty; a signal that
/// interrupted the read is retried.
fn fill<R: BufRead>(input: &mut R) -> io::Result<&[u8]> {
    // Asked twice: the borrow of a returned buffer cannot outlive a loop
    // iteration; the second call only hands out what the first one read.
    while let Err(e) = input.fill_buf() {
        if e.kind() != io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
    input.fill_buf()
}

/// What the reader hands to the server.
pub enum Incoming {
    Message(Message),
    /// A body that is not a JSON-RPC message; the client gets an error
    /// reply with the id, when one could be read, or null.
    Invalid {
        id: Option<RequestId>,
        code: i32,
        reason: String,
    },
}

/// One step of reading the stream.
#[derive(Debug)]
pub enum Frame {
    Message(Message),
    Invalid {
        id: Option<RequestId>,
        code: i32,
        reason: String,
    },
    /// A message skipped for its framing; the reason is logged.
    Skipped(String),
    /// The end of the stream, with a note when it ended inside a message.
    End(Option<String>),
}

enum Line {
    Complete(Vec<u8>),
    TooLong,
    Eof { partial: bool },
}

/// Reads framed messages from a byte stream.
pub struct FrameReader<R> {
    input: R,
    /// After a framing error the stream is searched for the next
    /// `Content-Length` header instead of trusting the next byte.
    resync: bool,
}

impl<R: BufRead> FrameReader<R> {
    pub fn new(input: R) -> FrameReader<R> {
        FrameReader {
            input,
            resync: false,
        }
    }

    pub fn next_frame(&mut self) -> Frame {
        match self.read_frame() {
            Ok(frame) => frame,
            Err(e) => Frame::End(Some(format!("cannot read the input: {e}"))),
        }
    }

    fn read_frame(&mut self) -> io::Result<Frame> {
        let mut first = Vec::new();
        if self.resync {
            let skipped = match self.skip_to_header()? {
                Some(n) => n,
                None => return Ok(Frame::End(None)),
            };
            self.resync = false;
            if skipped > 0 {
                log(&format!(
                    "skipped {skipped} bytes to the next Content-Length header"
                ));
            }
            first.extend_from_slice(b"Content-Length");
        }
        let length = match self.read_headers(first)? {
            Ok(Some(length)) => length,
            Ok(None) => return Ok(Frame::End(None)),
            Err(Ending::Bad(reason)) => {
                self.resync = true;
                return Ok(Frame::Skipped(reason));
            }
            Err(Ending::Truncated(reason)) => return Ok(Frame::End(Some(reason))),
        };
        if length > MAX_MESSAGE {
            let skipped = io::copy(&mut (&mut self.input).take(length), &mut io::sink())?;
            if skipped < length {
                return Ok(Frame::End(Some(format!(
                    "the input ended {skipped} bytes into a message of {length} bytes, \
                     which is over the limit of {MAX_MESSAGE} bytes"
                ))));
            }
            return Ok(Frame::Skipped(format!(
                "skipped a message of {length} bytes: the limit is {MAX_MESSAGE} bytes"
            )));
        }
        // At most MAX_MESSAGE, reserved once so that reading does not
        // double it; pages that no byte reaches are never touched, so a
        // length announced but never sent costs address space, not memory.
        let mut body = Vec::with_capacity(length as usize);
        (&mut self.input).take(length).read_to_end(&mut body)?;
        if (body.len() as u64) < length {
            return Ok(Frame::End(Some(format!(
                "the input ended {} bytes into a message of {length} bytes",
                body.len()
            ))));
        }
        Ok(parse_body(&body))
    }

    /// Reads one header block; `first` is the start of its first line when
    /// resynchronising. Ok(None) is a clean end of input between messages.
    fn read_headers(&mut self, first: Vec<u8>) -> io::Result<Result<Option<u64>, Ending>> {
        let mut length: Option<u64> = None;
        let mut count = 0;
        let mut pending = Some(first).filter(|f| !f.is_empty());
        loop {
            let line = match self.read_line(pending.take().unwrap_or_default())? {
                Line::Complete(line) => line,
                Line::TooLong => {
                    return Ok(Err(Ending::Bad(format!(
                        "a header line is longer than {MAX_HEADER_LINE} bytes"
                    ))))
                }
                Line::Eof { partial } => {
                    return Ok(if count == 0 && !partial {
                        Ok(None)
                    } else {
                        Err(Ending::Truncated(
                            "the input ended inside a message header".into(),
                        ))
                    })
                }
            };
            let Some(line) = line.strip_suffix(b"\r\n") else {
                return Ok(Err(Ending::Bad(format!(
                    "a header line does not end with \\r\\n: {}",
                    shown(&line)
                ))));
            };
            if line.is_empty() {
                break;
            }
            count += 1;
            if count > MAX_HEADERS {
                return Ok(Err(Ending::Bad(format!(
                    "a message has more than {MAX_HEADERS} header lines"
                ))));
            }
            match parse_header(line) {
                Ok(Some(n)) if length.is_some_and(|l| l != n) => {
                    return Ok(Err(Ending::Bad(
                        "a message has two different Content-Length headers".into(),
                    )))
                }
                Ok(Some(n)) => length = Some(n),
                Ok(None) => {}
                Err(reason) => return Ok(Err(Ending::Bad(reason))),
            }
        }
        match length {
            Some(n) => Ok(Ok(Some(n))),
            None => Ok(Err(Ending::Bad(
                "a message header has no Content-Length".into(),
            ))),
        }
    }

    /// One line up to and including `\n`, at most MAX_HEADER_LINE bytes;
    /// a longer line is consumed up to the limit only.
    fn read_line(&mut self, mut line: Vec<u8>) -> io::Result<Line> {
        loop {
            let buf = fill(&mut self.input)?;
            if buf.is_empty() {
                return Ok(Line::Eof {
                    partial: !line.is_empty(),
                });
            }
            let room = MAX_HEADER_LINE - line.len();
            let newline = buf.iter().take(room).position(|&b| b == b'\n');
            let take = newline.map_or(buf.len().min(room), |i| i + 1);
            line.extend_from_slice(&buf[..take]);
            self.input.consume(take);
            if newline.is_some() {
                return Ok(Line::Complete(line));
            }
            if line.len() >= MAX_HEADER_LINE {
                return Ok(Line::TooLong);
            }
        }
    }

    /// Consumes bytes up to and including the next `Content-Length`
    /// (any case); returns how many came before it, or None at the end.
    fn skip_to_header(&mut self) -> io::Result<Option<u64>> {
        let mut matched = 0;
        let mut skipped: u64 = 0;
        loop {
            let buf = fill(&mut self.input)?;
            if buf.is_empty() {
                return Ok(None);
            }
            let mut used = 0;
            let mut found = false;
            for &b in buf {
                used += 1;
                // No proper prefix of the needle is also its suffix, so a
                // mismatch can only restart at the current byte.
                if b.eq_ignore_ascii_case(&RESYNC[matched]) {
                    matched += 1;
                } else {
                    matched = usize::from(b.eq_ignore_ascii_case(&RESYNC[0]));
                }
                if matched == RESYNC.len() {
                    found = true;
                    break;
                }
            }
            self.input.consume(used);
            skipped += used as u64;
            if found {
                return Ok(Some(skipped - RESYNC.len() as u64));
            }
        }
    }
}

enum Ending {
    /// A malformed header: the message is skipped.
    Bad(String),
    /// The input ended inside a header.
    Truncated(String),
}

/// The length a header line gives, if it is Content-Length.
fn parse_header(line: &[u8]) -> Result<Option<u64>, String> {
    let colon = line
        .iter()
        .position(|&b| b == b':')
        .ok_or_else(|| format!("a header line has no `:`: {}", shown(line)))?;
    let (name, value) = (&line[..colon], &line[colon + 1..]);
    if name.is_empty() || !name.iter().all(|b| b.is_ascii_graphic()) {
        return Err(format!("a header name is not a token: {}", shown(line)));
    }
    if !name.eq_ignore_ascii_case(b"content-length") {
        return Ok(None);
    }
    let value = value.trim_ascii();
    if value.is_empty() || !value.iter().all(u8::is_ascii_digit) {
        return Err(format!(
            "Content-Length is not a number of bytes: {}",
            shown(value)
        ));
    }
    // Past u64::MAX the length saturates: it is over the limit either way.
    Ok(Some(value.iter().fold(0u64, |n, d| {
        n.saturating_mul(10).saturating_add(u64::from(d - b'0'))
    })))
}

/// A header excerpt for a log line: at most 80 characters, escaped.
fn shown(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(80)]);
    let mut out = format!("{:?}", text.as_ref());
    if bytes.len() > 80 {
        out.push('…');
    }
    out
}

fn parse_body(body: &[u8]) -> Frame {
    let text = match std::str::from_utf8(body) {
        Ok(text) => text,
        Err(e) => {
            return Frame::Invalid {
                id: None,
                code: lsp_server::ErrorCode::ParseError as i32,
                reason: format!(
                    "the message is not UTF-8: invalid byte at offset {}",
                    e.valid_up_to()
                ),
            }
        }
    };
    if let Err(reason) = count_values(text) {
        return Frame::Invalid {
            id: None,
            code: lsp_server::ErrorCode::InvalidRequest as i32,
            reason,
        };
    }
    let value: Value = match serde_json::from_str(text) {
        Ok(value) => value,
        Err(e) => {
            return Frame::Invalid {
                id: None,
                code: lsp_server::ErrorCode::ParseError as i32,
                reason: format!("the message is not JSON: {e}"),
            }
        }
    };
    let id = request_id(&value);
    match serde_json::from_value::<Message>(value) {
        Ok(message) => Frame::Message(message),
        Err(e) => Frame::Invalid {
            id,
            code: lsp_server::ErrorCode::InvalidRequest as i32,
            reason: format!("the message is not a JSON-RPC request, response or notification: {e}"),
        },
    }
}

/// The id of a message that is JSON but not a valid message, when usable.
fn request_id(value: &Value) -> Option<RequestId> {
    match value.get("id")? {
        Value::Number(n) => n
            .as_i64()
            .and_then(|n| i32::try_from(n).ok())
            .map(RequestId::from),
        Value::String(s) => Some(RequestId::from(s.clone())),
        _ => None,
    }
}

/// Refuses bodies with more values than MAX_JSON_VALUES, counting the
/// separators and openers outside strings (a bound, not a parse).
fn count_values(text: &str) -> Result<(), String> {
    let mut count = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for &b in text.as_bytes() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b',' | b'[' | b'{' => count += 1,
            _ => {}
        }
    }
    if count > MAX_JSON_VALUES {
        return Err(format!(
            "the message holds more than {MAX_JSON_VALUES} JSON values"
        ));
    }
    Ok(())
}

pub fn log(text: &str) {
    eprintln!("topo lsp: {text}");
}

/// Reads stdin on its own thread, so that the server can coalesce edits
/// while more arrive. The channel holds no message: the reader waits for
/// the server, and at most one body is in memory besides the one served.
pub fn spawn_stdin_reader() -> io::Result<Receiver<Incoming>> {
    let (sender, receiver) = sync_channel(0);
    std::thread::Builder::new()
        .name("lsp-reader".into())
        .spawn(move || {
            let mut reader = FrameReader::new(io::stdin().lock());
            loop {
                let incoming = match reader.next_frame() {
                    Frame::Message(message) => {
                        let exit =
                            matches!(&message, Message::Notification(n) if n.method == "exit");
                        if sender.send(Incoming::Message(message)).is_err() || exit {
                            return;
                        }
                        continue;
                    }
                    Frame::Invalid { id, code, reason } => {
                        log(&reason);
                        Incoming::Invalid { id, code, reason }
                    }
                    Frame::Skipped(reason) => {
                        log(&reason);
                        continue;
                    }
                    Frame::End(note) => {
                        if let Some(note) = note {
                            log(&note);
                        }
                        return;
                    }
                };
                if sender.send(incoming).is_err() {
                    return;
                }
            }
        })?;
    Ok(receiver)
}

/// Writes messages to stdout, framed as lsp-server frames them.
pub struct Output {
    out: io::Stdout,
}

impl Output {
    pub fn stdout() -> Output {
        Output { out: io::stdout() }
    }

    pub fn send(&self, message: Message) -> io::Result<()> {
        message.write(&mut self.out.lock())
    }

    /// An error reply to a message whose id could not be read: JSON-RPC
    /// wants `"id": null` there, which lsp-server's types cannot carry.
    pub fn send_error(&self, id: Option<RequestId>, code: i32, reason: &str) -> io::Result<()> {
        if let Some(id) = id {
            return self.send(Message::Response(Response::new_err(
                id,
                code,
                reason.to_string(),
            )));
        }
        let body = serde_json::json!({
            "jsonrpc": "2.0",
            "id": null,
            "error": { "code": code, "message": reason },
        })
        .to_string();
        let mut out = self.out.lock();
        write!(out, "Content-Length: {}\r\n\r\n{body}", body.len())?;
        out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &[u8]) -> Vec<Frame> {
        let mut reader = FrameReader::new(input);
        let mut out = Vec::new();
        loop {
            let frame = reader.next_frame();
            let end = matches!(frame, Frame::End(_));
            out.push(frame);
            if end {
                return out;
            }
        }
    }

    fn framed(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    const INIT: &str = r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}"#;

    fn is_init(frame: &Frame) -> bool {
        matches!(frame, Frame::Message(Message::Request(r)) if r.method == "initialize")
    }

    #[test]
    fn reads_messages_back_to_back() {
        let input = format!("{}{}", framed(INIT), framed(INIT));
        let got = frames(input.as_bytes());
        assert!(is_init(&got[0]) && is_init(&got[1]), "{got:?}");
        assert!(matches!(got[2], Frame::End(None)));
    }

    #[test]
    fn a_bad_length_is_skipped_up_to_the_next_header() {
        for bad in ["abc", "-5", "+5", "5 5", "0x10", ""] {
            let input = format!("Content-Length: {bad}\r\n\r\n{INIT}{}", framed(INIT));
            let got = frames(input.as_bytes());
            assert!(matches!(&got[0], Frame::Skipped(r) if r.contains("not a number")));
            assert!(is_init(&got[1]), "{bad}: {got:?}");
        }
    }

    #[test]
    fn lengths_past_the_limit_are_skipped_without_allocating() {
        for huge in [
            "1000000000000",
            "18446744073709551615",
            "99999999999999999999999",
        ] {
            let got = frames(format!("Content-Length: {huge}\r\n\r\n{INIT}").as_bytes());
            assert!(
                matches!(&got[0], Frame::End(Some(r)) if r.contains("over the limit")),
                "{got:?}"
            );
        }
        let body = " ".repeat(MAX_MESSAGE as usize + 1);
        let input = format!("{}{}", framed(&body), framed(INIT));
        let got = frames(input.as_bytes());
        assert!(matches!(&got[0], Frame::Skipped(r) if r.contains("limit")));
        assert!(is_init(&got[1]));
    }

    #[test]
    fn bodies_that_are_not_messages_get_a_reason() {
        let mut input = b"Content-Length: 4\r\n\r\n\xff\xfe{}".to_vec();
        input.extend_from_slice(framed("{not json").as_bytes());
        input.extend_from_slice(framed(r#"{"id":7,"method":3}"#).as_bytes());
        input.extend_from_slice(framed(INIT).as_bytes());
        let got = frames(&input);
        assert!(
            matches!(&got[0], Frame::Invalid { code: -32700, id: None, reason } if reason.contains("UTF-8"))
        );
        assert!(matches!(&got[1], Frame::Invalid { code: -32700, .. }));
        assert!(
            matches!(&got[2], Frame::Invalid { code: -32600, id: Some(id), .. } if *id == RequestId::from(7))
        );
        assert!(is_init(&got[3]));
    }

    #[test]
    fn header_lines_are_bounded_in_length_and_number() {
        let long = format!("X-Junk: {}\r\n{}", "a".repeat(1 << 20), framed(INIT));
        let got = frames(long.as_bytes());
        assert!(matches!(&got[0], Frame::Skipped(r) if r.contains("longer than")));
        assert!(is_init(&got[1]), "{got:?}");
        let many = format!("{}{}", "X-A: 1\r\n".repeat(40), framed(INIT));
        let got = frames(many.as_bytes());
        assert!(matches!(&got[0], Frame::Skipped(r) if r.contains("header lines")));
        assert!(is_init(&got[1]), "{got:?}");
    }

    #[test]
    fn headers_end_with_crlf_and_carry_one_length() {
        let got = frames(format!("Content-Length: 3\n\n{}", framed(INIT)).as_bytes());
        assert!(matches!(&got[0], Frame::Skipped(r) if r.contains("\\r\\n")));
        assert!(is_init(&got[1]));
        let got = frames(format!("Content-Type: x\r\n\r\n{}", framed(INIT)).as_bytes());
        assert!(matches!(&got[0], Frame::Skipped(r) if r.contains("no Content-Length")));
        assert!(is_init(&got[1]));
        let input = format!("content-length: {}\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{INIT}", INIT.len());
        assert!(is_init(&frames(input.as_bytes())[0]));
    }

    #[test]
    fn the_end_of_input_is_clean_between_messages_only() {
        assert!(matches!(frames(b"")[0], Frame::End(None)));
        assert!(matches!(&frames(b"Content-Len")[0], Frame::End(Some(_))));
        assert!(
            matches!(&frames(b"Content-Length: 4000000000\r\n\r\n{")[0], Frame::End(Some(r)) if r.contains("1 bytes into"))
        );
        assert!(
            matches!(&frames(b"Content-Length: 10\r\n\r\n{")[0], Frame::End(Some(r)) if r.contains("1 bytes into"))
        );
    }

    #[test]
    fn too_many_json_values_are_refused_before_parsing() {
        let body = format!("[{}0]", "0,".repeat(MAX_JSON_VALUES));
        let got = frames(framed(&body).as_bytes());
        assert!(
            matches!(&got[0], Frame::Invalid { code: -32600, reason, .. } if reason.contains("JSON values"))
        );
        let text = format!(
            r#"{{"jsonrpc":"2.0","method":"x","params":"{}"}}"#,
            ",".repeat(2 * MAX_JSON_VALUES)
        );
        assert!(matches!(
            &frames(framed(&text).as_bytes())[0],
            Frame::Message(_)
        ));
    }
}
