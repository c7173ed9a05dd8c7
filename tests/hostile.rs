//! Hostile input: every case ends in exit 1 or 2 with a diagnostic that has
//! a rule and a line (or, for unreadable input, an error on stderr), within
//! a memory bound (2 GB of address space), and never in a panic, an abort or
//! a stack overflow. The 120 s watchdog only catches hangs in this debug
//! build; the release timings (each case under 2 s) are measured in
//! BENCHMARKS.md, not here.

use std::path::{Path, PathBuf};

fn dir() -> PathBuf {
    let d = std::env::temp_dir().join(format!("topo-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

mod support;
use support::{Outcome, Topo};

/// Runs `topo check --format json` on a file under the memory bound.
fn run(path: &Path) -> Outcome {
    Topo::check_json(path).run()
}

/// Checks the outcome: no crash, exit 1 with a located diagnostic whose
/// message contains `expected`, or exit 2 with an error naming it.
fn expect(name: &str, bytes: &[u8], code: i32, expected: &str) {
    let path = dir().join(name);
    std::fs::write(&path, bytes).unwrap();
    let o = run(&path);
    assert!(
        !o.stderr.contains("internal error"),
        "{name} panicked: {}",
        o.stderr
    );
    assert_eq!(
        o.code,
        Some(code),
        "{name}: {}\n{}",
        o.stderr,
        &o.stdout[..o.stdout.len().min(2000)]
    );
    if code == 1 {
        let v: serde_json::Value =
            serde_json::from_str(&o.stdout).unwrap_or_else(|e| panic!("{name}: {e}"));
        let found = v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["message"].as_str().unwrap().contains(expected));
        let d = found.unwrap_or_else(|| {
            panic!(
                "{name}: no diagnostic mentions `{expected}`: {}",
                &o.stdout[..o.stdout.len().min(3000)]
            )
        });
        assert!(
            d["rule"].is_string() && d["line"].as_u64().unwrap() >= 1,
            "{name}"
        );
    } else {
        assert!(o.stderr.contains(expected), "{name}: {}", o.stderr);
    }
    eprintln!("{name}: exit {code} in {:?}", o.took);
}

#[test]
fn empty_comment_only_and_garbage() {
    expect("empty.topo", b"", 1, "nothing to check");
    expect("comments.topo", b"# one\n# two\n", 1, "nothing to check");
    expect(
        "binary.topo",
        &[0x7f, b'E', b'L', b'F', 0, 1, 2, 3, 0, 0xff],
        2,
        "binary file",
    );
    expect("latin1.topo", b"site caf\xe9\n", 2, "not UTF-8");
    let noise: Vec<u8> = (0..20_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8 % 95 + 32)
        .collect();
    expect("noise.topo", &noise, 1, "");
}

#[test]
fn bom_with_crlf() {
    expect(
        "bom.topo",
        b"\xef\xbb\xbfsite s\r\nrack r {\r\n  site s\r\n  height 0U\r\n}\r\n",
        1,
        "is not a rack",
    );
}

#[test]
fn a_two_megabyte_line() {
    let line = format!("site s {{ role {} }}\n", "x".repeat(2_000_000));
    expect("long.topo", line.as_bytes(), 1, "is not a site role");
}

#[test]
fn fifty_thousand_nested_braces() {
    let text = format!("model m {}{}\n", "{".repeat(50_000), "}".repeat(50_000));
    expect(
        "deep.topo",
        text.as_bytes(),
        1,
        "nested deeper than 32 levels",
    );
    let unclosed = format!("model m {}\n", "{".repeat(50_000));
    expect(
        "deep-unclosed.topo",
        unclosed.as_bytes(),
        1,
        "nested deeper than 32 levels",
    );
}

#[test]
fn two_hundred_thousand_declarations() {
    let mut text = String::from("site s\n");
    for i in 0..200_000 {
        text.push_str(&format!("server h{i} {{ site s }}\n"));
    }
    text.push_str("server last { site nowhere }\n");
    expect("many.topo", text.as_bytes(), 1, "unknown site `nowhere`");
}

#[test]
fn ranges() {
    expect(
        "bomb.topo",
        b"site s\nserver w[1..999999999] { site s }\n",
        1,
        "more than the limit of 100000",
    );
    expect(
        "backwards.topo",
        b"site s\nserver w[9..1] { site s }\n",
        1,
        "runs backwards",
    );
    expect(
        "nested-range.topo",
        b"site s\nserver w[1..[2..3]] { site s }\n",
        1,
        "unexpected",
    );
    expect(
        "collide.topo",
        b"site s\nserver web[1..3] { site s }\nserver web[3..5] { site s }\n",
        1,
        "`web3` is declared twice",
    );
    expect(
        "huge-bound.topo",
        b"site s\nserver w[1..99999999999999999999999] { site s }\n",
        1,
        "too large",
    );
}

#[test]
fn numbers() {
    expect(
        "overflow.topo",
        b"site s\nserver a { site s; psu 99999999999999999999999999 }\n",
        1,
        "too large",
    );
    expect(
        "inf.topo",
        b"site s\nserver a { site s; draw 1e999W }\n",
        1,
        "too large",
    );
    expect(
        "negative.topo",
        b"site s\nserver a { site s; weight -5kg }\n",
        1,
        "negative",
    );
    expect(
        "zero-period.topo",
        b"model m { cpu c { cores 1 }\n card k { bus width 8B period 0ns to c } }\n",
        1,
        "above 0",
    );
}

#[test]
fn cycles_and_includes() {
    expect(
        "model-cycle.topo",
        b"model a : b { size 1U }\nmodel b : a { size 1U }\n",
        1,
        "model inheritance cycle",
    );
    let d = dir();
    std::fs::write(d.join("ping.topo"), "include \"pong.topo\"\nsite a\n").unwrap();
    std::fs::write(d.join("pong.topo"), "include \"ping.topo\"\nsite b\n").unwrap();
    let o = run(&d.join("ping.topo"));
    assert_eq!(o.code, Some(1));
    assert!(o.stdout.contains("include cycle"), "{}", o.stdout);
    expect(
        "self.topo",
        b"include \"self.topo\"\nsite s\n",
        1,
        "include cycle",
    );
    expect(
        "missing-include.topo",
        b"include \"no/such/file.topo\"\nsite s\n",
        1,
        "no such file",
    );
    std::fs::create_dir_all(d.join("a-directory.topo")).unwrap();
    expect(
        "dir-include.topo",
        b"include \"a-directory.topo\"\nsite s\n",
        1,
        "is a directory",
    );
    expect("bus-cycle.topo", b"model m {\n cpu c { cores 1 }\n controller a { bus pcie3 x8 to b }\n controller b { bus pcie3 x8 to a }\n}\n", 1, "bus cycle");
}

#[test]
fn strings_racks_and_units() {
    expect(
        "unterminated.topo",
        b"client c { software pos \"4.2 }\nsite s\n",
        1,
        "unterminated string",
    );
    expect(
        "rack0.topo",
        b"site s\nrack r { site s; height 0U }\n",
        1,
        "is not a rack",
    );
    expect(
        "u0.topo",
        b"site s\nrack r { site s; power 5kW }\nserver a { rack r at U0; size 1U }\n",
        1,
        "placed at U0",
    );
}

#[test]
fn unreadable_files_exit_2() {
    let missing = run(Path::new("/no/such/dir/file.topo"));
    assert_eq!(missing.code, Some(2));
    assert!(missing.stderr.contains("no such file"));
    let empty = tempfile::tempdir().unwrap();
    let directory = run(empty.path());
    assert_eq!(directory.code, Some(2));
    // A directory is a project (version 2); this one holds no `.topo`.
    assert!(
        directory
            .stderr
            .contains("is a directory with no `.topo` file below it"),
        "{}",
        directory.stderr
    );
}
