//! Layout quality of every SVG view of every example: no text overlaps
//! another text, no text crosses the border of a box (a text wholly inside
//! a box belongs to it), and no edge runs through a text that is not an
//! edge's own label (site, partition and box titles stay readable).
//!
//! Text extents are estimated the way the renderers size their boxes
//! (`topo::render::text_width`), from the font size and anchor each
//! `<text>` carries; boxes are the `<rect>`s, except the page background
//! and the white backgrounds of edge labels (which belong to their text).

use std::path::PathBuf;
use topo::check::{check_files, Checked};
use topo::render::{bus, network, rack, system, text_width};

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

#[derive(Clone, Copy, Debug, PartialEq)]
struct Box2 {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

impl Box2 {
    /// Overlap by more than a hair (0.5 px), so touching is allowed.
    fn intersects(&self, o: &Box2) -> bool {
        const E: f64 = 0.5;
        self.x0 + E < o.x1 && o.x0 + E < self.x1 && self.y0 + E < o.y1 && o.y0 + E < self.y1
    }

    fn inside(&self, o: &Box2) -> bool {
        const E: f64 = 0.5;
        self.x0 >= o.x0 - E && self.x1 <= o.x1 + E && self.y0 >= o.y0 - E && self.y1 <= o.y1 + E
    }

    fn contains_point(&self, x: f64, y: f64) -> bool {
        x > self.x0 && x < self.x1 && y > self.y0 && y < self.y1
    }
}

#[derive(Debug)]
struct Text {
    content: String,
    at: Box2,
    /// An edge label: on a white label background.
    label: bool,
}

struct Drawing {
    texts: Vec<Text>,
    boxes: Vec<Box2>,
    /// Edges as polylines (curves sampled).
    edges: Vec<Vec<(f64, f64)>>,
}

fn num(node: roxmltree::Node, name: &str) -> f64 {
    node.attribute(name)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0)
}

fn style<'a>(node: &roxmltree::Node<'a, 'a>, key: &str) -> Option<&'a str> {
    node.attribute("style")?.split(';').find_map(|kv| {
        let (k, v) = kv.split_once(':')?;
        (k.trim() == key).then(|| v.trim())
    })
}

fn text_box(node: roxmltree::Node) -> Option<Text> {
    let content: String = node
        .descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect();
    if content.trim().is_empty() {
        return None;
    }
    let size: f64 = style(&node, "font-size")
        .and_then(|v| v.trim_end_matches("px").parse().ok())
        .unwrap_or(12.0);
    let (x, y) = (num(node, "x"), num(node, "y"));
    let bold = style(&node, "font-weight") == Some("bold");
    let w = text_width(&content, size) * if bold { 1.08 } else { 1.0 };
    let x0 = match style(&node, "text-anchor").unwrap_or("start") {
        "middle" => x - w / 2.0,
        "end" => x - w,
        _ => x,
    };
    // Ascent of capitals and descent of descenders of a sans-serif font.
    Some(Text {
        content,
        at: Box2 {
            x0,
            y0: y - 0.75 * size,
            x1: x0 + w,
            y1: y + 0.2 * size,
        },
        label: false,
    })
}

/// Points along an edge: its line, or its path of M/C/L commands with the
/// cubic curves sampled.
fn polyline(node: roxmltree::Node) -> Vec<(f64, f64)> {
    if node.has_tag_name("line") {
        return vec![
            (num(node, "x1"), num(node, "y1")),
            (num(node, "x2"), num(node, "y2")),
        ];
    }
    let d = node.attribute("d").unwrap_or("");
    let mut out = Vec::new();
    let mut cmd = 'M';
    let mut nums: Vec<f64> = Vec::new();
    let flush = |cmd: char, nums: &mut Vec<f64>, out: &mut Vec<(f64, f64)>| {
        match cmd {
            'M' | 'L' => {
                for p in nums.chunks(2).filter(|p| p.len() == 2) {
                    out.push((p[0], p[1]));
                }
            }
            'C' => {
                for c in nums.chunks(6).filter(|c| c.len() == 6) {
                    let (x0, y0) = *out.last().unwrap_or(&(c[0], c[1]));
                    for i in 1..=24 {
                        let t = i as f64 / 24.0;
                        let u = 1.0 - t;
                        let b = |a: f64, b: f64, c: f64, d: f64| {
                            u * u * u * a
                                + 3.0 * u * u * t * b
                                + 3.0 * u * t * t * c
                                + t * t * t * d
                        };
                        out.push((b(x0, c[0], c[2], c[4]), b(y0, c[1], c[3], c[5])));
                    }
                }
            }
            _ => {}
        }
        nums.clear();
    };
    let mut token = String::new();
    for ch in d.chars().chain(std::iter::once(' ')) {
        if ch.is_ascii_alphabetic() || ch == ' ' || ch == ',' || (ch == '-' && !token.is_empty()) {
            if let Ok(v) = token.parse() {
                nums.push(v);
            }
            token.clear();
            if ch.is_ascii_alphabetic() {
                flush(cmd, &mut nums, &mut out);
                cmd = ch.to_ascii_uppercase();
            } else if ch == '-' {
                token.push(ch);
            }
        } else {
            token.push(ch);
        }
    }
    flush(cmd, &mut nums, &mut out);
    out
}

fn drawing(svg: &str) -> Drawing {
    let doc = roxmltree::Document::parse(svg).expect("the SVG parses");
    let root = doc.root_element();
    let (width, height) = (num(root, "width"), num(root, "height"));
    let mut texts = Vec::new();
    let mut boxes = Vec::new();
    let mut label_backgrounds = Vec::new();
    let mut edges = Vec::new();
    for node in root.descendants() {
        if node.ancestors().any(|a| a.has_tag_name("defs")) {
            continue;
        }
        match node.tag_name().name() {
            "text" => texts.extend(text_box(node)),
            "rect" => {
                let (x, y) = (num(node, "x"), num(node, "y"));
                let b = Box2 {
                    x0: x,
                    y0: y,
                    x1: x + num(node, "width"),
                    y1: y + num(node, "height"),
                };
                if x == 0.0 && y == 0.0 && b.x1 >= width && b.y1 >= height {
                    continue; // the page
                }
                if style(&node, "fill") == Some("#ffffff") && style(&node, "stroke") == Some("none")
                {
                    label_backgrounds.push(b);
                    continue;
                }
                boxes.push(b);
            }
            "path" | "line" if style(&node, "marker-end").is_some() => {
                edges.push(polyline(node));
            }
            _ => {}
        }
    }
    for t in &mut texts {
        t.label = label_backgrounds.iter().any(|b| t.at.inside(b));
    }
    Drawing {
        texts,
        boxes,
        edges,
    }
}

/// Every overlap in one drawing, as sentences.
fn overlaps(svg: &str) -> Vec<String> {
    let d = drawing(svg);
    let mut found = Vec::new();
    for (i, a) in d.texts.iter().enumerate() {
        for b in &d.texts[i + 1..] {
            if a.at.intersects(&b.at) {
                found.push(format!(
                    "text {:?} overlaps text {:?}",
                    a.content, b.content
                ));
            }
        }
        for r in &d.boxes {
            if a.at.intersects(r) && !a.at.inside(r) {
                found.push(format!(
                    "text {:?} crosses the border of the box at ({:.0}, {:.0}) {:.0}×{:.0}",
                    a.content,
                    r.x0,
                    r.y0,
                    r.x1 - r.x0,
                    r.y1 - r.y0
                ));
            }
        }
        if !a.label {
            let hit = d
                .edges
                .iter()
                .any(|e| e.iter().any(|&(x, y)| a.at.contains_point(x, y)));
            if hit {
                found.push(format!("an edge runs through text {:?}", a.content));
            }
        }
    }
    found
}

type View = fn(&Checked) -> String;

fn views() -> Vec<(&'static str, View)> {
    vec![
        ("system", |c| system::svg(&c.project, &c.diagnostics)),
        ("rack", |c| rack::svg(&c.project, &c.diagnostics, None)),
        ("bus", |c| bus::svg(&c.project, &c.diagnostics, None)),
        ("network", |c| network::svg(&c.project, &c.diagnostics)),
    ]
}

fn report(wanted: &[&str]) -> Vec<String> {
    let mut all = Vec::new();
    for example in EXAMPLES {
        let checked = load(example);
        for (view, draw) in views() {
            if !wanted.contains(&view) {
                continue;
            }
            for o in overlaps(&draw(&checked)) {
                all.push(format!("{example} {view}: {o}"));
            }
        }
    }
    all
}

#[test]
fn no_label_overlaps_in_the_system_view() {
    let found = report(&["system"]);
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn no_label_overlaps_in_the_rack_view() {
    let found = report(&["rack"]);
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn no_label_overlaps_in_the_network_view() {
    let found = report(&["network"]);
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn no_label_overlaps_in_the_bus_view() {
    let found = report(&["bus"]);
    assert!(found.is_empty(), "{}", found.join("\n"));
}

// The checker itself: each kind of overlap is found, and a clean drawing
// passes.

const PAGE: &str = r#"<svg xmlns="http://www.w3.org/2000/svg" width="400" height="200"><rect x="0" y="0" width="400" height="200" style="fill:#ffffff"/>"#;

#[test]
fn the_checker_finds_overlapping_texts() {
    let svg = format!(
        r#"{PAGE}<text x="10" y="20" style="font-size:12px;text-anchor:start">a long label</text><text x="40" y="24" style="font-size:12px;text-anchor:start">another</text></svg>"#
    );
    assert_eq!(
        overlaps(&svg),
        vec![r#"text "a long label" overlaps text "another""#.to_string()]
    );
}

#[test]
fn the_checker_finds_a_text_across_a_box_border_and_an_edge_through_a_title() {
    let svg = format!(
        r#"{PAGE}<rect x="50" y="50" width="100" height="60" style="fill:none"/><text x="60" y="70" style="font-size:12px;text-anchor:start">site with a long name</text><path d="M0 66 C40 66 80 66 120 66" style="fill:none;marker-end:url(#a)"/></svg>"#
    );
    assert_eq!(
        overlaps(&svg),
        vec![
            r#"text "site with a long name" crosses the border of the box at (50, 50) 100×60"#
                .to_string(),
            r#"an edge runs through text "site with a long name""#.to_string(),
        ]
    );
}

#[test]
fn the_checker_passes_a_clean_drawing_and_edges_under_their_labels() {
    let svg = format!(
        r#"{PAGE}<rect x="50" y="50" width="200" height="60" style="fill:none"/><text x="60" y="70" style="font-size:12px;text-anchor:start">site a</text><path d="M0 150 L300 150" style="marker-end:url(#a)"/><rect x="100" y="140" width="60" height="20" style="fill:#ffffff;fill-opacity:0.92;stroke:none"/><text x="130" y="154" style="font-size:10px;text-anchor:middle">flow</text></svg>"#
    );
    assert_eq!(overlaps(&svg), Vec::<String>::new());
}

// Situations the examples do not all show.

fn inline(text: &str) -> Checked {
    topo::check::check_sources(&[("inline.topo", text)])
}

#[test]
fn a_long_rack_name_is_cut_before_the_units_figure() {
    let c = inline(
        "site s { role primary }\n\
         rack a-very-long-rack-name-in-row-twelve-of-hall-b { site s; height 42U }\n\
         rack r2 { site s; height 42U }\n",
    );
    let svg = rack::svg(&c.project, &c.diagnostics, None);
    assert_eq!(overlaps(&svg), Vec::<String>::new());
    // Cut, with the whole name in a tooltip; the short name is whole.
    assert!(svg.contains("<title>rack a-very-long-rack-name-in-row-twelve-of-hall-b</title>"));
    assert!(svg.contains(">rack a-very-long-rack-name-in-r"));
    assert!(!svg
        .lines()
        .any(|l| l.starts_with("<text") && l.contains("hall-b")));
    assert!(svg.contains(">rack r2<"));
}

const SHARED: &str = "site s { role primary }\n\
    model node { size 1U; draw 450W; weight 18kg; psu 2 }\n\
    tier web { role presentation }\n\
    tier db { role data }\n\
    server w[1..4] : node { site s }\n\
    server d[1..2] : node { site s }\n\
    service web-east on w[1..2] { tier web; calls orders }\n\
    service web-west on w[3..4] { tier web; calls orders }\n\
    service orders on d[1..2] { tier db }\n\
    client shopper { browser }\n\
    flow buy { shopper -> web-east -> orders; content dynamic; rate 10rps }\n\
    partition east { services web-east orders }\n\
    partition west { services web-west orders }\n";

/// The x extent of the box whose title is `title`, and of each partition.
fn extents(svg: &str) -> (Box2, Vec<Box2>) {
    let d = drawing(svg);
    let title = d
        .texts
        .iter()
        .find(|t| t.content == "orders")
        .expect("the orders box");
    let boxes: Vec<Box2> = d
        .boxes
        .iter()
        .filter(|b| title.at.inside(b))
        .copied()
        .collect();
    // The smallest box around the title is the service's own.
    let own = *boxes
        .iter()
        .min_by(|a, b| ((a.x1 - a.x0) * (a.y1 - a.y0)).total_cmp(&((b.x1 - b.x0) * (b.y1 - b.y0))))
        .expect("a box");
    let partitions = svg
        .lines()
        .filter(|l| l.contains("stroke-dasharray:4 3") && l.starts_with("<rect"))
        .map(|l| {
            let doc = roxmltree::Document::parse(l).expect("a rect");
            let r = doc.root_element();
            let (x, y) = (num(r, "x"), num(r, "y"));
            Box2 {
                x0: x,
                y0: y,
                x1: x + num(r, "width"),
                y1: y + num(r, "height"),
            }
        })
        .collect();
    (own, partitions)
}

#[test]
fn a_service_partitions_share_is_drawn_outside_every_partition() {
    let c = inline(SHARED);
    assert!(
        c.diagnostics
            .iter()
            .all(|d| d.severity != topo::diagnostic::Severity::Error),
        "{:?}",
        c.diagnostics
    );
    let svg = system::svg(&c.project, &c.diagnostics);
    let (orders, partitions) = extents(&svg);
    assert_eq!(partitions.len(), 2, "{svg}");
    for p in &partitions {
        assert!(
            !orders.intersects(p),
            "orders {orders:?} inside partition {p:?}"
        );
    }
    assert_eq!(overlaps(&svg), Vec::<String>::new());
    // A service in one partition only stays inside it.
    let single = inline(&SHARED.replace(
        "partition west { services web-west orders }",
        "partition west { services web-west }",
    ));
    let svg = system::svg(&single.project, &single.diagnostics);
    let (orders, partitions) = extents(&svg);
    assert!(partitions.iter().any(|p| orders.inside(p)), "{svg}");
}

// DOT: source order, empty views, racks as elevations.

const RACKS: &str = "site s { role primary }\n\
    model box1 { size 1U; draw 100W; weight 10kg; psu 2 }\n\
    model box2 { size 2U; draw 100W; weight 10kg; psu 2 }\n\
    rack zeta { site s; height 6U }\n\
    rack alpha { site s; height 6U }\n\
    server z1 : box2 { rack zeta at U2 }\n\
    server z2 : box1 { rack zeta at U3 }\n\
    server a1 : box1 { rack alpha at U6 }\n";

#[test]
fn dot_racks_are_elevations_in_declaration_order() {
    let c = inline(RACKS);
    let dot = rack::dot(&c.project, &c.diagnostics, None);
    // zeta before alpha, as declared, chained left to right on one rank.
    let zeta = dot.find("\"rack:zeta\" [label=<").expect("zeta");
    let alpha = dot.find("\"rack:alpha\" [label=<").expect("alpha");
    assert!(zeta < alpha, "{dot}");
    assert!(
        dot.contains("{ rank=same; \"rack:zeta\"; \"rack:alpha\"; }"),
        "{dot}"
    );
    assert!(
        dot.contains("\"rack:zeta\" -> \"rack:alpha\" [style=invis];"),
        "{dot}"
    );
    // One row per unit, top first; a 2U device spans two rows and both
    // faces; z2 overlaps z1 at U3 and is listed under the table.
    let zeta_line = dot.lines().find(|l| l.contains("\"rack:zeta\" [")).unwrap();
    let units: Vec<usize> = (1..=6)
        .rev()
        .map(|u| {
            zeta_line
                .find(&format!("<FONT POINT-SIZE=\"7\">{u}</FONT>"))
                .expect("a row per unit")
        })
        .collect();
    assert!(units.windows(2).all(|w| w[0] < w[1]), "{zeta_line}");
    assert!(
        zeta_line.contains(r##"<TD ROWSPAN="2" COLSPAN="2" BGCOLOR="#e4ebf2""##),
        "{zeta_line}"
    );
    assert!(zeta_line.contains(">z1 · box2 · 2U</TD>"), "{zeta_line}");
    assert!(
        zeta_line.contains(">z2 · U3 · on units taken by another device</FONT>"),
        "{zeta_line}"
    );
    let alpha_line = dot
        .lines()
        .find(|l| l.contains("\"rack:alpha\" ["))
        .unwrap();
    assert!(alpha_line.contains(">a1 · box1 · 1U</TD>"), "{alpha_line}");
    assert!(!alpha_line.contains("taken by another"), "{alpha_line}");
}

#[test]
fn empty_views_in_dot_say_so() {
    let c = inline("site s { role primary }\n");
    for (dot, text) in [
        (
            system::dot(&c.project, &c.diagnostics),
            "no services, clients or CDNs: nothing to draw",
        ),
        (
            rack::dot(&c.project, &c.diagnostics, None),
            "no racks: nothing to draw",
        ),
        (
            bus::dot(&c.project, &c.diagnostics, None),
            "no device with parts: nothing to draw",
        ),
    ] {
        assert!(dot.contains("empty [shape=note"), "{dot}");
        assert!(dot.contains(text), "{dot}");
    }
    // A view with something to draw has no such note (its findings'
    // legend is a note too).
    let c = inline(RACKS);
    assert!(!rack::dot(&c.project, &c.diagnostics, None).contains("empty [shape=note"));
}

#[test]
fn dot_cpus_and_the_parts_on_one_bus_keep_declaration_order() {
    let c = load("server-internals");
    let dot = bus::dot(&c.project, &c.diagnostics, None);
    assert!(
        dot.contains("{ rank=same; \"0:cpu0\"; \"0:cpu1\"; }"),
        "{dot}"
    );
    assert!(
        dot.contains("\"0:cpu0\" -> \"0:cpu1\" [style=invis, dir=none];"),
        "{dot}"
    );
    assert!(
        dot.contains("\"0:boot0–1 × 2\" -> \"0:bmc0\" -> \"0:tpm0\" [style=invis"),
        "{dot}"
    );
}

// The bus view wraps and groups so every server fits a 1,600 px page.

fn svg_width(svg: &str) -> f64 {
    let doc = roxmltree::Document::parse(svg).expect("the SVG parses");
    num(doc.root_element(), "width")
}

/// A two-socket server with 24 different cards and 12 different SATA
/// disks behind the chipset: nothing to group, so only wrapping helps.
fn wide_server() -> String {
    let mut text = String::from(
        "site lab { role primary }\nserver wide {\n  site lab\n  \
         cpu cpu0 { cores 16; memory ddr4-3200 { channels 8; dimms 1 1 1 1 1 1 1 1; dimm-size 32GB } }\n  \
         cpu cpu1 { cores 16; memory ddr4-3200 { channels 8; dimms 1 1 1 1 1 1 1 1; dimm-size 32GB }; bus upi 10.4GT/s to cpu0 }\n  \
         chipset pch { bus dmi3 to cpu0 }\n",
    );
    for i in 0..24 {
        text.push_str(&format!(
            "  card accelerator-card-{i} {{ throughput {}MB/s; bus pcie4 x4 to cpu{} }}\n",
            100 + i,
            i % 2
        ));
    }
    for i in 0..12 {
        text.push_str(&format!(
            "  disk sata{i} {{ ssd; throughput {}MB/s; bus sata3 to pch }}\n",
            500 + i
        ));
    }
    text.push_str("}\n");
    text
}

#[test]
fn every_bus_view_fits_1600_px() {
    for example in EXAMPLES {
        let c = load(example);
        let width = svg_width(&bus::svg(&c.project, &c.diagnostics, None));
        assert!(
            width <= 1600.0,
            "{example}: the bus view is {width} px wide"
        );
    }
    let c = inline(&wide_server());
    let svg = bus::svg(&c.project, &c.diagnostics, None);
    let width = svg_width(&svg);
    assert!(
        width <= 1600.0,
        "the wide server's bus view is {width} px wide"
    );
    // Both sockets stay side by side, linked by a straight line, and
    // nothing overlaps after wrapping.
    assert!(svg.contains(">upi 10.4 GT/s 20.8 GB/s<"), "{svg}");
    assert_eq!(overlaps(&svg), Vec::<String>::new());
}

#[test]
fn identical_parts_on_one_bus_share_a_box_with_figures_each() {
    let c = load("server-internals");
    let svg = bus::svg(&c.project, &c.diagnostics, None);
    for text in [
        ">nvme0–3 × 4<",
        ">NVMe · 3.50 GB/s each<",
        ">pcie3 x4 3.94 GB/s / 3.50 GB/s each<",
        ">sas0–7 × 8<",
        ">HDD · 250 MB/s each<",
        ">boot0–1 × 2<",
    ] {
        assert!(svg.contains(text), "missing {text}");
    }
    assert!(svg.contains(
        r#"data-element="bottleneck-box.nvme0" data-members="bottleneck-box.nvme0 bottleneck-box.nvme1 bottleneck-box.nvme2 bottleneck-box.nvme3""#
    ));
    // Parts that differ in what they are or carry keep their own boxes.
    assert!(svg.contains(">nic0<") && svg.contains(">gpu0<"));
    assert!(!svg.contains(">nvme0<"));
}

#[test]
fn a_part_marked_unlike_its_neighbours_keeps_its_own_box() {
    let c = inline(
        "site lab { role primary }\n\
         server s1 {\n  site lab\n  cpu cpu[0..1] { cores 16 }\n  \
         disk d0 { nvme; throughput 3.5GB/s; bus pcie3 x1 to cpu0; allow interface-cap }\n  \
         disk d[1..3] { nvme; throughput 3.5GB/s; bus pcie3 x1 to cpu0 }\n}\n",
    );
    let svg = bus::svg(&c.project, &c.diagnostics, None);
    // d0's finding is allowed: it is drawn plain and alone.
    assert!(svg.contains("<g data-element=\"s1.d0\">"), "{svg}");
    assert!(svg.contains(">d0<"));
    // d1..d3 share one finding each, so one marked box names all three,
    // its tooltip every message and its bus label what each disk gets.
    assert!(svg.contains(
        r#"<g data-element="s1.d1" data-severity="info" data-rules="interface-cap" data-members="s1.d1 s1.d2 s1.d3">"#
    ), "{svg}");
    assert!(svg.contains(">d1–3 × 3<"));
    for d in ["d1", "d2", "d3"] {
        assert!(svg.contains(&format!(
            "interface-cap: server `s1` {d}: NVMe disk of 3.50 GB/s on pcie3 x1 = 985 MB/s: capped to 985 MB/s"
        )));
    }
    assert!(svg.contains(">pcie3 x1 985 MB/s / 3.50 GB/s each (capped to 985 MB/s)<"));
    let dot = bus::dot(&c.project, &c.diagnostics, None);
    assert!(dot.contains(r##""0:d1–3 × 3" [label="d1–3 × 3\nNVMe · 3.50 GB/s each", peripheries=2, color="#0072b2""##), "{dot}");
    assert!(
        dot.contains(r#""0:d0" [label="d0\nNVMe · 3.50 GB/s"];"#),
        "{dot}"
    );
}
