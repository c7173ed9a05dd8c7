//! Built-in bus presets (`pcie4 x16`, `dmi3`, `sata3`, `sas3 x4`, `fc32`,
//! `upi 11.2GT/s`, `ddr4-3200`) with the figures of
//! `reference/hardware-facts.md`: per direction, after line encoding.
//!
//! Every figure is computed from the raw rate, the encoding and the lane
//! count kept in the table, never typed in rounded; the one exception is
//! Fibre Channel, whose standard payload figures (N × 100 MB/s) are stated
//! directly.

use std::fmt;

use serde::Serialize;

use super::units::{Bits, BytesPerSecond, TransfersPerSecond};

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

const ENC_8B10B: Encoding = Encoding {
    payload: 8,
    total: 10,
    name: "8b/10b",
};
const ENC_128B130B: Encoding = Encoding {
    payload: 128,
    total: 130,
    name: "128b/130b",
};
const ENC_128B150B: Encoding = Encoding {
    payload: 128,
    total: 150,
    name: "128b/150b",
};
const ENC_FLIT_242_256: Encoding = Encoding {
    payload: 242,
    total: 256,
    name: "FLIT 242/256",
};

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

const PCIE_WIDTHS: &[u32] = &[1, 2, 4, 8, 16];
const SAS_WIDTHS: &[u32] = &[1, 2, 4, 8];
const UPI_RATES: &[f64] = &[10.4e9, 11.2e9, 16e9, 20e9];

const fn pcie(
    name: &'static str,
    title: &'static str,
    gts: f64,
    enc: Encoding,
    note: Option<&'static str>,
) -> BusPreset {
    BusPreset {
        name,
        family: BusFamily::Pcie,
        title,
        signalling: Signalling::Serial {
            rate: gts * 1e9,
            unit: RateUnit::GigatransfersPerSecond,
            encoding: enc,
            note,
        },
        lanes: LaneRule::Required(PCIE_WIDTHS),
        rates: &[],
    }
}

const fn dmi(
    name: &'static str,
    title: &'static str,
    lanes: u32,
    gts: f64,
    enc: Encoding,
) -> BusPreset {
    BusPreset {
        name,
        family: BusFamily::Dmi,
        title,
        signalling: Signalling::Serial {
            rate: gts * 1e9,
            unit: RateUnit::GigatransfersPerSecond,
            encoding: enc,
            note: None,
        },
        lanes: LaneRule::Fixed(lanes),
        rates: &[],
    }
}

const fn sata(name: &'static str, title: &'static str, gbps: f64) -> BusPreset {
    BusPreset {
        name,
        family: BusFamily::Sata,
        title,
        signalling: Signalling::Serial {
            rate: gbps * 1e9,
            unit: RateUnit::GigabitsPerSecond,
            encoding: ENC_8B10B,
            note: None,
        },
        lanes: LaneRule::Fixed(1),
        rates: &[],
    }
}

const fn sas(name: &'static str, title: &'static str, gbps: f64, enc: Encoding) -> BusPreset {
    BusPreset {
        name,
        family: BusFamily::Sas,
        title,
        signalling: Signalling::Serial {
            rate: gbps * 1e9,
            unit: RateUnit::GigabitsPerSecond,
            encoding: enc,
            note: None,
        },
        lanes: LaneRule::Optional {
            default: 1,
            allowed: SAS_WIDTHS,
        },
        rates: &[],
    }
}

const fn fc(name: &'static str, title: &'static str, gfc: f64) -> BusPreset {
    BusPreset {
        name,
        family: BusFamily::Fc,
        title,
        signalling: Signalling::Nominal {
            payload: gfc * 100e6,
        },
        lanes: LaneRule::Fixed(1),
        rates: &[],
    }
}

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

/// The preset table.
static BUS_PRESETS: &[BusPreset] = &[
    pcie("pcie1", "PCIe 1.x", 2.5, ENC_8B10B, None),
    pcie("pcie2", "PCIe 2.x", 5.0, ENC_8B10B, None),
    pcie("pcie3", "PCIe 3.0", 8.0, ENC_128B130B, None),
    pcie("pcie4", "PCIe 4.0", 16.0, ENC_128B130B, None),
    pcie("pcie5", "PCIe 5.0", 32.0, ENC_128B130B, None),
    pcie("pcie6", "PCIe 6.0", 64.0, ENC_FLIT_242_256, Some("PAM4")),
    dmi("dmi2", "DMI 2.0", 4, 5.0, ENC_8B10B),
    dmi("dmi3", "DMI 3.0", 4, 8.0, ENC_128B130B),
    dmi("dmi4", "DMI 4.0", 8, 16.0, ENC_128B130B),
    sata("sata1", "SATA 1", 1.5),
    sata("sata2", "SATA 2", 3.0),
    sata("sata3", "SATA 3", 6.0),
    sas("sas1", "SAS-1", 3.0, ENC_8B10B),
    sas("sas2", "SAS-2", 6.0, ENC_8B10B),
    sas("sas3", "SAS-3", 12.0, ENC_8B10B),
    sas("sas4", "SAS-4 (24G)", 22.5, ENC_128B150B),
    fc("fc8", "Fibre Channel 8GFC", 8.0),
    fc("fc16", "Fibre Channel 16GFC", 16.0),
    fc("fc32", "Fibre Channel 32GFC", 32.0),
    fc("fc64", "Fibre Channel 64GFC", 64.0),
    BusPreset {
        name: "upi",
        family: BusFamily::Upi,
        title: "Intel UPI",
        signalling: Signalling::Parallel {
            rate: 10.4e9,
            unit: RateUnit::GigatransfersPerSecond,
            width_bits: 16, // 2 bytes a transfer
        },
        lanes: LaneRule::Fixed(1),
        rates: UPI_RATES,
    },
    ddr4("ddr4-1600", "DDR4-1600", 1600.0),
    ddr4("ddr4-1866", "DDR4-1866", 1866.0),
    ddr4("ddr4-2133", "DDR4-2133", 2133.0),
    ddr4("ddr4-2400", "DDR4-2400", 2400.0),
    ddr4("ddr4-2666", "DDR4-2666", 2666.0),
    ddr4("ddr4-2933", "DDR4-2933", 2933.0),
    ddr4("ddr4-3200", "DDR4-3200", 3200.0),
    ddr5("ddr5-4800", "DDR5-4800", 4800.0),
    ddr5("ddr5-5200", "DDR5-5200", 5200.0),
    ddr5("ddr5-5600", "DDR5-5600", 5600.0),
    ddr5("ddr5-6000", "DDR5-6000", 6000.0),
    ddr5("ddr5-6400", "DDR5-6400", 6400.0),
];

/// Look up a bus preset by name, exactly as written (`pcie4`, `ddr4-3200`).
pub fn bus_preset(name: &str) -> Option<&'static BusPreset> {
    BUS_PRESETS.iter().find(|p| p.name == name)
}

/// Every bus preset name, for "did you mean" suggestions.
pub fn bus_preset_names() -> impl Iterator<Item = &'static str> {
    BUS_PRESETS.iter().map(|p| p.name)
}

/// Every bus preset.
pub fn bus_presets() -> impl Iterator<Item = &'static BusPreset> {
    BUS_PRESETS.iter()
}

/// Look up a memory preset (`memory ddr4-3200 { ... }`): the DDR rows only.
/// Its bandwidth (`bus_bandwidth(p, None, None)`) is per channel.
pub fn memory_preset(name: &str) -> Option<&'static BusPreset> {
    bus_preset(name).filter(|p| p.family == BusFamily::Ddr)
}

/// Every memory preset name, for "did you mean" suggestions.
pub fn memory_preset_names() -> impl Iterator<Item = &'static str> {
    BUS_PRESETS
        .iter()
        .filter(|p| p.family == BusFamily::Ddr)
        .map(|p| p.name)
}

/// Why a preset cannot be used as written. Every variant carries the message
/// to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PresetError {
    /// `pcie4` without a lane width.
    MissingLanes { message: String },
    /// A lane width the preset does not come in (`pcie4 x3`, `sas3 x16`).
    InvalidLanes { message: String },
    /// A lane width on a preset that takes none (`dmi3 x4`, `sata3 x1`).
    LanesNotAllowed { message: String },
    /// A transfer rate on a preset whose rate is fixed (all but `upi`).
    RateNotAllowed { message: String },
    /// A transfer rate the preset does not run at (`upi 12GT/s`).
    InvalidRate { message: String },
}

impl PresetError {
    pub fn message(&self) -> &str {
        match self {
            PresetError::MissingLanes { message }
            | PresetError::InvalidLanes { message }
            | PresetError::LanesNotAllowed { message }
            | PresetError::RateNotAllowed { message }
            | PresetError::InvalidRate { message } => message,
        }
    }
}

impl fmt::Display for PresetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for PresetError {}

/// `[1, 2, 4]` → `"x1, x2, x4"`.
fn widths_list(widths: &[u32]) -> String {
    widths
        .iter()
        .map(|w| format!("x{w}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `[a, b, c]` → `"a, b or c"`.
fn or_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {}", init.join(", "), last),
    }
}

impl BusPreset {
    /// The raw rate per lane (transfers or line bits per second), when the
    /// preset has one (not Fibre Channel).
    pub fn raw_rate(&self) -> Option<TransfersPerSecond> {
        match self.signalling {
            Signalling::Serial { rate, .. } | Signalling::Parallel { rate, .. } => {
                Some(TransfersPerSecond::new(rate))
            }
            Signalling::Nominal { .. } => None,
        }
    }

    /// The line encoding, for serial presets.
    pub fn encoding(&self) -> Option<Encoding> {
        match self.signalling {
            Signalling::Serial { encoding, .. } => Some(encoding),
            _ => None,
        }
    }

    /// The transfer rate used when none is given (UPI: 10.4 GT/s); `None`
    /// when the preset takes no rate.
    pub fn default_rate(&self) -> Option<TransfersPerSecond> {
        self.rates.first().map(|&r| TransfersPerSecond::new(r))
    }

    /// Whether a lane width may (or must) be written after the name.
    pub fn takes_lanes(&self) -> bool {
        !matches!(self.lanes, LaneRule::Fixed(_))
    }

    /// Whether a transfer rate may be written after the name (UPI only).
    pub fn takes_rate(&self) -> bool {
        !self.rates.is_empty()
    }

    /// The payload bandwidth of one lane (one DDR5 subchannel, one port) at
    /// the preset's own rate.
    pub fn per_lane(&self) -> BytesPerSecond {
        self.per_lane_at(None)
    }

    fn per_lane_at(&self, rate: Option<f64>) -> BytesPerSecond {
        match self.signalling {
            Signalling::Serial {
                rate: raw,
                encoding,
                ..
            } => {
                let bits = rate.unwrap_or(raw) * encoding.payload as f64 / encoding.total as f64;
                BytesPerSecond::from_bits_per_second(bits)
            }
            Signalling::Parallel {
                rate: raw,
                width_bits,
                ..
            } => BytesPerSecond::from_width_and_rate(
                Bits::new(width_bits as f64),
                TransfersPerSecond::new(rate.unwrap_or(raw)),
            ),
            Signalling::Nominal { payload } => BytesPerSecond::new(payload),
        }
    }

    /// The bandwidth when nothing is written after the name, or `None`
    /// when a lane width is required (PCIe). For a DDR preset this is the
    /// bandwidth of one channel.
    pub fn default_bandwidth(&self) -> Option<BytesPerSecond> {
        bus_bandwidth(self, None, None).ok()
    }

    /// A one-line description of where the figure comes from:
    /// `PCIe 3.0, 8 GT/s per lane, 128b/130b`.
    pub fn describe(&self) -> String {
        match (self.signalling, self.lanes) {
            (
                Signalling::Serial {
                    rate,
                    unit,
                    encoding,
                    note,
                },
                lanes,
            ) => {
                let rate = unit.format(rate);
                let note = note.map(|n| format!(" ({n})")).unwrap_or_default();
                match lanes {
                    LaneRule::Fixed(1) => {
                        format!("{}, {rate}{note}, {}", self.title, encoding.name)
                    }
                    LaneRule::Fixed(n) => format!(
                        "{}, {n} lanes at {rate}{note}, {}",
                        self.title, encoding.name
                    ),
                    _ => format!("{}, {rate} per lane{note}, {}", self.title, encoding.name),
                }
            }
            (
                Signalling::Parallel {
                    rate,
                    unit,
                    width_bits,
                },
                lanes,
            ) => {
                let rate_text = unit.format(rate);
                let width = match lanes {
                    LaneRule::Fixed(n) if n > 1 => {
                        format!("{n} \u{d7} {width_bits}-bit subchannels")
                    }
                    _ if self.family == BusFamily::Ddr => format!("{width_bits}-bit channel"),
                    _ if width_bits % 8 == 0 => {
                        format!("{} bytes per transfer", width_bits / 8)
                    }
                    _ => format!("{width_bits} bits per transfer"),
                };
                if self.rates.len() > 1 {
                    let others: Vec<String> = self.rates[1..]
                        .iter()
                        .map(|&r| format!("{}", r / 1e9))
                        .collect();
                    format!(
                        "{}, {rate_text} (or {} {}), {width}",
                        self.title,
                        or_list(&others),
                        unit.symbol()
                    )
                } else {
                    format!("{}, {rate_text}, {width}", self.title)
                }
            }
            (Signalling::Nominal { payload }, _) => {
                format!("{}, {} per port", self.title, BytesPerSecond::new(payload))
            }
        }
    }
}

/// The payload bandwidth of a bus preset, per direction, for the lane width
/// and transfer rate written after its name.
///
/// PCIe needs a width from x1, x2, x4, x8, x16; SAS takes an optional width
/// (x1, x2, x4, x8; default x1); DMI, SATA, Fibre Channel, UPI and DDR take
/// none. Only UPI takes a rate (10.4, 11.2, 16 or 20 GT/s; default 10.4).
pub fn bus_bandwidth(
    preset: &BusPreset,
    lanes: Option<u32>,
    rate: Option<TransfersPerSecond>,
) -> Result<BytesPerSecond, PresetError> {
    let name = preset.name;
    let n = match (preset.lanes, lanes) {
        (LaneRule::Required(allowed), None) => {
            return Err(PresetError::MissingLanes {
                message: format!("{name} needs a lane width ({})", widths_list(allowed)),
            })
        }
        (LaneRule::Required(allowed), Some(n)) | (LaneRule::Optional { allowed, .. }, Some(n)) => {
            if !allowed.contains(&n) {
                let items: Vec<String> = allowed.iter().map(|w| format!("x{w}")).collect();
                return Err(PresetError::InvalidLanes {
                    message: format!("{name} does not come in x{n}; use {}", or_list(&items)),
                });
            }
            n
        }
        (LaneRule::Optional { default, .. }, None) => default,
        (LaneRule::Fixed(fixed), Some(n)) => {
            let message = match preset.family {
                BusFamily::Dmi => {
                    format!("{name} has a fixed width of {fixed} lanes; remove x{n}")
                }
                _ => format!("{name} takes no lane width; remove x{n}"),
            };
            return Err(PresetError::LanesNotAllowed { message });
        }
        (LaneRule::Fixed(f), None) => f,
    };
    let rate = match rate {
        None => None,
        Some(r) if preset.rates.is_empty() => {
            return Err(PresetError::RateNotAllowed {
                message: format!("{name} takes no transfer rate ({r} given); only upi does"),
            })
        }
        Some(r) => {
            let v = r.get();
            match preset
                .rates
                .iter()
                .find(|&&allowed| (v - allowed).abs() <= allowed * 1e-9)
            {
                Some(&allowed) => Some(allowed),
                None => {
                    let items: Vec<String> = preset
                        .rates
                        .iter()
                        .map(|&x| format!("{}", x / 1e9))
                        .collect();
                    return Err(PresetError::InvalidRate {
                        message: format!(
                            "{name} runs at {} GT/s, not {}",
                            or_list(&items),
                            trimmed_rate(v)
                        ),
                    });
                }
            }
        }
    };
    Ok(preset.per_lane_at(rate) * n as f64)
}

/// A rate in GT/s without trailing zeros: `11.2 GT/s`, `16 GT/s`.
fn trimmed_rate(per_second: f64) -> String {
    RateUnit::GigatransfersPerSecond.format(per_second)
}

/// The preset as written: `pcie3 x8`, `dmi3`, `sas3 x4`.
pub fn label(preset: &BusPreset, lanes: Option<u32>) -> String {
    label_with_rate(preset, lanes, None)
}

/// The preset as written, with a rate: `upi 11.2 GT/s`.
pub fn label_with_rate(
    preset: &BusPreset,
    lanes: Option<u32>,
    rate: Option<TransfersPerSecond>,
) -> String {
    let mut s = preset.name.to_string();
    if let Some(n) = lanes {
        s.push_str(&format!(" x{n}"));
    }
    if let Some(r) = rate {
        s.push(' ');
        s.push_str(&trimmed_rate(r.get()));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

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
            for n in [1, 2, 4, 8, 16] {
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
                message: "pcie4 needs a lane width (x1, x2, x4, x8, x16)".into()
            }
        );
        assert_eq!(
            e.to_string(),
            "pcie4 needs a lane width (x1, x2, x4, x8, x16)"
        );
        for bad in [0, 3, 12, 32] {
            let e = bus_bandwidth(p, Some(bad), None).unwrap_err();
            assert!(matches!(e, PresetError::InvalidLanes { .. }), "x{bad}");
            assert!(e.message().contains(&format!("x{bad}")), "{e}");
            assert!(e.message().contains("x1, x2, x4, x8 or x16"), "{e}");
        }
        assert_eq!(p.default_bandwidth(), None);
    }

    #[test]
    fn dmi() {
        assert_bw!("dmi2", None, 2.0e9);
        assert_bw!("dmi3", None, 4.0 * 8e9 * 128.0 / 130.0 / 8.0);
        assert!((bw("dmi3", None) - 3.938_461_538_5e9).abs() < 1e3);
        assert!((bw("dmi4", None) - 15.753_846_153_8e9).abs() < 1e3);
        let e = bus_bandwidth(bus_preset("dmi3").unwrap(), Some(4), None).unwrap_err();
        assert!(matches!(e, PresetError::LanesNotAllowed { .. }));
        assert!(e.message().contains("fixed width of 4 lanes"), "{e}");
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
                message: "upi runs at 10.4, 11.2, 16 or 20 GT/s, not 12 GT/s".into()
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
        assert_eq!(names.len(), 12);
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
        assert_eq!(names.len(), 33);
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
        assert_eq!(d("dmi3"), "DMI 3.0, 4 lanes at 8 GT/s, 128b/130b");
        assert_eq!(d("dmi4"), "DMI 4.0, 8 lanes at 16 GT/s, 128b/130b");
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
            "Intel UPI, 10.4 GT/s (or 11.2, 16 or 20 GT/s), 2 bytes per transfer"
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
}
