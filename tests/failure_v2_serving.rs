//! Serving instances (v2): each hop is served by the instances that the one
//! before it reaches — from outside through a site's `entry` devices, then
//! hop by hop — with active-standby (only the active member serves, and a
//! partition is not a failover), quorum (only members that a majority leader
//! reaches serve) and shards (every shard needs its own serving instance).
//! Each situation has a fixture that shows the fault and one that fixes it,
//! with the exact findings (`tests/fixtures/failure-v2-serving/`).

mod support;

use support::fixtures::Fixtures;
use topo::analyze::failure::{impact, Candidate};
use topo::check::check_sources;
use topo::diagnostic::Severity::{self, Error, Warning};

const FIXTURES: Fixtures = Fixtures::new("failure-v2-serving");

/// Services stopped: (name, instances lost, instances up but cut off).
type ServicesDown = Vec<(String, usize, usize)>;
/// Flows stopped: (name, first reason).
type FlowsStopped = Vec<(String, String)>;

/// `topo impact` of one element: the services it stops and the flows with
/// their first reason.
fn impact_of(name: &str, element: &str) -> (ServicesDown, FlowsStopped) {
    let i = FIXTURES.impact(name, &[element]);
    let flows = i.first_reasons();
    (i.services_down, flows)
}

#[test]
fn one_entry_firewall_is_a_single_point_of_failure() {
    FIXTURES.expect(
        "entry-one-firewall",
        &[(
            "spof",
            Warning,
            "firewall `fw1` is a single point of failure: it stops flow `browse` (outside traffic no longer reaches `shop-web` through entry `fw1` of site `iad1`)",
        )],
    );
    // Both web servers stay up: outside traffic is what they lose.
    assert_eq!(
        impact_of("entry-one-firewall", "fw1"),
        (
            vec![("shop-web".to_string(), 0, 2)],
            vec![(
                "browse".to_string(),
                "outside traffic no longer reaches `shop-web` through entry `fw1` of site `iad1`"
                    .to_string()
            )]
        )
    );
}

#[test]
fn two_entry_firewalls_keep_the_site_reachable() {
    FIXTURES.expect("entry-two-firewalls", &[]);
}

#[test]
fn an_entry_with_no_path_to_the_first_hop_is_unreachable() {
    FIXTURES.expect(
        "entry-not-cabled",
        &[(
            "unreachable",
            Error,
            "flow `browse`: outside traffic cannot reach `shop-web` (web1, web2): no network path from entry `fw1` of site `iad1`",
        )],
    );
}

#[test]
fn without_entry_outside_traffic_reaches_the_first_hop_directly() {
    // The same site with `entry` left out: the firewall is no longer on the
    // way in, and nothing is a single point.
    let text = std::fs::read_to_string(FIXTURES.path("entry-one-firewall"))
        .unwrap()
        .replace(
            "site iad1 { role primary; entry fw1 }",
            "site iad1 { role primary }",
        );
    let checked = check_sources(&[("no-entry.topo", &text)]);
    assert_eq!(
        checked
            .diagnostics
            .iter()
            .map(|d| d.rule)
            .collect::<Vec<_>>(),
        Vec::<&str>::new()
    );
}

#[test]
fn a_core_switch_that_splits_an_active_standby_pair_stops_it() {
    FIXTURES.expect(
        "standby-split-by-core",
        &[(
            "spof",
            Warning,
            "switch `core1` is a single point of failure: it stops flow `order` (the active member `db1` of `shop-db` stays up but no network path is left to it from `shop-ap` (a partition is not a failover))",
        )],
    );
    // db1 is up (not lost) but cut off; db2 is reachable but a standby.
    assert_eq!(
        impact_of("standby-split-by-core", "core1").0,
        vec![("shop-db".to_string(), 0, 1)]
    );
    let checked = FIXTURES.check("standby-split-by-core");
    let p = &checked.project;
    let core1 = Candidate::of(*p.names.get("core1").unwrap()).unwrap();
    let row = &impact(p, &[core1]).services_down[0];
    assert_eq!(
        row.note.as_deref(),
        Some("the active member `db1` stays up but is cut off: the standby does not take over (a partition is not a failover)")
    );
}

#[test]
fn two_core_switches_keep_the_active_member_reachable() {
    FIXTURES.expect("standby-two-cores", &[]);
}

#[test]
fn a_failed_active_member_hands_over_to_the_standby() {
    // db1 fails (rather than being cut off): db2 becomes active, and the
    // flow works.
    let (services, flows) = impact_of("standby-two-cores", "db1");
    assert_eq!((services, flows), (vec![], vec![]));
}

#[test]
fn a_standby_that_is_reachable_does_not_serve_for_an_unreachable_active_member() {
    FIXTURES.expect(
        "standby-active-not-cabled",
        &[(
            "unreachable",
            Error,
            "flow `order`: no network path from `shop-ap` (ap1) to the active member `db1` of `shop-db`",
        )],
    );
}

#[test]
fn a_quorum_with_two_members_in_one_rack_loses_its_majority_with_the_rack() {
    FIXTURES.expect(
        "quorum-two-in-one-rack",
        &[(
            "spof",
            Warning,
            "rack `r1` is a single point of failure: it stops flow `read` (`config` loses its quorum: at most 1 of its 3 members reach one another, a majority is 2)",
        )],
    );
    // etcd3 stays up, but alone it is not a majority: it is cut off.
    assert_eq!(
        impact_of("quorum-two-in-one-rack", "r1").0,
        vec![("config".to_string(), 2, 1)]
    );
}

#[test]
fn a_quorum_spread_over_three_racks_survives_any_one() {
    FIXTURES.expect("quorum-three-racks", &[]);
}

#[test]
fn callers_that_reach_only_the_minority_of_a_quorum_are_unreachable() {
    FIXTURES.expect(
        "quorum-minority-reached",
        &[(
            "unreachable",
            Error,
            "flow `read`: no network path from `api` (api1) to a member of `config` (etcd1, etcd2, etcd3) in its majority",
        )],
    );
}

#[test]
fn a_quorum_whose_members_reach_no_majority_never_serves() {
    FIXTURES.expect(
        "quorum-partitioned",
        &[(
            "unreachable",
            Error,
            "`config` (ha quorum): no member reaches a majority of its 3 members (etcd1, etcd2, etcd3) with nothing failed; it never serves",
        )],
    );
}

#[test]
fn the_only_copy_of_a_shard_is_a_single_point_of_failure() {
    let expected: Vec<String> = (1..=4)
        .map(|j| {
            format!(
                "server `odb{j}` is a single point of failure: it stops flow `order` (every instance of shard {j} of `orders` fails with it)"
            )
        })
        .collect();
    let expected: Vec<(&str, Severity, &str)> = expected
        .iter()
        .map(|m| ("spof", Warning, m.as_str()))
        .collect();
    FIXTURES.expect("shards-one-copy", &expected);
}

#[test]
fn two_copies_of_every_shard_survive_any_one_server() {
    FIXTURES.expect("shards-two-copies", &[]);
}

#[test]
fn a_hot_shard_needs_both_of_its_copies() {
    FIXTURES.expect(
        "shards-hot-shard",
        &[
            (
                "spof",
                Warning,
                "server `odb3` is a single point of failure: it stops flow `order` (shard 3 of `orders` keeps 1 of 2 instances but needs 2)",
            ),
            (
                "spof",
                Warning,
                "server `odb6` is a single point of failure: it stops flow `order` (shard 3 of `orders` keeps 1 of 2 instances but needs 2)",
            ),
            (
                "shard-skew",
                Warning,
                "`orders` shard 3 of 3 holds 55 % of customer-id, 1.6× the mean of 33.3 %: it saturates first",
            ),
            // v2: capacity-n1 judges each shard on its own hosts.
            (
                "capacity-n1",
                Warning,
                "shard 3 of `orders` needs 1100 rps (55 % of 2000 rps): after losing one of its 2 instances, 1 × 600 rps = 600 rps remain",
            ),
        ],
    );
}

#[test]
fn a_host_count_that_is_not_a_multiple_of_the_shards_is_invalid() {
    let text = "\
server odb[1..6] { }
service orders on odb[1..6] { shard by customer-id { weights 25% 25% 25% 25% } }
";
    let checked = check_sources(&[("shards.topo", text)]);
    let found: Vec<(&str, &str)> = checked
        .diagnostics
        .iter()
        .map(|d| (d.rule, d.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [(
            "invalid-value",
            "6 hosts do not divide into 4 shards: host j holds shard j mod 4, so the host count must be a multiple of 4"
        )]
    );
}
