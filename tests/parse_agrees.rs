//! The hand-written recogniser of clean statements and the pest grammar
//! build the same syntax tree and report the same errors: over every file
//! in the repository, a generated data centre, and random input made of the
//! grammar's own tricky pieces.

use proptest::prelude::*;
use std::path::{Path, PathBuf};
use topo::source::FileId;
use topo::syntax::{parse, parse_by_grammar};

/// Both parsers on `text`; panics with the first difference.
fn assert_agree(text: &str, what: &str) {
    let (fast, fast_errors) = parse(FileId(0), text);
    let (pest, pest_errors) = parse_by_grammar(FileId(0), text);
    assert_eq!(fast.comments, pest.comments, "comments of {what}");
    assert_eq!(
        fast.statements.len(),
        pest.statements.len(),
        "number of statements of {what}"
    );
    for (f, p) in fast.statements.iter().zip(&pest.statements) {
        assert_eq!(f, p, "a statement of {what}: {:?}", &text[p.span.range()]);
    }
    assert_eq!(
        format!("{fast_errors:?}"),
        format!("{pest_errors:?}"),
        "errors of {what}"
    );
}

fn topo_files(dir: &Path, into: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            topo_files(&path, into);
        } else if path.extension().is_some_and(|e| e == "topo") {
            into.push(path);
        }
    }
}

#[test]
fn every_file_in_the_repository_parses_alike() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["examples", "tests", "src", "docs", "editors"] {
        topo_files(&root.join(dir), &mut files);
    }
    assert!(files.len() > 100, "found only {} .topo files", files.len());
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        assert_agree(&text, &file.display().to_string());
    }
}

#[test]
fn a_generated_data_centre_parses_alike() {
    let text = topo::generate::data_centre(30);
    assert_agree(&text, "a generated data centre of 30 racks");
}

#[test]
fn edge_cases_of_the_grammar_parse_alike() {
    for text in [
        // Clean: the recogniser builds these itself.
        "link a->b c-->d",
        "x 1e5 2.5e3W 1E-3 4e+2kg 1e400W 1e 1eW 1.5eW",
        "x 1_000 1x 30A1 -5 -5V -> : a:b",
        "x web[01..12]x.nic[1..2] a.b.c _a-b_",
        "x \"a\\\"b\\\\c\" \"\" \"é ü\"",
        "x 5µs 5µ 7GB/s 25% 1%a",
        "rack r {\r\n\r\n  height 42U\r\n  feeds a b\r\n}\r\n",
        "rack r { a { b { c } } ; d }",
        "rack r {\n a\n b }\n# end",
        "rack r { a } ; ;",
        "x #c\ny",
        "x\r",
        "rack r # c { not a block\n",
        "rack r{a}",
        // Not clean: pest parses these and says what is wrong.
        "x 2.5.3",
        "x 1e+",
        "x --5",
        "x - > f",
        "x a. b",
        "x a.[",
        "x a[1..]",
        "x a[..2]",
        "x a[1.2]",
        "x a[1..2",
        "x 7GB/",
        "x 7GB/1",
        "x 5%%",
        "x \"bad\\n\"",
        "x \"open",
        "rack r { height 42U } tail",
        "rack r { { } }",
        "x é",
        "\u{FEFF}site a",
        "x a\u{0c}b",
        "x a,b",
        "x a=b",
        "x {",
        "x }",
        "x\ry",
    ] {
        assert_agree(text, &format!("{text:?}"));
    }
}

/// Pieces that sit on the edges of the grammar's rules.
const PIECES: &[&str] = &[
    "a", "_x", "web", "r0001-s", "x-", "-", "->", ">", ":", ".", "..", "[", "]", "1", "01", "12",
    "-5", "1.5", "e", "E", "+", "e-3", "µ", "%", "/", "s", "GbE", "\"", "\\", "\\\"", "#c", " ",
    "\t", "\n", "\r", "\r\n", ";", "{", "}", "é", ",", "=", "rack", "{ a }", "[1..4]", "\u{0c}",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn random_pieces_parse_alike(pieces in proptest::collection::vec(0..PIECES.len(), 0..40)) {
        let text: String = pieces.iter().map(|&i| PIECES[i]).collect();
        assert_agree(&text, &format!("{text:?}"));
    }

    #[test]
    fn statements_of_random_pieces_parse_alike(
        lines in proptest::collection::vec(
            proptest::collection::vec(0..PIECES.len(), 1..8), 1..6)
    ) {
        let mut text = String::new();
        for line in &lines {
            text.push_str("x ");
            for &i in line {
                text.push_str(PIECES[i]);
                text.push(' ');
            }
            text.push('\n');
        }
        assert_agree(&text, &format!("{text:?}"));
    }
}
