//! Includes that try to leave the project, and inputs that are not regular
//! files or are too large. Each hostile include ends in exit 1 with a
//! diagnostic on the include line, and the target's content appears in no
//! output format and not on stderr; a hostile given file ends in exit 2.
//! The 60 s watchdog only catches hangs (a FIFO or `/dev/stdin` read
//! blocking, `/dev/zero` read to the end); timings are not asserted.

use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::Command;

const SECRET: &str = "SECRETTOKEN4242";
/// What a `.git/config` with a CI token looks like. The secret is also the
/// first word of a line, which a topo reader would echo as a keyword.
const GIT_CONFIG: &str =
    "[http]\n\textraheader = AUTHORIZATION: basic SECRETTOKEN4242\nSECRETTOKEN4242 = 1\n";

mod support;
use support::lsp::{file_uri, Lsp};
use support::{Outcome, Topo};

/// Runs topo in `cwd` with `stdin` (or nothing) on its standard input; the
/// watchdog fires after 60 s (a FIFO, `/dev/stdin` or `/dev/zero` read).
fn run_with(cwd: &Path, args: &[&str], stdin: Option<&[u8]>) -> Outcome {
    let topo = Topo::new(args).cwd(cwd).watchdog(60);
    match stdin {
        Some(bytes) => topo.stdin(bytes),
        None => topo,
    }
    .run()
}

fn run(cwd: &Path, args: &[&str]) -> Outcome {
    run_with(cwd, args, None)
}

/// A temporary directory holding `proj/` and, beside it, secrets:
/// `outside/secret.topo` and `.git/config`.
fn workspace() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::create_dir_all(d.join("proj")).unwrap();
    std::fs::create_dir_all(d.join("outside")).unwrap();
    std::fs::create_dir_all(d.join(".git")).unwrap();
    std::fs::write(d.join(".git/config"), GIT_CONFIG).unwrap();
    std::fs::write(
        d.join("outside/secret.topo"),
        format!("{SECRET} here\nsite {SECRET}\n"),
    )
    .unwrap();
    tmp
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success(), "mkfifo {}", path.display());
}

/// `proj/main.topo` holds `site s` and then `include_line` on line 2.
/// Checks it in every format: exit 1, an invalid-value diagnostic on line 2
/// whose message contains `reason`, and the secret nowhere.
fn refused(dir: &Path, include_line: &str, reason: &str) {
    refused_with(dir, include_line, reason, &[], None);
}

fn refused_with(
    dir: &Path,
    include_line: &str,
    reason: &str,
    extra: &[&str],
    stdin: Option<&[u8]>,
) {
    std::fs::write(
        dir.join("proj/main.topo"),
        format!("site s\n{include_line}\n"),
    )
    .unwrap();
    for format in ["json", "human", "sarif", "github"] {
        let mut args = vec!["check", "--format", format, "proj/main.topo"];
        args.extend(extra);
        let o = run_with(dir, &args, stdin);
        let all = format!("{}\n{}", o.stdout, o.stderr);
        assert_eq!(o.code, Some(1), "{include_line} ({format}): {all}");
        assert!(
            !all.contains(SECRET),
            "{include_line} ({format}) leaked: {all}"
        );
        assert!(
            !all.contains("AUTHORIZATION"),
            "{include_line} ({format}) leaked: {all}"
        );
        assert!(
            !all.contains("panicked"),
            "{include_line} ({format}): {all}"
        );
        if format == "json" {
            let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
            let diagnostics = v["diagnostics"].as_array().unwrap();
            assert_eq!(diagnostics.len(), 1, "{include_line}: {}", o.stdout);
            let d = &diagnostics[0];
            assert_eq!(d["rule"], "invalid-value");
            assert_eq!(d["line"], 2, "{include_line}: {}", o.stdout);
            assert_eq!(d["column"], 9, "{include_line}: {}", o.stdout);
            let message = d["message"].as_str().unwrap();
            assert!(
                message.starts_with("cannot include `"),
                "{include_line}: {message}"
            );
            assert!(message.contains(reason), "{include_line}: {message}");
        }
        if format == "github" {
            assert!(o.stdout.contains("line=2,col=9"), "{}", o.stdout);
        }
    }
}

#[test]
fn an_absolute_include_is_refused() {
    let tmp = workspace();
    let d = tmp.path();
    let secret = d.join("outside/secret.topo");
    refused(
        d,
        &format!("include \"{}\"", secret.display()),
        "it is an absolute path",
    );
    refused(
        d,
        &format!("include \"{}\"", d.join(".git/config").display()),
        "it is an absolute path",
    );
    refused(d, "include \"/etc/passwd\"", "it is an absolute path");
}

#[test]
fn a_relative_escape_is_refused() {
    let tmp = workspace();
    let d = tmp.path();
    let root = std::fs::canonicalize(d.join("proj")).unwrap();
    refused(
        d,
        "include \"../.git/config\"",
        &format!(
            "it is outside the project root `{}` (pass --root to widen it)",
            root.display()
        ),
    );
    // A `.topo` name, so only the root stops it.
    refused(
        d,
        "include \"../outside/secret.topo\"",
        "outside the project root",
    );
    refused(
        d,
        "include \"sub/../../outside/secret.topo\"",
        "outside the project root",
    );
    refused(
        d,
        "include \"../../../../../../../../../../etc/passwd\"",
        "outside the project root",
    );
}

#[test]
fn a_symlink_out_of_the_root_is_refused() {
    let tmp = workspace();
    let d = tmp.path();
    symlink(d.join("outside/secret.topo"), d.join("proj/link.topo")).unwrap();
    refused(d, "include \"link.topo\"", "outside the project root");
    // A relative link, and a linked directory.
    symlink("../outside/secret.topo", d.join("proj/relative.topo")).unwrap();
    refused(d, "include \"relative.topo\"", "outside the project root");
    symlink(d.join("outside"), d.join("proj/sub")).unwrap();
    refused(d, "include \"sub/secret.topo\"", "outside the project root");
    // Inside the root, but to a file that is not a .topo file.
    std::fs::write(d.join("proj/.env"), format!("{SECRET}=1\n")).unwrap();
    symlink(".env", d.join("proj/env.topo")).unwrap();
    refused(
        d,
        "include \"env.topo\"",
        "only .topo files can be included",
    );
}

#[test]
fn devices_are_refused_unread() {
    let tmp = workspace();
    let d = tmp.path();
    refused(d, "include \"/dev/zero\"", "it is an absolute path");
    symlink("/dev/zero", d.join("proj/zero.topo")).unwrap();
    refused(d, "include \"zero.topo\"", "outside the project root");
    // With the whole disk as the root, the name still is not a .topo file.
    refused_with(
        d,
        "include \"zero.topo\"",
        "only .topo files can be included",
        &["--root", "/"],
        None,
    );
}

#[test]
fn standard_input_is_never_read_through_an_include() {
    let tmp = workspace();
    let d = tmp.path();
    // The secret waits on a pipe that stays open: reading it would block.
    let line = format!("{SECRET}\n");
    refused_with(
        d,
        "include \"/dev/stdin\"",
        "it is an absolute path",
        &[],
        Some(line.as_bytes()),
    );
    symlink("/dev/stdin", d.join("proj/stdin.topo")).unwrap();
    refused_with(d, "include \"stdin.topo\"", "", &[], Some(line.as_bytes()));
    refused_with(
        d,
        "include \"stdin.topo\"",
        "",
        &["--root", "/"],
        Some(line.as_bytes()),
    );
}

#[test]
fn special_files_inside_the_root_are_refused() {
    let tmp = workspace();
    let d = tmp.path();
    mkfifo(&d.join("proj/fifo.topo"));
    refused(
        d,
        "include \"fifo.topo\"",
        "it is a FIFO, not a regular file",
    );
    std::fs::create_dir(d.join("proj/x.topo")).unwrap();
    refused(
        d,
        "include \"x.topo\"",
        "it is a directory, not a regular file",
    );
    let _listener = std::os::unix::net::UnixListener::bind(d.join("proj/s.topo")).unwrap();
    refused(
        d,
        "include \"s.topo\"",
        "it is a socket, not a regular file",
    );
    std::fs::write(d.join("proj/notes.txt"), GIT_CONFIG).unwrap();
    refused(
        d,
        "include \"notes.txt\"",
        "only .topo files can be included",
    );
}

#[test]
fn control_characters_in_an_include_are_escaped() {
    let tmp = workspace();
    let d = tmp.path();
    // A terminal title escape in the include's name.
    std::fs::write(
        d.join("proj/main.topo"),
        "site s\ninclude \"x\u{1b}]0;T\u{7}::pwned.topo\"\n",
    )
    .unwrap();
    let o = run(d, &["check", "--format", "github", "proj/main.topo"]);
    assert_eq!(o.code, Some(1), "{}{}", o.stdout, o.stderr);
    assert!(
        o.stdout
            .contains("cannot include `x\\u{1b}]0;T\\u{7}::pwned.topo`: no such file"),
        "{}",
        o.stdout
    );
    assert!(!o.stdout.contains(['\u{1b}', '\u{7}']), "{}", o.stdout);
}

#[test]
fn parent_directories_resolve_to_the_right_file() {
    let tmp = workspace();
    let d = tmp.path();
    std::fs::create_dir_all(d.join("proj/a/b")).unwrap();
    std::fs::write(d.join("proj/common.topo"), "site real\n").unwrap();
    // A decoy where a dropped `..` would land: it would be an error if read.
    std::fs::write(
        d.join("proj/a/b/common.topo"),
        "site decoy\nrack r { site nowhere }\n",
    )
    .unwrap();
    std::fs::write(
        d.join("proj/a/b/main.topo"),
        "include \"../../common.topo\"\nrack r1 { site real }\n",
    )
    .unwrap();
    let o = run(d, &["check", "--root", "proj", "proj/a/b/main.topo"]);
    assert_eq!(o.code, Some(0), "{}{}", o.stdout, o.stderr);
    assert!(o.stdout.ends_with("in 2 files\n"), "{}", o.stdout);
    let json = run(
        d,
        &[
            "check",
            "--format",
            "json",
            "--root",
            "proj",
            "proj/a/b/main.topo",
        ],
    );
    assert!(!json.stdout.contains("decoy"), "{}", json.stdout);
    // From inside the directory, with the root given relative to it.
    let o = run(
        &d.join("proj/a/b"),
        &["check", "--root", "../..", "main.topo"],
    );
    assert_eq!(o.code, Some(0), "{}{}", o.stdout, o.stderr);
    // Without --root, the default root (main.topo's directory) refuses it.
    let o = run(d, &["check", "proj/a/b/main.topo"]);
    assert_eq!(o.code, Some(1), "{}", o.stdout);
    assert!(
        o.stdout.contains("outside the project root"),
        "{}",
        o.stdout
    );
}

#[test]
fn results_do_not_depend_on_the_working_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::create_dir_all(d.join("dc/models")).unwrap();
    std::fs::create_dir_all(d.join("x/y")).unwrap();
    std::fs::write(d.join("dc/models/m.topo"), "site s\n").unwrap();
    std::fs::write(
        d.join("dc/main.topo"),
        "include \"models/m.topo\"\nrack r { site s }\n",
    )
    .unwrap();
    let absolute = d.join("dc/main.topo");
    let cases: [(PathBuf, &str); 4] = [
        (d.join("x/y"), "../../dc/main.topo"),
        (d.join("dc"), "main.topo"),
        (d.to_path_buf(), "dc/main.topo"),
        (PathBuf::from("/"), absolute.to_str().unwrap()),
    ];
    for (cwd, file) in cases {
        let o = run(&cwd, &["check", file]);
        assert_eq!(
            o.code,
            Some(0),
            "{file} in {}: {}{}",
            cwd.display(),
            o.stdout,
            o.stderr
        );
        assert!(o.stdout.ends_with("in 2 files\n"), "{}", o.stdout);
    }
}

#[test]
fn root_widens_to_shared_models() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::create_dir_all(d.join("proj/dc")).unwrap();
    std::fs::create_dir_all(d.join("proj/shared")).unwrap();
    std::fs::write(d.join("proj/shared/models.topo"), "site s\n").unwrap();
    std::fs::write(
        d.join("proj/dc/main.topo"),
        "include \"../shared/models.topo\"\nrack r { site s }\n",
    )
    .unwrap();
    let narrow = run(d, &["check", "--format", "json", "proj/dc/main.topo"]);
    assert_eq!(narrow.code, Some(1), "{}", narrow.stdout);
    assert!(
        narrow.stdout.contains("pass --root to widen it"),
        "{}",
        narrow.stdout
    );
    for command in ["check", "render", "impact"] {
        let mut args = vec![command, "--root", "proj", "proj/dc/main.topo"];
        if command == "impact" {
            args.push("r");
        }
        let wide = run(d, &args);
        assert_eq!(
            wide.code,
            Some(0),
            "{command}: {}{}",
            wide.stdout,
            wide.stderr
        );
    }
    let missing = run(d, &["check", "--root", "nowhere", "proj/dc/main.topo"]);
    assert_eq!(missing.code, Some(2));
    assert!(
        missing.stderr.contains("--root `nowhere`"),
        "{}",
        missing.stderr
    );
}

#[test]
fn given_files_that_are_not_regular_or_too_large_are_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    mkfifo(&d.join("fifo.topo"));
    for args in [
        vec!["check", "fifo.topo"],
        vec!["fmt", "fifo.topo"],
        vec!["fmt", "--check", "fifo.topo"],
        vec!["render", "fifo.topo"],
        vec!["import", "netbox", "fifo.topo"],
    ] {
        let o = run(d, &args);
        assert_eq!(o.code, Some(2), "{args:?}: {}", o.stderr);
        assert!(
            o.stderr
                .contains("cannot read `fifo.topo`: it is a FIFO, not a regular file"),
            "{args:?}: {}",
            o.stderr
        );
    }
    for device in ["/dev/zero", "/dev/stdin"] {
        let o = run(d, &["check", device]);
        assert_eq!(o.code, Some(2), "{}", o.stderr);
        assert!(o.stderr.contains("not a regular file"), "{}", o.stderr);
    }
    // 65 MiB, sparse: the size alone refuses it.
    let big = std::fs::File::create(d.join("big.topo")).unwrap();
    big.set_len(65 * 1024 * 1024).unwrap();
    for args in [vec!["check", "big.topo"], vec!["fmt", "big.topo"]] {
        let o = run(d, &args);
        assert_eq!(o.code, Some(2), "{}", o.stderr);
        assert!(
            o.stderr.contains(
                "cannot read `big.topo`: it is 68157440 bytes, more than the limit of 64 MiB"
            ),
            "{}",
            o.stderr
        );
    }
}

#[test]
fn standard_input_is_bounded() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let o = run_with(d, &["fmt", "-"], Some(b"site   a\n"));
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    assert_eq!(o.stdout, "site a\n");
    let big = vec![b'#'; 65 * 1024 * 1024];
    let o = run_with(d, &["fmt", "-"], Some(&big));
    assert_eq!(o.code, Some(2), "{}", o.stderr);
    assert!(
        o.stderr
            .contains("cannot read `<stdin>`: it is more than the limit of 64 MiB"),
        "{}",
        o.stderr
    );
    // /dev/null is neither a pipe nor a file.
    let o = run(d, &["fmt", "-"]);
    assert_eq!(o.code, Some(2), "{}", o.stderr);
    assert!(o.stderr.contains("a character device"), "{}", o.stderr);
}

#[test]
fn a_topo_toml_that_is_not_a_regular_file_or_too_large_is_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::create_dir_all(d.join("fifo")).unwrap();
    std::fs::write(d.join("fifo/dc.topo"), "site s\n").unwrap();
    mkfifo(&d.join("fifo/topo.toml"));
    let o = run(d, &["check", "fifo/dc.topo"]);
    assert_eq!(o.code, Some(2), "{}", o.stderr);
    assert!(
        o.stderr
            .contains("topo.toml`: it is a FIFO, not a regular file"),
        "{}",
        o.stderr
    );
    std::fs::create_dir_all(d.join("big")).unwrap();
    std::fs::write(d.join("big/dc.topo"), "site s\n").unwrap();
    let big = std::fs::File::create(d.join("big/topo.toml")).unwrap();
    big.set_len(100 * 1000 * 1000).unwrap();
    let o = run(d, &["check", "big/dc.topo"]);
    assert_eq!(o.code, Some(2), "{}", o.stderr);
    assert!(
        o.stderr.contains("more than the limit of 64 MiB"),
        "{}",
        o.stderr
    );
    // Given with --config, the same.
    let o = run(d, &["check", "--config", "fifo/topo.toml", "big/dc.topo"]);
    assert_eq!(o.code, Some(2), "{}", o.stderr);
    assert!(o.stderr.contains("FIFO"), "{}", o.stderr);
}

/// `shutdown`, `exit`, and the server exits 0.
fn finish(mut lsp: Lsp) {
    lsp.shutdown();
    let (status, _) = lsp.exit();
    assert!(status.success(), "{status}");
}

/// Each published diagnostic as (0-based line, message).
fn lines_and_messages(diagnostics: &[serde_json::Value]) -> Vec<(u64, String)> {
    diagnostics
        .iter()
        .map(|d| {
            (
                d["range"]["start"]["line"].as_u64().unwrap(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn the_language_server_never_reads_special_files_or_its_own_input() {
    let tmp = workspace();
    let d = std::fs::canonicalize(tmp.path()).unwrap();
    mkfifo(&d.join("proj/fifo.topo"));
    symlink(d.join("outside/secret.topo"), d.join("proj/link.topo")).unwrap();
    let path = d.join("proj/main.topo");
    let text = "site s\ninclude \"/dev/stdin\"\ninclude \"fifo.topo\"\ninclude \"link.topo\"\ninclude \"../.git/config\"\n";
    std::fs::write(&path, text).unwrap();
    let uri = file_uri(&path);
    // The watchdog catches a server blocked on its own standard input.
    let mut lsp = Lsp::start().watchdog(60);
    lsp.initialize();
    lsp.open(&uri, text);
    let diagnostics = lsp.diagnostics_for(&uri);
    let found = lines_and_messages(&diagnostics);
    assert_eq!(found.len(), 4, "{found:#?}");
    let expected = [
        (1, "cannot include `/dev/stdin`: it is an absolute path"),
        (
            2,
            "cannot include `fifo.topo`: it is a FIFO, not a regular file",
        ),
        (3, "cannot include `link.topo`: it leads to"),
        (
            4,
            "cannot include `../.git/config`: it is outside the project root",
        ),
    ];
    for ((line, message), (want_line, want)) in found.iter().zip(expected) {
        assert_eq!(*line, want_line, "{message}");
        assert!(message.starts_with(want), "{message}");
        assert!(!message.contains(SECRET), "{message}");
    }
    // Formatting a file that is not open reads it from disk, boundedly: a
    // FIFO gets no edits, and the server keeps answering.
    let fifo_uri = file_uri(&d.join("proj/fifo.topo"));
    let reply = lsp.request(
        "textDocument/formatting",
        serde_json::json!({"textDocument": {"uri": fifo_uri}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    assert!(reply["result"].is_null(), "{reply}");
    let reply = lsp.request(
        "textDocument/documentSymbol",
        serde_json::json!({"textDocument": {"uri": uri}}),
    );
    assert!(reply["result"].is_array(), "{reply}");
    finish(lsp);
}

#[test]
fn the_language_server_roots_documents_at_their_workspace_folder() {
    let tmp = workspace();
    let d = std::fs::canonicalize(tmp.path()).unwrap();
    std::fs::create_dir_all(d.join("proj/models")).unwrap();
    std::fs::write(d.join("proj/common.topo"), "site common\n").unwrap();
    let path = d.join("proj/models/a.topo");
    let text = "include \"../common.topo\"\ninclude \"../../outside/secret.topo\"\nsite a\n";
    std::fs::write(&path, text).unwrap();
    let uri = file_uri(&path);
    let mut lsp = Lsp::start().watchdog(60);
    lsp.initialize_in(&d.join("proj"));
    lsp.open(&uri, text);
    let diagnostics = lsp.diagnostics_for(&uri);
    // The workspace folder is the root: `../common.topo` stays inside it,
    // the file beside the workspace does not.
    let found = lines_and_messages(&diagnostics);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].0, 1);
    assert!(
        found[0].1.starts_with(
            "cannot include `../../outside/secret.topo`: it is outside the project root"
        ),
        "{}",
        found[0].1
    );
    finish(lsp);
}
