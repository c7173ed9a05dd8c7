//! The user's reference inside the repository: `docs/reference.md` and
//! `docs/rules.md` are generated and kept current, name everything the
//! language has, link only files of the repository; `topo explain` explains
//! statements, parts and properties as well as rules; `topo docs` prints
//! and writes the documents.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use topo::analyze::RULES;
use topo::model::schema::{self, kinds};

fn topo(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_topo"))
        .args(args)
        .output()
        .expect("run topo")
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("UTF-8")
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).expect("UTF-8")
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

// ---------------------------------------------------------------------------
// The generated documents
// ---------------------------------------------------------------------------

#[test]
fn committed_documents_are_the_generated_ones() {
    let mut stale = Vec::new();
    for (name, generated) in topo::docs::files() {
        let path = root().join("docs").join(name);
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        if committed == generated {
            continue;
        }
        let first_difference = committed
            .lines()
            .zip(generated.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| committed.lines().count().min(generated.lines().count()));
        stale.push(format!(
            "docs/{name} (first difference at line {})",
            first_difference + 1
        ));
    }
    assert!(
        stale.is_empty(),
        "out of date: {}; run `{}` to update them",
        stale.join(", "),
        topo::docs::UPDATE_COMMAND
    );
}

fn code(text: &str) -> String {
    format!("`{text}`")
}

#[test]
fn the_reference_names_every_statement_part_and_property() {
    let text = topo::docs::reference();
    for kind in kinds() {
        assert!(
            text.contains(&format!("### {}\n", code(kind.keyword)))
                || text.contains(&format!("| {} |", code(kind.keyword))),
            "{} has no entry",
            kind.keyword
        );
        assert!(text.contains(kind.example), "{}: example", kind.keyword);
        for p in kind.properties {
            let row = format!("| {} | ", code(p.name));
            assert!(
                text.contains(&row),
                "{}.{} has no row",
                kind.keyword,
                p.name
            );
            assert!(
                text.contains(p.summary),
                "{}.{}: summary",
                kind.keyword,
                p.name
            );
        }
    }
    for rule in RULES {
        assert!(
            text.contains(&format!("[{}](rules.md#{})", code(rule.name), rule.name)),
            "{} is not in the rules table",
            rule.name
        );
    }
}

#[test]
fn every_device_kind_row_and_every_part_heading_is_there() {
    let text = topo::docs::reference();
    for kind in schema::DEVICE_KINDS {
        assert!(
            text.contains(&format!("| {} | {} |", code(kind.keyword), kind.summary)),
            "{}",
            kind.keyword
        );
    }
    for kind in schema::PARTS.iter().chain(schema::BLOCKS) {
        assert!(
            text.contains(&format!("### {}\n\n{}", code(kind.keyword), kind.summary)),
            "{}",
            kind.keyword
        );
    }
}

#[test]
fn the_reference_lists_every_unit_and_preset() {
    let text = topo::docs::reference();
    for symbol in topo::model::units::unit_symbols() {
        assert!(text.contains(&code(symbol)), "unit {symbol}");
    }
    for preset in topo::model::presets::bus_presets() {
        assert!(
            text.contains(&format!(
                "| {} | {} |",
                code(preset.name),
                preset.describe()
            )),
            "preset {}",
            preset.name
        );
    }
    // Real figures, as the preset table computes them.
    for figure in [
        "984.6 MB/s per lane; x32 = 31.51 GB/s",
        "| `dmi3` | DMI 3.0, x4 (or x8) at 8 GT/s per lane, 128b/130b | `dmi3 [xN]`, N = 4, 8 (default 4) | 984.6 MB/s per lane; x4 = 3.938 GB/s (default); x8 = 7.877 GB/s |",
        "| `fc10` | Fibre Channel 10GFC, 1.20 GB/s per port | `fc10` | 1.2 GB/s |",
        "20.8 GB/s at 10.4GT/s",
        "| `ddr5-4800` | DDR5-4800, 4800 MT/s, 2 × 32-bit subchannels | 38.4 GB/s |",
        "`lb` = 0.45359237 kg",
        "`GiB` = 2³⁰ B",
        "`m` = 60 s",
        "`kVA` = 1000 VA",
        "`mi` = 1.609344 km",
    ] {
        assert!(text.contains(figure), "{figure}");
    }
}

#[test]
fn the_rules_document_holds_every_rule_in_table_order() {
    let text = topo::docs::rules();
    let mut from = 0;
    for rule in RULES {
        let heading = format!(
            "## `{}`\n\n**Default severity:** {}.",
            rule.name, rule.severity
        );
        let at = text[from..]
            .find(&heading)
            .unwrap_or_else(|| panic!("{} missing or out of order", rule.name));
        from += at + heading.len();
        // The documentation itself, one heading level down.
        let first_paragraph = rule
            .doc
            .lines()
            .find(|l| !l.is_empty() && !l.starts_with('#'))
            .expect("a rule's doc has text");
        assert!(text[from..].contains(first_paragraph), "{}", rule.name);
        assert!(
            !text.contains("\n## What it checks"),
            "headings are demoted"
        );
    }
}

/// `C1`..`C11`, `P1`..`P11`, `T1`..`T9` standing alone.
fn seed_ids(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    for (i, &b) in bytes.iter().enumerate() {
        if !matches!(b, b'C' | b'P' | b'T') {
            continue;
        }
        if i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'-') {
            continue;
        }
        let digits: String = text[i + 1..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        let after = text[i + 1 + digits.len()..].chars().next();
        if digits.is_empty() || after.is_some_and(|c| c.is_alphanumeric() || c == '-') {
            continue;
        }
        let n: u32 = digits.parse().unwrap_or(0);
        let max = if b == b'T' { 9 } else { 11 };
        if (1..=max).contains(&n) && !digits.starts_with('0') {
            found.push(format!("{}{digits}", b as char));
        }
    }
    found
}

#[test]
fn user_documents_cite_no_seed_ids_and_no_contract() {
    assert_eq!(
        seed_ids("the C1 idea, T5 and P11; not C621, T1a, x-T1"),
        ["C1", "T5", "P11"]
    );
    let mut documents = vec![root().join("README.md")];
    documents.extend(markdown_in(&root().join("docs")));
    for path in documents {
        let text = read(&path);
        let name = path.display();
        assert_eq!(seed_ids(&text), Vec::<String>::new(), "{name}");
        for word in [
            "../shared",
            "LANGUAGE.md",
            "hardware-facts",
            "seed-concepts",
        ] {
            assert!(!text.contains(word), "{name} mentions {word}");
        }
    }
    for generated in [topo::docs::reference(), topo::docs::rules()] {
        assert!(!generated.contains(" v2"), "no version labels for users");
    }
}

/// A clone stands alone: no source, grammar, example, fixture or editor file
/// points a reader at the contract the project was written against.
#[test]
fn the_repository_names_no_document_outside_it() {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries {
            let path = entry.expect("entry").path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if ["node_modules", "target", "corpus"].contains(&name) || name.starts_with('.') {
                continue;
            }
            if path.is_dir() {
                walk(&path, out);
            } else if std::fs::read_to_string(&path).is_ok() {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    for dir in [
        "src",
        "grammar",
        "examples",
        "editors",
        "tests/fixtures",
        "benches",
    ] {
        walk(&root().join(dir), &mut files);
    }
    assert!(files.len() > 100, "walked only {} files", files.len());
    let mut cited = Vec::new();
    for path in files {
        let text = read(&path);
        for word in [
            "LANGUAGE.md",
            "hardware-facts",
            "seed-concepts",
            "../shared",
        ] {
            if text.contains(word) {
                cited.push(format!("{} mentions {word}", path.display()));
            }
        }
    }
    assert!(cited.is_empty(), "{}", cited.join("\n"));
}

// ---------------------------------------------------------------------------
// Links
// ---------------------------------------------------------------------------

fn markdown_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("docs/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    files
}

/// The text outside code fences and inline code, where links are links.
fn prose(text: &str) -> String {
    let mut out = String::new();
    let mut fenced = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        let mut in_code = false;
        for c in line.chars() {
            if c == '`' {
                in_code = !in_code;
            } else if !in_code {
                out.push(c);
            }
        }
        out.push('\n');
    }
    out
}

/// Every `[text](target)` and `![alt](target)` of a Markdown text.
fn links(text: &str) -> Vec<String> {
    let prose = prose(text);
    let mut found = Vec::new();
    let mut rest = prose.as_str();
    while let Some(at) = rest.find("](") {
        rest = &rest[at + 2..];
        if let Some(end) = rest.find(')') {
            found.push(rest[..end].trim().to_string());
            rest = &rest[end..];
        }
    }
    found
}

/// The anchors GitHub gives the headings of a Markdown text, with `-1`,
/// `-2` … after repeated ones.
fn anchors(text: &str) -> HashSet<String> {
    let mut seen = HashSet::new();
    let mut fenced = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        }
        if fenced || !line.starts_with('#') {
            continue;
        }
        let heading = line.trim_start_matches('#').trim();
        let base = topo::docs::anchor(heading);
        let mut anchor = base.clone();
        let mut n = 0;
        while !seen.insert(anchor.clone()) {
            n += 1;
            anchor = format!("{base}-{n}");
        }
    }
    seen
}

#[test]
fn links_are_found_outside_code() {
    let text = "See [a](docs/a.md) and ![b](b.svg).\n```\n[c](nowhere)\n```\n`[d](x)`";
    assert_eq!(links(text), ["docs/a.md", "b.svg"]);
    let headings = "# Top\n## `max-weight`\n## Top\n```\n# comment\n```\n";
    let found = anchors(headings);
    for anchor in ["top", "max-weight", "top-1"] {
        assert!(found.contains(anchor), "{anchor}");
    }
    assert!(!found.contains("comment"));
}

#[test]
fn every_relative_link_resolves_to_a_file_in_the_repository() {
    let repo = root().canonicalize().expect("repository root");
    let mut documents = vec![repo.join("README.md")];
    documents.extend(markdown_in(&repo.join("docs")));
    let mut checked = 0;
    for document in &documents {
        let text = read(document);
        for link in links(&text) {
            if link.contains("://") || link.starts_with("mailto:") {
                continue;
            }
            let (path, fragment) = link.split_once('#').unwrap_or((&link, ""));
            let target = if path.is_empty() {
                document.clone()
            } else {
                let joined = document.parent().expect("a directory").join(path);
                joined
                    .canonicalize()
                    .unwrap_or_else(|_| panic!("{}: `{link}` names no file", document.display()))
            };
            assert!(
                target.starts_with(&repo) && target.is_file(),
                "{}: `{link}` is not a file of the repository",
                document.display()
            );
            if !fragment.is_empty() && target.extension().is_some_and(|e| e == "md") {
                assert!(
                    anchors(&read(&target)).contains(fragment),
                    "{}: `{link}`: no heading `{fragment}` in {}",
                    document.display(),
                    target.display()
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} links found");
}

// ---------------------------------------------------------------------------
// The README
// ---------------------------------------------------------------------------

#[test]
fn the_readme_points_to_the_reference_and_names_every_statement() {
    let readme = read(&root().join("README.md"));
    for target in ["](docs/reference.md)", "](docs/rules.md)"] {
        assert!(readme.contains(target), "README links {target}");
    }
    for keyword in schema::top_level_keywords() {
        assert!(readme.contains(&code(keyword)), "README names `{keyword}`");
    }
    let setup = readme
        .split("## Set-up")
        .nth(1)
        .and_then(|s| s.split("```sh\n").nth(1))
        .and_then(|s| s.split("```").next())
        .expect("a Set-up section with a sh block");
    let commands: Vec<&str> = setup
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(
        commands,
        [
            "cargo run --release -- check examples/webshop.topo",
            "cargo test"
        ]
    );
}

// ---------------------------------------------------------------------------
// topo explain
// ---------------------------------------------------------------------------

#[test]
fn explain_prints_a_property() {
    let out = topo(&["explain", "max-weight"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "# max-weight (property of rack)\n\
         \n    max-weight MASS\n\
         \nThe rack's static load rating.\n\
         \nUnits:    kg, g, lb, t\
         \nExample:  max-weight 1000kg\n"
    );
    let dotted = topo(&["explain", "rack.max-weight"]);
    assert_eq!(dotted.status.code(), Some(0));
    assert_eq!(stdout(&dotted), stdout(&out));
}

#[test]
fn explain_prints_a_statement_with_its_properties() {
    let out = topo(&["explain", "rack"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let rack = schema::top_level("rack").expect("rack");
    assert!(text.starts_with(&format!(
        "# rack (statement)\n\n{}\n\nForm:     rack NAME {{ … }}\nExample:  {}\n\n",
        rack.summary, rack.example
    )));
    // What a rack means, wrapped for a terminal, before its properties.
    assert!(text.contains("\nA rack is checked against two limits, both in VA"));
    assert!(text.lines().all(|l| l.chars().count() <= 120), "{text}");
    assert!(text.contains("\n## Properties\n\nsite SITE\n"));
    for p in rack.properties {
        assert!(
            text.contains(&format!("\n    Example: {}\n", p.example)),
            "{}",
            p.name
        );
    }
    assert!(text.contains(
        "height RACK-UNITS\n    The rack's height in rack units. Default: 42U.\n    Example: height 42U\n"
    ));
    // `rack` is also where a device is mounted.
    assert!(text.contains("## `rack` is also a property\n\nrack RACK at U<n> [front|rear]  (in server, switch, router, firewall, lb, storage, pdu, device)\n"));
}

#[test]
fn a_word_that_is_a_statement_and_a_property_prints_both() {
    let out = topo(&["explain", "site"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(text.starts_with("# site (statement)\n"));
    assert!(text.contains("\n## `site` is also a property\n\nsite SITE  (in feed, power, rack)\n    The site this element stands in.\n"));
    assert!(text.contains(
        "site SITE  (in server, switch, router, firewall, lb, storage, pdu, device)\n    The site of a device in no rack.\n"
    ));
    let memory = stdout(&topo(&["explain", "memory"]));
    assert!(memory.starts_with("# memory (nested block)\n"));
    assert!(memory.contains("memory PRESET { … } | SIZE  (in cpu)\n"));
}

#[test]
fn explain_prints_device_kinds_and_parts() {
    let server = stdout(&topo(&["explain", "server"]));
    assert!(server.starts_with("# server (device kind)\n"));
    assert!(server.contains("Form:     server NAME [: MODEL] { … }\n"));
    assert!(server.contains("\nrack RACK at U<n> [front|rear]\n"));
    let nic = stdout(&topo(&["explain", "nic"]));
    assert!(nic.starts_with("# nic (part)\n"));
    assert!(nic.contains("Form:     nic NAME { … }\n"));
    assert!(nic.contains("## `nic` is also a property\n\nnic NAME { … }  (in model, server,"));
    let size = stdout(&topo(&["explain", "server.size"]));
    assert!(size.starts_with("# size (property of server)\n\n    size RACK-UNITS\n"));
    assert!(size.contains("\nUnits:    U\n"));
}

#[test]
fn a_name_with_several_entries_prints_each() {
    let text = stdout(&topo(&["explain", "weight"]));
    assert!(text.starts_with("# weight (property of rack)\n"));
    assert!(text.contains("The empty rack's own weight."));
    assert!(text.contains(
        "\n# weight (property of model, server, switch, router, firewall, lb, storage, pdu, device)\n"
    ));
    assert!(text.contains("The device's weight."));
}

#[test]
fn explain_still_explains_rules() {
    let out = topo(&["explain", "spof"]);
    assert_eq!(out.status.code(), Some(0));
    let rule = topo::analyze::rule("spof").expect("spof");
    assert_eq!(
        stdout(&out),
        format!(
            "# spof (warning by default)\n\n{}\n\n{}",
            rule.summary, rule.doc
        )
    );
}

#[test]
fn unknown_words_get_a_suggestion_and_exit_2() {
    for (word, message) in [
        (
            "bus-botleneck",
            "error: `bus-botleneck` is no rule, statement, part or property; did you mean `bus-bottleneck`?",
        ),
        (
            "max-wieght",
            "error: `max-wieght` is no rule, statement, part or property; did you mean `max-weight`?",
        ),
        (
            "firewal",
            "error: `firewal` is no rule, statement, part or property; did you mean `firewall`?",
        ),
        (
            "rack.hieght",
            "error: `rack` has no property `hieght`; did you mean `height`?",
        ),
        (
            "rak.height",
            "error: no statement or part is called `rak`; did you mean `rack`?",
        ),
        (
            "zzzzqqq",
            "error: `zzzzqqq` is no rule, statement, part or property",
        ),
    ] {
        let out = topo(&["explain", word]);
        assert_eq!(out.status.code(), Some(2), "{word}");
        assert!(out.stdout.is_empty(), "{word}");
        let err = stderr(&out);
        assert_eq!(err.lines().next(), Some(message), "{word}");
        assert!(err.contains("`topo rules` lists every rule"), "{word}");
    }
}

#[test]
fn every_keyword_property_and_rule_can_be_explained() {
    for kind in kinds() {
        let text = topo::docs::explain::explain(kind.keyword).expect(kind.keyword);
        assert!(text.contains(kind.summary), "{}", kind.keyword);
        for p in kind.properties {
            let dotted = format!("{}.{}", kind.keyword, p.name);
            let text = topo::docs::explain::explain(&dotted).expect(&dotted);
            assert!(text.contains(p.summary), "{dotted}");
            assert!(topo::docs::explain::explain(p.name).is_ok(), "{}", p.name);
        }
    }
    for rule in RULES {
        assert!(topo::docs::explain::explain(rule.name).is_ok());
    }
}

// ---------------------------------------------------------------------------
// topo docs
// ---------------------------------------------------------------------------

#[test]
fn docs_prints_each_document() {
    let reference = topo(&["docs", "reference"]);
    assert_eq!(reference.status.code(), Some(0));
    assert_eq!(stdout(&reference), topo::docs::reference());
    let rules = topo(&["docs", "rules"]);
    assert_eq!(rules.status.code(), Some(0));
    assert_eq!(stdout(&rules), topo::docs::rules());
    let neither = topo(&["docs"]);
    assert_eq!(neither.status.code(), Some(2));
}

#[test]
fn docs_out_writes_both_documents() {
    let dir = std::env::temp_dir().join(format!("topo-docs-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let target = dir.join("nested");
    let out = topo(&["docs", "--out", target.to_str().expect("UTF-8 path")]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(read(&target.join("reference.md")), topo::docs::reference());
    assert_eq!(read(&target.join("rules.md")), topo::docs::rules());
    // Only the one named.
    let single = dir.join("single");
    let out = topo(&["docs", "rules", "--out", single.to_str().expect("UTF-8")]);
    assert_eq!(out.status.code(), Some(0));
    assert!(single.join("rules.md").is_file());
    assert!(!single.join("reference.md").exists());
    // A file where the directory should be.
    let blocked = dir.join("file");
    std::fs::write(&blocked, "x").expect("write");
    let out = topo(&["docs", "--out", blocked.to_str().expect("UTF-8")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).starts_with("error: cannot create"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn every_repository_path_the_readme_names_exists() {
    let readme = read(&root().join("README.md"));
    let mut named = 0;
    for span in readme.split('`').skip(1).step_by(2) {
        let roots = [
            "src/",
            "tests/",
            "docs/",
            "examples/",
            "grammar/",
            "benches/",
            "fuzz/",
            "editors/",
        ];
        if !roots.iter().any(|r| span.starts_with(r)) || span.contains(char::is_whitespace) {
            continue;
        }
        assert!(
            root().join(span).exists(),
            "README names `{span}`, which the repository does not have"
        );
        named += 1;
    }
    assert!(named > 30, "only {named} paths found");
}
