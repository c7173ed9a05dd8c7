//! `flow-bandwidth`: the max-flow of the Ethernet links between the serving
//! instances of consecutive hops against a flow's bandwidth `rate`. For each
//! situation a project that shows it and one that does not, with the exact
//! findings and their figures.

use serde_json::{json, Value};
use topo::check::check_sources;

/// The `flow-bandwidth` findings of a project: (message, element, data).
fn findings(text: &str) -> Vec<(String, Option<String>, Value)> {
    check_sources(&[("plan.topo", text)])
        .diagnostics
        .iter()
        .filter(|d| d.rule == "flow-bandwidth")
        .map(|d| {
            let data: serde_json::Map<String, Value> = d
                .data
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect();
            (d.message.clone(), d.subject.clone(), Value::Object(data))
        })
        .collect()
}

/// Every rule that fires on a project.
fn rules(text: &str) -> Vec<String> {
    check_sources(&[("plan.topo", text)])
        .diagnostics
        .iter()
        .map(|d| d.rule.to_string())
        .collect()
}

const GB: f64 = 1e9 / 8.0;

/// A database host, a backup host and one switch; `cabling` joins them.
fn backup(cabling: &str, rate: &str) -> String {
    format!(
        "site dc
switch tor[1..2] {{ site dc }}
server db1 {{ site dc }}
server bk1 {{ site dc }}
service db on db1 {{ }}
service vault on bk1 {{ }}
{cabling}
flow backup {{ db -> vault; rate {rate} }}
"
    )
}

#[test]
fn forty_gigabits_over_one_25gbe_cable() {
    let text = backup(
        "link db1 to tor1 { speed 25GbE }\nlink bk1 to tor1 { speed 100GbE }",
        "40Gb/s",
    );
    assert_eq!(
        findings(&text),
        [(
            "flow `backup`: 40 Gb/s from `db` (db1) to `vault` (bk1) but the links carry 25 Gb/s (the narrowest cut: link db1 — tor1 25GbE)".to_string(),
            Some("backup".to_string()),
            json!({
                "rate": 40.0 * GB,
                "capacity": 25.0 * GB,
                "unit": "B/s",
                "from": "db",
                "to": "vault",
                "flow": "backup",
            })
        )]
    );
}

#[test]
fn two_parallel_25gbe_paths_carry_forty() {
    let text = backup(
        "link db1 to tor1 tor2 { speed 25GbE }\nlink bk1 to tor1 tor2 { speed 100GbE }",
        "40Gb/s",
    );
    assert_eq!(findings(&text), []);
    // 50 Gb/s is the most: 60 is short, and the cut is both cables.
    let text = backup(
        "link db1 to tor1 tor2 { speed 25GbE }\nlink bk1 to tor1 tor2 { speed 100GbE }",
        "60Gb/s",
    );
    let found = findings(&text);
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].0,
        "flow `backup`: 60 Gb/s from `db` (db1) to `vault` (bk1) but the links carry 50 Gb/s (the narrowest cut: links db1 — tor1 25GbE, db1 — tor2 25GbE)"
    );
    assert_eq!(found[0].2["capacity"], json!(50.0 * GB));
}

#[test]
fn a_lag_counts_every_cable() {
    let lag = "link db1 to tor1 { speed 25GbE; count 2 }\nlink bk1 to tor1 { speed 100GbE }";
    assert_eq!(findings(&backup(lag, "40Gb/s")), []);
    let found = findings(&backup(lag, "80Gb/s"));
    assert_eq!(
        found[0].0,
        "flow `backup`: 80 Gb/s from `db` (db1) to `vault` (bk1) but the links carry 50 Gb/s (the narrowest cut: link db1 — tor1 2 × 25GbE)"
    );
}

/// The cut is inside the fabric: each leaf has one 10GbE uplink to each of
/// two spines, so 20 Gb/s cross between the leaves whatever the servers'
/// cables carry.
#[test]
fn the_narrowest_cut_is_the_leaf_uplinks() {
    let text = "site dc
switch spine[1..2] { site dc }
switch leaf[1..2] { site dc }
server db1 { site dc }
server bk1 { site dc }
service db on db1 { }
service vault on bk1 { }
link db1 to leaf1 { speed 100GbE }
link bk1 to leaf2 { speed 100GbE }
link leaf1 to spine1 spine2 { speed 10GbE }
link leaf2 to spine1 spine2 { speed 40GbE }
flow backup { db -> vault; rate 25Gb/s }
";
    assert_eq!(
        findings(text)[0].0,
        "flow `backup`: 25 Gb/s from `db` (db1) to `vault` (bk1) but the links carry 20 Gb/s (the narrowest cut: links leaf1 — spine1 10GbE, leaf1 — spine2 10GbE)"
    );
    assert_eq!(findings(&text.replace("speed 10GbE", "speed 25GbE")), []);
}

/// A server cabled to both switches does not carry traffic between them:
/// the only path is the 10GbE one through the router.
#[test]
fn a_server_in_the_middle_is_never_crossed() {
    let text = "site dc
switch tor[1..2] { site dc }
router r1 { site dc }
server db1 { site dc }
server bk1 { site dc }
server mon1 { site dc }
service db on db1 { }
service vault on bk1 { }
link db1 to tor1 { speed 100GbE }
link bk1 to tor2 { speed 100GbE }
link mon1 to tor1 tor2 { speed 100GbE }
link tor1 tor2 to r1 { speed 10GbE }
flow backup { db -> vault; rate 40Gb/s }
";
    let found = findings(text);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].2["capacity"], json!(10.0 * GB));
    // As a switch, mon1 would forward: 100 + 10 Gb/s.
    assert_eq!(findings(&text.replace("server mon1", "switch mon1")), []);
}

/// The serving instances add up: two database hosts of one 25GbE cable
/// each send 50 Gb/s; an active-standby pair sends from its active member
/// alone.
#[test]
fn every_serving_instance_sends_but_a_standby_does_not() {
    let text = "site dc
switch tor1 { site dc }
server db[1..2] { site dc }
server bk1 { site dc }
service db on db1 db2 { }
service vault on bk1 { }
link db[1..2] to tor1 { speed 25GbE }
link bk1 to tor1 { speed 100GbE }
flow backup { db -> vault; rate 40Gb/s }
";
    assert_eq!(findings(text), []);
    let standby = text.replace("db1 db2 { }", "db1 db2 { ha active-standby }");
    assert_eq!(
        findings(&standby)[0].0,
        "flow `backup`: 40 Gb/s from `db` (db1) to `vault` (bk1) but the links carry 25 Gb/s (the narrowest cut: link db1 — tor1 25GbE)"
    );
}

/// A vm's traffic leaves through its host's cables.
#[test]
fn a_vm_sends_through_its_host() {
    let text = "site dc
switch tor1 { site dc }
server host1 { site dc }
server bk1 { site dc }
vm db-vm on host1 { }
service db on db-vm { }
service vault on bk1 { }
link host1 to tor1 { speed 10GbE }
link bk1 to tor1 { speed 100GbE }
flow backup { db -> vault; rate 40Gb/s }
";
    assert_eq!(
        findings(text)[0].0,
        "flow `backup`: 40 Gb/s from `db` (db-vm) to `vault` (bk1) but the links carry 10 Gb/s (the narrowest cut: link host1 — tor1 10GbE)"
    );
}

/// Both figures in the unit of the larger one.
#[test]
fn figures_share_one_unit() {
    let text = backup(
        "link db1 to tor1 { speed 100Mb/s }\nlink bk1 to tor1 { speed 10GbE }",
        "2Gb/s",
    );
    let found = findings(&text);
    assert_eq!(
        found[0].0,
        "flow `backup`: 2 Gb/s from `db` (db1) to `vault` (bk1) but the links carry 0.1 Gb/s (the narrowest cut: link db1 — tor1 100 Mb/s)"
    );
    assert_eq!(found[0].2["capacity"], json!(0.1 * GB));
}

#[test]
fn not_checked_without_links_or_paths_or_bandwidth() {
    // The project declares no links.
    assert_eq!(findings(&backup("", "40Gb/s")), []);
    // The hops have no cables: no path at all is `unreachable`'s finding.
    let text = backup("link tor1 to tor2 { speed 10GbE }", "40Gb/s");
    assert_eq!(findings(&text), []);
    assert!(rules(&text).contains(&"unreachable".to_string()));
    // A request rate is not a bandwidth.
    let slow = "link db1 to tor1 { speed 25GbE }\nlink bk1 to tor1 { speed 100GbE }";
    assert_eq!(findings(&backup(slow, "400rps")), []);
    // A link without a speed is no limit: the cut moves to the other end.
    let unknown = "link db1 to tor1\nlink bk1 to tor1 { speed 100GbE }";
    assert_eq!(
        findings(&backup(unknown, "400Gb/s"))[0].0,
        "flow `backup`: 400 Gb/s from `db` (db1) to `vault` (bk1) but the links carry 100 Gb/s (the narrowest cut: link bk1 — tor1 100GbE)"
    );
    assert_eq!(findings(&backup("link db1 bk1 to tor1", "400Gb/s")), []);
    // Fibre Channel does not carry flow hops: only the Ethernet cable counts.
    let fc = "link db1 to tor1 { speed 10GbE }\nlink db1 to tor1 { speed 32GFC }\nlink bk1 to tor1 { speed 100GbE }";
    assert_eq!(
        findings(&backup(fc, "20Gb/s"))[0].2["capacity"],
        json!(10.0 * GB)
    );
}

/// Two hops on one host exchange their traffic without the network.
#[test]
fn hops_on_one_host_are_not_checked() {
    let text = "site dc
switch tor1 { site dc }
server db1 { site dc }
service db on db1 { }
service vault on db1 { }
link db1 to tor1 { speed 1GbE }
flow backup { db -> vault; rate 40Gb/s }
";
    assert_eq!(findings(text), []);
}

/// An `allow` on the flow silences it.
#[test]
fn an_allow_on_the_flow_silences_it() {
    let text = backup(
        "link db1 to tor1 { speed 25GbE }\nlink bk1 to tor1 { speed 100GbE }",
        "40Gb/s; allow flow-bandwidth",
    );
    assert_eq!(findings(&text), []);
    assert!(!rules(&text).contains(&"unused-allow".to_string()));
}
