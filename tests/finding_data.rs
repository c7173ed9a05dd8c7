//! Every finding carries `data`: the figures it compared, in SI base units,
//! and the names it is about. Asserted exactly from `topo check --format
//! json` for the failure-model and rack rules, and the same object under
//! `properties.data` in SARIF.

use serde_json::{json, Value};
use std::process::Command;

fn check(path: &str, format: &str) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_topo"))
        .args(["check", "--format", format, path])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs");
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

/// (line, data) of every finding of `rule` in the fixture, from JSON; and
/// asserts SARIF carries the same objects, in the same order.
fn data(path: &str, rule: &str) -> Vec<(u64, Value)> {
    let json = check(path, "json");
    let diagnostics = json["diagnostics"].as_array().unwrap();
    for d in diagnostics {
        assert!(d["data"].is_object(), "{path}: a finding without data: {d}");
        // A fixture with a language error proves nothing about the rules.
        let language = [
            "syntax",
            "unknown-name",
            "duplicate-name",
            "unit-mismatch",
            "invalid-value",
        ];
        assert!(
            !language.contains(&d["rule"].as_str().unwrap()),
            "{path}: {d}"
        );
    }
    let found: Vec<(u64, Value)> = diagnostics
        .iter()
        .filter(|d| d["rule"] == rule)
        .map(|d| (d["line"].as_u64().unwrap(), d["data"].clone()))
        .collect();
    let sarif = check(path, "sarif");
    let in_sarif: Vec<(u64, Value)> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["ruleId"] == rule)
        .map(|r| {
            (
                r["locations"][0]["physicalLocation"]["region"]["startLine"]
                    .as_u64()
                    .unwrap(),
                r["properties"]["data"].clone(),
            )
        })
        .collect();
    assert_eq!(found, in_sarif, "{path}: SARIF's data differs from JSON's");
    found
}

fn fixture(dir: &str, name: &str) -> String {
    format!("tests/fixtures/{dir}/{name}.topo")
}

#[test]
fn spof_names_the_flows_and_the_kind_of_element() {
    assert_eq!(
        data(&fixture("spof", "fires"), "spof"),
        vec![
            (8, json!({"element_kind": "rack", "flows": ["checkout"]})),
            (9, json!({"element_kind": "rack", "flows": ["checkout"]})),
            (13, json!({"element_kind": "server", "flows": ["checkout"]})),
            (14, json!({"element_kind": "switch", "flows": ["checkout"]})),
        ]
    );
    // Every flow it stops, and the keyword of a power source.
    assert_eq!(
        data(&fixture("finding-data", "one-ups"), "spof"),
        vec![
            (
                3,
                json!({"element_kind": "power", "flows": ["orders", "reports"]})
            ),
            (
                10,
                json!({"element_kind": "server", "flows": ["orders", "reports"]})
            ),
        ]
    );
    assert_eq!(data(&fixture("spof", "clean"), "spof"), vec![]);
}

#[test]
fn ha_same_domain_names_the_members_and_the_shared_domains() {
    assert_eq!(
        data(&fixture("ha-same-domain", "fires"), "ha-same-domain"),
        vec![
            // One host: the message names the host alone, and so does data.
            (
                11,
                json!({"domains": ["host1"], "members": ["cache1", "cache2"]})
            ),
            (12, json!({"domains": ["r2"], "members": ["db1", "db2"]})),
        ]
    );
    assert_eq!(
        data(&fixture("finding-data", "one-ups"), "ha-same-domain"),
        vec![(12, json!({"domains": ["ups1"], "members": ["db1", "db2"]}))]
    );
    assert_eq!(
        data(&fixture("ha-same-domain", "clean"), "ha-same-domain"),
        vec![]
    );
}

#[test]
fn unreachable_names_both_ends() {
    assert_eq!(
        data(&fixture("unreachable", "fires"), "unreachable"),
        vec![(
            12,
            json!({"flow": "checkout", "from": "shop-web", "to": "shop-db"})
        )]
    );
    assert_eq!(
        data(&fixture("unreachable", "clean"), "unreachable"),
        vec![]
    );
    // Outside traffic: `from` is null.
    assert_eq!(
        data(&fixture("finding-data", "entry-cut"), "unreachable"),
        vec![(
            9,
            json!({"flow": "checkout", "from": null, "to": "shop-web"})
        )]
    );
    assert_eq!(
        data(&fixture("finding-data", "entry-cabled"), "unreachable"),
        vec![]
    );
}

#[test]
fn unreachable_storage_counts_the_hosts_cut_off() {
    assert_eq!(
        data(
            &fixture("failure-v2-network", "fc-cables-missing"),
            "unreachable"
        ),
        vec![(
            12,
            json!({
                "cut_off": ["db1", "db2"],
                "from": "shop-db",
                "hosts": 2,
                "hosts_cut_off": 2,
                "to": "san1"
            })
        )]
    );
    assert_eq!(
        data(
            &fixture("failure-v2-network", "fc-dual-fabric"),
            "unreachable"
        ),
        vec![]
    );
}

#[test]
fn unreachable_quorum_and_replication() {
    assert_eq!(
        data(&fixture("finding-data", "quorum-split"), "unreachable"),
        vec![(
            8,
            json!({"members": ["q1", "q2", "q3"], "service": "coord"})
        )]
    );
    assert_eq!(
        data(&fixture("finding-data", "quorum-joined"), "unreachable"),
        vec![]
    );
    assert_eq!(
        data(
            &fixture("failure-v2-network", "replication-over-fc"),
            "unreachable"
        ),
        vec![(14, json!({"from": "db", "to": "db-replica"}))]
    );
    assert_eq!(
        data(
            &fixture("failure-v2-network", "replication-over-ethernet"),
            "unreachable"
        ),
        vec![]
    );
}

#[test]
fn dr_failover_gives_rto_and_rpo_in_seconds() {
    assert_eq!(
        data(&fixture("dr-failover", "fires"), "dr-failover"),
        vec![(
            3,
            json!({
                "dr_sites": ["osaka"],
                "flows": ["checkout"],
                "rpo": 300.0,
                "rto": 1800.0,
                "takers": ["web-dr", "db-dr"]
            })
        )]
    );
    // No replication states them: null, as the message says "no RTO stated".
    assert_eq!(
        data(&fixture("failure-v2-dr", "no-rto"), "dr-failover"),
        vec![(
            2,
            json!({
                "dr_sites": ["osaka"],
                "flows": ["checkout"],
                "rpo": null,
                "rto": null,
                "takers": ["web-dr", "db-dr"]
            })
        )]
    );
    // A sync replication with no `rpo` loses nothing: 0 s.
    assert_eq!(
        data(&fixture("failure-v2-dr", "replica-recovers"), "dr-failover"),
        vec![(
            3,
            json!({
                "dr_sites": ["osaka"],
                "flows": ["checkout"],
                "rpo": 0.0,
                "rto": 3600.0,
                "takers": ["db-dr"]
            })
        )]
    );
    assert_eq!(
        data(&fixture("dr-failover", "clean"), "dr-failover"),
        vec![]
    );
}

#[test]
fn capacity_n1_gives_load_capacity_and_instances() {
    assert_eq!(
        data(&fixture("capacity-n1", "fires"), "capacity-n1"),
        vec![
            (
                6,
                json!({"capacity": 1000.0, "instances": 3, "load": 2500.0, "needed": 3, "remaining": 2000.0, "unit": "rps"})
            ),
            (
                7,
                json!({"capacity": 1000.0, "instances": 2, "load": 1400.0, "needed": 2, "remaining": 1000.0, "unit": "rps"})
            ),
        ]
    );
    // Short with everything up is `overload` (v2), with the serving
    // capacity as `capacity`.
    assert_eq!(
        data(&fixture("finding-data", "short-all-up"), "capacity-n1"),
        vec![]
    );
    assert_eq!(
        data(&fixture("finding-data", "short-all-up"), "overload"),
        vec![(
            4,
            json!({"capacity": 2000.0, "instances": 2, "load": 2500.0, "percent": 125.0,
                   "per_instance": 1000.0, "unit": "rps"})
        )]
    );
    assert_eq!(
        data(&fixture("capacity-n1", "clean"), "capacity-n1"),
        vec![]
    );
}

#[test]
fn rack_power_gives_the_figures_it_compared() {
    assert_eq!(
        data(&fixture("rack-power", "fires"), "rack-power"),
        vec![
            (
                5,
                json!({"capacity": 6240.0, "feed": "a1", "limit": "feed", "load": 5491.2, "missing": 0, "normal": 5491.2, "percent": 88.0, "scenario": "normal operation", "unit": "VA"})
            ),
            (
                8,
                json!({"capacity": 5000.0, "limit": "rack power", "load": 6000.0, "missing": 0, "percent": 120.0, "scenario": "normal operation", "unit": "VA"})
            ),
            (
                13,
                json!({"capacity": 4160.0, "feed": "b3", "limit": "feed", "load": 3744.0, "missing": 0, "normal": 1872.0, "percent": 90.0, "scenario": "feed a3 fails", "unit": "VA"})
            ),
            (
                17,
                json!({"capacity": 3680.0, "feed": "a4", "limit": "feed", "load": 3000.0, "missing": 0, "normal": 3000.0, "percent": 81.5217391304, "scenario": "normal operation", "unit": "VA"})
            ),
        ]
    );
    // A budget in VA is compared, and given, in VA.
    assert_eq!(
        data(&fixture("finding-data", "va-budget"), "rack-power"),
        vec![(
            3,
            json!({"capacity": 5000.0, "limit": "rack power", "load": 4500.0, "missing": 0, "percent": 90.0, "scenario": "normal operation", "unit": "VA"})
        )]
    );
    assert_eq!(
        data(&fixture("finding-data", "va-budget-clean"), "rack-power"),
        vec![]
    );
    assert_eq!(data(&fixture("rack-power", "clean"), "rack-power"), vec![]);
}

#[test]
fn rack_weight_gives_kilograms() {
    assert_eq!(
        data(&fixture("rack-weight", "fires"), "rack-weight"),
        vec![(
            3,
            json!({"capacity": 1000.0, "load": 1027.18474, "unit": "kg"})
        )]
    );
    assert_eq!(
        data(&fixture("rack-weight", "clean"), "rack-weight"),
        vec![]
    );
}

#[test]
fn a_finding_without_figures_carries_an_empty_object() {
    let json = check(&fixture("finding-data", "entry-cut"), "json");
    let no_dns: Vec<&Value> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "no-dns")
        .map(|d| &d["data"])
        .collect();
    assert_eq!(no_dns, vec![&json!({})]);
}
