//! Quantities, units and dimensions of the topo language (LANGUAGE.md §1).
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
//! - `B` alone is both a size (bytes) and a transfer width (8 bits);
//! - `N GbE` is N Gb/s per direction, for the standard Ethernet speeds only;
//! - `N GFC` is the Fibre Channel payload figure, N × 100 MB/s, for the
//!   standard speeds only;
//! - 1 lb = 0.45359237 kg exactly;
//! - 1 mi = 1.609344 km exactly;
//! - `VA` (apparent power) is not `W` (real power): W = VA × power factor.

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Div, Mul, Sub, SubAssign};
use std::str::FromStr;

use serde::Serialize;

// ---------------------------------------------------------------------------
// Dimensions
// ---------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------
// Units
// ---------------------------------------------------------------------------

/// The internal classification of a unit; `Byte` is the one unit with two
/// dimensions, `Ethernet` and `FibreChannel` are bandwidths with a fixed set
/// of valid figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    RackUnits,
    Current,
    Voltage,
    Power,
    ApparentPower,
    Mass,
    Length,
    Bandwidth,
    Ethernet,
    FibreChannel,
    TransferRate,
    Width,
    Byte,
    Size,
    Duration,
    RequestRate,
    Ratio,
}

struct UnitDef {
    symbol: &'static str,
    kind: Kind,
    /// Multiply a figure in this unit by `factor` to get the SI base unit of
    /// its dimension (amps, volts, watts, volt-amperes, kg, metres, B/s, T/s,
    /// bits, bytes, seconds, rps, percent). For `B` this is the size factor (1 byte).
    factor: f64,
}

const fn def(symbol: &'static str, kind: Kind, factor: f64) -> UnitDef {
    UnitDef {
        symbol,
        kind,
        factor,
    }
}

const KI: f64 = 1024.0;
const MI: f64 = KI * KI;
const GI: f64 = MI * KI;
const TI: f64 = GI * KI;
const PI: f64 = TI * KI;

/// Every unit the language accepts, spelled exactly (case matters). The order
/// matters only for tie-breaking "did you mean" suggestions.
static UNITS: &[UnitDef] = &[
    def("U", Kind::RackUnits, 1.0),
    // current
    def("A", Kind::Current, 1.0),
    def("mA", Kind::Current, 1e-3),
    // voltage
    def("V", Kind::Voltage, 1.0),
    def("kV", Kind::Voltage, 1e3),
    // power
    def("W", Kind::Power, 1.0),
    def("kW", Kind::Power, 1e3),
    def("MW", Kind::Power, 1e6),
    // apparent power: what circuits and breakers are rated in
    def("VA", Kind::ApparentPower, 1.0),
    def("kVA", Kind::ApparentPower, 1e3),
    def("MVA", Kind::ApparentPower, 1e6),
    // mass
    def("kg", Kind::Mass, 1.0),
    def("g", Kind::Mass, 1e-3),
    def("lb", Kind::Mass, 0.453_592_37),
    def("t", Kind::Mass, 1e3),
    // length, in metres (`m` is minutes, so there is no metre unit)
    def("km", Kind::Length, 1e3),
    def("mi", Kind::Length, 1_609.344),
    // bandwidth in bits per second (8 b = 1 B)
    def("b/s", Kind::Bandwidth, 1.0 / 8.0),
    def("kb/s", Kind::Bandwidth, 1e3 / 8.0),
    def("Mb/s", Kind::Bandwidth, 1e6 / 8.0),
    def("Gb/s", Kind::Bandwidth, 1e9 / 8.0),
    def("Tb/s", Kind::Bandwidth, 1e12 / 8.0),
    def("bps", Kind::Bandwidth, 1.0 / 8.0),
    def("kbps", Kind::Bandwidth, 1e3 / 8.0),
    def("Kbps", Kind::Bandwidth, 1e3 / 8.0),
    def("Mbps", Kind::Bandwidth, 1e6 / 8.0),
    def("Gbps", Kind::Bandwidth, 1e9 / 8.0),
    def("Tbps", Kind::Bandwidth, 1e12 / 8.0),
    // bandwidth in bytes per second
    def("B/s", Kind::Bandwidth, 1.0),
    def("kB/s", Kind::Bandwidth, 1e3),
    def("KB/s", Kind::Bandwidth, 1e3),
    def("MB/s", Kind::Bandwidth, 1e6),
    def("GB/s", Kind::Bandwidth, 1e9),
    def("TB/s", Kind::Bandwidth, 1e12),
    def("KiB/s", Kind::Bandwidth, KI),
    def("MiB/s", Kind::Bandwidth, MI),
    def("GiB/s", Kind::Bandwidth, GI),
    def("TiB/s", Kind::Bandwidth, TI),
    // port speeds: N GbE = N Gb/s; N GFC = N × 100 MB/s payload
    def("GbE", Kind::Ethernet, 1e9 / 8.0),
    def("GFC", Kind::FibreChannel, 1e8),
    // transfer rate
    def("T/s", Kind::TransferRate, 1.0),
    def("kT/s", Kind::TransferRate, 1e3),
    def("MT/s", Kind::TransferRate, 1e6),
    def("GT/s", Kind::TransferRate, 1e9),
    // width of one transfer, in bits
    def("bit", Kind::Width, 1.0),
    def("bits", Kind::Width, 1.0),
    // bytes: a size (1 B) or a width (8 bit)
    def("B", Kind::Byte, 1.0),
    // size, decimal then binary
    def("KB", Kind::Size, 1e3),
    def("MB", Kind::Size, 1e6),
    def("GB", Kind::Size, 1e9),
    def("TB", Kind::Size, 1e12),
    def("PB", Kind::Size, 1e15),
    def("KiB", Kind::Size, KI),
    def("MiB", Kind::Size, MI),
    def("GiB", Kind::Size, GI),
    def("TiB", Kind::Size, TI),
    def("PiB", Kind::Size, PI),
    // duration (`m` is minutes)
    def("ns", Kind::Duration, 1e-9),
    def("us", Kind::Duration, 1e-6),
    def("\u{b5}s", Kind::Duration, 1e-6),  // µs, MICRO SIGN
    def("\u{3bc}s", Kind::Duration, 1e-6), // μs, GREEK SMALL LETTER MU
    def("ms", Kind::Duration, 1e-3),
    def("s", Kind::Duration, 1.0),
    def("m", Kind::Duration, 60.0),
    def("min", Kind::Duration, 60.0),
    def("h", Kind::Duration, 3600.0),
    def("d", Kind::Duration, 86400.0),
    // request rate
    def("rps", Kind::RequestRate, 1.0),
    // ratio
    def("%", Kind::Ratio, 1.0),
];

/// Common spellings that are *not* accepted, mapped to the unit to suggest.
static ALIASES: &[(&str, &str)] = &[
    ("sec", "s"),
    ("secs", "s"),
    ("second", "s"),
    ("seconds", "s"),
    ("mins", "min"),
    ("minute", "min"),
    ("minutes", "min"),
    ("hr", "h"),
    ("hrs", "h"),
    ("hour", "h"),
    ("hours", "h"),
    ("day", "d"),
    ("days", "d"),
    ("msec", "ms"),
    ("usec", "us"),
    ("nsec", "ns"),
    ("amp", "A"),
    ("amps", "A"),
    ("volt", "V"),
    ("volts", "V"),
    ("watt", "W"),
    ("watts", "W"),
    ("voltampere", "VA"),
    ("voltamperes", "VA"),
    ("volt-ampere", "VA"),
    ("volt-amperes", "VA"),
    ("kilometre", "km"),
    ("kilometres", "km"),
    ("kilometer", "km"),
    ("kilometers", "km"),
    ("kms", "km"),
    ("mile", "mi"),
    ("miles", "mi"),
    ("lbs", "lb"),
    ("kgs", "kg"),
    ("Gbit/s", "Gb/s"),
    ("Mbit/s", "Mb/s"),
    ("kbit/s", "kb/s"),
    ("Tbit/s", "Tb/s"),
    ("GigE", "GbE"),
    ("G", "GbE"),
    ("RU", "U"),
    ("byte", "B"),
    ("bytes", "B"),
    ("percent", "%"),
    ("pct", "%"),
    ("qps", "rps"),
    ("req/s", "rps"),
    ("MHz", "MT/s"),
    ("GHz", "GT/s"),
];

/// A recognised unit. Cheap to copy; compare with `==` or by [`Unit::symbol`].
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Unit {
    index: u8,
}

impl Unit {
    fn def(&self) -> &'static UnitDef {
        &UNITS[self.index as usize]
    }

    fn kind(&self) -> Kind {
        self.def().kind
    }

    /// The unit as written: `"GB/s"`, `"kW"`, `"%"`.
    pub fn symbol(&self) -> &'static str {
        self.def().symbol
    }

    /// The dimensions the unit can stand for. `B` is both a size and a
    /// width; every other unit has exactly one dimension.
    pub fn dimensions(&self) -> &'static [Dimension] {
        match self.kind() {
            Kind::RackUnits => &[Dimension::RackUnits],
            Kind::Current => &[Dimension::Current],
            Kind::Voltage => &[Dimension::Voltage],
            Kind::Power => &[Dimension::Power],
            Kind::ApparentPower => &[Dimension::ApparentPower],
            Kind::Mass => &[Dimension::Mass],
            Kind::Length => &[Dimension::Length],
            Kind::Bandwidth | Kind::Ethernet | Kind::FibreChannel => &[Dimension::Bandwidth],
            Kind::TransferRate => &[Dimension::TransferRate],
            Kind::Width => &[Dimension::Width],
            Kind::Byte => &[Dimension::Size, Dimension::Width],
            Kind::Size => &[Dimension::Size],
            Kind::Duration => &[Dimension::Duration],
            Kind::RequestRate => &[Dimension::RequestRate],
            Kind::Ratio => &[Dimension::Ratio],
        }
    }

    /// The main dimension (the first of [`Unit::dimensions`]); for `B` it is
    /// a size.
    pub fn dimension(&self) -> Dimension {
        self.dimensions()[0]
    }

    /// Whether the unit can stand for `dim`.
    pub fn has_dimension(&self, dim: Dimension) -> bool {
        self.dimensions().contains(&dim)
    }

    /// `GbE`: an Ethernet port speed.
    pub fn is_ethernet(&self) -> bool {
        self.kind() == Kind::Ethernet
    }

    /// `GFC`: a Fibre Channel port speed.
    pub fn is_fibre_channel(&self) -> bool {
        self.kind() == Kind::FibreChannel
    }
}

impl fmt::Debug for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Unit({:?})", self.symbol())
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.symbol())
    }
}

impl FromStr for Unit {
    type Err = UnknownUnit;
    fn from_str(s: &str) -> Result<Unit, UnknownUnit> {
        parse_unit(s)
    }
}

/// A unit string that is not one of the language's units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownUnit {
    /// The closest known spelling, if any is close enough.
    pub suggestion: Option<&'static str>,
}

impl fmt::Display for UnknownUnit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("unknown unit")?;
        if let Some(s) = self.suggestion {
            write!(f, "; did you mean `{s}`?")?;
        }
        Ok(())
    }
}

impl std::error::Error for UnknownUnit {}

/// Recognise a unit string, exactly as spelled (case matters: `kW`, not `KW`).
pub fn parse_unit(s: &str) -> Result<Unit, UnknownUnit> {
    match UNITS.iter().position(|u| u.symbol == s) {
        Some(index) => Ok(Unit { index: index as u8 }),
        None => Err(UnknownUnit {
            suggestion: suggest_unit(s),
        }),
    }
}

/// Every accepted unit spelling, in table order.
pub fn unit_symbols() -> impl Iterator<Item = &'static str> {
    UNITS.iter().map(|u| u.symbol)
}

/// The closest known unit to an unknown spelling: a known alias (`secs`), a
/// spelling that differs only in case (`gb/s` → `Gb/s`), or the nearest by
/// edit distance when it is close enough.
fn suggest_unit(s: &str) -> Option<&'static str> {
    if s.is_empty() {
        return None;
    }
    if let Some((_, to)) = ALIASES.iter().find(|(from, _)| *from == s) {
        return Some(to);
    }
    if let Some(u) = UNITS
        .iter()
        .find(|u| u.symbol.to_lowercase() == s.to_lowercase())
    {
        return Some(u.symbol);
    }
    let len = s.chars().count();
    if len < 2 {
        return None;
    }
    let limit = if len <= 3 { 1 } else { 2 };
    let lower = s.to_lowercase();
    UNITS
        .iter()
        .map(|u| {
            (
                strsim::levenshtein(s, u.symbol),
                strsim::levenshtein(&lower, &u.symbol.to_lowercase()),
                u.symbol,
            )
        })
        .filter(|&(d, _, sym)| d <= limit && d < len.max(sym.chars().count()))
        // min_by_key keeps the first of equal keys: table order breaks ties.
        .min_by_key(|&(d, dl, _)| (d, dl))
        .map(|(_, _, sym)| sym)
}

/// The Ethernet port speeds `GbE` accepts, in Gb/s.
pub const ETHERNET_SPEEDS_GBPS: [f64; 11] = [
    1.0, 2.5, 5.0, 10.0, 25.0, 40.0, 50.0, 100.0, 200.0, 400.0, 800.0,
];

/// The Fibre Channel speeds `GFC` accepts; `N GFC` carries N × 100 MB/s.
pub const FIBRE_CHANNEL_SPEEDS: [f64; 8] = [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0];

fn speed_list(speeds: &[f64]) -> String {
    speeds
        .iter()
        .map(|s| s.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

// ---------------------------------------------------------------------------
// Number formatting
// ---------------------------------------------------------------------------

/// Round to three significant digits; returns the rounded value and the
/// number of decimals to print. Values of 1000 and more are rounded to a
/// whole number (never scientific notation).
fn sig3_parts(v: f64) -> (f64, usize) {
    if v == 0.0 || !v.is_finite() {
        return (v, 0);
    }
    let a = v.abs();
    let mut e = a.log10().floor() as i32;
    // log10 may be off by one near powers of ten.
    if 10f64.powi(e) > a {
        e -= 1;
    } else if 10f64.powi(e + 1) <= a {
        e += 1;
    }
    loop {
        let decimals = (2 - e).clamp(0, 20) as usize;
        let scale = 10f64.powi(decimals as i32);
        let r = (a * scale).round() / scale;
        if decimals > 0 && r >= 10f64.powi(e + 1) {
            // Rounding carried into the next decade (9.996 → 10.0).
            e += 1;
            continue;
        }
        return (r.copysign(v), decimals);
    }
}

/// What a message says instead of `inf` or `NaN`.
pub const NOT_FINITE: &str = "(a figure too large to represent)";

/// A number with three significant digits and no scientific notation:
/// `7.88`, `25.0`, `600`, `0.250`; values of 1000 or more are whole
/// (`1235`). Zero is `0`.
pub fn format_sig3(v: f64) -> String {
    if v == 0.0 {
        return "0".to_string();
    }
    if !v.is_finite() {
        // Lowering and the analyzers refuse non-finite figures; this only
        // keeps `inf` and `NaN` out of a message should one slip through.
        return NOT_FINITE.to_string();
    }
    if v.abs() >= 1e36 {
        // Whole digits would run past what a message may echo.
        return format!("{v:.2e}");
    }
    let (r, d) = sig3_parts(v);
    format!("{r:.d$}")
}

/// Like [`format_sig3`] but without trailing zeros: `1.5`, `30`, `250`.
fn format_sig3_trim(v: f64) -> String {
    trim_zeros(format_sig3(v))
}

fn trim_zeros(s: String) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// A whole number without decimals, anything else with three significant
/// digits.
fn format_whole_or_sig3(v: f64) -> String {
    if v.is_finite() && v.fract() == 0.0 && v.abs() < 1e15 {
        if v == 0.0 {
            "0".to_string()
        } else {
            format!("{v:.0}")
        }
    } else {
        format_sig3(v)
    }
}

/// Format with the prefix that puts the figure in [1, 1000).
/// `scales` is ascending; `base` is the index of the unit used for zero.
fn format_scaled(v: f64, scales: &[(f64, &str)], base: usize) -> String {
    if v == 0.0 || !v.is_finite() {
        return format!("{} {}", format_sig3(v), scales[base].1);
    }
    let a = v.abs();
    let mut i = scales.iter().rposition(|&(f, _)| a >= f).unwrap_or(0);
    loop {
        let (f, sym) = scales[i];
        let (r, d) = sig3_parts(v / f);
        if r.abs() >= 1000.0 && i + 1 < scales.len() {
            i += 1;
            continue;
        }
        return format!("{r:.d$} {sym}");
    }
}

// ---------------------------------------------------------------------------
// Typed quantities
// ---------------------------------------------------------------------------

macro_rules! quantity_newtype {
    ($(#[$meta:meta])* $name:ident, $base:literal) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default, Serialize)]
        pub struct $name(f64);

        impl $name {
            /// Zero.
            pub const ZERO: $name = $name(0.0);

            #[doc = concat!("From a figure in ", $base, ".")]
            pub const fn new(base: f64) -> $name {
                $name(base)
            }

            #[doc = concat!("The figure in ", $base, ".")]
            pub const fn get(self) -> f64 {
                self.0
            }

            /// The larger of the two.
            pub fn max(self, other: $name) -> $name {
                $name(self.0.max(other.0))
            }

            /// The smaller of the two.
            pub fn min(self, other: $name) -> $name {
                $name(self.0.min(other.0))
            }
        }

        impl Add for $name {
            type Output = $name;
            fn add(self, rhs: $name) -> $name {
                $name(self.0 + rhs.0)
            }
        }

        impl AddAssign for $name {
            fn add_assign(&mut self, rhs: $name) {
                self.0 += rhs.0;
            }
        }

        impl Sub for $name {
            type Output = $name;
            fn sub(self, rhs: $name) -> $name {
                $name(self.0 - rhs.0)
            }
        }

        impl SubAssign for $name {
            fn sub_assign(&mut self, rhs: $name) {
                self.0 -= rhs.0;
            }
        }

        impl Mul<f64> for $name {
            type Output = $name;
            fn mul(self, rhs: f64) -> $name {
                $name(self.0 * rhs)
            }
        }

        impl Mul<$name> for f64 {
            type Output = $name;
            fn mul(self, rhs: $name) -> $name {
                $name(self * rhs.0)
            }
        }

        impl Div<f64> for $name {
            type Output = $name;
            fn div(self, rhs: f64) -> $name {
                $name(self.0 / rhs)
            }
        }

        /// The ratio of two figures of the same dimension.
        impl Div for $name {
            type Output = f64;
            fn div(self, rhs: $name) -> f64 {
                self.0 / rhs.0
            }
        }

        impl Sum for $name {
            fn sum<I: Iterator<Item = $name>>(iter: I) -> $name {
                $name(iter.map(|x| x.0).sum())
            }
        }

        impl<'a> Sum<&'a $name> for $name {
            fn sum<I: Iterator<Item = &'a $name>>(iter: I) -> $name {
                $name(iter.map(|x| x.0).sum())
            }
        }
    };
}

quantity_newtype!(
    /// A current, in amps.
    Amps,
    "amps"
);
quantity_newtype!(
    /// A voltage, in volts.
    Volts,
    "volts"
);
quantity_newtype!(
    /// A power, in watts.
    Watts,
    "watts"
);
quantity_newtype!(
    /// An apparent power, in volt-amperes: what circuits and breakers are
    /// rated in.
    VoltAmperes,
    "volt-amperes"
);
quantity_newtype!(
    /// A mass, in kilograms.
    Kilograms,
    "kilograms"
);
quantity_newtype!(
    /// A length (a link's `distance`), in metres.
    Metres,
    "metres"
);
quantity_newtype!(
    /// A bandwidth, in payload bytes per second.
    BytesPerSecond,
    "bytes per second"
);
quantity_newtype!(
    /// A transfer rate, in transfers per second.
    TransfersPerSecond,
    "transfers per second"
);
quantity_newtype!(
    /// The width of one transfer, in bits.
    Bits,
    "bits"
);
quantity_newtype!(
    /// A size (memory, cache), in bytes.
    Bytes,
    "bytes"
);
quantity_newtype!(
    /// A duration, in seconds.
    Seconds,
    "seconds"
);
quantity_newtype!(
    /// A request rate, in requests per second.
    RequestsPerSecond,
    "requests per second"
);
quantity_newtype!(
    /// A ratio in percent: 25 % is stored as 25.0.
    Percent,
    "percent (25 % is 25.0)"
);

impl Watts {
    /// W = V × A.
    pub fn from_amps(current: Amps, voltage: Volts) -> Watts {
        Watts(current.0 * voltage.0)
    }

    /// A = W ÷ V.
    pub fn to_amps(self, voltage: Volts) -> Amps {
        Amps(self.0 / voltage.0)
    }
}

impl VoltAmperes {
    /// Single phase: VA = V × A.
    pub fn from_amps(current: Amps, voltage: Volts) -> VoltAmperes {
        VoltAmperes(current.0 * voltage.0)
    }

    /// A = VA ÷ V, whatever the power factor.
    pub fn to_amps(self, voltage: Volts) -> Amps {
        Amps(self.0 / voltage.0)
    }

    /// The real power drawn at `power_factor` (0 to 1): W = VA × factor.
    pub fn watts_at(self, power_factor: f64) -> Watts {
        Watts(self.0 * power_factor)
    }
}

impl Metres {
    /// 1 km = 1000 m.
    pub fn from_kilometres(km: f64) -> Metres {
        Metres(km * 1e3)
    }

    /// 1 mi = 1.609344 km exactly.
    pub fn from_miles(mi: f64) -> Metres {
        Metres(mi * 1_609.344)
    }

    /// The length in kilometres.
    pub fn kilometres(self) -> f64 {
        self.0 / 1e3
    }
}

impl Kilograms {
    /// 1 lb = 0.45359237 kg exactly.
    pub fn from_pounds(lb: f64) -> Kilograms {
        Kilograms(lb * 0.453_592_37)
    }
}

impl BytesPerSecond {
    /// From a line rate in bits per second (8 b = 1 B).
    pub fn from_bits_per_second(bps: f64) -> BytesPerSecond {
        BytesPerSecond(bps / 8.0)
    }

    /// The figure in bits per second.
    pub fn bits_per_second(self) -> f64 {
        self.0 * 8.0
    }

    /// Bandwidth = width of one transfer × transfers per second.
    /// "200 Mb/s": how network links are spoken of.
    pub fn bits_text(&self) -> String {
        let bps = self.bits_per_second();
        let (value, unit) = [(1e12, "Tb/s"), (1e9, "Gb/s"), (1e6, "Mb/s"), (1e3, "kb/s")]
            .into_iter()
            .find(|(scale, _)| bps >= *scale)
            .map_or((bps, "b/s"), |(scale, unit)| (bps / scale, unit));
        format!("{} {unit}", format_sig3(value))
    }

    pub fn from_width_and_rate(width: Bits, rate: TransfersPerSecond) -> BytesPerSecond {
        BytesPerSecond(width.0 / 8.0 * rate.0)
    }
}

impl TransfersPerSecond {
    /// Transfers per second = 1 s ÷ time of one transfer. A zero period
    /// gives an infinite rate; callers should reject it first.
    pub fn from_period(period: Seconds) -> TransfersPerSecond {
        TransfersPerSecond(1.0 / period.0)
    }
}

impl Bits {
    /// From a width in bytes (1 B = 8 bit).
    pub fn from_bytes(bytes: f64) -> Bits {
        Bits(bytes * 8.0)
    }

    /// The width in bytes.
    pub fn bytes(self) -> f64 {
        self.0 / 8.0
    }
}

impl Percent {
    /// 25 % → 0.25.
    pub fn fraction(self) -> f64 {
        self.0 / 100.0
    }

    /// 0.25 → 25 %.
    pub fn from_fraction(fraction: f64) -> Percent {
        Percent(fraction * 100.0)
    }
}

/// A device size or rack height, in rack units (1U = 44.45 mm).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct RackUnits(u32);

impl RackUnits {
    pub const ZERO: RackUnits = RackUnits(0);

    pub const fn new(units: u32) -> RackUnits {
        RackUnits(units)
    }

    pub const fn get(self) -> u32 {
        self.0
    }

    /// The height in millimetres (1U = 1.75 in = 44.45 mm).
    pub fn millimetres(self) -> f64 {
        self.0 as f64 * 44.45
    }

    pub fn checked_add(self, rhs: RackUnits) -> Option<RackUnits> {
        self.0.checked_add(rhs.0).map(RackUnits)
    }

    pub fn checked_sub(self, rhs: RackUnits) -> Option<RackUnits> {
        self.0.checked_sub(rhs.0).map(RackUnits)
    }
}

impl Add for RackUnits {
    type Output = RackUnits;
    fn add(self, rhs: RackUnits) -> RackUnits {
        RackUnits(self.0 + rhs.0)
    }
}

impl AddAssign for RackUnits {
    fn add_assign(&mut self, rhs: RackUnits) {
        self.0 += rhs.0;
    }
}

impl Mul<u32> for RackUnits {
    type Output = RackUnits;
    fn mul(self, rhs: u32) -> RackUnits {
        RackUnits(self.0 * rhs)
    }
}

impl Div for RackUnits {
    type Output = f64;
    fn div(self, rhs: RackUnits) -> f64 {
        self.0 as f64 / rhs.0 as f64
    }
}

impl Sum for RackUnits {
    fn sum<I: Iterator<Item = RackUnits>>(iter: I) -> RackUnits {
        RackUnits(iter.map(|x| x.0).sum())
    }
}

impl<'a> Sum<&'a RackUnits> for RackUnits {
    fn sum<I: Iterator<Item = &'a RackUnits>>(iter: I) -> RackUnits {
        RackUnits(iter.map(|x| x.0).sum())
    }
}

// ---------------------------------------------------------------------------
// Display of typed quantities
// ---------------------------------------------------------------------------

impl fmt::Display for RackUnits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}U", self.0)
    }
}

impl fmt::Display for Amps {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_scaled(self.0, &[(1e-3, "mA"), (1.0, "A")], 1))
    }
}

impl fmt::Display for Volts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_scaled(self.0, &[(1.0, "V"), (1e3, "kV")], 0))
    }
}

impl fmt::Display for Watts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_scaled(
            self.0,
            &[(1.0, "W"), (1e3, "kW"), (1e6, "MW")],
            0,
        ))
    }
}

impl fmt::Display for VoltAmperes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_scaled(
            self.0,
            &[(1.0, "VA"), (1e3, "kVA"), (1e6, "MVA")],
            0,
        ))
    }
}

impl fmt::Display for Kilograms {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} kg", format_sig3(self.0))
    }
}

/// Always in kilometres: the language has no metre unit (`m` is minutes).
impl fmt::Display for Metres {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} km", format_sig3(self.kilometres()))
    }
}

impl fmt::Display for BytesPerSecond {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_scaled(
            self.0,
            &[
                (1.0, "B/s"),
                (1e3, "kB/s"),
                (1e6, "MB/s"),
                (1e9, "GB/s"),
                (1e12, "TB/s"),
                (1e15, "PB/s"),
            ],
            0,
        ))
    }
}

impl fmt::Display for TransfersPerSecond {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_scaled(
            self.0,
            &[
                (1.0, "T/s"),
                (1e3, "kT/s"),
                (1e6, "MT/s"),
                (1e9, "GT/s"),
                (1e12, "TT/s"),
            ],
            0,
        ))
    }
}

impl fmt::Display for Bits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} bit", trim_zeros(format_whole_or_sig3(self.0)))
    }
}

/// The binary unit for a size that is a whole number of KiB..PiB but not a
/// whole number of the matching decimal unit (`64 GiB`, not `68.7 GB`).
fn exact_binary(v: f64) -> Option<(f64, &'static str)> {
    const BINARY: [(f64, &str); 5] = [
        (KI, "KiB"),
        (MI, "MiB"),
        (GI, "GiB"),
        (TI, "TiB"),
        (PI, "PiB"),
    ];
    const DECIMAL: [f64; 5] = [1e3, 1e6, 1e9, 1e12, 1e15];
    if !v.is_finite() || v < KI || v.fract() != 0.0 {
        return None;
    }
    let &(bf, bsym) = BINARY.iter().rev().find(|(f, _)| v >= *f)?;
    if v % bf != 0.0 {
        return None;
    }
    if let Some(df) = DECIMAL.iter().rev().find(|f| v >= **f) {
        if v % df == 0.0 {
            return None;
        }
    }
    Some((v / bf, bsym))
}

impl fmt::Display for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some((n, sym)) = exact_binary(self.0) {
            return write!(f, "{} {}", format_sig3(n), sym);
        }
        f.write_str(&format_scaled(
            self.0,
            &[
                (1.0, "B"),
                (1e3, "KB"),
                (1e6, "MB"),
                (1e9, "GB"),
                (1e12, "TB"),
                (1e15, "PB"),
            ],
            0,
        ))
    }
}

impl fmt::Display for Seconds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = self.0;
        let a = v.abs();
        let (scale, sym) = if v == 0.0 || !v.is_finite() {
            (1.0, "s")
        } else if a < 1e-6 {
            (1e-9, "ns")
        } else if a < 1e-3 {
            (1e-6, "\u{b5}s")
        } else if a < 1.0 {
            (1e-3, "ms")
        } else if a < 60.0 {
            (1.0, "s")
        } else if a < 3600.0 {
            (60.0, "min")
        } else if a < 86400.0 {
            (3600.0, "h")
        } else {
            (86400.0, "d")
        };
        write!(f, "{} {}", format_sig3_trim(v / scale), sym)
    }
}

impl fmt::Display for RequestsPerSecond {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} rps", format_whole_or_sig3(self.0))
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = self.0;
        let s = if v.is_finite() && v.abs() >= 1e36 {
            format!("{v:.2e}")
        } else if v.is_finite() {
            let r = (v * 10.0).round() / 10.0;
            let s = trim_zeros(format!("{r:.1}"));
            if s == "-0" {
                "0".to_string()
            } else {
                s
            }
        } else {
            NOT_FINITE.to_string()
        };
        write!(f, "{s} %")
    }
}

// ---------------------------------------------------------------------------
// Draws and flow rates
// ---------------------------------------------------------------------------

/// A device's power draw or a circuit's rating, given as a current, a real
/// power or an apparent power.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub enum Draw {
    Current(Amps),
    Power(Watts),
    ApparentPower(VoltAmperes),
}

impl Draw {
    /// The draw in watts; a current needs the voltage (`None` when unknown).
    /// An apparent power counts at a power factor of 1.0 (W = VA) until
    /// devices carry their own power factor.
    pub fn watts(self, voltage: Option<Volts>) -> Option<Watts> {
        match self {
            Draw::Power(w) => Some(w),
            Draw::ApparentPower(va) => Some(va.watts_at(1.0)),
            Draw::Current(a) => voltage.map(|v| Watts::from_amps(a, v)),
        }
    }

    /// The draw in amps; a power needs the voltage (`None` when unknown).
    /// For an apparent power this is exact (A = VA ÷ V); for a real power it
    /// assumes a power factor of 1.0.
    pub fn amps(self, voltage: Option<Volts>) -> Option<Amps> {
        match self {
            Draw::Current(a) => Some(a),
            Draw::Power(w) => voltage.map(|v| w.to_amps(v)),
            Draw::ApparentPower(va) => voltage.map(|v| va.to_amps(v)),
        }
    }
}

impl fmt::Display for Draw {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Draw::Current(a) => a.fmt(f),
            Draw::Power(w) => w.fmt(f),
            Draw::ApparentPower(va) => va.fmt(f),
        }
    }
}

/// A flow's rate: requests per second or a bandwidth.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub enum FlowRate {
    Requests(RequestsPerSecond),
    Bandwidth(BytesPerSecond),
}

impl fmt::Display for FlowRate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FlowRate::Requests(r) => r.fmt(f),
            FlowRate::Bandwidth(b) => b.fmt(f),
        }
    }
}

// ---------------------------------------------------------------------------
// Quantities and conversion errors
// ---------------------------------------------------------------------------

/// A quantity of the wrong dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mismatch {
    pub expected: Dimension,
    /// `Count` for a bare number.
    pub found: Dimension,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "expected {}, found {}", self.expected, self.found)
    }
}

impl std::error::Error for Mismatch {}

/// Why a quantity could not be converted.
#[derive(Debug, Clone, PartialEq)]
pub enum QuantityError {
    /// The wrong dimension: `expected a power (W, kW), found a mass (kg, g, lb)`.
    Mismatch {
        expected: Dimension,
        found: Dimension,
    },
    /// A whole number was needed (rack units, counts).
    NotWhole,
    /// A negative figure for a physical quantity.
    Negative,
    /// A figure outside what the quantity allows; `what` is the complete
    /// message (`3GbE is not an Ethernet port speed; ...`).
    OutOfRange { what: String },
}

impl QuantityError {
    /// The mismatch, when this is one.
    pub fn mismatch(&self) -> Option<Mismatch> {
        match *self {
            QuantityError::Mismatch { expected, found } => Some(Mismatch { expected, found }),
            _ => None,
        }
    }
}

impl From<Mismatch> for QuantityError {
    fn from(m: Mismatch) -> QuantityError {
        QuantityError::Mismatch {
            expected: m.expected,
            found: m.found,
        }
    }
}

impl fmt::Display for QuantityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QuantityError::Mismatch { expected, found } => {
                write!(f, "expected {expected}, found {found}")
            }
            QuantityError::NotWhole => f.write_str("expected a whole number"),
            QuantityError::Negative => f.write_str("a negative value is not allowed here"),
            QuantityError::OutOfRange { what } => f.write_str(what),
        }
    }
}

impl std::error::Error for QuantityError {}

/// A number with an optional unit, as written in the source.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quantity {
    pub value: f64,
    /// `None` for a bare number (a count).
    pub unit: Option<Unit>,
}

/// Build a quantity from the lexer's parts; an empty unit is a bare number.
pub fn quantity_from_parts(value: f64, unit: &str) -> Result<Quantity, UnknownUnit> {
    let unit = if unit.is_empty() {
        None
    } else {
        Some(parse_unit(unit)?)
    };
    Ok(Quantity { value, unit })
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = self.value;
        // `1e300W` as written rather than three hundred digits, and never
        // more than a message may echo.
        let number = if v.is_finite() && v != 0.0 && !(1e-6..1e15).contains(&v.abs()) {
            format!("{v:e}")
        } else if v.is_finite() {
            v.to_string()
        } else {
            NOT_FINITE.to_string()
        };
        let number = crate::text::echo(&number);
        match self.unit {
            Some(u) => write!(f, "{number}{}", u.symbol()),
            None => write!(f, "{number}"),
        }
    }
}

impl Quantity {
    pub fn new(value: f64, unit: Option<Unit>) -> Quantity {
        Quantity { value, unit }
    }

    /// A bare number.
    pub fn bare(value: f64) -> Quantity {
        Quantity { value, unit: None }
    }

    /// The quantity's (main) dimension; `Count` for a bare number, `Size`
    /// for `B`.
    pub fn dimension(&self) -> Dimension {
        self.unit.map_or(Dimension::Count, |u| u.dimension())
    }

    fn mismatch(&self, expected: Dimension) -> QuantityError {
        QuantityError::Mismatch {
            expected,
            found: self.dimension(),
        }
    }

    /// The unit, when it is one of `kinds`; otherwise a mismatch.
    fn unit_of(&self, expected: Dimension, kinds: &[Kind]) -> Result<Unit, QuantityError> {
        match self.unit {
            Some(u) if kinds.contains(&u.kind()) => Ok(u),
            _ => Err(self.mismatch(expected)),
        }
    }

    /// A finite, non-negative figure.
    fn check_value(&self) -> Result<f64, QuantityError> {
        let v = self.value;
        if !v.is_finite() {
            return Err(QuantityError::OutOfRange {
                what: "the number is too large to use".to_string(),
            });
        }
        if v < 0.0 {
            return Err(QuantityError::Negative);
        }
        Ok(v)
    }

    /// The figure in the base unit, checked to be finite after conversion.
    fn convert(&self, expected: Dimension, kinds: &[Kind]) -> Result<f64, QuantityError> {
        let unit = self.unit_of(expected, kinds)?;
        let v = self.check_value()?;
        finite(self, v * unit.def().factor)
    }

    /// `2U` → 2 rack units; a whole number is required.
    pub fn as_rack_units(&self) -> Result<RackUnits, QuantityError> {
        self.unit_of(Dimension::RackUnits, &[Kind::RackUnits])?;
        let v = self.check_value()?;
        whole(v, u32::MAX as f64, self).map(|n| RackUnits(n as u32))
    }

    /// `A`, `mA`.
    pub fn as_current(&self) -> Result<Amps, QuantityError> {
        self.convert(Dimension::Current, &[Kind::Current]).map(Amps)
    }

    /// `V`, `kV`.
    pub fn as_voltage(&self) -> Result<Volts, QuantityError> {
        self.convert(Dimension::Voltage, &[Kind::Voltage])
            .map(Volts)
    }

    /// `W`, `kW`, `MW`.
    pub fn as_power(&self) -> Result<Watts, QuantityError> {
        self.convert(Dimension::Power, &[Kind::Power]).map(Watts)
    }

    /// `VA`, `kVA`, `MVA`.
    pub fn as_apparent_power(&self) -> Result<VoltAmperes, QuantityError> {
        self.convert(Dimension::ApparentPower, &[Kind::ApparentPower])
            .map(VoltAmperes)
    }

    /// `kg`, `g`, `lb`, `t`.
    pub fn as_mass(&self) -> Result<Kilograms, QuantityError> {
        self.convert(Dimension::Mass, &[Kind::Mass]).map(Kilograms)
    }

    /// `km`, `mi` (1 mi = 1.609344 km), in metres.
    pub fn as_length(&self) -> Result<Metres, QuantityError> {
        self.convert(Dimension::Length, &[Kind::Length]).map(Metres)
    }

    /// `b/s` .. `TB/s`, `GbE` (standard Ethernet speeds) and `GFC`
    /// (standard Fibre Channel speeds).
    pub fn as_bandwidth(&self) -> Result<BytesPerSecond, QuantityError> {
        self.bandwidth(Dimension::Bandwidth)
    }

    fn bandwidth(&self, expected: Dimension) -> Result<BytesPerSecond, QuantityError> {
        let unit = self.unit_of(
            expected,
            &[Kind::Bandwidth, Kind::Ethernet, Kind::FibreChannel],
        )?;
        let v = self.check_value()?;
        let valid = |speeds: &[f64]| speeds.iter().any(|s| (s - v).abs() < 1e-9);
        match unit.kind() {
            Kind::Ethernet if !valid(&ETHERNET_SPEEDS_GBPS) => Err(QuantityError::OutOfRange {
                what: format!(
                    "{self} is not an Ethernet port speed; valid speeds are {} GbE",
                    speed_list(&ETHERNET_SPEEDS_GBPS)
                ),
            }),
            Kind::FibreChannel if !valid(&FIBRE_CHANNEL_SPEEDS) => Err(QuantityError::OutOfRange {
                what: format!(
                    "{self} is not a Fibre Channel speed; valid speeds are {} GFC",
                    speed_list(&FIBRE_CHANNEL_SPEEDS)
                ),
            }),
            _ => finite(self, v * unit.def().factor).map(BytesPerSecond),
        }
    }

    /// `T/s`, `kT/s`, `MT/s`, `GT/s`.
    pub fn as_transfer_rate(&self) -> Result<TransfersPerSecond, QuantityError> {
        self.convert(Dimension::TransferRate, &[Kind::TransferRate])
            .map(TransfersPerSecond)
    }

    /// `bit`, `bits`, `B` (8 bits): the width of one transfer.
    pub fn as_width(&self) -> Result<Bits, QuantityError> {
        let unit = self.unit_of(Dimension::Width, &[Kind::Width, Kind::Byte])?;
        let v = self.check_value()?;
        let bits = if unit.kind() == Kind::Byte {
            v * 8.0
        } else {
            v
        };
        finite(self, bits).map(Bits)
    }

    /// `B`, `KB` .. `PB`, `KiB` .. `PiB`.
    pub fn as_size(&self) -> Result<Bytes, QuantityError> {
        self.convert(Dimension::Size, &[Kind::Size, Kind::Byte])
            .map(Bytes)
    }

    /// `ns`, `us`, `µs`, `ms`, `s`, `m` (minutes), `min`, `h`, `d`.
    pub fn as_duration(&self) -> Result<Seconds, QuantityError> {
        self.convert(Dimension::Duration, &[Kind::Duration])
            .map(Seconds)
    }

    /// `rps`.
    pub fn as_request_rate(&self) -> Result<RequestsPerSecond, QuantityError> {
        self.convert(Dimension::RequestRate, &[Kind::RequestRate])
            .map(RequestsPerSecond)
    }

    /// `%`: 25% is `Percent(25.0)`.
    pub fn as_percent(&self) -> Result<Percent, QuantityError> {
        self.convert(Dimension::Ratio, &[Kind::Ratio]).map(Percent)
    }

    /// A bare whole number, zero or more.
    pub fn as_count(&self) -> Result<u64, QuantityError> {
        if self.unit.is_some() {
            return Err(self.mismatch(Dimension::Count));
        }
        let v = self.check_value()?;
        // The largest f64 below 2^64 (u64::MAX itself rounds up to 2^64).
        whole(v, 18_446_744_073_709_549_568.0, self).map(|n| n as u64)
    }

    /// A device's draw or a circuit's rating: a current (`A`, `mA`), a power
    /// (`W`, `kW`, `MW`) or an apparent power (`VA`, `kVA`, `MVA`).
    pub fn as_draw(&self) -> Result<Draw, QuantityError> {
        match self.unit.map(|u| u.kind()) {
            Some(Kind::Current) => self.as_current().map(Draw::Current),
            Some(Kind::Power) => self.as_power().map(Draw::Power),
            Some(Kind::ApparentPower) => self.as_apparent_power().map(Draw::ApparentPower),
            _ => Err(self.mismatch(Dimension::CurrentOrPower)),
        }
    }

    /// A flow's rate: requests per second (`rps`) or a bandwidth.
    pub fn as_rate_or_bandwidth(&self) -> Result<FlowRate, QuantityError> {
        match self.unit.map(|u| u.kind()) {
            Some(Kind::RequestRate) => self.as_request_rate().map(FlowRate::Requests),
            _ => self
                .bandwidth(Dimension::RateOrBandwidth)
                .map(FlowRate::Bandwidth),
        }
    }
}

fn finite(q: &Quantity, v: f64) -> Result<f64, QuantityError> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(QuantityError::OutOfRange {
            what: format!("{q} is too large"),
        })
    }
}

/// A whole, non-negative figure no larger than `max`.
fn whole(v: f64, max: f64, q: &Quantity) -> Result<f64, QuantityError> {
    if v.fract() != 0.0 {
        return Err(QuantityError::NotWhole);
    }
    if v > max {
        return Err(QuantityError::OutOfRange {
            what: format!("{q} is too large"),
        });
    }
    Ok(v)
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    fn q(value: f64, unit: &str) -> Quantity {
        quantity_from_parts(value, unit).unwrap()
    }

    /// Relative comparison with a tolerance of 1e-9.
    fn close(actual: f64, expected: f64) -> bool {
        if expected == 0.0 {
            actual.abs() < 1e-12
        } else {
            ((actual - expected) / expected).abs() < 1e-9
        }
    }

    macro_rules! assert_close {
        ($actual:expr, $expected:expr) => {{
            let (a, e) = ($actual, $expected);
            assert!(close(a, e), "{} = {a}, expected {e}", stringify!($actual));
        }};
    }

    // --- parsing units -----------------------------------------------------

    #[test]
    fn every_table_unit_parses_to_itself() {
        for sym in unit_symbols() {
            let u = parse_unit(sym).unwrap();
            assert_eq!(u.symbol(), sym);
            assert_eq!(u.to_string(), sym);
            assert_eq!(sym.parse::<Unit>().unwrap(), u);
        }
        assert!(UNITS.len() < u8::MAX as usize);
    }

    #[test]
    fn units_are_case_sensitive() {
        for bad in [
            "kw", "KW", "Kg", "gbe", "GBE", "gfc", "u", "a", "v", "w", "mb/s", "gt/s",
        ] {
            assert!(parse_unit(bad).is_err(), "{bad} should not parse");
        }
        assert!(parse_unit("").is_err());
        assert!(parse_unit(" kW").is_err());
        assert!(parse_unit("metres").is_err());
    }

    #[test]
    fn dimensions_of_units() {
        let dim = |s: &str| parse_unit(s).unwrap().dimensions();
        assert_eq!(dim("U"), &[Dimension::RackUnits]);
        assert_eq!(dim("mA"), &[Dimension::Current]);
        assert_eq!(dim("kV"), &[Dimension::Voltage]);
        assert_eq!(dim("MW"), &[Dimension::Power]);
        assert_eq!(dim("t"), &[Dimension::Mass]);
        assert_eq!(dim("Gbps"), &[Dimension::Bandwidth]);
        assert_eq!(dim("GbE"), &[Dimension::Bandwidth]);
        assert_eq!(dim("GFC"), &[Dimension::Bandwidth]);
        assert_eq!(dim("MT/s"), &[Dimension::TransferRate]);
        assert_eq!(dim("bit"), &[Dimension::Width]);
        assert_eq!(dim("B"), &[Dimension::Size, Dimension::Width]);
        assert_eq!(dim("GiB"), &[Dimension::Size]);
        assert_eq!(dim("m"), &[Dimension::Duration]);
        assert_eq!(dim("rps"), &[Dimension::RequestRate]);
        assert_eq!(dim("%"), &[Dimension::Ratio]);
        for sym in unit_symbols() {
            let n = parse_unit(sym).unwrap().dimensions().len();
            assert_eq!(n, if sym == "B" { 2 } else { 1 }, "{sym}");
        }
        assert!(parse_unit("B").unwrap().has_dimension(Dimension::Width));
        assert!(parse_unit("GbE").unwrap().is_ethernet());
        assert!(parse_unit("GFC").unwrap().is_fibre_channel());
        assert!(!parse_unit("Gb/s").unwrap().is_ethernet());
    }

    #[test]
    fn dimension_phrases() {
        assert_eq!(Dimension::Power.to_string(), "a power (W, kW)");
        assert_eq!(Dimension::Current.to_string(), "a current (A, mA)");
        assert_eq!(Dimension::Mass.to_string(), "a mass (kg, g, lb)");
        assert_eq!(
            Dimension::Bandwidth.to_string(),
            "a bandwidth (Gb/s, GB/s, GbE, GFC)"
        );
        assert_eq!(Dimension::Count.to_string(), "a plain number");
        assert_eq!(
            Dimension::CurrentOrPower.to_string(),
            "a power or current (W, kW, A)"
        );
        assert!(Dimension::RateOrBandwidth
            .to_string()
            .starts_with("a request rate (rps) or a bandwidth"));
        assert_eq!(Dimension::Power.name(), "power");
        assert_eq!(Dimension::RequestRate.name(), "request rate");
    }

    // --- suggestions --------------------------------------------------------

    fn suggestion(s: &str) -> Option<&'static str> {
        parse_unit(s).unwrap_err().suggestion
    }

    #[test]
    fn suggestions_for_wrong_case() {
        let s = suggestion("gb/s").unwrap();
        assert!(s == "Gb/s" || s == "GB/s", "{s}");
        assert_eq!(suggestion("kw"), Some("kW"));
        assert_eq!(suggestion("KW"), Some("kW"));
        assert_eq!(suggestion("Kg"), Some("kg"));
        assert_eq!(suggestion("GBE"), Some("GbE"));
        assert_eq!(suggestion("gbe"), Some("GbE"));
        assert_eq!(suggestion("gfc"), Some("GFC"));
        assert_eq!(suggestion("mbps"), Some("Mbps"));
        assert_eq!(suggestion("gt/s"), Some("GT/s"));
        assert_eq!(suggestion("u"), Some("U"));
        assert_eq!(suggestion("RPS"), Some("rps"));
    }

    #[test]
    fn suggestions_for_aliases_and_typos() {
        assert_eq!(suggestion("lbs"), Some("lb"));
        assert_eq!(suggestion("secs"), Some("s"));
        assert_eq!(suggestion("hours"), Some("h"));
        assert_eq!(suggestion("Gbit/s"), Some("Gb/s"));
        assert_eq!(suggestion("watts"), Some("W"));
        assert_eq!(suggestion("rpm"), Some("rps"));
        let s = suggestion("Gbs").unwrap();
        assert!(s == "Gb/s" || s == "Gbps", "{s}");
        assert_eq!(suggestion("GiB/sec"), Some("GiB/s"));
        assert_eq!(suggestion("MT/sec"), Some("MT/s"));
        assert_eq!(suggestion("GT/z"), Some("GT/s"));
        assert_eq!(suggestion("MiBs"), Some("MiB/s"));
    }

    #[test]
    fn no_suggestion_for_nonsense() {
        assert_eq!(suggestion("xyzzy"), None);
        assert_eq!(suggestion("x"), None);
        assert_eq!(suggestion(""), None);
        assert_eq!(suggestion("furlongs"), None);
    }

    #[test]
    fn unknown_unit_message() {
        let e = parse_unit("kw").unwrap_err();
        assert_eq!(e.to_string(), "unknown unit; did you mean `kW`?");
        assert_eq!(parse_unit("xyzzy").unwrap_err().to_string(), "unknown unit");
        assert!(quantity_from_parts(3.0, "kw").is_err());
    }

    // --- conversions: one per unit -----------------------------------------

    #[test]
    fn rack_units() {
        assert_eq!(q(42.0, "U").as_rack_units(), Ok(RackUnits::new(42)));
        assert_eq!(q(0.0, "U").as_rack_units(), Ok(RackUnits::ZERO));
        assert_eq!(q(1.5, "U").as_rack_units(), Err(QuantityError::NotWhole));
        assert_eq!(q(-1.0, "U").as_rack_units(), Err(QuantityError::Negative));
        assert!(matches!(
            q(5e9, "U").as_rack_units(),
            Err(QuantityError::OutOfRange { .. })
        ));
        assert_eq!(
            Quantity::bare(2.0).as_rack_units(),
            Err(QuantityError::Mismatch {
                expected: Dimension::RackUnits,
                found: Dimension::Count
            })
        );
        assert_eq!(RackUnits::new(2).to_string(), "2U");
        assert_close!(RackUnits::new(1).millimetres(), 44.45);
        let total: RackUnits = [RackUnits::new(1), RackUnits::new(2)].iter().sum();
        assert_eq!(total, RackUnits::new(3));
        assert_eq!(RackUnits::new(2) * 3, RackUnits::new(6));
        assert_eq!(RackUnits::new(1).checked_sub(RackUnits::new(2)), None);
        assert_close!(RackUnits::new(21) / RackUnits::new(42), 0.5);
    }

    #[test]
    fn currents() {
        assert_close!(q(30.0, "A").as_current().unwrap().get(), 30.0);
        assert_close!(q(500.0, "mA").as_current().unwrap().get(), 0.5);
    }

    #[test]
    fn voltages() {
        assert_close!(q(208.0, "V").as_voltage().unwrap().get(), 208.0);
        assert_close!(q(11.0, "kV").as_voltage().unwrap().get(), 11_000.0);
    }

    #[test]
    fn powers() {
        assert_close!(q(500.0, "W").as_power().unwrap().get(), 500.0);
        assert_close!(q(2.4, "kW").as_power().unwrap().get(), 2400.0);
        assert_close!(q(1.5, "MW").as_power().unwrap().get(), 1.5e6);
    }

    #[test]
    fn masses() {
        assert_close!(q(19.9, "kg").as_mass().unwrap().get(), 19.9);
        assert_close!(q(500.0, "g").as_mass().unwrap().get(), 0.5);
        assert_close!(q(50.0, "lb").as_mass().unwrap().get(), 22.679_618_5);
        assert_close!(q(1.0, "lb").as_mass().unwrap().get(), 0.453_592_37);
        assert_close!(q(1.2, "t").as_mass().unwrap().get(), 1200.0);
        assert_close!(Kilograms::from_pounds(50.0).get(), 22.679_618_5);
    }

    #[test]
    fn bandwidths_in_bits() {
        let bw = |v: f64, u: &str| q(v, u).as_bandwidth().unwrap().get();
        assert_close!(bw(8.0, "b/s"), 1.0);
        assert_close!(bw(8.0, "kb/s"), 1e3);
        assert_close!(bw(200.0, "Mb/s"), 25e6);
        assert_close!(bw(25.0, "Gb/s"), 3.125e9);
        assert_close!(bw(1.0, "Tb/s"), 1.25e11);
        assert_close!(bw(8.0, "bps"), 1.0);
        assert_close!(bw(8.0, "kbps"), 1e3);
        assert_close!(bw(8.0, "Kbps"), 1e3);
        assert_close!(bw(100.0, "Mbps"), 12.5e6);
        assert_close!(bw(10.0, "Gbps"), 1.25e9);
        assert_close!(bw(2.0, "Tbps"), 2.5e11);
    }

    #[test]
    fn bandwidths_in_bytes() {
        let bw = |v: f64, u: &str| q(v, u).as_bandwidth().unwrap().get();
        assert_close!(bw(100.0, "B/s"), 100.0);
        assert_close!(bw(1.0, "kB/s"), 1e3);
        assert_close!(bw(1.0, "KB/s"), 1e3);
        assert_close!(bw(600.0, "MB/s"), 6e8);
        assert_close!(bw(7.0, "GB/s"), 7e9);
        assert_close!(bw(1.0, "TB/s"), 1e12);
        assert_close!(bw(1.0, "KiB/s"), 1024.0);
        assert_close!(bw(1.0, "MiB/s"), 1_048_576.0);
        assert_close!(bw(1.0, "GiB/s"), 1_073_741_824.0);
        assert_close!(bw(1.0, "TiB/s"), 1_099_511_627_776.0);
    }

    #[test]
    fn ethernet_speeds() {
        let bw = |v: f64| q(v, "GbE").as_bandwidth();
        assert_eq!(bw(25.0).unwrap().get(), 3.125e9);
        for speed in ETHERNET_SPEEDS_GBPS {
            assert_close!(bw(speed).unwrap().get(), speed * 1e9 / 8.0);
        }
        assert_close!(bw(2.5).unwrap().get(), 312.5e6);
        assert_close!(bw(100.0).unwrap().get(), 12.5e9);
        for bad in [3.0, 0.0, 20.0, 1000.0, 25.5] {
            match bw(bad) {
                Err(QuantityError::OutOfRange { what }) => {
                    assert!(what.contains("1, 2.5, 5, 10, 25, 40, 50, 100, 200, 400, 800"));
                    assert!(what.contains("GbE"));
                }
                other => panic!("{bad}GbE: {other:?}"),
            }
        }
        assert_eq!(bw(-25.0), Err(QuantityError::Negative));
    }

    #[test]
    fn fibre_channel_speeds() {
        let bw = |v: f64| q(v, "GFC").as_bandwidth();
        let expected = [
            (1.0, 100e6),
            (2.0, 200e6),
            (4.0, 400e6),
            (8.0, 800e6),
            (16.0, 1600e6),
            (32.0, 3200e6),
            (64.0, 6400e6),
            (128.0, 12800e6),
        ];
        for (n, bytes) in expected {
            assert_close!(bw(n).unwrap().get(), bytes);
        }
        match bw(10.0) {
            Err(QuantityError::OutOfRange { what }) => {
                assert!(what.contains("1, 2, 4, 8, 16, 32, 64, 128"), "{what}")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn transfer_rates() {
        let tr = |v: f64, u: &str| q(v, u).as_transfer_rate().unwrap().get();
        assert_close!(tr(5.0, "T/s"), 5.0);
        assert_close!(tr(5.0, "kT/s"), 5e3);
        assert_close!(tr(3200.0, "MT/s"), 3.2e9);
        assert_close!(tr(16.0, "GT/s"), 16e9);
    }

    #[test]
    fn widths() {
        let w = |v: f64, u: &str| q(v, u).as_width().unwrap().get();
        assert_close!(w(64.0, "bit"), 64.0);
        assert_close!(w(32.0, "bits"), 32.0);
        assert_close!(w(8.0, "B"), 64.0);
        assert_close!(Bits::from_bytes(2.0).get(), 16.0);
        assert_close!(Bits::new(64.0).bytes(), 8.0);
        assert_eq!(
            q(8.0, "KB").as_width(),
            Err(QuantityError::Mismatch {
                expected: Dimension::Width,
                found: Dimension::Size
            })
        );
    }

    #[test]
    fn sizes() {
        let s = |v: f64, u: &str| q(v, u).as_size().unwrap().get();
        assert_close!(s(512.0, "B"), 512.0);
        assert_close!(s(1.0, "KB"), 1e3);
        assert_close!(s(1.0, "MB"), 1e6);
        assert_close!(s(64.0, "GB"), 64e9);
        assert_close!(s(2.0, "TB"), 2e12);
        assert_close!(s(1.0, "PB"), 1e15);
        assert_close!(s(1.0, "KiB"), 1024.0);
        assert_close!(s(1.0, "MiB"), 1_048_576.0);
        assert_eq!(s(1.0, "GiB"), 1_073_741_824.0);
        assert_close!(s(1.0, "TiB"), 1_099_511_627_776.0);
        assert_close!(s(1.0, "PiB"), 1_125_899_906_842_624.0);
        assert_eq!(
            q(64.0, "bit").as_size(),
            Err(QuantityError::Mismatch {
                expected: Dimension::Size,
                found: Dimension::Width
            })
        );
    }

    #[test]
    fn durations() {
        let d = |v: f64, u: &str| q(v, u).as_duration().unwrap().get();
        assert_close!(d(10.0, "ns"), 1e-8);
        assert_close!(d(5.0, "us"), 5e-6);
        assert_close!(d(5.0, "\u{b5}s"), 5e-6);
        assert_close!(d(5.0, "\u{3bc}s"), 5e-6);
        assert_close!(d(250.0, "ms"), 0.25);
        assert_close!(d(30.0, "s"), 30.0);
        assert_eq!(d(5.0, "m"), 300.0);
        assert_close!(d(5.0, "min"), 300.0);
        assert_close!(d(2.0, "h"), 7200.0);
        assert_close!(d(1.0, "d"), 86400.0);
    }

    #[test]
    fn request_rates_and_ratios() {
        assert_close!(q(3000.0, "rps").as_request_rate().unwrap().get(), 3000.0);
        let p = q(25.0, "%").as_percent().unwrap();
        assert_eq!(p.get(), 25.0);
        assert_close!(p.fraction(), 0.25);
        assert_close!(Percent::from_fraction(0.8).get(), 80.0);
    }

    #[test]
    fn counts() {
        assert_eq!(Quantity::bare(32.0).as_count(), Ok(32));
        assert_eq!(Quantity::bare(0.0).as_count(), Ok(0));
        assert_eq!(Quantity::bare(2.5).as_count(), Err(QuantityError::NotWhole));
        assert_eq!(
            Quantity::bare(-1.0).as_count(),
            Err(QuantityError::Negative)
        );
        assert_eq!(
            Quantity::bare(18_446_744_073_709_549_568.0).as_count(),
            Ok(18_446_744_073_709_549_568)
        );
        assert!(matches!(
            Quantity::bare(18_446_744_073_709_551_616.0).as_count(),
            Err(QuantityError::OutOfRange { .. })
        ));
        assert!(matches!(
            Quantity::bare(1e30).as_count(),
            Err(QuantityError::OutOfRange { .. })
        ));
        assert_eq!(
            q(32.0, "GB").as_count(),
            Err(QuantityError::Mismatch {
                expected: Dimension::Count,
                found: Dimension::Size
            })
        );
        assert_eq!(quantity_from_parts(3.0, "").unwrap(), Quantity::bare(3.0));
    }

    // --- derived figures ------------------------------------------------------

    #[test]
    fn watts_from_amps() {
        let w = Watts::from_amps(Amps::new(2.4), Volts::new(208.0));
        assert_close!(w.get(), 499.2);
        assert_close!(w.to_amps(Volts::new(208.0)).get(), 2.4);
    }

    #[test]
    fn bandwidth_from_width_and_rate() {
        // bus width 64bit rate 100MT/s → 800 MB/s
        let width = q(64.0, "bit").as_width().unwrap();
        let rate = q(100.0, "MT/s").as_transfer_rate().unwrap();
        assert_close!(
            BytesPerSecond::from_width_and_rate(width, rate).get(),
            800e6
        );
        // bus width 8B period 10ns → 800 MB/s
        let width = q(8.0, "B").as_width().unwrap();
        let period = q(10.0, "ns").as_duration().unwrap();
        let rate = TransfersPerSecond::from_period(period);
        assert_close!(rate.get(), 1e8);
        assert_close!(
            BytesPerSecond::from_width_and_rate(width, rate).get(),
            800e6
        );
    }

    #[test]
    fn bits_and_bytes_per_second() {
        assert_close!(BytesPerSecond::from_bits_per_second(25e9).get(), 3.125e9);
        assert_close!(BytesPerSecond::new(3.125e9).bits_per_second(), 25e9);
    }

    #[test]
    fn arithmetic() {
        let a = Watts::new(100.0) + Watts::new(50.0);
        assert_eq!(a, Watts::new(150.0));
        assert_eq!(a * 2.0, Watts::new(300.0));
        assert_eq!(2.0 * a, Watts::new(300.0));
        assert_eq!(a / 3.0, Watts::new(50.0));
        assert_close!(Watts::new(150.0) / Watts::new(600.0), 0.25);
        assert_eq!(a - Watts::new(50.0), Watts::new(100.0));
        let mut m = Kilograms::new(1.0);
        m += Kilograms::new(2.0);
        m -= Kilograms::new(0.5);
        assert_eq!(m, Kilograms::new(2.5));
        let total: BytesPerSecond = [1e9, 2e9, 3e9].into_iter().map(BytesPerSecond::new).sum();
        assert_eq!(total, BytesPerSecond::new(6e9));
        let v = [Amps::new(1.0), Amps::new(2.5)];
        let total: Amps = v.iter().sum();
        assert_eq!(total, Amps::new(3.5));
        assert!(Watts::new(1.0) < Watts::new(2.0));
        assert_eq!(Watts::new(1.0).max(Watts::new(2.0)), Watts::new(2.0));
        assert_eq!(Watts::new(1.0).min(Watts::new(2.0)), Watts::new(1.0));
        assert_eq!(Bytes::default(), Bytes::ZERO);
    }

    // --- draws and flow rates -----------------------------------------------

    #[test]
    fn draws() {
        assert_eq!(q(2.4, "A").as_draw(), Ok(Draw::Current(Amps::new(2.4))));
        assert_eq!(q(500.0, "W").as_draw(), Ok(Draw::Power(Watts::new(500.0))));
        assert_eq!(q(1.5, "kW").as_draw(), Ok(Draw::Power(Watts::new(1500.0))));
        let d = q(2.4, "A").as_draw().unwrap();
        assert_close!(d.watts(Some(Volts::new(208.0))).unwrap().get(), 499.2);
        assert_eq!(d.watts(None), None);
        let p = Draw::Power(Watts::new(500.0));
        assert_eq!(p.watts(None), Some(Watts::new(500.0)));
        assert_close!(p.amps(Some(Volts::new(250.0))).unwrap().get(), 2.0);
        assert_eq!(
            q(20.0, "kg").as_draw(),
            Err(QuantityError::Mismatch {
                expected: Dimension::CurrentOrPower,
                found: Dimension::Mass
            })
        );
        assert_eq!(q(-1.0, "A").as_draw(), Err(QuantityError::Negative));
        assert_eq!(d.to_string(), "2.40 A");
    }

    #[test]
    fn flow_rates() {
        assert_eq!(
            q(3000.0, "rps").as_rate_or_bandwidth(),
            Ok(FlowRate::Requests(RequestsPerSecond::new(3000.0)))
        );
        assert_eq!(
            q(25.0, "GbE").as_rate_or_bandwidth(),
            Ok(FlowRate::Bandwidth(BytesPerSecond::new(3.125e9)))
        );
        assert_eq!(
            q(200.0, "MB/s").as_rate_or_bandwidth(),
            Ok(FlowRate::Bandwidth(BytesPerSecond::new(2e8)))
        );
        let e = Quantity::bare(5.0).as_rate_or_bandwidth().unwrap_err();
        assert_eq!(
            e,
            QuantityError::Mismatch {
                expected: Dimension::RateOrBandwidth,
                found: Dimension::Count
            }
        );
        assert!(e
            .to_string()
            .starts_with("expected a request rate (rps) or a bandwidth"));
        assert_eq!(
            FlowRate::Requests(RequestsPerSecond::new(3000.0)).to_string(),
            "3000 rps"
        );
    }

    // --- errors -----------------------------------------------------------------

    #[test]
    fn mismatch_errors_name_both_dimensions() {
        let e = q(20.0, "kg").as_power().unwrap_err();
        assert_eq!(
            e,
            QuantityError::Mismatch {
                expected: Dimension::Power,
                found: Dimension::Mass
            }
        );
        assert_eq!(
            e.to_string(),
            "expected a power (W, kW), found a mass (kg, g, lb)"
        );
        assert_eq!(
            e.mismatch(),
            Some(Mismatch {
                expected: Dimension::Power,
                found: Dimension::Mass
            })
        );
        let m = Mismatch {
            expected: Dimension::Mass,
            found: Dimension::Count,
        };
        assert_eq!(
            m.to_string(),
            "expected a mass (kg, g, lb), found a plain number"
        );
        assert_eq!(QuantityError::from(m).mismatch(), Some(m));

        let found = |qq: Quantity, f: fn(&Quantity) -> Result<(), QuantityError>| {
            f(&qq).unwrap_err().mismatch().unwrap().found
        };
        assert_eq!(
            found(q(5.0, "m"), |x| x.as_mass().map(drop)),
            Dimension::Duration
        );
        assert_eq!(
            found(q(8.0, "GT/s"), |x| x.as_bandwidth().map(drop)),
            Dimension::TransferRate
        );
        assert_eq!(
            found(q(8.0, "Gb/s"), |x| x.as_transfer_rate().map(drop)),
            Dimension::Bandwidth
        );
        assert_eq!(
            found(q(64.0, "GB"), |x| x.as_bandwidth().map(drop)),
            Dimension::Size
        );
        assert_eq!(
            found(q(8.0, "B"), |x| x.as_current().map(drop)),
            Dimension::Size
        );
        assert_eq!(
            found(q(30.0, "A"), |x| x.as_power().map(drop)),
            Dimension::Current
        );
        assert_eq!(
            found(q(30.0, "W"), |x| x.as_current().map(drop)),
            Dimension::Power
        );
        assert_eq!(
            found(q(30.0, "%"), |x| x.as_voltage().map(drop)),
            Dimension::Ratio
        );
        assert_eq!(
            found(q(30.0, "rps"), |x| x.as_percent().map(drop)),
            Dimension::RequestRate
        );
        assert_eq!(
            found(q(30.0, "V"), |x| x.as_duration().map(drop)),
            Dimension::Voltage
        );
        assert_eq!(
            found(q(30.0, "U"), |x| x.as_size().map(drop)),
            Dimension::RackUnits
        );
        assert_eq!(
            found(Quantity::bare(3.0), |x| x.as_request_rate().map(drop)),
            Dimension::Count
        );
        assert_eq!(
            found(Quantity::bare(3.0), |x| x.as_width().map(drop)),
            Dimension::Count
        );
    }

    #[test]
    fn negative_and_non_finite_values() {
        assert_eq!(q(-1.0, "kg").as_mass(), Err(QuantityError::Negative));
        assert_eq!(q(-1.0, "W").as_power(), Err(QuantityError::Negative));
        assert_eq!(q(-1.0, "GB/s").as_bandwidth(), Err(QuantityError::Negative));
        assert_eq!(q(-1.0, "ns").as_duration(), Err(QuantityError::Negative));
        assert_eq!(q(-1.0, "%").as_percent(), Err(QuantityError::Negative));
        assert_eq!(q(-1.0, "bit").as_width(), Err(QuantityError::Negative));
        assert_eq!(q(-1.0, "GiB").as_size(), Err(QuantityError::Negative));
        assert!(matches!(
            q(f64::INFINITY, "kg").as_mass(),
            Err(QuantityError::OutOfRange { .. })
        ));
        assert!(matches!(
            q(f64::NAN, "W").as_power(),
            Err(QuantityError::OutOfRange { .. })
        ));
        // Finite in the source unit, infinite after conversion.
        assert!(matches!(
            q(1e300, "TB/s").as_bandwidth(),
            Err(QuantityError::OutOfRange { .. })
        ));
        assert_eq!(
            QuantityError::NotWhole.to_string(),
            "expected a whole number"
        );
    }

    #[test]
    fn quantity_display() {
        assert_eq!(q(25.0, "GbE").to_string(), "25GbE");
        assert_eq!(q(2.4, "kW").to_string(), "2.4kW");
        assert_eq!(Quantity::bare(3.0).to_string(), "3");
        assert_eq!(q(2.0, "U").dimension(), Dimension::RackUnits);
        assert_eq!(Quantity::bare(2.0).dimension(), Dimension::Count);
    }

    // --- formatting ------------------------------------------------------------

    #[test]
    fn sig3() {
        assert_eq!(format_sig3(7.876_923), "7.88");
        assert_eq!(format_sig3(25.0), "25.0");
        assert_eq!(format_sig3(600.0), "600");
        assert_eq!(format_sig3(121.0), "121");
        assert_eq!(format_sig3(0.25), "0.250");
        assert_eq!(format_sig3(1234.5), "1235");
        assert_eq!(format_sig3(9.996), "10.0");
        assert_eq!(format_sig3(99.96), "100");
        assert_eq!(format_sig3(999.6), "1000");
        assert_eq!(format_sig3(1000.0), "1000");
        assert_eq!(format_sig3(0.0), "0");
        assert_eq!(format_sig3(-0.0), "0");
        assert_eq!(format_sig3(-7.876), "-7.88");
        assert_eq!(format_sig3(1.0), "1.00");
        assert_eq!(format_sig3(100.0), "100");
        assert_eq!(format_sig3(0.001), "0.00100");
        assert_eq!(format_sig3(123_456_789.0), "123456789");
        assert!(!format_sig3(1e-30).contains('e'));
        assert!(!format_sig3(1e30).contains('e'));
        assert_eq!(format_sig3(1e300), "1.00e300");
        assert_eq!(format_sig3(f64::INFINITY), NOT_FINITE);
        assert_eq!(format_sig3(f64::NAN), NOT_FINITE);
    }

    #[test]
    fn bandwidth_display() {
        let show = |v: f64| BytesPerSecond::new(v).to_string();
        assert_eq!(show(7.876_923_076_923e9), "7.88 GB/s");
        assert_eq!(show(25e9), "25.0 GB/s");
        assert_eq!(show(600e6), "600 MB/s");
        assert_eq!(show(121e9), "121 GB/s");
        assert_eq!(show(3.125e9), "3.13 GB/s");
        assert_eq!(show(984_615_384.6), "985 MB/s");
        assert_eq!(show(999.7e6), "1.00 GB/s");
        assert_eq!(show(0.0), "0 B/s");
        assert_eq!(show(512.0), "512 B/s");
        assert_eq!(show(2e15), "2.00 PB/s");
    }

    #[test]
    fn power_current_voltage_display() {
        assert_eq!(Watts::new(500.0).to_string(), "500 W");
        assert_eq!(Watts::new(1960.0).to_string(), "1.96 kW");
        assert_eq!(Watts::new(499.2).to_string(), "499 W");
        assert_eq!(Watts::new(0.0).to_string(), "0 W");
        assert_eq!(Watts::new(2.5e6).to_string(), "2.50 MW");
        assert_eq!(Amps::new(8.5).to_string(), "8.50 A");
        assert_eq!(Amps::new(0.5).to_string(), "500 mA");
        assert_eq!(Amps::new(0.0).to_string(), "0 A");
        assert_eq!(Volts::new(208.0).to_string(), "208 V");
        assert_eq!(Volts::new(230.0).to_string(), "230 V");
    }

    #[test]
    fn mass_display() {
        assert_eq!(Kilograms::from_pounds(50.0).to_string(), "22.7 kg");
        assert_eq!(Kilograms::new(1200.0).to_string(), "1200 kg");
        assert_eq!(Kilograms::new(1234.5).to_string(), "1235 kg");
        assert_eq!(Kilograms::new(19.9).to_string(), "19.9 kg");
        assert_eq!(Kilograms::new(0.0).to_string(), "0 kg");
    }

    #[test]
    fn size_display() {
        assert_eq!(Bytes::new(64e9).to_string(), "64.0 GB");
        assert_eq!(Bytes::new(1.5e12).to_string(), "1.50 TB");
        assert_eq!(Bytes::new(512.0).to_string(), "512 B");
        assert_eq!(Bytes::new(0.0).to_string(), "0 B");
        assert_eq!(Bytes::new(2000.0).to_string(), "2.00 KB");
        // Whole binary multiples keep their binary unit.
        assert_eq!(Bytes::new(1_073_741_824.0).to_string(), "1.00 GiB");
        assert_eq!(Bytes::new(64.0 * GI).to_string(), "64.0 GiB");
        assert_eq!(Bytes::new(256.0 * GI).to_string(), "256 GiB");
        assert_eq!(Bytes::new(2048.0).to_string(), "2.00 KiB");
        // Not a whole number of GiB: decimal.
        assert_eq!(Bytes::new(1.5 * GI + 1.0).to_string(), "1.61 GB");
    }

    #[test]
    fn other_displays() {
        assert_eq!(Seconds::new(300.0).to_string(), "5 min");
        assert_eq!(Seconds::new(30.0).to_string(), "30 s");
        assert_eq!(Seconds::new(0.25).to_string(), "250 ms");
        assert_eq!(Seconds::new(90.0).to_string(), "1.5 min");
        assert_eq!(Seconds::new(7200.0).to_string(), "2 h");
        assert_eq!(Seconds::new(172_800.0).to_string(), "2 d");
        assert_eq!(Seconds::new(1e-8).to_string(), "10 ns");
        assert_eq!(Seconds::new(5e-6).to_string(), "5 \u{b5}s");
        assert_eq!(Seconds::new(0.0).to_string(), "0 s");
        assert_eq!(RequestsPerSecond::new(3000.0).to_string(), "3000 rps");
        assert_eq!(RequestsPerSecond::new(12.345).to_string(), "12.3 rps");
        assert_eq!(RequestsPerSecond::new(0.0).to_string(), "0 rps");
        assert_eq!(Percent::new(85.0).to_string(), "85 %");
        assert_eq!(Percent::new(85.55).to_string(), "85.6 %");
        assert_eq!(Percent::new(12.34).to_string(), "12.3 %");
        assert_eq!(Percent::new(0.0).to_string(), "0 %");
        assert_eq!(Percent::new(-0.01).to_string(), "0 %");
        assert_eq!(TransfersPerSecond::new(8e9).to_string(), "8.00 GT/s");
        assert_eq!(TransfersPerSecond::new(3.2e9).to_string(), "3.20 GT/s");
        assert_eq!(TransfersPerSecond::new(100e6).to_string(), "100 MT/s");
        assert_eq!(Bits::new(64.0).to_string(), "64 bit");
        assert_eq!(Bits::new(0.0).to_string(), "0 bit");
    }
}
