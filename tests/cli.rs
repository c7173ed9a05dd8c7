//! The `topo` binary: exit codes, output streams and the JSON shape.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn topo(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_topo"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

fn scratch(name: &str, contents: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("topo-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

#[test]
fn a_clean_file_exits_0_with_a_summary() {
    let out = topo(&["check", "examples/datacenter.topo"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(stdout(&out), "0 errors, 0 warnings, 0 infos in 1 file\n");
}

#[test]
fn errors_exit_1_and_are_all_reported() {
    let path = scratch(
        "errors.topo",
        b"site s\nrack r { site x; height 42 }\nserver a { rack q at U1 }\n",
    );
    let out = topo(&["check", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("unknown site `x`"), "{text}");
    assert!(
        text.contains("expected a size in rack units (U), found a plain number"),
        "{text}"
    );
    assert!(text.contains("unknown rack `q`"), "{text}");
    assert!(
        text.ends_with("3 errors, 0 warnings, 0 infos in 1 file\n"),
        "{text}"
    );
}

#[test]
fn json_goes_to_stdout_only_with_1_based_positions() {
    let path = scratch("json.topo", b"site s\nrack r { site x }\n");
    let out = topo(&["check", "--format", "json", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out), "");
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("valid JSON");
    let d = &v["diagnostics"][0];
    assert_eq!(d["rule"], "unknown-name");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["message"], "unknown site `x`");
    assert_eq!(d["line"], 2);
    assert_eq!(d["column"], 15);
    assert_eq!(d["related"], serde_json::json!([]));
    assert!(d["file"].as_str().unwrap().ends_with("json.topo"));
    assert_eq!(
        v["summary"],
        serde_json::json!({"errors": 1, "warnings": 0, "infos": 0})
    );
}

#[test]
fn unreadable_input_exits_2() {
    let missing = topo(&["check", "no/such/file.topo"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("cannot read `no/such/file.topo`: no such file"));
    // A directory is a project (version 2); one with no `.topo` file is
    // nothing to check.
    let dir = topo(&["check", "docs"]);
    assert_eq!(dir.status.code(), Some(2));
    assert!(stderr(&dir).contains("is a directory with no `.topo` file below it"));
    let binary = scratch(
        "garbage.topo",
        &[0x7f, b'E', b'L', b'F', 0, 0, 1, 2, 0xff, 0xfe],
    );
    let out = topo(&["check", binary.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("binary file"));
    let latin1 = scratch("latin1.topo", b"site caf\xe9\n");
    let out = topo(&["check", latin1.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not UTF-8"));
}

#[test]
fn bad_usage_exits_2() {
    assert_eq!(topo(&["check"]).status.code(), Some(2));
    assert_eq!(topo(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(
        topo(&["check", "--format", "xml", "x.topo"]).status.code(),
        Some(2)
    );
    assert_eq!(topo(&["--version"]).status.code(), Some(0));
}

#[test]
fn hostile_input_gets_a_diagnostic_not_a_crash() {
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.topo", b"".to_vec(), "nothing to check"),
        (
            "comments.topo",
            b"# nothing here\n".to_vec(),
            "nothing to check",
        ),
        (
            "deep.topo",
            format!("model m {}{}", "{".repeat(50_000), "}".repeat(50_000)).into_bytes(),
            "nested deeper than 32 levels",
        ),
        (
            "bomb.topo",
            b"server w[1..999999999] { size 1U }\n".to_vec(),
            "more than the limit of 100000",
        ),
        (
            "huge.topo",
            b"rack r { height 99999999999999999999999999U }\n".to_vec(),
            "too large",
        ),
        (
            "overflow.topo",
            b"server s { psu 99999999999999999999999 }\n".to_vec(),
            "too large",
        ),
        (
            "negative.topo",
            b"server s { weight -5kg }\n".to_vec(),
            "negative",
        ),
        (
            "long.topo",
            format!("site s {{ role {} }}\n", "x".repeat(2_000_000)).into_bytes(),
            "is not a site role",
        ),
        (
            "crlf.topo",
            b"\xef\xbb\xbfsite s\r\nrack r {\r\n  site s\r\n  height 0U\r\n}\r\n".to_vec(),
            "is not a rack",
        ),
        (
            "string.topo",
            b"client c { software x \"unterminated }\n".to_vec(),
            "unterminated string",
        ),
    ];
    for (name, contents, expected) in cases {
        let path = scratch(name, &contents);
        let out = topo(&["check", "--format", "json", path.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1), "{name}: {}", stderr(&out));
        let v: serde_json::Value = serde_json::from_str(&stdout(&out)).expect(name);
        let first = &v["diagnostics"][0];
        assert!(
            first["message"].as_str().unwrap().contains(expected),
            "{name}: {first}"
        );
        assert!(first["line"].as_u64().unwrap() >= 1, "{name}");
        assert!(first["rule"].is_string(), "{name}");
    }
}

#[test]
fn human_output_of_a_long_line_stays_short() {
    let path = scratch(
        "wide.topo",
        format!("site s {{ role {} }}\n", "y".repeat(2_000_000)).as_bytes(),
    );
    let out = topo(&["check", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.len() < 4_000_000,
        "the 2 MB line is not printed whole twice"
    );
    assert!(text.contains("too long to show"));
}

#[test]
fn includes_resolve_relative_to_the_including_file() {
    let out = topo(&["check", "examples/vms.topo"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).ends_with("in 2 files\n"));
    assert!(Path::new("examples/models/dell.topo").exists());
}

#[test]
fn impact_lists_what_fails_and_what_stops() {
    let out = topo(&["impact", "tests/fixtures/spof/fires.topo", "tor1"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "switch `tor1` fails:\n\
         ├─ devices down (1)\n\
         │  └─ tor1: named to fail\n\
         ├─ vms lost (0)\n\
         ├─ vms restarted (0)\n\
         ├─ services down (1)\n\
         │  └─ shop-db: 2 of 2 instances up but cut off (db1, db2), 0 left, needs 1\n\
         ├─ services degraded (0)\n\
         └─ flows stopped (1)\n   \
            └─ checkout: the active member `db1` of `shop-db` stays up but no network path is \
         left to it from `shop-web` (a partition is not a failover)\n"
    );
}

#[test]
fn impact_json_has_a_documented_shape() {
    let out = topo(&[
        "impact",
        "--format",
        "json",
        "tests/fixtures/spof/fires.topo",
        "r1",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        v,
        serde_json::json!({
            "elements": [{"element": "r1", "kind": "rack"}],
            "devices_down": [
                {"device": "web1", "reason": "its rack `r1` fails"},
                {"device": "db1", "reason": "its rack `r1` fails"},
                {"device": "db2", "reason": "its rack `r1` fails"}
            ],
            "vms_lost": [],
            "vms_restarted": [],
            "services_down": [{"service": "shop-db", "instances_lost": 2, "instances": 2, "needed": 1, "lost": ["db1", "db2"], "instances_cut_off": 0, "cut_off": []}],
            "services_degraded": [{"service": "shop-web", "instances_lost": 1, "instances": 2, "needed": 1, "lost": ["web1"], "instances_cut_off": 0, "cut_off": []}],
            "flows_stopped": [{
                "flow": "checkout",
                "reason": "every instance of `shop-db` fails with it",
                "reasons": ["every instance of `shop-db` fails with it"]
            }],
            "tripped": []
        })
    );
}

#[test]
fn impact_of_a_redundant_box_or_the_only_site_still_answers() {
    let out = topo(&["impact", "examples/mainframe.topo", "zprod"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("devices down (1)\n│  └─ zprod: named to fail\n"),
        "{}",
        stdout(&out)
    );
    assert!(
        stdout(&out).contains("flows stopped (1)"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn impact_of_an_unknown_element_exits_2_with_a_suggestion() {
    let out = topo(&["impact", "examples/webshop.topo", "shop-r3"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("did you mean `shop-r1`?"));
    let out = topo(&["impact", "examples/webshop.topo", "shop-web"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains(
        "`shop-web` is a service; impact takes devices, vms, racks, feeds, power sources, \
         fault domains or sites"
    ));
}

/// The progress spinner draws only on a terminal: a long run whose stderr is
/// a pipe (CI, editors) leaves stderr empty.
#[test]
fn a_long_run_into_a_pipe_shows_no_progress() {
    let path = scratch("big.topo", topo::generate::data_centre(300).as_bytes());
    let path = path.to_str().unwrap();
    for args in [vec!["check", path], vec!["render", "--view", "rack", path]] {
        let o = topo(&args);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert_eq!(stderr(&o), "");
        assert!(!stdout(&o).is_empty());
    }
}
