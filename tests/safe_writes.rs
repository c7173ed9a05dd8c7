//! Safe writes: `fmt`, `render -o` and `import -o` replace a file through an
//! exclusive temporary file and keep what the file was (a symlink stays a
//! link, hard links stay linked, owner and mode stay, a device stays a
//! device), leave a file that changed while they ran, never overwrite
//! without `--force`, and report write errors with exit 2.

use std::io::{BufRead, BufReader, Read};
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const UNFORMATTED: &str = "site   tokyo{role primary}\n";
const FORMATTED: &str = "site tokyo { role primary }\n";

fn topo() -> Command {
    Command::new(env!("CARGO_BIN_EXE_topo"))
}

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/webshop.topo")
}

/// A YAML device type `import netbox` converts.
fn device_type() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/netbox/apc-ap8868.yaml")
}

/// `/proc/self` belongs to the process's effective user.
fn is_root() -> bool {
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Waits for a child with a watchdog, so a hang fails instead of blocking.
fn finish(mut child: Child) -> Output {
    let deadline = Instant::now() + Duration::from_secs(120);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("topo did not finish in 120 s");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    child.wait_with_output().unwrap()
}

/// Starts `topo` held right before it replaces or publishes a file (the
/// debug build's test hook), runs `meanwhile`, then lets it go on.
fn held(command: &mut Command, go: &Path, meanwhile: impl FnOnce()) -> Output {
    let mut child = command
        .env("TOPO_TEST_HOLD", go)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    err.read_line(&mut line).unwrap();
    assert_eq!(line, "test: holding\n", "topo did not reach the hold");
    meanwhile();
    std::fs::write(go, "").unwrap();
    let mut rest = String::new();
    err.read_to_string(&mut rest).unwrap();
    let mut out = finish(child);
    out.stderr = rest.into_bytes();
    out
}

#[test]
fn fmt_through_a_symlink_formats_the_target_and_keeps_the_link() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real");
    std::fs::create_dir(&real).unwrap();
    let target = real.join("a.topo");
    std::fs::write(&target, UNFORMATTED).unwrap();
    let link = dir.path().join("link.topo");
    std::os::unix::fs::symlink("real/a.topo", &link).unwrap();
    let o = topo().arg("fmt").arg(&link).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(std::fs::read_to_string(&target).unwrap(), FORMATTED);
    // The temporary file went beside the real file and is gone.
    assert_eq!(std::fs::read_dir(&real).unwrap().count(), 1);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
}

#[test]
fn a_hard_linked_file_stays_linked() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.topo");
    let b = dir.path().join("b.topo");
    std::fs::write(&a, UNFORMATTED).unwrap();
    std::fs::hard_link(&a, &b).unwrap();
    let o = topo().arg("fmt").arg(&a).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&b).unwrap(), FORMATTED);
    assert_eq!(std::fs::metadata(&a).unwrap().nlink(), 2);
    assert_eq!(
        std::fs::metadata(&a).unwrap().ino(),
        std::fs::metadata(&b).unwrap().ino()
    );
}

#[test]
fn mode_and_owner_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.topo");
    std::fs::write(&path, UNFORMATTED).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    let root = is_root();
    if root {
        std::os::unix::fs::chown(&path, Some(65534), Some(65534)).unwrap();
    } else {
        println!("not root: the owner is the runner's, only the mode is tested");
    }
    let before = std::fs::metadata(&path).unwrap();
    let o = topo().arg("fmt").arg(&path).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let after = std::fs::metadata(&path).unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), FORMATTED);
    assert_eq!(after.mode() & 0o7777, 0o640);
    assert_eq!((after.uid(), after.gid()), (before.uid(), before.gid()));
    // Renamed into place, not written in place: a new inode.
    assert_ne!(after.ino(), before.ino());

    // `render -o` onto an existing file keeps its mode too.
    let svg = dir.path().join("out.svg");
    std::fs::write(&svg, "old").unwrap();
    std::fs::set_permissions(&svg, std::fs::Permissions::from_mode(0o604)).unwrap();
    let o = topo()
        .arg("render")
        .arg(example())
        .arg("-o")
        .arg(&svg)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(std::fs::read_to_string(&svg).unwrap().contains("<svg"));
    assert_eq!(std::fs::metadata(&svg).unwrap().mode() & 0o7777, 0o604);
}

#[test]
fn render_to_dev_null_leaves_the_device() {
    let null = Path::new("/dev/null");
    if std::fs::OpenOptions::new().write(true).open(null).is_err() {
        println!("skipped: /dev/null is not writable here");
        return;
    }
    let o = topo()
        .arg("render")
        .arg(example())
        .arg("-o")
        .arg(null)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let meta = std::fs::symlink_metadata(null).unwrap();
    assert!(meta.file_type().is_char_device(), "/dev/null was replaced");
}

#[test]
fn render_to_a_fifo_writes_into_it() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        println!("skipped: mkfifo is not available");
        return;
    }
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut text = String::new();
            std::fs::File::open(&fifo)
                .unwrap()
                .read_to_string(&mut text)
                .unwrap();
            text
        })
    };
    let child = topo()
        .arg("render")
        .arg(example())
        .arg("-o")
        .arg(&fifo)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let o = finish(child);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(reader.join().unwrap().contains("<svg"));
    assert!(std::fs::symlink_metadata(&fifo)
        .unwrap()
        .file_type()
        .is_fifo());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn import_never_overwrites_a_file_created_while_it_ran() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("models.topo");
    let go = dir.path().join("go");
    let o = held(
        topo()
            .args(["import", "netbox"])
            .arg(device_type())
            .arg("-o")
            .arg(&out),
        &go,
        || std::fs::write(&out, "# mine\n").unwrap(),
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("exists; pass --force to overwrite it"),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "# mine\n");
    // No temporary file is left behind.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);

    // Refused before any work, too; `--force` replaces it.
    let o = topo()
        .args(["import", "netbox"])
        .arg(device_type())
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let o = topo()
        .args(["import", "netbox", "--force"])
        .arg(device_type())
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(std::fs::read_to_string(&out).unwrap().contains("model "));
}

#[test]
fn fmt_leaves_a_file_changed_while_it_ran() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.topo");
    std::fs::write(&path, UNFORMATTED).unwrap();
    let edit = "site   osaka\n";
    let o = held(topo().arg("fmt").arg(&path), &dir.path().join("go"), || {
        std::fs::write(&path, edit).unwrap()
    });
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("changed during formatting; left as it is"),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), edit);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
}

#[test]
fn fmt_does_not_bring_back_a_file_deleted_while_it_ran() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.topo");
    std::fs::write(&path, UNFORMATTED).unwrap();
    let o = held(topo().arg("fmt").arg(&path), &dir.path().join("go"), || {
        std::fs::remove_file(&path).unwrap()
    });
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("changed during formatting (it was deleted); left as it is"),
        "{}",
        stderr(&o)
    );
    assert!(!path.exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn a_full_disk_on_stdout_is_exit_2() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        println!("skipped: /dev/full is not available");
        return;
    };
    let o = topo()
        .arg("check")
        .arg(example())
        .stdout(full)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("cannot write to standard output"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_closed_pipe_on_stdout_is_a_quiet_exit() {
    let mut child = topo()
        .arg("rules")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The reader is gone before topo writes: its write meets EPIPE.
    drop(child.stdout.take());
    let o = finish(child);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stderr(&o), "");
}

#[test]
fn a_full_disk_on_output_is_exit_2() {
    if !Path::new("/dev/full").exists() {
        println!("skipped: /dev/full is not available");
        return;
    }
    let o = topo()
        .arg("render")
        .arg(example())
        .args(["-o", "/dev/full"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot write `/dev/full`"));
    assert!(std::fs::symlink_metadata("/dev/full")
        .unwrap()
        .file_type()
        .is_char_device());
}

/// A copy of the binary that an unprivileged user can run: the build
/// directory may sit below a directory only root may enter.
fn binary_for_everyone(dir: &std::path::Path) -> std::path::PathBuf {
    let bin = tempfile::Builder::new()
        .prefix("topo-bin")
        .tempdir_in(dir)
        .unwrap()
        .keep();
    std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
    let topo = bin.join("topo");
    std::fs::copy(env!("CARGO_BIN_EXE_topo"), &topo).unwrap();
    std::fs::set_permissions(&topo, std::fs::Permissions::from_mode(0o755)).unwrap();
    topo
}

/// Another user plants symlinks where a predictable temporary name would be
/// (`.a.topo.topo-PID`, the names topo used to write through) and at names
/// like the ones it uses now; the victim, not root, formats its file in the
/// shared directory. The file the symlinks point to must stay untouched.
#[test]
fn planted_symlinks_are_not_followed() {
    if !is_root() {
        println!("skipped: the test needs root to act as two users");
        return;
    }
    let setpriv = Command::new("setpriv").arg("--version").output();
    if !setpriv.is_ok_and(|o| o.status.success()) {
        println!("skipped: setpriv is not available");
        return;
    }
    let base = tempfile::tempdir().unwrap();
    let shared = base.path().join("shared");
    std::fs::create_dir(&shared).unwrap();
    std::fs::set_permissions(base.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o1777)).unwrap();
    // The victim's own file elsewhere, which the attacker wants overwritten.
    let secret = base.path().join("secret");
    std::fs::write(&secret, "the victim's data\n").unwrap();
    std::os::unix::fs::chown(&secret, Some(65534), Some(65534)).unwrap();
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o600)).unwrap();
    let victim = shared.join("a.topo");
    std::fs::write(&victim, UNFORMATTED).unwrap();
    std::os::unix::fs::chown(&victim, Some(65534), Some(65534)).unwrap();

    let last_pid: u32 = std::fs::read_to_string("/proc/sys/kernel/ns_last_pid")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(1);
    for pid in last_pid..last_pid + 500 {
        let name = shared.join(format!(".a.topo.topo-{pid}"));
        std::os::unix::fs::symlink(&secret, name).unwrap();
    }
    for guess in ["AAAAAA", "aaaaaa", "000000", "zzzzzz"] {
        let name = shared.join(format!(".a.topo.{guess}.topo-tmp"));
        std::os::unix::fs::symlink(&secret, name).unwrap();
    }
    let topo = binary_for_everyone(base.path());
    let child = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(&topo)
        .arg("fmt")
        .arg(&victim)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let o = finish(child);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), FORMATTED);
    let meta = std::fs::metadata(&victim).unwrap();
    assert_eq!((meta.uid(), meta.gid()), (65534, 65534));
    assert_eq!(
        std::fs::read_to_string(&secret).unwrap(),
        "the victim's data\n"
    );
    assert_eq!(std::fs::metadata(&secret).unwrap().mode() & 0o7777, 0o600);
}

#[test]
fn fmt_as_another_user_keeps_the_owner() {
    if !is_root() {
        println!("skipped: the test needs root to act as two users");
        return;
    }
    // A file of uid 65534 in a directory everyone may write: formatted by
    // uid 65533, which cannot give a new file away, it is written in place.
    let base = tempfile::tempdir().unwrap();
    std::fs::set_permissions(base.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let path = base.path().join("a.topo");
    std::fs::write(&path, UNFORMATTED).unwrap();
    std::os::unix::fs::chown(&path, Some(65534), Some(65534)).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o666)).unwrap();
    let topo = binary_for_everyone(base.path());
    let child = Command::new("setpriv")
        .args(["--reuid=65533", "--regid=65533", "--clear-groups"])
        .arg(&topo)
        .arg("fmt")
        .arg(&path)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let Ok(child) = child else {
        println!("skipped: setpriv is not available");
        return;
    };
    let o = finish(child);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), FORMATTED);
    let meta = std::fs::metadata(&path).unwrap();
    assert_eq!((meta.uid(), meta.gid()), (65534, 65534));
    assert_eq!(meta.mode() & 0o7777, 0o666);
}
