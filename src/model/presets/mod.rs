//! Built-in bus presets (`pcie4 x16`, `dmi3`, `sata3`, `sas3 x4`, `fc32`,
//! `upi 11.2GT/s`, `ddr4-3200`) with the figures of
//! the published specifications: per direction, after line encoding.
//!
//! Every figure is computed from the raw rate, the encoding and the lane
//! count kept in the table, never typed in rounded; the one exception is
//! Fibre Channel, whose standard payload figures (N × 100 MB/s) are stated
//! directly.
//!
//! The table is split by what the presets connect: `bus` holds the links
//! between chips and devices (PCIe, DMI, SATA, SAS, Fibre Channel, UPI),
//! `memory` the DDR memory channels; `bandwidth` turns a row and what is
//! written after its name into a figure.

mod bandwidth;
mod bus;
mod memory;
#[cfg(test)]
mod tests;

use serde::Serialize;

/// The family a bus preset belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum BusFamily {
    Pcie,
    Dmi,
    Sata,
    Sas,
    Fc,
    Upi,
    Ddr,
}

/// A line code: `payload` useful bits out of every `total` bits sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Encoding {
    pub payload: u32,
    pub total: u32,
    /// As usually written: `8b/10b`, `128b/130b`, `FLIT 242/256`.
    pub name: &'static str,
}

impl Encoding {
    /// The useful fraction, e.g. 0.8 for 8b/10b.
    pub fn efficiency(&self) -> f64 {
        self.payload as f64 / self.total as f64
    }
}

/// How a raw rate is usually written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum RateUnit {
    /// `GT/s` (PCIe, DMI, UPI).
    GigatransfersPerSecond,
    /// `Gb/s` (SATA, SAS).
    GigabitsPerSecond,
    /// `MT/s` (DDR).
    MegatransfersPerSecond,
}

impl RateUnit {
    pub fn symbol(&self) -> &'static str {
        match self {
            RateUnit::GigatransfersPerSecond => "GT/s",
            RateUnit::GigabitsPerSecond => "Gb/s",
            RateUnit::MegatransfersPerSecond => "MT/s",
        }
    }

    fn scale(&self) -> f64 {
        match self {
            RateUnit::GigatransfersPerSecond | RateUnit::GigabitsPerSecond => 1e9,
            RateUnit::MegatransfersPerSecond => 1e6,
        }
    }

    /// `8e9` → `"8 GT/s"`, `10.4e9` → `"10.4 GT/s"`.
    pub fn format(&self, per_second: f64) -> String {
        format!("{} {}", per_second / self.scale(), self.symbol())
    }
}

/// How one lane (or channel, or port) carries data.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub enum Signalling {
    /// A serial lane: `rate` bits (transfers) per second on the wire, of
    /// which `encoding` leaves the payload fraction.
    Serial {
        rate: f64,
        unit: RateUnit,
        encoding: Encoding,
        /// E.g. `PAM4` for PCIe 6.0.
        note: Option<&'static str>,
    },
    /// A parallel interface: `width_bits` per transfer at `rate` transfers
    /// per second (DDR channels, UPI links).
    Parallel {
        rate: f64,
        unit: RateUnit,
        width_bits: u32,
    },
    /// A stated payload figure in bytes per second (Fibre Channel).
    Nominal { payload: f64 },
}

/// Which lane widths a preset takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum LaneRule {
    /// A width must be given (PCIe).
    Required(&'static [u32]),
    /// A width may be given (SAS wide ports); `default` otherwise.
    Optional {
        default: u32,
        allowed: &'static [u32],
    },
    /// No width may be given; the preset always has this many lanes (DMI:
    /// 4 or 8 lanes, DDR5: 2 subchannels, everything else 1).
    Fixed(u32),
}

/// One row of the preset table.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BusPreset {
    /// As written in a `bus` line: `pcie4`, `dmi3`, `ddr4-3200`.
    pub name: &'static str,
    pub family: BusFamily,
    /// The standard's name: `PCIe 3.0`, `SAS-4 (24G)`, `DDR4-3200`.
    pub title: &'static str,
    pub signalling: Signalling,
    pub lanes: LaneRule,
    /// Transfer rates that may be chosen, in transfers per second (UPI
    /// only); empty when the rate is fixed. The first is the default and
    /// equals the rate in `signalling`.
    pub rates: &'static [f64],
}

pub use bandwidth::{
    bus_bandwidth, bus_bandwidth_links, label, label_with_links, label_with_rate, PresetError,
};

/// Every row, links first, then memory channels.
fn all_presets() -> impl Iterator<Item = &'static BusPreset> {
    bus::LINKS.iter().chain(memory::DDR)
}

/// Look up a bus preset by name, exactly as written (`pcie4`, `ddr4-3200`).
pub fn bus_preset(name: &str) -> Option<&'static BusPreset> {
    all_presets().find(|p| p.name == name)
}

/// Every bus preset name, for "did you mean" suggestions.
pub fn bus_preset_names() -> impl Iterator<Item = &'static str> {
    all_presets().map(|p| p.name)
}

/// Every bus preset.
pub fn bus_presets() -> impl Iterator<Item = &'static BusPreset> {
    all_presets()
}

/// Look up a memory preset (`memory ddr4-3200 { ... }`): the DDR rows only.
/// Its bandwidth (`bus_bandwidth(p, None, None)`) is per channel.
pub fn memory_preset(name: &str) -> Option<&'static BusPreset> {
    memory::DDR.iter().find(|p| p.name == name)
}

/// Every memory preset name, for "did you mean" suggestions.
pub fn memory_preset_names() -> impl Iterator<Item = &'static str> {
    memory::DDR.iter().map(|p| p.name)
}
