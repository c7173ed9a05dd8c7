//! Diagrams: every view of every example renders to SVG that parses as XML,
//! rasterizes to a picture with something on it, and comes out the same
//! twice; small examples are snapshotted as SVG and DOT.

use std::path::PathBuf;
use topo::check::{check_files, Checked};
use topo::model::{DeviceId, RackId};
use topo::render::{bus, network, rack, system};

const EXAMPLES: &[&str] = &[
    "client-server",
    "datacenter",
    "edge-cdn",
    "ha-dr",
    "leaf-spine",
    "mainframe",
    "server-internals",
    "sharding",
    "vms",
    "webshop",
];

fn load(name: &str) -> Checked {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("examples/{name}.topo"));
    check_files(&[path])
}

type View = fn(&Checked) -> (String, String);

fn views() -> Vec<(&'static str, View)> {
    vec![
        ("system", |c| {
            (
                system::svg(&c.project, &c.diagnostics),
                system::dot(&c.project, &c.diagnostics),
            )
        }),
        ("rack", |c| {
            (
                rack::svg(&c.project, &c.diagnostics, None),
                rack::dot(&c.project, &c.diagnostics, None),
            )
        }),
        ("bus", |c| {
            (
                bus::svg(&c.project, &c.diagnostics, None),
                bus::dot(&c.project, &c.diagnostics, None),
            )
        }),
        ("network", |c| {
            (
                network::svg(&c.project, &c.diagnostics),
                network::dot(&c.project, &c.diagnostics),
            )
        }),
    ]
}

/// Rasterizes an SVG and counts the pixels that are not white.
fn ink(svg: &str) -> usize {
    let mut options = resvg::usvg::Options::default();
    options.fontdb_mut().load_system_fonts();
    let tree = resvg::usvg::Tree::from_str(svg, &options).expect("usvg parses the SVG");
    let size = tree.size().to_int_size();
    let scale = (1600.0 / size.width().max(size.height()) as f32).min(1.0);
    let (w, h) = (
        (size.width() as f32 * scale).ceil() as u32,
        (size.height() as f32 * scale).ceil() as u32,
    );
    let mut pixmap = resvg::tiny_skia::Pixmap::new(w.max(1), h.max(1)).expect("a pixmap");
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .pixels()
        .iter()
        .filter(|p| p.red() < 230 || p.green() < 230 || p.blue() < 230)
        .count()
}

#[test]
fn every_view_of_every_example_is_valid_deterministic_and_not_blank() {
    for example in EXAMPLES {
        let first = load(example);
        let second = load(example);
        for (view, draw) in views() {
            let (svg, dot) = draw(&first);
            let (svg_again, dot_again) = draw(&second);
            assert_eq!(svg, svg_again, "{example} {view} SVG differs between runs");
            assert_eq!(dot, dot_again, "{example} {view} DOT differs between runs");
            let doc = roxmltree::Document::parse(&svg)
                .unwrap_or_else(|e| panic!("{example} {view}: {e}"));
            assert_eq!(doc.root_element().tag_name().name(), "svg");
            assert!(
                !svg.contains("<script") && !svg.contains("href=\"http"),
                "{example} {view} is not self-contained"
            );
            let empty = match view {
                "rack" => first.project.racks.is_empty(),
                "bus" => first
                    .project
                    .devices
                    .iter()
                    .all(|d| d.internals.parts.is_empty()),
                _ => false,
            };
            if empty {
                // Nothing to draw: the picture says so instead.
                assert!(
                    svg.contains("no racks") || svg.contains("no device declares parts"),
                    "{example} {view}"
                );
            } else {
                assert!(
                    ink(&svg) > 2_000,
                    "{example} {view} rasterizes to a blank picture"
                );
            }
            assert!(
                dot.starts_with("digraph ") && dot.trim_end().ends_with('}'),
                "{example} {view}"
            );
            assert!(!dot.contains("splines=ortho"));
        }
    }
}

#[test]
fn system_view_shows_services_hosts_flows_and_risk() {
    let c = load("webshop");
    let svg = system::svg(&c.project, &c.diagnostics);
    for text in [
        "shop-web",
        "×4 on web1..web4",
        "checkout · dynamic · 800 rps",
        "site iad1 (primary)",
        "client browser",
        "cdn assets-cdn",
    ] {
        assert!(svg.contains(text), "missing {text}");
    }
    // The healthy shop checks clean: nothing is marked. ha-dr reports one
    // finding, an info about site tokyo (its DR site takes over): only
    // tokyo is marked, and not as an error (tests/render_marks.rs).
    assert!(!svg.contains("data-severity"), "nothing is marked");
    let dr = load("ha-dr");
    let svg = system::svg(&dr.project, &dr.diagnostics);
    assert_eq!(svg.matches("data-severity=").count(), 1);
    assert!(svg
        .contains("<g data-element=\"tokyo\" data-severity=\"info\" data-rules=\"dr-failover\">"));
    assert!(svg.contains("async · rpo 5 min"), "replication is labelled");
}

#[test]
fn rack_view_marks_overlaps_overflows_and_shows_the_budget() {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rack-overflow/fires.topo");
    let c = check_files(&[path]);
    let svg = rack::svg(&c.project, &c.diagnostics, None);
    assert!(svg.contains("db1 · 2U"));
    // db1, sw0 and n6 each overflow: marked as errors on both faces.
    for device in ["db1", "sw0", "n6"] {
        let group = format!(
            "<g data-element=\"{device}\" data-severity=\"error\" data-rules=\"rack-overflow\">"
        );
        assert_eq!(svg.matches(&group).count(), 2, "{device}");
    }
    let dc = load("datacenter");
    let one = rack::svg(&dc.project, &dc.diagnostics, Some(RackId(0)));
    assert!(
        one.contains("rack r01") && !one.contains("rack r02"),
        "--rack picks one rack"
    );
    assert!(
        one.contains("power 4.63 kVA of 6.24 kVA (74 %)"),
        "{}",
        one.lines()
            .filter(|l| l.contains("power"))
            .collect::<String>()
    );
}

#[test]
fn bus_view_labels_capacity_and_demand_and_marks_bottlenecks() {
    let c = load("server-internals");
    let device = c
        .project
        .devices
        .iter()
        .position(|d| d.name == "bottleneck-box")
        .map(|i| DeviceId(i as u32));
    let svg = bus::svg(&c.project, &c.diagnostics, device);
    assert!(
        svg.contains("pcie3 x8 7.88 GB/s / 25.0 GB/s"),
        "the NIC's slot"
    );
    assert!(
        svg.contains("dmi3 3.94 GB/s / 14.0 GB/s"),
        "the chipset's uplink"
    );
    assert!(svg.contains("upi 10.4 GT/s 20.8 GB/s"), "the socket link");
    // Six "32GB" DIMMs: JEDEC sizes, 192 GiB.
    assert!(
        svg.contains("ddr4-2933 · 6 ch · 192 GiB"),
        "memory channels"
    );
    let dot = bus::dot(&c.project, &c.diagnostics, device);
    // In DOT too, a bottleneck (a warning) takes the warning colour, on
    // the part and on its bus.
    assert!(
        dot.contains(
            "\"0:nic0\" [label=\"nic0\\nnic · 2 × 100GbE\", color=\"#e69f00\", penwidth=2.2"
        ),
        "{dot}"
    );
    assert!(
        dot.contains("\"0:cpu0\" -> \"0:nic0\" [label=\"pcie3\\nx8 7.88 GB/s / 25.0 GB/s\", color=\"#e69f00\""),
        "{dot}"
    );
}

#[test]
fn snapshots_of_small_examples() {
    let shop = load("webshop");
    insta::assert_snapshot!(
        "webshop-system.svg",
        system::svg(&shop.project, &shop.diagnostics)
    );
    insta::assert_snapshot!(
        "webshop-system.dot",
        system::dot(&shop.project, &shop.diagnostics)
    );
    insta::assert_snapshot!(
        "webshop-rack.dot",
        rack::dot(&shop.project, &shop.diagnostics, None)
    );
    let dc = load("datacenter");
    insta::assert_snapshot!(
        "datacenter-rack.svg",
        rack::svg(&dc.project, &dc.diagnostics, Some(RackId(0)))
    );
    let inside = load("server-internals");
    insta::assert_snapshot!(
        "server-internals-bus.svg",
        bus::svg(&inside.project, &inside.diagnostics, None)
    );
    insta::assert_snapshot!(
        "server-internals-bus.dot",
        bus::dot(&inside.project, &inside.diagnostics, None)
    );
}

/// The pictures in docs/ (shown in the README) are what the code draws now.
/// `TOPO_UPDATE_DOCS=1 cargo test --test render` redraws them.
#[test]
fn docs_pictures_are_current() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    for (example, view) in [
        ("webshop", "system"),
        ("sharding", "system"),
        ("ha-dr", "system"),
        ("edge-cdn", "system"),
        ("datacenter", "rack"),
        ("server-internals", "bus"),
        ("leaf-spine", "network"),
    ] {
        let c = load(example);
        let svg = match view {
            "system" => system::svg(&c.project, &c.diagnostics),
            "rack" => rack::svg(&c.project, &c.diagnostics, None),
            "network" => topo::render::network::svg(&c.project, &c.diagnostics),
            _ => bus::svg(&c.project, &c.diagnostics, None),
        };
        let path = root.join(format!("docs/{example}-{view}.svg"));
        if std::env::var_os("TOPO_UPDATE_DOCS").is_some() {
            std::fs::write(&path, &svg).unwrap();
        }
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            current == svg,
            "{} is stale: run `TOPO_UPDATE_DOCS=1 cargo test --test render`",
            path.display()
        );
    }
}
