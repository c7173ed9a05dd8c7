//! Issue 19, VMs and ports: `vm-memory` (as placed and after a failover),
//! `link-speed` (faster than the ports, or of the wrong medium) and
//! `port-count` (more link ends than ports), each on a fixture that fires
//! and one that does not, with the exact messages, elements and figures.

mod support;
use serde_json::{json, Value};
use std::path::PathBuf;
use topo::check::{check_files, check_sources, Checked};
use topo::diagnostic::Severity;

fn fixture(rule: &str, which: &str) -> Checked {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join(format!("tests/fixtures/{rule}/{which}.topo"));
    check_files(&[path])
}

/// (severity, message, element, data) of every finding of `rule`, in order;
/// asserts no finding at all comes from the language rules.
fn found(checked: &Checked, rule: &str) -> Vec<(Severity, String, String, Value)> {
    support::fixtures::assert_no_language_error(checked);
    checked
        .diagnostics
        .iter()
        .filter(|d| d.rule == rule)
        .map(|d| {
            (
                d.severity,
                d.message.clone(),
                d.subject.clone().unwrap_or_default(),
                serde_json::to_value(&d.data).unwrap(),
            )
        })
        .collect()
}

fn messages(checked: &Checked, rule: &str) -> Vec<(Severity, String)> {
    found(checked, rule)
        .into_iter()
        .map(|(s, m, _, _)| (s, m))
        .collect()
}

const E: Severity = Severity::Error;
const W: Severity = Severity::Warning;

// ---- vm-memory -------------------------------------------------------

#[test]
fn vm_memory_as_placed_and_after_a_failover() {
    let f = found(&fixture("vm-memory", "fires"), "vm-memory");
    assert_eq!(
        f,
        [
            (
                E,
                "960 GB of VMs on `h1`, a 768 GB host: 125 %".to_string(),
                "h1".to_string(),
                json!({"load": 960e9, "capacity": 768e9, "unit": "B", "percent": 125.0,
                       "scenario": "as placed", "unknown": 0.0}),
            ),
            (
                W,
                "after `h2` fails, 320 GB of VMs on `h3`, a 256 GB host: 125 %".to_string(),
                "h3".to_string(),
                json!({"load": 320e9, "capacity": 256e9, "unit": "B", "percent": 125.0,
                       "scenario": "host h2 fails", "unknown": 0.0}),
            ),
        ]
    );
    assert_eq!(messages(&fixture("vm-memory", "clean"), "vm-memory"), []);
}

#[test]
fn vm_memory_in_binary_units_from_the_cpus_memory() {
    // 2 CPUs × 8 DIMMs × 32 GiB = 512 GiB; 600 GiB of VMs.
    let text = "server h1 { cpu cpu[0..1] { memory ddr4-3200 { channels 8; dimms 1 1 1 1 1 1 1 1; dimm-size 32GiB } } }\n\
                vm v[1..2] on h1 { ram 300GiB }\n";
    let f = found(&check_sources(&[("t.topo", text)]), "vm-memory");
    let gi = 1024f64.powi(3);
    assert_eq!(
        f,
        [(
            E,
            "600 GiB of VMs on `h1`, a 512 GiB host: 117.2 %".to_string(),
            "h1".to_string(),
            json!({"load": 600.0 * gi, "capacity": 512.0 * gi, "unit": "B",
                   "percent": 117.1875, "scenario": "as placed", "unknown": 0.0}),
        )]
    );
    // At 512 GiB exactly it fits.
    let text = text.replace("300GiB", "256GiB");
    assert_eq!(
        messages(&check_sources(&[("t.topo", &text)]), "vm-memory"),
        []
    );
}

#[test]
fn vm_memory_failover_counts_only_the_failed_hosts_vms_and_a_host_over_as_placed_once() {
    // h1 and h2 both fail over to h3, but never together: each alone fits.
    let text = "server h1 { ram 512GB }\nserver h2 { ram 512GB }\nserver h3 { ram 256GB }\n\
                vm a on h1 { failover h3; ram 200GB }\nvm b on h2 { failover h3; ram 200GB }\n";
    assert_eq!(
        messages(&check_sources(&[("t.topo", text)]), "vm-memory"),
        []
    );
    // A host over as placed is not reported again after a failover onto it;
    // a VM without ram counts for nothing and is said to be left out.
    let text = "server h1 { ram 512GB }\nserver h3 { ram 256GB }\n\
                vm a on h1 { failover h3; ram 200GB }\nvm c on h3 { ram 300GB }\nvm d on h3\n";
    assert_eq!(
        messages(&check_sources(&[("t.topo", text)]), "vm-memory"),
        [(
            E,
            "300 GB of VMs on `h3`, a 256 GB host: 117.2 % (1 VM without `ram` not counted)"
                .to_string()
        )]
    );
    // A host whose memory is unknown is not checked.
    let text = "server h1\nvm a on h1 { ram 200GB }\n";
    assert_eq!(
        messages(&check_sources(&[("t.topo", text)]), "vm-memory"),
        []
    );
}

// ---- link-speed ------------------------------------------------------

#[test]
fn link_speed_faster_than_the_ports_or_of_the_wrong_medium() {
    let f = found(&fixture("link-speed", "fires"), "link-speed");
    let too_fast = |count: f64| {
        json!({"load": 12.5e9, "capacity": 3.125e9, "unit": "B/s", "percent": 400.0,
               "count": count, "medium": "Ethernet"})
    };
    assert_eq!(
        f,
        [
            (
                E,
                "link web1 — tor1 is 100GbE but `web1`'s ports are at most 25GbE".to_string(),
                "web1".to_string(),
                too_fast(1.0),
            ),
            (
                E,
                "link web1 — tor1 is 100GbE but `tor1`'s ports are at most 25GbE".to_string(),
                "tor1".to_string(),
                too_fast(1.0),
            ),
            (
                E,
                "link tor1 — spine1 is 100GbE but `tor1`'s ports are at most 25GbE".to_string(),
                "tor1".to_string(),
                too_fast(2.0),
            ),
            (
                E,
                "link db1 — tor1 is 32GFC but `tor1`'s ports are Ethernet only".to_string(),
                "tor1".to_string(),
                json!({"load": 3.2e9, "capacity": null, "unit": "B/s", "count": 1.0,
                       "medium": "Fibre Channel", "port-medium": "Ethernet"}),
            ),
        ]
    );
    assert_eq!(messages(&fixture("link-speed", "clean"), "link-speed"), []);
}

#[test]
fn link_speed_on_a_part_looks_at_that_parts_ports_only() {
    let base = "server s1 {\n  nic nic0 { ports 2 x 25GbE }\n  nic nic1 { ports 2 x 100GbE }\n}\n\
                switch sp1 { ports 32 x 100GbE }\n";
    // The device as a whole has a 100GbE port: fine.
    let whole = format!("{base}link s1 to sp1 {{ speed 100GbE }}\n");
    assert_eq!(
        messages(&check_sources(&[("t.topo", &whole)]), "link-speed"),
        []
    );
    let on_nic0 = format!("{base}link s1.nic0 to sp1 {{ speed 100GbE }}\n");
    assert_eq!(
        messages(&check_sources(&[("t.topo", &on_nic0)]), "link-speed"),
        [(
            E,
            "link s1.nic0 — sp1 is 100GbE but `s1.nic0`'s ports are at most 25GbE".to_string()
        )]
    );
}

// ---- port-count ------------------------------------------------------

#[test]
fn port_count_more_link_ends_than_ports() {
    let f = found(&fixture("port-count", "fires"), "port-count");
    assert_eq!(
        f,
        [
            (
                E,
                "50 links end on `leaf1`, which has 48 ports".to_string(),
                "leaf1".to_string(),
                json!({"load": 50.0, "capacity": 48.0, "unit": "ports",
                       "percent": 104.166666667, "medium": null, "end": "leaf1"}),
            ),
            (
                E,
                "3 links end on `big1.nic0`, which has 2 ports".to_string(),
                "big1".to_string(),
                json!({"load": 3.0, "capacity": 2.0, "unit": "ports", "percent": 150.0,
                       "medium": null, "end": "big1.nic0"}),
            ),
            (
                E,
                "3 Fibre Channel links end on `san1`, which has 2 Fibre Channel ports".to_string(),
                "san1".to_string(),
                json!({"load": 3.0, "capacity": 2.0, "unit": "ports", "percent": 150.0,
                       "medium": "Fibre Channel", "end": "san1"}),
            ),
        ]
    );
    assert_eq!(messages(&fixture("port-count", "clean"), "port-count"), []);
}

#[test]
fn port_count_counts_each_cable_of_a_lag() {
    let base = "switch a { ports 4 x 100GbE }\nswitch b { ports 4 x 100GbE }\n";
    let four = format!("{base}link a to b {{ speed 100GbE; count 4 }}\n");
    assert_eq!(
        messages(&check_sources(&[("t.topo", &four)]), "port-count"),
        []
    );
    let five = format!("{base}link a to b {{ speed 100GbE; count 5 }}\n");
    assert_eq!(
        messages(&check_sources(&[("t.topo", &five)]), "port-count"),
        [
            (E, "5 links end on `a`, which has 4 ports".to_string()),
            (E, "5 links end on `b`, which has 4 ports".to_string()),
        ]
    );
}
