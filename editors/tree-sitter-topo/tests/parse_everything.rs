//! Parses every `.topo` file of the main crate (examples and test fixtures)
//! with the committed parser and checks the highlights query, so CI needs no
//! tree-sitter CLI.

use std::path::{Path, PathBuf};

use tree_sitter::{Node, Parser, Query, QueryCursor, StreamingIterator, Tree};

fn root() -> PathBuf {
    // editors/tree-sitter-topo -> the main crate.
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn topo_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            topo_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "topo") {
            out.push(path);
        }
    }
}

fn parser() -> Parser {
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_topo::LANGUAGE.into())
        .expect("Error loading topo parser");
    parser
}

/// Every ERROR or MISSING node, as `kind at line:column` (1-based).
fn problems(tree: &Tree) -> Vec<String> {
    fn walk(node: Node, out: &mut Vec<String>) {
        if node.is_error() || node.is_missing() {
            let p = node.start_position();
            let what = if node.is_missing() {
                format!("MISSING {}", node.kind())
            } else {
                "ERROR".to_string()
            };
            out.push(format!("{what} at {}:{}", p.row + 1, p.column + 1));
        }
        let mut cursor = node.walk();
        for child in node.children(&mut cursor) {
            walk(child, out);
        }
    }
    let mut out = Vec::new();
    walk(tree.root_node(), &mut out);
    out
}

#[test]
fn parses_every_example_and_fixture_without_errors() {
    let mut files = Vec::new();
    topo_files(&root().join("examples"), &mut files);
    let examples = files.len();
    topo_files(&root().join("tests/fixtures"), &mut files);
    assert!(examples > 0, "no .topo files under examples/");
    assert!(
        files.len() > examples,
        "no .topo files under tests/fixtures/"
    );

    let mut parser = parser();
    let mut failures = Vec::new();
    for file in &files {
        let text = std::fs::read(file).unwrap();
        let tree = parser.parse(&text, None).expect("parse returned no tree");
        let found = problems(&tree);
        if !found.is_empty() || tree.root_node().has_error() {
            failures.push(format!(
                "{}: {}\n{}\n",
                file.display(),
                found.join(", "),
                tree.root_node().to_sexp()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} files do not parse cleanly:\n\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
    println!("{} .topo files parsed without errors", files.len());
}

#[test]
fn statements_end_at_newlines_semicolons_and_braces() {
    let text = "\u{feff}site a { role primary }\r\n\r\nmodel m {\r\n  size 1U; draw 2.4A\r\n  cpu c[0..1] { cores 8 }\r\n}\r\nflow f { x -> y; rate 7GB/s }";
    let tree = parser().parse(text, None).unwrap();
    assert!(problems(&tree).is_empty(), "{}", tree.root_node().to_sexp());
    let root = tree.root_node();
    assert_eq!(root.named_child_count(), 3, "{}", root.to_sexp());
    let model = root.named_child(1).unwrap();
    let keyword = model.child_by_field_name("keyword").unwrap();
    assert_eq!(keyword.kind(), "keyword");
    assert_eq!(&text[keyword.byte_range()], "model");
    let block = model.child_by_field_name("block").unwrap();
    assert_eq!(block.named_child_count(), 3, "{}", block.to_sexp());
    assert!(root
        .to_sexp()
        .contains("(path hop: (name) (arrow) hop: (name))"));
}

#[test]
fn highlights_query_compiles_and_captures() {
    let language = tree_sitter_topo::LANGUAGE.into();
    let query = Query::new(&language, tree_sitter_topo::HIGHLIGHTS_QUERY)
        .unwrap_or_else(|e| panic!("highlights.scm does not compile: {e}"));
    for name in [
        "keyword",
        "type",
        "number",
        "type.builtin",
        "string",
        "string.escape",
        "comment",
        "operator",
    ] {
        assert!(
            query.capture_names().contains(&name),
            "highlights.scm has no @{name} capture"
        );
    }

    let text = "server web[1..2] : r650 { rack t1 at U1; draw 2.4A }  # c\nnote \"a \\\"b\\\"\"\n";
    let tree = parser().parse(text, None).unwrap();
    let mut cursor = QueryCursor::new();
    let mut captures = cursor.captures(&query, tree.root_node(), text.as_bytes());
    let mut seen = Vec::new();
    while let Some((m, index)) = captures.next() {
        let capture = m.captures()[*index];
        seen.push(format!(
            "{}={}",
            query.capture_names()[capture.index as usize],
            &text[capture.node.byte_range()]
        ));
    }
    for expected in [
        "keyword=server",
        "type=web[1..2]",
        "number=1",
        "operator=:",
        "type=r650",
        "keyword=rack",
        "number=2.4",
        "type.builtin=A",
        "comment=# c",
        "string.escape=\\\"",
    ] {
        assert!(
            seen.iter().any(|s| s == expected),
            "no {expected} among {seen:?}"
        );
    }
    // `rack t1` inside a device refers to a rack: not a declaration.
    assert!(!seen.iter().any(|s| s == "type=t1"), "{seen:?}");
}

/// One test of a corpus file: its text and the tree it must give.
struct Case {
    title: String,
    source: String,
    expected: String,
}

/// A line of three or more `ch` and nothing else (a corpus separator).
fn rule_line(line: &str, ch: char) -> bool {
    let line = line.trim_end_matches(['\r', '\n']);
    line.len() >= 3 && line.chars().all(|c| c == ch)
}

/// The cases of a corpus file, in tree-sitter's format: a title between
/// `===` lines, the source, a `---` line, the expected tree.
fn corpus_cases(text: &str) -> Vec<Case> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut cases = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if !rule_line(lines[i], '=') {
            i += 1;
            continue;
        }
        let mut title = String::new();
        i += 1;
        while i < lines.len() && !rule_line(lines[i], '=') {
            title.push_str(lines[i].trim());
            i += 1;
        }
        i += 1;
        let mut source = String::new();
        while i < lines.len() && !rule_line(lines[i], '-') {
            source.push_str(lines[i]);
            i += 1;
        }
        i += 1;
        let mut expected = String::new();
        while i < lines.len() && !rule_line(lines[i], '=') {
            expected.push_str(lines[i]);
            i += 1;
        }
        cases.push(Case {
            title,
            source,
            expected,
        });
    }
    cases
}

/// A tree with one space between tokens, none inside parentheses.
fn normalized(sexp: &str) -> String {
    sexp.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace("( ", "(")
        .replace(" )", ")")
}

/// A tree without its field names (`keyword: `): as tree-sitter's corpus
/// does, fields are compared only where the expected tree writes them.
fn without_fields(sexp: &str) -> String {
    sexp.split_whitespace()
        .filter(|token| !token.ends_with(':'))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The corpus (`test/corpus/*.txt`) runs here too, so that CI checks it
/// without the tree-sitter CLI.
#[test]
fn the_corpus_gives_its_expected_trees() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test/corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    assert!(
        files.iter().any(|f| f.ends_with("v2.txt")),
        "the corpus has version 2 cases"
    );
    let mut parser = parser();
    let mut failures = Vec::new();
    let mut count = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for case in corpus_cases(&text) {
            count += 1;
            let tree = parser.parse(&case.source, None).unwrap();
            let mut actual = normalized(&tree.root_node().to_sexp());
            let expected = normalized(&case.expected);
            if !expected.contains(": ") {
                actual = normalized(&without_fields(&actual));
            }
            if actual != expected {
                failures.push(format!(
                    "{} / {}:\n  expected {expected}\n  actual   {actual}",
                    file.file_name().unwrap().to_string_lossy(),
                    case.title
                ));
            }
        }
    }
    assert!(count > 10, "only {count} corpus cases");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The highlights of version 2's statements, parts and words.
#[test]
fn version_2_is_highlighted() {
    let language = tree_sitter_topo::LANGUAGE.into();
    let query = Query::new(&language, tree_sitter_topo::HIGHLIGHTS_QUERY).unwrap();
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("test/highlight/v2.topo"),
    )
    .unwrap();
    let tree = parser().parse(&text, None).unwrap();
    assert!(problems(&tree).is_empty(), "{}", tree.root_node().to_sexp());
    let mut cursor = QueryCursor::new();
    let mut captures = cursor.captures(&query, tree.root_node(), text.as_bytes());
    let mut seen = Vec::new();
    while let Some((m, index)) = captures.next() {
        let capture = m.captures()[*index];
        seen.push(format!(
            "{}={}",
            query.capture_names()[capture.index as usize],
            &text[capture.node.byte_range()]
        ));
    }
    for expected in [
        "keyword=power",
        "type=util-a",
        "constant.builtin=utility",
        "type.builtin=MVA",
        "type.builtin=kVA",
        "keyword=fault-domain",
        "type=stack1",
        "keyword=bridge",
        "type=plx0",
        "constant.builtin=pcie4",
        "constant.builtin=x16",
        "constant.builtin=rear",
        "constant.builtin=half",
        "constant.builtin=quorum",
        "constant.builtin=ddr5-4800",
        "type.builtin=km",
    ] {
        assert!(
            seen.iter().any(|s| s == expected),
            "no {expected} among {seen:?}"
        );
    }
    // Each property highlights only its own words: a rack named `dr` is a
    // name, not a site role.
    assert!(!seen.iter().any(|s| s == "constant.builtin=dr"), "{seen:?}");
}
