//! The rack-elevation view: each rack its front and rear faces side by
//! side, 19-inch columns with U1 at the bottom, devices at their units (a
//! full-depth device on both faces, a half-depth one on its own), overlaps and overflows in red, and
//! bars for power (marks at 80 % and 100 %) and weight under each rack.

mod dot;
pub use dot::dot;

use super::kinds::{self, fill};
use super::marks::{self, Marks};
use super::{text_width, Svg, INK, MUTED};
use crate::analyze::power::{rack_power, PowerModel, Whose, CONTINUOUS};
use crate::diagnostic::Diagnostic;
use crate::model::units::Kilograms;
use crate::model::{Depth, DeviceId, Element, Face, FeedId, Project, RackId};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

/// Pixels per rack unit; a 19-inch panel is 10.86 U wide.
const U: f64 = 16.0;
const PANEL: f64 = 176.0;
const GUTTER: f64 = 26.0;
/// Between a rack's front and rear panels.
const FACE_GAP: f64 = 14.0;
/// Both faces, side by side as NetBox draws them.
const FACES_W: f64 = 2.0 * PANEL + FACE_GAP;
const RACK_W: f64 = GUTTER + FACES_W + 8.0;
const GAP: f64 = 40.0;
const PER_ROW: usize = 6;
/// Room above a rack's frame for its name and the face headings.
const HEAD: f64 = 42.0;
/// The height of a note line under a power bar.
const NOTE: f64 = 12.0;

/// Devices in a rack that share a unit with another on `face` (both
/// faces when `None`): a full-depth device takes its units on both faces,
/// a half-depth one on its own, as `rack-overlap` counts them.
fn overlapping(p: &Project, rack: RackId, face: Option<Face>) -> BTreeSet<DeviceId> {
    let faces: &[Face] = match &face {
        Some(f) => std::slice::from_ref(f),
        None => &[Face::Front, Face::Rear],
    };
    let mut out = BTreeSet::new();
    for &face in faces {
        let mut taken: BTreeMap<u32, Vec<DeviceId>> = BTreeMap::new();
        for &d in &p.racks[rack.index()].devices {
            let dev = &p.devices[d.index()];
            let (Some(pl), Some(r)) = (dev.placement, dev.occupied()) else {
                continue;
            };
            if pl.takes(face) {
                for u in r {
                    taken.entry(u).or_default().push(d);
                }
            }
        }
        out.extend(taken.into_values().filter(|v| v.len() > 1).flatten());
    }
    out
}

/// What a rack's power bar shows: a load against a capacity, the share
/// above which it is amber, and the words under it.
struct PowerBar {
    load: f64,
    capacity: Option<f64>,
    /// The continuous-load share (80 %, or the feed's `rated`).
    warn: f64,
    /// "power 4.63 kVA of 6.24 kVA (74 %)", with "≥" when draws are missing.
    text: String,
    /// Lines under the bar: whose figure it is ("feed a, if b fails") and
    /// whether it is a lower bound ("2 devices without draw").
    notes: Vec<String>,
    /// The short figure for the DOT label: "4.63 kVA of 6.24 kVA".
    short: Option<String>,
}

/// The bar under a rack: its power figure, amber above the continuous-load
/// share, with whose limit it is and whether it is a lower bound.
fn power_bar(p: &Project, model: &PowerModel, rack: RackId) -> PowerBar {
    let power = rack_power(p, model, rack);
    let at_least = if power.missing > 0 { "≥ " } else { "" };
    let name = |f: FeedId| p.feeds[f.index()].name.as_str();
    let mut notes = Vec::new();
    let bar = match power.limited {
        Some(l) => {
            notes.push(match l.whose {
                Whose::Feed(f, Some(other)) => {
                    format!("feed {}, if {} fails", name(f), name(other))
                }
                Whose::Feed(f, None) => format!("feed {}", name(f)),
                Whose::Own => "the rack's own limit".to_string(),
            });
            PowerBar {
                load: l.load.get(),
                capacity: Some(l.capacity.get()),
                warn: l.continuous,
                text: format!(
                    "power {at_least}{} of {} ({:.0} %)",
                    l.load,
                    l.capacity,
                    l.load / l.capacity * 100.0
                ),
                notes: vec![],
                short: Some(format!("{at_least}{} of {}", l.load, l.capacity)),
            }
        }
        None => PowerBar {
            load: power.drawn.get(),
            capacity: None,
            warn: CONTINUOUS,
            text: format!("power {at_least}{} (no budget)", power.drawn),
            notes: vec![],
            short: None,
        },
    };
    if power.missing > 0 {
        notes.push(lower_bound(power.missing));
    }
    PowerBar { notes, ..bar }
}

/// "1 device without draw", "2 devices without draw".
fn lower_bound(missing: usize) -> String {
    let devices = if missing == 1 { "device" } else { "devices" };
    format!("{missing} {devices} without draw")
}

fn weight(p: &Project, rack: RackId) -> (Kilograms, Option<Kilograms>) {
    let r = &p.racks[rack.index()];
    let devices: Kilograms = r
        .devices
        .iter()
        .filter_map(|&d| p.devices[d.index()].props.weight.map(|w| w.value))
        .sum();
    (
        devices + r.weight.map_or(Kilograms::new(0.0), |w| w.value),
        r.max_weight.map(|m| m.value),
    )
}

/// Text cut to fit a width, with an ellipsis.
fn fit(text: &str, size: f64, width: f64) -> Cow<'_, str> {
    if text_width(text, size) <= width {
        return Cow::Borrowed(text);
    }
    let mut out = String::new();
    for c in text.chars() {
        if text_width(&format!("{out}{c}…"), size) > width {
            break;
        }
        out.push(c);
    }
    out.push('…');
    Cow::Owned(out)
}

/// A bar: `used` against `limit`, amber above `warn` (a share) and red
/// above 100 %, with marks at both.
#[allow(clippy::too_many_arguments)]
fn bar(s: &mut Svg, x: f64, y: f64, w: f64, used: f64, limit: Option<f64>, warn: f64, text: &str) {
    s.rect(
        x,
        y,
        w,
        12.0,
        2.0,
        "fill:#f5f7fa;stroke:#9aa5b1;stroke-width:1",
    );
    if let Some(limit) = limit.filter(|l| *l > 0.0) {
        let share = used / limit;
        // The bar spans 0 to 125 % so that an overload shows. It is a
        // gauge of the figure, in the palette of the severities the rule
        // would give it, whether or not the finding is reported.
        let scale = w / 1.25;
        let color = if share > 1.0 {
            super::marks::colour(crate::diagnostic::Severity::Error)
        } else if share > warn + 1e-12 {
            super::marks::colour(crate::diagnostic::Severity::Warning)
        } else {
            "#3f9c6d"
        };
        s.rect(
            x,
            y,
            (share.min(1.25) * scale).max(0.0),
            12.0,
            2.0,
            format_args!("fill:{color}"),
        );
        for mark in [warn, 1.0] {
            let mx = x + mark * scale;
            s.line(mx, y - 2.0, mx, y + 14.0, "stroke:#1f2933;stroke-width:1");
        }
    }
    s.text(x, y + 25.0, 10.0, "start", format_args!("fill:{INK}"), text);
}

struct RackBox {
    id: RackId,
    /// Units drawn above the rack's top (overflow) and below U1.
    above: u32,
    below: u32,
}

fn extent(p: &Project, rack: RackId) -> RackBox {
    let r = &p.racks[rack.index()];
    let height = r.height.value;
    let mut above = 0;
    let mut below = 0;
    for &d in &r.devices {
        let dev = &p.devices[d.index()];
        let Some(pl) = dev.placement else { continue };
        let top = pl.position + dev.size().max(1) - 1;
        above = above.max(top.saturating_sub(height));
        if pl.position == 0 {
            below = 1;
        }
    }
    RackBox {
        id: rack,
        above: above.min(40),
        below,
    }
}

pub fn svg(p: &Project, diagnostics: &[Diagnostic], only: Option<RackId>) -> String {
    let red = Marks::new(p, diagnostics);
    let model = PowerModel::new(p);
    let racks: Vec<RackId> = match only {
        Some(r) => vec![r],
        None => (0..p.racks.len()).map(|i| RackId(i as u32)).collect(),
    };
    // Group by site, in declaration order; racks without a site last.
    let mut by_site: BTreeMap<usize, Vec<RackBox>> = BTreeMap::new();
    for r in racks {
        let site = p.racks[r.index()]
            .site
            .map_or(usize::MAX, |s| s.value.index());
        by_site.entry(site).or_default().push(extent(p, r));
    }
    // About 12 KB of frame per rack and 700 bytes per device, generously.
    let devices: usize = by_site
        .values()
        .flatten()
        .map(|b| p.racks[b.id.index()].devices.len())
        .sum();
    let racks = by_site.values().map(Vec::len).sum::<usize>();
    let mut s = Svg::with_capacity((1 << 16) + racks * 16 * 1024 + devices * 1024);
    let mut y = 20.0;
    s.view_title("Rack elevation");
    y += 30.0;
    let mut width: f64 = 600.0;
    if by_site.is_empty() {
        s.text(
            20.0,
            y + 20.0,
            12.0,
            "start",
            format_args!("fill:{MUTED}"),
            "no racks",
        );
        y += 40.0;
    }
    for (site, racks) in &by_site {
        let label = if *site == usize::MAX {
            "no site".to_string()
        } else {
            format!("site {}", p.sites[*site].name)
        };
        s.text(
            20.0,
            y + 14.0,
            13.0,
            "start",
            format_args!("font-weight:bold;fill:{INK}"),
            &label,
        );
        y += 26.0;
        for row in racks.chunks(PER_ROW) {
            let tallest = row
                .iter()
                .map(|b| (p.racks[b.id.index()].height.value + b.above + b.below) as f64 * U)
                .fold(0.0, f64::max);
            let above = row.iter().map(|b| b.above).max().unwrap_or(0) as f64 * U;
            let bars: Vec<PowerBar> = row.iter().map(|b| power_bar(p, &model, b.id)).collect();
            let mut x = 20.0;
            for (b, power) in row.iter().zip(&bars) {
                draw_rack(
                    &mut s,
                    p,
                    power,
                    &red,
                    b,
                    x,
                    y + HEAD + above - b.above as f64 * U,
                );
                x += RACK_W + GAP;
            }
            width = width.max(x);
            // Room under each rack for the power bar, its note lines and
            // the weight bar.
            let notes = bars.iter().map(|b| b.notes.len()).max().unwrap_or(0);
            y += HEAD + tallest + 104.0 + NOTE * notes as f64;
        }
    }
    let (height, legend_w) = kinds::legend(&mut s, y);
    width = width.max(legend_w);
    s.finish(width, y + height, "topo rack elevation")
}

#[allow(clippy::too_many_arguments)]
fn draw_rack(s: &mut Svg, p: &Project, power: &PowerBar, red: &Marks, b: &RackBox, x: f64, y: f64) {
    let rack = &p.racks[b.id.index()];
    let height = rack.height.value;
    let frame_top = y + b.above as f64 * U;
    let frame_h = height as f64 * U;
    let e = Element::Rack(b.id);
    let rack_mark = red.severity(e);
    // The rack's group holds its devices' groups: a device is in its rack;
    // its title gives the full name where the header cuts it.
    let _ = writeln!(s, "<g{}>{}", red.attributes(p, e), red.title(p, e));
    // The name is cut to the room the units figure leaves it, so a long
    // name never prints over "42U".
    let used = format!("{} of {height}U used", p.rack_units_used(b.id));
    let room = RACK_W - GUTTER - text_width(&used, 10.0) - 10.0;
    let name = format!("rack {}", rack.name);
    let shown = fit(&name, 12.0 * 1.08, room);
    s.text(
        x + GUTTER,
        y - 24.0,
        12.0,
        "start",
        format_args!("font-weight:bold;fill:{INK}"),
        &shown,
    );
    if let Some(sev) = rack_mark {
        s.raw(&marks::marker(
            sev,
            x + GUTTER + text_width(&shown, 12.0) * 1.1 + 10.0,
            y - 28.0,
            13.0,
        ));
    }
    s.text(
        x + RACK_W,
        y - 24.0,
        10.0,
        "end",
        format_args!("fill:{MUTED}"),
        &used,
    );
    let frame_stroke = match rack_mark {
        Some(sev) => format!("stroke:{};stroke-width:2.5", marks::colour(sev)),
        None => "stroke:#3e4c59;stroke-width:2".to_string(),
    };
    for (i, (heading, _)) in Face::ALL.iter().enumerate() {
        let px = x + GUTTER + i as f64 * (PANEL + FACE_GAP);
        let mut title = heading.to_string();
        title[..1].make_ascii_uppercase();
        s.text(
            px + PANEL / 2.0,
            y - 8.0,
            10.0,
            "middle",
            format_args!("font-weight:bold;fill:{MUTED}"),
            &title,
        );
        s.rect(
            px - 4.0,
            frame_top - 4.0,
            PANEL + 8.0,
            frame_h + 8.0,
            3.0,
            format_args!("fill:#f8f9fa;{frame_stroke}"),
        );
        for u in 2..=height {
            let uy = frame_top + (height - u) as f64 * U;
            s.line(
                px,
                uy + U,
                px + PANEL,
                uy + U,
                "stroke:#e4e7eb;stroke-width:0.5",
            );
        }
    }
    for u in 1..=height {
        let uy = frame_top + (height - u) as f64 * U;
        s.text(
            x + GUTTER - 8.0,
            uy + U - 4.0,
            8.0,
            "end",
            format_args!("fill:{MUTED}"),
            &u.to_string(),
        );
    }
    let mut zero_u = Vec::new();
    for &id in &rack.devices {
        let d = &p.devices[id.index()];
        if d.placement.is_some() && d.size() == 0 {
            zero_u.push(d.name.as_str());
        }
    }
    for (i, &(_, face)) in Face::ALL.iter().enumerate() {
        let px = x + GUTTER + i as f64 * (PANEL + FACE_GAP);
        draw_face(s, p, red, b.id, face, px, frame_top);
    }
    let mut by = frame_top + frame_h + 14.0 + b.below as f64 * U;
    if !zero_u.is_empty() {
        let zero_u = format!("0U: {}", zero_u.join(", "));
        let text = fit(&zero_u, 9.0, FACES_W);
        s.text(
            x + GUTTER,
            by + 4.0,
            9.0,
            "start",
            format_args!("fill:{MUTED}"),
            &text,
        );
        by += 12.0;
    }
    bar(
        s,
        x + GUTTER,
        by,
        FACES_W,
        power.load,
        power.capacity,
        power.warn,
        &power.text,
    );
    for note in &power.notes {
        // Lines of their own under the figure, so the bar's text stays short.
        s.text(
            x + GUTTER,
            by + 37.0,
            9.0,
            "start",
            format_args!("fill:{MUTED}"),
            &fit(note, 9.0, RACK_W - GUTTER + GAP / 2.0),
        );
        by += NOTE;
    }
    let (held, limit) = weight(p, b.id);
    let weight_text = match limit {
        Some(l) => format!("weight {held} of {l} ({:.0} %)", held / l * 100.0),
        None => format!("weight {held} (no rating)"),
    };
    bar(
        s,
        x + GUTTER,
        by + 34.0,
        FACES_W,
        held.get(),
        limit.map(|k| k.get()),
        0.8,
        &weight_text,
    );
    s.raw("</g>\n");
}

/// The devices seen on one face of a rack. A half-depth device of the
/// other face shows as a dashed outline: its units are free on this face,
/// but not for a full-depth device. Devices that share units on this face
/// stand side by side in lanes, so both show.
#[allow(clippy::too_many_arguments)]
fn draw_face(
    s: &mut Svg,
    p: &Project,
    red: &Marks,
    rack: RackId,
    face: Face,
    px: f64,
    frame_top: f64,
) {
    let r = &p.racks[rack.index()];
    let height = r.height.value;
    let on_face = overlapping(p, rack, Some(face));
    let mut lanes: BTreeMap<DeviceId, usize> = BTreeMap::new();
    let mut lane_units: Vec<BTreeSet<u32>> = Vec::new();
    for &id in r.devices.iter().filter(|d| on_face.contains(d)) {
        let Some(units) = p.devices[id.index()].occupied() else {
            continue;
        };
        let units: BTreeSet<u32> = units.collect();
        let lane = match lane_units.iter().position(|l| l.is_disjoint(&units)) {
            Some(i) => i,
            None => {
                lane_units.push(BTreeSet::new());
                lane_units.len() - 1
            }
        };
        lane_units[lane].extend(units);
        lanes.insert(id, lane);
    }
    let lane_count = lane_units.len().max(1) as f64;
    // Reused for every device: a data centre's view draws a hundred
    // thousand of them.
    let (mut tip, mut label) = (String::new(), String::new());
    // Outlines of the other face's half-depth devices first, so a device
    // of this face sharing their units is drawn over them.
    for behind in [true, false] {
        for &id in &r.devices {
            let d = &p.devices[id.index()];
            let Some(pl) = d.placement else { continue };
            let size = d.size();
            if size == 0 || pl.takes(face) == behind {
                continue;
            }
            let top_u = pl.position + size - 1;
            // Units count from U1 at the bottom; U0 is drawn just below the frame.
            let dy = frame_top + (height as f64 - top_u as f64) * U;
            let h = size as f64 * U;
            let depth = match pl.depth {
                Depth::Full => "full depth",
                Depth::Half => "half depth",
            };
            let units = if size == 1 {
                format!("U{top_u}")
            } else {
                format!("U{}-U{top_u}", pl.position)
            };
            tip.clear();
            let _ = write!(tip, "{} · {units} · {} · {depth}", d.name, pl.face.name());
            let e = Element::Device(id);
            let mark = red.get(e);
            for line in mark.iter().flat_map(|m| &m.lines) {
                tip.push('\n');
                tip.push_str(line);
            }
            let _ = writeln!(
                s,
                "<g{}><title>{}</title>",
                red.attributes(p, e),
                super::escape(&tip)
            );
            if behind {
                s.rect(
                    px + 2.0,
                    dy + 1.0,
                    PANEL - 4.0,
                    h - 2.0,
                    2.0,
                    "fill:none;stroke:#b8c2cc;stroke-width:1;stroke-dasharray:3 3",
                );
                let outline = format!("{} ({})", d.name, pl.face.name());
                let text = fit(&outline, 9.0, PANEL - 14.0);
                s.text(
                    px + 8.0,
                    dy + h / 2.0 + 3.0,
                    9.0,
                    "start",
                    format_args!("fill:{MUTED};font-style:italic"),
                    &text,
                );
                s.raw("</g>\n");
                continue;
            }
            // Drawn as the findings say: an overlap or overflow someone
            // allowed is drawn where it is, but plainly.
            let severity = mark.map(|m| m.severity);
            let (paint, stroke) = match severity {
                Some(sev) => ("fill-opacity:0.85;stroke:", (marks::colour(sev), "2")),
                None => ("stroke:", ("#52606d", "1")),
            };
            let style = format_args!(
                "fill:{};{paint}{};stroke-width:{}",
                fill(d.kind),
                stroke.0,
                stroke.1
            );
            let (lx, lw) = match lanes.get(&id) {
                Some(&lane) => (lane as f64 * PANEL / lane_count, PANEL / lane_count),
                None => (0.0, PANEL),
            };
            s.rect(px + 2.0 + lx, dy + 1.0, lw - 4.0, h - 2.0, 2.0, style);
            let model = d.model.map(|m| p.models[m.value.index()].name.as_str());
            label.clear();
            let _ = match model {
                Some(m) => write!(label, "{} · {m} · {size}U", d.name),
                None => write!(label, "{} · {size}U", d.name),
            };
            // The marker before the label, inside the device's box.
            let indent = if severity.is_some() { 13.0 } else { 0.0 };
            if let Some(sev) = severity {
                s.raw(&marks::marker(sev, px + 8.0 + lx + 5.0, dy + h / 2.0, 10.0));
            }
            let text = fit(&label, 10.0, lw - 14.0 - indent);
            s.text(
                px + 8.0 + lx + indent,
                dy + h / 2.0 + 3.5,
                10.0,
                "start",
                format_args!("fill:{INK}"),
                &text,
            );
            s.raw("</g>\n");
        }
    }
}
