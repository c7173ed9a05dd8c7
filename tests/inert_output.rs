//! Output is well-formed and inert whatever the input holds: a file name
//! cannot start a GitHub workflow command, escapes from comments and
//! strings never reach the terminal, SVG parses as XML, and Graphviz
//! accepts the DOT.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("topo-inert-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn topo(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_topo"))
        .current_dir(cwd)
        .args(args)
        .output()
        .expect("topo runs")
}

/// Graphviz writes a DOCTYPE; nothing else needs one.
fn parse_xml(text: &str) -> Result<roxmltree::Document<'_>, roxmltree::Error> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    roxmltree::Document::parse_with_options(text, options)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("output is UTF-8")
}

/// Bytes that must not reach a terminal raw: ESC, BEL, the C1 CSI and
/// NEL, a bidirectional override.
fn assert_inert(what: &str, bytes: &[u8]) {
    let out = text(bytes);
    for (bad, name) in [
        ('\x1b', "ESC"),
        ('\x07', "BEL"),
        ('\u{9b}', "CSI"),
        ('\u{85}', "NEL"),
        ('\u{202e}', "RLO"),
    ] {
        assert!(!out.contains(bad), "{what}: a raw {name} in\n{out}");
    }
}

const NAME: &str = "a\n::error file=x,line=1::pwned.topo";

/// A file whose name holds a newline and a workflow command, with one
/// error: only `--format github` prints `::error` lines, one per finding,
/// with the name encoded.
#[test]
fn a_file_name_cannot_start_a_workflow_command() {
    let d = dir("name");
    std::fs::write(d.join(NAME), "site dc\nfrobnicate x\n").unwrap();
    let human = topo(&d, &["check", "--", NAME]);
    assert_eq!(human.status.code(), Some(1), "{human:?}");
    let out = text(&human.stdout) + &text(&human.stderr);
    for line in out.lines() {
        assert!(
            !line.trim_start().starts_with("::"),
            "a command line:\n{out}"
        );
    }
    assert!(
        out.contains("a\\n::error file=x,line=1::pwned.topo:2:1"),
        "{out}"
    );

    let github = topo(&d, &["check", "--format", "github", "--", NAME]);
    assert_eq!(github.status.code(), Some(1), "{github:?}");
    let out = text(&github.stdout);
    let commands: Vec<&str> = out
        .lines()
        .filter(|l| l.trim_start().starts_with("::"))
        .collect();
    assert_eq!(commands.len(), out.lines().count(), "{out}");
    assert_eq!(
        commands,
        ["::error file=a%0A%3A%3Aerror file=x%2Cline=1%3A%3Apwned.topo,line=2,col=1,endLine=2,endColumn=11,title=syntax::unknown keyword `frobnicate`"]
    );
}

const ESCAPES: &str = "site dc # \x1b]0;title\x07 and \x1b[2J and \u{9b}2J and \u{202e}evil
rack r1 { site dc; bogus 3 }
client pos { software pos-terminal \"\x1b]0;pwned\x07\x1b[2J\u{85}\" }
";

/// OSC and CSI sequences in a comment and a string are drawn in code
/// frames and echoed in messages: no ESC, BEL or C1 byte comes out.
#[test]
fn terminal_escapes_from_a_file_do_not_reach_the_terminal() {
    let d = dir("escapes");
    std::fs::write(d.join("esc.topo"), ESCAPES).unwrap();
    let human = topo(&d, &["check", "esc.topo"]);
    assert_eq!(human.status.code(), Some(1), "{human:?}");
    assert_inert("human", &human.stdout);
    assert_inert("human stderr", &human.stderr);
    let out = text(&human.stdout);
    // The lines are drawn, with each control character as one `?` (or
    // `¿` for a two-byte one), so the labels still line up.
    assert!(
        out.contains("site dc # ?]0;title? and ?[2J and ¿2J and \u{fffd}evil"),
        "{out}"
    );
    assert!(out.contains("unknown property `bogus`"), "{out}");

    for format in ["github", "json", "sarif"] {
        let report = topo(&d, &["check", "--format", format, "esc.topo"]);
        assert_eq!(report.status.code(), Some(1), "{format}: {report:?}");
        assert!(!report.stdout.contains(&0x1b), "{format}: raw ESC");
        assert!(!report.stdout.contains(&0x07), "{format}: raw BEL");
    }
}

/// Every C0 control that a string can hold (all but NUL, which makes a
/// file binary, and line breaks, which end a string), DEL, C1 and the
/// non-characters, in a string that the system view draws.
fn weird_text() -> String {
    let mut s: String = (1u8..0x20)
        .filter(|c| *c != b'\n' && *c != b'\r')
        .map(char::from)
        .collect();
    s.push_str("\x7f\u{85}\u{9b}\u{fffe}\u{ffff}\u{fdd0}\u{fdef}\u{1fffe}\u{10ffff}<&>' \\\" \\\\ \\\\N &#1; &amp;");
    s
}

fn weird_project(d: &Path) -> PathBuf {
    let path = d.join("weird.topo");
    std::fs::write(
        &path,
        format!(
            "site dc
rack r1 {{ site dc }}
server web {{ rack r1 at U1; size 1U; draw 100W }}
service shop on web
client pos {{ software pos-terminal \"{}\" }}
flow buy {{ pos -> shop }}
",
            weird_text()
        ),
    )
    .unwrap();
    path
}

#[test]
fn svg_is_well_formed_whatever_strings_hold() {
    let d = dir("svg");
    weird_project(&d);
    for view in ["system", "rack"] {
        let out = topo(&d, &["render", "--view", view, "weird.topo"]);
        assert_eq!(out.status.code(), Some(0), "{view}: {out:?}");
        let svg = text(&out.stdout);
        let doc = roxmltree::Document::parse(&svg)
            .unwrap_or_else(|e| panic!("{view}: not well-formed: {e}"));
        if view == "system" {
            let shown = doc
                .descendants()
                .filter_map(|n| n.text())
                .find(|t| t.starts_with("installed: "))
                .expect("the software is drawn");
            // Controls as their pictures (tab kept), DEL `␡`, C1 and the
            // eight non-characters U+FFFD; markup and escapes literal.
            let expected = format!(
                "installed: pos-terminal \u{2401}\u{2402}\u{2403}\u{2404}\u{2405}\u{2406}\u{2407}\u{2408}\t\
                 \u{240b}\u{240c}\u{240e}\u{240f}\u{2410}\u{2411}\u{2412}\u{2413}\u{2414}\u{2415}\
                 \u{2416}\u{2417}\u{2418}\u{2419}\u{241a}\u{241b}\u{241c}\u{241d}\u{241e}\u{241f}\
                 \u{2421}{}<&>' \" \\ \\N &#1; &amp;",
                "\u{fffd}".repeat(8)
            );
            assert_eq!(shown, expected);
            assert!(!shown.contains(['\u{fffe}', '\u{ffff}', '\u{fdd0}', '\u{1b}']));
        }
    }
}

/// Runs Graphviz on a DOT text; None when `dot` is not installed.
fn graphviz(dot: &str) -> Option<Output> {
    let mut child = match Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(e) => {
            eprintln!("skipped: Graphviz `dot` cannot run here ({e}); CI installs it");
            return None;
        }
    };
    let mut input = child.stdin.take().unwrap();
    let dot = dot.to_string();
    let writer = std::thread::spawn(move || input.write_all(dot.as_bytes()));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    Some(out)
}

#[test]
fn graphviz_accepts_the_dot_whatever_strings_hold() {
    let d = dir("dot");
    weird_project(&d);
    for view in ["system", "rack"] {
        let out = topo(
            &d,
            &["render", "--view", view, "--format", "dot", "weird.topo"],
        );
        assert_eq!(out.status.code(), Some(0), "{view}: {out:?}");
        let Some(svg) = graphviz(&text(&out.stdout)) else {
            return;
        };
        assert!(svg.status.success(), "{view}: {}", text(&svg.stderr));
        parse_xml(&text(&svg.stdout))
            .unwrap_or_else(|e| panic!("{view}: Graphviz's SVG is not well-formed: {e}"));
    }
}

/// The language refuses long names, so shortening is checked where DOT is
/// written: a 2,000-character name, quotes, backslashes (a trailing one,
/// Graphviz's `\N`), line breaks and controls as node names and labels.
#[test]
fn dot_strings_are_accepted_by_graphviz_and_keep_names_distinct() {
    use topo::render::{dot_string, MAX_DOT_TEXT};
    let long = "n".repeat(2000);
    let names = [
        format!("{long}a"),
        format!("{long}b"),
        "say \"hi\"".to_string(),
        "back\\slash\\".to_string(),
        "\\N\\G\\L".to_string(),
        "two\nlines".to_string(),
        "\x01\x1b[2J\u{fffe}&#1;".to_string(),
        "\"".to_string(),
        "\\".to_string(),
    ];
    let mut dot = String::from("digraph g {\n");
    for name in &names {
        let id = dot_string(name);
        assert!(id.chars().count() <= MAX_DOT_TEXT + 2 + 8, "{id}");
        dot.push_str(&format!("  {id} [label={id}];\n"));
    }
    dot.push_str("}\n");
    let Some(svg) = graphviz(&dot) else {
        return;
    };
    assert!(svg.status.success(), "{}\n{dot}", text(&svg.stderr));
    let svg = text(&svg.stdout);
    let doc = parse_xml(&svg).expect("Graphviz's SVG is well-formed");
    let nodes = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("node"))
        .count();
    assert_eq!(nodes, names.len(), "distinct names stay distinct nodes");
    assert!(svg.contains("say &quot;hi&quot;"), "{svg}");
    assert!(svg.contains("back\\slash\\"), "{svg}");
    assert!(
        svg.contains("\\N\\G\\L"),
        "labels keep `\\N` literal: {svg}"
    );
}

/// Two labels 900 lines apart are drawn as two short frames, not
/// as one frame of every line between them (which made the output of many
/// such findings grow with the square of the file).
#[test]
fn code_frames_draw_only_the_lines_around_labels() {
    let d = dir("frames");
    let filler = |n: usize| "# filler\n".repeat(n);
    let source = format!("{}site dc\n{}site dc\n", filler(1000), filler(900));
    std::fs::write(d.join("far.topo"), source).unwrap();
    let out = topo(&d, &["check", "far.topo"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let out = text(&out.stdout);
    assert!(out.contains("declared twice"), "{out}");
    assert_eq!(out.matches("# filler").count(), 3, "{out}");
}
