//! Running the `topo` binary from tests: with or without a memory bound,
//! in a directory, with bytes on its standard input, and with a watchdog
//! that only catches hangs (timings are measured in BENCHMARKS.md, never
//! asserted here). Both output pipes are drained while the process runs, so
//! a large output cannot block it. The language server has its own client
//! in `lsp`.

// Each test binary uses a part of this module.
#![allow(dead_code)]

pub mod brute;
pub mod fixtures;
pub mod lsp;

use std::ffi::OsStr;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How a run ended.
pub struct Outcome {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub took: Duration,
}

/// One run of the binary, set up step by step.
pub struct Topo {
    command: Command,
    stdin: Option<Vec<u8>>,
    watchdog: Duration,
    shown: String,
}

impl Topo {
    /// `topo ARGS`.
    pub fn new<I: IntoIterator<Item = S>, S: AsRef<OsStr>>(args: I) -> Topo {
        let mut command = Command::new(env!("CARGO_BIN_EXE_topo"));
        let args: Vec<_> = args.into_iter().map(|a| a.as_ref().to_owned()).collect();
        command.args(&args);
        Topo::of(command, &args)
    }

    /// `topo ARGS` under a 2 GB address-space limit (`ulimit -v`), so that
    /// unbounded memory ends the run instead of the machine.
    pub fn limited<I: IntoIterator<Item = S>, S: AsRef<OsStr>>(args: I) -> Topo {
        let mut command = Command::new("sh");
        let args: Vec<_> = args.into_iter().map(|a| a.as_ref().to_owned()).collect();
        command
            .arg("-c")
            .arg("ulimit -v 2000000; exec \"$@\"")
            .arg("sh")
            .arg(env!("CARGO_BIN_EXE_topo"))
            .args(&args);
        Topo::of(command, &args)
    }

    /// `topo check --format json FILE` under the memory bound.
    pub fn check_json(file: &Path) -> Topo {
        Topo::limited([
            OsStr::new("check"),
            OsStr::new("--format"),
            OsStr::new("json"),
            file.as_os_str(),
        ])
    }

    fn of(command: Command, args: &[std::ffi::OsString]) -> Topo {
        Topo {
            command,
            stdin: None,
            watchdog: Duration::from_secs(120),
            shown: format!("topo {args:?}"),
        }
    }

    pub fn cwd(mut self, dir: &Path) -> Topo {
        self.command.current_dir(dir);
        self
    }

    /// Bytes for standard input. The pipe stays open until they are all
    /// written, so a read past them blocks (and the watchdog fires).
    pub fn stdin(mut self, bytes: &[u8]) -> Topo {
        self.stdin = Some(bytes.to_vec());
        self
    }

    pub fn watchdog(mut self, seconds: u64) -> Topo {
        self.watchdog = Duration::from_secs(seconds);
        self
    }

    /// Runs to the end; panics if the watchdog fires or topo panicked.
    pub fn run(mut self) -> Outcome {
        let start = Instant::now();
        let mut child = self
            .command
            .stdin(if self.stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let feeder = self.stdin.take().map(|bytes| {
            let mut pipe = child.stdin.take().unwrap();
            std::thread::spawn(move || {
                // The reader may stop early (a limit): a broken pipe is fine.
                let _ = pipe.write_all(&bytes);
            })
        });
        let out = drain(child.stdout.take().unwrap());
        let err = drain(child.stderr.take().unwrap());
        let status = wait(&mut child, start + self.watchdog, &self.shown);
        if let Some(f) = feeder {
            let _ = f.join();
        }
        let o = Outcome {
            code: status.code(),
            stdout: String::from_utf8_lossy(&out.join().unwrap()).into_owned(),
            stderr: String::from_utf8_lossy(&err.join().unwrap()).into_owned(),
            took: start.elapsed(),
        };
        assert!(
            !o.stderr.contains("internal error"),
            "{} panicked: {}",
            self.shown,
            o.stderr
        );
        o
    }
}

fn drain<R: Read + Send + 'static>(mut r: R) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = r.read_to_end(&mut buf);
        buf
    })
}

fn wait(child: &mut Child, deadline: Instant, shown: &str) -> std::process::ExitStatus {
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{shown} did not finish before the watchdog");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}
