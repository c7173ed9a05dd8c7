//! How figures are printed in messages: three significant digits, never
//! scientific notation for ordinary figures, never `inf` or `NaN`.

/// Round to three significant digits; returns the rounded value and the
/// number of decimals to print. Values of 1000 and more are rounded to a
/// whole number (never scientific notation).
pub(super) fn sig3_parts(v: f64) -> (f64, usize) {
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
pub fn format_sig3_trim(v: f64) -> String {
    trim_zeros(format_sig3(v))
}

pub(super) fn trim_zeros(s: String) -> String {
    // "1.00e40" keeps its mantissa: trimming would change the exponent.
    if s.contains('.') && !s.contains('e') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// A whole number without decimals, anything else with three significant
/// digits.
pub(super) fn format_whole_or_sig3(v: f64) -> String {
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
pub(super) fn format_scaled(v: f64, scales: &[(f64, &str)], base: usize) -> String {
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

const BIT_RATES: [(f64, &str); 5] = [
    (1e12, "Tb/s"),
    (1e9, "Gb/s"),
    (1e6, "Mb/s"),
    (1e3, "kb/s"),
    (1.0, "b/s"),
];

/// A rate given in bytes per second, said in bits as links are sold:
/// `40 Gb/s`, `12.5 Gb/s`, `800 Mb/s`.
pub fn bit_rate(bytes_per_second: f64) -> String {
    bit_rates_in_one_unit(bytes_per_second, bytes_per_second).0
}

/// Two rates in bytes per second said in bits in the unit of the larger,
/// so a message compares like with like: (`25 Gb/s`, `40 Gb/s`).
pub fn bit_rates_in_one_unit(a: f64, b: f64) -> (String, String) {
    let larger = a.max(b) * 8.0;
    let (scale, unit) = BIT_RATES
        .into_iter()
        .find(|(scale, _)| larger >= *scale)
        .unwrap_or(BIT_RATES[4]);
    let text = |v: f64| format!("{} {unit}", format_sig3_trim(v * 8.0 / scale));
    (text(a), text(b))
}
