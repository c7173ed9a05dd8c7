//! Hardware truth (v2, issue 20): the new bus and memory presets as
//! written in a file, and what cannot be built (LANGUAGE.md §2, "v2 —
//! plausibility") as an `invalid-value` error at what was written. Each
//! situation has a failing fixture and its passing twin; the preset rows
//! themselves are tested against their published figures in
//! src/model/presets/tests.rs.

use serde_json::{json, Value};
use topo::check::{check_sources, Checked};
use topo::model::{Element, PartKind, Project};

fn check(text: &str) -> Checked {
    let checked = check_sources(&[("hw.topo", text)]);
    assert!(checked.unreadable.is_empty());
    checked
}

/// Every error: (rule, line, column, message).
fn errors(text: &str) -> Vec<(String, usize, usize, String)> {
    let checked = check(text);
    checked
        .diagnostics
        .iter()
        .filter(|d| d.severity == topo::diagnostic::Severity::Error)
        .map(|d| {
            let (line, column) = checked.sources.get(d.span.file).line_col(d.span.start);
            (d.rule.to_string(), line, column, d.message.clone())
        })
        .collect()
}

/// The one error of `text`, with its help.
fn one_error(text: &str) -> (String, usize, usize, String) {
    let mut all = errors(text);
    assert_eq!(all.len(), 1, "{text}\n{all:#?}");
    all.remove(0)
}

fn invalid(line: usize, column: usize, message: &str) -> (String, usize, usize, String) {
    (
        "invalid-value".to_string(),
        line,
        column,
        message.to_string(),
    )
}

fn assert_clean(text: &str) -> Project {
    let checked = check(text);
    let errors: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.severity == topo::diagnostic::Severity::Error)
        .map(|d| d.message.clone())
        .collect();
    assert!(errors.is_empty(), "{text}\n{errors:#?}");
    checked.project
}

/// The bus bandwidth (B/s) and label of part `part` in device `device`.
fn bus_of(p: &Project, device: &str, part: &str) -> (f64, String) {
    let Some(Element::Device(d)) = p.element(device) else {
        panic!("no device {device}");
    };
    let internals = &p.devices[d.index()].internals;
    let part = &internals.parts[internals.by_name[part]];
    if let PartKind::Cpu(cpu) = &part.kind {
        if let Some(link) = &cpu.socket_link {
            return (link.spec.bandwidth.get(), link.spec.label.clone());
        }
    }
    let bus = part.bus.as_ref().expect("a bus");
    (bus.spec.bandwidth.get(), bus.spec.label.clone())
}

fn close(a: f64, e: f64) -> bool {
    ((a - e) / e).abs() < 1e-9
}

fn server(parts: &str) -> String {
    format!("site lab\nserver s {{\n  site lab\n  cpu cpu0 {{ cores 8 }}\n{parts}}}\n")
}

// --- the new presets, as written in a file ------------------------------

#[test]
fn new_bus_presets_lower_with_their_figures() {
    let text = server(
        "  cpu cpu1 { cores 8; bus upi 24GT/s links 2 to cpu0 }
  chipset pch { bus dmi3 x8 to cpu0 }
  chipset pch2 { bus dmi4 x4 to cpu0 }
  card gpu0 { bus pcie5 x32 to cpu0 }
  card acc0 { bus pcie4 x12 to cpu0 }
  hba fc0 { ports 2 x 128GFC; bus fc128 to pch }
  hba fc1 { ports 2 x 10GFC; bus fc10 to pch }
",
    );
    let p = assert_clean(&text);
    let expect = [
        ("cpu1", 96e9, "upi 24 GT/s links 2"),
        ("pch", 7_876_923_076.923_077, "dmi3 x8"),
        ("pch2", 7_876_923_076.923_077, "dmi4 x4"),
        ("gpu0", 126_030_769_230.769_23, "pcie5 x32"),
        ("acc0", 23_630_769_230.769_23, "pcie4 x12"),
        ("fc0", 12.8e9, "fc128"),
        ("fc1", 1.2e9, "fc10"),
    ];
    for (part, bytes, label) in expect {
        let (bw, l) = bus_of(&p, "s", part);
        assert!(close(bw, bytes), "{part}: {bw} != {bytes}");
        assert_eq!(l, label);
    }
}

#[test]
fn ten_gfc_ports_carry_1200_mb_per_second() {
    let p = assert_clean(&server("  hba fc1 { ports 2 x 10GFC; bus fc10 to cpu0 }\n"));
    let Some(Element::Device(d)) = p.element("s") else {
        panic!()
    };
    let internals = &p.devices[d.index()].internals;
    let PartKind::Hba { ports: Some(ports) } = &internals.parts[internals.by_name["fc1"]].kind
    else {
        panic!("no ports");
    };
    let group = ports.value.groups().next().unwrap();
    assert!(close(group.speed.get(), 1.2e9));
    assert_eq!(group.speed_label(), "10GFC");
}

#[test]
fn ddr5_4400_lowers() {
    assert_clean(&server(
        "  cpu cpu1 { cores 8; memory ddr5-4400 { channels 8; dimms 2 2 2 2 2 2 2 2; dimm-size 32GB } }\n",
    ));
    assert_clean(&server(
        "  cpu cpu1 { cores 8; memory ddr5-8800 { channels 2; dimms 1 1; dimm-size 32GB } }\n",
    ));
}

#[test]
fn upi_link_counts_outside_one_to_four_are_refused() {
    let text = server("  cpu cpu1 { cores 8; bus upi 16GT/s links 5 to cpu0 }\n");
    assert_eq!(
        one_error(&text),
        invalid(5, 27, "upi joins two sockets with 1 to 4 links, not 5")
    );
    let text = server("  cpu cpu1 { cores 8; bus upi links 0 to cpu0 }\n");
    assert_eq!(
        one_error(&text),
        invalid(5, 27, "upi joins two sockets with 1 to 4 links, not 0")
    );
    let text = server("  card gpu0 { bus pcie4 x16 links 2 to cpu0 }\n");
    assert_eq!(
        one_error(&text),
        invalid(5, 19, "pcie4 takes no `links 2`; only upi does")
    );
    let text = server("  cpu cpu1 { cores 8; bus upi 12GT/s to cpu0 }\n");
    assert_eq!(
        one_error(&text),
        invalid(
            5,
            27,
            "upi runs at 9.6, 10.4, 11.2, 12.8, 14.4, 16, 20 or 24 GT/s, not 12 GT/s"
        )
    );
}

#[test]
fn widths_still_refused() {
    assert_eq!(
        one_error(&server("  chipset pch { bus dmi3 x16 to cpu0 }\n")),
        invalid(5, 21, "dmi3 does not come in x16; use x4 or x8")
    );
    assert_eq!(
        one_error(&server("  chipset pch { bus dmi2 x8 to cpu0 }\n")),
        invalid(5, 21, "dmi2 has a fixed width of 4 lanes; remove x8")
    );
    assert_eq!(
        one_error(&server("  card gpu0 { bus pcie4 x64 to cpu0 }\n")),
        invalid(
            5,
            19,
            "pcie4 does not come in x64; use x1, x2, x4, x8, x12, x16 or x32"
        )
    );
}

// --- what cannot be built ----------------------------------------------

#[test]
fn nvme_on_sata_is_an_error() {
    let text = server(
        "  chipset pch { bus dmi3 to cpu0 }
  disk boot0 { nvme; throughput 3.5GB/s; bus sata3 to pch }
",
    );
    assert_eq!(
        one_error(&text),
        invalid(
            6,
            42,
            "`boot0` is a disk marked `nvme`: an NVMe drive does not fit a SATA bus (`sata3`)"
        )
    );
    // interface-cap does not report the refused bus a second time.
    assert!(!check(&text)
        .diagnostics
        .iter()
        .any(|d| d.rule == "interface-cap"));
    // Passing twin: the NVMe drive on PCIe, an SSD on SATA.
    assert_clean(&server(
        "  chipset pch { bus dmi3 to cpu0 }
  disk boot0 { nvme; throughput 3.5GB/s; bus pcie4 x4 to cpu0 }
  disk boot1 { ssd; throughput 550MB/s; bus sata3 to pch }
",
    ));
}

#[test]
fn nvme_on_sas_is_an_error() {
    let text = server("  disk d0 { nvme; bus sas4 x2 to cpu0 }\n");
    assert_eq!(
        one_error(&text),
        invalid(
            5,
            19,
            "`d0` is a disk marked `nvme`: an NVMe drive does not fit a SAS bus (`sas4 x2`)"
        )
    );
    assert_clean(&server("  disk d0 { ssd; bus sas4 x2 to cpu0 }\n"));
}

#[test]
fn nvme_medium_from_the_model_on_a_device_bus_override() {
    // The medium comes from the model, the bus from the device.
    let text = "site lab
model m { cpu cpu0 { cores 8 }; disk d0 { nvme; bus pcie4 x4 to cpu0 } }
server s : m { site lab; disk d0 { bus sata3 to cpu0 } }
";
    assert_eq!(
        one_error(text),
        invalid(
            3,
            36,
            "`d0` is a disk marked `nvme`: an NVMe drive does not fit a SATA bus (`sata3`)"
        )
    );
}

#[test]
fn nic_with_fibre_channel_ports_is_an_error() {
    let text = server("  nic nic0 { ports 2 x 25GbE 2 x 32GFC; bus pcie4 x8 to cpu0 }\n");
    assert_eq!(
        one_error(&text),
        invalid(
            5,
            34,
            "a NIC has Ethernet ports, not Fibre Channel: `32GFC` is a Fibre Channel speed"
        )
    );
    assert_clean(&server(
        "  nic nic0 { ports 2 x 25GbE 2 x 100GbE; bus pcie4 x8 to cpu0 }\n",
    ));
}

#[test]
fn hba_with_ethernet_ports_is_an_error() {
    let text = server("  hba hba0 { ports 2 x 25GbE; bus pcie4 x8 to cpu0 }\n");
    assert_eq!(
        one_error(&text),
        invalid(
            5,
            24,
            "an HBA has Fibre Channel ports, not Ethernet: `25GbE` is an Ethernet speed"
        )
    );
    assert_clean(&server(
        "  hba hba0 { ports 2 x 32GFC; bus pcie4 x8 to cpu0 }\n",
    ));
}

#[test]
fn only_a_cpu_sits_on_upi() {
    let text = server("  card gpu0 { throughput 64GB/s; bus upi to cpu0 }\n");
    assert_eq!(
        one_error(&text),
        invalid(
            5,
            34,
            "`gpu0` is a card: only a CPU sits on a `upi` bus, the link between two sockets"
        )
    );
    assert_clean(&server(
        "  cpu cpu1 { cores 8; bus upi to cpu0 }\n  card gpu0 { throughput 64GB/s; bus pcie5 x16 to cpu1 }\n",
    ));
}

#[test]
fn nothing_hangs_off_a_memory_channel() {
    let text = server("  card gpu0 { bus ddr5-4800 to cpu0 }\n");
    assert_eq!(
        one_error(&text),
        invalid(
            5,
            15,
            "`gpu0` is a card: nothing hangs off a memory channel (`ddr5-4800`)"
        )
    );
    let text = server("  nic nic0 { ports 2 x 25GbE; bus ddr4-3200 to cpu0 }\n");
    assert_eq!(
        one_error(&text),
        invalid(
            5,
            31,
            "`nic0` is a nic: nothing hangs off a memory channel (`ddr4-3200`)"
        )
    );
    assert_clean(&server("  card gpu0 { bus pcie5 x16 to cpu0 }\n"));
}

fn memory(preset: &str, channels: u32, dimms: &str) -> String {
    server(&format!(
        "  cpu cpu1 {{ cores 8; memory {preset} {{ channels {channels}; dimms {dimms}; dimm-size 32GB }} }}\n"
    ))
}

#[test]
fn three_ddr5_dimms_on_a_channel_is_an_error() {
    let text = memory("ddr5-4800", 4, "2 3 2 2");
    assert_eq!(
        one_error(&text),
        invalid(
            5,
            62,
            "3 DDR5 DIMMs on channel 2 of 4: DDR5 takes at most 2 per channel"
        )
    );
    let d = check(&text)
        .diagnostics
        .into_iter()
        .find(|d| d.rule == "invalid-value")
        .unwrap();
    assert_eq!(
        serde_json::to_value(&d.data).unwrap(),
        json!({"dimms": 3, "max": 2, "channel": 2, "channels": 4, "channels_over": 1})
    );
    // Two a channel is what DDR5 takes.
    assert_clean(&memory("ddr5-4400", 4, "2 2 2 2"));
}

#[test]
fn every_ddr5_channel_over_is_counted() {
    let text = memory("ddr5-6400", 2, "3 3");
    assert_eq!(
        one_error(&text),
        invalid(
            5,
            60,
            "3 DDR5 DIMMs on channel 1 of 2: DDR5 takes at most 2 per channel (1 more channel is over too)"
        )
    );
}

#[test]
fn four_ddr4_dimms_on_a_channel_is_an_error() {
    let text = memory("ddr4-3200", 2, "4 1");
    assert_eq!(
        one_error(&text),
        invalid(
            5,
            60,
            "4 DDR4 DIMMs on channel 1 of 2: DDR4 takes at most 3 per channel"
        )
    );
    let d = check(&text)
        .diagnostics
        .into_iter()
        .find(|d| d.rule == "invalid-value")
        .unwrap();
    let data: Value = serde_json::to_value(&d.data).unwrap();
    assert_eq!(data["dimms"], json!(4));
    assert_eq!(data["max"], json!(3));
    // Three a channel is what DDR4 takes.
    assert_clean(&memory("ddr4-3200", 2, "3 3"));
}
