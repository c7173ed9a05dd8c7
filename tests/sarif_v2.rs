//! SARIF v2: the line hash GitHub's upload action computes, checked against
//! two independent renderings of the action's algorithm (one below, one in
//! node); artifact URIs percent-encoded and rooted at the repository; a
//! `topo/v2` fingerprint unique per finding; and every example's log valid
//! against the official SARIF 2.1.0 schema (tests/sarif-schema-2.1.0.json,
//! the OASIS errata01 schema).

use percent_encoding::percent_decode_str;
use serde_json::Value;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use topo::report::sarif::line_hashes;

const MANIFEST: &str = env!("CARGO_MANIFEST_DIR");

fn topo_in(dir: &Path, args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_topo"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the binary runs");
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("SARIF is JSON")
}

fn sarif(dir: &Path, file: &Path) -> Value {
    topo_in(dir, &["check", "--format", "sarif", file.to_str().unwrap()])
}

/// The action's line hash, computed the direct way rather than rolling: the
/// text becomes a stream of UTF-16 units without spaces and tabs, with
/// `\r\n` and `\r` as `\n`, then 0xFFFF, then zeros; a line's hash is
/// Σ unitᵢ·37^(99−i) over the 100 units from its first, modulo 2⁶⁴.
fn reference(text: &str) -> Vec<String> {
    let units: Vec<u16> = text.encode_utf16().collect();
    let mut stream: Vec<u64> = Vec::new();
    let mut line_starts = vec![0usize];
    let mut i = 0;
    while i < units.len() {
        let u = units[i];
        i += 1;
        match u {
            0x20 | 0x09 => continue,
            0x0D | 0x0A => {
                // Only a `\n` directly after the `\r` is part of its break.
                if u == 0x0D && units.get(i) == Some(&0x0A) {
                    i += 1;
                }
                stream.push(0x0A);
                line_starts.push(stream.len());
            }
            _ => stream.push(u64::from(u)),
        }
    }
    stream.push(0xFFFF);
    stream.extend(std::iter::repeat_n(0, 100));
    let mut counts = std::collections::HashMap::new();
    line_starts
        .iter()
        .map(|&s| {
            let h = stream[s..s + 100]
                .iter()
                .fold(0u64, |h, &u| h.wrapping_mul(37).wrapping_add(u));
            let n = counts.entry(h).or_insert(0);
            *n += 1;
            format!("{h:x}:{n}")
        })
        .collect()
}

/// Inputs that exercise each rule of the action's reading.
fn inputs() -> Vec<(&'static str, String)> {
    vec![
        ("empty", String::new()),
        ("one line, newline", "a\n".into()),
        (
            "no final newline",
            "site a\nrack r {\n  height 42U\n}".into(),
        ),
        ("CRLF", "site a\r\nrack r {\r\n  height 42U\r\n}\r\n".into()),
        ("lone CR", "site a\rrack r\r".into()),
        ("CR, spaces, LF", "a\r  \nb\n".into()),
        ("trailing whitespace", "site a   \t\nrack r \n".into()),
        ("blank lines", "\n\n\nsite a\n\n\n".into()),
        ("identical lines", "rack r\n".repeat(40)),
        ("long line", format!("{}\nx\n", "y".repeat(250))),
        ("outside the BMP", "# 🚀 ünïcode\nsite a\n".into()),
        ("BOM", "\u{FEFF}site a\n".into()),
    ]
}

#[test]
fn the_line_hash_agrees_with_the_direct_computation() {
    for (name, text) in inputs() {
        assert_eq!(line_hashes(&text), reference(&text), "{name}");
    }
}

#[test]
fn the_line_hash_has_known_values() {
    // "a\n" reads as 97, 10, 0xFFFF, then zeros. Line 1 is
    // 97·37⁹⁹ + 10·37⁹⁸ + 65535·37⁹⁷ and line 2 (the empty line after the
    // last newline, which the action counts) is 65535·37⁹⁹, modulo 2⁶⁴ —
    // worked out with exact integers, and what the action's algorithm run
    // in node prints.
    assert_eq!(
        line_hashes("a\n"),
        ["243cbaa4685aab12:1", "c129715d7a2bc9a3:1"]
    );
    // The same text with CRLF, trailing blanks and indentation reads the
    // same, so it hashes the same.
    assert_eq!(line_hashes("a  \r\n"), line_hashes("a\n"));
    assert_eq!(line_hashes("\t a\n"), line_hashes("a\n"));
    // Forty identical lines: the windows of the first twenty-four hold only
    // more "rackr\n" (6 units × 16 lines ≥ 100) and so collide, and the
    // occurrence count tells them apart.
    let hashes = line_hashes(&"rack r\n".repeat(40));
    assert_eq!(hashes.len(), 41);
    let first = hashes[0].split(':').next().unwrap().to_string();
    for (i, h) in hashes.iter().take(24).enumerate() {
        assert_eq!(h, &format!("{first}:{}", i + 1));
    }
    assert!(!hashes[24].starts_with(&first));
}

#[test]
fn the_line_hash_agrees_with_the_action_run_in_node() {
    if Command::new("node").arg("--version").output().is_err() {
        println!("skipped: `node` is not installed, so the JavaScript rendering cannot run");
        return;
    }
    let script = Path::new(MANIFEST).join("tests/sarif/line_hash.js");
    let dir = tempfile::tempdir().unwrap();
    let mut files: Vec<(String, String)> = inputs()
        .into_iter()
        .map(|(name, text)| (name.to_string(), text))
        .collect();
    for path in examples() {
        files.push((
            path.display().to_string(),
            std::fs::read_to_string(&path).unwrap(),
        ));
    }
    for (i, (name, text)) in files.iter().enumerate() {
        let path = dir.path().join(format!("{i}.topo"));
        std::fs::write(&path, text).unwrap();
        let out = Command::new("node")
            .arg(&script)
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let from_node: Vec<String> = String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .enumerate()
            .map(|(i, l)| {
                let (line, hash) = l.split_once(' ').unwrap();
                assert_eq!(line, (i + 1).to_string(), "{name}: lines in order");
                hash.to_string()
            })
            .collect();
        assert_eq!(line_hashes(text), from_node, "{name}");
    }
}

fn examples() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(Path::new(MANIFEST).join("examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "topo"))
        .collect();
    files.sort();
    files
}

fn fixtures(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            fixtures(&path, out);
        } else if path.extension().is_some_and(|e| e == "topo") {
            out.push(path);
        }
    }
}

fn results(log: &Value) -> &Vec<Value> {
    log["runs"][0]["results"].as_array().unwrap()
}

#[test]
fn topo_v2_is_unique_per_finding_and_the_line_hash_is_the_actions() {
    let mut files = examples();
    fixtures(&Path::new(MANIFEST).join("tests/fixtures"), &mut files);
    files.sort();
    let mut findings = 0;
    for file in &files {
        let log = sarif(Path::new(MANIFEST), file);
        let root = log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"]
            .as_str()
            .unwrap();
        let root = percent_decode_str(root.strip_prefix("file://").unwrap())
            .decode_utf8()
            .unwrap()
            .into_owned();
        let mut seen = HashSet::new();
        for r in results(&log) {
            let print = r["partialFingerprints"]["topo/v2"].as_str().unwrap();
            assert_eq!(print.len(), 16);
            assert!(
                seen.insert(print.to_string()),
                "{}: two findings share topo/v2 {print}",
                file.display()
            );
            assert!(r["partialFingerprints"]["topoFinding/v1"].is_null());
            // The primary location's line hash is the one the action
            // would compute reading the file from disk.
            let loc = &r["locations"][0]["physicalLocation"];
            assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
            let uri = loc["artifactLocation"]["uri"].as_str().unwrap();
            let on_disk =
                Path::new(&root).join(percent_decode_str(uri).decode_utf8().unwrap().as_ref());
            let line = loc["region"]["startLine"].as_u64().unwrap() as usize;
            let text = std::fs::read_to_string(&on_disk).unwrap();
            assert_eq!(
                r["partialFingerprints"]["primaryLocationLineHash"],
                reference(&text)[line - 1],
                "{uri}:{line}"
            );
            findings += 1;
        }
    }
    assert!(
        files.len() > 100 && findings > 250,
        "{} files, {findings} findings",
        files.len()
    );
}

#[test]
fn topo_v2_ignores_lines_moving() {
    let text =
        std::fs::read_to_string(Path::new(MANIFEST).join("tests/fixtures/dr-rpo/fires.topo"))
            .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let prints = |text: &str| -> Vec<String> {
        let path = dir.path().join("f.topo");
        std::fs::write(&path, text).unwrap();
        results(&sarif(dir.path(), &path))
            .iter()
            .map(|r| {
                r["partialFingerprints"]["topo/v2"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    let before = prints(&text);
    assert!(before.len() >= 2);
    assert_eq!(before, prints(&format!("# moved\n\n\n{text}")));
}

/// A project whose directories hold a space, `#`, `%` and a non-ASCII
/// letter, inside a git work tree (a `.git` entry is all the walk needs).
fn odd_project() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("my repo #1 100%");
    let sub = repo.join("infra dir/ré#d%");
    std::fs::create_dir_all(&sub).unwrap();
    std::fs::create_dir(repo.join(".git")).unwrap();
    let file = sub.join("a b.topo");
    std::fs::copy(
        Path::new(MANIFEST).join("tests/fixtures/spof/fires.topo"),
        &file,
    )
    .unwrap();
    (tmp, repo, file)
}

fn artifact(log: &Value) -> &Value {
    &results(log)[0]["locations"][0]["physicalLocation"]["artifactLocation"]
}

#[test]
fn uris_are_percent_encoded_and_rooted_at_the_git_top_level() {
    let (_tmp, repo, file) = odd_project();
    let encoded: String = repo
        .to_str()
        .unwrap()
        .chars()
        .map(|c| match c {
            ' ' => "%20".to_string(),
            '#' => "%23".to_string(),
            '%' => "%25".to_string(),
            c => c.to_string(),
        })
        .collect();
    assert!(encoded.ends_with("/my%20repo%20%231%20100%25"));
    let root_uri = format!("file://{encoded}/");
    // Run from the file's own directory and from the repository root: the
    // URIs do not depend on where topo ran.
    for cwd in [file.parent().unwrap(), repo.as_path()] {
        let log = sarif(cwd, &file);
        assert_eq!(
            artifact(&log),
            &serde_json::json!({
                "uri": "infra%20dir/r%C3%A9%23d%25/a%20b.topo",
                "uriBaseId": "%SRCROOT%",
            })
        );
        assert_eq!(
            log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"],
            root_uri.as_str()
        );
        schema_valid(&log, "the odd project");
    }
}

#[test]
fn without_git_the_root_is_the_root_flag_else_the_working_directory() {
    let (tmp, repo, file) = odd_project();
    std::fs::remove_dir(repo.join(".git")).unwrap();
    let sub = file.parent().unwrap();
    let root = repo.join("infra dir");
    let log = topo_in(
        tmp.path(),
        &[
            "check",
            "--format",
            "sarif",
            "--root",
            root.to_str().unwrap(),
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(artifact(&log)["uri"], "r%C3%A9%23d%25/a%20b.topo");
    let log = sarif(sub, &file);
    assert_eq!(artifact(&log)["uri"], "a%20b.topo");
    assert!(log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap()
        .ends_with("/r%C3%A9%23d%25/"));
    // A file outside the root is an absolute URI with no base.
    let elsewhere = tmp.path().join("other");
    std::fs::create_dir(&elsewhere).unwrap();
    let log = sarif(&elsewhere, &file);
    let a = artifact(&log);
    assert!(a["uriBaseId"].is_null());
    assert_eq!(
        a["uri"].as_str().unwrap(),
        topo::report::sarif::file_uri(&file, false)
    );
    assert!(a["uri"]
        .as_str()
        .unwrap()
        .ends_with("/infra%20dir/r%C3%A9%23d%25/a%20b.topo"));
    schema_valid(&log, "a file outside the root");
}

/// The official schema compiled twice: as it declares itself (draft 4),
/// and as draft 7, whose `uri-reference` format draft 4 does not know, so
/// that an artifact URI is checked too. The schema uses no keyword whose
/// meaning differs between the two.
fn validators() -> &'static [jsonschema::Validator; 2] {
    static VALIDATORS: std::sync::OnceLock<[jsonschema::Validator; 2]> = std::sync::OnceLock::new();
    VALIDATORS.get_or_init(|| {
        let text =
            std::fs::read_to_string(Path::new(MANIFEST).join("tests/sarif-schema-2.1.0.json"))
                .unwrap();
        let schema: Value = serde_json::from_str(&text).unwrap();
        [jsonschema::Draft::Draft4, jsonschema::Draft::Draft7].map(|draft| {
            jsonschema::options()
                .with_draft(draft)
                .should_validate_formats(true)
                .build(&schema)
                .expect("the official schema compiles")
        })
    })
}

fn schema_errors(log: &Value) -> Vec<String> {
    validators()
        .iter()
        .flat_map(|v| v.iter_errors(log))
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

fn schema_valid(log: &Value, what: &str) {
    let errors = schema_errors(log);
    assert!(errors.is_empty(), "{what}: {errors:#?}");
}

#[test]
fn every_example_is_valid_against_the_sarif_schema() {
    let mut files = examples();
    files.push(Path::new(MANIFEST).join("tests/fixtures/spof/fires.topo"));
    for file in &files {
        schema_valid(
            &sarif(Path::new(MANIFEST), file),
            &file.display().to_string(),
        );
    }
}

#[test]
fn the_schema_rejects_an_unencoded_uri() {
    // The validation can fail: a space in a URI breaks `uri-reference`.
    let fixture = Path::new(MANIFEST).join("tests/fixtures/spof/fires.topo");
    let mut log = sarif(Path::new(MANIFEST), &fixture);
    schema_valid(&log, "as written");
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] =
        "a b#c%zz.topo".into();
    let errors = schema_errors(&log);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0].ends_with("/runs/0/results/0/locations/0/physicalLocation/artifactLocation/uri"),
        "{errors:#?}"
    );
}
