//! Rack faces and depth (v2): `rack r1 at U42 rear` mounts a device on the
//! rear face, `depth half` marks a half-depth device. A full-depth device
//! takes its U on both faces; two half-depth devices on opposite faces may
//! share a U; a `0U` device takes no U. Each situation has a failing
//! fixture and its passing twin, with the exact findings and figures.

use serde_json::{json, Value};
use topo::check::{check_sources, Checked};
use topo::diagnostic::Severity::{self, Error};
use topo::model::{Depth, Element, Face, Project, RackId};

fn check(text: &str) -> Checked {
    let checked = check_sources(&[("faces.topo", text)]);
    assert!(checked.unreadable.is_empty());
    checked
}

/// The findings of the rack rules: (rule, severity, message).
fn rack_findings(text: &str) -> Vec<(String, Severity, String)> {
    check(text)
        .diagnostics
        .iter()
        .filter(|d| d.rule.starts_with("rack-") || d.rule == "invalid-value")
        .map(|d| (d.rule.to_string(), d.severity, d.message.clone()))
        .collect()
}

fn one(rule: &str, message: &str) -> Vec<(String, Severity, String)> {
    vec![(rule.to_string(), Error, message.to_string())]
}

/// The `data` of the findings of one rule.
fn data(text: &str, rule: &str) -> Vec<Value> {
    check(text)
        .diagnostics
        .iter()
        .filter(|d| d.rule == rule)
        .map(|d| serde_json::to_value(&d.data).unwrap())
        .collect()
}

fn project(text: &str) -> Project {
    check(text).project
}

const RACK: &str = "rack r1 { height 42U }\n";

// ---- lowering: face and depth on the placement -------------------------

#[test]
fn face_and_depth_are_stored_on_the_placement_with_their_defaults() {
    let text = format!(
        "{RACK}model half-switch {{ size 1U; depth half }}\n\
         switch sw1 : half-switch {{ rack r1 at U42 rear }}\n\
         switch sw2 : half-switch {{ depth full; rack r1 at U41 }}\n\
         server web1 {{ size 2U; rack r1 at U1 front }}\n"
    );
    let p = project(&text);
    let at = |name: &str| match p.element(name) {
        Some(Element::Device(d)) => p.devices[d.index()].placement.expect("placed"),
        other => panic!("{name} is {other:?}"),
    };
    assert_eq!((at("sw1").face, at("sw1").depth), (Face::Rear, Depth::Half));
    assert_eq!(
        (at("sw2").face, at("sw2").depth),
        (Face::Front, Depth::Full)
    );
    assert_eq!(
        (at("web1").face, at("web1").depth),
        (Face::Front, Depth::Full)
    );
}

#[test]
fn a_misspelt_depth_or_face_is_refused_with_a_suggestion() {
    let checked = check(&format!(
        "{RACK}switch sw1 {{ size 1U; depth hlaf; rack r1 at U42 raer }}\n"
    ));
    let got: Vec<(String, Option<String>)> = checked
        .diagnostics
        .iter()
        .map(|d| (d.message.clone(), d.help.clone()))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "`hlaf` is not a depth: expected one of `full`, `half`".to_string(),
                Some("did you mean `half`?".to_string())
            ),
            (
                "`raer` is not a rack face: expected one of `front`, `rear`".to_string(),
                Some("did you mean `rear`?".to_string())
            ),
        ]
    );
}

#[test]
fn a_range_placed_on_a_face_stacks_upward_on_that_face() {
    let text = format!("{RACK}switch leaf[1..3] {{ size 1U; depth half; rack r1 at U10 rear }}\n");
    let p = project(&text);
    let placed: Vec<(u32, Face, Depth)> = ["leaf1", "leaf2", "leaf3"]
        .iter()
        .map(|n| match p.element(n) {
            Some(Element::Device(d)) => {
                let pl = p.devices[d.index()].placement.unwrap();
                (pl.position, pl.face, pl.depth)
            }
            other => panic!("{n} is {other:?}"),
        })
        .collect();
    assert_eq!(
        placed,
        vec![
            (10, Face::Rear, Depth::Half),
            (11, Face::Rear, Depth::Half),
            (12, Face::Rear, Depth::Half)
        ]
    );
}

// ---- rack-overlap by face and depth ---------------------------------------

/// A half-depth patch panel at the front of U42, a half-depth switch at
/// the rear: they share the U.
const HALF_OPPOSITE: &str = "\
rack r1 { height 42U }
device pp1 { size 1U; depth half; rack r1 at U42 }
switch sw1 { size 1U; depth half; rack r1 at U42 rear }
";

/// The switch on the patch panel's face instead.
const HALF_SAME_FACE: &str = "\
rack r1 { height 42U }
device pp1 { size 1U; depth half; rack r1 at U42 rear }
switch sw1 { size 1U; depth half; rack r1 at U42 rear }
";

#[test]
fn two_half_depth_devices_on_opposite_faces_share_a_unit() {
    assert_eq!(rack_findings(HALF_OPPOSITE), vec![]);
}

#[test]
fn two_half_depth_devices_on_the_same_face_overlap() {
    assert_eq!(
        rack_findings(HALF_SAME_FACE),
        one(
            "rack-overlap",
            "`sw1` (U42, rear, half depth) overlaps `pp1` (U42, rear, half depth) in rack `r1`: U42 is taken twice"
        )
    );
    assert_eq!(
        data(HALF_SAME_FACE, "rack-overlap"),
        vec![json!({"low": 42, "high": 42, "unit": "U"})]
    );
}

/// A full-depth server takes both faces: a half-depth switch at the rear
/// of its upper U overlaps it.
const FULL_AND_HALF: &str = "\
rack r1 { height 42U }
server db1 { size 2U; rack r1 at U20 }
switch sw1 { size 1U; depth half; rack r1 at U21 rear }
";

/// The switch one U higher, above the server.
const FULL_AND_HALF_CLEAR: &str = "\
rack r1 { height 42U }
server db1 { size 2U; rack r1 at U20 }
switch sw1 { size 1U; depth half; rack r1 at U22 rear }
";

#[test]
fn a_full_depth_device_takes_its_units_on_both_faces() {
    assert_eq!(
        rack_findings(FULL_AND_HALF),
        one(
            "rack-overlap",
            "`sw1` (U21, rear, half depth) overlaps `db1` (U20-U21, front, full depth) in rack `r1`: U21 is taken twice"
        )
    );
    assert_eq!(
        data(FULL_AND_HALF, "rack-overlap"),
        vec![json!({"low": 21, "high": 21, "unit": "U"})]
    );
    assert_eq!(rack_findings(FULL_AND_HALF_CLEAR), vec![]);
}

/// Two full-depth devices, one mounted from each face.
const FULL_BOTH_FACES: &str = "\
rack r1 { height 42U }
server web1 { size 2U; rack r1 at U1 }
server web2 { size 2U; rack r1 at U2 rear }
";

const FULL_BOTH_FACES_CLEAR: &str = "\
rack r1 { height 42U }
server web1 { size 2U; rack r1 at U1 }
server web2 { size 2U; rack r1 at U3 rear }
";

#[test]
fn full_depth_devices_on_opposite_faces_overlap() {
    assert_eq!(
        rack_findings(FULL_BOTH_FACES),
        one(
            "rack-overlap",
            "`web2` (U2-U3, rear, full depth) overlaps `web1` (U1-U2, front, full depth) in rack `r1`: U2 is taken twice"
        )
    );
    assert_eq!(rack_findings(FULL_BOTH_FACES_CLEAR), vec![]);
}

/// A range of half-depth switches at the rear, stacked upward, and
/// half-depth panels at the front of the same units; a third panel range
/// at the rear runs into the switches.
const RANGES: &str = "\
rack r1 { height 42U }
switch leaf[1..3] { size 1U; depth half; rack r1 at U10 rear }
device pp[1..3] { size 1U; depth half; rack r1 at U10 }
";

const RANGES_CLASH: &str = "\
rack r1 { height 42U }
switch leaf[1..3] { size 1U; depth half; rack r1 at U10 rear }
device pp[1..2] { size 1U; depth half; rack r1 at U12 rear }
";

#[test]
fn ranges_stack_on_their_own_face() {
    assert_eq!(rack_findings(RANGES), vec![]);
    assert_eq!(
        rack_findings(RANGES_CLASH),
        one(
            "rack-overlap",
            "`pp1` (U12, rear, half depth) overlaps `leaf3` (U12, rear, half depth) in rack `r1`: U12 is taken twice"
        )
    );
}

/// Vertical PDUs take no U: not with each other, not with a server.
const ZERO_U: &str = "\
rack r1 { height 42U }
pdu pdu-a { size 0U; rack r1 at U1 }
pdu pdu-b { size 0U; rack r1 at U1 rear }
server web1 { size 1U; rack r1 at U1 }
";

/// The same with the PDUs as 1U units.
const ONE_U_PDUS: &str = "\
rack r1 { height 42U }
pdu pdu-a { size 1U; rack r1 at U1 }
pdu pdu-b { size 1U; rack r1 at U1 rear }
server web1 { size 1U; rack r1 at U2 }
";

#[test]
fn zero_u_devices_never_overlap() {
    assert_eq!(rack_findings(ZERO_U), vec![]);
    assert_eq!(
        rack_findings(ONE_U_PDUS),
        one(
            "rack-overlap",
            "`pdu-b` (U1, rear, full depth) overlaps `pdu-a` (U1, front, full depth) in rack `r1`: U1 is taken twice"
        )
    );
}

// ---- rack-overflow and the used units ---------------------------------

const REAR_OVERFLOW: &str = "\
rack r1 { height 42U }
switch sw1 { size 2U; depth half; rack r1 at U42 rear }
";

const REAR_FITS: &str = "\
rack r1 { height 42U }
switch sw1 { size 2U; depth half; rack r1 at U41 rear }
";

#[test]
fn a_rear_device_overflows_the_top_like_a_front_one() {
    assert_eq!(
        rack_findings(REAR_OVERFLOW),
        one(
            "rack-overflow",
            "`sw1` occupies U42-U43 but rack `r1` is 42U high: 1U above the top"
        )
    );
    assert_eq!(rack_findings(REAR_FITS), vec![]);
}

#[test]
fn a_unit_shared_by_two_half_depth_devices_is_used_once() {
    let p = project(HALF_OPPOSITE);
    assert_eq!(p.rack_units_used(RackId(0)), 1);
    let p = project(RANGES);
    assert_eq!(p.rack_units_used(RackId(0)), 3);
    let p = project(ZERO_U);
    assert_eq!(p.rack_units_used(RackId(0)), 1);
    let p = project(FULL_AND_HALF_CLEAR);
    assert_eq!(p.rack_units_used(RackId(0)), 3);
    // Units above the top are not the rack's.
    let p = project(REAR_OVERFLOW);
    assert_eq!(p.rack_units_used(RackId(0)), 1);
}

// ---- the rack elevation: both faces ------------------------------------

/// Half-depth panels at the front of U23-U24, half-depth switches at the
/// rear of the same units, a full-depth server range and a 0U PDU.
const ELEVATION: &str = "\
rack r1 { height 24U }
model patch24 { size 1U; depth half }
model tor { size 1U; depth half; draw 150W }
device pp[1..2] : patch24 { rack r1 at U23 }
switch tor[1..2] : tor { rack r1 at U23 rear }
server web[1..2] { size 1U; draw 400W; rack r1 at U10 }
pdu vpdu-a { size 0U; rack r1 at U1 }
";

fn elevation(text: &str) -> String {
    let c = check(text);
    topo::render::rack::svg(&c.project, &c.diagnostics, None)
}

/// How many times `needle` occurs in `svg`.
fn times(svg: &str, needle: &str) -> usize {
    svg.matches(needle).count()
}

#[test]
fn the_elevation_draws_both_faces_side_by_side() {
    let svg = elevation(ELEVATION);
    assert_eq!(times(&svg, ">Front</text>"), 1);
    assert_eq!(times(&svg, ">Rear</text>"), 1);
    // A full-depth server on both faces, a half-depth device on its own
    // face, and as a dashed outline named after its face on the other.
    assert_eq!(times(&svg, ">web1 · 1U</text>"), 2);
    assert_eq!(times(&svg, ">pp1 · patch24 · 1U</text>"), 1);
    assert_eq!(times(&svg, ">tor1 · tor · 1U</text>"), 1);
    assert_eq!(times(&svg, ">pp1 (front)</text>"), 1);
    assert_eq!(times(&svg, ">tor1 (rear)</text>"), 1);
    // Each drawing of a device carries a tooltip with its faces.
    assert_eq!(
        times(&svg, "<title>tor1 · U23 · rear · half depth</title>"),
        2
    );
    assert_eq!(
        times(&svg, "<title>web1 · U10 · front · full depth</title>"),
        2
    );
    // The used units count a U shared by two half-depth devices once.
    assert!(svg.contains(">4 of 24U used</text>"));
    assert!(svg.contains(">0U: vpdu-a</text>"));
    // Nothing overlaps: nothing is marked.
    assert_eq!(times(&svg, "data-severity"), 0, "{svg}");
    assert_eq!(svg, elevation(ELEVATION), "the drawing is deterministic");
}

#[test]
fn the_elevation_marks_an_overlap_on_the_face_it_happens() {
    // A third half-depth switch at the rear of U23: two lanes on the rear.
    let svg = elevation(&format!(
        "{ELEVATION}switch tor9 : tor {{ rack r1 at U23 rear }}\n"
    ));
    assert_eq!(times(&svg, ">tor1 · tor · 1U</text>"), 0, "cut to its lane");
    // The finding is about tor9, the device that takes a taken unit: it is
    // the one marked, on the rear where it sits; tor1 beside it is plain.
    assert_eq!(times(&svg, "fill-opacity:0.85;stroke:#d55e00"), 1);
    assert_eq!(
        times(
            &svg,
            "<g data-element=\"tor9\" data-severity=\"error\" data-rules=\"rack-overlap\">"
        ),
        2,
        "its group on the rear, and its dashed outline on the front"
    );
    assert_eq!(
        times(&svg, ">pp1 · patch24 · 1U</text>"),
        1,
        "the front is clean"
    );
}
