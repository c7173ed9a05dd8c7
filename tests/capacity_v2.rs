//! Load and serving capacity (v2): `overload` with everything up,
//! `capacity-n1` after one instance is lost, `dr-capacity` at the DR site,
//! and `topo impact`'s capacity figures. A service's load is its `load`,
//! else the rps rates of the flows through it; its serving capacity is
//! `capacity` × the instances that serve (one for active-standby, per shard
//! for a sharded service). Each situation has a failing fixture and its
//! passing twin, with the exact findings and figures.

use serde_json::{json, Value};
use topo::analyze::failure::{impact, Candidate};
use topo::check::{check_sources, Checked};
use topo::diagnostic::Severity::{self, Error, Warning};

fn check(text: &str) -> Checked {
    let checked = check_sources(&[("capacity.topo", text)]);
    assert!(checked.unreadable.is_empty());
    checked
}

/// Every finding: (rule, severity, message, element).
fn findings(text: &str) -> Vec<(String, Severity, String, Option<String>)> {
    check(text)
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.rule.to_string(),
                d.severity,
                d.message.clone(),
                d.subject.clone(),
            )
        })
        .collect()
}

/// The findings of the capacity rules only (`spof` agrees with them where
/// the failure model needs every instance, and is asserted apart).
fn capacity_findings(text: &str) -> Vec<(String, Severity, String, Option<String>)> {
    findings(text)
        .into_iter()
        .filter(|f| ["overload", "capacity-n1", "dr-capacity"].contains(&f.0.as_str()))
        .collect()
}

/// How many findings of `rule`.
fn count(text: &str, rule: &str) -> usize {
    findings(text).iter().filter(|f| f.0 == rule).count()
}

/// The `data` of the findings of one rule, as JSON objects.
fn data(text: &str, rule: &str) -> Vec<Value> {
    check(text)
        .diagnostics
        .iter()
        .filter(|d| d.rule == rule)
        .map(|d| serde_json::to_value(&d.data).unwrap())
        .collect()
}

fn one(
    rule: &str,
    severity: Severity,
    message: &str,
    element: &str,
) -> Vec<(String, Severity, String, Option<String>)> {
    vec![(
        rule.to_string(),
        severity,
        message.to_string(),
        Some(element.to_string()),
    )]
}

// ---- overload: flows' rates against capacity × instances ----------------

const FLOWS_OVER: &str = "\
allow no-dns
server web[1..4]
service shop-web on web[1..4] { capacity 1000rps }
client browser { browser }
flow checkout { browser -> shop-web; content dynamic; rate 3000rps }
flow browse { browser -> shop-web; content dynamic; rate 2000rps }
";

#[test]
fn flow_rates_over_four_instances_overload_the_service() {
    assert_eq!(
        findings(FLOWS_OVER),
        one(
            "overload",
            Error,
            "`shop-web` carries 5000 rps (flows checkout 3000 rps, browse 2000 rps) on 4 × 1000 rps = 4000 rps: 125 %",
            "shop-web"
        )
    );
    assert_eq!(
        data(FLOWS_OVER, "overload"),
        vec![
            json!({"load": 5000.0, "capacity": 4000.0, "unit": "rps", "percent": 125.0,
                    "instances": 4, "per_instance": 1000.0})
        ]
    );
}

#[test]
fn six_instances_carry_the_flows_with_one_to_spare() {
    let text = FLOWS_OVER.replace("web[1..4]", "web[1..6]");
    assert_eq!(findings(&text), vec![]);
}

#[test]
fn five_instances_carry_the_flows_but_not_after_losing_one() {
    let text = FLOWS_OVER.replace("web[1..4]", "web[1..5]");
    // The failure model needs all 5: each web server stops both flows.
    assert_eq!(count(&text, "spof"), 5);
    assert_eq!(
        capacity_findings(&text),
        one(
            "capacity-n1",
            Warning,
            "`shop-web` needs 5000 rps (flows checkout 3000 rps, browse 2000 rps): after losing one of its 5 instances, 4 × 1000 rps = 4000 rps remain",
            "shop-web"
        )
    );
    assert_eq!(
        data(&text, "capacity-n1"),
        vec![
            json!({"load": 5000.0, "capacity": 1000.0, "unit": "rps", "instances": 5,
                    "remaining": 4000.0, "needed": 5})
        ]
    );
}

#[test]
fn a_flow_through_a_service_twice_counts_twice_and_bandwidth_not_at_all() {
    let text = "\
allow no-dns
allow tier-upcall
server s[1..3]
service web on s1 s2 { capacity 1000rps }
service auth on s3
client browser { browser }
flow login { browser -> web -> auth -> web; content dynamic; rate 600rps }
flow backup { browser -> web; content raw; rate 1Gb/s }
";
    let found = findings(text);
    assert_eq!(
        found
            .iter()
            .filter(|f| f.0 == "overload")
            .map(|f| f.2.as_str())
            .collect::<Vec<_>>(),
        Vec::<&str>::new(),
        "{found:?}"
    );
    // 1200 rps on 2 × 1000 rps: carried, but not after losing one.
    assert_eq!(
        data(text, "capacity-n1"),
        vec![
            json!({"load": 1200.0, "capacity": 1000.0, "unit": "rps", "instances": 2,
                    "remaining": 1000.0, "needed": 2})
        ]
    );
}

#[test]
fn a_declared_load_wins_over_the_flows() {
    let text = FLOWS_OVER.replace("{ capacity 1000rps }", "{ load 3500rps; capacity 1000rps }");
    assert_eq!(count(&text, "spof"), 4);
    assert_eq!(
        capacity_findings(&text),
        one(
            "capacity-n1",
            Warning,
            "`shop-web` needs 3500 rps: after losing one of its 4 instances, 3 × 1000 rps = 3000 rps remain",
            "shop-web"
        )
    );
}

// ---- active-standby: one serving instance --------------------------------

const PAIR_OVER: &str = "\
server db[1..2]
service shop-db on db1 db2 { ha active-standby; load 1000rps; capacity 800rps }
";

#[test]
fn an_active_standby_pair_serves_with_one_member() {
    // Not "after losing one, 800 rps remain": the standby never served.
    assert_eq!(
        findings(PAIR_OVER),
        one(
            "overload",
            Error,
            "`shop-db` carries 1000 rps (its `load`) on 1 × 800 rps = 800 rps (only the active member of `ha active-standby` serves): 125 %",
            "shop-db"
        )
    );
    assert_eq!(
        data(PAIR_OVER, "overload"),
        vec![
            json!({"load": 1000.0, "capacity": 800.0, "unit": "rps", "percent": 125.0,
                    "instances": 1, "per_instance": 800.0})
        ]
    );
}

#[test]
fn an_active_standby_pair_within_one_member_survives_losing_it() {
    let text = PAIR_OVER.replace("load 1000rps", "load 700rps");
    assert_eq!(findings(&text), vec![]);
}

#[test]
fn a_lone_active_standby_member_has_nothing_after_it() {
    let text = "\
server db1
service shop-db on db1 { ha active-standby; load 700rps; capacity 800rps }
";
    assert_eq!(count(text, "ha-same-domain"), 1);
    assert_eq!(
        capacity_findings(text),
        one(
            "capacity-n1",
            Warning,
            "`shop-db` needs 700 rps: after losing its only instance, nothing remains",
            "shop-db"
        )
    );
}

// ---- shards: each shard's weight of the load on its own hosts -----------

const SHARD_OVER: &str = "\
allow shard-skew
server odb[1..8]
service orders on odb[1..8] { load 3000rps; capacity 1000rps; shard by customer-id { weights 20% 40% 20% 20% } }
";

#[test]
fn a_hot_shard_on_its_hosts() {
    // Shard 2 (odb2, odb6) carries 1200 rps on 2 × 1000 rps: fine with
    // both up, short after losing one; the other shards carry 600 rps.
    assert_eq!(
        findings(SHARD_OVER),
        one(
            "capacity-n1",
            Warning,
            "shard 2 of `orders` needs 1200 rps (40 % of 3000 rps): after losing one of its 2 instances, 1 × 1000 rps = 1000 rps remain",
            "orders"
        )
    );
    assert_eq!(
        data(SHARD_OVER, "capacity-n1"),
        vec![
            json!({"load": 1200.0, "capacity": 1000.0, "unit": "rps", "instances": 2,
                    "remaining": 1000.0, "needed": 2, "shard": 2, "service_load": 3000.0})
        ]
    );
}

#[test]
fn a_hot_shard_on_one_host_is_overloaded() {
    let text = SHARD_OVER
        .replace("odb[1..8]", "odb[1..4]")
        .replace("odb[1..8]", "odb[1..4]");
    let found = findings(&text);
    let overload: Vec<&str> = found
        .iter()
        .filter(|f| f.0 == "overload")
        .map(|f| f.2.as_str())
        .collect();
    assert_eq!(
        overload,
        vec!["shard 2 of `orders` (40 % of 3000 rps = 1200 rps) on 1 × 1000 rps = 1000 rps: 120 %"]
    );
    assert_eq!(
        data(&text, "overload"),
        vec![
            json!({"load": 1200.0, "capacity": 1000.0, "unit": "rps", "percent": 120.0,
                    "instances": 1, "per_instance": 1000.0, "shard": 2, "service_load": 3000.0})
        ]
    );
    // One host per shard: every other shard has nothing after losing it.
    let n1: Vec<&str> = found
        .iter()
        .filter(|f| f.0 == "capacity-n1")
        .map(|f| f.2.as_str())
        .collect();
    assert_eq!(
        n1,
        vec![
            "shard 1 of `orders` needs 600 rps (20 % of 3000 rps): after losing its only instance, nothing remains",
            "shard 3 of `orders` needs 600 rps (20 % of 3000 rps): after losing its only instance, nothing remains",
            "shard 4 of `orders` needs 600 rps (20 % of 3000 rps): after losing its only instance, nothing remains",
        ]
    );
}

#[test]
fn shards_sized_for_their_weight_pass() {
    let text = SHARD_OVER.replace("capacity 1000rps", "capacity 1500rps");
    assert_eq!(findings(&text), vec![]);
}

// ---- dr-capacity: the take-over service against what it replaces --------

const DR_THIRD: &str = "\
site tokyo { role primary }
site osaka { role dr; backs tokyo }
server p[1..3] { site tokyo }
server d[1..3] { site osaka }
service orders on p[1..3] { load 2000rps; capacity 1000rps }
service orders-dr on d1 { capacity 1000rps; takes-over orders }
";

#[test]
fn a_dr_site_with_a_third_of_the_capacity() {
    // 2000 rps on 3 × 1000 rps at the primary keeps one to spare; the DR
    // site has a third of it.
    assert_eq!(
        findings(DR_THIRD),
        one(
            "dr-capacity",
            Warning,
            "`orders-dr` takes over `orders` (2000 rps) on 1 × 1000 rps = 1000 rps: 200 %",
            "orders-dr"
        )
    );
    assert_eq!(
        data(DR_THIRD, "dr-capacity"),
        vec![
            json!({"load": 2000.0, "capacity": 1000.0, "unit": "rps", "percent": 200.0,
                    "instances": 1, "per_instance": 1000.0, "replaces": ["orders"]})
        ]
    );
}

#[test]
fn a_dr_site_sized_like_the_primary_passes() {
    let text = DR_THIRD.replace("orders-dr on d1", "orders-dr on d1 d2");
    assert_eq!(findings(&text), vec![]);
}

#[test]
fn a_replicate_target_takes_over_too() {
    let text = DR_THIRD
        .replace("; takes-over orders", "; stateful")
        .replace("{ load 2000rps;", "{ stateful; load 2000rps;")
        + "replicate orders to orders-dr { mode async; rpo 5m; rto 30m }\n";
    let found = findings(&text);
    assert!(
        found.contains(&(
            "dr-capacity".to_string(),
            Warning,
            "`orders-dr` takes over `orders` (2000 rps) on 1 × 1000 rps = 1000 rps: 200 %"
                .to_string(),
            Some("orders-dr".to_string())
        )),
        "{found:?}"
    );
}

// ---- topo impact: the capacity left after a failure ----------------------

const IMPACT: &str = "\
server web[1..5]
service shop-web on web[1..5] { capacity 1000rps }
client browser { browser }
dns ns on web1 { resolves shop-web }
flow checkout { browser -> shop-web; content dynamic; rate 3000rps }
flow browse { browser -> shop-web; content dynamic; rate 1000rps }
";

fn impact_of(text: &str, elements: &[&str]) -> (String, Value) {
    let checked = check(text);
    let p = &checked.project;
    let named: Vec<Candidate> = elements
        .iter()
        .map(|e| Candidate::of(*p.names.get(*e).unwrap()).unwrap())
        .collect();
    let i = impact(p, &named);
    (
        topo::report::impact::human(p, &i),
        serde_json::from_str(&topo::report::impact::json(p, &i)).unwrap(),
    )
}

#[test]
fn impact_names_a_service_left_short_of_its_load() {
    let (human, json) = impact_of(IMPACT, &["web2", "web3"]);
    assert!(
        human.contains(
            "shop-web: 2 of 5 instances lost (web2, web3), 3 left, needs 4; overloaded: 3 of 5 instances left: 3000 rps of 4000 rps load"
        ),
        "{human}"
    );
    assert_eq!(
        json["services_down"][0]["capacity"],
        json!({"load": 4000.0, "capacity": 3000.0, "unit": "rps", "serving": 3, "of": 5,
               "overloaded": true})
    );
    // The keys from before stay.
    assert_eq!(json["services_down"][0]["needed"], json!(4));
    assert_eq!(json["services_down"][0]["instances_lost"], json!(2));
}

#[test]
fn impact_of_a_failure_the_spare_covers() {
    let (human, json) = impact_of(IMPACT, &["web2"]);
    assert!(!human.contains("overloaded"), "{human}");
    assert!(
        human.contains("shop-web: 1 of 5 instances lost (web2), 4 left, needs 4"),
        "{human}"
    );
    assert_eq!(
        json["services_degraded"][0]["capacity"],
        json!({"load": 4000.0, "capacity": 4000.0, "unit": "rps", "serving": 4, "of": 5,
               "overloaded": false})
    );
}

#[test]
fn impact_on_a_hot_shard() {
    let (human, json) = impact_of(SHARD_OVER, &["odb2"]);
    // No flow passes through it, so no hop fails: the service is degraded,
    // and overloaded on its hot shard.
    assert!(
        human.contains("services degraded (1)\n│  └─ orders: 1 of 8 instances lost (odb2), 7 left, needs 3; overloaded: shard 2: 1 of 2 instances left: 1000 rps of 1200 rps load"),
        "{human}"
    );
    assert_eq!(
        json["services_degraded"][0]["capacity"],
        json!({"shard": 2, "load": 1200.0, "capacity": 1000.0, "unit": "rps", "serving": 1,
               "of": 2, "overloaded": true})
    );
}
