//! The language server's framing reader: any byte stream ends in messages,
//! error replies, skipped frames and one end, never in a panic, and every
//! step consumes input (the reader cannot spin).
#![no_main]
use libfuzzer_sys::fuzz_target;
use topo::lsp::transport::{Frame, FrameReader};

fuzz_target!(|data: &[u8]| {
    let mut reader = FrameReader::new(std::io::Cursor::new(data));
    // Each frame but the end needs at least one byte of input.
    for _ in 0..=data.len() {
        if let Frame::End(_) = reader.next_frame() {
            return;
        }
    }
    panic!("the reader returned more frames than the input has bytes");
});
