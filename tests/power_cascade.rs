//! Issue 18, the cascade slice: `topo impact` follows overloads. Load that
//! moves onto a surviving feed or power source above 100 % of its capacity
//! trips it (feeds first, then the lowest overloaded sources, round by
//! round), and what it feeds fails with the named elements. Each situation
//! has a fixture that trips and one that stays quiet, with exact outputs.

mod support;

use std::path::{Path, PathBuf};
use support::{Outcome, Topo};

/// Two racks of 3.5 kW on one A/B pair of 30 A / 208 V circuits
/// (6.24 kVA): 3.5 kVA per feed (56 %) normally, 7 kVA (112 %) on the
/// survivor when the other fails.
const AB_PAIR: &str = "\
site dc
feed a { site dc; circuit 30A at 208V }
feed b { site dc; circuit 30A at 208V }
rack r1 { site dc; feeds a b }
rack r2 { site dc; feeds a b }
server s1 { rack r1 at U1; size 2U; draw 3.5kW; psu 2 }
server s2 { rack r2 at U1; size 2U; draw 3.5kW; psu 2 }
service app on s1 s2
client browser { browser }
flow use { browser -> app }
";

/// Feed a1 fails: its rack's load moves onto b1, and panel-b carries 4 kVA
/// of 3.5 kVA (ups-b above it is overloaded too, 4 of 3.8 kVA, but waits
/// for the panel below it). Once panel-b trips, every rack runs on the A
/// side: panel-a carries 4 kVA and ups-a, with panel-c's 3.5 kVA, 7.5 of
/// 7 kVA.
const TWO_LEVEL: &str = "\
site dc
power ups-a { site dc; kind ups; capacity 7kVA }
power ups-b { site dc; kind ups; capacity 3.8kVA }
power panel-a { site dc; kind panel; capacity 10kVA; from ups-a }
power panel-b { site dc; kind panel; capacity PANEL_B; from ups-b }
power panel-c { site dc; kind panel; capacity 10kVA; from ups-a }
feed a[1..3] { site dc; circuit 30A at 208V; from panel-a }
feed b[1..3] { site dc; circuit 30A at 208V; from panel-b }
feed c1 { site dc; circuit 30A at 208V; from panel-c }
rack r1 { site dc; feeds a1 b1 }
rack r2 { site dc; feeds a2 b2 }
rack r3 { site dc; feeds a3 b3 }
rack r4 { site dc; feeds c1 }
server s1 { rack r1 at U1; size 2U; draw 2kW; psu 2 }
server s2 { rack r2 at U1; size 2U; draw 2kW; psu 2 }
server s3 { rack r3 at U1; size 2U; draw 2kW; psu 2 }
server s4 { rack r4 at U1; size 2U; draw 3.5kW }
";

/// UPS A and B, four racks of 3 kW on one feed from each: 6 kVA per UPS
/// normally, 12 kVA on UPS B when UPS A fails.
const UPS_PAIR: &str = "\
site dc
power ups-a { site dc; kind ups; capacity UPS }
power ups-b { site dc; kind ups; capacity UPS }
feed a[1..4] { site dc; circuit 30A at 208V; from ups-a }
feed b[1..4] { site dc; circuit 30A at 208V; from ups-b }
rack r1 { site dc; feeds a1 b1 }
rack r2 { site dc; feeds a2 b2 }
rack r3 { site dc; feeds a3 b3 }
rack r4 { site dc; feeds a4 b4 }
server s1 { rack r1 at U1; size 2U; draw 3kW; psu 2 }
server s2 { rack r2 at U1; size 2U; draw 3kW; psu 2 }
server s3 { rack r3 at U1; size 2U; draw 3kW; psu 2 }
server s4 { rack r4 at U1; size 2U; draw 3kW; psu 2 }
service app on s1 s2 s3 s4
client browser { browser }
flow use { browser -> app }
";

/// A fresh directory holding `plan.topo`.
fn project(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("topo-cascade-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("plan.topo"), text).unwrap();
    dir.join("plan.topo")
}

fn impact(file: &Path, args: &[&str]) -> Outcome {
    let mut all = vec!["impact".to_string(), file.to_str().unwrap().to_string()];
    all.extend(args.iter().map(|a| a.to_string()));
    let o = Topo::new(all).run();
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    o
}

fn json(file: &Path, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    serde_json::from_str(&impact(file, &all).stdout).unwrap()
}

// --- 1. a shared A/B pair --------------------------------------------------

#[test]
fn the_surviving_feed_of_a_shared_pair_trips_and_both_racks_go_dark() {
    let file = project("ab-trips", AB_PAIR);
    assert_eq!(
        impact(&file, &["a"]).stdout,
        "feed `a` fails:\n\
         ├─ overloaded and tripped (1)\n\
         │  └─ feed `b` trips: 7 kVA (33.7 A at 208 V) after feed `a` failed, 112 % of 6.24 kVA (30 A at 208 V)\n\
         ├─ devices down (2)\n\
         │  └─ s1, s2: it loses power: its feeds `a` (failed) and `b` (tripped) are down\n\
         ├─ vms lost (0)\n\
         ├─ vms restarted (0)\n\
         ├─ services down (1)\n\
         │  └─ app: 2 of 2 instances lost (s1, s2), 0 left, needs 1\n\
         ├─ services degraded (0)\n\
         └─ flows stopped (1)\n   \
            └─ use: every instance of `app` fails with it\n"
    );
    let v = json(&file, &["a"]);
    assert_eq!(
        v["tripped"],
        serde_json::json!([{
            "element": "b", "kind": "feed",
            "load": 7000.0, "capacity": 6240.0, "unit": "VA", "percent": 112.2,
            "after": ["a"], "round": 1
        }])
    );
    assert_eq!(
        v["elements"],
        serde_json::json!([{"element": "a", "kind": "feed"}])
    );
    assert_eq!(v["flows_stopped"][0]["flow"], "use");
    assert_eq!(
        v["devices_down"][1],
        serde_json::json!({
            "device": "s2",
            "reason": "it loses power: its feeds `a` (failed) and `b` (tripped) are down"
        })
    );
}

#[test]
fn a_pair_planned_at_40_percent_carries_the_other_side() {
    // 2,496 VA a rack: 40 % per feed, 80 % on the survivor.
    let file = project("ab-holds", &AB_PAIR.replace("draw 3.5kW", "draw 2496W"));
    assert_eq!(
        impact(&file, &["a"]).stdout,
        "feed `a` fails:\n\
         ├─ devices down (0)\n\
         ├─ vms lost (0)\n\
         ├─ vms restarted (0)\n\
         ├─ services down (0)\n\
         ├─ services degraded (0)\n\
         └─ flows stopped (0)\n"
    );
    // Without a trip the JSON keeps its shape: `tripped` is empty.
    let v = json(&file, &["a"]);
    assert_eq!(v["tripped"], serde_json::json!([]), "{v}");
    assert_eq!(v["devices_down"], serde_json::json!([]));
}

#[test]
fn a_feed_already_over_its_rating_does_not_trip_when_nothing_moves_onto_it() {
    // One rack of 7 kW on feed b alone is over its 6.24 kVA with nothing
    // failed (`power-capacity`'s error); feed a's failure moves nothing.
    let text = "\
site dc
feed a { site dc; circuit 30A at 208V }
feed b { site dc; circuit 30A at 208V }
rack r1 { site dc; feeds a }
rack r2 { site dc; feeds b }
server s1 { rack r1 at U1; size 2U; draw 1kW }
server s2 { rack r2 at U1; size 2U; draw 7kW }
";
    let file = project("already-over", text);
    let v = json(&file, &["a"]);
    assert_eq!(v["tripped"], serde_json::json!([]), "{v}");
    assert_eq!(
        v["devices_down"],
        serde_json::json!([{"device": "s1", "reason": "it loses power: feed `a` fails"}])
    );
}

// --- 2. a cascade over two levels ------------------------------------------

#[test]
fn a_feed_failure_trips_a_panel_then_a_ups_in_two_rounds() {
    let file = project("two-level", &TWO_LEVEL.replace("PANEL_B", "3.5kVA"));
    assert_eq!(
        impact(&file, &["a1"]).stdout,
        "feed `a1` fails:\n\
         ├─ overloaded and tripped (2)\n\
         │  ├─ power source `panel-b` trips: 4 kVA after feed `a1` failed, 114 % of 3.5 kVA\n\
         │  └─ power source `ups-a` trips: 7.5 kVA after feed `a1` failed and power source `panel-b` tripped, 107 % of 7 kVA\n\
         ├─ devices down (4)\n\
         │  ├─ s1: it loses power: its feeds `a1` (failed) and `b1` (power source `panel-b` tripped) are down\n\
         │  ├─ s2: it loses power: its feeds `a2` (power source `ups-a` tripped) and `b2` (power source `panel-b` tripped) are down\n\
         │  ├─ s3: it loses power: its feeds `a3` (power source `ups-a` tripped) and `b3` (power source `panel-b` tripped) are down\n\
         │  └─ s4: it loses power: its feed `c1` (power source `ups-a` tripped) is down\n\
         ├─ vms lost (0)\n\
         ├─ vms restarted (0)\n\
         ├─ services down (0)\n\
         ├─ services degraded (0)\n\
         └─ flows stopped (0)\n"
    );
    // ups-b was over its capacity too in round 1, but the panel below it
    // trips first and leaves it nothing to carry.
    let v = json(&file, &["a1"]);
    assert_eq!(
        v["tripped"],
        serde_json::json!([
            {
                "element": "panel-b", "kind": "power",
                "load": 4000.0, "capacity": 3500.0, "unit": "VA", "percent": 114.3,
                "after": ["a1"], "round": 1
            },
            {
                "element": "ups-a", "kind": "power",
                "load": 7500.0, "capacity": 7000.0, "unit": "VA", "percent": 107.1,
                "after": ["a1", "panel-b"], "round": 2
            }
        ])
    );
}

#[test]
fn with_room_in_the_panel_the_ups_above_it_is_the_lowest_overloaded_and_trips() {
    // panel-b of 5 kVA carries the 4 kVA (80 %); ups-b, 4 of 3.8 kVA, is
    // now the lowest overloaded source and trips alone, in round 1.
    let file = project("two-level-panel", &TWO_LEVEL.replace("PANEL_B", "5kVA"));
    let v = json(&file, &["a1"]);
    let tripped: Vec<(String, u64)> = v["tripped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["element"].as_str().unwrap().to_string(),
                t["round"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        tripped,
        [("ups-b".to_string(), 1), ("ups-a".to_string(), 2)]
    );
    // With room in ups-b as well, nothing trips and nothing goes down.
    let text = TWO_LEVEL
        .replace("PANEL_B", "5kVA")
        .replace("capacity 3.8kVA", "capacity 5kVA");
    let file = project("two-level-quiet", &text);
    let o = impact(&file, &["a1"]);
    assert_eq!(
        o.stdout,
        "feed `a1` fails:\n\
         ├─ devices down (0)\n\
         ├─ vms lost (0)\n\
         ├─ vms restarted (0)\n\
         ├─ services down (0)\n\
         ├─ services degraded (0)\n\
         └─ flows stopped (0)\n"
    );
}

// --- 3. a power source fails -----------------------------------------------

#[test]
fn ups_a_failing_overloads_ups_b_and_every_rack_goes_dark() {
    let file = project("ups-trips", &UPS_PAIR.replace("UPS", "10kVA"));
    assert_eq!(
        impact(&file, &["ups-a"]).stdout,
        "power source `ups-a` fails:\n\
         ├─ overloaded and tripped (1)\n\
         │  └─ power source `ups-b` trips: 12 kVA after power source `ups-a` failed, 120 % of 10 kVA\n\
         ├─ devices down (4)\n\
         │  ├─ s1: it loses power: its feeds `a1` (power source `ups-a` failed) and `b1` (power source `ups-b` tripped) are down\n\
         │  ├─ s2: it loses power: its feeds `a2` (power source `ups-a` failed) and `b2` (power source `ups-b` tripped) are down\n\
         │  ├─ s3: it loses power: its feeds `a3` (power source `ups-a` failed) and `b3` (power source `ups-b` tripped) are down\n\
         │  └─ s4: it loses power: its feeds `a4` (power source `ups-a` failed) and `b4` (power source `ups-b` tripped) are down\n\
         ├─ vms lost (0)\n\
         ├─ vms restarted (0)\n\
         ├─ services down (1)\n\
         │  └─ app: 4 of 4 instances lost (s1, s2, s3, s4), 0 left, needs 1\n\
         ├─ services degraded (0)\n\
         └─ flows stopped (1)\n   \
            └─ use: every instance of `app` fails with it\n"
    );
    let v = json(&file, &["ups-a"]);
    assert_eq!(
        v["tripped"],
        serde_json::json!([{
            "element": "ups-b", "kind": "power",
            "load": 12000.0, "capacity": 10000.0, "unit": "VA", "percent": 120.0,
            "after": ["ups-a"], "round": 1
        }])
    );
}

#[test]
fn ups_b_with_room_for_both_sides_carries_them() {
    // 15 kVA: 12 kVA is 80 %.
    let file = project("ups-holds", &UPS_PAIR.replace("UPS", "15kVA"));
    let v = json(&file, &["ups-a"]);
    assert_eq!(v["tripped"], serde_json::json!([]), "{v}");
    assert_eq!(v["devices_down"], serde_json::json!([]));
    assert_eq!(v["flows_stopped"], serde_json::json!([]));
}

// --- 4. devices that are down draw nothing ---------------------------------

#[test]
fn a_failed_rack_takes_its_load_off_the_pair() {
    // Rack r1 and feed a fail together: r1 draws nothing, so feed b
    // carries r2 alone (3.5 kVA, 56 %) and does not trip.
    let file = project("rack-off", AB_PAIR);
    let v = json(&file, &["a", "r1"]);
    assert_eq!(v["tripped"], serde_json::json!([]), "{v}");
    assert_eq!(
        v["devices_down"],
        serde_json::json!([{"device": "s1", "reason": "its rack `r1` fails"}])
    );
    // So does a failed server: s1 named with feed a draws nothing either.
    let v = json(&file, &["a", "s1"]);
    assert_eq!(v["tripped"], serde_json::json!([]), "{v}");
    assert_eq!(
        v["devices_down"],
        serde_json::json!([{"device": "s1", "reason": "named to fail"}])
    );
}

// --- 5. a failed site takes its power sources with it ----------------------

/// UPS A stands in the other site: when that site fails, UPS B carries
/// both sides.
const TWO_SITES: &str = "\
site dc
site dc2
power ups-a { site dc2; kind ups; capacity 20kVA }
power ups-b { site dc; kind ups; capacity UPS }
feed a[1..2] { site dc; circuit 30A at 208V; from ups-a }
feed b[1..2] { site dc; circuit 30A at 208V; from ups-b }
rack r1 { site dc; feeds a1 b1 }
rack r2 { site dc; feeds a2 b2 }
server s1 { rack r1 at U1; size 2U; draw 3kW; psu 2 }
server s2 { rack r2 at U1; size 2U; draw 3kW; psu 2 }
";

#[test]
fn a_site_failure_trips_the_ups_left_in_the_other_site() {
    let file = project("site-trips", &TWO_SITES.replace("UPS", "5kVA"));
    assert_eq!(
        impact(&file, &["dc2"]).stdout,
        "site `dc2` fails:\n\
         ├─ overloaded and tripped (1)\n\
         │  └─ power source `ups-b` trips: 6 kVA after site `dc2` failed, 120 % of 5 kVA\n\
         ├─ devices down (2)\n\
         │  ├─ s1: it loses power: its feeds `a1` (power source `ups-a` failed with site `dc2`) and `b1` (power source `ups-b` tripped) are down\n\
         │  └─ s2: it loses power: its feeds `a2` (power source `ups-a` failed with site `dc2`) and `b2` (power source `ups-b` tripped) are down\n\
         ├─ vms lost (0)\n\
         ├─ vms restarted (0)\n\
         ├─ services down (0)\n\
         ├─ services degraded (0)\n\
         └─ flows stopped (0)\n"
    );
    let v = json(&file, &["dc2"]);
    assert_eq!(v["tripped"][0]["after"], serde_json::json!(["dc2"]));
    assert_eq!(v["tripped"][0]["load"], serde_json::json!(6000.0));
}

#[test]
fn a_site_failure_with_room_in_the_other_ups_stops_nothing() {
    // 7.5 kVA: 6 kVA is 80 %.
    let file = project("site-holds", &TWO_SITES.replace("UPS", "7.5kVA"));
    let v = json(&file, &["dc2"]);
    assert_eq!(v["tripped"], serde_json::json!([]), "{v}");
    assert_eq!(v["devices_down"], serde_json::json!([]));
}
