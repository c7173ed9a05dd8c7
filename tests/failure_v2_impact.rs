//! Issue 17, the `impact` slice: `topo impact` fails several elements
//! together and runs past analyzer findings; `spof` names every reason a
//! flow stops; `ha-same-domain` counts a vm restart as an outage and
//! honours an `allow` on the shared domain. Each situation has a fixture
//! that fires and one that stays quiet, with exact outputs.

mod support;

use std::path::{Path, PathBuf};
use support::{Outcome, Topo};
use topo::check::check_sources;

/// Two racks on their own dual feeds, a web and a db server and a vm host
/// in each, the app vms failing over across the racks.
const PLANT: &str = "\
site dc
power ups1 { site dc; kind ups; capacity 100kVA }
feed a { site dc; circuit 30A at 208V; from ups1 }
feed b { site dc; circuit 30A at 208V }
feed c { site dc; circuit 30A at 208V }
feed d { site dc; circuit 30A at 208V }
rack r1 { site dc; feeds a b }
rack r2 { site dc; feeds c d }
server web1 { rack r1 at U1; size 1U; psu 2 }
server db1 { rack r1 at U2; size 1U; psu 2 }
server host1 { rack r1 at U3; size 1U; psu 2 }
server web2 { rack r2 at U1; size 1U; psu 2 }
server db2 { rack r2 at U2; size 1U; psu 2 }
server host2 { rack r2 at U3; size 1U; psu 2 }
vm app1 on host1 { failover host2 }
vm app2 on host2 { failover host1 }
fault-domain row1 { members r1 }
service shop-web on web1 web2 { calls shop-ap }
service shop-ap on app1 app2 { calls shop-db }
service shop-db on db1 db2 { ha active-standby }
client browser { browser }
flow checkout { browser -> shop-web -> shop-ap -> shop-db }
";

/// A fresh directory holding `plan.topo` (and `topo.toml` when given).
fn project(name: &str, text: &str, toml: Option<&str>) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("topo-impact-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("plan.topo"), text).unwrap();
    if let Some(t) = toml {
        std::fs::write(dir.join("topo.toml"), t).unwrap();
    }
    dir.join("plan.topo")
}

fn impact(file: &Path, args: &[&str]) -> Outcome {
    let mut all = vec!["impact".to_string(), file.to_str().unwrap().to_string()];
    all.extend(args.iter().map(|a| a.to_string()));
    Topo::new(all).run()
}

// --- 1. several elements fail together -------------------------------------

#[test]
fn one_feed_of_a_dual_fed_rack_stops_nothing() {
    let file = project("one-feed", PLANT, None);
    let o = impact(&file, &["a"]);
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    assert_eq!(
        o.stdout,
        "feed `a` fails:\n\
         ├─ devices down (0)\n\
         ├─ vms lost (0)\n\
         ├─ vms restarted (0)\n\
         ├─ services down (0)\n\
         ├─ services degraded (0)\n\
         └─ flows stopped (0)\n"
    );
}

#[test]
fn both_feeds_together_cut_the_rack_and_restart_its_vms() {
    let file = project("both-feeds", PLANT, None);
    let o = impact(&file, &["a", "b"]);
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    assert_eq!(
        o.stdout,
        "feed `a`, feed `b` fail together:\n\
         ├─ devices down (3)\n\
         │  └─ web1, db1, host1: it loses power: feeds `a`, `b` fail\n\
         ├─ vms lost (0)\n\
         ├─ vms restarted (1)\n\
         │  └─ app1: its host `host1` fails: it restarts on `host2` (an outage while it restarts)\n\
         ├─ services down (0)\n\
         ├─ services degraded (2)\n\
         │  ├─ shop-web: 1 of 2 instances lost (web1), 1 left, needs 1\n\
         │  └─ shop-db: 1 of 2 instances lost (db1), 1 left, needs 1\n\
         └─ flows stopped (0)\n"
    );
}

#[test]
fn both_racks_together_stop_the_flow_for_every_reason() {
    let file = project("both-racks", PLANT, None);
    let o = impact(&file, &["r1", "r2"]);
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    assert_eq!(
        o.stdout,
        "rack `r1`, rack `r2` fail together:\n\
         ├─ devices down (6)\n\
         │  ├─ web1, db1, host1: its rack `r1` fails\n\
         │  └─ web2, db2, host2: its rack `r2` fails\n\
         ├─ vms lost (2)\n\
         │  ├─ app1: its host `host1` fails and so does its failover host `host2`\n\
         │  └─ app2: its host `host2` fails and so does its failover host `host1`\n\
         ├─ vms restarted (0)\n\
         ├─ services down (3)\n\
         │  ├─ shop-web: 2 of 2 instances lost (web1, web2), 0 left, needs 1\n\
         │  ├─ shop-ap: 2 of 2 instances lost (app1, app2), 0 left, needs 1\n\
         │  └─ shop-db: 2 of 2 instances lost (db1, db2), 0 left, needs 1\n\
         ├─ services degraded (0)\n\
         └─ flows stopped (1)\n   \
            └─ checkout: every instance of `shop-web` fails with it; \
         every instance of `shop-ap` fails with it; every instance of `shop-db` fails with it\n"
    );
}

#[test]
fn json_carries_the_same_names_and_reasons() {
    let file = project("json", PLANT, None);
    let o = impact(&file, &["--format", "json", "host1", "host2"]);
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(
        v,
        serde_json::json!({
            "elements": [
                {"element": "host1", "kind": "server"},
                {"element": "host2", "kind": "server"}
            ],
            "devices_down": [
                {"device": "host1", "reason": "named to fail"},
                {"device": "host2", "reason": "named to fail"}
            ],
            "vms_lost": [
                {"vm": "app1", "reason": "its host `host1` fails and so does its failover host `host2`"},
                {"vm": "app2", "reason": "its host `host2` fails and so does its failover host `host1`"}
            ],
            "vms_restarted": [],
            "services_down": [{
                "service": "shop-ap", "instances_lost": 2, "instances": 2, "needed": 1,
                "lost": ["app1", "app2"],
                "instances_cut_off": 0,
                "cut_off": []
            }],
            "services_degraded": [],
            "flows_stopped": [{
                "flow": "checkout",
                "reason": "every instance of `shop-ap` fails with it",
                "reasons": ["every instance of `shop-ap` fails with it"]
            }],
            "tripped": []
        })
    );
    // One host alone: its vm restarts on the other, nothing stops.
    let o = impact(&file, &["--format", "json", "host1"]);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(
        v["vms_restarted"],
        serde_json::json!([{
            "vm": "app1",
            "restarted_on": "host2",
            "reason": "its host `host1` fails: it restarts on `host2` (an outage while it restarts)"
        }])
    );
    assert_eq!(v["services_down"], serde_json::json!([]));
    assert_eq!(v["services_degraded"], serde_json::json!([]));
    assert_eq!(v["flows_stopped"], serde_json::json!([]));
}

#[test]
fn unknown_names_and_elements_that_cannot_fail_are_refused_with_exit_2() {
    let file = project("refused", PLANT, None);
    let o = impact(&file, &["r1", "rr2"]);
    assert_eq!(o.code, Some(2));
    assert_eq!(o.stdout, "");
    assert_eq!(
        o.stderr,
        "error: no element is called `rr2`; did you mean `r2`?\n"
    );
    let o = impact(&file, &["shop-web"]);
    assert_eq!(o.code, Some(2));
    assert_eq!(
        o.stderr,
        "error: `shop-web` is a service; impact takes devices, vms, racks, feeds, \
         power sources, fault domains or sites\n"
    );
}

#[test]
fn power_sources_and_fault_domains_fail_with_their_real_impact() {
    let file = project("power-domain", PLANT, None);
    // `ups1` feeds only `a`: rack r1 keeps `b`, nothing goes down.
    let o = impact(&file, &["ups1"]);
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    assert_eq!(
        o.stdout,
        "power source `ups1` fails:\n\
         ├─ devices down (0)\n\
         ├─ vms lost (0)\n\
         ├─ vms restarted (0)\n\
         ├─ services down (0)\n\
         ├─ services degraded (0)\n\
         └─ flows stopped (0)\n"
    );
    // With `b` too, r1's devices lose both feeds, each for its own reason.
    let o = impact(&file, &["ups1", "b"]);
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    assert_eq!(
        o.stdout,
        "power source `ups1`, feed `b` fail together:\n\
         ├─ devices down (3)\n\
         │  └─ web1, db1, host1: feed `b` fails; its power source `ups1` fails (feed `a` draws from it)\n\
         ├─ vms lost (0)\n\
         ├─ vms restarted (1)\n\
         │  └─ app1: its host `host1` fails: it restarts on `host2` (an outage while it restarts)\n\
         ├─ services down (0)\n\
         ├─ services degraded (2)\n\
         │  ├─ shop-web: 1 of 2 instances lost (web1), 1 left, needs 1\n\
         │  └─ shop-db: 1 of 2 instances lost (db1), 1 left, needs 1\n\
         └─ flows stopped (0)\n"
    );
    // The fault domain `row1` holds rack r1: its devices fail with it.
    let o = impact(&file, &["--format", "json", "row1"]);
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(
        v["elements"],
        serde_json::json!([{"element": "row1", "kind": "fault-domain"}])
    );
    assert_eq!(
        v["devices_down"],
        serde_json::json!([
            {"device": "web1", "reason": "fault domain `row1` fails"},
            {"device": "db1", "reason": "fault domain `row1` fails"},
            {"device": "host1", "reason": "fault domain `row1` fails"}
        ])
    );
    assert_eq!(
        v["vms_restarted"],
        serde_json::json!([{
            "vm": "app1", "restarted_on": "host2",
            "reason": "its host `host1` fails: it restarts on `host2` (an outage while it restarts)"
        }])
    );
    assert_eq!(v["flows_stopped"], serde_json::json!([]));
}

/// A pool that exhausts the database's connections: `pool-exhaustion`, an
/// error finding of an analyzer.
const EXHAUSTED: &str = "\
site dc
server h[1..4] { site dc }
service shop-ap on h1 h2 { calls shop-db; pool shop-db 60 }
service shop-db on h3 h4 { max-connections 100 }
flow orders { shop-ap -> shop-db }
";

#[test]
fn analyzer_errors_never_stop_impact_at_any_level() {
    let file = project("exhausted", EXHAUSTED, Some("[rules]\nspof = \"error\"\n"));
    let check = Topo::new(["check", file.to_str().unwrap()]).run();
    assert_eq!(check.code, Some(1), "{}", check.stdout);
    assert!(check.stdout.contains("pool-exhaustion"), "{}", check.stdout);
    let o = impact(&file, &["h3", "h4"]);
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    assert_eq!(
        o.stdout,
        "server `h3`, server `h4` fail together:\n\
         ├─ devices down (2)\n\
         │  └─ h3, h4: named to fail\n\
         ├─ vms lost (0)\n\
         ├─ vms restarted (0)\n\
         ├─ services down (1)\n\
         │  └─ shop-db: 2 of 2 instances lost (h3, h4), 0 left, needs 1\n\
         ├─ services degraded (0)\n\
         └─ flows stopped (1)\n   \
            └─ orders: every instance of `shop-db` fails with it\n"
    );
}

#[test]
fn language_errors_stop_impact() {
    let text = format!("{EXHAUSTED}server h5 {{ rack nowhere at U1 }}\n");
    let file = project("language", &text, None);
    let o = impact(&file, &["h3"]);
    assert_eq!(o.code, Some(1));
    assert_eq!(o.stdout, "");
    assert!(o.stderr.contains("unknown-name"), "{}", o.stderr);
    assert!(
        !o.stderr.contains("pool-exhaustion"),
        "only language errors are shown: {}",
        o.stderr
    );
    assert!(o.stderr.ends_with(
        "error: the project has language errors; fix them before asking what a failure stops\n"
    ));
}

// --- 2. spof names every reason ----------------------------------------------

fn findings(rule: &str, text: &str) -> Vec<(String, String)> {
    check_sources(&[("plan.topo", text)])
        .diagnostics
        .iter()
        .filter(|d| d.rule == rule || d.rule == "unused-allow")
        .map(|d| (d.severity.to_string(), d.message.clone()))
        .collect()
}

fn spof_plan(hosts: [&str; 4]) -> String {
    format!(
        "site dc\n\
         server s[1..5] {{ site dc }}\n\
         service one on {} {{ calls two }}\n\
         service two on {} {{ calls three }}\n\
         service three on {} {{ calls four }}\n\
         service four on {}\n\
         flow f {{ one -> two -> three -> four }}\n",
        hosts[0], hosts[1], hosts[2], hosts[3]
    )
}

#[test]
fn spof_names_each_reason_and_cuts_past_three() {
    let text = spof_plan(["s1", "s1", "s1", "s1"]);
    assert_eq!(
        findings("spof", &text),
        vec![(
            "warning".into(),
            "server `s1` is a single point of failure: it stops flow `f` \
             (every instance of `one` fails with it, every instance of `two` fails with it, \
             every instance of `three` fails with it, and 1 more)"
                .into()
        )]
    );
    let text = spof_plan(["s1", "s1", "s2 s3", "s4 s5"]);
    assert_eq!(
        findings("spof", &text),
        vec![(
            "warning".into(),
            "server `s1` is a single point of failure: it stops flow `f` \
             (every instance of `one` fails with it, every instance of `two` fails with it)"
                .into()
        )]
    );
}

#[test]
fn spof_with_one_reason_names_one() {
    let text = spof_plan(["s1", "s2 s3", "s2 s3", "s4 s5"]);
    assert_eq!(
        findings("spof", &text),
        vec![(
            "warning".into(),
            "server `s1` is a single point of failure: it stops flow `f` \
             (every instance of `one` fails with it)"
                .into()
        )]
    );
    let text = spof_plan(["s1 s2", "s2 s3", "s3 s4", "s4 s5"]);
    assert_eq!(findings("spof", &text), vec![]);
}

#[test]
fn spof_json_keeps_the_element() {
    let file = project("spof-json", &spof_plan(["s1", "s1", "s1", "s1"]), None);
    let o = Topo::new(["check", "--format", "json", file.to_str().unwrap()]).run();
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    let spof: Vec<&serde_json::Value> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "spof")
        .collect();
    assert_eq!(spof.len(), 1);
    assert_eq!(spof[0]["element"], "s1");
}

// --- 3. ha-same-domain: a vm restart is an outage; allow on the domain -----

const VM_PAIR_ONE_HOST: &str = "\
site dc
server host1 { site dc }
server host2 { site dc }
vm v1 on host1 { failover host2 }
vm v2 on host1 { failover host2 }
service pair on v1 v2 { ha active-standby }
";

#[test]
fn two_vms_on_one_host_with_a_failover_host_are_an_error() {
    assert_eq!(
        findings("ha-same-domain", VM_PAIR_ONE_HOST),
        vec![(
            "error".into(),
            "every member of `pair` (ha active-standby) runs on server `host1`: one host \
             failure takes the pair down (their vms restart on the failover host: an outage)"
                .into()
        )]
    );
}

#[test]
fn vms_on_two_hosts_failing_over_to_each_other_are_fine() {
    let text = VM_PAIR_ONE_HOST.replace(
        "vm v2 on host1 { failover host2 }",
        "vm v2 on host2 { failover host1 }",
    );
    assert_eq!(findings("ha-same-domain", &text), vec![]);
}

#[test]
fn an_allow_on_the_shared_host_accepts_it() {
    let text = VM_PAIR_ONE_HOST.replace(
        "server host1 { site dc }",
        "server host1 { site dc; allow ha-same-domain }",
    );
    assert_eq!(findings("ha-same-domain", &text), vec![]);
}

const PAIR_IN_ONE_RACK: &str = "\
site dc
feed a { site dc; circuit 30A at 208V }
rack r1 { site dc; feeds a }
server db1 { rack r1 at U1; size 1U; psu 2 }
server db2 { rack r1 at U2; size 1U; psu 2 }
service shop-db on db1 db2 { ha active-standby }
";

#[test]
fn a_shared_rack_and_feed_are_reported_until_each_is_allowed() {
    assert_eq!(
        findings("ha-same-domain", PAIR_IN_ONE_RACK),
        vec![(
            "warning".into(),
            "every member of `shop-db` (ha active-standby) fails with rack `r1`, with feed `a`"
                .into()
        )]
    );
    // The rack is accepted; the feed is still shared.
    let rack = PAIR_IN_ONE_RACK.replace(
        "rack r1 { site dc; feeds a }",
        "rack r1 { site dc; feeds a; allow ha-same-domain }",
    );
    assert_eq!(
        findings("ha-same-domain", &rack),
        vec![(
            "warning".into(),
            "every member of `shop-db` (ha active-standby) fails with feed `a`".into()
        )]
    );
    // Both accepted: nothing, and neither allow is unused.
    let both = rack.replace(
        "feed a { site dc; circuit 30A at 208V }",
        "feed a { site dc; circuit 30A at 208V; allow ha-same-domain }",
    );
    assert_eq!(findings("ha-same-domain", &both), vec![]);
}

#[test]
fn a_shared_site_is_reported_and_its_allow_accepts_it() {
    let text = "\
site dc
site dr
server db1 { site dc }
server db2 { site dc }
server spare { site dr }
service shop-db on db1 db2 { ha active-active }
";
    assert_eq!(
        findings("ha-same-domain", text),
        vec![(
            "warning".into(),
            "every member of `shop-db` (ha active-active) fails with site `dc`".into()
        )]
    );
    let allowed = text.replace("site dc\n", "site dc { allow ha-same-domain }\n");
    assert_eq!(findings("ha-same-domain", &allowed), vec![]);
}

/// A storage array or a switch that every member needs is a single point of
/// failure for `spof`, not a shared domain of where the members stand.
#[test]
fn a_shared_array_or_switch_is_not_a_shared_domain() {
    let text = "\
site dc
rack r1 { site dc }
rack r2 { site dc }
server db1 { rack r1 at U1; size 1U }
server db2 { rack r2 at U1; size 1U }
storage san1 { site dc }
switch fc1 { site dc }
link db1 db2 to fc1 { speed 32GFC }
link san1 to fc1 { speed 32GFC }
service db on db1 db2 { ha active-standby; storage san1 }
";
    assert_eq!(findings("ha-same-domain", text), vec![]);
    // Both members standing in one rack is still reported.
    let one_rack = text.replace("server db2 { rack r2 at U1", "server db2 { rack r1 at U2");
    assert_eq!(
        findings("ha-same-domain", &one_rack),
        vec![(
            "warning".into(),
            "every member of `db` (ha active-standby) fails with rack `r1`".into()
        )]
    );
}
