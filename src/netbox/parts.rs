//! What topo has no property for, kept as comments (counts and names), and
//! the power figures: a device's draw, or a distributor's inlet rating.

use super::number;
use serde::{Deserialize, Deserializer};
use std::fmt::Write;

/// A component NetBox lists by name (a console port, an outlet, a bay…).
#[derive(Debug, Deserialize)]
pub(super) struct Named {
    #[serde(default, deserialize_with = "scalar")]
    pub name: String,
}

/// A name as text: YAML reads `name: 1` as a number, which is still a name.
fn scalar<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    use serde_norway::Value;
    Ok(match Value::deserialize(d)? {
        Value::String(s) => s,
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => String::new(),
    })
}

/// The component lists that have no topo property, with the words their
/// comment starts with, in NetBox's order.
pub(super) const KEPT: [(&str, &str); 8] = [
    ("console-ports", "console ports"),
    ("console-server-ports", "console-server ports"),
    ("power-outlets", "power outlets"),
    ("front-ports", "front ports"),
    ("rear-ports", "rear ports"),
    ("module-bays", "module bays"),
    ("device-bays", "device bays"),
    ("inventory-items", "inventory items"),
];

/// `# console ports: 2 (Serial, USB)`.
pub(super) fn summarise(out: &mut String, label: &str, items: &[Named]) {
    if items.is_empty() {
        return;
    }
    let names: Vec<&str> = items
        .iter()
        .map(|n| n.name.as_str())
        .filter(|n| !n.is_empty())
        .collect();
    let listed = if names.is_empty() {
        String::new()
    } else {
        format!(" ({})", crate::model::names::collapse(&names))
    };
    let _ = writeln!(out, "  # {label}: {}{listed}", items.len());
}

#[derive(Debug, Deserialize)]
pub(super) struct PowerPort {
    #[serde(default)]
    pub maximum_draw: Option<f64>,
    #[serde(default)]
    pub allocated_draw: Option<f64>,
}

/// Which power figure is looked at first for the `draw`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Draw {
    /// The largest `maximum_draw` (else the largest `allocated_draw`):
    /// redundant supplies each state the whole device's figure, and each
    /// must be able to carry it alone.
    Maximum,
    /// The largest `allocated_draw`, the typical load (else the largest
    /// `maximum_draw`).
    Typical,
}

/// The largest figure of one field over the ports, if any states it.
fn largest(ports: &[PowerPort], field: &str) -> Option<f64> {
    ports
        .iter()
        .filter_map(|p| match field {
            "maximum_draw" => p.maximum_draw,
            _ => p.allocated_draw,
        })
        .fold(None, |m: Option<f64>, w| Some(m.map_or(w, |m| m.max(w))))
}

/// The largest figure, field by field in the order asked: the figure and
/// the field it came from.
fn figure(ports: &[PowerPort], draw: Draw) -> Option<(f64, &'static str)> {
    let order = match draw {
        Draw::Maximum => ["maximum_draw", "allocated_draw"],
        Draw::Typical => ["allocated_draw", "maximum_draw"],
    };
    order
        .into_iter()
        .find_map(|field| largest(ports, field).map(|w| (w, field)))
}

/// What became of a type's power figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Power {
    /// A `draw` from this field.
    Draws(&'static str),
    /// Power outlets: a distributor, never a draw.
    Distributes,
    /// No figure (said in a comment).
    None,
}

/// The power lines of a model. A type with power outlets distributes power
/// (a PDU, a UPS): its power ports are its inlets and their figures its
/// rating, never a draw, or every rack would count its PDUs' whole
/// capacity as load.
pub(super) fn power(
    out: &mut String,
    ports: &[PowerPort],
    outlets: usize,
    powered: Option<bool>,
    draw: Draw,
) -> Power {
    let n = ports.len();
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    if outlets > 0 {
        let _ = writeln!(
            out,
            "  # distributes power ({outlets} outlet{}, {n} inlet{}): no draw; declare it as a `pdu`",
            plural(outlets),
            plural(n)
        );
        match figure(ports, Draw::Maximum) {
            Some((w, field)) => {
                let w = number(w);
                let _ = writeln!(
                    out,
                    "  # inlet rating {w}W (largest {field}), not a draw: a pdu has no capacity in topo; budget it on its feed or power source"
                );
            }
            None => {
                let _ = writeln!(out, "  # its power ports state no rating");
            }
        }
        return Power::Distributes;
    }
    if powered == Some(false) {
        let _ = writeln!(out, "  # not powered (NetBox is_powered: false): no draw");
        return Power::None;
    }
    let draws = match figure(ports, draw) {
        Some((w, field)) => {
            let why = match (draw, field) {
                (Draw::Maximum, "allocated_draw") => " (none states maximum_draw)",
                (Draw::Typical, "maximum_draw") => " (none states allocated_draw)",
                _ => "",
            };
            let _ = writeln!(
                out,
                "  draw {}W  # largest {field} of {n} power port{}{why}",
                number(w),
                plural(n)
            );
            Power::Draws(field)
        }
        None if n > 0 => {
            let (ports, state) = if n == 1 {
                ("port", "states")
            } else {
                ("ports", "state")
            };
            let _ = writeln!(
                out,
                "  # no draw: its {n} power {ports} {state} neither maximum_draw nor allocated_draw"
            );
            Power::None
        }
        None => {
            let _ = writeln!(out, "  # no draw: NetBox lists no power ports");
            Power::None
        }
    };
    if n > 0 {
        let _ = writeln!(out, "  psu {n}");
    }
    draws
}
