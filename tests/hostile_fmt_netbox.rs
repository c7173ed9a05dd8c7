//! Hostile input for `fmt` and `import netbox`: large files with many
//! comments, diffs of large files, deeply nested YAML, alias bombs and a
//! byte-order mark. Each ends in the exit code and message it should, under
//! a memory bound (2 GB of address space), never in a panic or an abort.
//! The 120 s watchdog only catches hangs in this debug build; release
//! timings are measured separately, not asserted here.

use std::path::{Path, PathBuf};

mod support;
use support::{Outcome, Topo};

/// Runs topo with `args` under the memory bound.
fn run(args: &[&str]) -> Outcome {
    Topo::limited(args).run()
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// 160,000 lines: a comment line and a statement with a trailing comment,
/// 80,000 times. Attaching comments was quadratic (33 s and more).
#[test]
fn fmt_of_160k_lines_with_comments() {
    let dir = tempfile::tempdir().unwrap();
    let text: String = (0..80_000)
        .map(|i| format!("# about s{i}\nsite   s{i}  # trailing {i}\n"))
        .collect();
    let path = write(dir.path(), "big.topo", &text);
    let o = run(&["fmt", s(&path)]);
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    assert!(o.stderr.contains("1 file reformatted"), "{}", o.stderr);
    let formatted = std::fs::read_to_string(&path).unwrap();
    assert_eq!(formatted.lines().count(), 160_000);
    assert!(formatted.starts_with("# about s0\nsite s0  # trailing 0\n# about s1\n"));
    assert!(formatted.ends_with("site s79999  # trailing 79999\n"));
}

/// `fmt --check` of 40,000 lines that all change: the diff is printed and
/// bounded (it was 14 s).
#[test]
fn fmt_check_of_40k_changed_lines() {
    let dir = tempfile::tempdir().unwrap();
    let text: String = (0..20_000)
        .map(|i| format!("site   s{i}{{role  primary}}  # c{i}\n# between\n"))
        .collect();
    let path = write(dir.path(), "big.topo", &text);
    let o = run(&["fmt", "--check", s(&path)]);
    assert_eq!(o.code, Some(1), "{}", o.stderr);
    assert!(o.stdout.starts_with(&format!("--- {}\n", s(&path))));
    assert!(o
        .stdout
        .contains("+site s19999 { role primary }  # c19999\n"));
    // Checking changes nothing.
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}

/// Deeply nested block braces and a long line before a newline inside them
/// do not make the formatter rescan the text.
#[test]
fn fmt_of_long_nested_lines() {
    let dir = tempfile::tempdir().unwrap();
    let long = "x".repeat(300_000);
    let text = format!("site a {{ role {long}\n  site b\n}}\n");
    let path = write(dir.path(), "long.topo", &text);
    let o = run(&["fmt", "--check", s(&path)]);
    assert!(matches!(o.code, Some(0 | 1)), "{}", o.stderr);
}

fn import(dir: &Path, name: &str, yaml: &str) -> Outcome {
    let path = write(dir, name, yaml);
    run(&["import", "netbox", s(&path)])
}

const HEAD: &str = "manufacturer: A\nmodel: B\nslug: c\nu_height: 1\n";

#[test]
fn yaml_nested_80k_levels_is_refused_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let n = 80_000;
    let cases = [
        (
            "flow.yaml",
            format!("{HEAD}extra: {}{}\n", "[".repeat(n), "]".repeat(n)),
            5,
        ),
        (
            "mapping.yaml",
            format!("{HEAD}extra: {}x{}\n", "{a: ".repeat(n), "}".repeat(n)),
            5,
        ),
        (
            "in-model.yaml",
            format!(
                "manufacturer: A\nmodel: {}{}\nslug: c\nu_height: 1\n",
                "[".repeat(n),
                "]".repeat(n)
            ),
            2,
        ),
        ("dashes.yaml", format!("{}x\n", "- ".repeat(n)), 1),
        (
            "dashes-in-key.yaml",
            format!("{HEAD}extra:\n  {}x\n", "- ".repeat(n)),
            6,
        ),
    ];
    for (name, yaml, line) in cases {
        let o = import(dir.path(), name, &yaml);
        assert_eq!(o.code, Some(1), "{name}: {}", o.stderr);
        let expected = format!("{name}: line {line}: YAML nested deeper than 64 levels");
        assert!(o.stderr.contains(&expected), "{name}: {}", o.stderr);
        assert!(
            o.stderr.contains("1 of 1 file(s) not converted"),
            "{}",
            o.stderr
        );
    }
    // 64 levels are fine; the unknown key is ignored.
    let fine = format!("{HEAD}extra: {}{}\n", "[".repeat(63), "]".repeat(63));
    let o = import(dir.path(), "fine.yaml", &fine);
    assert_eq!(o.code, Some(0), "{}", o.stderr);
}

/// Nine levels of ten aliases each: 160 KB of YAML that named a billion
/// nodes. The expansion is counted without doing it.
#[test]
fn alias_bombs_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut bomb = String::from(HEAD);
    bomb.push_str("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        bomb.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    // Padded to the 160 KB with harmless keys.
    while bomb.len() < 160_000 {
        bomb.push_str(&format!("pad{}: {}\n", bomb.len(), "p".repeat(60)));
    }
    let o = import(dir.path(), "bomb.yaml", &bomb);
    assert_eq!(o.code, Some(1), "{}", o.stderr);
    assert!(
        o.stderr
            .contains("the YAML expands to more than 2000000 elements"),
        "{}",
        o.stderr
    );

    // Few aliases of one long string: the text it expands to is counted.
    let interface = format!(
        "  - {{name: &n {}, type: 10gbase-t}}\n",
        "n".repeat(700_000)
    );
    let mut wide = format!("{HEAD}interfaces:\n{interface}");
    for _ in 0..100 {
        wide.push_str("  - {name: *n, type: 10gbase-t}\n");
    }
    let o = import(dir.path(), "wide.yaml", &wide);
    assert_eq!(o.code, Some(1), "{}", o.stderr);
    assert!(
        o.stderr.contains("text expands to more than 64 MiB"),
        "{}",
        o.stderr
    );

    // An alias inside what it names is the deserializer's error.
    let o = import(
        dir.path(),
        "self.yaml",
        &format!("{HEAD}interfaces: &x [*x]\n"),
    );
    assert_eq!(o.code, Some(1), "{}", o.stderr);
    assert!(
        o.stderr.contains("self.yaml:5:13: interfaces"),
        "{}",
        o.stderr
    );
}

#[test]
fn a_byte_order_mark_is_not_part_of_the_first_key() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = "\u{FEFF}model: AP8868\nmanufacturer: APC\nslug: apc-ap8868\nu_height: 1\n";
    let o = import(dir.path(), "bom.yaml", yaml);
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    assert!(o.stdout.contains("model apc-ap8868 {"), "{}", o.stdout);
}
