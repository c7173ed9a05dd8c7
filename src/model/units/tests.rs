//! The units, their dimensions, conversions and how figures read.

use super::table::{GI, UNITS};
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

#[test]
fn bit_rates_are_said_in_bits_and_compared_in_one_unit() {
    use super::format::{bit_rate, bit_rates_in_one_unit, format_sig3_trim};
    // 25GbE = 3.125 GB/s; a 40 Gb/s stream = 5 GB/s.
    assert_eq!(bit_rate(3.125e9), "25 Gb/s");
    assert_eq!(bit_rate(125e6), "1 Gb/s");
    assert_eq!(bit_rate(12.5e9 / 8.0), "12.5 Gb/s");
    assert_eq!(bit_rate(100.0), "800 b/s");
    assert_eq!(bit_rate(0.0), "0 b/s");
    assert_eq!(
        bit_rates_in_one_unit(100e6, 3.125e9),
        ("0.8 Gb/s".to_string(), "25 Gb/s".to_string())
    );
    assert_eq!(format_sig3_trim(2.50), "2.5");
    assert_eq!(format_sig3_trim(30.0), "30");
    // Scientific notation keeps its mantissa's zeros.
    assert_eq!(format_sig3_trim(1e40), "1.00e40");
}
