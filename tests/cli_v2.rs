//! The version-2 command line: standard input and directories as projects,
//! `init`, shell completions, the manual page and `--color`.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use support::Topo;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn examples() -> PathBuf {
    repo().join("examples")
}

/// Findings as "rule file:line:column" from JSON output.
fn findings(json: &str) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(json).expect("JSON");
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{} {}:{}:{}",
                d["rule"].as_str().unwrap(),
                d["file"].as_str().unwrap(),
                d["line"],
                d["column"]
            )
        })
        .collect()
}

#[test]
fn standard_input_is_a_file_named_stdin_whose_includes_come_from_the_working_directory() {
    let text = std::fs::read(examples().join("leaf-spine.topo")).unwrap();
    let piped = Topo::new(["check", "--format", "json", "-"])
        .cwd(&examples())
        .stdin(&text)
        .run();
    let named = Topo::new(["check", "--format", "json", "leaf-spine.topo"])
        .cwd(&examples())
        .run();
    assert_eq!(piped.code, named.code);
    let from_stdin = findings(&piped.stdout);
    assert!(!from_stdin.is_empty());
    let renamed: Vec<String> = findings(&named.stdout)
        .iter()
        .map(|f| f.replace(" leaf-spine.topo:", " <stdin>:"))
        .collect();
    assert_eq!(from_stdin, renamed);
    // webshop includes models/dell.topo, found from the working directory.
    let shop = std::fs::read(examples().join("webshop.topo")).unwrap();
    let out = Topo::new(["check", "-"])
        .cwd(&examples())
        .stdin(&shop)
        .run();
    assert_eq!(out.code, Some(0), "{}{}", out.stdout, out.stderr);
    assert_eq!(out.stdout, "0 errors, 0 warnings, 0 infos in 2 files\n");
    // A human frame names <stdin>.
    let out = Topo::new(["check", "-"])
        .cwd(&examples())
        .stdin(&text)
        .run();
    assert!(out.stdout.contains("╭─[<stdin>:"), "{}", out.stdout);
}

#[test]
fn render_reads_standard_input_too() {
    let text = std::fs::read(examples().join("leaf-spine.topo")).unwrap();
    let out = Topo::new(["render", "-", "--view", "network"])
        .cwd(&examples())
        .stdin(&text)
        .run();
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(out.stdout.starts_with("<svg"));
    assert!(out.stdout.contains(">spine1<"));
}

#[test]
fn standard_input_given_twice_or_from_nothing_is_bad_usage() {
    let out = Topo::new(["check", "-", "-"])
        .stdin(b"site a { role primary }\n")
        .run();
    assert_eq!(out.code, Some(2));
    assert!(
        out.stderr.contains("`-` (standard input) is given twice"),
        "{}",
        out.stderr
    );
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn a_directory_is_every_topo_file_below_it_with_its_own_topo_toml() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(&d.join("a/sites.topo"), "site s1 { role primary }\n");
    write(
        &d.join("b/racks.topo"),
        "rack r1 { site s1; height 42U; power 100W }\n\
         server w1 { rack r1 at U1; size 1U; draw 500W }\n",
    );
    // Hidden directories hold no project; other extensions are not topo.
    write(&d.join(".cache/old.topo"), "site s1 { role primary }\n");
    write(&d.join("notes.txt"), "not topo\n");
    // The two files make one project: r1 finds s1 across files, and the
    // hidden copy of s1 is not read (it would be a duplicate).
    let out = Topo::new(["check", "--format", "json", "."]).cwd(d).run();
    assert_eq!(out.code, Some(1), "{}", out.stdout);
    assert_eq!(findings(&out.stdout), ["rack-power b/racks.topo:1:6"]);
    let human = Topo::new(["check", "."]).cwd(d).run();
    assert!(
        human
            .stdout
            .ends_with("1 error, 0 warnings, 0 infos in 2 files\n"),
        "{}",
        human.stdout
    );
    // A topo.toml in the directory given applies to it.
    write(&d.join("topo.toml"), "[rules]\nrack-power = \"warning\"\n");
    let out = Topo::new(["check", d.to_str().unwrap()]).run();
    assert_eq!(out.code, Some(0), "{}", out.stdout);
    assert!(
        out.stdout
            .ends_with("0 errors, 1 warning, 0 infos in 2 files\n"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_directory_without_topo_files_is_bad_usage() {
    let dir = tempfile::tempdir().unwrap();
    let out = Topo::new(["check", dir.path().to_str().unwrap()]).run();
    assert_eq!(out.code, Some(2));
    assert!(
        out.stderr
            .contains("is a directory with no `.topo` file below it"),
        "{}",
        out.stderr
    );
}

#[test]
fn init_writes_a_starter_that_checks_clean_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("shop");
    let out = Topo::new(["init", target.to_str().unwrap()]).run();
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(out.stdout.contains("next: cd "), "{}", out.stdout);
    let check = Topo::new(["check", "."]).cwd(&target).run();
    assert_eq!(check.code, Some(0), "{}", check.stdout);
    assert_eq!(check.stdout, "0 errors, 0 warnings, 0 infos in 2 files\n");
    // The starter is formatted as `topo fmt` would write it.
    let fmt = Topo::new(["fmt", "--check", "main.topo", "models.topo"])
        .cwd(&target)
        .run();
    assert_eq!(fmt.code, Some(0), "{}", fmt.stdout);
    // It teaches: the lesson its comment suggests gives real findings.
    let main = std::fs::read_to_string(target.join("main.topo")).unwrap();
    let moved = main.replace(
        "server db2 : app-1u { rack r2 at U14 }",
        "server db2 : app-1u { rack r1 at U18 }",
    );
    assert_ne!(moved, main);
    std::fs::write(target.join("main.topo"), &moved).unwrap();
    let lesson = Topo::new(["check", "--format", "json", "."])
        .cwd(&target)
        .run();
    let rules: Vec<String> = findings(&lesson.stdout)
        .iter()
        .map(|f| f.split(' ').next().unwrap().to_string())
        .collect();
    assert!(rules.contains(&"ha-same-domain".to_string()), "{rules:?}");
    // A second init refuses and changes nothing.
    let again = Topo::new(["init", target.to_str().unwrap()]).run();
    assert_eq!(again.code, Some(2));
    assert!(
        again.stderr.contains("already exist; nothing written"),
        "{}",
        again.stderr
    );
    assert_eq!(
        std::fs::read_to_string(target.join("main.topo")).unwrap(),
        moved
    );
}

#[test]
fn completions_and_the_manual_page_come_from_the_command_line_itself() {
    for shell in ["bash", "zsh", "fish"] {
        let out = Topo::new(["completions", shell]).run();
        assert_eq!(out.code, Some(0), "{shell}: {}", out.stderr);
        for word in ["check", "render", "init", "view", "network"] {
            assert!(out.stdout.contains(word), "{shell} lacks {word}");
        }
    }
    let out = Topo::new(["completions", "tcsh"]).run();
    assert_eq!(out.code, Some(2));
    let man = Topo::new(["man"]).run();
    assert_eq!(man.code, Some(0));
    assert!(man.stdout.contains(".TH topo 1"), "{}", man.stdout);
    assert!(man.stdout.contains("completions"));
}

fn coloured(args: &[&str], no_color: Option<&str>) -> String {
    let mut c = Command::new(env!("CARGO_BIN_EXE_topo"));
    c.args(args).current_dir(examples()).env_remove("NO_COLOR");
    if let Some(v) = no_color {
        c.env("NO_COLOR", v);
    }
    String::from_utf8(c.output().unwrap().stdout).unwrap()
}

#[test]
fn color_always_never_and_auto_with_no_color() {
    let file = "leaf-spine.topo";
    assert!(coloured(&["check", "--color", "always", file], None).contains("\x1b["));
    // `always` is what the user asked for, NO_COLOR or not.
    assert!(coloured(&["check", "--color", "always", file], Some("1")).contains("\x1b["));
    assert!(!coloured(&["check", "--color", "never", file], None).contains("\x1b["));
    // auto: output to a pipe is plain.
    assert!(!coloured(&["check", file], None).contains("\x1b["));
    assert!(!coloured(&["check", "--color", "auto", file], Some("")).contains("\x1b["));
    // The flag is global: it may come before the command.
    assert!(coloured(&["--color", "always", "check", file], None).contains("\x1b["));
}
