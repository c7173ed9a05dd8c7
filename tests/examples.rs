//! Every example in `examples/` checked through the binary's JSON output,
//! against its exact findings.

use std::process::Command;

/// (example, [(rule, line)]) for every file in `examples/`.
const EXPECTED: &[(&str, &[(&str, u64)])] = &[
    ("client-server.topo", &[("fat-client", 73)]),
    // With its power chain (utility, UPS A/B, a panel per side) every source
    // and feed stays under 80 % even after the other side fails: nothing.
    ("datacenter.topo", &[]),
    // Every site is a failure candidate once there are several: each edge
    // site and the center stop the flows that run there.
    (
        "edge-cdn.topo",
        &[("spof", 17), ("spof", 18), ("spof", 19), ("spof", 30)],
    ),
    // Losing the whole primary site is what the DR site is for: osaka takes
    // every stopped service over, so it is a DR take-over (with its RTO and
    // RPO), not a spof, and the tokyo HA pairs are not reported either.
    ("ha-dr.topo", &[("dr-failover", 19)]),
    // Five deliberate network flaws (see the file's header), each found:
    // leaf4 at 5:1 (declared on 46; its one uplink also makes it, and the
    // backup server bk1 behind its one cable on 73, single points of
    // failure), log1's 100GbE link into 25GbE ports (82), mon1's three
    // links on two ports (86), 2 GB/s of writes over 10 Gb/s (121) and the
    // backup stream over one 25GbE cable (129); Berlin takes over the
    // whole of fra1 (29).
    (
        "leaf-spine.topo",
        &[
            ("dr-failover", 29),
            ("oversubscription", 46),
            ("spof", 46),
            ("spof", 73),
            ("link-speed", 82),
            ("port-count", 86),
            ("dr-rpo", 121),
            ("flow-bandwidth", 129),
        ],
    ),
    ("mainframe.topo", &[]),
    (
        "server-internals.topo",
        &[("bus-bottleneck", 34), ("bus-bottleneck", 38)],
    ),
    ("sharding.topo", &[("shared-layer", 51)]),
    ("vms.topo", &[]),
    ("webshop.topo", &[]),
    ("models/dell.topo", &[]),
];

fn check_json(example: &str) -> (Option<i32>, serde_json::Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_topo"))
        .args(["check", "--format", "json", &format!("examples/{example}")])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs");
    let json = serde_json::from_slice(&out.stdout).expect("valid JSON");
    (out.status.code(), json)
}

#[test]
fn every_example_has_exactly_its_findings() {
    for (example, expected) in EXPECTED {
        let (code, json) = check_json(example);
        let found: Vec<(String, u64)> = json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["rule"].as_str().unwrap().to_string(),
                    d["line"].as_u64().unwrap(),
                )
            })
            .collect();
        let expected: Vec<(String, u64)> =
            expected.iter().map(|(r, l)| (r.to_string(), *l)).collect();
        assert_eq!(found, expected, "{example}: {json:#}");
        let errors = json["summary"]["errors"].as_u64().unwrap();
        assert_eq!(code, Some(if errors > 0 { 1 } else { 0 }), "{example}");
    }
}

#[test]
fn every_example_is_listed() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut files = Vec::new();
    let mut stack = vec![dir.clone()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "topo") {
                files.push(
                    path.strip_prefix(&dir)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                );
            }
        }
    }
    files.sort();
    let mut listed: Vec<String> = EXPECTED.iter().map(|(e, _)| e.to_string()).collect();
    listed.sort();
    assert_eq!(files, listed);
}

#[test]
fn every_example_explains_its_ideas_in_words() {
    for (example, _) in EXPECTED.iter().filter(|(e, _)| !e.starts_with("models/")) {
        let text =
            std::fs::read_to_string(format!("{}/examples/{example}", env!("CARGO_MANIFEST_DIR")))
                .unwrap();
        let header: Vec<&str> = text.lines().take_while(|l| l.starts_with('#')).collect();
        assert!(
            header.len() >= 2,
            "{example} should say in its header comment what it shows"
        );
        // Users have no list of idea IDs: an example says the idea itself.
        let cites_an_id = text.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| {
            // C1..C11, P1..P11, T1..T9; the C621 chipset is not one.
            let number = w.get(1..).and_then(|n| n.parse::<u32>().ok());
            match (w.as_bytes().first(), number) {
                (Some(b'C' | b'P'), Some(n)) => (1..=11).contains(&n),
                (Some(b'T'), Some(n)) => (1..=9).contains(&n),
                _ => false,
            }
        });
        assert!(
            !cites_an_id,
            "{example} cites an idea by ID instead of in words"
        );
    }
}
