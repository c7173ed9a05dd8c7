//! `topo import netbox`: NetBox device types (the community
//! devicetype-library's YAML) to `model` declarations.

use crate::model::lower::MAX_RACK_HEIGHT;
use crate::model::units::{ETHERNET_SPEEDS_GBPS, FIBRE_CHANNEL_SPEEDS};
use crate::model::Airflow;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt::Write;

mod limits;

/// NetBox's keys: snake_case for fields, kebab-case for component lists.
#[derive(Debug, Deserialize)]
struct DeviceType {
    manufacturer: String,
    model: String,
    slug: String,
    u_height: f64,
    #[serde(default)]
    part_number: Option<String>,
    #[serde(default)]
    airflow: Option<String>,
    #[serde(default)]
    weight: Option<f64>,
    #[serde(default)]
    weight_unit: Option<String>,
    #[serde(default, rename = "power-ports")]
    power_ports: Vec<PowerPort>,
    #[serde(default)]
    interfaces: Vec<Interface>,
}

impl DeviceType {
    /// Texts end up in comments, where a line break (a lone CR included)
    /// would turn the rest of the text into code.
    fn strip_controls(&mut self) {
        let fields = [&mut self.manufacturer, &mut self.model, &mut self.slug]
            .into_iter()
            .chain(self.part_number.as_mut())
            .chain(self.airflow.as_mut())
            .chain(self.weight_unit.as_mut())
            .chain(
                self.interfaces
                    .iter_mut()
                    .flat_map(|i| [&mut i.name, &mut i.kind]),
            );
        for field in fields {
            if field.contains(char::is_control) {
                *field = field.replace(char::is_control, " ");
            }
        }
    }
}

#[derive(Debug, Deserialize)]
struct PowerPort {
    #[serde(default)]
    maximum_draw: Option<f64>,
    #[serde(default)]
    allocated_draw: Option<f64>,
}

#[derive(Debug, Deserialize)]
struct Interface {
    name: String,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    mgmt_only: bool,
}

/// Which power figure becomes the `draw`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Draw {
    /// The largest `maximum_draw`: redundant PSUs share the load, and each
    /// must be able to carry it alone.
    Maximum,
    /// The largest `allocated_draw`, the typical load.
    Typical,
}

/// One converted device type.
pub struct Imported {
    pub slug: String,
    pub text: String,
    /// Interface types with no known speed, to warn about.
    pub unknown_interfaces: Vec<String>,
}

/// A port speed from a NetBox interface type: `25gbase-x-sfp28` is 25GbE,
/// `32gfc-sfp28` is 32GFC, `100base-tx` is 100 Mb/s.
pub fn speed(kind: &str) -> Option<(String, bool)> {
    let digits: String = kind
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let rest = &kind[digits.len()..];
    let n: f64 = digits.parse().ok()?;
    if rest.starts_with("gbase-") && ETHERNET_SPEEDS_GBPS.contains(&n) {
        return Some((format!("{n}GbE"), false));
    }
    if rest.starts_with("base-") && n == 100.0 {
        return Some(("100Mb/s".to_string(), false));
    }
    if rest.starts_with("base-") && n == 1000.0 {
        return Some(("1GbE".to_string(), false));
    }
    if rest.starts_with("gfc-") && FIBRE_CHANNEL_SPEEDS.contains(&n) {
        return Some((format!("{n}GFC"), true));
    }
    None
}

/// Characters a topo name may hold.
fn clean(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// A topo name from a slug: slugs may start with a digit, names may not,
/// and a name has at most 128 characters (a longer slug keeps its start and
/// ends in a hash of the whole, so two long slugs stay two names).
fn name(slug: &str) -> String {
    let clean = clean(slug);
    let name = if clean.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        clean
    } else {
        format!("nb-{clean}")
    };
    crate::text::shorten(&name, crate::model::names::MAX_NAME_CHARS, '-').into_owned()
}

/// The name of the part that holds the interfaces of one type, at most 128
/// characters like every name.
fn part_name(kind: &str) -> String {
    let name = format!("if-{}", clean(kind));
    crate::text::shorten(&name, crate::model::names::MAX_NAME_CHARS, '-').into_owned()
}

/// Above these a figure is a typo, not a device: no rack holds 10 t, and
/// no single device draws 100 kW.
const MAX_WEIGHT_KG: f64 = 10_000.0;
const MAX_DRAW_WATTS: f64 = 100_000.0;

/// A figure that can describe a device: finite, not negative, not absurd.
fn plausible(field: &str, value: f64, max: f64) -> Result<(), String> {
    if value.is_finite() && (0.0..=max).contains(&value) {
        Ok(())
    } else {
        Err(format!(
            "`{field}` {value} is not a device's figure (0 to {max})"
        ))
    }
}

/// A decimal without float noise: 20.6, 45, 0.368.
fn number(v: f64) -> String {
    let s = format!("{:.3}", v);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Converts one device-type YAML document.
pub fn convert(yaml: &str, draw: Draw) -> Result<Imported, String> {
    // Editors on Windows save a byte-order mark, which YAML allows and
    // libyaml, told the encoding, would take as part of the first key.
    let yaml = yaml.strip_prefix('\u{FEFF}').unwrap_or(yaml);
    limits::check(yaml)?;
    let mut t: DeviceType = serde_norway::from_str(yaml).map_err(|e| e.to_string())?;
    t.strip_controls();
    if t.slug.trim().is_empty() {
        return Err("`slug` is empty".into());
    }
    plausible("u_height", t.u_height, f64::from(MAX_RACK_HEIGHT))?;
    for p in &t.power_ports {
        for (field, v) in [
            ("maximum_draw", p.maximum_draw),
            ("allocated_draw", p.allocated_draw),
        ] {
            if let Some(v) = v {
                plausible(field, v, MAX_DRAW_WATTS)?;
            }
        }
    }
    let mut out = String::new();
    let part = t
        .part_number
        .as_deref()
        .map_or(String::new(), |p| format!(", part {p}"));
    let _ = writeln!(
        out,
        "# {} {}{part} (NetBox device type `{}`)",
        t.manufacturer, t.model, t.slug
    );
    let model = name(&t.slug);
    let _ = writeln!(out, "model {model} {{");
    // Half units round up: a 0.5U device still takes a unit of the rack.
    let size = t.u_height.max(0.0).ceil() as u32;
    if t.u_height.fract() != 0.0 {
        let _ = writeln!(
            out,
            "  # NetBox u_height {}: rounded up to {size}U",
            number(t.u_height)
        );
    }
    if size == 0 {
        let _ = writeln!(out, "  # 0U: mounted at the rack's side; it takes no unit");
    }
    let _ = writeln!(out, "  size {size}U");
    if let Some(w) = t.weight.filter(|w| *w != 0.0) {
        let kg = match t.weight_unit.as_deref().unwrap_or("kg") {
            "kg" => w,
            "g" => w / 1000.0,
            "lb" => w * 0.45359237,
            "oz" => w * 0.028349523125,
            other => return Err(format!("unknown weight_unit `{other}` (kg, g, lb, oz)")),
        };
        plausible("weight", kg, MAX_WEIGHT_KG)?;
        let from = match t.weight_unit.as_deref() {
            Some(u) if u != "kg" => format!("  # {} {u}", number(w)),
            _ => String::new(),
        };
        let _ = writeln!(out, "  weight {}kg{from}", number(kg));
    }
    let figure = |p: &PowerPort| match draw {
        Draw::Maximum => p.maximum_draw,
        Draw::Typical => p.allocated_draw,
    };
    let watts = t
        .power_ports
        .iter()
        .filter_map(figure)
        .fold(None, |m: Option<f64>, w| Some(m.map_or(w, |m| m.max(w))));
    match watts {
        Some(w) => {
            let what = match draw {
                Draw::Maximum => "largest maximum_draw",
                Draw::Typical => "largest allocated_draw",
            };
            let _ = writeln!(
                out,
                "  draw {}W  # {what} of {} power ports",
                number(w),
                t.power_ports.len()
            );
        }
        None if !t.power_ports.is_empty() => {
            let _ = writeln!(out, "  # no draw: the power ports state none");
        }
        None => {}
    }
    if !t.power_ports.is_empty() {
        let _ = writeln!(out, "  psu {}", t.power_ports.len());
    }
    if let Some(a) = &t.airflow {
        match Airflow::ALL.iter().find(|(n, _)| n == a) {
            Some((n, _)) => {
                let _ = writeln!(out, "  airflow {n}");
            }
            None => {
                let _ = writeln!(out, "  # unknown airflow `{a}`");
            }
        }
    }
    // Interfaces grouped by type, in their first order of appearance.
    let mut groups: BTreeMap<usize, (String, Vec<&str>)> = BTreeMap::new();
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    let mut skipped = Vec::new();
    for (i, iface) in t.interfaces.iter().enumerate() {
        if iface.mgmt_only {
            skipped.push(iface.name.as_str());
            continue;
        }
        let slot = *seen.entry(iface.kind.as_str()).or_insert(i);
        groups
            .entry(slot)
            .or_insert_with(|| (iface.kind.clone(), Vec::new()))
            .1
            .push(iface.name.as_str());
    }
    let mut unknown = Vec::new();
    for (kind, names) in groups.values() {
        match speed(kind) {
            Some((speed, fibre)) => {
                let part = if fibre { "hba" } else { "nic" };
                let listed = crate::model::names::collapse(names);
                let _ = writeln!(
                    out,
                    "  {part} {} {{ ports {} x {speed} }}  # {listed}",
                    part_name(kind),
                    names.len()
                );
            }
            None => {
                let _ = writeln!(
                    out,
                    "  # {} interface(s) of type `{kind}` skipped: no known speed",
                    names.len()
                );
                unknown.push(kind.clone());
            }
        }
    }
    if !skipped.is_empty() {
        let _ = writeln!(out, "  # management-only, skipped: {}", skipped.join(", "));
    }
    let _ = writeln!(out, "}}");
    Ok(Imported {
        slug: model,
        text: out,
        unknown_interfaces: unknown,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interface_speeds() {
        assert_eq!(speed("25gbase-x-sfp28"), Some(("25GbE".into(), false)));
        assert_eq!(speed("100gbase-x-qsfp28"), Some(("100GbE".into(), false)));
        assert_eq!(speed("1000base-t"), Some(("1GbE".into(), false)));
        assert_eq!(speed("10gbase-x-sfpp"), Some(("10GbE".into(), false)));
        assert_eq!(speed("2.5gbase-t"), Some(("2.5GbE".into(), false)));
        assert_eq!(speed("16gfc-sfpp"), Some(("16GFC".into(), true)));
        assert_eq!(speed("10gfc-sfpp"), Some(("10GFC".into(), true)));
        assert_eq!(speed("100base-tx"), Some(("100Mb/s".into(), false)));
        assert_eq!(speed("ieee802.11ax"), None);
        assert_eq!(speed("virtual"), None);
        assert_eq!(speed("3gbase-x"), None);
        // Found by fuzzing: the figure is printed as a number, not as typed.
        assert_eq!(speed("1.gfc-sfpp"), Some(("1GFC".into(), true)));
        assert_eq!(speed("08gfc-sfpp"), Some(("8GFC".into(), true)));
    }

    #[test]
    fn names_from_slugs() {
        assert_eq!(name("dell-poweredge-r650"), "dell-poweredge-r650");
        assert_eq!(name("3par-7200"), "nb-3par-7200");
        let long = name(&"r".repeat(300));
        assert_eq!(long.len(), 128);
        assert!(long.starts_with("rrrr") && long.as_bytes()[111] == b'-');
        assert_ne!(long, name(&format!("{}s", "r".repeat(299))));
        assert_eq!(part_name("25gbase-x-sfp28"), "if-25gbase-x-sfp28");
        assert_eq!(part_name(&"g".repeat(200)).len(), 128);
    }
}
