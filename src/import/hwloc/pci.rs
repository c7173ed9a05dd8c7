//! What a PCI function is (from its class code) and which bus carries it
//! (from the link speed hwloc measured).

use crate::model::presets::{bus_bandwidth, bus_preset};

/// What a PCI function becomes, and the stem of its part's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Bridge,
    Nic,
    Controller,
    Card,
}

/// The part keyword and name stem for a PCI class code (`pci_type`'s first
/// field, base class and subclass as four hex digits).
pub(super) fn classify(class: u16) -> (Kind, &'static str) {
    match class >> 8 {
        0x06 if class == 0x0604 || class == 0x0609 => (Kind::Bridge, "bridge"),
        0x01 => (
            Kind::Controller,
            match class {
                0x0101 => "ide",
                0x0104 => "raid",
                0x0106 => "sata",
                0x0107 => "sas",
                0x0108 => "nvme",
                _ => "storage",
            },
        ),
        0x02 => (Kind::Nic, "nic"),
        // InfiniBand and Omni-Path adapters are serial-bus class 0c06.
        0x0c if class == 0x0c06 => (Kind::Nic, "nic"),
        0x03 => (Kind::Card, "gpu"),
        0x12 => (Kind::Card, "accel"),
        _ => (Kind::Card, "card"),
    }
}

/// hwloc's `pci_type`: `0302 [10de:1db8] [10de:131d] a1` (v2 appends the
/// programming interface). The class, then `vendor:device`.
pub(super) fn parse_type(text: &str) -> Option<(u16, &str)> {
    let mut fields = text.split_whitespace();
    let class = u16::from_str_radix(fields.next()?, 16).ok()?;
    let ids = fields.next()?.strip_prefix('[')?.strip_suffix(']')?;
    Some((class, ids))
}

/// The fastest link hwloc can report is PCIe 8.0 x32 (1 TB/s); above it
/// the figure is not a measurement.
const MAX_LINK_GBPS: f64 = 1024.0;

/// A link speed in GB/s as hwloc writes it (`15.753846`); `None` for hwloc's
/// "unknown" (0) and anything that cannot be a link.
pub(super) fn parse_speed(text: &str) -> Option<f64> {
    let v: f64 = text.trim().parse().ok()?;
    (v.is_finite() && v > 0.0 && v <= MAX_LINK_GBPS).then_some(v)
}

/// Widths tried, common ones first so an exact tie never picks x12 or x32.
const WIDTHS: [u32; 7] = [16, 8, 4, 2, 1, 12, 32];
const GENERATIONS: [&str; 6] = ["pcie1", "pcie2", "pcie3", "pcie4", "pcie5", "pcie6"];

/// The bus for a link of `gbps`: every PCIe preset that carries exactly
/// that figure (hwloc prints six decimals of a single-precision float, so
/// "exactly" is within 0.05 %), oldest generation first: the same figure
/// from PCIe 3.0 x16 and PCIe 4.0 x8 is indistinguishable, and the older,
/// wider link is the commoner reading — but never a rare x12 or x32 while
/// a common width fits. Empty when no preset fits.
pub(super) fn presets_for(gbps: f64) -> Vec<(&'static str, u32)> {
    let bytes = gbps * 1e9;
    let mut found = Vec::new();
    for generation in GENERATIONS {
        let Some(preset) = bus_preset(generation) else {
            continue;
        };
        for width in WIDTHS {
            if let Ok(bw) = bus_bandwidth(preset, Some(width), None) {
                if ((bw.get() - bytes) / bw.get()).abs() < 5e-4 {
                    found.push((generation, width));
                }
            }
        }
    }
    found.sort_by_key(|&(_, width)| width == 12 || width == 32);
    found
}

/// A `bus` line's figure: `pcie3 x16`, or `bandwidth 2.5GB/s` when no
/// preset carries it, with the other presets that would fit.
pub(super) fn bus_figure(gbps: f64) -> (String, Vec<String>) {
    let presets = presets_for(gbps);
    match presets.split_first() {
        Some(((g, w), rest)) => (
            format!("{g} x{w}"),
            rest.iter().map(|(g, w)| format!("{g} x{w}")).collect(),
        ),
        None => (format!("bandwidth {}", bandwidth(gbps)), Vec::new()),
    }
}

/// A bandwidth in the largest unit that keeps three significant decimals.
fn bandwidth(gbps: f64) -> String {
    if gbps >= 1.0 {
        format!("{}GB/s", decimal(gbps))
    } else {
        format!("{}MB/s", decimal(gbps * 1000.0))
    }
}

/// Up to three decimals, without float noise or trailing zeros.
pub(super) fn decimal(v: f64) -> String {
    let s = format!("{v:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_speeds_to_presets() {
        // hwloc's figures for the links in its test topologies.
        assert_eq!(presets_for(15.753846)[0], ("pcie3", 16));
        assert!(presets_for(15.753846).contains(&("pcie4", 8)));
        assert_eq!(presets_for(4.0)[0], ("pcie1", 16));
        assert_eq!(presets_for(0.25), vec![("pcie1", 1)]);
        assert_eq!(presets_for(31.507692)[0], ("pcie4", 16));
        assert!(presets_for(31.507692).contains(&("pcie3", 32)));
        assert_eq!(presets_for(121.0)[0], ("pcie6", 16));
        // PCIe 1 x12 is 3 GB/s; nothing is 5.5 GB/s or 0.2 GB/s.
        assert_eq!(presets_for(3.0), vec![("pcie1", 12)]);
        assert!(presets_for(5.5).is_empty());
        assert_eq!(bus_figure(5.5).0, "bandwidth 5.5GB/s");
        assert_eq!(bus_figure(0.2).0, "bandwidth 200MB/s");
        assert_eq!(bus_figure(0.1234).0, "bandwidth 123.4MB/s");
    }

    #[test]
    fn speeds_that_are_not_links() {
        for s in ["0.000000", "-1", "NaN", "inf", "1e9", "x"] {
            assert_eq!(parse_speed(s), None, "{s}");
        }
    }

    #[test]
    fn classes() {
        assert_eq!(classify(0x0604), (Kind::Bridge, "bridge"));
        assert_eq!(classify(0x0108), (Kind::Controller, "nvme"));
        assert_eq!(classify(0x0200), (Kind::Nic, "nic"));
        assert_eq!(classify(0x0302), (Kind::Card, "gpu"));
        assert_eq!(classify(0x0c03), (Kind::Card, "card"));
        assert_eq!(
            parse_type("0302 [10de:1db8] [10de:131d] a1 00"),
            Some((0x0302, "10de:1db8"))
        );
    }
}
