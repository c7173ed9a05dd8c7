//! Every construct version 2 of the language adds parses, is checked and is
//! stored in the model (the analyses that read them come later), and each
//! new check refuses what it should, with a message that says why.

use topo::diagnostic::Diagnostic;
use topo::model::graph::Edge;
use topo::model::lower::lower;
use topo::model::units::Draw;
use topo::model::*;

/// The version 2 snippets of the language reference, with the names they
/// use declared (shared with the hover tests).
const V2: &str = include_str!("fixtures/v2/snippets.topo");

fn lowered(text: &str) -> (Project, Vec<Diagnostic>) {
    lower(&load_sources(&[("v2.topo", text)]))
}

fn project() -> Project {
    let (p, diags) = lowered(V2);
    let messages: Vec<String> = diags
        .iter()
        .map(|d| format!("{}: {}", d.rule, d.message))
        .collect();
    assert!(messages.is_empty(), "{messages:#?}");
    p
}

/// The rule, message and help of every diagnostic of `text` after the
/// version 2 snippets.
fn errors(text: &str) -> Vec<(String, String, Option<String>)> {
    lowered(&format!("{V2}\n{text}"))
        .1
        .into_iter()
        .map(|d| (d.rule.to_string(), d.message, d.help))
        .collect()
}

/// The one diagnostic of `text`.
fn error(text: &str) -> (String, String, Option<String>) {
    let mut all = errors(text);
    assert_eq!(all.len(), 1, "{text}: {all:#?}");
    all.remove(0)
}

fn device<'p>(p: &'p Project, name: &str) -> &'p Device {
    match p.element(name) {
        Some(Element::Device(d)) => &p.devices[d.index()],
        other => panic!("{name} is {other:?}"),
    }
}

fn power<'p>(p: &'p Project, name: &str) -> &'p Power {
    match p.element(name) {
        Some(Element::Power(s)) => &p.powers[s.index()],
        other => panic!("{name} is {other:?}"),
    }
}

fn feed<'p>(p: &'p Project, name: &str) -> &'p Feed {
    match p.element(name) {
        Some(Element::Feed(f)) => &p.feeds[f.index()],
        other => panic!("{name} is {other:?}"),
    }
}

fn service<'p>(p: &'p Project, name: &str) -> &'p Service {
    match p.element(name) {
        Some(Element::Service(s)) => &p.services[s.index()],
        other => panic!("{name} is {other:?}"),
    }
}

// --- the power chain -------------------------------------------------------------

#[test]
fn power_sources_are_elements_with_kind_capacity_phases_and_source() {
    let p = project();
    assert_eq!(p.powers.len(), 4);
    let util = power(&p, "util-a");
    assert_eq!(util.kind.unwrap().value, PowerKind::Utility);
    assert_eq!(
        util.capacity
            .unwrap()
            .value
            .limit
            .watts(None)
            .unwrap()
            .get(),
        500e3
    );
    assert!(matches!(
        util.capacity.unwrap().value.limit,
        Draw::ApparentPower(_)
    ));
    assert!(util.from.is_none(), "a source without `from` is a root");
    assert_eq!(power(&p, "gen-a").kind.unwrap().value, PowerKind::Generator);
    let ups = power(&p, "ups-a");
    assert_eq!(ups.kind.unwrap().value, PowerKind::Ups);
    assert_eq!(p.powers[ups.from.unwrap().value.index()].name, "util-a");
    let panel = power(&p, "panel-a");
    assert_eq!(panel.kind.unwrap().value, PowerKind::Panel);
    assert_eq!(panel.phases.unwrap().value, 3);
    assert_eq!(panel.capacity.unwrap().value.voltage.unwrap().get(), 208.0);
    assert_eq!(p.powers[panel.from.unwrap().value.index()].name, "ups-a");
    assert_eq!(p.sites[panel.site.unwrap().value.index()].name, "tokyo");
    let Some(e @ Element::Power(_)) = p.element("panel-a") else {
        panic!("panel-a is a power source")
    };
    assert_eq!(p.kind_of(e), "power");
    assert_eq!(p.name_of(e), "panel-a");
}

#[test]
fn feeds_take_phases_a_rating_and_their_source() {
    let p = project();
    assert_eq!(
        p.powers[feed(&p, "tokyo-a").from.unwrap().value.index()].name,
        "panel-a"
    );
    assert_eq!(feed(&p, "tokyo-c").phases.unwrap().value, 3);
    assert!(
        feed(&p, "tokyo-a").phases.is_none(),
        "single phase unless told"
    );
    assert_eq!(feed(&p, "colo-1").rated.unwrap().value.get(), 100.0);
    assert!(feed(&p, "tokyo-a").rated.is_none());
}

#[test]
fn the_graph_joins_feeds_to_sources_and_sources_to_theirs() {
    let p = project();
    let node = |name: &str| match p.element(name) {
        Some(Element::Power(s)) => p.powers[s.index()].node,
        Some(Element::Feed(f)) => p.feeds[f.index()].node,
        other => panic!("{other:?}"),
    };
    let powered_by = |from: &str, to: &str| {
        p.graph
            .edges_connecting(node(from), node(to))
            .any(|e| *e.weight() == Edge::PoweredBy)
    };
    assert!(powered_by("tokyo-a", "panel-a"));
    assert!(powered_by("panel-a", "ups-a"));
    assert!(powered_by("ups-a", "util-a"));
    assert!(!powered_by("util-a", "ups-a"));
}

#[test]
fn a_rack_states_its_cooling() {
    let p = project();
    assert_eq!(p.racks[0].cooling.as_deref().unwrap().value.get(), 12_000.0);
}

// --- devices -----------------------------------------------------------------------

#[test]
fn a_device_names_the_rack_feeds_its_supplies_connect_to() {
    let p = project();
    let names: Vec<&str> = device(&p, "web1")
        .feeds
        .iter()
        .map(|f| p.feeds[f.value.index()].name.as_str())
        .collect();
    assert_eq!(names, ["tokyo-a", "tokyo-b"]);
    assert!(
        device(&p, "web2").feeds.is_empty(),
        "without `feeds`, none named"
    );
}

#[test]
fn power_factor_depth_ram_and_oversubscription_are_stored() {
    let p = project();
    let web1 = device(&p, "web1");
    assert_eq!(
        web1.props.power_factor().unwrap().value,
        0.95,
        "from the model"
    );
    assert_eq!(web1.props.depth(), None, "full depth unless told");
    let web2 = device(&p, "web2");
    assert_eq!(web2.props.depth().unwrap().value, Depth::Half);
    assert_eq!(
        web2.props.power_factor().unwrap().value,
        0.95,
        "a device that changes one extra keeps its model's others"
    );
    assert_eq!(device(&p, "web3").props.ram().unwrap().value.get(), 64e9);
    assert_eq!(web1.props.ram().unwrap().value.get(), 256e9);
    assert_eq!(
        device(&p, "tor1").props.oversubscription().unwrap().value,
        5.0
    );
    assert_eq!(device(&p, "tor2").props.oversubscription(), None);
}

#[test]
fn a_placement_names_its_face() {
    let p = project();
    let face = |name: &str| device(&p, name).placement.unwrap().face;
    assert_eq!(face("web1"), Face::Front, "front unless told");
    assert_eq!(face("web2"), Face::Rear);
    assert_eq!(face("web3"), Face::Front);
    assert_eq!(device(&p, "web2").placement.unwrap().position, 2);
}

#[test]
fn ports_come_in_groups_on_devices_nics_and_hbas() {
    let p = project();
    let tor1 = device(&p, "tor1");
    let ports = tor1.props.ports.unwrap().value;
    assert_eq!(ports.count, 56);
    assert_eq!(ports.groups().count(), 2);
    assert_eq!(ports.total().get(), (48.0 * 25e9 + 8.0 * 100e9) / 8.0);
    assert_eq!(ports.label(), "48 × 25GbE + 8 × 100GbE");
    let inside = &device(&p, "web1").internals;
    let nic = &inside.parts[inside.part("nic0").unwrap()];
    let PartKind::Nic {
        ports: Some(nic_ports),
    } = nic.kind
    else {
        panic!("{:?}", nic.kind)
    };
    assert_eq!(nic_ports.value.count, 6);
    assert_eq!(nic_ports.value.label(), "4 × 25GbE + 2 × 100GbE");
    let hba = &inside.parts[inside.part("hba0").unwrap()];
    let PartKind::Hba {
        ports: Some(hba_ports),
    } = hba.kind
    else {
        panic!("{:?}", hba.kind)
    };
    assert_eq!(hba_ports.value.label(), "2 × 32GFC + 2 × 16GFC");
}

#[test]
fn a_bridge_is_a_part_that_others_hang_off() {
    let p = project();
    let inside = &device(&p, "web1").internals;
    let bridge = inside.part("plx0").unwrap();
    assert_eq!(inside.parts[bridge].kind, PartKind::Bridge);
    assert_eq!(inside.parts[bridge].parent, inside.part("cpu0"));
    assert_eq!(
        inside.parts[inside.part("nic0").unwrap()].parent,
        Some(bridge)
    );
    assert_eq!(
        inside.parts[inside.part("hba0").unwrap()].parent,
        Some(bridge)
    );
}

#[test]
fn a_cpu_states_its_memory_as_a_size_beside_the_preset_form() {
    let p = project();
    let inside = &device(&p, "web1").internals;
    let PartKind::Cpu(cpu0) = &inside.parts[inside.part("cpu0").unwrap()].kind else {
        panic!()
    };
    assert_eq!(cpu0.memory_size.unwrap().value.get(), 512e9);
    assert!(cpu0.memory.is_none());
    // 512 GB, plus eight "32GB" DIMMs: JEDEC sizes, 32 GiB each.
    let dimms = 8.0 * 32.0 * 1024f64.powi(3);
    assert_eq!(inside.memory().unwrap().get(), 512e9 + dimms);
    let Some(Element::Device(web1)) = p.element("web1") else {
        panic!()
    };
    assert_eq!(
        p.host_memory(Host::Device(web1)).unwrap().get(),
        512e9 + dimms,
        "the CPUs' memory comes before the device's `ram`"
    );
}

#[test]
fn ram_on_a_device_without_cpu_memory_is_the_hosts_memory() {
    let (p, diags) = lowered("server h { ram 768GB }\n");
    assert!(diags.is_empty(), "{diags:#?}");
    let Some(Element::Device(h)) = p.element("h") else {
        panic!()
    };
    assert_eq!(p.host_memory(Host::Device(h)).unwrap().get(), 768e9);
}

// --- links, sites, fault domains, services ----------------------------------------

#[test]
fn a_link_carries_a_cable_count() {
    let p = project();
    let lag: Vec<&Link> = p.links.iter().filter(|l| l.count(&p).is_some()).collect();
    assert_eq!(lag.len(), 4, "tor1 tor2 to core1 core2");
    assert!(lag.iter().all(|l| l.count(&p).unwrap().value == 2));
    assert!(p.links[0].count(&p).is_none(), "one cable unless told");
}

#[test]
fn a_link_states_its_length() {
    let p = project();
    let wan = p.links.last().unwrap();
    assert_eq!(wan.distance(&p).unwrap().value.kilometres(), 400.0);
    assert!(p.links[0].distance(&p).is_none());
    let (rule, message, _) = error("link web1 to core1 { distance 400kg }\n");
    assert_eq!(rule, "unit-mismatch");
    assert_eq!(
        message,
        "expected a length (km, mi), found a mass (kg, g, lb)"
    );
}

#[test]
fn a_site_names_its_entry_devices() {
    let p = project();
    let entry: Vec<&str> = p.sites[0]
        .entry
        .iter()
        .map(|d| p.devices[d.value.index()].name.as_str())
        .collect();
    assert_eq!(entry, ["fw1", "fw2"]);
    assert!(p.sites[1].entry.is_empty());
}

#[test]
fn a_fault_domain_holds_devices_vms_and_racks() {
    let p = project();
    assert_eq!(p.fault_domains.len(), 2);
    let Some(e @ Element::FaultDomain(stack)) = p.element("tor-stack1") else {
        panic!("tor-stack1 is a fault domain")
    };
    assert_eq!(p.kind_of(e), "fault-domain");
    let members = &p.fault_domains[stack.index()].members;
    let names: Vec<&str> = members
        .iter()
        .map(|m| match m.value {
            Member::Device(d) => p.devices[d.index()].name.as_str(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(names, ["tor1", "tor2"]);
    let Some(Element::FaultDomain(row)) = p.element("row1") else {
        panic!()
    };
    let row = &p.fault_domains[row.index()].members;
    assert_eq!(row.len(), 4, "a rack and a range of three devices");
    assert!(matches!(row[0].value, Member::Rack(_)));
}

#[test]
fn services_take_over_and_hold_a_quorum() {
    let p = project();
    assert_eq!(service(&p, "shop-db").ha.unwrap().value, HaMode::Quorum);
    let dr = service(&p, "shop-db-dr");
    assert_eq!(
        p.services[dr.takes_over.unwrap().value.index()].name,
        "shop-db"
    );
    assert!(service(&p, "shop-db").takes_over.is_none());
}

#[test]
fn a_replication_states_its_write_rate() {
    let p = project();
    assert_eq!(p.replications[0].write_rate.unwrap().value.get(), 200e6);
}

// --- what the new checks refuse -----------------------------------------------

#[test]
fn power_sources_that_draw_from_each_other_are_refused() {
    let (rule, message, _) = error(
        "power loop-a { site tokyo; from loop-b }\npower loop-b { site tokyo; from loop-a }\n",
    );
    assert_eq!(rule, "invalid-value");
    assert_eq!(message, "power source cycle: loop-a → loop-b → loop-a");
    let (rule, message, _) = error("power self { from self }\n");
    assert_eq!(rule, "invalid-value");
    assert_eq!(message, "power source cycle: self → self");
}

#[test]
fn a_cycle_is_cut_so_that_sources_form_a_tree() {
    let (p, _) =
        lowered("power a { from b }\npower b { from c }\npower c { from a }\npower d { from a }\n");
    let mut roots = 0;
    for start in &p.powers {
        let mut at = start;
        let mut steps = 0;
        while let Some(f) = at.from {
            at = &p.powers[f.value.index()];
            steps += 1;
            assert!(steps <= p.powers.len(), "{} walks in a circle", start.name);
        }
        roots += usize::from(start.from.is_none());
    }
    assert_eq!(roots, 1);
    assert_eq!(p.powers[3].from.map(|f| f.value), Some(PowerId(0)));
}

#[test]
fn a_power_factor_is_above_0_and_at_most_1() {
    for pf in ["0", "1.2"] {
        let (rule, message, help) = error(&format!("server s {{ power-factor {pf} }}\n"));
        assert_eq!(rule, "invalid-value");
        assert_eq!(
            message,
            format!("a power factor is above 0 and at most 1, not {pf}")
        );
        assert!(help.unwrap().contains("0.95"));
    }
    let (rule, message, _) = error("server s { power-factor 95% }\n");
    assert_eq!(rule, "unit-mismatch");
    assert!(
        message.starts_with("expected a plain number, found a ratio"),
        "{message}"
    );
}

#[test]
fn a_device_names_only_feeds_of_its_rack() {
    let (rule, message, help) =
        error("server s { rack t1 at U20; size 1U; feeds tokyo-a colo-1 }\n");
    assert_eq!(rule, "invalid-value");
    assert_eq!(message, "feed `colo-1` is not a feed of rack `t1`");
    assert!(help.unwrap().contains("add the feed to the rack's `feeds`"));
    let (_, message, _) = error("server s { site tokyo; feeds tokyo-a }\n");
    assert_eq!(
        message,
        "`feeds` names feeds of the device's rack, but the device is in no rack"
    );
    let (_, message, _) = error("server s { rack t1 at U20; size 1U; feeds tokyo-a tokyo-a }\n");
    assert_eq!(message, "feed `tokyo-a` is listed twice");
}

#[test]
fn a_fault_domain_without_members_is_refused() {
    let (rule, message, help) = error("fault-domain empty { }\n");
    assert_eq!(rule, "invalid-value");
    assert_eq!(message, "a fault-domain needs `members`");
    assert_eq!(help.as_deref(), Some("add `members tor1 tor2`"));
    let (_, message, _) = error("fault-domain bare\n");
    assert_eq!(message, "a fault-domain needs `members`");
    let (_, message, _) = error("fault-domain odd { members tokyo }\n");
    assert_eq!(message, "`tokyo` is a site, not a device, vm or rack");
}

#[test]
fn an_unknown_choice_word_suggests_the_closest() {
    let cases = [
        (
            "power p { kind upss }",
            "`upss` is not a kind of power source: expected one of `utility`, `generator`, `ups`, `panel`",
            "did you mean `ups`?",
        ),
        (
            "server s { depth halff }",
            "`halff` is not a depth: expected one of `full`, `half`",
            "did you mean `half`?",
        ),
        (
            "service q on dr1 { ha quorom }",
            "`quorom` is not an HA mode: expected one of `active-standby`, `active-active`, `quorum`",
            "did you mean `quorum`?",
        ),
        (
            "server s { rack t1 at U20 raer; size 1U }",
            "`raer` is not a rack face: expected one of `front`, `rear`",
            "did you mean `rear`?",
        ),
    ];
    for (text, expected, suggestion) in cases {
        let (rule, message, help) = error(&format!("{text}\n"));
        assert_eq!(rule, "invalid-value", "{text}");
        assert_eq!(message, expected);
        assert_eq!(help.as_deref(), Some(suggestion));
    }
}

#[test]
fn phases_are_1_or_3_and_a_rating_at_most_100_percent() {
    let (rule, message, _) = error("feed f { circuit 30A at 240V; phases 2 }\n");
    assert_eq!(rule, "invalid-value");
    assert_eq!(message, "a circuit has 1 or 3 phases, not 2");
    let (_, message, _) = error("feed f { circuit 30A at 240V; phases 4 }\n");
    assert_eq!(
        message,
        "4 is too large for a number of phases (1 or 3) (at most 3)"
    );
    let (_, message, _) = error("feed f { circuit 30A at 240V; rated 120% }\n");
    assert_eq!(
        message,
        "a breaker is rated for above 0 % and at most 100 % of its capacity, not 120 %"
    );
}

#[test]
fn a_property_given_twice_is_refused_where_it_is_not_a_list() {
    let (rule, message, _) = error("rack r { cooling 10kW; cooling 12kW }\n");
    assert_eq!(rule, "invalid-value");
    assert_eq!(message, "`cooling` is given twice in a rack");
    assert!(
        errors("service s on dr1 { calls shop-db; calls shop-db-dr }\n").is_empty(),
        "a list adds up"
    );
}

#[test]
fn ports_take_a_few_groups() {
    let (rule, message, _) =
        error("switch s { ports 1 x 1GbE 1 x 10GbE 1 x 25GbE 1 x 100GbE 1 x 400GbE }\n");
    assert_eq!(rule, "invalid-value");
    assert_eq!(
        message,
        "`ports` lists 5 groups; at most 4 speeds fit one device"
    );
    let (rule, message, _) = error("switch s { ports 2 x 25GbE x }\n");
    assert_eq!(rule, "syntax");
    assert_eq!(message, "unexpected `x` after `ports`");
}

#[test]
fn the_simple_memory_form_takes_no_block() {
    let (rule, message, _) = error("model m { cpu c { memory 512GB { channels 8 } } }\n");
    assert_eq!(rule, "syntax");
    assert_eq!(message, "`memory` takes no block");
}

#[test]
fn an_unknown_statement_lists_every_kind_of_statement() {
    let (rule, message, help) = error("loadbalancer lb1 {}\n");
    assert_eq!(rule, "syntax");
    assert_eq!(message, "unknown keyword `loadbalancer`");
    let help = help.unwrap();
    // An engineer's word for a load balancer is pointed at the keyword.
    assert!(help.starts_with("did you mean `lb`? "), "{help}");
    assert!(
        help.ends_with(
            "expected a statement: site, feed, power, rack, model, server, switch, router, \
             firewall, lb, storage, pdu, device, vm, tier, service, dns, client, cdn, flow, \
             partition, replicate, link, fault-domain, allow, include"
        ),
        "{help}"
    );
    let (_, _, help) = error("fault-domian fd { members tor1 }\n");
    assert!(help
        .unwrap()
        .starts_with("did you mean `fault-domain`? expected a statement: "));
}

/// Every property version 2 adds to the schema is written in the snippets
/// above, so a new one cannot go without its test.
#[test]
fn every_v2_property_of_the_schema_is_written_here() {
    use topo::model::schema;
    for kind in schema::kinds() {
        for p in kind.properties.iter().filter(|p| p.since_v2) {
            let written = V2
                .lines()
                .any(|l| l.split([' ', '{', ';']).any(|w| w == p.name));
            assert!(written, "{}.{} is not written here", kind.keyword, p.name);
        }
        if kind.since_v2 {
            assert!(
                V2.lines().any(|l| l.trim_start().starts_with(kind.keyword)),
                "no `{}` here",
                kind.keyword
            );
        }
    }
}
