//! How typed figures read in messages: the prefix that puts the figure in
//! [1, 1000), or the unit people speak of for that dimension.

use std::fmt;

use super::format::{
    format_scaled, format_sig3, format_sig3_trim, format_whole_or_sig3, trim_zeros, NOT_FINITE,
};
use super::table::{GI, KI, MI, PI, TI};
use super::values::*;

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

/// Circuits are read to the ten volt-amperes (a 32 A three-phase circuit
/// at 400 V is 22.17 kVA, not 22.2): up to two decimals in the unit that
/// puts the figure in [1, 1000), trailing zeros dropped (`6.24 kVA`,
/// `7 kVA`, `144.1 kVA`).
impl fmt::Display for VoltAmperes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.0.is_finite() {
            return f.write_str(NOT_FINITE);
        }
        let a = self.0.abs();
        let (scale, unit) = if a >= 999_995.0 {
            (1e6, "MVA")
        } else if a >= 999.995 {
            (1e3, "kVA")
        } else {
            (1.0, "VA")
        };
        let v = self.0 / scale;
        if v.abs() >= 1e36 {
            // Whole digits would run past what a message may echo.
            return write!(f, "{} {unit}", format_sig3(v));
        }
        let decimals = if v.abs() >= 100.0 { 1 } else { 2 };
        let text = trim_zeros(format!("{v:.decimals$}"));
        write!(f, "{text} {unit}")
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

const DECIMAL_SIZES: [(f64, &str); 6] = [
    (1.0, "B"),
    (1e3, "KB"),
    (1e6, "MB"),
    (1e9, "GB"),
    (1e12, "TB"),
    (1e15, "PB"),
];

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

/// Whether a size reads naturally in binary units: a whole number of MiB
/// that is not a whole number of MB (JEDEC DIMMs, `GiB` figures), or a
/// whole number of its largest binary unit (`64 KiB`).
fn reads_binary(v: f64) -> bool {
    v.is_finite() && v > 0.0 && ((v % MI == 0.0 && v % 1e6 != 0.0) || exact_binary(v).is_some())
}

/// Sizes that one message compares, printed in one unit so that the reader
/// compares numbers and not units: binary (KiB .. PiB) when any of them
/// reads naturally in binary (a host of JEDEC DIMMs, a `GiB` cache),
/// decimal (KB .. PB) otherwise, with the prefix that puts the largest in
/// [1, 1000) (binary: [1, 1024)). Three significant digits, more where two
/// different sizes would otherwise print alike (`128.0 GiB` against
/// `128.1 GiB`). Each string is the figure and its unit: `"130 GiB"`.
pub fn sizes_in_one_unit(sizes: &[Bytes]) -> Vec<String> {
    const BINARY: [(f64, &str); 6] = [
        (1.0, "B"),
        (KI, "KiB"),
        (MI, "MiB"),
        (GI, "GiB"),
        (TI, "TiB"),
        (PI, "PiB"),
    ];
    let scales = if sizes.iter().any(|b| reads_binary(b.0)) {
        &BINARY
    } else {
        &DECIMAL_SIZES
    };
    let top = sizes
        .iter()
        .map(|b| b.0)
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let (scale, unit) = scales
        .iter()
        .rev()
        .find(|(s, _)| top >= *s)
        .copied()
        .unwrap_or(scales[0]);
    let print = |digits: i32| -> Vec<String> {
        sizes
            .iter()
            .map(|b| format!("{} {unit}", significant(b.0 / scale, digits)))
            .collect()
    };
    // Up to six digits: beyond that the sizes are equal for any purpose.
    let mut digits = 3;
    loop {
        let out = print(digits);
        let alike = sizes.iter().enumerate().any(|(i, a)| {
            sizes[..i]
                .iter()
                .enumerate()
                .any(|(j, b)| a.0 != b.0 && out[i] == out[j])
        });
        if !alike || digits >= 6 {
            return out;
        }
        digits += 1;
    }
}

/// `digits` significant digits, trailing zeros dropped; three digits read
/// as everywhere else ([`format_sig3`]).
fn significant(v: f64, digits: i32) -> String {
    if digits <= 3 || v == 0.0 || !v.is_finite() || v.abs() >= 1e15 {
        return format_sig3_trim(v);
    }
    let e = v.abs().log10().floor() as i32;
    let decimals = (digits - 1 - e).clamp(0, 12) as usize;
    trim_zeros(format!("{v:.decimals$}"))
}

impl fmt::Display for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some((n, sym)) = exact_binary(self.0) {
            return write!(f, "{} {}", format_sig3(n), sym);
        }
        f.write_str(&format_scaled(self.0, &DECIMAL_SIZES, 0))
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
