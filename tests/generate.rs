//! The generated data centre (`topo::generate`) is healthy at every size:
//! `topo check` finds nothing in it, so any finding is a false positive or a
//! bug in the generator. Its counts are what `counts` says.

use topo::generate::{counts, data_centre, Counts};

/// Every finding as `rule severity line:column message`, for readable failures.
fn findings(text: &str) -> (topo::check::Checked, Vec<String>) {
    let checked = topo::check::check_sources(&[("dc.topo", text)]);
    let list = checked
        .diagnostics
        .iter()
        .map(|d| {
            let (line, column) = checked.sources.get(d.span.file).line_col(d.span.start);
            format!("{} {} {line}:{column} {}", d.rule, d.severity, d.message)
        })
        .collect();
    (checked, list)
}

fn assert_clean_with(racks: usize, expected: Counts) {
    let text = data_centre(racks);
    let (checked, list) = findings(&text);
    assert!(
        list.is_empty(),
        "data_centre({racks}) has findings:\n{}",
        list.join("\n")
    );
    let p = &checked.project;
    let got = Counts {
        racks: p.racks.len(),
        devices: p.devices.len(),
        services: p.services.len(),
        flows: p.flows.len(),
    };
    assert_eq!(
        got,
        counts(racks),
        "model of data_centre({racks}) vs counts({racks})"
    );
    assert_eq!(got, expected, "model of data_centre({racks})");
}

#[test]
fn two_racks_are_clean() {
    // 2 × (38 servers + 2 ToRs) + 4 spines; one pod: web, ap, db, dns.
    assert_clean_with(
        2,
        Counts {
            racks: 2,
            devices: 84,
            services: 4,
            flows: 1,
        },
    );
}

#[test]
fn eight_racks_are_clean() {
    assert_clean_with(
        8,
        Counts {
            racks: 8,
            devices: 324,
            services: 4,
            flows: 1,
        },
    );
}

#[test]
fn pods_start_every_tenth_rack() {
    // 11 racks: rack 11 has no partner, so still one pod; 12 racks: two.
    assert_clean_with(
        11,
        Counts {
            racks: 11,
            devices: 444,
            services: 4,
            flows: 1,
        },
    );
    assert_clean_with(
        12,
        Counts {
            racks: 12,
            devices: 484,
            services: 8,
            flows: 2,
        },
    );
    assert_clean_with(
        26,
        Counts {
            racks: 26,
            devices: 1044,
            services: 12,
            flows: 3,
        },
    );
}

#[test]
fn counts_at_benchmark_sizes() {
    assert_eq!(
        counts(2600),
        Counts {
            racks: 2600,
            devices: 104_004,
            services: 1040,
            flows: 260
        }
    );
    assert_eq!(
        counts(260),
        Counts {
            racks: 260,
            devices: 10_404,
            services: 104,
            flows: 26
        }
    );
}

#[test]
fn output_is_deterministic() {
    assert_eq!(data_centre(8), data_centre(8));
    assert_eq!(data_centre(26), data_centre(26));
}

/// The silence is earned: the same design, made unhealthy, is caught.
fn rules_after(racks: usize, from: &str, to: &str) -> Vec<String> {
    let text = data_centre(racks);
    assert!(text.contains(from), "`{from}` is not in the generated text");
    let (_, list) = findings(&text.replacen(from, to, 1));
    list
}

#[test]
fn hotter_servers_overload_every_rack() {
    // 38 × 120 W + 700 W = 5260 W of 6240 W: 84 %.
    let list = rules_after(2, "draw 110W", "draw 120W");
    assert_eq!(list.len(), 2, "{list:#?}");
    assert!(
        list.iter().all(|f| f.starts_with("rack-power warning")),
        "{list:#?}"
    );
}

#[test]
fn db_pair_in_one_rack_is_caught() {
    let list = rules_after(2, "on r0001-s05 r0002-s05", "on r0001-s05 r0001-s07");
    assert!(
        list.iter().any(|f| f.starts_with("ha-same-domain warning")),
        "{list:#?}"
    );
    assert!(
        list.iter().any(|f| f.starts_with("spof warning")),
        "{list:#?}"
    );
}

#[test]
fn larger_pools_exhaust_the_db() {
    // 4 × 60 = 240 connections for 200.
    let list = rules_after(2, "pool p0001-db 40", "pool p0001-db 60");
    assert_eq!(list.len(), 1, "{list:#?}");
    assert!(list[0].starts_with("pool-exhaustion error"), "{list:#?}");
}

/// The expanded style writes every server and server cable on its own line;
/// it must lower to the same devices, placements and links as the ranges.
#[test]
fn both_styles_are_the_same_data_centre() {
    use topo::generate::{data_centre_in, racks_for_devices, Style};
    assert_eq!(racks_for_devices(100_000), 2_500);
    assert_eq!(racks_for_devices(1_000_000), 25_000);
    assert_eq!(racks_for_devices(10), 2);
    let ranges = data_centre_in(12, Style::Ranges);
    let expanded = data_centre_in(12, Style::Expanded);
    assert!(
        expanded.len() > 4 * ranges.len(),
        "{} vs {}",
        expanded.len(),
        ranges.len()
    );
    let (a, list_a) = findings(&ranges);
    let (b, list_b) = findings(&expanded);
    assert!(
        list_a.is_empty() && list_b.is_empty(),
        "{list_a:?} {list_b:?}"
    );
    let devices = |c: &topo::check::Checked| -> Vec<(String, Option<u32>)> {
        c.project
            .devices
            .iter()
            .map(|d| (d.name.clone(), d.placement.map(|p| p.position)))
            .collect()
    };
    assert_eq!(devices(&a), devices(&b));
    let links = |c: &topo::check::Checked| -> Vec<(String, String)> {
        let mut l: Vec<_> = c
            .project
            .links
            .iter()
            .map(|l| {
                let name =
                    |e: &topo::model::Endpoint| c.project.devices[e.device.0 as usize].name.clone();
                (name(&l.from), name(&l.to))
            })
            .collect();
        l.sort();
        l
    };
    assert_eq!(links(&a), links(&b));
    assert_eq!(links(&a).len(), 12 * (2 * 38 + 2 * 4));
}
