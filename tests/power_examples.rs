//! The power chain of the shipped examples and of the generated data centre
//! (`topo::generate`): which sources exist, what each feed draws from, and
//! the figures their comments state, read back from the model — plus that
//! `topo check` finds nothing above info in them.
//!
//! The loads here are the A/B arithmetic of the examples' comments, not the
//! analyzer's load model: every device in these racks has two PSUs on the
//! rack's A and B feeds, so after one side fails each source of the other
//! side carries every rack below it whole.

use std::collections::BTreeMap;

use topo::analyze::power::{PowerModel, Supply};
use topo::diagnostic::Severity;
use topo::generate::{data_centre, power_sources, rows, ROW};
use topo::model::physical::PowerKind;
use topo::model::project::Project;

fn check(name: &str, text: &str) -> topo::check::Checked {
    topo::check::check_sources(&[(name, text)])
}

fn example(name: &str) -> String {
    let path = format!("{}/examples/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Findings above info as `rule line message`.
fn serious(checked: &topo::check::Checked) -> Vec<String> {
    checked
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Info)
        .map(|d| {
            let (line, _) = checked.sources.get(d.span.file).line_col(d.span.start);
            format!("{} {line} {}", d.rule, d.message)
        })
        .collect()
}

/// A rack's draw in VA (what its feeds carry), from the model's device power.
fn rack_va(p: &Project, rack: usize) -> f64 {
    p.racks[rack]
        .devices
        .iter()
        .map(|&d| p.device_power(d).map_or(0.0, |power| power.va.get()))
        .sum()
}

fn power_index(p: &Project, name: &str) -> usize {
    p.powers
        .iter()
        .position(|s| s.name == name)
        .unwrap_or_else(|| panic!("no power source {name}"))
}

/// A source's capacity in VA.
fn capacity(p: &Project, source: usize) -> f64 {
    let s = &p.powers[source];
    let circuit = s
        .capacity
        .unwrap_or_else(|| panic!("{} has no capacity", s.name));
    circuit
        .value
        .capacity(s.phases)
        .expect("a capacity in VA")
        .get()
}

fn source_of_feed(p: &Project, feed: usize) -> Option<usize> {
    p.feeds[feed].from.map(|f| f.value.index())
}

/// Whether `source` is `ancestor` or draws from it, transitively.
fn under(p: &Project, mut source: usize, ancestor: usize) -> bool {
    loop {
        if source == ancestor {
            return true;
        }
        match p.powers[source].from {
            Some(f) => source = f.value.index(),
            None => return false,
        }
    }
}

/// What each source carries after the other side has failed: every rack
/// with a feed below it, whole.
fn loads_after_other_side_fails(p: &Project) -> BTreeMap<String, f64> {
    let mut loads = BTreeMap::new();
    for (s, source) in p.powers.iter().enumerate() {
        let load = (0..p.racks.len())
            .filter(|&r| {
                p.racks[r].feeds.iter().any(|f| {
                    source_of_feed(p, f.value.index()).is_some_and(|from| under(p, from, s))
                })
            })
            .map(|r| rack_va(p, r))
            .sum();
        loads.insert(source.name.clone(), load);
    }
    loads
}

/// What is wrong with the generated chain, one line per problem: the two
/// UPSs are roots, each row has an A and a B panel behind UPS A and B, and
/// every rack's A feed draws from its row's A panel, its B feed from the B.
fn chain_problems(p: &Project, racks: usize) -> Vec<String> {
    let mut problems = vec![];
    let width = racks.to_string().len().max(4);
    for side in ["a", "b"] {
        let ups = format!("ups-{side}");
        match p.powers.iter().find(|s| s.name == ups) {
            None => problems.push(format!("no {ups}")),
            Some(s) => {
                if s.kind.map(|k| k.value) != Some(PowerKind::Ups) || s.from.is_some() {
                    problems.push(format!("{ups} is not a root UPS"));
                }
            }
        }
    }
    let ups_count = p
        .powers
        .iter()
        .filter(|s| s.kind.map(|k| k.value) == Some(PowerKind::Ups))
        .count();
    let panels: Vec<_> = p
        .powers
        .iter()
        .filter(|s| s.kind.map(|k| k.value) == Some(PowerKind::Panel))
        .collect();
    if ups_count != 2 {
        problems.push(format!("{ups_count} UPSs, not 2"));
    }
    if panels.len() != 2 * racks.div_ceil(ROW) {
        problems.push(format!("{} panels for {racks} racks", panels.len()));
    }
    for panel in &panels {
        let side = &panel.name[panel.name.len() - 1..];
        let from = panel.from.map(|f| p.powers[f.value.index()].name.as_str());
        if from != Some(&format!("ups-{side}")) {
            problems.push(format!("panel {} draws from {from:?}", panel.name));
        }
    }
    for (i, rack) in p.racks.iter().enumerate() {
        let row = format!("row{:0width$}", i / ROW + 1);
        for (feed, side) in rack.feeds.iter().zip(["a", "b"]) {
            let f = &p.feeds[feed.value.index()];
            let from = source_of_feed(p, feed.value.index()).map(|s| p.powers[s].name.as_str());
            if from != Some(&format!("{row}-{side}")) {
                problems.push(format!("feed {} draws from {from:?}", f.name));
            }
        }
    }
    if p.feeds.iter().any(|f| f.from.is_none()) {
        problems.push("a feed without `from`".into());
    }
    problems
}

// ---- the generated data centre ----

/// 4,880 VA a rack: 38 × 110 W + 2 × 350 W at power factor 1.0.
const RACK_VA: f64 = 4880.0;
/// A row panel: √3 × 208 V × 400 A.
const PANEL_VA: f64 = 144_107.0;

#[test]
fn generated_data_centre_has_the_chain_and_checks_clean() {
    // 2: one partial row; 20: exactly one; 21: a row of one rack; 45: two
    // full rows and a partial one; 260: the middle benchmark size.
    for racks in [2, 20, 21, 45, 260] {
        let checked = check("dc.topo", &data_centre(racks));
        let p = &checked.project;
        assert_eq!(
            chain_problems(p, racks),
            Vec::<String>::new(),
            "{racks} racks"
        );
        assert_eq!(p.powers.len(), power_sources(racks), "{racks} racks");
        assert_eq!(rows(racks), racks.div_ceil(20));
        assert_eq!(serious(&checked), Vec::<String>::new(), "{racks} racks");
    }
}

#[test]
fn generated_figures_after_one_side_fails() {
    let checked = check("dc.topo", &data_centre(45));
    let p = &checked.project;
    for r in 0..p.racks.len() {
        assert!((rack_va(p, r) - RACK_VA).abs() < 1e-6);
    }
    let loads = loads_after_other_side_fails(p);
    // A full row on one panel: 20 × 4880 = 97.6 kVA of 144.11 kVA (67.7 %).
    let panel = power_index(p, "row0001-a");
    assert!((capacity(p, panel) - PANEL_VA).abs() < 1.0);
    assert_eq!(loads["row0001-a"], 97_600.0);
    assert_eq!(loads["row0002-b"], 97_600.0);
    assert_eq!(loads["row0003-a"], 5.0 * RACK_VA);
    assert!((loads["row0001-a"] / PANEL_VA * 100.0 - 67.7).abs() < 0.05);
    // Three rows: 450 kVA per UPS; 45 × 4880 = 219.6 kVA on one (48.8 %).
    assert_eq!(capacity(p, power_index(p, "ups-a")), 450_000.0);
    assert_eq!(loads["ups-a"], 219_600.0);
    assert_eq!(loads["ups-b"], 219_600.0);
    // Full rows are the worst a UPS sees: rows × 97.6 of rows × 150 kVA.
    let full = check("dc.topo", &data_centre(40));
    let loads = loads_after_other_side_fails(&full.project);
    assert_eq!(loads["ups-a"], 195_200.0);
    assert_eq!(
        capacity(&full.project, power_index(&full.project, "ups-a")),
        300_000.0
    );
    assert!((loads["ups-a"] / 300_000.0 * 100.0 - 65.1).abs() < 0.05);
}

#[test]
fn chain_check_sees_a_feed_without_from_and_a_crossed_feed() {
    let text = data_centre(21);
    let missing = text.replacen(
        "feed r0003-a { site dc1; circuit 30A at 208V; from row0001-a }",
        "feed r0003-a { site dc1; circuit 30A at 208V }",
        1,
    );
    assert_ne!(missing, text);
    let p = check("dc.topo", &missing).project;
    assert_eq!(
        chain_problems(&p, 21),
        ["feed r0003-a draws from None", "a feed without `from`"]
    );
    let crossed = text.replacen(
        "feed r0021-b { site dc1; circuit 30A at 208V; from row0002-b }",
        "feed r0021-b { site dc1; circuit 30A at 208V; from row0002-a }",
        1,
    );
    assert_ne!(crossed, text);
    let p = check("dc.topo", &crossed).project;
    assert_eq!(
        chain_problems(&p, 21),
        ["feed r0021-b draws from Some(\"row0002-a\")"]
    );
}

#[test]
fn generated_panels_too_small_for_a_row_are_found() {
    // The same data centre with 225 A panels (81.06 kVA): a full row of
    // 97.6 kVA after the other side's UPS fails is 120 % of one.
    let text = data_centre(21).replace("capacity 400A at 208V", "capacity 225A at 208V");
    let checked = check("dc.topo", &text);
    let found: Vec<_> = checked
        .diagnostics
        .iter()
        .map(|d| (d.rule, d.severity, d.message.clone()))
        .collect();
    let message = |side: &str, other: &str| {
        format!(
            "power source `row0001-{side}` carries 97.6 kVA (270.9 A at 208 V) after power source \
             `ups-{other}` fails (48.8 kVA in normal operation): 120 % of 81.06 kVA (225 A at \
             208 V, three-phase), over its rating"
        )
    };
    assert_eq!(
        found,
        [
            ("power-capacity", Severity::Error, message("a", "b")),
            ("power-capacity", Severity::Error, message("b", "a")),
        ]
    );
    // The partial row (one rack, 4.88 kVA) fits a 225 A panel.
}

// ---- examples/datacenter.topo ----

#[test]
fn datacenter_example_sources_and_loads() {
    let checked = check("datacenter.topo", &example("datacenter.topo"));
    let p = &checked.project;
    assert!(checked.diagnostics.is_empty(), "{:?}", serious(&checked));

    // The chain: utility -> UPS A/B -> panel A/B -> every A/B feed.
    let sources: Vec<_> = p
        .powers
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let from = s.from.map(|f| p.powers[f.value.index()].name.clone());
            (s.name.as_str(), from, capacity(p, i).round())
        })
        .collect();
    let s = |n: &str| Some(n.to_string());
    assert_eq!(
        sources,
        [
            ("ash1-util", None, 500_000.0),
            ("ash1-ups-a", s("ash1-util"), 100_000.0),
            ("ash1-ups-b", s("ash1-util"), 100_000.0),
            // √3 × 208 V × 225 A = 81,060 VA.
            ("ash1-pnl-a", s("ash1-ups-a"), 81_060.0),
            ("ash1-pnl-b", s("ash1-ups-b"), 81_060.0),
        ]
    );
    for (f, feed) in p.feeds.iter().enumerate() {
        let side = &feed.name[feed.name.len() - 1..];
        let from = source_of_feed(p, f).map(|s| p.powers[s].name.clone());
        assert_eq!(from, Some(format!("ash1-pnl-{side}")), "{}", feed.name);
    }

    // The one device with a power factor: 855 W at 0.9 is 950 VA.
    let backup = p.devices.iter().position(|d| d.name == "backup1").unwrap();
    let power = p
        .device_power(topo::model::DeviceId(backup as u32))
        .unwrap();
    assert!((power.va.get() - 950.0).abs() < 1e-9);
    assert!((power.watts.get() - 855.0).abs() < 1e-9);

    // The racks' draws in VA, as the comments state them.
    let racks: Vec<_> = (0..p.racks.len())
        .map(|r| {
            (
                p.racks[r].name.as_str(),
                (rack_va(p, r) * 10.0).round() / 10.0,
            )
        })
        .collect();
    assert_eq!(
        racks,
        [
            ("r01", 4626.4),
            ("r02", 4380.0),
            ("r03", 3850.0),
            ("r04", 2744.8)
        ]
    );

    // After one side fails the other carries the whole row: 15,601.2 VA,
    // 19 % of a panel and 16 % of a UPS.
    let loads = loads_after_other_side_fails(p);
    for name in [
        "ash1-util",
        "ash1-ups-a",
        "ash1-ups-b",
        "ash1-pnl-a",
        "ash1-pnl-b",
    ] {
        assert!(
            (loads[name] - 15_601.2).abs() < 1e-6,
            "{name}: {}",
            loads[name]
        );
    }
    // The analyzer's power model agrees: half the row on each side in normal
    // operation, all of it after the other side's UPS (or panel) fails.
    let model = PowerModel::new(p);
    let worst = model.worst().expect("a small project");
    for (name, normal) in [
        ("ash1-util", 15_601.2),
        ("ash1-ups-a", 7_800.6),
        ("ash1-ups-b", 7_800.6),
        ("ash1-pnl-a", 7_800.6),
        ("ash1-pnl-b", 7_800.6),
    ] {
        let source = Supply::Source(topo::model::PowerId(power_index(p, name) as u32));
        assert!((model.normal(source).get() - normal).abs() < 1e-6, "{name}");
        let w = &worst[model.node(source)];
        assert!((w.load.get() - 15_601.2).abs() < 1e-6, "{name}");
    }
    let pnl = power_index(p, "ash1-pnl-a");
    assert_eq!(
        (loads["ash1-pnl-a"] / capacity(p, pnl) * 100.0).round(),
        19.0
    );
    assert_eq!((loads["ash1-ups-a"] / 100_000.0 * 100.0).round(), 16.0);
}

// ---- examples/ha-dr.topo ----

#[test]
fn ha_dr_example_has_a_ups_per_side_in_tokyo_and_one_in_osaka() {
    let checked = check("ha-dr.topo", &example("ha-dr.topo"));
    let p = &checked.project;
    let feeds: Vec<_> = p
        .feeds
        .iter()
        .enumerate()
        .map(|(f, feed)| {
            let from = source_of_feed(p, f).map(|s| p.powers[s].name.as_str());
            (feed.name.as_str(), from.unwrap_or("-"))
        })
        .collect();
    assert_eq!(
        feeds,
        [
            ("tyo-1a", "tyo-ups-a"),
            ("tyo-1b", "tyo-ups-b"),
            ("tyo-2a", "tyo-ups-a"),
            ("tyo-2b", "tyo-ups-b"),
            ("osk-1a", "osk-ups"),
            ("osk-1b", "osk-ups"),
        ]
    );
    // Tokyo: 2520 + 2080 = 4600 VA on one 20 kVA UPS after the other fails
    // (23 %); Osaka: 2520 VA of 10 kVA (25 %).
    let loads = loads_after_other_side_fails(p);
    assert!((loads["tyo-ups-a"] - 4600.0).abs() < 1e-6);
    assert!((loads["tyo-ups-b"] - 4600.0).abs() < 1e-6);
    assert!((loads["osk-ups"] - 2520.0).abs() < 1e-6);
    assert_eq!(capacity(p, power_index(p, "tyo-ups-a")), 20_000.0);
    assert_eq!(capacity(p, power_index(p, "osk-ups")), 10_000.0);
    // Only the DR take-over, an info.
    assert_eq!(serious(&checked), Vec::<String>::new());
}
