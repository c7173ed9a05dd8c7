//! The power chain: three-phase capacity, VA and power factor, one voltage
//! per device, feeds shared by racks, power sources, the rack's own limit
//! beside its feeds, which feeds a device's supplies connect to, and the
//! bounds that keep the sums small. Each case has a failing and a passing
//! text with the exact findings and figures.

use serde_json::Value;
use topo::check::check_sources;

/// (rule, severity, message) of every finding.
fn findings(text: &str) -> Vec<(String, String, String)> {
    check_sources(&[("dc.topo", text)])
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.rule.to_string(),
                d.severity.to_string(),
                d.message.clone(),
            )
        })
        .collect()
}

/// The messages of `rule`.
fn messages(text: &str, rule: &str) -> Vec<String> {
    findings(text)
        .into_iter()
        .filter(|(r, ..)| r == rule)
        .map(|(.., m)| m)
        .collect()
}

/// The `data` of each finding of `rule`.
fn data(text: &str, rule: &str) -> Vec<Value> {
    check_sources(&[("dc.topo", text)])
        .diagnostics
        .iter()
        .filter(|d| d.rule == rule)
        .map(|d| serde_json::to_value(&d.data).unwrap())
        .collect()
}

// --- three phases -----------------------------------------------------------

const GPU_RACK: &str = "site dc\n\
    feed c { site dc; circuit 32A at 400V; phases 3 }\n\
    rack r1 { site dc; feeds c }\n\
    server gpu[1..3] { rack r1 at U1; size 4U; draw 5kW }\n";

#[test]
fn a_three_phase_feed_carries_root_three_times_v_times_a() {
    // √3 × 400 V × 32 A = 22,170 VA: a 15 kW GPU rack is at 68 %, healthy.
    assert_eq!(findings(GPU_RACK), vec![]);
    // Four GPU servers: 20 kVA is 90 % of 22.17 kVA, 28.9 A per line.
    let four = GPU_RACK.replace("gpu[1..3]", "gpu[1..4]");
    assert_eq!(
        messages(&four, "rack-power"),
        ["feed `c` carries 20 kVA (28.9 A at 400 V) for rack `r1` in normal operation: 90 % of 22.17 kVA (32 A at 400 V, three-phase), above the 80 % continuous-load limit"]
    );
    let d = &data(&four, "rack-power")[0];
    assert_eq!(d["load"], 20000.0);
    assert!((d["capacity"].as_f64().unwrap() - 3f64.sqrt() * 400.0 * 32.0).abs() < 1e-6);
    assert_eq!(d["unit"], "VA");
    assert_eq!(d["scenario"], "normal operation");
}

// --- the rack's own limit beside its feeds ----------------------------------

const LIMITED: &str = "site dc\n\
    feed a { site dc; circuit 30A at 208V }\n\
    feed b { site dc; circuit 30A at 208V }\n\
    rack r1 { site dc; feeds a b; power 10kW }\n\
    server s[1..4] { rack r1 at U1; size 1U; draw 2kW; psu 2 }\n";

#[test]
fn a_rack_power_limit_never_switches_off_the_feed_check() {
    // 8 kW is 80 % of the rack's 10 kW, but 8 kVA on one 6.24 kVA feed
    // after the other fails: 128 %.
    assert_eq!(
        findings(LIMITED),
        vec![(
            "rack-power".to_string(),
            "error".to_string(),
            "feed `a` carries 8 kVA (38.5 A at 208 V) for rack `r1` after feed `b` fails (4 kVA in normal operation): 128 % of 6.24 kVA (30 A at 208 V), over its rating; feed `b` too".to_string()
        )]
    );
    let d = &data(LIMITED, "rack-power")[0];
    assert_eq!(d["load"], 8000.0);
    assert_eq!(d["capacity"], 6240.0);
    assert_eq!(d["normal"], 4000.0);
    assert_eq!(d["scenario"], "feed b fails");
    assert_eq!(d["feed"], "a");
    // Three servers: 6 kVA after a loss is 96 %, a warning; the rack's own
    // 10 kW is at 60 %, quiet.
    let three = LIMITED.replace("s[1..4]", "s[1..3]");
    assert_eq!(
        messages(&three, "rack-power"),
        ["feed `a` carries 6 kVA (28.8 A at 208 V) for rack `r1` after feed `b` fails (3 kVA in normal operation): 96 % of 6.24 kVA (30 A at 208 V), above the 80 % continuous-load limit; feed `b` too"]
    );
    // Two servers: 4 kVA after a loss is 64 %: quiet.
    assert_eq!(findings(&LIMITED.replace("s[1..4]", "s[1..2]")), vec![]);
    // The rack's own limit fires on its own: 8 kW of 7 kW, with 60 A feeds.
    let own = LIMITED
        .replace("power 10kW", "power 7kW")
        .replace("30A at 208V", "60A at 208V");
    assert_eq!(
        messages(&own, "rack-power"),
        ["rack `r1` draws 8 kVA of its own power limit of 7 kVA (given in W, taken as VA): 114 %, over its rating"]
    );
}

// --- shared feeds -------------------------------------------------------------

const SHARED: &str = "site dc\n\
    feed a { site dc; circuit 30A at 208V }\n\
    feed b { site dc; circuit 30A at 208V }\n\
    rack r1 { site dc; feeds a b }\n\
    rack r2 { site dc; feeds a b }\n\
    server s1 { rack r1 at U1; size 2U; draw 3.5kW; psu 2 }\n\
    server s2 { rack r2 at U1; size 2U; draw 3.5kW; psu 2 }\n";

#[test]
fn a_feed_carries_every_rack_on_it() {
    // Each rack alone is 3.5 kVA per feed (56 % after a loss: quiet), the
    // pair carries both racks: 7 kVA = 112 %.
    assert_eq!(messages(SHARED, "rack-power"), Vec::<String>::new());
    assert_eq!(
        messages(SHARED, "power-capacity"),
        [
            "feed `a` carries 7 kVA (33.7 A at 208 V) for 2 racks after feed `b` fails (3.5 kVA in normal operation): 112 % of 6.24 kVA (30 A at 208 V), over its rating",
            "feed `b` carries 7 kVA (33.7 A at 208 V) for 2 racks after feed `a` fails (3.5 kVA in normal operation): 112 % of 6.24 kVA (30 A at 208 V), over its rating",
        ]
    );
    let d = &data(SHARED, "power-capacity")[0];
    assert_eq!(d["load"], 7000.0);
    assert_eq!(d["scenario"], "feed b fails");
    // At 1.2 kW a rack: 2.4 kVA after a loss, 38 %.
    assert_eq!(findings(&SHARED.replace("3.5kW", "1.2kW")), vec![]);
}

// --- power sources --------------------------------------------------------

const UPS: &str = "site dc\n\
    power util { site dc; kind utility; capacity 500kVA }\n\
    power ups-a { site dc; kind ups; capacity 20kVA; from util }\n\
    power ups-b { site dc; kind ups; capacity 20kVA; from util }\n\
    feed a[1..4] { site dc; circuit 30A at 208V; from ups-a }\n\
    feed b[1..4] { site dc; circuit 30A at 208V; from ups-b }\n\
    rack r1 { site dc; feeds a1 b1 }\n\
    rack r2 { site dc; feeds a2 b2 }\n\
    rack r3 { site dc; feeds a3 b3 }\n\
    rack r4 { site dc; feeds a4 b4 }\n\
    server s1 { rack r1 at U1; size 2U; draw 3kW }\n\
    server s2 { rack r2 at U1; size 2U; draw 3kW }\n\
    server s3 { rack r3 at U1; size 2U; draw 3kW }\n\
    server s4 { rack r4 at U1; size 2U; draw 3kW }\n";

#[test]
fn a_source_carries_what_moves_onto_it_when_its_peer_fails() {
    // 4 × 3 kVA: 6 kVA per UPS normally, 12 kVA (60 %) when the other
    // fails: quiet. At 4.5 kW a rack: 18 kVA = 90 %, a warning each.
    assert_eq!(findings(UPS), vec![]);
    let heavy = UPS.replace("draw 3kW", "draw 4.5kW");
    assert_eq!(
        messages(&heavy, "power-capacity"),
        [
            "power source `ups-a` carries 18 kVA after power source `ups-b` fails (9 kVA in normal operation): 90 % of 20 kVA, above the 80 % continuous-load limit",
            "power source `ups-b` carries 18 kVA after power source `ups-a` fails (9 kVA in normal operation): 90 % of 20 kVA, above the 80 % continuous-load limit",
        ]
    );
    let d = &data(&heavy, "power-capacity")[0];
    assert_eq!(d["scenario"], "power ups-b fails");
    assert_eq!(d["normal"], 9000.0);
    // The utility carries 18 kVA in every case: 3.6 % of 500 kVA.
}

// --- VA and the power factor ----------------------------------------------

#[test]
fn a_draw_in_w_is_divided_by_the_power_factor() {
    // 4 × 1,200 W at 0.9 = 5,333 VA: 85 % of 6.24 kVA; at 1.0 it would be
    // 4.8 kVA, 77 %, quiet.
    let text = "site dc\nfeed a { site dc; circuit 30A at 208V }\nrack r1 { site dc; feeds a }\n\
                server s[1..4] { rack r1 at U1; size 1U; draw 1200W; power-factor 0.9 }\n";
    assert_eq!(
        messages(text, "rack-power"),
        ["feed `a` carries 5.33 kVA (25.6 A at 208 V) for rack `r1` in normal operation: 85 % of 6.24 kVA (30 A at 208 V), above the 80 % continuous-load limit"]
    );
    assert_eq!(findings(&text.replace("; power-factor 0.9", "")), vec![]);
    // A draw in VA is the apparent power itself: 4 × 1,200 VA = 4.8 kVA.
    let va = text.replace("draw 1200W; power-factor 0.9", "draw 1200VA");
    assert_eq!(findings(&va), vec![]);
    let va = text.replace("draw 1200W; power-factor 0.9", "draw 1300VA");
    assert_eq!(
        messages(&va, "rack-power"),
        ["feed `a` carries 5.2 kVA (25 A at 208 V) for rack `r1` in normal operation: 83 % of 6.24 kVA (30 A at 208 V), above the 80 % continuous-load limit"]
    );
}

// --- one voltage per device, never the first feed listed -------------------

#[test]
fn a_draw_in_amps_needs_one_voltage() {
    let mixed = "site dc\nfeed lo { site dc; circuit 20A at 120V }\nfeed hi { site dc; circuit 30A at 208V }\n\
                 rack r1 { site dc; feeds lo hi }\nserver s { rack r1 at U1; size 1U; draw 2A }\n";
    let want = "`s` draws 2.00 A, but rack `r1` has feeds of different voltages (`lo` and `hi`) to convert it to VA";
    assert_eq!(messages(mixed, "invalid-value"), [want]);
    // The order of the feeds changes neither the verdict nor the answer.
    let swapped = mixed.replace("feeds lo hi", "feeds hi lo");
    assert_eq!(
        messages(&swapped, "invalid-value"),
        ["`s` draws 2.00 A, but rack `r1` has feeds of different voltages (`hi` and `lo`) to convert it to VA"]
    );
    // The rack's `voltage` settles it.
    assert_eq!(
        findings(&mixed.replace("feeds lo hi }", "feeds lo hi; voltage 208V }")),
        vec![]
    );
    // A three-phase feed does not say which voltage a supply sees.
    let three = "site dc\nfeed c { site dc; circuit 32A at 400V; phases 3 }\nrack r1 { site dc; feeds c }\n\
                 server s { rack r1 at U1; size 1U; draw 2A }\n";
    assert_eq!(
        messages(three, "invalid-value"),
        ["`s` draws 2.00 A, but feed `c` of rack `r1` is three-phase: the voltage at the device's supply (line-to-line or line-to-neutral) is not stated to convert it to VA"]
    );
    assert_eq!(
        findings(&three.replace("feeds c }", "feeds c; voltage 230V }")),
        vec![]
    );
    // Draws in W need no voltage: the verdict is the same in either order.
    let watts = "site dc\nfeed lo { site dc; circuit 20A at 120V }\nfeed hi { site dc; circuit 30A at 208V }\n\
                 rack r1 { site dc; feeds lo hi }\nserver s[1..2] { rack r1 at U1; size 1U; draw 1kW }\n";
    let one = messages(watts, "rack-power");
    assert_eq!(
        one,
        ["feed `lo` carries 2 kVA (16.7 A at 120 V) for rack `r1` after feed `hi` fails (1 kVA in normal operation): 83 % of 2.4 kVA (20 A at 120 V), above the 80 % continuous-load limit"]
    );
    assert_eq!(
        messages(&watts.replace("feeds lo hi", "feeds hi lo"), "rack-power"),
        one
    );
}

// --- which feeds a device connects to ---------------------------------------

#[test]
fn a_single_supply_hangs_on_the_first_feed_or_the_one_it_names() {
    // psu 1: all of its 5 kW on feed a (6.24 kVA, 80.1 %), none on b.
    let text = "site dc\nfeed a { site dc; circuit 30A at 208V }\nfeed b { site dc; circuit 30A at 208V }\n\
                rack r1 { site dc; feeds a b }\nserver s { rack r1 at U1; size 1U; draw 5kW; psu 1 }\n";
    assert_eq!(
        messages(text, "rack-power"),
        ["feed `a` carries 5 kVA (24 A at 208 V) for rack `r1` in normal operation: 80.1 % of 6.24 kVA (30 A at 208 V), above the 80 % continuous-load limit"]
    );
    // Named: `feeds b` puts it on b.
    let named = text.replace("psu 1 }", "psu 1; feeds b }");
    assert_eq!(
        messages(&named, "rack-power"),
        ["feed `b` carries 5 kVA (24 A at 208 V) for rack `r1` in normal operation: 80.1 % of 6.24 kVA (30 A at 208 V), above the 80 % continuous-load limit"]
    );
    // Two supplies: 2.5 kVA each, 5 kVA on the survivor — the same 80.1 %,
    // now after a failure.
    let two = text.replace("psu 1", "psu 2");
    let d = &data(&two, "rack-power")[0];
    assert_eq!(d["normal"], 2500.0);
    assert_eq!(d["load"], 5000.0);
    assert_eq!(d["scenario"], "feed b fails");
    assert_eq!(
        messages(&text.replace("5kW", "4kW"), "rack-power"),
        Vec::<String>::new()
    );
}

// --- bounds ------------------------------------------------------------------

#[test]
fn a_rack_lists_at_most_64_feeds_and_a_chain_is_at_most_64_sources_deep() {
    let text = "site dc\nfeed f[1..65] { site dc; circuit 30A at 208V }\nrack r { site dc; feeds f[1..65] }\n";
    assert_eq!(
        messages(text, "invalid-value"),
        ["a rack lists 65 feeds; a rack has at most 64"]
    );
    let ok = "site dc\nfeed f[1..64] { site dc; circuit 30A at 208V }\nrack r { site dc; feeds f[1..64] }\n";
    assert_eq!(findings(ok), vec![]);
    let mut chain = String::from("site dc\npower p0 { site dc; kind utility }\n");
    for i in 1..=64 {
        chain.push_str(&format!(
            "power p{i} {{ site dc; kind panel; from p{} }}\n",
            i - 1
        ));
    }
    assert_eq!(
        messages(&chain, "invalid-value"),
        ["power source `p64` is more than 64 sources below its root"]
    );
    let short: String = chain.lines().take(65).map(|l| format!("{l}\n")).collect();
    assert_eq!(findings(&short), vec![]);
}
