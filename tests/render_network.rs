//! The network view: boxes per device (servers per rack), tiers from the
//! link direction, merged edges labelled count × speed, Fibre Channel
//! distinct, findings marked, the empty case, determinism and scale.

use std::path::PathBuf;
use topo::check::{check_files, check_sources, Checked};
use topo::render::network;

fn load(name: &str) -> Checked {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("examples/{name}.topo"));
    check_files(&[path])
}

/// Every box group: (data-element, y of its rect, the group's attributes).
fn boxes(svg: &str) -> Vec<(String, f64, String)> {
    let doc = roxmltree::Document::parse(svg).expect("the SVG parses");
    doc.descendants()
        .filter(|n| n.attribute("class") == Some("box"))
        .map(|g| {
            let rect = g
                .children()
                .find(|c| c.tag_name().name() == "rect")
                .expect("a box has a rect");
            let attrs = g
                .attributes()
                .map(|a| format!("{}={}", a.name(), a.value()))
                .collect::<Vec<_>>()
                .join(" ");
            (
                g.attribute("data-element").unwrap().to_string(),
                rect.attribute("y").unwrap().parse().unwrap(),
                attrs,
            )
        })
        .collect()
}

fn y_of(b: &[(String, f64, String)], name: &str) -> f64 {
    b.iter()
        .find(|(n, _, _)| n == name)
        .unwrap_or_else(|| panic!("no box {name}"))
        .1
}

/// The labels of the links between two boxes.
fn link_labels(svg: &str, from: &str, to: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).unwrap();
    doc.descendants()
        .filter(|n| n.attribute("data-from") == Some(from) && n.attribute("data-to") == Some(to))
        .map(|n| n.attribute("data-label").unwrap().to_string())
        .collect()
}

#[test]
fn leaf_spine_draws_tiers_speeds_and_marks() {
    let c = load("leaf-spine");
    let svg = network::svg(&c.project, &c.diagnostics);
    let b = boxes(&svg);
    for name in [
        "spine1", "leaf1", "leaf4", "wan-fra", "web1", "bk1", "ber-sw1",
    ] {
        assert!(b.iter().any(|(n, _, _)| n == name), "{name} drawn");
    }
    // Servers below leaves below spines (y grows downward).
    assert!(y_of(&b, "web1") > y_of(&b, "leaf1"));
    assert!(y_of(&b, "leaf1") > y_of(&b, "spine1"));
    assert_eq!(y_of(&b, "leaf4"), y_of(&b, "leaf1"));
    // The WAN router hangs below the spines, beside the leaves.
    assert_eq!(y_of(&b, "wan-fra"), y_of(&b, "leaf1"));
    // LAGs count their cables; single cables say 1 ×.
    assert_eq!(link_labels(&svg, "leaf1", "spine1"), ["2 × 100GbE"]);
    assert_eq!(link_labels(&svg, "leaf4", "spine2"), ["1 × 25GbE"]);
    assert_eq!(link_labels(&svg, "log1", "leaf1"), ["1 × 100GbE"]);
    // leaf4 is over-subscribed and a single point of failure of the backup.
    let leaf4 = &b.iter().find(|(n, _, _)| n == "leaf4").unwrap().2;
    assert!(leaf4.contains("data-severity=warning"), "{leaf4}");
    assert!(
        leaf4.contains("oversubscription") && leaf4.contains("spof"),
        "{leaf4}"
    );
    // Two sites: two blocks.
    assert!(svg.contains("class=\"site\" data-element=\"fra1\""));
    assert!(svg.contains("class=\"site\" data-element=\"ber1\""));
    let plain = &b.iter().find(|(n, _, _)| n == "web1").unwrap().2;
    assert!(!plain.contains("data-severity"), "{plain}");
}

#[test]
fn datacenter_groups_racks_of_servers() {
    let c = load("datacenter");
    let svg = network::svg(&c.project, &c.diagnostics);
    let b = boxes(&svg);
    // r01 (8 servers) and r02 (6) are grouped; r03 holds 3 servers: drawn
    // one by one, as are its storage arrays.
    assert!(svg.contains(">8 servers<") && svg.contains(">6 servers<"));
    for name in [
        "r01", "r02", "db1", "backup1", "san1", "tor1", "core2", "fw1",
    ] {
        assert!(b.iter().any(|(n, _, _)| n == name), "{name} drawn");
    }
    assert!(!b.iter().any(|(n, _, _)| n == "web01"));
    assert!(y_of(&b, "r01") > y_of(&b, "tor1"));
}

const FABRIC: &str = "\
site dc1
switch spine[1..2] { site dc1 }
switch leaf[1..2] { site dc1 }
switch fcsw1 { site dc1 }
router edge1 { site dc1 }
rack r1 { site dc1 }
server s[1..6] { rack r1 at U1 }
server db1 { site dc1 }
storage san1 { site dc1 }
link s[1..6] db1 to leaf1 leaf2 { speed 25GbE }
link leaf1 leaf2 to spine1 spine2 { speed 100GbE; count 2 }
link spine1 spine2 to edge1 { speed 100GbE }
link db1 to fcsw1 { speed 32GFC }
link fcsw1 to san1 { speed 32GFC }
";

#[test]
fn parallel_links_merge_and_fibre_channel_is_distinct() {
    let c = check_sources(&[("f.topo", FABRIC)]);
    let svg = network::svg(&c.project, &c.diagnostics);
    let b = boxes(&svg);
    // Six servers in r1: one box, its twelve cables in one edge per leaf.
    assert_eq!(link_labels(&svg, "r1", "leaf1"), ["6 × 25GbE"]);
    assert_eq!(link_labels(&svg, "leaf2", "spine1"), ["2 × 100GbE"]);
    // Tiers: servers, leaves, spines, the router on top; the array stays
    // at the bottom though the FC switch is cabled below it.
    let (r1, leaf, spine, edge) = (
        y_of(&b, "r1"),
        y_of(&b, "leaf1"),
        y_of(&b, "spine1"),
        y_of(&b, "edge1"),
    );
    assert!(
        r1 > leaf && leaf > spine && spine > edge,
        "{r1} {leaf} {spine} {edge}"
    );
    assert_eq!(y_of(&b, "san1"), r1);
    assert_eq!(y_of(&b, "fcsw1"), leaf);
    // Fibre Channel: its own class, dashed, and in the legend.
    assert_eq!(link_labels(&svg, "db1", "fcsw1"), ["1 × 32GFC"]);
    assert!(svg.contains("class=\"link link-fc\" data-from=\"db1\""));
    assert!(svg.contains("stroke-dasharray:7 4"));
    assert!(svg.contains(">Fibre Channel<"));
    let dot = network::dot(&c.project, &c.diagnostics);
    assert!(dot.contains("label=\"6 × 25GbE\""), "{dot}");
    assert!(dot.contains("style=dashed"));
    assert!(dot.contains("rank=same"));
}

#[test]
fn cycles_are_broken_deterministically() {
    let text = "switch a\nswitch b\nswitch c\nlink a to b\nlink b to c\nlink c to a\n";
    let c = check_sources(&[("c.topo", text)]);
    let svg = network::svg(&c.project, &c.diagnostics);
    assert_eq!(svg, network::svg(&c.project, &c.diagnostics));
    let b = boxes(&svg);
    // The walk starts at a (first in source order) and goes down c -> b;
    // `link a to b` closes the cycle and is the one dropped: b at the
    // bottom, then c, then a.
    assert!(y_of(&b, "b") > y_of(&b, "c") && y_of(&b, "c") > y_of(&b, "a"));
}

#[test]
fn no_network_says_so() {
    let c = load("client-server");
    let svg = network::svg(&c.project, &c.diagnostics);
    assert!(svg.contains(network::EMPTY_NOTE));
    roxmltree::Document::parse(&svg).unwrap();
    let dot = network::dot(&c.project, &c.diagnostics);
    assert!(dot.contains("shape=note"));
    // A network device without a link still draws.
    let c = check_sources(&[("s.topo", "switch sw1\n")]);
    let svg = network::svg(&c.project, &c.diagnostics);
    assert!(!svg.contains(network::EMPTY_NOTE));
    assert!(svg.contains("data-element=\"sw1\""));
}

#[test]
fn a_large_data_centre_collapses_into_runs_of_racks() {
    let text = topo::generate::data_centre(130);
    let c = check_sources(&[("dc.topo", &text)]);
    let svg = network::svg(&c.project, &c.diagnostics);
    assert_eq!(svg, network::svg(&c.project, &c.diagnostics));
    let b = boxes(&svg);
    // 130 racks: 5 racks per run (at most 30 runs), 26 runs per tier.
    assert!(svg.contains(">r0001–r0005<"), "first run");
    assert!(svg.contains(">5 racks, 190 servers<"));
    assert!(svg.contains(">5 racks, 10 switches<"));
    assert_eq!(b.len(), 26 + 26 + 4);
    // A run of servers to its run of ToRs: 5 × 38 × 2 cables.
    let runs: Vec<&(String, f64, String)> = b.iter().filter(|(n, _, _)| n == "r0001").collect();
    assert_eq!(runs.len(), 2);
    assert!(runs[0]
        .2
        .contains("data-members=r0001 r0002 r0003 r0004 r0005"));
    assert!(svg.contains("data-label=\"380 × 25GbE\""));
    assert!(svg.contains("data-label=\"10 × 100GbE\""));
}
