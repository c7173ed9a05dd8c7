//! The bus view: the inside of a server. CPUs on top with the socket
//! link between them and their memory channels above; the bus tree runs
//! down to chipsets, controllers and devices, wrapping onto further rows
//! so a panel stays within a page; identical sibling parts share one
//! stacked box; each bus is labelled with what it carries and what is
//! behind it, and every part and bus takes the colour of its findings.

mod dot;
mod layout;

pub use dot::dot;

use super::marks::{self, Marks};
use super::{escape, text_width, Svg, INK, MUTED};
use crate::analyze::bus_bottleneck::demand;
use crate::analyze::{owners, Owner};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{DeviceId, Internals, PartKind, Project};
use layout::{Item, Placed, BOX_H, ELBOW, MEMORY_H};
use std::sync::Arc;

/// The devices to draw: one, or every distinct set of parts.
pub(super) fn panels(p: &Project, only: Option<DeviceId>) -> Vec<(String, &Arc<Internals>)> {
    match only {
        Some(id) => {
            let d = &p.devices[id.index()];
            let title = match d.model {
                Some(m) => format!(
                    "{} {} (model {})",
                    d.kind.keyword(),
                    d.name,
                    p.models[m.value.index()].name
                ),
                None => format!("{} {}", d.kind.keyword(), d.name),
            };
            vec![(title, &d.internals)]
        }
        None => owners(p)
            .into_iter()
            .map(|o: Owner| (title_of(p, &o), o.internals))
            .collect(),
    }
}

/// "model r650 (web1..web4)": the owner and the devices that share it.
fn title_of(p: &Project, o: &Owner) -> String {
    let users: Vec<&str> = p
        .devices
        .iter()
        .filter(|d| Arc::ptr_eq(&d.internals, o.internals))
        .map(|d| d.name.as_str())
        .collect();
    let plain = o.name.replace('`', "");
    if users.is_empty() || (users.len() == 1 && plain.ends_with(&format!(" {}", users[0]))) {
        plain
    } else {
        format!("{plain} ({})", super::collapse(&users))
    }
}

/// The name findings give the owner of each panel's parts, in the order of
/// [`panels`]: the model whose parts a device reuses (they are checked
/// once, with it), else the device.
pub(super) fn panel_subjects(p: &Project, only: Option<DeviceId>) -> Vec<&str> {
    match only {
        Some(id) => {
            let d = &p.devices[id.index()];
            let model = d
                .model
                .map(|m| &p.models[m.value.index()])
                .filter(|m| Arc::ptr_eq(&m.internals, &d.internals) && m.allows == d.allows);
            vec![model.map_or(d.name.as_str(), |m| m.name.as_str())]
        }
        None => owners(p).into_iter().map(|o| o.subject).collect(),
    }
}

pub fn svg(p: &Project, diagnostics: &[Diagnostic], only: Option<DeviceId>) -> String {
    let marks = Marks::new(p, diagnostics);
    let subjects = panel_subjects(p, only);
    let mut s = Svg::new();
    s.view_title("Bus view");
    let mut y = 52.0;
    let mut width: f64 = 600.0;
    let list = panels(p, only);
    if list.is_empty() {
        s.text(
            20.0,
            y + 16.0,
            12.0,
            "start",
            format_args!("fill:{MUTED}"),
            "no device declares parts",
        );
        y += 40.0;
    }
    for ((title, inside), owner) in list.into_iter().zip(subjects) {
        let d = demand(inside);
        let items = layout::items(inside, &d, &marks, owner);
        let placed = layout::place(inside, &items);
        let panel_h = placed.height + 24.0;
        let panel_w = (placed.width + 28.0).max(text_width(&title, 13.0) * 1.1 + 28.0);
        // The panel is the device's (or model's) group; its parts' groups
        // sit inside it.
        match p.element(owner) {
            Some(e) => s.raw(&format!(
                "<g{}>{}\n",
                marks.attributes(p, e),
                marks.title(p, e)
            )),
            None => s.raw("<g>\n"),
        }
        s.rect(
            16.0,
            y,
            panel_w,
            panel_h + 30.0,
            8.0,
            "fill:#fbfcfd;stroke:#9aa5b1;stroke-width:1",
        );
        s.text(
            28.0,
            y + 20.0,
            13.0,
            "start",
            format_args!("font-weight:bold;fill:{INK}"),
            &title,
        );
        let panel = Panel {
            inside,
            items: &items,
            placed: &placed,
            marks: &marks,
            owner,
            x0: 30.0,
            top: y + 30.0,
        };
        panel.draw(&mut s);
        s.raw("</g>\n");
        width = width.max(panel_w + 32.0);
        y += panel_h + 50.0;
    }
    s.text(20.0, y + 4.0, 11.0, "start", format_args!("fill:{MUTED}"), "bus labels: what the bus carries / what is behind it; a bus to a marked part takes the part's colour");
    s.text(
        20.0,
        y + 20.0,
        11.0,
        "start",
        format_args!("fill:{MUTED}"),
        "identical parts on one bus share a stacked box: \"nvme0–3 × 4\", figures each",
    );
    let (legend, legend_w) = marks::legend(20.0, y + 42.0);
    s.raw(&legend);
    s.finish(
        width.max(760.0).max(legend_w + 40.0),
        y + 58.0,
        "topo bus view",
    )
}

/// One device's (or model's) parts, placed, ready to draw.
struct Panel<'a> {
    inside: &'a Internals,
    items: &'a [Item],
    placed: &'a Placed,
    marks: &'a Marks,
    owner: &'a str,
    x0: f64,
    top: f64,
}

impl Panel<'_> {
    fn subject(&self, part: usize) -> String {
        format!("{}.{}", self.owner, self.inside.parts[part].name)
    }

    fn mark(&self, item: usize) -> Option<Severity> {
        let first = self.items[item].first();
        self.marks.subject(&self.subject(first)).map(|m| m.severity)
    }

    fn left(&self, i: usize) -> f64 {
        self.x0 + self.placed.x[i]
    }

    fn centre(&self, i: usize) -> f64 {
        self.left(i) + self.placed.w[i] / 2.0
    }

    fn box_top(&self, i: usize) -> f64 {
        self.top + self.placed.y[i]
    }

    fn draw(&self, s: &mut Svg) {
        // Bus edges: an elbow from the parent down to the child, labelled;
        // bottlenecks last, so their colour wins where elbows share a trunk.
        let mut edges: Vec<usize> = (0..self.items.len())
            .filter(|&i| self.items[i].parent.is_some())
            .collect();
        edges.sort_by_key(|&i| (self.items[i].bus.as_ref().is_some_and(|b| b.1), i));
        for i in edges {
            self.draw_bus(s, i);
        }
        for i in 0..self.items.len() {
            self.draw_box(s, i);
        }
    }

    fn draw_bus(&self, s: &mut Svg, i: usize) {
        let item = &self.items[i];
        let Some(parent) = item.parent else { return };
        let (cx, cy) = (self.centre(i), self.box_top(i));
        let (px, py) = (self.centre(parent), self.box_top(parent) + BOX_H);
        let mid = cy - ELBOW;
        // The bus to a part takes the colour of the findings about the
        // part (a bottleneck, a capped disk), and only those.
        let mark = self.mark(i);
        let color = mark.map_or("#52606d", marks::colour);
        let width = if mark.is_some() { 2.2 } else { 1.3 };
        let style = format!("fill:none;stroke:{color};stroke-width:{width}");
        let path = match self.placed.trunk[parent] {
            // Rows past the first are fed down the trunk at the parent's
            // left, clear of the rows above.
            Some(t) if self.placed.row[i] > 0 => {
                let (t, turn) = (self.x0 + t, py + 9.0);
                format!(
                    "M{px:.1} {py:.1} L{px:.1} {turn:.1} L{t:.1} {turn:.1} L{t:.1} {mid:.1} L{cx:.1} {mid:.1} L{cx:.1} {cy:.1}"
                )
            }
            _ => format!("M{px:.1} {py:.1} L{px:.1} {mid:.1} L{cx:.1} {mid:.1} L{cx:.1} {cy:.1}"),
        };
        s.path(&path, &style);
        let shown = match &item.bus {
            Some((l, _)) => l.clone(),
            None => "direct".to_string(),
        };
        s.label(cx, cy - 20.0, 10.0, &format!("fill:{color}"), &[shown]);
    }

    fn draw_box(&self, s: &mut Svg, i: usize) {
        let item = &self.items[i];
        let part = &self.inside.parts[item.first()];
        let (bx, by, w) = (self.left(i), self.box_top(i), self.placed.w[i]);
        let subject = self.subject(item.first());
        let mark = self.mark(i);
        let mut attributes = self.marks.subject_attributes(&subject);
        if item.is_group() {
            let members: Vec<String> = item.parts.iter().map(|&k| self.subject(k)).collect();
            attributes.push_str(&format!(" data-members=\"{}\"", escape(&members.join(" "))));
        }
        let what = format!("{} {}.{}", part.kind.keyword(), self.owner, item.name);
        let title = if item.is_group() {
            // Every member's findings, one line each.
            let mut text = what;
            for &k in &item.parts {
                for line in self
                    .marks
                    .subject(&self.subject(k))
                    .map_or(&[][..], |m| &m.lines[..])
                {
                    text.push('\n');
                    text.push_str(line);
                }
            }
            format!("<title>{}</title>", escape(&text))
        } else {
            self.marks.subject_title(&what, &subject)
        };
        s.raw(&format!("<g{attributes}>{title}\n"));
        let fill = match part.kind {
            PartKind::Cpu(_) => "#e6f0fa",
            PartKind::Chipset
            | PartKind::Controller(_)
            | PartKind::Hba { .. }
            | PartKind::Bridge => "#f0f4f8",
            PartKind::Nic { .. } => "#e3f4e8",
            PartKind::Disk(_) => "#ecebdf",
            PartKind::Card { .. } => "#efe9fa",
        };
        let stroke = match mark {
            Some(sev) => format!("stroke:{};stroke-width:2.2", marks::colour(sev)),
            None => "stroke:#52606d;stroke-width:1.2".to_string(),
        };
        if item.is_group() {
            // A stacked card behind: several parts in one box.
            s.rect(
                bx + 4.0,
                by - 4.0,
                w,
                BOX_H,
                5.0,
                format_args!("fill:{fill};{stroke}"),
            );
        }
        s.rect(bx, by, w, BOX_H, 5.0, format_args!("fill:{fill};{stroke}"));
        if let Some(sev) = mark {
            let tw = text_width(&item.name, 12.0) * 1.1;
            s.raw(&marks::marker(
                sev,
                bx + w / 2.0 - tw / 2.0 - 9.0,
                by + 14.0,
                11.0,
            ));
        }
        s.text(
            bx + w / 2.0,
            by + 18.0,
            12.0,
            "middle",
            format_args!("font-weight:bold;fill:{INK}"),
            &item.name,
        );
        s.text(
            bx + w / 2.0,
            by + 34.0,
            10.0,
            "middle",
            format_args!("fill:{MUTED}"),
            &item.detail,
        );
        if let PartKind::Cpu(cpu) = &part.kind {
            if let Some(m) = &cpu.memory {
                draw_memory(s, m, bx + w / 2.0, by - 6.0, mark);
            }
            if let Some(link) = &cpu.socket_link {
                if let Some(other) = self.items.iter().position(|it| it.parts.contains(&link.to)) {
                    self.draw_socket_link(
                        s,
                        i,
                        other,
                        &format!("{} {}", link.spec.label, link.spec.bandwidth),
                    );
                }
            }
        }
        s.raw("</g>\n");
    }

    /// The socket link: straight between CPUs on one row, else round the
    /// panel's left margin.
    fn draw_socket_link(&self, s: &mut Svg, a: usize, b: usize, label: &str) {
        let style = "fill:none;stroke:#1f2933;stroke-width:3";
        let (ay, by) = (self.box_top(a) + BOX_H / 2.0, self.box_top(b) + BOX_H / 2.0);
        if (ay - by).abs() < 0.5 {
            let (l, r) = if self.left(a) < self.left(b) {
                (a, b)
            } else {
                (b, a)
            };
            let (x1, x2) = (self.left(l) + self.placed.w[l], self.left(r));
            s.line(x1, ay, x2, ay, style);
            s.label(
                (x1 + x2) / 2.0,
                ay - 12.0,
                10.0,
                &format!("fill:{INK}"),
                &[label.to_string()],
            );
        } else {
            let margin = self.x0 - 8.0;
            let (xa, xb) = (self.left(a), self.left(b));
            s.path(
                &format!(
                    "M{xa:.1} {ay:.1} L{margin:.1} {ay:.1} L{margin:.1} {by:.1} L{xb:.1} {by:.1}"
                ),
                style,
            );
            // Its label in the free band between the rows, just right of
            // the margin, clear of the lower row's memory.
            let lower = self.box_top(a).max(self.box_top(b));
            let w = text_width(label, 10.0) + 8.0;
            s.label(
                margin + 6.0 + w / 2.0,
                lower - MEMORY_H - 17.0,
                10.0,
                &format!("fill:{INK}"),
                &[label.to_string()],
            );
        }
    }
}

/// Channels as cells with one bar per DIMM; the uneven ones outlined in
/// the colour of the CPU's findings (uneven channels are what
/// `memory-interleave` reports), plainly when there are none.
fn draw_memory(
    s: &mut Svg,
    m: &crate::model::Memory,
    cx: f64,
    bottom: f64,
    mark: Option<crate::diagnostic::Severity>,
) {
    let Some(dimms) = &m.dimms else { return };
    let counts = &dimms.value;
    let usual = {
        let mut sorted = counts.clone();
        sorted.sort_unstable();
        sorted.get(sorted.len() / 2).copied().unwrap_or(0)
    };
    let cell = 16.0;
    let total = counts.len() as f64 * cell;
    let left = cx - total / 2.0;
    s.text(
        cx,
        bottom - 28.0,
        10.0,
        "middle",
        format_args!("fill:{MUTED}"),
        &layout::memory_label(m),
    );
    for (k, &c) in counts.iter().enumerate() {
        let x = left + k as f64 * cell;
        let stroke = match mark {
            Some(sev) if c != usual => format!("stroke:{};stroke-width:1.5", marks::colour(sev)),
            _ => "stroke:#9aa5b1;stroke-width:1".to_string(),
        };
        s.rect(
            x + 1.0,
            bottom - 20.0,
            cell - 2.0,
            20.0,
            2.0,
            format_args!("fill:#ffffff;{stroke}"),
        );
        for b in 0..c.min(3) {
            s.rect(
                x + 3.0 + b as f64 * 4.0,
                bottom - 17.0,
                3.0,
                14.0,
                0.5,
                "fill:#3e4c59",
            );
        }
        if c > 3 {
            s.text(
                x + cell / 2.0,
                bottom - 6.0,
                8.0,
                "middle",
                "fill:#ffffff",
                &c.to_string(),
            );
        }
    }
}
