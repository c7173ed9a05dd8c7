//! The words and figures `overload`, `capacity-n1` and `dr-capacity` share,
//! so the three say a load, a serving capacity and an active-standby pair
//! the same way and carry the same `data` keys.

use super::failure::load::{Load, Serving};
use crate::diagnostic::Diagnostic;
use crate::model::units::RequestsPerSecond;
use crate::model::{HaMode, Project, ServiceId};
use crate::text::echo;

pub(crate) fn rps(v: f64) -> String {
    RequestsPerSecond::new(v).to_string()
}

/// "5000 rps (flows checkout 3000 rps, browse 2000 rps)" or "… (its `load`)".
pub(crate) fn load_text(p: &Project, l: &Load) -> String {
    if l.declared || l.flows.is_empty() {
        return format!("{} (its `load`)", rps(l.rps));
    }
    let list: Vec<String> = l
        .flows
        .iter()
        .map(|(f, r)| format!("{} {}", echo(&p.flows[f.index()].name), rps(*r)))
        .collect();
    let word = if list.len() == 1 { "flow" } else { "flows" };
    format!("{} ({word} {})", rps(l.rps), list.join(", "))
}

/// Said after a capacity that counts one member of an active-standby pair,
/// since a reader who counts both hosts would otherwise see a wrong sum.
pub(crate) fn pair_note(p: &Project, s: ServiceId) -> &'static str {
    if p.services[s.index()].ha_is(HaMode::ActiveStandby) {
        " (only the active member of `ha active-standby` serves)"
    } else {
        ""
    }
}

/// "4 × 1000 rps = 4000 rps", naming an active-standby pair's one server.
pub(crate) fn capacity_text(p: &Project, s: ServiceId, g: &Serving) -> String {
    format!(
        "{} × {} = {}{}",
        g.serving,
        rps(g.capacity),
        rps(g.total()),
        pair_note(p, s)
    )
}

/// The figures of a load against the serving capacity with everything up:
/// `load`, `capacity` (serving instances × `per_instance`), `unit`,
/// `percent`, `instances` and, for a shard, `shard` (1-based).
pub(crate) fn with_serving_data(d: Diagnostic, g: &Serving) -> Diagnostic {
    let d = d
        .with_data("load", g.load)
        .with_data("capacity", g.total())
        .with_data("unit", "rps")
        .with_data("percent", g.load / g.total() * 100.0)
        .with_data("instances", g.serving)
        .with_data("per_instance", g.capacity);
    match g.shard {
        Some(k) => d.with_data("shard", k + 1),
        None => d,
    }
}
