//! Limits on a YAML document, checked before it is deserialized.
//!
//! libyaml's scanner is quadratic in the nesting of flow collections
//! (`[[[[…` inside a mapping: 160 KB took 20 s and more; it checks every
//! open level's possible key at every token), and aliases repeat what they
//! name (nine levels of ten aliases name a billion nodes; a hundred aliases
//! of a long string copy it a hundred times). Both happen inside
//! `serde_norway`, which loads every event before it deserializes and has no
//! limit for either. So the events are walked here first with the same
//! parser, one at a time: the walk stops at the first level past
//! [`MAX_DEPTH`], before the scanner gets deep, and adds up what every alias
//! expands to without expanding it.

#![allow(unsafe_code)]

use std::collections::HashMap;
use std::mem::MaybeUninit;
use unsafe_libyaml_norway as unsafe_libyaml;

/// Device types nest four levels; 64 leaves room and stops the scanner's
/// quadratic work early.
pub const MAX_DEPTH: u64 = 64;
/// The element limit of expansion in topo files applies to YAML nodes too.
pub const MAX_NODES: u64 = crate::model::names::MAX_ELEMENTS;
/// Scalar text after expanding aliases: the input limit, 64 MiB.
pub const MAX_SCALAR_BYTES: u64 = crate::input::MAX_INPUT_BYTES;

/// What a node is worth once every alias in it is expanded.
#[derive(Debug, Clone, Copy)]
struct Size {
    nodes: u64,
    bytes: u64,
    /// Levels of collections, the node's own included.
    height: u64,
}

/// An open collection: its anchor and what it holds so far.
struct Open {
    anchor: Option<Vec<u8>>,
    size: Size,
}

/// Checks `yaml` against the limits: `Err` names the line and the limit. A
/// syntax error is left for the deserializer, which reports it as it always
/// did.
pub fn check(yaml: &str) -> Result<(), String> {
    let mut parser = Parser::new(yaml.as_bytes());
    // Sizes of finished anchored nodes. An anchor may be defined again; the
    // alias names the latest, as in the deserializer.
    let mut anchors: HashMap<Vec<u8>, Size> = HashMap::new();
    let mut open: Vec<Open> = Vec::new();
    let mut nodes = 0u64;
    let mut bytes = 0u64;
    while let Some(event) = parser.next() {
        let line = event.line + 1;
        let finished = match event.kind {
            Kind::Other => continue,
            Kind::Start(anchor) => {
                if open.len() as u64 >= MAX_DEPTH {
                    return Err(format!(
                        "line {line}: YAML nested deeper than {MAX_DEPTH} levels"
                    ));
                }
                nodes += 1;
                open.push(Open {
                    anchor,
                    size: Size {
                        nodes: 1,
                        bytes: 0,
                        height: 1,
                    },
                });
                None
            }
            Kind::Close => open.pop().map(|closed| {
                if let Some(anchor) = closed.anchor {
                    anchors.insert(anchor, closed.size);
                }
                closed.size
            }),
            Kind::Scalar { anchor, length } => {
                let size = Size {
                    nodes: 1,
                    bytes: length,
                    height: 0,
                };
                if let Some(anchor) = anchor {
                    anchors.insert(anchor, size);
                }
                nodes += 1;
                bytes = bytes.saturating_add(length);
                Some(size)
            }
            Kind::Alias(anchor) => {
                // An alias of no finished node (unknown, or one that would
                // contain itself) is the deserializer's error to report.
                let Some(&size) = anchors.get(&anchor) else {
                    return Ok(());
                };
                if open.len() as u64 + size.height > MAX_DEPTH {
                    return Err(format!(
                        "line {line}: alias `*{}` nests the YAML deeper than {MAX_DEPTH} levels",
                        String::from_utf8_lossy(&anchor)
                    ));
                }
                nodes = nodes.saturating_add(size.nodes);
                bytes = bytes.saturating_add(size.bytes);
                Some(size)
            }
        };
        if let (Some(child), Some(parent)) = (finished, open.last_mut()) {
            let size = &mut parent.size;
            size.nodes = size.nodes.saturating_add(child.nodes);
            size.bytes = size.bytes.saturating_add(child.bytes);
            size.height = size.height.max(child.height + 1);
        }
        if nodes > MAX_NODES {
            return Err(format!(
                "line {line}: the YAML expands to more than {MAX_NODES} elements (an alias counts what it repeats)"
            ));
        }
        if bytes > MAX_SCALAR_BYTES {
            return Err(format!(
                "line {line}: the YAML's text expands to more than {} MiB (an alias counts what it repeats)",
                MAX_SCALAR_BYTES >> 20
            ));
        }
    }
    Ok(())
}

/// One event, reduced to what the limits need.
struct Event {
    /// 0-based, as libyaml counts.
    line: u64,
    kind: Kind,
}

enum Kind {
    /// A sequence or mapping starts, with its anchor.
    Start(Option<Vec<u8>>),
    /// A sequence or mapping ends.
    Close,
    Scalar {
        anchor: Option<Vec<u8>>,
        length: u64,
    },
    Alias(Vec<u8>),
    /// Stream and document boundaries.
    Other,
}

/// libyaml's event parser over a borrowed input.
struct Parser<'input> {
    // Boxed: libyaml keeps a pointer to the parser in the parser (its read
    // handler's data), so it must not move once initialized.
    parser: Box<MaybeUninit<unsafe_libyaml::yaml_parser_t>>,
    initialized: bool,
    finished: bool,
    _input: std::marker::PhantomData<&'input [u8]>,
}

impl<'input> Parser<'input> {
    fn new(input: &'input [u8]) -> Self {
        let mut parser = Box::new(MaybeUninit::<unsafe_libyaml::yaml_parser_t>::uninit());
        let raw = parser.as_mut_ptr();
        // SAFETY: `raw` points to memory owned by the box for the parser's
        // whole life; initialize fills it before any other call reads it. The
        // input is borrowed for 'input, which the parser cannot outlive.
        let initialized = unsafe {
            let ok = !unsafe_libyaml::yaml_parser_initialize(raw).fail;
            if ok {
                unsafe_libyaml::yaml_parser_set_encoding(raw, unsafe_libyaml::YAML_UTF8_ENCODING);
                unsafe_libyaml::yaml_parser_set_input_string(
                    raw,
                    input.as_ptr(),
                    input.len() as u64,
                );
            }
            ok
        };
        Parser {
            parser,
            initialized,
            // A parser that could not be set up reads nothing; the
            // deserializer meets the same failure and reports it.
            finished: !initialized,
            _input: std::marker::PhantomData,
        }
    }

    /// The next event; `None` at the end of the stream or at an error.
    fn next(&mut self) -> Option<Event> {
        if self.finished {
            return None;
        }
        let raw = self.parser.as_mut_ptr();
        let mut event = MaybeUninit::<unsafe_libyaml::yaml_event_t>::uninit();
        // SAFETY: the parser was initialized (`finished` is false otherwise).
        // `yaml_parser_parse` fills `event` when it succeeds; its fields are
        // read as the event's type says, and the event is deleted once.
        unsafe {
            if unsafe_libyaml::yaml_parser_parse(raw, event.as_mut_ptr()).fail {
                self.finished = true;
                return None;
            }
            let event = event.as_mut_ptr();
            let line = (*event).start_mark.line;
            let kind = match (*event).type_ {
                unsafe_libyaml::YAML_SEQUENCE_START_EVENT => {
                    Kind::Start(anchor((*event).data.sequence_start.anchor))
                }
                unsafe_libyaml::YAML_MAPPING_START_EVENT => {
                    Kind::Start(anchor((*event).data.mapping_start.anchor))
                }
                unsafe_libyaml::YAML_SEQUENCE_END_EVENT
                | unsafe_libyaml::YAML_MAPPING_END_EVENT => Kind::Close,
                unsafe_libyaml::YAML_SCALAR_EVENT => Kind::Scalar {
                    anchor: anchor((*event).data.scalar.anchor),
                    length: (*event).data.scalar.length,
                },
                unsafe_libyaml::YAML_ALIAS_EVENT => {
                    Kind::Alias(anchor((*event).data.alias.anchor).unwrap_or_default())
                }
                unsafe_libyaml::YAML_STREAM_END_EVENT => {
                    self.finished = true;
                    Kind::Other
                }
                _ => Kind::Other,
            };
            unsafe_libyaml::yaml_event_delete(event);
            Some(Event { line, kind })
        }
    }
}

/// An anchor's name from libyaml's NUL-terminated string.
///
/// # Safety
/// `name` is null or points to a NUL-terminated string.
unsafe fn anchor(name: *const u8) -> Option<Vec<u8>> {
    if name.is_null() {
        return None;
    }
    // SAFETY: as the caller promises.
    let name = unsafe { std::ffi::CStr::from_ptr(name.cast()) };
    Some(name.to_bytes().to_vec())
}

impl Drop for Parser<'_> {
    fn drop(&mut self) {
        if self.initialized {
            // SAFETY: frees what a successful initialize allocated, once.
            unsafe { unsafe_libyaml::yaml_parser_delete(self.parser.as_mut_ptr()) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_nesting_is_refused_with_its_line() {
        let deep = format!(
            "a: b\nextra: {}{}\n",
            "[".repeat(80_000),
            "]".repeat(80_000)
        );
        let e = check(&deep).unwrap_err();
        assert_eq!(e, "line 2: YAML nested deeper than 64 levels");
        let block = format!("extra:\n  {}x\n", "- ".repeat(100));
        assert!(check(&block).unwrap_err().contains("deeper than 64"));
        let fine = format!("extra: {}{}\n", "[".repeat(63), "]".repeat(63));
        assert_eq!(check(&fine), Ok(()));
    }

    #[test]
    fn aliases_count_what_they_repeat() {
        let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let refs = vec![format!("*a{}", i - 1); 10].join(", ");
            bomb.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        let e = check(&bomb).unwrap_err();
        assert!(e.contains("more than 2000000 elements"), "{e}");
        let text = format!(
            "s: &s {}\nl: [{}]\n",
            "x".repeat(1 << 20),
            vec!["*s"; 100].join(", ")
        );
        assert!(check(&text).unwrap_err().contains("64 MiB"));
        // Aliases nest what they repeat.
        let nested = format!(
            "a: &a {}{}\nb: {}*a{}\n",
            "[".repeat(40),
            "]".repeat(40),
            "[".repeat(30),
            "]".repeat(30)
        );
        assert!(check(&nested).unwrap_err().contains("alias `*a` nests"));
        assert_eq!(check("a: &a [1, 2]\nb: [*a, *a]\n"), Ok(()));
    }
}
