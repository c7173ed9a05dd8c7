//! Every preset's figure against the hardware facts, and the messages for
//! uses that are refused.

use super::*;
use crate::model::units::{BytesPerSecond, TransfersPerSecond};

fn close(actual: f64, expected: f64) -> bool {
    ((actual - expected) / expected).abs() < 1e-9
}

/// The bandwidth of `name` with `lanes`, in B/s.
fn bw(name: &str, lanes: Option<u32>) -> f64 {
    let p = bus_preset(name).unwrap_or_else(|| panic!("no preset {name}"));
    bus_bandwidth(p, lanes, None)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .get()
}

macro_rules! assert_bw {
    ($name:expr, $lanes:expr, $expected:expr) => {{
        let lanes: Option<u32> = $lanes;
        let (a, e): (f64, f64) = (bw($name, lanes), $expected);
        assert!(close(a, e), "{} {lanes:?} = {a}, expected {e}", $name);
    }};
}

fn upi(rate_gts: Option<f64>) -> Result<BytesPerSecond, PresetError> {
    bus_bandwidth(
        bus_preset("upi").unwrap(),
        None,
        rate_gts.map(|r| TransfersPerSecond::new(r * 1e9)),
    )
}

#[test]
fn pcie_generations() {
    assert_bw!("pcie1", Some(1), 250e6);
    assert_bw!("pcie1", Some(16), 4e9);
    assert_bw!("pcie2", Some(1), 500e6);
    assert_bw!("pcie2", Some(8), 4e9);
    assert_bw!("pcie3", Some(1), 8e9 * 128.0 / 130.0 / 8.0);
    assert_bw!("pcie3", Some(1), 984_615_384.615_384_6);
    assert!((bw("pcie3", Some(8)) - 7.876_923_076_923e9).abs() < 1e3);
    assert!((bw("pcie3", Some(16)) - 15.753_846_153_846e9).abs() < 1e3);
    assert_bw!("pcie4", Some(1), 16e9 * 128.0 / 130.0 / 8.0);
    assert!((bw("pcie4", Some(16)) - 31.507_692_307_692e9).abs() < 1e3);
    assert!((bw("pcie5", Some(16)) - 63.015_384_615_385e9).abs() < 1e3);
    assert_bw!("pcie6", Some(1), 7.5625e9);
    assert_bw!("pcie6", Some(16), 121e9);
}

#[test]
fn pcie_all_widths() {
    for gen in ["pcie1", "pcie2", "pcie3", "pcie4", "pcie5", "pcie6"] {
        let one = bw(gen, Some(1));
        for n in [1, 2, 4, 8, 12, 16, 32] {
            assert!(close(bw(gen, Some(n)), one * n as f64), "{gen} x{n}");
        }
    }
}

#[test]
fn pcie_lane_errors() {
    let p = bus_preset("pcie4").unwrap();
    let e = bus_bandwidth(p, None, None).unwrap_err();
    assert_eq!(
        e,
        PresetError::MissingLanes {
            message: "pcie4 needs a lane width (x1, x2, x4, x8, x12, x16, x32)".into()
        }
    );
    assert_eq!(
        e.to_string(),
        "pcie4 needs a lane width (x1, x2, x4, x8, x12, x16, x32)"
    );
    for bad in [0, 3, 6, 64] {
        let e = bus_bandwidth(p, Some(bad), None).unwrap_err();
        assert!(matches!(e, PresetError::InvalidLanes { .. }), "x{bad}");
        assert!(e.message().contains(&format!("x{bad}")), "{e}");
        assert!(
            e.message().contains("x1, x2, x4, x8, x12, x16 or x32"),
            "{e}"
        );
    }
    assert_eq!(p.default_bandwidth(), None);
}

#[test]
fn dmi() {
    assert_bw!("dmi2", None, 2.0e9);
    assert_bw!("dmi3", None, 4.0 * 8e9 * 128.0 / 130.0 / 8.0);
    assert!((bw("dmi3", None) - 3.938_461_538_5e9).abs() < 1e3);
    assert!((bw("dmi4", None) - 15.753_846_153_8e9).abs() < 1e3);
    // DMI 2.0 comes only in four lanes.
    let e = bus_bandwidth(bus_preset("dmi2").unwrap(), Some(8), None).unwrap_err();
    assert_eq!(
        e,
        PresetError::LanesNotAllowed {
            message: "dmi2 has a fixed width of 4 lanes; remove x8".into()
        }
    );
    // DMI 3.0 and 4.0 come in four or eight.
    let e = bus_bandwidth(bus_preset("dmi3").unwrap(), Some(16), None).unwrap_err();
    assert_eq!(
        e,
        PresetError::InvalidLanes {
            message: "dmi3 does not come in x16; use x4 or x8".into()
        }
    );
}

#[test]
fn sata() {
    assert_bw!("sata1", None, 150e6);
    assert_bw!("sata2", None, 300e6);
    assert_bw!("sata3", None, 600e6);
    let e = bus_bandwidth(bus_preset("sata3").unwrap(), Some(1), None).unwrap_err();
    assert_eq!(
        e,
        PresetError::LanesNotAllowed {
            message: "sata3 takes no lane width; remove x1".into()
        }
    );
}

#[test]
fn sas() {
    assert_bw!("sas1", None, 300e6);
    assert_bw!("sas2", None, 600e6);
    assert_bw!("sas3", None, 1200e6);
    assert_bw!("sas4", None, 2.4e9);
    assert_bw!("sas3", Some(1), 1200e6);
    assert_bw!("sas3", Some(2), 2400e6);
    assert_bw!("sas3", Some(4), 4800e6);
    assert_bw!("sas3", Some(8), 9600e6);
    assert_bw!("sas4", Some(4), 9.6e9);
    let e = bus_bandwidth(bus_preset("sas3").unwrap(), Some(16), None).unwrap_err();
    assert!(matches!(e, PresetError::InvalidLanes { .. }));
    assert!(e.message().contains("x1, x2, x4 or x8"), "{e}");
}

#[test]
fn fibre_channel() {
    assert_bw!("fc8", None, 800e6);
    assert_bw!("fc16", None, 1600e6);
    assert_bw!("fc32", None, 3200e6);
    assert_bw!("fc64", None, 6400e6);
    let e = bus_bandwidth(bus_preset("fc32").unwrap(), Some(2), None).unwrap_err();
    assert!(matches!(e, PresetError::LanesNotAllowed { .. }));
}

#[test]
fn upi_rates() {
    assert!(close(upi(None).unwrap().get(), 20.8e9));
    assert!(close(upi(Some(10.4)).unwrap().get(), 20.8e9));
    assert!(close(upi(Some(11.2)).unwrap().get(), 22.4e9));
    assert!(close(upi(Some(16.0)).unwrap().get(), 32e9));
    assert!(close(upi(Some(20.0)).unwrap().get(), 40e9));
    let e = upi(Some(12.0)).unwrap_err();
    assert_eq!(
        e,
        PresetError::InvalidRate {
            message: "upi runs at 9.6, 10.4, 11.2, 12.8, 14.4, 16, 20 or 24 GT/s, not 12 GT/s"
                .into()
        }
    );
    let p = bus_preset("upi").unwrap();
    assert!(matches!(
        bus_bandwidth(p, Some(2), None),
        Err(PresetError::LanesNotAllowed { .. })
    ));
    assert_eq!(p.default_rate(), Some(TransfersPerSecond::new(10.4e9)));
    assert!(p.takes_rate());
    assert!(!p.takes_lanes());
}

#[test]
fn only_upi_takes_a_rate() {
    let r = Some(TransfersPerSecond::new(16e9));
    for p in bus_presets() {
        let lanes = match p.lanes {
            LaneRule::Required(_) => Some(4),
            _ => None,
        };
        let result = bus_bandwidth(p, lanes, r);
        if p.name == "upi" {
            assert!(result.is_ok());
        } else {
            let e = result.unwrap_err();
            assert!(
                matches!(e, PresetError::RateNotAllowed { .. }),
                "{}",
                p.name
            );
            assert!(e.message().contains("only upi"), "{e}");
        }
    }
}

#[test]
fn ddr4_channels() {
    for (name, mts) in [
        ("ddr4-1600", 1600.0),
        ("ddr4-1866", 1866.0),
        ("ddr4-2133", 2133.0),
        ("ddr4-2400", 2400.0),
        ("ddr4-2666", 2666.0),
        ("ddr4-2933", 2933.0),
        ("ddr4-3200", 3200.0),
    ] {
        assert_bw!(name, None, mts * 1e6 * 8.0);
    }
    assert_bw!("ddr4-1600", None, 12.8e9);
    assert_bw!("ddr4-2400", None, 19.2e9);
    assert_bw!("ddr4-2933", None, 23.464e9);
    assert_bw!("ddr4-3200", None, 25.6e9);
}

#[test]
fn ddr5_channels() {
    for (name, mts) in [
        ("ddr5-4800", 4800.0),
        ("ddr5-5200", 5200.0),
        ("ddr5-5600", 5600.0),
        ("ddr5-6000", 6000.0),
        ("ddr5-6400", 6400.0),
    ] {
        assert_bw!(name, None, mts * 1e6 * 8.0);
    }
    assert_bw!("ddr5-4800", None, 38.4e9);
    assert_bw!("ddr5-5600", None, 44.8e9);
    assert_bw!("ddr5-6400", None, 51.2e9);
    // One 32-bit subchannel is half the channel.
    let p = bus_preset("ddr5-4800").unwrap();
    assert!(close(p.per_lane().get(), 19.2e9));
    let e = bus_bandwidth(p, Some(2), None).unwrap_err();
    assert!(matches!(e, PresetError::LanesNotAllowed { .. }));
}

#[test]
fn memory_presets() {
    let names: Vec<_> = memory_preset_names().collect();
    assert_eq!(names.len(), 20);
    assert!(names.iter().all(|n| n.starts_with("ddr")));
    assert!(names.contains(&"ddr4-3200"));
    assert!(names.contains(&"ddr5-6400"));
    let p = memory_preset("ddr4-3200").unwrap();
    assert!(close(p.default_bandwidth().unwrap().get(), 25.6e9));
    assert!(memory_preset("pcie4").is_none());
    assert!(memory_preset("ddr3-1600").is_none());
}

#[test]
fn lookup_and_names() {
    let names: Vec<_> = bus_preset_names().collect();
    assert_eq!(names.len(), 43);
    for n in &names {
        assert_eq!(bus_preset(n).unwrap().name, *n);
    }
    let mut sorted = names.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), names.len(), "duplicate preset names");
    assert!(bus_preset("PCIe4").is_none());
    assert!(bus_preset("pcie7").is_none());
    assert!(bus_preset("").is_none());
    assert_eq!(bus_preset("sas4").unwrap().family, BusFamily::Sas);
    assert_eq!(bus_preset("fc64").unwrap().family, BusFamily::Fc);
    assert_eq!(bus_preset("dmi2").unwrap().family, BusFamily::Dmi);
}

#[test]
fn every_preset_has_a_positive_figure_and_a_description() {
    for p in bus_presets() {
        let lanes = match p.lanes {
            LaneRule::Required(w) => Some(w[0]),
            _ => None,
        };
        let b = bus_bandwidth(p, lanes, None).unwrap();
        assert!(b.get() > 0.0 && b.get().is_finite(), "{}", p.name);
        assert!(p.per_lane().get() > 0.0);
        assert!(p.describe().starts_with(p.title), "{}", p.describe());
    }
}

#[test]
fn table_keeps_raw_rate_and_encoding() {
    let p = bus_preset("pcie3").unwrap();
    assert_eq!(p.raw_rate(), Some(TransfersPerSecond::new(8e9)));
    assert_eq!(p.encoding().unwrap().name, "128b/130b");
    assert!(close(p.encoding().unwrap().efficiency(), 128.0 / 130.0));
    assert!(close(p.per_lane().get(), 984_615_384.615_384_6));
    assert_eq!(bus_preset("fc32").unwrap().raw_rate(), None);
    assert_eq!(bus_preset("fc32").unwrap().encoding(), None);
    assert_eq!(
        bus_preset("sas4").unwrap().raw_rate(),
        Some(TransfersPerSecond::new(22.5e9))
    );
}

#[test]
fn descriptions() {
    let d = |n: &str| bus_preset(n).unwrap().describe();
    assert_eq!(d("pcie3"), "PCIe 3.0, 8 GT/s per lane, 128b/130b");
    assert_eq!(d("pcie1"), "PCIe 1.x, 2.5 GT/s per lane, 8b/10b");
    assert_eq!(
        d("pcie6"),
        "PCIe 6.0, 64 GT/s per lane (PAM4), FLIT 242/256"
    );
    assert_eq!(d("dmi2"), "DMI 2.0, 4 lanes at 5 GT/s, 8b/10b");
    assert_eq!(
        d("dmi3"),
        "DMI 3.0, x4 (or x8) at 8 GT/s per lane, 128b/130b"
    );
    assert_eq!(
        d("dmi4"),
        "DMI 4.0, x8 (or x4) at 16 GT/s per lane, 128b/130b"
    );
    assert_eq!(d("sata3"), "SATA 3, 6 Gb/s, 8b/10b");
    assert_eq!(d("sata1"), "SATA 1, 1.5 Gb/s, 8b/10b");
    assert_eq!(d("sas3"), "SAS-3, 12 Gb/s per lane, 8b/10b");
    assert_eq!(d("sas4"), "SAS-4 (24G), 22.5 Gb/s per lane, 128b/150b");
    assert_eq!(d("fc32"), "Fibre Channel 32GFC, 3.20 GB/s per port");
    assert_eq!(d("ddr4-3200"), "DDR4-3200, 3200 MT/s, 64-bit channel");
    assert_eq!(
        d("ddr5-4800"),
        "DDR5-4800, 4800 MT/s, 2 \u{d7} 32-bit subchannels"
    );
    assert_eq!(
        d("upi"),
        "Intel UPI, 10.4 GT/s (or 9.6, 11.2, 12.8, 14.4, 16, 20 or 24 GT/s), 2 bytes per transfer"
    );
}

#[test]
fn labels() {
    let p = |n: &str| bus_preset(n).unwrap();
    assert_eq!(label(p("pcie3"), Some(8)), "pcie3 x8");
    assert_eq!(label(p("dmi3"), None), "dmi3");
    assert_eq!(label(p("sas3"), Some(4)), "sas3 x4");
    assert_eq!(label(p("ddr4-3200"), None), "ddr4-3200");
    assert_eq!(
        label_with_rate(p("upi"), None, Some(TransfersPerSecond::new(11.2e9))),
        "upi 11.2 GT/s"
    );
    assert_eq!(
        label_with_rate(p("upi"), None, Some(TransfersPerSecond::new(16e9))),
        "upi 16 GT/s"
    );
    assert_eq!(label(p("upi"), None), "upi");
}

#[test]
fn display_of_preset_figures() {
    let show = |n: &str, l: Option<u32>| BytesPerSecond::new(bw(n, l)).to_string();
    assert_eq!(show("pcie3", Some(8)), "7.88 GB/s");
    assert_eq!(show("pcie6", Some(16)), "121 GB/s");
    assert_eq!(show("sata3", None), "600 MB/s");
    assert_eq!(show("dmi3", None), "3.94 GB/s");
    assert_eq!(show("ddr4-3200", None), "25.6 GB/s");
    assert_eq!(show("ddr4-2933", None), "23.5 GB/s");
}

// v2 rows (hardware facts, "v2 additions"): each against its published figure.

#[test]
fn dmi3_x8_is_z590s_eight_lanes() {
    // 8 × 984.6 MB/s ≈ 7.88 GB/s.
    assert_bw!("dmi3", Some(8), 7_876_923_076.923_077);
    assert_bw!("dmi3", Some(8), 8.0 * 984_615_384.615_384_6);
    assert_bw!("dmi3", Some(4), 3_938_461_538.461_538_5);
    assert_eq!(
        BytesPerSecond::new(bw("dmi3", Some(8))).to_string(),
        "7.88 GB/s"
    );
}

#[test]
fn dmi4_x4_is_b660s_four_lanes() {
    // 4 × 1.969 GB/s ≈ 7.88 GB/s.
    assert_bw!("dmi4", Some(4), 7_876_923_076.923_077);
    assert_bw!("dmi4", Some(8), 15_753_846_153.846_154);
    assert_bw!("dmi4", None, 15_753_846_153.846_154);
    assert_eq!(
        BytesPerSecond::new(bw("dmi4", Some(4))).to_string(),
        "7.88 GB/s"
    );
}

#[test]
fn pcie_x12_every_generation() {
    assert_bw!("pcie1", Some(12), 3e9);
    assert_bw!("pcie2", Some(12), 6e9);
    assert_bw!("pcie3", Some(12), 11_815_384_615.384_615);
    assert_bw!("pcie4", Some(12), 23_630_769_230.769_23);
    assert_bw!("pcie5", Some(12), 47_261_538_461.538_46);
    assert_bw!("pcie6", Some(12), 90.75e9);
}

#[test]
fn pcie_x32_every_generation() {
    assert_bw!("pcie1", Some(32), 8e9);
    assert_bw!("pcie2", Some(32), 16e9);
    assert_bw!("pcie3", Some(32), 31_507_692_307.692_31);
    assert_bw!("pcie4", Some(32), 63_015_384_615.384_62);
    assert_bw!("pcie5", Some(32), 126_030_769_230.769_23);
    assert_bw!("pcie6", Some(32), 242e9);
}

#[test]
fn fc10_carries_1200_mb_per_second() {
    // 10.52 Gbaud, 64b/66b: 1200 MB/s, not 10 × 100 MB/s.
    assert_bw!("fc10", None, 1200e6);
    assert_eq!(
        bus_preset("fc10").unwrap().describe(),
        "Fibre Channel 10GFC, 1.20 GB/s per port"
    );
}

#[test]
fn fc128_carries_12800_mb_per_second() {
    assert_bw!("fc128", None, 12_800e6);
    assert_eq!(bus_preset("fc128").unwrap().family, BusFamily::Fc);
}

#[test]
fn upi_every_rate() {
    // 2 B × rate per link.
    for (gts, bytes) in [
        (9.6, 19.2e9),
        (10.4, 20.8e9),
        (11.2, 22.4e9),
        (12.8, 25.6e9),
        (14.4, 28.8e9),
        (16.0, 32e9),
        (20.0, 40e9),
        (24.0, 48e9),
    ] {
        let got = upi(Some(gts)).unwrap().get();
        assert!(
            close(got, bytes),
            "upi {gts} GT/s = {got}, expected {bytes}"
        );
    }
}

fn upi_links(gts: Option<f64>, links: u32) -> Result<BytesPerSecond, PresetError> {
    bus_bandwidth_links(
        bus_preset("upi").unwrap(),
        None,
        gts.map(|r| TransfersPerSecond::new(r * 1e9)),
        Some(links),
    )
}

#[test]
fn upi_links_multiply() {
    assert!(close(upi_links(None, 1).unwrap().get(), 20.8e9));
    assert!(close(upi_links(Some(11.2), 2).unwrap().get(), 44.8e9));
    assert!(close(upi_links(Some(16.0), 3).unwrap().get(), 96e9));
    assert!(close(upi_links(Some(24.0), 4).unwrap().get(), 192e9));
    for bad in [0, 5] {
        assert_eq!(
            upi_links(Some(16.0), bad).unwrap_err(),
            PresetError::InvalidLinks {
                message: format!("upi joins two sockets with 1 to 4 links, not {bad}")
            }
        );
    }
    let e = bus_bandwidth_links(bus_preset("pcie4").unwrap(), Some(4), None, Some(2));
    assert_eq!(
        e.unwrap_err(),
        PresetError::InvalidLinks {
            message: "pcie4 takes no `links 2`; only upi does".into()
        }
    );
    assert_eq!(
        label_with_links(
            bus_preset("upi").unwrap(),
            None,
            Some(TransfersPerSecond::new(16e9)),
            Some(2)
        ),
        "upi 16 GT/s links 2"
    );
}

#[test]
fn ddr5_v2_speeds_every_row() {
    // 8 B × MT/s per channel, DDR5-4000 .. DDR5-8800 in steps of 400.
    for (name, bytes) in [
        ("ddr5-4000", 32.0e9),
        ("ddr5-4400", 35.2e9),
        ("ddr5-4800", 38.4e9),
        ("ddr5-5200", 41.6e9),
        ("ddr5-5600", 44.8e9),
        ("ddr5-6000", 48.0e9),
        ("ddr5-6400", 51.2e9),
        ("ddr5-6800", 54.4e9),
        ("ddr5-7200", 57.6e9),
        ("ddr5-7600", 60.8e9),
        ("ddr5-8000", 64.0e9),
        ("ddr5-8400", 67.2e9),
        ("ddr5-8800", 70.4e9),
    ] {
        assert_bw!(name, None, bytes);
        assert!(memory_preset(name).is_some(), "{name}");
    }
    assert!(memory_preset("ddr5-3600").is_none());
    assert!(memory_preset("ddr5-9200").is_none());
    assert!(memory_preset("ddr5-4200").is_none());
}

#[test]
fn dimms_per_channel_by_generation() {
    let max = |n: &str| bus_preset(n).unwrap().max_dimms_per_channel();
    assert_eq!(max("ddr4-3200"), Some(3));
    assert_eq!(max("ddr4-1600"), Some(3));
    assert_eq!(max("ddr5-4400"), Some(2));
    assert_eq!(max("ddr5-8800"), Some(2));
    assert_eq!(max("pcie4"), None);
    assert_eq!(bus_preset("ddr5-6400").unwrap().generation(), Some("DDR5"));
}
