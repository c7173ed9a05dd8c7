//! Every unit the language accepts, and recognising one as written (with a
//! did-you-mean for near misses).

use std::fmt;
use std::str::FromStr;

use super::Dimension;

/// The internal classification of a unit; `Byte` is the one unit with two
/// dimensions, `Ethernet` and `FibreChannel` are bandwidths with a fixed set
/// of valid figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
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

pub(super) struct UnitDef {
    symbol: &'static str,
    kind: Kind,
    /// Multiply a figure in this unit by `factor` to get the SI base unit of
    /// its dimension (amps, volts, watts, volt-amperes, kg, metres, B/s, T/s,
    /// bits, bytes, seconds, rps, percent). For `B` this is the size factor (1 byte).
    pub(super) factor: f64,
}

const fn def(symbol: &'static str, kind: Kind, factor: f64) -> UnitDef {
    UnitDef {
        symbol,
        kind,
        factor,
    }
}

pub(super) const KI: f64 = 1024.0;
pub(super) const MI: f64 = KI * KI;
pub(super) const GI: f64 = MI * KI;
pub(super) const TI: f64 = GI * KI;
pub(super) const PI: f64 = TI * KI;

/// Every unit the language accepts, spelled exactly (case matters). The order
/// matters only for tie-breaking "did you mean" suggestions.
pub(super) static UNITS: &[UnitDef] = &[
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
    pub(super) fn def(&self) -> &'static UnitDef {
        &UNITS[self.index as usize]
    }

    pub(super) fn kind(&self) -> Kind {
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

/// The Fibre Channel speeds `GFC` accepts; `N GFC` carries N × 100 MB/s,
/// except 10GFC (see [`fibre_channel_payload`]).
pub const FIBRE_CHANNEL_SPEEDS: [f64; 9] = [1.0, 2.0, 4.0, 8.0, 10.0, 16.0, 32.0, 64.0, 128.0];

/// The payload of one `N GFC` port in bytes per second: N × 100 MB/s, but
/// 10GFC runs 10.52 Gbaud with 64b/66b and carries 1200 MB/s.
pub fn fibre_channel_payload(gfc: f64) -> f64 {
    if (gfc - 10.0).abs() < 1e-9 {
        1200e6
    } else {
        gfc * 1e8
    }
}

pub(super) fn speed_list(speeds: &[f64]) -> String {
    speeds
        .iter()
        .map(|s| s.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
