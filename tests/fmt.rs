//! The formatter: idempotent, meaning-preserving on every example and
//! fixture and on random topologies, and careful with files on disk.

use proptest::prelude::*;
use std::path::{Path, PathBuf};
use std::process::Command;
use topo::check::check_sources;
use topo::fmt::format;
use topo::source::FileId;
use topo::syntax::{self, ast::Statement};

/// A statement without positions: its items as written, and its block.
type Shape = Vec<(Vec<String>, Option<Vec<String>>)>;

/// A statement's shape without positions: its items as written and its block.
fn shape(statements: &[Statement], text: &str) -> Shape {
    statements
        .iter()
        .map(|s| {
            let items = s
                .items
                .iter()
                .map(|i| text[i.span.range()].to_string())
                .collect();
            let block = s.block.as_ref().map(|b| {
                let inner = shape(&b.statements, text);
                inner.into_iter().map(|x| format!("{x:?}")).collect()
            });
            (items, block)
        })
        .collect()
}

fn ast_shape(text: &str) -> (Shape, Vec<String>) {
    let (ast, errors) = syntax::parse(FileId(0), text);
    assert!(errors.is_empty(), "{errors:?}");
    let comments = ast
        .comments
        .iter()
        .map(|c| text[c.range()].trim_end().to_string())
        .collect();
    (shape(&ast.statements, text), comments)
}

/// The findings of a project, without positions.
fn meaning(files: &[(&str, &str)]) -> Vec<(String, String)> {
    let checked = check_sources(files);
    checked
        .diagnostics
        .iter()
        .map(|d| (d.rule.to_string(), d.message.clone()))
        .collect()
}

fn topo_files() -> Vec<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    let mut stack = vec![root.join("examples"), root.join("tests/fixtures")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "topo") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_example_and_fixture_keeps_its_meaning_and_formats_idempotently() {
    let models = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/models/dell.topo"),
    )
    .unwrap();
    let files = topo_files();
    assert!(files.len() > 50);
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let once = format(&text).unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
        assert_eq!(
            format(&once).unwrap(),
            once,
            "{} is not idempotent",
            path.display()
        );
        assert_eq!(
            ast_shape(&once),
            ast_shape(&text),
            "{} changed shape or lost a comment",
            path.display()
        );
        let name = path.file_name().unwrap().to_str().unwrap();
        let before = meaning(&[(name, &text), ("models/dell.topo", &models)]);
        let after = meaning(&[(name, &once), ("models/dell.topo", &models)]);
        assert_eq!(before, after, "{} changed meaning", path.display());
    }
}

#[test]
fn examples_and_fixtures_are_formatted() {
    for path in topo_files() {
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            format(&text).unwrap(),
            text,
            "{} is not formatted: run `topo fmt` on it",
            path.display()
        );
    }
}

// ---- random topologies -------------------------------------------------------

fn name() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9]{0,5}(-[a-z0-9]{1,3})?"
}

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        name(),
        (
            1u32..500,
            prop::sample::select(vec![
                "U", "A", "kW", "kg", "lb", "GbE", "GB/s", "Mb/s", "rps", "%", "m", "GB"
            ])
        )
            .prop_map(|(n, u)| format!("{n}{u}")),
        (0u32..50).prop_map(|n| n.to_string()),
        (name(), 1u32..5, 5u32..20).prop_map(|(n, a, b)| format!("{n}[{a}..{b}]")),
        name().prop_map(|n| format!("\"{n} v1\"")),
        Just("U12".to_string()),
    ]
}

fn gap() -> impl Strategy<Value = String> {
    prop::sample::select(vec![" ", "  ", "\t", " \t "]).prop_map(str::to_string)
}

fn comment() -> impl Strategy<Value = String> {
    prop::option::of(name().prop_map(|n| format!("# {n} note")))
        .prop_map(|c| c.map_or(String::new(), |c| format!(" {c}")))
}

/// A statement: keyword, values, maybe a block of properties.
fn statement(depth: u32) -> BoxedStrategy<String> {
    let simple = (name(), prop::collection::vec((gap(), value()), 0..4)).prop_map(|(k, vs)| {
        let mut s = k;
        for (g, v) in vs {
            s.push_str(&g);
            s.push_str(&v);
        }
        s
    });
    if depth == 0 {
        return simple.boxed();
    }
    (
        simple,
        prop::option::of((
            prop::collection::vec((statement(depth - 1), comment()), 0..4),
            any::<bool>(),
        )),
    )
        .prop_map(|(head, block)| match block {
            None => head,
            Some((inner, one_line)) if one_line => {
                let parts: Vec<String> = inner.into_iter().map(|(s, _)| s).collect();
                format!("{head} {{ {} }}", parts.join("; "))
            }
            Some((inner, _)) => {
                let mut s = format!("{head} {{\n");
                for (st, c) in inner {
                    s.push_str(&format!("    {st}{c}\n\n"));
                }
                s.push('}');
                s
            }
        })
        .boxed()
}

fn file() -> impl Strategy<Value = String> {
    prop::collection::vec(
        (
            statement(2),
            comment(),
            prop::sample::select(vec!["\n", "\n\n", "\n\n\n", ";"]),
        ),
        1..8,
    )
    .prop_map(|parts| {
        let mut s = String::new();
        for (st, c, sep) in parts {
            s.push_str(&st);
            if sep == ";" && c.is_empty() {
                s.push_str("; ");
            } else {
                s.push_str(&c);
                s.push('\n');
            }
        }
        s
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn random_topologies_round_trip(text in file()) {
        let (_, errors) = syntax::parse(FileId(0), &text);
        prop_assume!(errors.is_empty());
        let once = format(&text).unwrap();
        prop_assert_eq!(format(&once).unwrap(), once.clone());
        prop_assert_eq!(ast_shape(&once), ast_shape(&text));
    }
}

// ---- the command line -----------------------------------------------------------

fn topo(args: &[&str], stdin: Option<&str>) -> std::process::Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_topo"));
    cmd.args(args).env("NO_COLOR", "1");
    if let Some(input) = stdin {
        use std::io::Write;
        cmd.stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        return child.wait_with_output().unwrap();
    }
    cmd.output().unwrap()
}

fn scratch(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("topo-fmt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn check_shows_a_diff_and_exits_1_without_writing() {
    let path = scratch("messy.topo", "site   a{role primary}\n");
    let out = topo(&["fmt", "--check", path.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    let diff = String::from_utf8(out.stdout).unwrap();
    assert!(
        diff.contains("-site   a{role primary}") && diff.contains("+site a { role primary }"),
        "{diff}"
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "site   a{role primary}\n"
    );
    let tidy = scratch("tidy.topo", "site a { role primary }\n");
    assert_eq!(
        topo(&["fmt", "--check", tidy.to_str().unwrap()], None)
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn fmt_writes_in_place_and_keeps_permissions() {
    let path = scratch("write.topo", "site   a\n");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    }
    let out = topo(&["fmt", path.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "site a\n");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o640
        );
    }
    let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "no temporary file is left behind");
}

#[test]
fn fmt_refuses_a_file_with_syntax_errors() {
    let text = "site a, b\nrack   r\n";
    let path = scratch("broken.topo", text);
    let out = topo(&["fmt", path.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("has syntax errors; it was not formatted"));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        text,
        "the file is untouched"
    );
}

#[test]
fn fmt_reads_stdin_and_writes_stdout() {
    let out = topo(&["fmt", "-"], Some("rack  r1 {height 42U;site s}\n"));
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "rack r1 { height 42U; site s }\n"
    );
    let bad = topo(&["fmt", "-"], Some("rack {\n"));
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        bad.stdout.is_empty(),
        "nothing is written for a file that does not parse"
    );
    assert!(Path::new(env!("CARGO_BIN_EXE_topo")).exists());
}
