//! `topo import netbox`: NetBox device types (the community
//! devicetype-library's YAML) to `model` declarations.

use crate::model::lower::MAX_RACK_HEIGHT;
use crate::model::units::{ETHERNET_SPEEDS_GBPS, FIBRE_CHANNEL_SPEEDS};
use crate::model::Airflow;
use parts::{Named, PowerPort};
use serde::de::IgnoredAny;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt::Write;

mod limits;
mod parts;

pub use parts::{Draw, Power};

/// NetBox's keys: snake_case for fields, kebab-case for component lists.
#[derive(Debug, Deserialize)]
struct DeviceType {
    manufacturer: String,
    model: String,
    slug: String,
    /// NetBox's default is 1U.
    #[serde(default = "one")]
    u_height: f64,
    #[serde(default)]
    is_full_depth: Option<bool>,
    #[serde(default)]
    subdevice_role: Option<String>,
    #[serde(default)]
    is_powered: Option<bool>,
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
    #[serde(default, rename = "console-ports")]
    console_ports: Vec<Named>,
    #[serde(default, rename = "console-server-ports")]
    console_server_ports: Vec<Named>,
    #[serde(default, rename = "power-outlets")]
    power_outlets: Vec<Named>,
    #[serde(default, rename = "front-ports")]
    front_ports: Vec<Named>,
    #[serde(default, rename = "rear-ports")]
    rear_ports: Vec<Named>,
    #[serde(default, rename = "module-bays")]
    module_bays: Vec<Named>,
    #[serde(default, rename = "device-bays")]
    device_bays: Vec<Named>,
    #[serde(default, rename = "inventory-items")]
    inventory_items: Vec<Named>,
}

fn one() -> f64 {
    1.0
}

/// Enough of a document to tell a module type from a device type: NetBox's
/// module-type schema has neither a `slug` nor a `u_height` (a module sits
/// in a bay, not in a rack).
#[derive(Debug, Deserialize)]
struct Shape {
    #[serde(default)]
    manufacturer: Option<serde_norway::Value>,
    #[serde(default)]
    model: Option<serde_norway::Value>,
    #[serde(default)]
    slug: Option<IgnoredAny>,
    #[serde(default)]
    u_height: Option<IgnoredAny>,
}

impl DeviceType {
    /// The component lists kept as comments, in [`parts::KEPT`]'s order.
    fn kept(&self) -> [&[Named]; 8] {
        [
            &self.console_ports,
            &self.console_server_ports,
            &self.power_outlets,
            &self.front_ports,
            &self.rear_ports,
            &self.module_bays,
            &self.device_bays,
            &self.inventory_items,
        ]
    }

    /// Texts end up in comments, where a line break (a lone CR included)
    /// would turn the rest of the text into code.
    fn strip_controls(&mut self) {
        let fields = [&mut self.manufacturer, &mut self.model, &mut self.slug]
            .into_iter()
            .chain(self.part_number.as_mut())
            .chain(self.airflow.as_mut())
            .chain(self.weight_unit.as_mut())
            .chain(self.subdevice_role.as_mut())
            .chain(
                self.interfaces
                    .iter_mut()
                    .flat_map(|i| [&mut i.name, &mut i.kind]),
            )
            .chain(
                [
                    &mut self.console_ports,
                    &mut self.console_server_ports,
                    &mut self.power_outlets,
                    &mut self.front_ports,
                    &mut self.rear_ports,
                    &mut self.module_bays,
                    &mut self.device_bays,
                    &mut self.inventory_items,
                ]
                .into_iter()
                .flat_map(|list| list.iter_mut().map(|n| &mut n.name)),
            );
        for field in fields {
            if field.contains(char::is_control) {
                *field = field.replace(char::is_control, " ");
            }
        }
    }
}

#[derive(Debug, Deserialize)]
struct Interface {
    name: String,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    mgmt_only: bool,
}

/// One converted device type.
pub struct Imported {
    pub slug: String,
    pub text: String,
    /// Interface types with no known speed, to warn about.
    pub unknown_interfaces: Vec<String>,
    /// What became of its power figures.
    pub power: Power,
}

/// What a file held.
pub enum Converted {
    Device(Imported),
    /// A module type (a line card, a supply): topo has no modules.
    Module {
        manufacturer: String,
        model: String,
    },
}

/// Why a file was not converted, and where, when the place is known.
#[derive(Debug)]
pub struct Error {
    /// 1-based line and column.
    pub at: Option<(usize, usize)>,
    pub message: String,
}

impl Error {
    fn new(message: impl Into<String>) -> Error {
        Error {
            at: None,
            message: message.into(),
        }
    }

    /// A figure's error at the first line that sets `field`: the check is
    /// made after parsing, which forgets where each value was.
    fn at_field(message: String, field: &str, yaml: &str) -> Error {
        let at = yaml.lines().enumerate().find_map(|(i, line)| {
            let trimmed = line.trim_start().trim_start_matches("- ");
            trimmed
                .strip_prefix(field)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
                .then(|| (i + 1, line.len() - trimmed.len() + 1))
        });
        Error { at, message }
    }

    fn yaml(e: serde_norway::Error) -> Error {
        let at = e.location().map(|l| (l.line(), l.column()));
        // The location is given apart, so the message does not repeat it.
        let message = e.to_string();
        let message = match at {
            Some((line, column)) => message
                .strip_suffix(&format!(" at line {line} column {column}"))
                .map(str::to_string)
                .unwrap_or(message),
            None => message,
        };
        Error { at, message }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self.at {
            Some((line, column)) => write!(f, "line {line} column {column}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
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

/// Converts one device-type YAML document; a module type is an error.
pub fn convert(yaml: &str, draw: Draw) -> Result<Imported, String> {
    match convert_file(yaml, false, draw).map_err(|e| e.to_string())? {
        Converted::Device(d) => Ok(d),
        Converted::Module { .. } => Err("a module type, not a device type".into()),
    }
}

/// Converts one file of the library. `in_module_types` says the file was
/// found under a `module-types` directory; otherwise a module type is told
/// by its shape.
pub fn convert_file(yaml: &str, in_module_types: bool, draw: Draw) -> Result<Converted, Error> {
    // Editors on Windows save a byte-order mark, which YAML allows and
    // libyaml, told the encoding, would take as part of the first key.
    let yaml = yaml.strip_prefix('\u{FEFF}').unwrap_or(yaml);
    limits::check(yaml).map_err(Error::new)?;
    let shape: Shape = serde_norway::from_str(yaml).map_err(Error::yaml)?;
    if in_module_types || (shape.slug.is_none() && shape.u_height.is_none()) {
        let text = |v: Option<serde_norway::Value>| match v {
            Some(serde_norway::Value::String(s)) => s.replace(char::is_control, " "),
            Some(serde_norway::Value::Number(n)) => n.to_string(),
            _ => "(unnamed)".to_string(),
        };
        return Ok(Converted::Module {
            manufacturer: text(shape.manufacturer),
            model: text(shape.model),
        });
    }
    let mut t: DeviceType = serde_norway::from_str(yaml).map_err(Error::yaml)?;
    t.strip_controls();
    if t.slug.trim().is_empty() {
        return Err(Error::at_field("`slug` is empty".into(), "slug", yaml));
    }
    plausible("u_height", t.u_height, f64::from(MAX_RACK_HEIGHT))
        .map_err(|e| Error::at_field(e, "u_height", yaml))?;
    for p in &t.power_ports {
        for (field, v) in [
            ("maximum_draw", p.maximum_draw),
            ("allocated_draw", p.allocated_draw),
        ] {
            if let Some(v) = v {
                plausible(field, v, MAX_DRAW_WATTS).map_err(|e| Error::at_field(e, field, yaml))?;
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
    // Only what the data says: 0U takes no unit; where it goes (the rack's
    // side, a shelf, a wall, a parent's bay) NetBox does not say, except
    // for a child that sits in a device bay.
    match t.subdevice_role.as_deref() {
        Some("child") => {
            let _ = writeln!(
                out,
                "  # a child device (NetBox subdevice_role: child): it sits in a parent's device bay"
            );
        }
        Some("parent") => {
            let _ = writeln!(
                out,
                "  # a parent device (NetBox subdevice_role: parent): it holds child devices in its bays"
            );
        }
        _ => {}
    }
    let _ = writeln!(out, "  size {size}U");
    match t.is_full_depth {
        Some(true) => {
            let _ = writeln!(out, "  depth full");
        }
        Some(false) => {
            let _ = writeln!(out, "  depth half");
        }
        None => {}
    }
    if let Some(w) = t.weight.filter(|w| *w != 0.0) {
        let kg = match t.weight_unit.as_deref().unwrap_or("kg") {
            "kg" => w,
            "g" => w / 1000.0,
            "lb" => w * 0.45359237,
            "oz" => w * 0.028349523125,
            other => {
                return Err(Error::at_field(
                    format!("unknown weight_unit `{other}` (kg, g, lb, oz)"),
                    "weight_unit",
                    yaml,
                ))
            }
        };
        plausible("weight", kg, MAX_WEIGHT_KG).map_err(|e| Error::at_field(e, "weight", yaml))?;
        let from = match t.weight_unit.as_deref() {
            Some(u) if u != "kg" => format!("  # {} {u}", number(w)),
            _ => String::new(),
        };
        let _ = writeln!(out, "  weight {}kg{from}", number(kg));
    }
    let power = parts::power(
        &mut out,
        &t.power_ports,
        t.power_outlets.len(),
        t.is_powered,
        draw,
    );
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
    let unknown = interfaces(&mut out, &t.interfaces);
    for ((_, label), items) in parts::KEPT.iter().zip(t.kept()) {
        parts::summarise(&mut out, label, items);
    }
    let _ = writeln!(out, "}}");
    Ok(Converted::Device(Imported {
        slug: model,
        text: out,
        unknown_interfaces: unknown,
        power,
    }))
}

/// Interfaces grouped by type, in their first order of appearance, as
/// `nic` and `hba` parts; returns the types of no known speed.
fn interfaces(out: &mut String, interfaces: &[Interface]) -> Vec<String> {
    let mut groups: BTreeMap<usize, (String, Vec<&str>)> = BTreeMap::new();
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    let mut skipped = Vec::new();
    for (i, iface) in interfaces.iter().enumerate() {
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
    unknown
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
