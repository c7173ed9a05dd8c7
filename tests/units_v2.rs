//! The units version 2 of the language adds: apparent power (`VA`, `kVA`,
//! `MVA`) for circuits, breakers and draws, and length (`km`, `mi`) for a
//! link's distance. Exact figures, did-you-mean, mismatch messages that name
//! both dimensions, and draws and circuits given in VA end to end.

use topo::check::check_sources;
use topo::model::units::{
    parse_unit, quantity_from_parts, unit_symbols, Amps, Dimension, Draw, Metres, Quantity,
    QuantityError, VoltAmperes, Volts, Watts,
};
use topo::model::Element;

fn q(value: f64, unit: &str) -> Quantity {
    quantity_from_parts(value, unit).unwrap_or_else(|e| panic!("{value}{unit}: {e}"))
}

fn suggestion(unit: &str) -> Option<&'static str> {
    parse_unit(unit)
        .expect_err("should not be a unit")
        .suggestion
}

// --- apparent power ------------------------------------------------------------

#[test]
fn apparent_power_units_convert_exactly() {
    assert_eq!(
        q(1200.0, "VA").as_apparent_power(),
        Ok(VoltAmperes::new(1200.0))
    );
    assert_eq!(
        q(2.5, "kVA").as_apparent_power(),
        Ok(VoltAmperes::new(2500.0))
    );
    assert_eq!(q(1.0, "MVA").as_apparent_power(), Ok(VoltAmperes::new(1e6)));
    assert_eq!(
        q(500.0, "kVA").as_apparent_power().unwrap().get(),
        500_000.0
    );
    for unit in ["VA", "kVA", "MVA"] {
        let u = parse_unit(unit).unwrap();
        assert_eq!(u.dimensions(), &[Dimension::ApparentPower], "{unit}");
        assert!(unit_symbols().any(|s| s == unit), "{unit} not listed");
    }
}

#[test]
fn apparent_power_is_not_real_power() {
    let e = q(2.5, "kVA").as_power().unwrap_err();
    assert_eq!(
        e,
        QuantityError::Mismatch {
            expected: Dimension::Power,
            found: Dimension::ApparentPower
        }
    );
    assert_eq!(
        e.to_string(),
        "expected a power (W, kW), found an apparent power (VA, kVA, MVA)"
    );
    let e = q(5.0, "kW").as_apparent_power().unwrap_err();
    assert_eq!(
        e.to_string(),
        "expected an apparent power (VA, kVA, MVA), found a power (W, kW)"
    );
}

#[test]
fn volt_amperes_arithmetic_and_display() {
    let va = VoltAmperes::from_amps(Amps::new(30.0), Volts::new(208.0));
    assert_eq!(va.get(), 6240.0);
    assert_eq!(va.to_amps(Volts::new(208.0)).get(), 30.0);
    assert_eq!(va.watts_at(1.0), Watts::new(6240.0));
    assert_eq!(va.watts_at(0.5), Watts::new(3120.0));
    assert_eq!(VoltAmperes::new(1200.0).to_string(), "1.2 kVA");
    assert_eq!(VoltAmperes::new(750.0).to_string(), "750 VA");
    assert_eq!(VoltAmperes::new(2500.0).to_string(), "2.5 kVA");
    assert_eq!(VoltAmperes::new(17_300.0).to_string(), "17.3 kVA");
    assert_eq!(VoltAmperes::new(1e6).to_string(), "1 MVA");
    assert_eq!(VoltAmperes::ZERO.to_string(), "0 VA");
}

#[test]
fn a_draw_may_be_given_in_va() {
    assert_eq!(
        q(1200.0, "VA").as_draw(),
        Ok(Draw::ApparentPower(VoltAmperes::new(1200.0)))
    );
    assert_eq!(
        q(2.5, "kVA").as_draw(),
        Ok(Draw::ApparentPower(VoltAmperes::new(2500.0)))
    );
    let d = q(2.5, "kVA").as_draw().unwrap();
    // A bare draw knows no power factor: VA counts as W (factor 1.0);
    // `Project::device_power` applies the device's.
    assert_eq!(d.watts(None), Some(Watts::new(2500.0)));
    assert_eq!(d.amps(Some(Volts::new(250.0))), Some(Amps::new(10.0)));
    assert_eq!(d.amps(None), None);
    assert_eq!(d.to_string(), "2.5 kVA");
    // W and A still work as before.
    assert_eq!(q(500.0, "W").as_draw(), Ok(Draw::Power(Watts::new(500.0))));
    assert_eq!(q(2.0, "A").as_draw(), Ok(Draw::Current(Amps::new(2.0))));
    assert_eq!(q(-1.0, "VA").as_draw(), Err(QuantityError::Negative));
    assert!(matches!(
        q(1e308, "MVA").as_draw(),
        Err(QuantityError::OutOfRange { .. })
    ));
}

// --- length ---------------------------------------------------------------------

#[test]
fn length_units_convert_exactly() {
    assert_eq!(q(1.0, "km").as_length(), Ok(Metres::new(1000.0)));
    assert_eq!(q(1.0, "mi").as_length(), Ok(Metres::new(1609.344)));
    assert_eq!(q(1.0, "mi").as_length().unwrap().kilometres(), 1.609344);
    assert_eq!(q(10.0, "mi").as_length().unwrap().get(), 16_093.44);
    assert_eq!(q(0.5, "km").as_length().unwrap().kilometres(), 0.5);
    assert_eq!(Metres::from_miles(1.0), Metres::new(1609.344));
    assert_eq!(Metres::from_kilometres(80.0), Metres::new(80_000.0));
    for unit in ["km", "mi"] {
        assert_eq!(
            parse_unit(unit).unwrap().dimensions(),
            &[Dimension::Length],
            "{unit}"
        );
    }
}

#[test]
fn length_display_is_in_kilometres() {
    assert_eq!(Metres::new(1609.344).to_string(), "1.61 km");
    assert_eq!(Metres::new(80_000.0).to_string(), "80.0 km");
    assert_eq!(Metres::new(500.0).to_string(), "0.500 km");
    assert_eq!(Metres::ZERO.to_string(), "0 km");
}

#[test]
fn minutes_stay_minutes() {
    // `m` is a duration; a length is only ever km or mi.
    assert_eq!(
        parse_unit("m").unwrap().dimensions(),
        &[Dimension::Duration]
    );
    assert_eq!(q(2.0, "m").as_duration().unwrap().get(), 120.0);
    let e = q(500.0, "m").as_length().unwrap_err();
    assert_eq!(
        e.mismatch().map(|m| (m.expected, m.found)),
        Some((Dimension::Length, Dimension::Duration))
    );
    assert_eq!(suggestion("min2"), Some("min"));
}

#[test]
fn length_mismatch_names_both_dimensions() {
    let e = q(3.0, "kg").as_length().unwrap_err();
    assert_eq!(
        e,
        QuantityError::Mismatch {
            expected: Dimension::Length,
            found: Dimension::Mass
        }
    );
    assert_eq!(
        e.to_string(),
        "expected a length (km, mi), found a mass (kg, g, lb)"
    );
    assert_eq!(
        Quantity::bare(5.0).as_length().unwrap_err().to_string(),
        "expected a length (km, mi), found a plain number"
    );
    assert_eq!(
        q(5.0, "km").as_mass().unwrap_err().to_string(),
        "expected a mass (kg, g, lb), found a length (km, mi)"
    );
    assert_eq!(q(-2.0, "km").as_length(), Err(QuantityError::Negative));
}

// --- did you mean ------------------------------------------------------------

#[test]
fn suggestions_for_the_new_units() {
    assert_eq!(suggestion("kva"), Some("kVA"));
    assert_eq!(suggestion("KVA"), Some("kVA"));
    assert_eq!(suggestion("Kva"), Some("kVA"));
    assert_eq!(suggestion("va"), Some("VA"));
    assert_eq!(suggestion("mva"), Some("MVA"));
    assert_eq!(suggestion("KM"), Some("km"));
    assert_eq!(suggestion("Km"), Some("km"));
    assert_eq!(suggestion("miles"), Some("mi"));
    assert_eq!(suggestion("mile"), Some("mi"));
    assert_eq!(suggestion("kilometres"), Some("km"));
    assert_eq!(suggestion("kilometers"), Some("km"));
    assert_eq!(suggestion("volt-amperes"), Some("VA"));
    assert_eq!(
        parse_unit("kva").unwrap_err().to_string(),
        "unknown unit; did you mean `kVA`?"
    );
    // The v1 suggestions are unchanged.
    assert_eq!(suggestion("kw"), Some("kW"));
    assert_eq!(suggestion("lbs"), Some("lb"));
}

// --- end to end: the checker -------------------------------------------------

/// (rule, message, help) of every diagnostic.
fn diagnostics(text: &str) -> Vec<(String, String, Option<String>)> {
    check_sources(&[("dc.topo", text)])
        .diagnostics
        .iter()
        .map(|d| (d.rule.to_string(), d.message.clone(), d.help.clone()))
        .collect()
}

#[test]
fn a_draw_in_va_is_no_longer_an_unknown_unit() {
    let text = "site s\nserver a { site s; draw 1200VA }\nserver b { site s; draw 2.5kVA }\n";
    let found = diagnostics(text);
    assert!(
        found.iter().all(|(rule, ..)| rule != "unit-mismatch"),
        "{found:?}"
    );
    let checked = check_sources(&[("dc.topo", text)]);
    let p = &checked.project;
    let draw = |name: &str| match p.element(name) {
        Some(Element::Device(id)) => p.devices[id.index()].props.draw.map(|d| d.value),
        other => panic!("{name}: {other:?}"),
    };
    assert_eq!(
        draw("a"),
        Some(Draw::ApparentPower(VoltAmperes::new(1200.0)))
    );
    assert_eq!(
        draw("b"),
        Some(Draw::ApparentPower(VoltAmperes::new(2500.0)))
    );
}

#[test]
fn a_misspelt_va_suggests_va() {
    let found = diagnostics("site s\nserver a { site s; draw 2kva }\n");
    let (rule, message, help) = &found[0];
    assert_eq!(rule, "unit-mismatch");
    assert_eq!(message, "unknown unit `kva`");
    assert_eq!(help.as_deref(), Some("did you mean `kVA`?"));
}

#[test]
fn a_draw_of_the_wrong_dimension_names_both() {
    let found = diagnostics("site s\nserver a { site s; draw 20kg }\n");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "unit-mismatch");
    assert!(
        found[0].1.contains("found a mass (kg, g, lb)"),
        "{}",
        found[0].1
    );
}

#[test]
fn a_circuit_in_kva_is_a_power_budget() {
    // 17.3 kVA at a power factor of 1.0: 15 kW is 87 %.
    let found = diagnostics(
        "site s\nfeed colo { site s; circuit 17.3kVA }\nrack r1 { site s; feeds colo }\n\
         server w1 { rack r1 at U1; size 1U; draw 5kW }\n\
         server w2 { rack r1 at U2; size 1U; draw 5kW }\n\
         server w3 { rack r1 at U3; size 1U; draw 5kW }\n",
    );
    let rack_power: Vec<_> = found
        .iter()
        .filter(|(rule, ..)| rule == "rack-power")
        .map(|(_, message, _)| message.as_str())
        .collect();
    assert_eq!(
        rack_power,
        ["feed `colo` carries 15 kVA for rack `r1` in normal operation: 87 % of 17.3 kVA, above the 80 % continuous-load limit"],
        "{found:?}"
    );
    assert!(
        found.iter().all(|(rule, ..)| rule != "unit-mismatch"),
        "{found:?}"
    );
}

#[test]
fn draws_in_va_count_toward_the_budget() {
    // 3 × 2kVA = 6 kVA (6 kW at a power factor of 1.0) on a 5 kW budget.
    let found = diagnostics(
        "site s\nfeed f { site s; circuit 5kW }\nrack r1 { site s; feeds f }\n\
         server w1 { rack r1 at U1; size 1U; draw 2kVA }\n\
         server w2 { rack r1 at U2; size 1U; draw 2kVA }\n\
         server w3 { rack r1 at U3; size 1U; draw 2kVA }\n",
    );
    let messages: Vec<_> = found
        .iter()
        .filter(|(rule, ..)| rule == "rack-power")
        .map(|(_, m, _)| m.as_str())
        .collect();
    assert_eq!(
        messages,
        ["feed `f` carries 6 kVA for rack `r1` in normal operation: 120 % of 5 kVA (given in W, taken as VA), over its rating"],
        "{found:?}"
    );
}

#[test]
fn a_circuit_in_va_needs_no_voltage() {
    let checked = check_sources(&[(
        "dc.topo",
        "site s\nfeed big { site s; circuit 1MVA }\nfeed small { site s; circuit 500kVA at 400V }\n",
    )]);
    assert!(
        checked
            .diagnostics
            .iter()
            .all(|d| d.rule != "invalid-value"),
        "{:?}",
        checked.diagnostics
    );
    let circuit = |i: usize| checked.project.feeds[i].circuit.unwrap().value;
    assert_eq!(circuit(0).limit, Draw::ApparentPower(VoltAmperes::new(1e6)));
    assert_eq!(circuit(0).watts(), Some(Watts::new(1e6)));
    assert_eq!(circuit(1).voltage, Some(Volts::new(400.0)));
    assert_eq!(circuit(1).watts(), Some(Watts::new(500_000.0)));
}
