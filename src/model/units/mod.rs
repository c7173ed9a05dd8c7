//! Quantities, units and dimensions of the topo language (`docs/reference.md`, "Units").
//!
//! The lexer hands over a number and the unit string that directly follows it
//! (`30A` is `(30.0, "A")`); [`quantity_from_parts`] recognises the unit and
//! the `Quantity::as_*` methods check the dimension and convert the figure into
//! a typed newtype holding the SI base unit (amps, watts, kilograms, bytes per
//! second, ...).
//!
//! Rules kept here, so that no other module has to remember them:
//! - bits are never bytes: 8 b = 1 B, so 25 Gb/s = 3.125e9 B/s;
//! - `m` is minutes (a duration), never metres;
//! - `KB`, `MB`, ... are decimal (1 KB = 1000 B); `KiB`, `MiB`, ... are binary;
//!   in a DIMM's size (`dimm-size`) `KB` .. `PB` are JEDEC sizes, i.e. binary;
//! - `B` alone is both a size (bytes) and a transfer width (8 bits);
//! - `N GbE` is N Gb/s per direction, for the standard Ethernet speeds only;
//! - `N GFC` is the Fibre Channel payload figure, N × 100 MB/s (10GFC:
//!   1200 MB/s), for the standard speeds only;
//! - 1 lb = 0.45359237 kg exactly;
//! - 1 mi = 1.609344 km exactly;
//! - `VA` (apparent power) is not `W` (real power): W = VA × power factor.

mod display;
mod format;

pub use display::sizes_in_one_unit;
mod quantity;
mod table;
#[cfg(test)]
mod tests;
mod values;

use std::fmt;

use serde::Serialize;

pub use format::{bit_rate, bit_rates_in_one_unit, format_sig3, format_sig3_trim, NOT_FINITE};
pub use quantity::{quantity_from_parts, Draw, FlowRate, Mismatch, Quantity, QuantityError};
pub use table::{
    fibre_channel_payload, parse_unit, unit_symbols, Unit, UnknownUnit, ETHERNET_SPEEDS_GBPS,
    FIBRE_CHANNEL_SPEEDS,
};
pub use values::{
    Amps, Bits, Bytes, BytesPerSecond, Kilograms, Metres, Percent, RackUnits, RequestsPerSecond,
    Seconds, TransfersPerSecond, VoltAmperes, Volts, Watts,
};

/// What a quantity measures. `RateOrBandwidth` and `CurrentOrPower` are only
/// ever *expected* dimensions (a flow's `rate`, a device's `draw`); no unit has
/// them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Dimension {
    RackUnits,
    Current,
    Voltage,
    Power,
    Mass,
    Bandwidth,
    TransferRate,
    Width,
    Size,
    Duration,
    RequestRate,
    Ratio,
    /// A bare number without a unit.
    Count,
    /// Expected only: a request rate or a bandwidth (a flow's `rate`).
    RateOrBandwidth,
    /// Expected only: a current or a power (a device's `draw`).
    CurrentOrPower,
    /// Apparent power: what circuits and breakers are rated in.
    ApparentPower,
    /// A cable's length (a link's `distance`).
    Length,
}

impl Dimension {
    /// A short name: `"power"`, `"rack units"`, `"request rate"`.
    pub fn name(&self) -> &'static str {
        match self {
            Dimension::RackUnits => "rack units",
            Dimension::Current => "current",
            Dimension::Voltage => "voltage",
            Dimension::Power => "power",
            Dimension::Mass => "mass",
            Dimension::Bandwidth => "bandwidth",
            Dimension::TransferRate => "transfer rate",
            Dimension::Width => "width",
            Dimension::Size => "size",
            Dimension::Duration => "duration",
            Dimension::RequestRate => "request rate",
            Dimension::Ratio => "ratio",
            Dimension::Count => "count",
            Dimension::RateOrBandwidth => "request rate or bandwidth",
            Dimension::CurrentOrPower => "power or current",
            Dimension::ApparentPower => "apparent power",
            Dimension::Length => "length",
        }
    }

    /// The units a bare number most likely lacks, as the phrase lists
    /// them: `W`, `kW`, `A` for a draw. None for a count.
    pub fn common_units(&self) -> Vec<&'static str> {
        let phrase = self.phrase();
        phrase
            .split('(')
            .skip(1)
            .filter_map(|group| group.split_once(')'))
            .flat_map(|(units, _)| units.split(", "))
            .collect()
    }

    /// The phrase used in messages, with example units:
    /// `"a power (W, kW)"`, `"a plain number"`.
    pub fn phrase(&self) -> &'static str {
        match self {
            Dimension::RackUnits => "a size in rack units (U)",
            Dimension::Current => "a current (A, mA)",
            Dimension::Voltage => "a voltage (V, kV)",
            Dimension::Power => "a power (W, kW)",
            Dimension::Mass => "a mass (kg, g, lb)",
            Dimension::Bandwidth => "a bandwidth (Gb/s, GB/s, GbE, GFC)",
            Dimension::TransferRate => "a transfer rate (T/s, MT/s, GT/s)",
            Dimension::Width => "a transfer width (bit, B)",
            Dimension::Size => "a size (B, KB, MB, GB, TB, KiB, MiB, GiB, TiB)",
            Dimension::Duration => "a duration (ns, us, ms, s, m, h)",
            Dimension::RequestRate => "a request rate (rps)",
            Dimension::Ratio => "a ratio (%)",
            Dimension::Count => "a plain number",
            Dimension::RateOrBandwidth => "a request rate (rps) or a bandwidth (Gb/s, GB/s, GbE)",
            Dimension::CurrentOrPower => "a power or current (W, kW, A)",
            Dimension::ApparentPower => "an apparent power (VA, kVA, MVA)",
            Dimension::Length => "a length (km, mi)",
        }
    }
}

impl fmt::Display for Dimension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.phrase())
    }
}
