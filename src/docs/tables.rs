//! The units and presets tables of the reference, read from the unit table
//! (`model::units`) and the preset table (`model::presets`).

use super::{cell, code};
use crate::model::presets::{
    bus_bandwidth, bus_presets, memory_preset, BusFamily, BusPreset, LaneRule,
};
use crate::model::units::{
    self, parse_unit, quantity_from_parts, Dimension, RackUnits, TransfersPerSecond,
    ETHERNET_SPEEDS_GBPS, FIBRE_CHANNEL_SPEEDS,
};
use std::fmt::Write;

/// The dimensions that units have, in the order the unit table first
/// names them, each with its units.
fn units_by_dimension() -> Vec<(Dimension, Vec<&'static str>)> {
    let mut groups: Vec<(Dimension, Vec<&'static str>)> = Vec::new();
    for symbol in units::unit_symbols() {
        let Ok(unit) = parse_unit(symbol) else {
            continue;
        };
        for &dimension in unit.dimensions() {
            match groups.iter_mut().find(|(d, _)| *d == dimension) {
                Some((_, symbols)) => symbols.push(symbol),
                None => groups.push((dimension, vec![symbol])),
            }
        }
    }
    groups
}

/// One of `symbol` in the base unit of `dimension`: `(0.45359237, "kg")`.
fn in_base_unit(symbol: &str, dimension: Dimension) -> Option<(f64, &'static str)> {
    let one = quantity_from_parts(1.0, symbol).ok()?;
    let (value, base) = match dimension {
        Dimension::RackUnits => return None,
        Dimension::Current => (one.as_current().ok()?.get(), "A"),
        Dimension::Voltage => (one.as_voltage().ok()?.get(), "V"),
        Dimension::Power => (one.as_power().ok()?.get(), "W"),
        Dimension::ApparentPower => (one.as_apparent_power().ok()?.get(), "VA"),
        Dimension::Mass => (one.as_mass().ok()?.get(), "kg"),
        // Lengths are stored in metres, but `m` is minutes in the language:
        // shown in kilometres.
        Dimension::Length => (one.as_length().ok()?.get() / 1000.0, "km"),
        Dimension::Bandwidth => (one.as_bandwidth().ok()?.get(), "B/s"),
        Dimension::TransferRate => (one.as_transfer_rate().ok()?.get(), "T/s"),
        Dimension::Width => (one.as_width().ok()?.get(), "bit"),
        Dimension::Size => (one.as_size().ok()?.get(), "B"),
        Dimension::Duration => (one.as_duration().ok()?.get(), "s"),
        Dimension::RequestRate => (one.as_request_rate().ok()?.get(), "rps"),
        Dimension::Ratio => (one.as_percent().ok()?.get(), "%"),
        Dimension::Count | Dimension::RateOrBandwidth | Dimension::CurrentOrPower => return None,
    };
    Some((value, base))
}

/// What a user should know about a dimension beyond its units.
fn dimension_note(dimension: Dimension) -> String {
    let speeds = |list: &[f64]| {
        list.iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match dimension {
        Dimension::RackUnits => format!(
            "Heights and sizes (`42U`, `2U`); a position in a rack puts the U first: `U10`. \
             One U is {} mm.",
            RackUnits::new(1).millimetres()
        ),
        Dimension::Current => "Converted to power with the voltage of the rack.".into(),
        Dimension::Power => "Real power.".into(),
        Dimension::ApparentPower => {
            "What circuits and breakers are rated in: W ÷ power factor = VA.".into()
        }
        Dimension::Bandwidth => format!(
            "Bits and bytes never mix silently: 8 b = 1 B. `GbE` is an Ethernet port, N Gb/s \
             per direction, for N in {}; `GFC` a Fibre Channel port, N × 100 MB/s of payload, \
             for N in {}.",
            speeds(&ETHERNET_SPEEDS_GBPS),
            speeds(&FIBRE_CHANNEL_SPEEDS)
        ),
        Dimension::TransferRate => "Transfers per second, of a bus.".into(),
        Dimension::Width => "The width of one transfer: `64bit`, `8B` (a byte is 8 bits).".into(),
        Dimension::Size => "`KB` … `PB` are decimal (1 KB = 1000 B), `KiB` … `PiB` binary \
             (1 KiB = 1024 B). In `dimm-size`, `GB` and `TB` are the sizes printed on DIMMs, \
             which are binary: a 32GB DIMM holds 32 GiB."
            .into(),
        Dimension::Duration => "`m` is minutes, never metres.".into(),
        Dimension::Length => "The length of a cable (`distance`).".into(),
        Dimension::RequestRate => "Requests per second.".into(),
        Dimension::Ratio => "Percent: `25%`.".into(),
        Dimension::Voltage
        | Dimension::Mass
        | Dimension::Count
        | Dimension::RateOrBandwidth
        | Dimension::CurrentOrPower => String::new(),
    }
}

/// A figure in a units table: whole numbers as they are, powers of ten and
/// two as powers (`10⁻⁹`, `2³⁰`), others with a power of ten
/// (`1.25 × 10⁸`).
fn figure(v: f64) -> String {
    const SUPERSCRIPT: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    let power = |base: &str, exponent: i32| {
        let digits: String = exponent
            .unsigned_abs()
            .to_string()
            .chars()
            .filter_map(|d| d.to_digit(10).map(|d| SUPERSCRIPT[d as usize]))
            .collect();
        format!("{base}{}{digits}", if exponent < 0 { "⁻" } else { "" })
    };
    if (1e-3..1e6).contains(&v) {
        return v.to_string();
    }
    let exponent = v.log10().round() as i32;
    if 10f64.powi(exponent) == v {
        return power("10", exponent);
    }
    let twos = v.log2().round() as i32;
    if 2f64.powi(twos) == v {
        return power("2", twos);
    }
    let scientific = format!("{v:e}");
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    format!(
        "{mantissa} × {}",
        power("10", exponent.parse().unwrap_or(0))
    )
}

/// The units table: each dimension with its units, what one of each is in
/// the dimension's base unit, and notes.
pub fn units_table() -> String {
    let mut out = String::from(
        "| dimension | units (one of each in the base unit) | notes |\n|---|---|---|\n",
    );
    for (dimension, symbols) in units_by_dimension() {
        let units: Vec<String> = symbols
            .iter()
            .map(|&s| match in_base_unit(s, dimension) {
                Some((value, base)) if value != 1.0 || s != base => {
                    format!("{} = {} {base}", code(s), figure(value))
                }
                _ => code(s),
            })
            .collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            dimension.name(),
            cell(&units.join(", ")),
            cell(&dimension_note(dimension))
        );
    }
    let _ = writeln!(
        out,
        "| {} | a bare number, without a unit | `cores 32`, `power-factor 0.95` |",
        Dimension::Count.name()
    );
    out
}

/// A bandwidth with four significant digits, the way data sheets print
/// them: `984.6 MB/s`, `15.75 GB/s`, `250 MB/s`.
fn bandwidth(bytes_per_second: f64) -> String {
    const SCALES: [(f64, &str); 4] = [(1.0, "B/s"), (1e3, "kB/s"), (1e6, "MB/s"), (1e9, "GB/s")];
    let (scale, symbol) = SCALES
        .iter()
        .rev()
        .find(|(s, _)| bytes_per_second >= *s)
        .copied()
        .unwrap_or(SCALES[0]);
    let v = bytes_per_second / scale;
    let decimals = 3usize.saturating_sub(v.abs().log10().floor().max(0.0) as usize);
    let text = format!("{v:.decimals$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    };
    format!("{text} {symbol}")
}

/// How a preset is written and what it carries, per direction.
fn written_and_bandwidth(preset: &BusPreset) -> (String, String) {
    let at = |lanes: Option<u32>, rate: Option<f64>| {
        bus_bandwidth(preset, lanes, rate.map(TransfersPerSecond::new))
            .map(|b| bandwidth(b.get()))
            .unwrap_or_default()
    };
    let per_lane = bandwidth(preset.per_lane().get());
    let numbers = |list: &[u32]| {
        list.iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let widest = |list: &[u32]| list.iter().max().copied().unwrap_or(1);
    match preset.lanes {
        LaneRule::Required(allowed) => (
            format!(
                "{}, N = {}",
                code(&format!("{} xN", preset.name)),
                numbers(allowed)
            ),
            format!(
                "{per_lane} per lane; x{} = {}",
                widest(allowed),
                at(Some(widest(allowed)), None)
            ),
        ),
        LaneRule::Optional { default, allowed } => {
            // A default wider than one lane (DMI) gets its own figure.
            let mut figures = vec![format!("{per_lane} per lane")];
            if default != 1 {
                figures.push(format!("x{default} = {} (default)", at(None, None)));
            }
            if widest(allowed) != default {
                figures.push(format!(
                    "x{} = {}",
                    widest(allowed),
                    at(Some(widest(allowed)), None)
                ));
            }
            (
                format!(
                    "{}, N = {} (default {default})",
                    code(&format!("{} [xN]", preset.name)),
                    numbers(allowed)
                ),
                figures.join("; "),
            )
        }
        LaneRule::Fixed(_) if preset.takes_rate() => {
            let figures: Vec<String> = preset
                .rates
                .iter()
                .map(|&r| format!("{} at {}", at(None, Some(r)), trimmed_gts(r)))
                .collect();
            let rates: Vec<String> = preset.rates.iter().map(|&r| trimmed_gts(r)).collect();
            (
                format!(
                    "{}, RATE = {} (default {}); N = 1 to 4 links between the two sockets, each adding one link's figure",
                    code(&format!("{} [RATE] [links N]", preset.name)),
                    rates.join(", "),
                    rates.first().cloned().unwrap_or_default()
                ),
                figures.join(", "),
            )
        }
        LaneRule::Fixed(_) => (code(preset.name), at(None, None)),
    }
}

/// `10.4e9` → `10.4GT/s`, as it is written in a file.
fn trimmed_gts(rate: f64) -> String {
    format!("{}GT/s", rate / 1e9)
}

/// The bus presets (every family but memory), with their figures.
pub fn bus_presets_table() -> String {
    let mut out =
        String::from("| preset | what it is | written | per direction |\n|---|---|---|---|\n");
    for preset in bus_presets().filter(|p| p.family != BusFamily::Ddr) {
        let (written, figures) = written_and_bandwidth(preset);
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            code(preset.name),
            cell(&preset.describe()),
            cell(&written),
            cell(&figures)
        );
    }
    out
}

/// The memory presets (`memory PRESET { … }`), with the bandwidth of one
/// channel.
pub fn memory_presets_table() -> String {
    let mut out = String::from("| preset | what it is | per channel |\n|---|---|---|\n");
    for preset in bus_presets().filter(|p| memory_preset(p.name).is_some()) {
        let figure = preset
            .default_bandwidth()
            .map(|b| bandwidth(b.get()))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            code(preset.name),
            cell(&preset.describe()),
            figure
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_read_as_a_person_writes_them() {
        assert_eq!(figure(1.0), "1");
        assert_eq!(figure(0.45359237), "0.45359237");
        assert_eq!(figure(1e-9), "10⁻⁹");
        assert_eq!(figure(1e15), "10¹⁵");
        assert_eq!(figure(1024.0 * 1024.0 * 1024.0), "2³⁰");
        assert_eq!(figure(1.25e8), "1.25 × 10⁸");
        assert_eq!(figure(86400.0), "86400");
    }

    #[test]
    fn bandwidths_keep_four_digits() {
        assert_eq!(bandwidth(984.615e6), "984.6 MB/s");
        assert_eq!(bandwidth(15.7538e9), "15.75 GB/s");
        assert_eq!(bandwidth(250e6), "250 MB/s");
        assert_eq!(bandwidth(20.8e9), "20.8 GB/s");
    }

    #[test]
    fn every_unit_is_in_the_table() {
        let table = units_table();
        for symbol in units::unit_symbols() {
            assert!(table.contains(&code(symbol)), "{symbol}");
        }
    }
}
