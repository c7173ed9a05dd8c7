//! The same input gives byte-identical JSON, SARIF, SVG and DOT, run after
//! run, and whatever order the files are named in.

use std::path::PathBuf;
use std::process::Command;

fn topo(args: &[&str]) -> Vec<u8> {
    let out = Command::new(env!("CARGO_BIN_EXE_topo"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs");
    out.stdout
}

/// Two files of one project, each naming things the other declares.
fn project() -> (PathBuf, PathBuf) {
    let dir = std::env::temp_dir().join(format!("topo-determinism-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let a = dir.join("a-racks.topo");
    let b = dir.join("b-services.topo");
    std::fs::write(
        &a,
        "site dc\nfeed f1 { site dc; circuit 30A at 208V }\nrack r1 { site dc; feeds f1 }\nrack r2 { site dc; feeds f1 }\n\
         server web[1..3] { rack r1 at U1; size 1U; draw 2A; psu 1 }\nserver db[1..2] { rack r2 at U1; size 2U; draw 3A }\n\
         switch tor1 { rack r1 at U42; size 1U }\nlink web[1..3] db[1..2] to tor1 { speed 25GbE }\n",
    )
    .unwrap();
    std::fs::write(
        &b,
        "tier web { role presentation }\ntier db { role data }\nservice shop on web[1..3] { tier web; calls store }\n\
         service store on db1 db2 { tier db; ha active-standby; max-connections 10 }\nservice batch on web1 { pool store 20 }\n\
         client browser { browser }\nflow buy { browser -> shop -> store; content dynamic; rate 100rps }\n",
    )
    .unwrap();
    (a, b)
}

#[test]
fn outputs_are_byte_identical_across_runs_and_argument_orders() {
    let (a, b) = project();
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    for format in ["json", "sarif", "github", "human"] {
        let first = topo(&["check", "--format", format, a, b]);
        assert!(!first.is_empty());
        assert_eq!(
            first,
            topo(&["check", "--format", format, a, b]),
            "{format} differs between runs"
        );
        assert_eq!(
            first,
            topo(&["check", "--format", format, b, a]),
            "{format} depends on the order of the files"
        );
    }
    for example in [
        "webshop",
        "ha-dr",
        "sharding",
        "datacenter",
        "server-internals",
    ] {
        let file = format!("examples/{example}.topo");
        for view in ["system", "rack", "bus", "network"] {
            for format in ["svg", "dot"] {
                let args = ["render", file.as_str(), "--view", view, "--format", format];
                let first = topo(&args);
                assert!(!first.is_empty(), "{example} {view} {format}");
                assert_eq!(
                    first,
                    topo(&args),
                    "{example} {view} {format} differs between runs"
                );
            }
        }
    }
}
