//! What connects the boxes: flows (with their labels), calls no flow
//! covers, and replications.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use super::layout::{Node, BOX_H};
use crate::model::units::FlowRate;
use crate::model::{Content, Element, Hop, Project, ServiceId};

fn hop_element(h: Hop) -> Element {
    match h {
        Hop::Client(c) => Element::Client(c),
        Hop::Service(s) => Element::Service(s),
        Hop::Cdn(c) => Element::Cdn(c),
    }
}

/// "checkout · dynamic · 800 rps"
fn flow_label(p: &Project, f: usize) -> String {
    let flow = &p.flows[f];
    let mut label = flow.name.clone();
    if let Some(c) = flow.content {
        label.push_str(match c.value {
            Content::Static => " · static",
            Content::Dynamic => " · dynamic",
            Content::Results => " · results",
            Content::Raw => " · raw",
        });
    }
    if let Some(r) = flow.rate {
        match r.value {
            FlowRate::Bandwidth(b) => {
                let _ = write!(label, " · {}", b.bits_text());
            }
            FlowRate::Requests(q) => {
                let _ = write!(label, " · {q}");
            }
        }
    }
    label
}

/// The widest label of the flows through a service, in pixels as drawn
/// (10 px text on its background), so that its group can be made wide
/// enough to hold the label beside it.
pub(super) fn widest_label(p: &Project, s: ServiceId) -> f64 {
    p.flows
        .iter()
        .enumerate()
        .filter(|(_, f)| {
            f.paths
                .iter()
                .any(|path| path.iter().any(|h| h.value == Hop::Service(s)))
        })
        .map(|(i, _)| crate::render::text_width(&flow_label(p, i), 10.0) + 8.0)
        .fold(0.0, f64::max)
}

/// Edges: (from, to) -> labels, for flows; plus calls and replications.
pub(super) struct Edges {
    pub(super) flows: BTreeMap<(Element, Element), Vec<String>>,
    pub(super) calls: BTreeSet<(Element, Element)>,
    pub(super) replications: Vec<(Element, Element, String)>,
}

pub(super) fn edges(p: &Project) -> Edges {
    let mut flows: BTreeMap<(Element, Element), Vec<String>> = BTreeMap::new();
    for (i, f) in p.flows.iter().enumerate() {
        for path in &f.paths {
            for pair in path.windows(2) {
                let key = (hop_element(pair[0].value), hop_element(pair[1].value));
                let labels = flows.entry(key).or_default();
                let label = flow_label(p, i);
                if !labels.contains(&label) {
                    labels.push(label);
                }
            }
        }
    }
    let mut calls = BTreeSet::new();
    for (i, s) in p.services.iter().enumerate() {
        for c in &s.calls {
            let key = (
                Element::Service(ServiceId(i as u32)),
                Element::Service(c.value),
            );
            if !flows.contains_key(&key) {
                calls.insert(key);
            }
        }
    }
    let replications = p
        .replications
        .iter()
        .map(|r| {
            let mut label = match r.mode.map(|m| m.value) {
                Some(crate::model::ReplicationMode::Sync) => "sync".to_string(),
                Some(crate::model::ReplicationMode::Async) => "async".to_string(),
                None => "replica".to_string(),
            };
            if let Some(rpo) = r.rpo {
                let _ = write!(label, " · rpo {}", rpo.value);
            }
            (
                Element::Service(r.from.value),
                Element::Service(r.to.value),
                label,
            )
        })
        .collect();
    Edges {
        flows,
        calls,
        replications,
    }
}

/// An edge's drawing: its SVG path and points along it (for its label).
pub(super) struct Route {
    pub(super) d: String,
    pub(super) points: Vec<(f64, f64)>,
}

/// How far above a box an edge entering it from above runs straight down:
/// past a partition's title, which sits 22 px above its first row.
const TAIL: f64 = 28.0;

fn cubic(points: &mut Vec<(f64, f64)>, p: [(f64, f64); 4]) {
    for i in 0..=24 {
        let t = f64::from(i) / 24.0;
        let u = 1.0 - t;
        let b = |a: f64, b: f64, c: f64, d: f64| {
            u * u * u * a + 3.0 * u * u * t * b + 3.0 * u * t * t * c + t * t * t * d
        };
        points.push((
            b(p[0].0, p[1].0, p[2].0, p[3].0),
            b(p[0].1, p[1].1, p[2].1, p[3].1),
        ));
    }
}

/// Where an edge coming from above enters `to`: its centre, or the
/// nearest point of its top side whose last straight stretch misses every
/// title (x, y, w, h) — a partition's title sits right above its first box.
fn entry(to: &Node, titles: &[(f64, f64, f64, f64)]) -> f64 {
    let clear = |x: f64| {
        !titles.iter().any(|&(tx, ty, tw, th)| {
            x > tx - 4.0 && x < tx + tw + 4.0 && ty < to.y && ty + th > to.y - TAIL
        })
    };
    let centre = to.center();
    (0..40)
        .flat_map(|k| [centre + f64::from(k) * 6.0, centre - f64::from(k) * 6.0])
        .filter(|&x| x >= to.x + 12.0 && x <= to.x + to.w - 12.0)
        .find(|&x| clear(x))
        .unwrap_or(centre)
}

/// The path of an edge from `from` to `to`: curves with vertical tangents
/// between rows (entering from above straight down, clear of `titles`), an
/// arc over the row between boxes of one row, higher the longer it is so
/// that nested arcs do not touch.
pub(super) fn route(from: &Node, to: &Node, titles: &[(f64, f64, f64, f64)]) -> Route {
    use crate::render::{n, vertical_cubic};
    let mut points = Vec::new();
    let d = if to.y > from.y {
        let (x1, y1) = (from.center(), from.y + BOX_H);
        let (x2, y2) = (entry(to, titles), to.y);
        let bend = y2 - TAIL;
        let mid = (y1 + bend) / 2.0;
        cubic(&mut points, [(x1, y1), (x1, mid), (x2, mid), (x2, bend)]);
        points.push((x2, y2 - TAIL / 2.0));
        points.push((x2, y2));
        format!("{} L{} {}", vertical_cubic(x1, y1, x2, bend), n(x2), n(y2))
    } else if to.y < from.y {
        let (x1, y1, x2, y2) = (from.center(), from.y, to.center(), to.y + BOX_H);
        let mid = (y1 + y2) / 2.0;
        cubic(&mut points, [(x1, y1), (x1, mid), (x2, mid), (x2, y2)]);
        vertical_cubic(x1, y1, x2, y2)
    } else {
        let (x1, x2, y) = (from.center(), to.center(), from.y);
        let lift = (40.0 + (x2 - x1).abs() * 0.06).min(80.0);
        cubic(
            &mut points,
            [(x1, y), (x1, y - lift), (x2, y - lift), (x2, y)],
        );
        format!(
            "M{} {} C{} {} {} {} {} {}",
            n(x1),
            n(y),
            n(x1),
            n(y - lift),
            n(x2),
            n(y - lift),
            n(x2),
            n(y)
        )
    };
    Route { d, points }
}
