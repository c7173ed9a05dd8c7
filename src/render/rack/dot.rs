//! The rack view as Graphviz DOT: each rack a real elevation, one
//! HTML-like table per rack with a row per unit (the top unit first) and a
//! column per face; a device spans the rows of its units, and the columns
//! of the faces it takes (both for a full-depth device). Racks stand left
//! to right in declaration order, grouped by site.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::{fill, power_bar};
use crate::analyze::power::PowerModel;
use crate::diagnostic::Diagnostic;
use crate::model::{Depth, DeviceId, Element, Face, Project, RackId};
use crate::render::marks::{self, Marks};
use crate::render::{dot_string, escape, shorten, MAX_DOT_TEXT, MUTED};

/// Text for an HTML-like label: markup escaped, cut like any DOT text.
fn html(text: &str) -> String {
    escape(&shorten(text, MAX_DOT_TEXT)).into_owned()
}

pub fn dot(p: &Project, diagnostics: &[Diagnostic], only: Option<RackId>) -> String {
    let marks = Marks::new(p, diagnostics);
    let model = PowerModel::new(p);
    let racks: Vec<RackId> = match only {
        Some(r) => vec![r],
        None => (0..p.racks.len()).map(|i| RackId(i as u32)).collect(),
    };
    let mut by_site: BTreeMap<usize, Vec<RackId>> = BTreeMap::new();
    for r in racks {
        by_site
            .entry(
                p.racks[r.index()]
                    .site
                    .map_or(usize::MAX, |s| s.value.index()),
            )
            .or_default()
            .push(r);
    }
    let mut out = String::new();
    let _ = writeln!(out, "digraph racks {{");
    let _ = writeln!(
        out,
        "  graph [rankdir=TB, nodesep=0.4, fontname={}];",
        dot_string(crate::render::FONT)
    );
    let _ = writeln!(
        out,
        "  node [shape=plain, fontname={}, fontsize=10];",
        dot_string(crate::render::FONT)
    );
    if by_site.is_empty() {
        let _ = writeln!(
            out,
            "  empty [shape=note, label=\"no racks: nothing to draw\"];"
        );
    }
    // Whether any drawn rack or device is marked, for the legend.
    let mut any = false;
    for (site, racks) in &by_site {
        let nested = *site != usize::MAX;
        if nested {
            let _ = writeln!(
                out,
                "  subgraph {} {{",
                dot_string(&format!("cluster_site_{}", p.sites[*site].name))
            );
            let _ = writeln!(
                out,
                "    label={}; style=rounded;",
                dot_string(&format!("site {}", p.sites[*site].name))
            );
        }
        let ids: Vec<String> = racks
            .iter()
            .map(|r| dot_string(&format!("rack:{}", p.racks[r.index()].name)))
            .collect();
        for (&r, id) in racks.iter().zip(&ids) {
            let tip = tooltip(p, &marks, r);
            any |= tip.is_some();
            let tip = tip.map_or(String::new(), |t| format!(", tooltip={}", dot_string(&t)));
            let _ = writeln!(
                out,
                "    {id} [label=<{}>{tip}];",
                elevation(p, &model, &marks, r)
            );
        }
        // One rank, chained left to right: declaration order on the page.
        if ids.len() > 1 {
            let _ = writeln!(out, "    {{ rank=same; {}; }}", ids.join("; "));
            let _ = writeln!(out, "    {} [style=invis];", ids.join(" -> "));
        }
        if nested {
            let _ = writeln!(out, "  }}");
        }
    }
    if any {
        out.push_str(&marks::dot_legend());
    }
    let _ = writeln!(out, "}}");
    out
}

/// A rack's tooltip: its findings, then each of its devices' with the
/// device's name; `None` when none concerns them (the rack stays plain).
/// HTML-like cells show a tooltip only with a link, so the rack's node
/// carries them all.
fn tooltip(p: &Project, marks: &Marks, r: RackId) -> Option<String> {
    let rack = &p.racks[r.index()];
    let mut lines: Vec<String> = marks
        .get(Element::Rack(r))
        .map_or(Vec::new(), |m| m.lines.clone());
    for &d in &rack.devices {
        if let Some(m) = marks.get(Element::Device(d)) {
            let name = &p.devices[d.index()].name;
            lines.extend(m.lines.iter().map(|l| format!("{name}: {l}")));
        }
    }
    if lines.is_empty() {
        return None;
    }
    lines.insert(0, format!("rack {}", rack.name));
    Some(lines.join("\n"))
}

/// One rack as an HTML-like table.
fn elevation(p: &Project, model: &PowerModel, marks: &Marks, r: RackId) -> String {
    let rack = &p.racks[r.index()];
    let height = rack.height.value;
    let power = power_bar(p, model, r);
    let mut head = format!("rack {} · {height}U", rack.name);
    if let Some(figures) = power.short {
        let _ = write!(head, " · {figures}");
    }
    // The frame and the header (with its power figure) in the colour of
    // the rack's worst finding; devices in their own: drawn as the
    // findings say, so an overlap someone allowed is drawn plainly.
    let rack_mark = marks.severity(Element::Rack(r)).map(marks::colour);
    let frame = rack_mark.unwrap_or("#3e4c59");
    // Which device takes each unit of each face (index 0: U1); devices that
    // cannot be drawn there (outside the rack, or on units already taken,
    // or mounted at the side) are listed under the table instead.
    let mut grid: Vec<[Option<DeviceId>; 2]> = vec![[None, None]; height as usize];
    let mut notes: Vec<(DeviceId, String)> = Vec::new();
    for &d in &rack.devices {
        let dev = &p.devices[d.index()];
        let Some(pl) = dev.placement else { continue };
        let size = dev.size();
        if size == 0 {
            notes.push((d, format!("{} · 0U, at the side", dev.name)));
            continue;
        }
        let top = pl.position + size - 1;
        let faces: Vec<usize> = Face::ALL
            .iter()
            .enumerate()
            .filter(|(_, (_, f))| pl.takes(*f))
            .map(|(i, _)| i)
            .collect();
        let fits = pl.position >= 1
            && top <= height
            && (pl.position..=top)
                .all(|u| faces.iter().all(|&f| grid[u as usize - 1][f].is_none()));
        if !fits {
            let why = if pl.position == 0 || top > height {
                "outside the rack"
            } else {
                "on units taken by another device"
            };
            notes.push((
                d,
                format!("{} · {} · {why}", dev.name, units(pl.position, size)),
            ));
            continue;
        }
        for u in pl.position..=top {
            for &f in &faces {
                grid[u as usize - 1][f] = Some(d);
            }
        }
    }
    let mut t = String::new();
    let _ = write!(
        t,
        r#"<TABLE BORDER="2" COLOR="{frame}" CELLBORDER="1" CELLSPACING="0" CELLPADDING="2">"#
    );
    let _ = write!(
        t,
        r#"<TR><TD COLSPAN="3" BORDER="0"><B>{}</B></TD></TR>"#,
        match rack_mark {
            Some(c) => format!(r#"<FONT COLOR="{c}">{}</FONT>"#, html(&head)),
            None => html(&head),
        }
    );
    let _ = write!(
        t,
        r#"<TR><TD BORDER="0"></TD><TD BORDER="0" WIDTH="150"><I>front</I></TD><TD BORDER="0" WIDTH="150"><I>rear</I></TD></TR>"#
    );
    for u in (1..=height).rev() {
        let cells = grid[u as usize - 1];
        let _ = write!(
            t,
            r#"<TR><TD BORDER="0"><FONT POINT-SIZE="7">{u}</FONT></TD>"#
        );
        for (f, cell) in cells.iter().enumerate() {
            match *cell {
                None => {
                    let _ = write!(t, r##"<TD COLOR="#e4e7eb" HEIGHT="12"></TD>"##);
                }
                Some(d) => {
                    let dev = &p.devices[d.index()];
                    let Some(pl) = dev.placement else { continue };
                    let top = pl.position + dev.size() - 1;
                    let both = pl.depth == Depth::Full;
                    // A device's cell opens at its top unit; a full-depth
                    // device's one cell spans both faces.
                    if u != top || (both && f == 1) {
                        continue;
                    }
                    let mut label = dev.name.clone();
                    if let Some(m) = dev.model {
                        let _ = write!(label, " · {}", p.models[m.value.index()].name);
                    }
                    let _ = write!(label, " · {}U", dev.size());
                    // A cell takes the table's colour unless told: in a
                    // marked rack, an unmarked device is drawn plainly.
                    let colour = match marks.severity(Element::Device(d)) {
                        Some(sev) => format!(r#" COLOR="{}" BORDER="2""#, marks::colour(sev)),
                        None if rack_mark.is_some() => r##" COLOR="#3e4c59""##.to_string(),
                        None => String::new(),
                    };
                    let _ = write!(
                        t,
                        r#"<TD ROWSPAN="{}"{} BGCOLOR="{}"{colour}>{}</TD>"#,
                        dev.size(),
                        if both { r#" COLSPAN="2""# } else { "" },
                        fill(dev.kind),
                        html(&label)
                    );
                }
            }
        }
        t.push_str("</TR>");
    }
    for (d, note) in &notes {
        let colour = marks
            .severity(Element::Device(*d))
            .map_or(MUTED, marks::colour);
        let _ = write!(
            t,
            r#"<TR><TD COLSPAN="3" BORDER="0" ALIGN="LEFT"><FONT COLOR="{colour}">{}</FONT></TD></TR>"#,
            html(note)
        );
    }
    t.push_str("</TABLE>");
    t
}

fn units(position: u32, size: u32) -> String {
    if size <= 1 {
        format!("U{position}")
    } else {
        format!("U{position}-U{}", position + size - 1)
    }
}
