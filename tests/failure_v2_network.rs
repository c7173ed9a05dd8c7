//! The failure model's network (v2): Ethernet and Fibre Channel are separate
//! networks, only switches, routers, firewalls and load balancers forward,
//! and a `storage` dependency is followed over the links. Each situation has
//! a fixture that shows the fault and one that fixes it, with the exact
//! findings (`tests/fixtures/failure-v2-network/`).

mod support;

use support::fixtures::Fixtures;
use topo::check::check_sources;
use topo::diagnostic::Severity::{self, Error, Warning};
use topo::model::{Element, LinkMedium};

const FIXTURES: Fixtures = Fixtures::new("failure-v2-network");

/// The flows that failing `element` alone stops, as `topo impact` lists them.
fn stopped_by(name: &str, element: &str) -> Vec<(String, String)> {
    FIXTURES.impact(name, &[element]).first_reasons()
}

#[test]
fn a_link_medium_is_read_from_its_speed() {
    let text = "\
switch a { }
switch b { }
link a to b { speed 25GbE }
link a to b { speed 32GFC }
link a to b { speed 10Gb/s }
link a to b { speed 1GB/s }
link a to b
";
    let checked = check_sources(&[("media.topo", text)]);
    assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
    let media: Vec<LinkMedium> = checked
        .project
        .links
        .iter()
        .map(|l| l.medium(&checked.project))
        .collect();
    use LinkMedium::{Ethernet, FibreChannel};
    assert_eq!(
        media,
        [Ethernet, FibreChannel, Ethernet, Ethernet, Ethernet]
    );
}

#[test]
fn one_fc_switch_between_the_database_and_its_array_is_a_spof() {
    FIXTURES.expect(
        "fc-switch-spof",
        &[(
            "spof",
            Warning,
            "switch `fcsw1` is a single point of failure: it stops flow `checkout` (every instance of `shop-db` fails with it)",
        )],
    );
    assert_eq!(
        stopped_by("fc-switch-spof", "fcsw1"),
        [(
            "checkout".to_string(),
            "every instance of `shop-db` fails with it".to_string()
        )]
    );
}

#[test]
fn two_fc_fabrics_leave_no_single_point() {
    FIXTURES.expect("fc-dual-fabric", &[]);
    assert_eq!(stopped_by("fc-dual-fabric", "fcsw1"), []);
}

#[test]
fn database_hosts_without_fc_cables_cannot_reach_their_array() {
    FIXTURES.expect(
        "fc-cables-missing",
        &[(
            "unreachable",
            Error,
            "`shop-db`: no network path from 2 of its 2 hosts (db1, db2) to its storage `san1` over Ethernet or Fibre Channel; those instances are never up",
        )],
    );
}

#[test]
fn one_uncabled_host_is_named_and_the_other_carries_the_service() {
    let text = "\
site dc1
switch tor[1..2] { site dc1 }
switch fcsw[1..2] { site dc1 }
server db[1..2] { site dc1 }
storage san1 { site dc1; redundant }
link db[1..2] to tor1 tor2 { speed 25GbE }
link db1 to fcsw1 fcsw2 { speed 32GFC }
link fcsw1 fcsw2 to san1 { speed 32GFC }
service db on db1 db2 { storage san1 }
dns ns on db1 db2 { resolves db }
client c { browser }
flow f { c -> db }
";
    let checked = check_sources(&[("partial.topo", text)]);
    let found: Vec<(&str, Severity, &str)> = checked
        .diagnostics
        .iter()
        .map(|d| (d.rule, d.severity, d.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "spof",
                Warning,
                "server `db1` is a single point of failure: it stops flow `f` (every instance of `db` fails with it)"
            ),
            (
                "unreachable",
                Error,
                "`db`: no network path from 1 of its 2 hosts (db2) to its storage `san1` over Ethernet or Fibre Channel; that instance is never up"
            ),
        ]
    );
}

#[test]
fn a_dual_homed_server_does_not_join_two_switches() {
    FIXTURES.expect(
        "dual-homed-monitor",
        &[(
            "unreachable",
            Error,
            "flow `orders`: no network path from `app` (app1, app2) to `db` (db1, db2)",
        )],
    );
}

#[test]
fn joined_switches_carry_the_flow_and_each_is_a_spof() {
    FIXTURES.expect(
        "switches-joined",
        &[
            (
                "spof",
                Warning,
                "switch `sw1` is a single point of failure: it stops flow `orders` (no network path is left from `app` to `db`)",
            ),
            (
                "spof",
                Warning,
                "switch `sw2` is a single point of failure: it stops flow `orders` (no network path is left from `app` to `db`)",
            ),
        ],
    );
}

#[test]
fn a_request_never_crosses_a_fibre_channel_fabric() {
    FIXTURES.expect(
        "ip-over-fc",
        &[(
            "unreachable",
            Error,
            "flow `orders`: no network path from `app` (app1, app2) to `db` (db1, db2)",
        )],
    );
}

#[test]
fn requests_over_ethernet_and_storage_over_either_fabric_hold() {
    FIXTURES.expect("ip-over-ethernet", &[]);
}

#[test]
fn an_fc_fabric_hides_no_ethernet_spof_and_takes_no_blame() {
    FIXTURES.expect(
        "ip-single-tor",
        &[(
            "spof",
            Warning,
            "switch `tor1` is a single point of failure: it stops flow `orders` (no network path is left from `app` to `db`)",
        )],
    );
    assert_eq!(stopped_by("ip-single-tor", "fcsw1"), []);
}

#[test]
fn only_forwarding_kinds_carry_traffic() {
    // The same two islands, joined by each kind of device in turn.
    for (kind, joins) in [
        ("switch", true),
        ("router", true),
        ("firewall", true),
        ("lb", true),
        ("server", false),
        ("storage", false),
        ("pdu", false),
        ("device", false),
    ] {
        let text = format!(
            "\
site dc1
switch sw[1..2] {{ site dc1 }}
server app1 {{ site dc1 }}
server db1 {{ site dc1 }}
{kind} mid {{ site dc1 }}
link app1 to sw1 {{ speed 25GbE }}
link db1 to sw2 {{ speed 25GbE }}
link mid to sw1 sw2 {{ speed 25GbE }}
service app on app1 {{ calls db }}
service db on db1
flow f {{ app -> db }}
"
        );
        let checked = check_sources(&[("kinds.topo", &text)]);
        let unreachable = checked.diagnostics.iter().any(|d| d.rule == "unreachable");
        assert_eq!(unreachable, !joins, "{kind}");
        let mid = checked.project.names.get("mid").copied();
        assert!(matches!(mid, Some(Element::Device(_))));
    }
}

#[test]
fn replication_never_crosses_a_fibre_channel_fabric() {
    FIXTURES.expect(
        "replication-over-fc",
        &[(
            "unreachable",
            Error,
            "replication of `db` (db1) to `db-replica` (db2): no Ethernet path between their hosts",
        )],
    );
    FIXTURES.expect("replication-over-ethernet", &[]);
}
