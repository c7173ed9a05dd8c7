//! The README's `sh` blocks run as written: each `topo …` line (and each
//! `cargo run --release -- …`, which is the same command) runs against a
//! copy of the examples with the built binary first on `PATH`. Lines that
//! need a toolchain, the network or minutes (`cargo install`, `npm`,
//! fuzzing, the generator) are not run; the test prints which and why, and
//! checks that what they name exists.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every line of every ```sh block, with the block's first line number.
fn sh_lines(readme: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut inside = false;
    for (i, raw) in readme.lines().enumerate() {
        let line = raw.trim();
        if !inside && line == "```sh" {
            inside = true;
        } else if inside && line == "```" {
            inside = false;
        } else if inside && !line.is_empty() {
            out.push((i + 1, line.to_string()));
        }
    }
    assert!(!inside, "an sh block is not closed");
    out
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn has(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// What a line is: run it, or why not.
enum Plan {
    Run(String),
    Serve(String),
    Skip(&'static str),
}

fn plan(line: &str) -> Plan {
    if let Some(rest) = line.strip_prefix("cargo run --release -- ") {
        return Plan::Run(format!("topo {rest}"));
    }
    if line.starts_with("topo serve ") {
        return Plan::Serve(line.to_string());
    }
    if line.starts_with("topo ") {
        return Plan::Run(line.to_string());
    }
    if line.starts_with("cargo install --locked --path .") {
        return Plan::Skip("installs the binary this test already built");
    }
    if line.starts_with("cargo test") {
        return Plan::Skip("the test suite itself");
    }
    if line.starts_with("cargo run --release --example gen_dc")
        || line.starts_with("cargo run --release --example stages")
        || line.starts_with("cargo bench")
    {
        return Plan::Skip("the generator, the stage timer and the benchmarks take minutes");
    }
    Plan::Skip("needs a tool chain or the network (npm, VS Code, cargo-fuzz)")
}

#[test]
fn every_sh_block_of_the_readme_runs_as_written() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let lines = sh_lines(&readme);
    assert!(lines.len() >= 15, "found only {} lines", lines.len());
    // Runnable as written: no optional-argument brackets in them.
    for (n, line) in &lines {
        assert!(
            !line.contains(" [-") && !line.contains(" [<"),
            "README line {n}: `{line}` has optional-argument notation; show the option on a line of its own"
        );
    }
    // What the skipped lines name exists.
    for path in [
        "examples/gen_dc.rs",
        "examples/stages.rs",
        "benches/check.rs",
        "benches/targets.rs",
        "editors/vscode/package.json",
        "fuzz/seed.sh",
    ] {
        assert!(
            repo().join(path).exists(),
            "{path} named in README is missing"
        );
    }

    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("work");
    copy_dir(&repo().join("examples"), &work.join("examples"));
    copy_dir(
        &repo().join("tests/fixtures/hwloc"),
        &work.join("tests/fixtures/hwloc"),
    );
    let bin = dir.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_topo"), bin.join("topo")).unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let dot = has("dot");

    let mut ran = 0;
    for (n, line) in &lines {
        match plan(line) {
            Plan::Skip(why) => println!("README line {n} not run ({why}): {line}"),
            Plan::Run(command) => {
                if command.contains("| dot") && !dot {
                    println!("README line {n} not run (Graphviz `dot` is not installed): {line}");
                    continue;
                }
                let out = Command::new("sh")
                    .args(["-c", &command])
                    .current_dir(&work)
                    .env("PATH", &path)
                    .env("NO_COLOR", "1")
                    .stdin(Stdio::null())
                    .output()
                    .unwrap();
                // 0: clean; 1: the example has findings (that is its point).
                assert!(
                    matches!(out.status.code(), Some(0 | 1)),
                    "README line {n}: `{line}` exited {:?}\n{}{}",
                    out.status.code(),
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr)
                );
                if line.starts_with("cargo run --release -- check examples/webshop.topo") {
                    // The set-up paragraph says what it prints.
                    assert_eq!(
                        String::from_utf8_lossy(&out.stdout),
                        "0 errors, 0 warnings, 0 infos in 2 files\n"
                    );
                    assert!(readme.contains("prints `0 errors, 0 warnings, 0 infos in 2 files`"));
                }
                ran += 1;
            }
            Plan::Serve(command) => {
                // The default port may be taken on a shared machine; any free
                // one serves the same page.
                let mut child = Command::new("sh")
                    .args(["-c", &format!("exec {command} --port 0")])
                    .current_dir(&work)
                    .env("PATH", &path)
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap();
                let start = Instant::now();
                let mut first = String::new();
                let mut err = BufReader::new(child.stderr.take().unwrap());
                let _ = err.read_line(&mut first);
                let _ = child.kill();
                let _ = child.wait();
                assert!(
                    first.contains("serving") && first.contains("http://127.0.0.1:"),
                    "README line {n}: `{line}` said {first:?}"
                );
                assert!(start.elapsed() < Duration::from_secs(60));
                ran += 1;
            }
        }
    }
    assert!(ran >= 12, "ran only {ran} lines");
    // What the tour promises is there afterwards.
    for made in [
        "shop.svg",
        "racks.svg",
        "r01.svg",
        "box.svg",
        "report.html",
        "my-dc/main.topo",
        "topo.1",
    ] {
        assert!(work.join(made).exists(), "{made} was not written");
    }
}
