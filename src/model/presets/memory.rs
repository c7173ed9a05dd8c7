//! The DDR memory channels: a DDR4 channel is 64 bits wide, a DDR5 channel
//! two 32-bit subchannels.

use super::{BusFamily, BusPreset, LaneRule, RateUnit, Signalling};

const fn ddr(
    name: &'static str,
    title: &'static str,
    mts: f64,
    width_bits: u32,
    channels: u32,
) -> BusPreset {
    BusPreset {
        name,
        family: BusFamily::Ddr,
        title,
        signalling: Signalling::Parallel {
            rate: mts * 1e6,
            unit: RateUnit::MegatransfersPerSecond,
            width_bits,
        },
        lanes: LaneRule::Fixed(channels),
        rates: &[],
    }
}

const fn ddr4(name: &'static str, title: &'static str, mts: f64) -> BusPreset {
    ddr(name, title, mts, 64, 1)
}

const fn ddr5(name: &'static str, title: &'static str, mts: f64) -> BusPreset {
    ddr(name, title, mts, 32, 2)
}

/// The memory presets: DDR4 then DDR5, each slowest first.
pub(super) static DDR: &[BusPreset] = &[
    ddr4("ddr4-1600", "DDR4-1600", 1600.0),
    ddr4("ddr4-1866", "DDR4-1866", 1866.0),
    ddr4("ddr4-2133", "DDR4-2133", 2133.0),
    ddr4("ddr4-2400", "DDR4-2400", 2400.0),
    ddr4("ddr4-2666", "DDR4-2666", 2666.0),
    ddr4("ddr4-2933", "DDR4-2933", 2933.0),
    ddr4("ddr4-3200", "DDR4-3200", 3200.0),
    ddr5("ddr5-4000", "DDR5-4000", 4000.0),
    ddr5("ddr5-4400", "DDR5-4400", 4400.0),
    ddr5("ddr5-4800", "DDR5-4800", 4800.0),
    ddr5("ddr5-5200", "DDR5-5200", 5200.0),
    ddr5("ddr5-5600", "DDR5-5600", 5600.0),
    ddr5("ddr5-6000", "DDR5-6000", 6000.0),
    ddr5("ddr5-6400", "DDR5-6400", 6400.0),
    ddr5("ddr5-6800", "DDR5-6800", 6800.0),
    ddr5("ddr5-7200", "DDR5-7200", 7200.0),
    ddr5("ddr5-7600", "DDR5-7600", 7600.0),
    ddr5("ddr5-8000", "DDR5-8000", 8000.0),
    ddr5("ddr5-8400", "DDR5-8400", 8400.0),
    ddr5("ddr5-8800", "DDR5-8800", 8800.0),
];

impl BusPreset {
    /// The memory generation as its standard writes it (`DDR4`, `DDR5`),
    /// for DDR presets only.
    pub fn generation(&self) -> Option<&'static str> {
        if self.family != BusFamily::Ddr {
            return None;
        }
        self.title.split('-').next()
    }

    /// How many DIMMs one channel of this memory type takes: DDR4 at most
    /// three, DDR5 at most two (its point-to-point signalling at speed
    /// leaves no room for a third slot).
    pub fn max_dimms_per_channel(&self) -> Option<u32> {
        match self.generation()? {
            "DDR4" => Some(3),
            "DDR5" => Some(2),
            _ => None,
        }
    }
}
