//! A preset's figure for what is written after its name (lane width,
//! transfer rate), its description, and why a use of it is refused.

use std::fmt;

use super::{BusFamily, BusPreset, Encoding, LaneRule, RateUnit, Signalling};
use crate::model::units::{Bits, BytesPerSecond, TransfersPerSecond};

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
    /// `links N` on a preset other than `upi`, or a link count outside
    /// 1..=4 (`upi links 5`).
    InvalidLinks { message: String },
}

impl PresetError {
    pub fn message(&self) -> &str {
        match self {
            PresetError::MissingLanes { message }
            | PresetError::InvalidLanes { message }
            | PresetError::LanesNotAllowed { message }
            | PresetError::RateNotAllowed { message }
            | PresetError::InvalidRate { message }
            | PresetError::InvalidLinks { message } => message,
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
                    LaneRule::Optional { default, allowed } if self.family == BusFamily::Dmi => {
                        let others: Vec<String> = allowed
                            .iter()
                            .filter(|&&w| w != default)
                            .map(|w| format!("x{w}"))
                            .collect();
                        format!(
                            "{}, x{default} (or {}) at {rate}{note} per lane, {}",
                            self.title,
                            or_list(&others),
                            encoding.name
                        )
                    }
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
                    let others: Vec<String> = sorted_rates(&self.rates[1..]);
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

/// Rates in GT/s, slowest first, as written: `["9.6", "11.2", "16"]`.
fn sorted_rates(rates: &[f64]) -> Vec<String> {
    let mut sorted = rates.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted.iter().map(|&x| format!("{}", x / 1e9)).collect()
}

/// The payload bandwidth of a bus preset, per direction, for the lane width
/// and transfer rate written after its name.
///
/// PCIe needs a width from x1, x2, x4, x8, x12, x16, x32; SAS takes an
/// optional width (x1, x2, x4, x8; default x1); DMI 3.0 and 4.0 take x4 or
/// x8 (default x4 and x8); DMI 2.0, SATA, Fibre Channel, UPI and DDR take
/// none. Only UPI takes a rate (9.6 .. 24 GT/s; default 10.4).
pub fn bus_bandwidth(
    preset: &BusPreset,
    lanes: Option<u32>,
    rate: Option<TransfersPerSecond>,
) -> Result<BytesPerSecond, PresetError> {
    bus_bandwidth_links(preset, lanes, rate, None)
}

/// [`bus_bandwidth`] with `links N` (UPI only, 1 to 4): that many links
/// between the two sockets carry N times one link's figure.
pub fn bus_bandwidth_links(
    preset: &BusPreset,
    lanes: Option<u32>,
    rate: Option<TransfersPerSecond>,
    links: Option<u32>,
) -> Result<BytesPerSecond, PresetError> {
    let name = preset.name;
    let links = match links {
        None => 1,
        Some(n) if preset.family != BusFamily::Upi => {
            return Err(PresetError::InvalidLinks {
                message: format!("{name} takes no `links {n}`; only upi does"),
            })
        }
        Some(n) if !(1..=super::bus::UPI_MAX_LINKS).contains(&n) => {
            return Err(PresetError::InvalidLinks {
                message: format!(
                    "{name} joins two sockets with 1 to {} links, not {n}",
                    super::bus::UPI_MAX_LINKS
                ),
            })
        }
        Some(n) => n,
    };
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
                    let items = sorted_rates(preset.rates);
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
    Ok(preset.per_lane_at(rate) * n as f64 * links as f64)
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
    label_with_links(preset, lanes, rate, None)
}

/// The preset as written, with a rate and links: `upi 11.2 GT/s links 2`.
pub fn label_with_links(
    preset: &BusPreset,
    lanes: Option<u32>,
    rate: Option<TransfersPerSecond>,
    links: Option<u32>,
) -> String {
    let mut s = preset.name.to_string();
    if let Some(n) = lanes {
        s.push_str(&format!(" x{n}"));
    }
    if let Some(r) = rate {
        s.push(' ');
        s.push_str(&trimmed_rate(r.get()));
    }
    if let Some(n) = links {
        s.push_str(&format!(" links {n}"));
    }
    s
}
