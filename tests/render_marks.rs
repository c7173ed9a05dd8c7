//! Diagrams colour from the findings `check` reports (after `allow`,
//! `topo.toml` and severity flags): the element a finding is about is the
//! one marked, in its severity's colour and marker, with the rules and
//! messages on its group; an element with no finding is drawn plainly.

mod support;

use std::path::{Path, PathBuf};
use support::Topo;
use topo::check::{check_files, check_sources, Checked};
use topo::diagnostic::Severity;
use topo::render::marks::{colour, marker};
use topo::render::{bus, network, rack, system};

fn fixture(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn example(name: &str) -> String {
    std::fs::read_to_string(fixture(&format!("examples/{name}.topo"))).unwrap()
}

/// Every `data-severity="…"` with its group's `data-element`, in order.
fn marked(svg: &str) -> Vec<(String, String, String)> {
    let attr = |tag: &str, name: &str| -> Option<String> {
        let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        Some(tag[start..].split('"').next()?.to_string())
    };
    svg.split("<g ")
        .skip(1)
        .filter_map(|rest| {
            let tag = format!(" {}", rest.split('>').next()?);
            let tag = tag.as_str();
            Some((
                attr(tag, "data-element")?,
                attr(tag, "data-severity")?,
                attr(tag, "data-rules")?,
            ))
        })
        .collect()
}

fn all_views(c: &Checked) -> [String; 3] {
    [
        system::svg(&c.project, &c.diagnostics),
        rack::svg(&c.project, &c.diagnostics, None),
        bus::svg(&c.project, &c.diagnostics, None),
    ]
}

#[test]
fn a_file_clean_with_allow_spof_has_no_mark() {
    // edge-cdn reports only spof warnings; `allow spof` silences them.
    let text = format!("allow spof\n{}", example("edge-cdn"));
    let c = check_sources(&[("edge-cdn.topo", &text)]);
    assert_eq!(c.diagnostics.len(), 0, "{:?}", c.diagnostics);
    for svg in all_views(&c) {
        assert!(!svg.contains("data-severity"), "{svg}");
        // The legend's three markers, and no other.
        assert_eq!(svg.matches("class=\"marker ").count(), 3);
    }
    // Without the allow, the sites and rack the spof findings name are
    // the ones marked, in the warning colour, and nothing else.
    let c = check_files(&[fixture("examples/edge-cdn.topo")]);
    let svg = system::svg(&c.project, &c.diagnostics);
    assert_eq!(
        marked(&svg),
        ["hq", "plant7", "plant9"]
            .map(|s| (s.to_string(), "warning".to_string(), "spof".to_string()))
            .to_vec()
    );
    assert!(svg.contains(&format!(
        "stroke:{};stroke-width:2.5",
        colour(Severity::Warning)
    )));
    assert!(!svg.contains(colour(Severity::Error)) || !svg.contains("data-severity=\"error\""));
    // The spof on rack plant7-r1 is not drawn in the system view: the
    // legend says so rather than dropping it silently.
    assert!(svg.contains("1 more marked element is not drawn in this view"));
    let racks = rack::svg(&c.project, &c.diagnostics, None);
    assert_eq!(
        marked(&racks),
        vec![(
            "plant7-r1".to_string(),
            "warning".to_string(),
            "spof".to_string()
        )]
    );
}

#[test]
fn the_unreachable_flow_is_marked_as_an_error() {
    let c = check_files(&[fixture("tests/fixtures/unreachable/fires.topo")]);
    let svg = system::svg(&c.project, &c.diagnostics);
    let marks = marked(&svg);
    // The flow is drawn on two edges, each with its label line: four
    // groups, each with both of its findings' rules and the error.
    assert_eq!(marks.len(), 4, "{marks:?}");
    for (element, severity, rules) in &marks {
        assert_eq!(element, "checkout");
        assert_eq!(severity, "error");
        assert_eq!(rules, "no-dns unreachable");
    }
    assert!(svg.contains("<title>flow checkout&#10;no-dns: flow `checkout` enters `shop-web`"));
    assert!(svg.contains("&#10;unreachable: flow `checkout`: no network path from `shop-web`"));
    assert!(svg.contains(&marker_shape(Severity::Error)));
    // The services themselves have no finding: drawn plainly.
    assert!(svg.contains("<g data-element=\"shop-web\"><title>service shop-web</title>"));
    assert!(svg.contains("<g data-element=\"shop-db\"><title>service shop-db</title>"));
    // The clean twin marks nothing.
    let c = check_files(&[fixture("tests/fixtures/unreachable/clean.topo")]);
    assert!(c.diagnostics.is_empty(), "{:?}", c.diagnostics);
    assert!(marked(&system::svg(&c.project, &c.diagnostics)).is_empty());
}

/// The start of a severity's marker, which names its shape.
fn marker_shape(s: Severity) -> String {
    let m = marker(s, 0.0, 0.0, 10.0);
    m[..m.find('>').unwrap() + 1].to_string()
}

#[test]
fn a_warning_and_an_error_differ_in_colour_and_marker() {
    // b reaches above the rack (an error); the rack draws 92 % of its
    // budget, above the 80 % continuous share (a warning on the rack).
    let text = "\
site dc
rack r1 { site dc; height 3U; power 5kW }
server a { rack r1 at U1; size 1U; draw 4.5kW }
server b { rack r1 at U3; size 2U; draw 100W }
";
    let c = check_sources(&[("t.topo", text)]);
    let found: Vec<(&str, Severity, Option<&str>)> = c
        .diagnostics
        .iter()
        .map(|d| (d.rule, d.severity, d.subject.as_deref()))
        .collect();
    assert_eq!(
        found,
        vec![
            ("rack-power", Severity::Warning, Some("r1")),
            ("rack-overflow", Severity::Error, Some("b")),
        ]
    );
    let svg = rack::svg(&c.project, &c.diagnostics, None);
    assert_eq!(
        marked(&svg),
        vec![
            (
                "r1".to_string(),
                "warning".to_string(),
                "rack-power".to_string()
            ),
            // Full depth: on the front face and on the rear.
            (
                "b".to_string(),
                "error".to_string(),
                "rack-overflow".to_string()
            ),
            (
                "b".to_string(),
                "error".to_string(),
                "rack-overflow".to_string()
            ),
        ]
    );
    let (error, warning) = (colour(Severity::Error), colour(Severity::Warning));
    assert_ne!(error, warning);
    assert!(svg.contains(&format!("stroke:{error};stroke-width:2")));
    assert!(svg.contains(&format!("stroke:{warning};stroke-width:2.5")));
    assert!(svg.contains("class=\"marker marker-error\""));
    assert!(svg.contains("class=\"marker marker-warning\""));
    assert_ne!(
        marker_shape(Severity::Error),
        marker_shape(Severity::Warning)
    );
    // a has no finding of its own: plain.
    assert!(svg.contains("<g data-element=\"a\"><title>a · U1"));
}

#[test]
fn the_legend_says_what_each_mark_and_tint_means() {
    let c = check_files(&[fixture("examples/datacenter.topo")]);
    let [system, racks, bus] = all_views(&c);
    for svg in [&system, &racks, &bus] {
        for text in ["error (octagon)", "warning (triangle)", "info (circle)"] {
            assert!(svg.contains(text), "legend lacks {text}");
        }
    }
    for text in [
        "server",
        "switch, router",
        "storage",
        "firewall, load balancer",
    ] {
        assert!(racks.contains(&format!(">{text}</text>")), "{text}");
    }
    // No kind tint is a severity's colour.
    for s in [Severity::Error, Severity::Warning, Severity::Info] {
        let c = colour(s);
        assert!(!racks.contains(&format!("fill:{c};stroke:#52606d")), "{c}");
    }
}

/// `topo render` in `dir` (so the `topo.toml` there applies), SVG out.
fn render(dir: &Path, args: &[&str]) -> String {
    let mut all = vec!["render", "plan.topo"];
    all.extend_from_slice(args);
    let out = Topo::new(all).cwd(dir).run();
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    out.stdout
}

#[test]
fn topo_toml_and_flags_decide_the_marks_as_they_decide_check() {
    let dir = std::env::temp_dir().join(format!("topo-render-marks-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("plan.topo"), example("edge-cdn")).unwrap();
    let _ = std::fs::remove_file(dir.join("topo.toml"));
    let sites = |svg: &str, severity: &str| -> Vec<String> {
        marked(svg)
            .into_iter()
            .filter(|(_, s, _)| s == severity)
            .map(|(e, _, _)| e)
            .collect()
    };
    assert_eq!(
        sites(&render(&dir, &[]), "warning"),
        ["hq", "plant7", "plant9"]
    );
    std::fs::write(dir.join("topo.toml"), "[rules]\nspof = \"allow\"\n").unwrap();
    let svg = render(&dir, &[]);
    assert!(!svg.contains("data-severity"), "topo.toml turns spof off");
    let check = Topo::new(["check", "plan.topo"]).cwd(&dir).run();
    assert_eq!(check.code, Some(0));
    assert!(check
        .stdout
        .ends_with("0 errors, 0 warnings, 0 infos in 1 file\n"));
    // The flag overrides the file, as for check.
    assert_eq!(
        sites(&render(&dir, &["--deny", "spof"]), "error"),
        ["hq", "plant7", "plant9"]
    );
    std::fs::write(dir.join("topo.toml"), "[rules]\nspof = \"info\"\n").unwrap();
    assert_eq!(
        sites(&render(&dir, &["--view", "rack"]), "info"),
        ["plant7-r1"]
    );
    // A bad level is bad usage, as for check.
    std::fs::write(dir.join("topo.toml"), "[rules]\nspof = \"loud\"\n").unwrap();
    let out = Topo::new(["render", "plan.topo"]).cwd(&dir).run();
    assert_eq!(out.code, Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn every_drawn_element_is_a_group_with_its_name() {
    for name in [
        "client-server",
        "edge-cdn",
        "ha-dr",
        "sharding",
        "webshop",
        "datacenter",
        "server-internals",
    ] {
        let c = check_files(&[fixture(&format!("examples/{name}.topo"))]);
        let p = &c.project;
        let [system, racks, bus] = all_views(&c);
        let has = |svg: &str, n: &str| svg.contains(&format!("<g data-element=\"{n}\""));
        for s in &p.services {
            assert!(has(&system, &s.name), "{name}: service {}", s.name);
        }
        for cl in &p.clients {
            assert!(has(&system, &cl.name), "{name}: client {}", cl.name);
        }
        for cdn in &p.cdns {
            assert!(has(&system, &cdn.name), "{name}: cdn {}", cdn.name);
        }
        for pt in &p.partitions {
            assert!(has(&system, &pt.name), "{name}: partition {}", pt.name);
        }
        for r in &p.racks {
            assert!(has(&racks, &r.name), "{name}: rack {}", r.name);
        }
        for d in p
            .devices
            .iter()
            .filter(|d| d.placement.is_some() && d.size() > 0)
        {
            assert!(has(&racks, &d.name), "{name}: device {}", d.name);
        }
        if name == "server-internals" {
            assert!(has(&bus, "bottleneck-box"));
            assert!(bus.contains(
                "<g data-element=\"bottleneck-box.nic0\" data-severity=\"warning\" data-rules=\"bus-bottleneck\">"
            ));
            assert!(has(&bus, "bottleneck-box.cpu0"));
        }
    }
}

/// The line of a DOT text that starts (after its indent) with `start`.
fn dot_line<'a>(dot: &'a str, start: &str) -> &'a str {
    dot.lines()
        .map(str::trim_start)
        .find(|l| l.starts_with(start))
        .unwrap_or_else(|| panic!("no line starting {start} in\n{dot}"))
}

/// Every line of a DOT text parses with Graphviz, when it is installed.
fn graphviz_parses(dot: &str) {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let Ok(mut child) = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    else {
        return;
    };
    child
        .stdin
        .take()
        .unwrap()
        .write_all(dot.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "{}\n{dot}",
        String::from_utf8_lossy(&out.stderr)
    );
}

const LEGEND: &str = "legend [shape=note";

#[test]
fn the_system_dot_colours_each_node_by_its_own_findings() {
    // hot: a cache larger than its hosts' memory (an error); orders: a
    // skewed shard (a warning); quiet: the same cache as hot, allowed.
    let text = "\
site dc
model db-box {
  cpu cpu0 { memory ddr4-3200 { channels 8; dimms 1 1 1 1 1 1 1 1; dimm-size 16GB } }
}
server db[1..2] : db-box { site dc }
server odb[1..4] { site dc }
service hot on db1 db2 { cache 256GiB }
service orders on odb[1..4] { stateful; shard by customer-id { weights 25% 25% 35% 15% } }
service quiet on db1 db2 { allow cache-exceeds-memory; cache 256GiB }
";
    let c = check_sources(&[("t.topo", text)]);
    let found: Vec<(&str, Severity, Option<&str>)> = c
        .diagnostics
        .iter()
        .map(|d| (d.rule, d.severity, d.subject.as_deref()))
        .collect();
    assert_eq!(
        found,
        vec![
            ("cache-exceeds-memory", Severity::Error, Some("hot")),
            ("shard-skew", Severity::Warning, Some("orders")),
        ]
    );
    let dot = system::dot(&c.project, &c.diagnostics);
    assert_eq!(
        dot_line(&dot, "\"service:hot\""),
        "\"service:hot\" [label=\"hot\\n×2 on db1, db2\", fillcolor=\"#ffffff\", color=\"#d55e00\", penwidth=2.5, tooltip=\"service hot\\ncache-exceeds-memory: `hot` caches 256 GiB but db1 has 128 GiB, db2 has 128 GiB\"];"
    );
    let orders = dot_line(&dot, "\"service:orders\"");
    assert!(orders.contains(", color=\"#e69f00\", penwidth=2.5, tooltip=\"service orders\\nshard-skew: `orders` shard 3 of 4 holds 35 %"), "{orders}");
    // Silenced: drawn plainly, with no colour and no tooltip.
    assert_eq!(
        dot_line(&dot, "\"service:quiet\""),
        "\"service:quiet\" [label=\"quiet\\n×2 on db1, db2\", fillcolor=\"#ffffff\"];"
    );
    // The site has no finding: its plain outline.
    assert!(dot_line(&dot, "label=\"site dc").ends_with("style=\"rounded\"; color=\"#7b8794\";"));
    assert!(!dot.contains("#d62728"), "the old single red is gone");
    let legend = dot_line(&dot, LEGEND);
    for s in [Severity::Error, Severity::Warning, Severity::Info] {
        assert!(legend.contains(&format!("<FONT COLOR=\"{}\">{s}</FONT>", colour(s))));
    }
    graphviz_parses(&dot);
    // Everything allowed: nothing coloured, no legend.
    let quiet = format!("allow cache-exceeds-memory\nallow shard-skew\n{text}");
    let c = check_sources(&[("t.topo", &quiet)]);
    assert!(c.diagnostics.is_empty(), "{:?}", c.diagnostics);
    let dot = system::dot(&c.project, &c.diagnostics);
    assert!(!dot.contains("tooltip") && !dot.contains(LEGEND), "{dot}");
    assert!(!dot.contains(colour(Severity::Error)) && !dot.contains(colour(Severity::Warning)));
}

#[test]
fn the_system_dot_colours_sites_and_flows_from_their_findings() {
    // edge-cdn: spof warnings on its three sites.
    let c = check_files(&[fixture("examples/edge-cdn.topo")]);
    let dot = system::dot(&c.project, &c.diagnostics);
    for site in ["hq (primary)", "plant7 (edge)", "plant9 (edge)"] {
        let name = site.split(' ').next().unwrap();
        let line = dot_line(&dot, &format!("label=\"site {site}\""));
        assert!(
            line.contains(&format!(
                "color=\"#e69f00\"; penwidth=2.5; tooltip=\"site {name}\\nspof: site `{name}` is a single point of failure"
            )),
            "{line}"
        );
    }
    graphviz_parses(&dot);
    // The unreachable flow: its edges in the error colour, the findings
    // in their tooltip; the services it joins stay plain.
    let c = check_files(&[fixture("tests/fixtures/unreachable/fires.topo")]);
    let dot = system::dot(&c.project, &c.diagnostics);
    let flows: Vec<&str> = dot
        .lines()
        .filter(|l| l.contains(" -> ") && l.contains("label=\"checkout"))
        .collect();
    assert_eq!(flows.len(), 2, "{dot}");
    for line in flows {
        assert!(
            line.contains("penwidth=2.2, color=\"#d55e00\", tooltip=\"flow checkout\\nno-dns: "),
            "{line}"
        );
        assert!(line.contains("\\nunreachable: flow `checkout`"), "{line}");
    }
    assert_eq!(
        dot_line(&dot, "\"service:shop-web\""),
        "\"service:shop-web\" [label=\"shop-web\\n×2 on web1, web2\", fillcolor=\"#ffffff\"];"
    );
    graphviz_parses(&dot);
}

#[test]
fn the_rack_dot_colours_the_rack_and_its_devices_by_severity() {
    // r1 draws 92 % of its own limit (a warning); a's NIC is slower than
    // its link (an error); c overlaps a, allowed.
    let text = "\
site dc
rack r1 { site dc; height 4U; power 5kW }
switch sw1 { rack r1 at U4; size 1U; draw 100W; ports 4 x 100GbE }
server a { rack r1 at U1; size 1U; draw 4.5kW; nic nic0 { ports 2 x 25GbE } }
server c { rack r1 at U1; size 1U; draw 10W; allow rack-overlap }
link a to sw1 { speed 100GbE }
";
    let c = check_sources(&[("t.topo", text)]);
    let found: Vec<(&str, Severity, Option<&str>)> = c
        .diagnostics
        .iter()
        .map(|d| (d.rule, d.severity, d.subject.as_deref()))
        .collect();
    assert_eq!(
        found,
        vec![
            ("rack-power", Severity::Warning, Some("r1")),
            ("link-speed", Severity::Error, Some("a")),
        ]
    );
    let dot = rack::dot(&c.project, &c.diagnostics, None);
    let r1 = dot_line(&dot, "\"rack:r1\"");
    let (warning, error) = (colour(Severity::Warning), colour(Severity::Error));
    // Frame and header (with the power figure) in the rack's colour.
    assert!(
        r1.contains(&format!("<TABLE BORDER=\"2\" COLOR=\"{warning}\"")),
        "{r1}"
    );
    assert!(r1.contains(&format!(
        "<B><FONT COLOR=\"{warning}\">rack r1 · 4U · 4.61 kVA of 5 kVA</FONT></B>"
    )));
    // a in the error colour; sw1 plain (not the frame's colour).
    assert!(
        r1.contains(&format!("COLOR=\"{error}\" BORDER=\"2\">a · 1U</TD>")),
        "{r1}"
    );
    assert!(r1.contains("COLOR=\"#3e4c59\">sw1 · 1U</TD>"), "{r1}");
    // c cannot be drawn on a's unit: listed under the table, plainly.
    assert!(r1.contains("<FONT COLOR=\"#616e7c\">c · U1 · on units taken by another device</FONT>"));
    assert!(r1.ends_with(
        ">, tooltip=\"rack r1\\nrack-power: rack `r1` draws 4.61 kVA of its own power limit of 5 kVA (given in W, taken as VA): 92 %, above the 80 % continuous-load limit\\na: link-speed: link a — sw1 is 100GbE but `a`'s ports are at most 25GbE\"];"
    ), "{r1}");
    assert!(!dot.contains("#d62728"));
    assert!(dot.contains(LEGEND));
    graphviz_parses(&dot);
    // With the overlap not allowed, c is listed in the error colour.
    let c = check_sources(&[("t.topo", &text.replace("; allow rack-overlap", ""))]);
    let dot = rack::dot(&c.project, &c.diagnostics, None);
    assert!(dot.contains(&format!(
        "<FONT COLOR=\"{error}\">c · U1 · on units taken by another device</FONT>"
    )));
    // A rack with no finding: no tooltip, no colour, no legend.
    let clean =
        "site dc\nrack r2 { site dc; height 2U }\nserver s { rack r2 at U1; size 1U; draw 100W }\n";
    let c = check_sources(&[("t.topo", clean)]);
    assert!(c.diagnostics.is_empty(), "{:?}", c.diagnostics);
    let dot = rack::dot(&c.project, &c.diagnostics, None);
    assert!(dot.contains("<TABLE BORDER=\"2\" COLOR=\"#3e4c59\""));
    assert!(!dot.contains("tooltip") && !dot.contains(LEGEND), "{dot}");
}

#[test]
fn the_network_dot_colours_boxes_by_severity() {
    // leaf1 at 4:1 (a warning); leaf2 the same, allowed; db1's 25GbE NIC
    // on a 100GbE link (an error).
    let text = "\
site dc
switch spine1 { site dc; ports 32 x 100GbE }
switch leaf1 { site dc }
server web[1..4] { site dc }
link web[1..4] to leaf1 { speed 25GbE }
link leaf1 to spine1 { speed 25GbE }
switch leaf2 { site dc; allow oversubscription }
server app[1..4] { site dc }
link app[1..4] to leaf2 { speed 25GbE }
link leaf2 to spine1 { speed 25GbE }
server db1 { site dc; nic nic0 { ports 2 x 25GbE } }
link db1 to spine1 { speed 100GbE }
";
    let c = check_sources(&[("t.topo", text)]);
    let found: Vec<(&str, Severity, Option<&str>)> = c
        .diagnostics
        .iter()
        .map(|d| (d.rule, d.severity, d.subject.as_deref()))
        .collect();
    assert_eq!(
        found,
        vec![
            ("oversubscription", Severity::Warning, Some("leaf1")),
            ("link-speed", Severity::Error, Some("db1")),
        ]
    );
    let dot = network::dot(&c.project, &c.diagnostics);
    let node = |label: &str| -> &str {
        dot.lines()
            .find(|l| l.contains(&format!("[label=\"{label}\"")))
            .unwrap_or_else(|| panic!("no {label}"))
    };
    let leaf1 = node("leaf1\\nswitch");
    assert!(
        leaf1.ends_with(", color=\"#e69f00\", penwidth=2.4];"),
        "{leaf1}"
    );
    assert!(
        leaf1.contains("oversubscription: `leaf1` has 4 × 25GbE"),
        "{leaf1}"
    );
    let db1 = node("db1\\nserver");
    assert!(
        db1.ends_with(", color=\"#d55e00\", penwidth=2.4];"),
        "{db1}"
    );
    assert!(
        db1.contains("link-speed: link db1 — spine1 is 100GbE"),
        "{db1}"
    );
    assert!(node("leaf2\\nswitch").ends_with("tooltip=\"switch leaf2\"];"));
    assert!(dot.contains(LEGEND));
    graphviz_parses(&dot);
    let quiet = format!("allow oversubscription\nallow link-speed\n{text}");
    let c = check_sources(&[("t.topo", &quiet)]);
    assert!(c.diagnostics.is_empty(), "{:?}", c.diagnostics);
    let dot = network::dot(&c.project, &c.diagnostics);
    assert!(
        !dot.contains("penwidth=2.4") && !dot.contains(LEGEND),
        "{dot}"
    );
}
