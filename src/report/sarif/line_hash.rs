//! `primaryLocationLineHash`, the fingerprint GitHub's upload action
//! (github/codeql-action, `src/fingerprints.ts`) adds to results that lack
//! one. Computing the same value here means a SARIF file uploaded through
//! the API, without the action, is tracked and deduplicated like one the
//! action processed, and the action finds nothing inconsistent to warn of.
//!
//! The hash of a line is a polynomial rolling hash (base 37, wrapping at
//! 64 bits as the action's `Long` does) over the 100 characters that start
//! at the line's first character, counted in UTF-16 code units, with spaces
//! and tabs left out and `\r\n`, `\r` and `\n` all read as `\n`. The end of
//! the file is one 0xFFFF character followed by zeros. The value is written
//! in lowercase hex without leading zeros, followed by `:` and how many
//! lines so far, this one included, share the hash.

use std::collections::HashMap;

const BLOCK: usize = 100;
const BASE: u64 = 37;
const END_OF_FILE: u16 = 0xFFFF;

/// The hash of every line of `text`: the first is line 1. Line numbering
/// agrees with `SourceFile::line_col`: `\r\n`, a lone `\r` and `\n` each end
/// a line, and the text after the last one is a line even when empty.
pub fn line_hashes(text: &str) -> Vec<String> {
    let mut h = Hasher::new();
    for unit in text.encode_utf16() {
        h.read(unit);
    }
    h.read(END_OF_FILE);
    // Every line still in the window needs BLOCK more characters before its
    // hash covers its whole block: zeros, as the action pads.
    for _ in 0..BLOCK {
        h.emit_due();
        h.roll(0);
    }
    h.out
}

struct Hasher {
    /// The last BLOCK characters read, a ring indexed by `at`.
    window: [u16; BLOCK],
    /// The line whose first character sits at that slot of the window.
    starts: [Option<usize>; BLOCK],
    at: usize,
    hash: u64,
    /// BASE^BLOCK: the weight the oldest character has when it leaves.
    leaving: u64,
    lines: usize,
    line_begins: bool,
    after_cr: bool,
    seen: HashMap<u64, usize>,
    out: Vec<String>,
}

impl Hasher {
    fn new() -> Hasher {
        Hasher {
            window: [0; BLOCK],
            starts: [None; BLOCK],
            at: 0,
            hash: 0,
            leaving: (0..BLOCK).fold(1u64, |p, _| p.wrapping_mul(BASE)),
            lines: 0,
            line_begins: true,
            after_cr: false,
            seen: HashMap::new(),
            out: Vec::new(),
        }
    }

    fn read(&mut self, unit: u16) {
        let cr = unit == u16::from(b'\r');
        let lf = unit == u16::from(b'\n');
        if unit == u16::from(b' ') || unit == u16::from(b'\t') || (self.after_cr && lf) {
            self.after_cr = false;
            return;
        }
        self.after_cr = cr;
        let unit = if cr { u16::from(b'\n') } else { unit };
        // The slot about to be overwritten held a line start BLOCK
        // characters ago: its hash is complete now.
        self.emit_due();
        if self.line_begins {
            self.line_begins = false;
            self.lines += 1;
            self.starts[self.at] = Some(self.lines);
        }
        if unit == u16::from(b'\n') {
            self.line_begins = true;
        }
        self.roll(unit);
    }

    fn emit_due(&mut self) {
        if let Some(line) = self.starts[self.at].take() {
            let count = self.seen.entry(self.hash).or_insert(0);
            *count += 1;
            // Lines complete in order, so the vector's index is the line's.
            debug_assert_eq!(line, self.out.len() + 1);
            self.out.push(format!("{:x}:{count}", self.hash));
        }
    }

    fn roll(&mut self, unit: u16) {
        let old = std::mem::replace(&mut self.window[self.at], unit);
        self.hash = self
            .hash
            .wrapping_mul(BASE)
            .wrapping_add(u64::from(unit))
            .wrapping_sub(self.leaving.wrapping_mul(u64::from(old)));
        self.at = (self.at + 1) % BLOCK;
    }
}
