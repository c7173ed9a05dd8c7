//! The CI interface: every output format on a fixture with findings, the
//! SARIF structure GitHub code scanning needs, severity levels from flags and
//! topo.toml, and the exit codes.

use std::path::PathBuf;
use std::process::{Command, Output};

const FIXTURE: &str = "tests/fixtures/spof/fires.topo";

fn topo(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_topo"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

#[test]
fn every_format_snapshot() {
    for format in ["human", "json", "sarif", "github"] {
        let out = topo(&["check", "--format", format, FIXTURE]);
        assert_eq!(out.status.code(), Some(0), "warnings only: exit 0");
        // SARIF names the checkout's absolute path once, as its root.
        let root =
            topo::report::sarif::file_uri(std::path::Path::new(env!("CARGO_MANIFEST_DIR")), true);
        let text = stdout(&out)
            .replace(env!("CARGO_PKG_VERSION"), "VERSION")
            .replace(&root, "file:///ROOT/");
        insta::assert_snapshot!(format!("check-{format}"), text);
    }
}

#[test]
fn sarif_has_what_code_scanning_requires() {
    let out = topo(&["check", "--format", "sarif", FIXTURE]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["version"], "2.1.0");
    assert!(v["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let run = &v["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "topo");
    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(rules.len(), topo::analyze::RULES.len());
    for r in rules {
        for field in [
            "id",
            "shortDescription",
            "fullDescription",
            "help",
            "defaultConfiguration",
        ] {
            assert!(!r[field].is_null(), "rule {} lacks {field}", r["id"]);
        }
        assert!(r["help"]["text"].is_string() && r["help"]["markdown"].is_string());
        assert!(["error", "warning", "note"]
            .contains(&r["defaultConfiguration"]["level"].as_str().unwrap()));
    }
    let results = run["results"].as_array().unwrap();
    // Five warnings, and a `missing-draw` info for each of the two racks
    // (their feeds have circuits; no device states a draw).
    assert_eq!(results.len(), 7);
    for r in results {
        assert!(
            r["ruleId"].is_string() && r["level"].is_string() && r["message"]["text"].is_string()
        );
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(
            loc["artifactLocation"],
            serde_json::json!({ "uri": FIXTURE, "uriBaseId": "%SRCROOT%" }),
            "relative to the repository root"
        );
        let region = &loc["region"];
        for field in ["startLine", "startColumn", "endLine", "endColumn"] {
            assert!(region[field].as_u64().unwrap() >= 1, "{field}");
        }
        let rule = &rules[r["ruleIndex"].as_u64().unwrap() as usize];
        assert_eq!(rule["id"], r["ruleId"]);
        assert!(r["partialFingerprints"]["topo/v2"].is_string());
        assert!(r["partialFingerprints"]["primaryLocationLineHash"].is_string());
    }
}

#[test]
fn fingerprints_survive_unrelated_lines_moving() {
    let text =
        std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(FIXTURE)).unwrap();
    let dir = std::env::temp_dir().join(format!("topo-sarif-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let before = dir.join("before.topo");
    let after = dir.join("after.topo");
    std::fs::write(&before, &text).unwrap();
    std::fs::write(&after, format!("# a new comment\n\n{text}")).unwrap();
    let prints = |path: &PathBuf| -> Vec<String> {
        let out = topo(&["check", "--format", "sarif", path.to_str().unwrap()]);
        let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        v["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                r["partialFingerprints"]["topo/v2"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    assert_eq!(prints(&before), prints(&after));
}

#[test]
fn github_annotations_are_workflow_commands() {
    let out = topo(&["check", "--format", "github", FIXTURE]);
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    // An info is a notice; it sorts first (same line, rule name order).
    assert_eq!(
        lines[0],
        "::notice file=tests/fixtures/spof/fires.topo,line=8,col=6,endLine=8,endColumn=8,title=missing-draw::rack `r1` has 3 devices without a draw (web1, db1, db2): its power and heat totals count them as 0 and are a lower bound"
    );
    assert_eq!(
        lines[1],
        "::warning file=tests/fixtures/spof/fires.topo,line=8,col=6,endLine=8,endColumn=8,title=spof::rack `r1` is a single point of failure: it stops flow `checkout` (every instance of `shop-db` fails with it)"
    );
}

#[test]
fn human_summary_and_quiet() {
    let out = topo(&["check", FIXTURE]);
    assert!(stdout(&out).ends_with("0 errors, 5 warnings, 2 infos in 1 file\n"));
    let quiet = topo(&["check", "--quiet", FIXTURE]);
    assert!(!stdout(&quiet).contains("in 1 file"));
    assert!(stdout(&quiet).contains("single point of failure"));
}

#[test]
fn flags_change_levels_and_exit_codes() {
    assert_eq!(
        topo(&["check", "examples/webshop.topo"]).status.code(),
        Some(0),
        "clean"
    );
    assert_eq!(
        topo(&["check", FIXTURE]).status.code(),
        Some(0),
        "warnings only"
    );
    let denied = topo(&["check", "--deny", "warnings", FIXTURE]);
    assert_eq!(denied.status.code(), Some(1), "--deny warnings");
    assert!(stdout(&denied).ends_with("5 errors, 0 warnings, 2 infos in 1 file\n"));
    let spof = topo(&["check", "--deny", "spof", "--format", "json", FIXTURE]);
    assert_eq!(spof.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(&stdout(&spof)).unwrap();
    assert_eq!(
        v["summary"],
        serde_json::json!({"errors": 4, "warnings": 1, "infos": 2})
    );
    let allowed = topo(&[
        "check",
        "--allow",
        "spof",
        "--allow",
        "ha-same-domain",
        "--allow",
        "missing-draw",
        FIXTURE,
    ]);
    assert_eq!(
        stdout(&allowed),
        "0 errors, 0 warnings, 0 infos in 1 file\n"
    );
    let warned = topo(&[
        "check",
        "--warn",
        "rack-overlap",
        "tests/fixtures/rack-overlap/fires.topo",
    ]);
    assert_eq!(warned.status.code(), Some(0), "an error made a warning");
    let errors = topo(&["check", "tests/fixtures/rack-overlap/fires.topo"]);
    assert_eq!(errors.status.code(), Some(1));
}

#[test]
fn unknown_rules_in_flags_are_usage_errors() {
    let out = topo(&["check", "--deny", "spoof", FIXTURE]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: --deny: unknown rule `spoof`; did you mean `spof`?\n"
    );
    let out = topo(&["check", "--allow", "syntax", FIXTURE]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn topo_toml_is_found_above_the_input_and_flags_override_it() {
    let dir = std::env::temp_dir().join(format!("topo-config-{}", std::process::id()));
    let nested = dir.join("dc/rooms");
    std::fs::create_dir_all(&nested).unwrap();
    let fixture =
        std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(FIXTURE)).unwrap();
    let file = nested.join("plan.topo");
    std::fs::write(&file, &fixture).unwrap();
    std::fs::write(
        dir.join("topo.toml"),
        "[rules]\nspof = \"error\"\nha-same-domain = \"allow\"\n",
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let out = topo(&["check", path]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).ends_with("4 errors, 0 warnings, 2 infos in 1 file\n"),
        "{}",
        stdout(&out)
    );
    let out = topo(&["check", "--warn", "spof", path]);
    assert_eq!(out.status.code(), Some(0), "the flag overrides the file");
    assert!(stdout(&out).ends_with("0 errors, 4 warnings, 2 infos in 1 file\n"));
    std::fs::write(dir.join("topo.toml"), "[rules]\nspoof = \"error\"\n").unwrap();
    let out = topo(&["check", path]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("unknown rule `spoof`; did you mean `spof`?"),
        "{}",
        stderr(&out)
    );
    std::fs::write(dir.join("topo.toml"), "[rules]\nspof = \"loud\"\n").unwrap();
    assert_eq!(topo(&["check", path]).status.code(), Some(2));
}

#[test]
fn rules_and_explain() {
    let out = topo(&["rules"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert_eq!(text.lines().count(), topo::analyze::RULES.len());
    assert!(text
        .lines()
        .any(|l| l.starts_with("bus-bottleneck ") && l.contains("warning")));
    let json = topo(&["rules", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(v.as_array().unwrap().len(), topo::analyze::RULES.len());
    assert_eq!(v[0]["name"], "syntax");
    let explain = topo(&["explain", "bus-bottleneck"]);
    assert_eq!(explain.status.code(), Some(0));
    let doc = stdout(&explain);
    for part in [
        "# bus-bottleneck (warning by default)",
        "## What it checks",
        "## Why",
        "Closer to the CPU",
        "## Example",
        "## Fix",
    ] {
        assert!(doc.contains(part), "{part}");
    }
    let unknown = topo(&["explain", "bus-botleneck"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("did you mean `bus-bottleneck`?"));
}
