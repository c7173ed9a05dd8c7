//! `allow RULE` written in an element's declaration silences every finding
//! of that rule about that element, whichever analyzer reports it: for
//! every finding of every rule's `fires.topo` whose subject is a declared
//! element, the allow is inserted into that element's block and the
//! finding must be gone (and the allow not reported as unused).

use std::path::PathBuf;
use topo::check::{check_sources, Checked};
use topo::diagnostic::Diagnostic;

/// Findings about the language itself are not a design decision to accept.
const LANGUAGE: &[&str] = &[
    "syntax",
    "unknown-name",
    "duplicate-name",
    "invalid-value",
    "unit-mismatch",
    "unused-allow",
];

fn key(d: &Diagnostic) -> (String, Option<String>, String) {
    (d.rule.to_string(), d.subject.clone(), d.message.clone())
}

/// `text` with `allow RULE` added to the block of the statement that
/// starts at `at` (or a block added when it has none).
fn with_allow(text: &str, at: usize, rule: &str) -> Option<String> {
    let rest = &text[at..];
    let stop = rest.find(['{', '\n', ';', '}']).unwrap_or(rest.len());
    if rest[stop..].starts_with('{') {
        let open = at + stop;
        let mut depth = 0usize;
        for (i, c) in text[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        let close = open + i;
                        return Some(format!(
                            "{}\n  allow {rule}\n{}",
                            &text[..close],
                            &text[close..]
                        ));
                    }
                }
                _ => {}
            }
        }
        None
    } else {
        let end = at + stop;
        Some(format!(
            "{} {{ allow {rule} }}{}",
            &text[..end],
            &text[end..]
        ))
    }
}

fn check(text: &str) -> Checked {
    check_sources(&[("fires.topo", text)])
}

#[test]
fn an_allow_in_the_element_a_finding_is_about_silences_it() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    let mut tried = 0;
    for dir in dirs {
        let fires = dir.join("fires.topo");
        let Ok(text) = std::fs::read_to_string(&fires) else {
            continue;
        };
        if text.contains("include ") {
            println!("{} not tried: it includes other files", fires.display());
            continue;
        }
        let before = check(&text);
        for d in &before.diagnostics {
            if LANGUAGE.contains(&d.rule) {
                continue;
            }
            let Some(element) = d.subject.as_deref().and_then(|s| before.project.element(s)) else {
                continue;
            };
            let span = before.project.span_of(element);
            // The statement starts at the line of the element's name.
            let line_start = text[..span.start as usize].rfind('\n').map_or(0, |i| i + 1);
            let Some(changed) = with_allow(&text, line_start, d.rule) else {
                panic!("{}: no block end for {:?}", fires.display(), d.subject);
            };
            let after = check(&changed);
            let language: Vec<&Diagnostic> = after
                .diagnostics
                .iter()
                .filter(|a| a.rule == "syntax" || a.rule == "unknown-name")
                .collect();
            assert!(
                language.is_empty(),
                "{}: inserting broke the file:\n{changed}\n{language:?}",
                fires.display()
            );
            assert!(
                !after.diagnostics.iter().any(|a| key(a) == key(d)),
                "{}: `allow {}` in `{}` did not silence: {}\n{changed}",
                fires.display(),
                d.rule,
                d.subject.as_deref().unwrap_or(""),
                d.message
            );
            assert!(
                !after.diagnostics.iter().any(|a| a.rule == "unused-allow"
                    && a.message.contains(&format!("`allow {}`", d.rule))
                    && !before.diagnostics.iter().any(|b| key(b) == key(a))),
                "{}: `allow {}` in `{}` reported as unused",
                fires.display(),
                d.rule,
                d.subject.as_deref().unwrap_or("")
            );
            tried += 1;
        }
    }
    assert!(tried >= 60, "only {tried} findings tried");
    println!("{tried} findings silenced by an allow in their element");
}
