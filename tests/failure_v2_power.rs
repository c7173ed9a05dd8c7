//! The failure model's power chain and fault domains (v2): a power source
//! fails with the source it draws from, a feed with its source, a fault
//! domain with every member, and a device loses power when every feed its
//! power supplies connect to (`feeds`, else the first `psu N`, else all of
//! its rack's) fails. Each situation has a fixture that shows the fault and
//! one that fixes it, with the exact findings
//! (`tests/fixtures/failure-v2-power/`).

mod support;

use support::fixtures::Fixtures;
use topo::analyze::failure::{impact, Candidate};
use topo::check::check_sources;
use topo::diagnostic::Severity::Warning;

const FIXTURES: Fixtures = Fixtures::new("failure-v2-power");

/// The devices that failing `elements` together takes down, with why.
fn devices_down(name: &str, elements: &[&str]) -> Vec<(String, String)> {
    FIXTURES.impact(name, elements).devices
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

// --- one UPS behind both feeds -----------------------------------------------

#[test]
fn one_ups_behind_both_feeds_is_the_single_point() {
    FIXTURES.expect(
        "one-ups",
        &[
            (
                "spof",
                Warning,
                "power source `ups1` is a single point of failure: it stops flow `orders` (every instance of `db` fails with it)",
            ),
            (
                "ha-same-domain",
                Warning,
                "every member of `db` (ha active-standby) fails with power source `ups1`",
            ),
        ],
    );
    assert_eq!(
        devices_down("one-ups", &["ups1"]),
        pairs(&[
            (
                "db1",
                "its power source `ups1` fails (feeds `a`, `b` draw from it)"
            ),
            (
                "db2",
                "its power source `ups1` fails (feeds `a`, `b` draw from it)"
            ),
        ])
    );
}

#[test]
fn feeds_from_two_upses_have_no_single_point() {
    FIXTURES.expect("two-ups", &[]);
    assert_eq!(devices_down("two-ups", &["ups-a"]), pairs(&[]));
    assert_eq!(
        devices_down("two-ups", &["ups-a", "ups-b"]),
        pairs(&[
            ("db1", "its power source `ups-a` fails (feed `a` draws from it); its power source `ups-b` fails (feed `b` draws from it)"),
            ("db2", "its power source `ups-a` fails (feed `a` draws from it); its power source `ups-b` fails (feed `b` draws from it)"),
        ])
    );
}

// --- a panel chain -------------------------------------------------------------

#[test]
fn every_source_of_one_chain_stops_the_flow() {
    let stops = "is a single point of failure: it stops flow `orders` (every instance of `db` fails with it)";
    FIXTURES.expect(
        "panel-chain",
        &[
            ("spof", Warning, &format!("power source `util` {stops}")),
            ("spof", Warning, &format!("power source `ups1` {stops}")),
            ("spof", Warning, &format!("power source `panel1` {stops}")),
        ],
    );
    // The utility cuts both feeds through the UPS and the panel.
    assert_eq!(
        devices_down("panel-chain", &["util"]),
        pairs(&[
            (
                "db1",
                "its power source `util` fails (feeds `a`, `b` draw from it)"
            ),
            (
                "db2",
                "its power source `util` fails (feeds `a`, `b` draw from it)"
            ),
        ])
    );
}

#[test]
fn two_chains_keep_one_feed_whatever_source_fails() {
    FIXTURES.expect("two-chains", &[]);
    for source in ["util", "gen", "ups-a", "ups-b", "panel-a", "panel-b"] {
        assert_eq!(
            devices_down("two-chains", &[source]),
            pairs(&[]),
            "{source}"
        );
    }
    // The nearest named source is the one given for each feed.
    assert_eq!(
        devices_down("two-chains", &["util", "panel-b"])[0].1,
        "its power source `util` fails (feed `a` draws from it); its power source `panel-b` fails (feed `b` draws from it)"
    );
}

// --- fault domains ---------------------------------------------------------------

#[test]
fn a_fault_domain_holding_both_tor_switches_is_the_single_point() {
    FIXTURES.expect(
        "tor-stack",
        &[(
            "spof",
            Warning,
            "fault domain `stack1` is a single point of failure: it stops flow `orders` (no network path is left from `app` to `db`)",
        )],
    );
    assert_eq!(
        devices_down("tor-stack", &["stack1"]),
        pairs(&[
            ("tor1", "fault domain `stack1` fails"),
            ("tor2", "fault domain `stack1` fails"),
        ])
    );
}

#[test]
fn one_fault_domain_per_tor_switch_leaves_a_path() {
    FIXTURES.expect("tor-two-domains", &[]);
}

#[test]
fn an_ha_pair_in_one_row_of_racks_shares_the_row() {
    FIXTURES.expect(
        "row-of-racks",
        &[
            (
                "spof",
                Warning,
                "fault domain `row1` is a single point of failure: it stops flow `orders` (every instance of `db` fails with it)",
            ),
            (
                "ha-same-domain",
                Warning,
                "every member of `db` (ha active-standby) fails with fault domain `row1`",
            ),
        ],
    );
    // A rack member passes the domain on to its devices.
    assert_eq!(
        devices_down("row-of-racks", &["row1"]),
        pairs(&[
            ("db1", "fault domain `row1` fails"),
            ("db2", "fault domain `row1` fails"),
        ])
    );
}

#[test]
fn an_ha_pair_in_two_rows_is_fine() {
    FIXTURES.expect("rows-apart", &[]);
}

/// A vm member is killed by its domain even with a failover host up; and
/// `allow` on a power source or a fault domain accepts it.
const ALLOWED: &str = "\
site dc1
allow missing-draw
power ups1 { site dc1; kind ups; capacity 160kW; allow spof }
feed a { site dc1; circuit 30A at 208V; from ups1 }
feed b { site dc1; circuit 30A at 208V; from ups1 }
rack r1 { site dc1; feeds a b }
rack r2 { site dc1; feeds a b }
server h1 { rack r1 at U1; size 1U }
server h2 { rack r2 at U1; size 1U }
server app1 { site dc1; allow spof }
vm v1 on h1 { failover h2 }
vm v2 on h2 { failover h1 }
fault-domain zone1 { members v1 v2; allow spof; allow ha-same-domain }
service app on app1 { calls db }
service db on v1 v2 { ha active-active }
flow orders { app -> db }
";

#[test]
fn allow_on_a_power_source_or_a_fault_domain_accepts_it() {
    let checked = check_sources(&[("allowed.topo", ALLOWED)]);
    let found: Vec<(&str, String)> = checked
        .diagnostics
        .iter()
        .map(|d| (d.rule, d.message.clone()))
        .collect();
    // `spof` names neither; `ha-same-domain` keeps the UPS, which allows
    // only `spof`.
    assert_eq!(
        found,
        [(
            "ha-same-domain",
            "every member of `db` (ha active-active) fails with power source `ups1` (their vms restart on the failover host: an outage)".to_string()
        )]
    );
    let p = &checked.project;
    let zone = Candidate::of(p.names["zone1"]).unwrap();
    let vms: Vec<(String, String)> = impact(p, &[zone])
        .vms
        .into_iter()
        .map(|r| (p.vms[r.vm.index()].name.clone(), r.reason))
        .collect();
    assert_eq!(
        vms,
        pairs(&[
            ("v1", "fault domain `zone1` fails"),
            ("v2", "fault domain `zone1` fails"),
        ])
    );
}

// --- which feeds a device's PSUs connect to ------------------------------------

#[test]
fn one_psu_plugged_into_feed_b_hangs_on_b_not_on_the_first_feed() {
    assert_eq!(devices_down("psu-named-feed", &["a"]), pairs(&[]));
    assert_eq!(
        devices_down("psu-named-feed", &["b"]),
        pairs(&[("db1", "it loses power: feed `b` fails")])
    );
}

#[test]
fn two_psus_in_a_rack_of_three_feeds_hang_on_the_first_two() {
    assert_eq!(devices_down("psu-two-of-three", &["a"]), pairs(&[]));
    assert_eq!(devices_down("psu-two-of-three", &["b", "c"]), pairs(&[]));
    assert_eq!(
        devices_down("psu-two-of-three", &["a", "b"]),
        pairs(&[("db1", "it loses power: feeds `a`, `b` fail")])
    );
}

#[test]
fn a_rack_without_feeds_takes_nothing_down_by_power() {
    let text = "\
site dc1
feed a { site dc1; circuit 30A at 208V }
rack r1 { site dc1 }
server db1 { rack r1 at U1; size 1U; psu 1 }
";
    let checked = check_sources(&[("bare.topo", text)]);
    let p = &checked.project;
    let a = Candidate::of(p.names["a"]).unwrap();
    assert!(impact(p, &[a]).devices.is_empty());
}
