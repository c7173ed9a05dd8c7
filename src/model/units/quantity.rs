//! A number with its unit as written, and its checked conversion into a
//! typed figure of the expected dimension.

use std::fmt;

use serde::Serialize;

use super::format::NOT_FINITE;
use super::table::{
    fibre_channel_payload, parse_unit, speed_list, Kind, Unit, UnknownUnit, ETHERNET_SPEEDS_GBPS,
    FIBRE_CHANNEL_SPEEDS, GI, KI, MI, PI, TI,
};
use super::values::*;
use super::Dimension;

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
            Kind::FibreChannel => Ok(BytesPerSecond(fibre_channel_payload(v))),
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

    /// A DIMM's size (`dimm-size`): JEDEC writes memory sizes with decimal
    /// prefixes that mean binary ones, so `KB` .. `PB` here are KiB .. PiB
    /// (a "32GB" RDIMM holds 34,359,738,368 bytes). `KiB` .. and `B` are
    /// what they say.
    pub fn as_dimm_size(&self) -> Result<Bytes, QuantityError> {
        let unit = self.unit_of(Dimension::Size, &[Kind::Size, Kind::Byte])?;
        let v = self.check_value()?;
        let factor = match unit.symbol() {
            "KB" => KI,
            "MB" => MI,
            "GB" => GI,
            "TB" => TI,
            "PB" => PI,
            _ => unit.def().factor,
        };
        finite(self, v * factor).map(Bytes)
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
