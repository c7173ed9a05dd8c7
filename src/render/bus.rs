//! The bus view: the inside of a server. CPUs on top with the
//! socket link between them and their memory channels above; the bus tree
//! runs down to chipsets, controllers and devices; each bus is labelled with
//! what it carries and what is behind it, and bottlenecks are red.

use super::marks::{self, Marks};
use super::{dot_string, text_width, Svg, INK, MUTED, RED};
use crate::analyze::bus_bottleneck::{carried, demand, Demand};
use crate::analyze::{owners, Owner};
use crate::diagnostic::Diagnostic;
use crate::model::{DeviceId, Internals, Medium, Part, PartKind, Project, Protection};
use std::fmt::Write;
use std::sync::Arc;

const BOX_H: f64 = 44.0;
const ROW: f64 = 96.0;
const GAP: f64 = 22.0;
const MEMORY_H: f64 = 46.0;

fn detail(part: &Part) -> String {
    match &part.kind {
        PartKind::Cpu(c) => match c.cores {
            Some(n) => format!("cpu · {} cores", n.value),
            None => "cpu".to_string(),
        },
        PartKind::Chipset => "chipset".to_string(),
        PartKind::Bridge => "bridge".to_string(),
        PartKind::Nic { ports } | PartKind::Hba { ports } => {
            let kind = if matches!(part.kind, PartKind::Nic { .. }) {
                "nic"
            } else {
                "hba"
            };
            match ports {
                Some(p) => format!("{kind} · {}", p.value.label()),
                None => kind.to_string(),
            }
        }
        PartKind::Disk(d) => {
            let medium = match d.medium.map(|m| m.value) {
                Some(Medium::Nvme) => "NVMe",
                Some(Medium::Ssd) => "SSD",
                Some(Medium::Hdd) => "HDD",
                None => "disk",
            };
            match d.throughput {
                Some(t) => format!("{medium} · {}", t.value),
                None => medium.to_string(),
            }
        }
        PartKind::Controller(c) => {
            let cache = c.cache.map(|c| {
                let mode = match c.value.1 {
                    crate::model::CacheMode::WriteBack => "write-back",
                    crate::model::CacheMode::WriteThrough => "write-through",
                };
                format!("{} {mode}", c.value.0)
            });
            let protection = c.protection.map(|p| match p.value {
                Protection::Battery => "battery",
                Protection::Flash => "flash",
                Protection::None => "unprotected",
            });
            match (cache, protection) {
                (Some(c), Some(p)) => format!("{c} · {p}"),
                (Some(c), None) => c,
                _ => "controller".to_string(),
            }
        }
        PartKind::Card { throughput } => match throughput {
            Some(t) => format!("card · {}", t.value),
            None => "card".to_string(),
        },
    }
}

/// "pcie3 x8 7.88 GB/s / 25.0 GB/s": what the bus carries, what is behind it.
fn bus_label(part: &Part, d: &Demand, i: usize) -> Option<(String, bool)> {
    let bus = part.bus.as_ref()?;
    let cap = bus.spec.bandwidth;
    let want = d.total[i];
    let over = want.get() > cap.get() * (1.0 + 1e-9);
    Some((format!("{} {cap} / {want}", bus.spec.label), over))
}

/// Positions of the parts of one device: x of each box's left edge, depth.
struct Tree {
    x: Vec<f64>,
    w: Vec<f64>,
    depth: Vec<usize>,
    width: f64,
    depth_max: usize,
}

fn layout(inside: &Internals, d: &Demand) -> Tree {
    let parts = &inside.parts;
    let n = parts.len();
    let mut w: Vec<f64> = parts
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let label = bus_label(p, d, i).map_or(0.0, |(l, _)| text_width(&l, 10.0) + 10.0);
            let memory = match &p.kind {
                PartKind::Cpu(c) => c.memory.as_ref().map_or(0.0, |m| {
                    let channels = m.dimms.as_ref().map_or(0, |d| d.value.len()) as f64;
                    (channels * 16.0).max(text_width(&memory_label(m), 10.0)) + 8.0
                }),
                _ => 0.0,
            };
            (text_width(&p.name, 12.0) * 1.1)
                .max(text_width(&detail(p), 10.0))
                .max(label)
                .max(memory)
                + 20.0
        })
        .collect();
    for v in &mut w {
        *v = v.max(96.0);
    }
    let roots: Vec<usize> = {
        let mut r: Vec<usize> = (0..n).filter(|&i| parts[i].parent.is_none()).collect();
        r.sort_by_key(|&i| (!matches!(parts[i].kind, PartKind::Cpu(_)), i));
        r
    };
    // Post-order without recursion: subtree widths, then positions.
    let mut order = Vec::with_capacity(n);
    let mut stack: Vec<(usize, bool)> = roots.iter().rev().map(|&r| (r, false)).collect();
    let mut depth = vec![0usize; n];
    while let Some((i, done)) = stack.pop() {
        if done {
            order.push(i);
            continue;
        }
        stack.push((i, true));
        for &c in d.children[i].iter().rev() {
            depth[c] = depth[i] + 1;
            stack.push((c, false));
        }
    }
    let mut span = vec![0.0; n];
    for &i in &order {
        let children: f64 = d.children[i].iter().map(|&c| span[c] + GAP).sum::<f64>() - GAP;
        span[i] = w[i].max(children.max(0.0));
    }
    let mut x = vec![0.0; n];
    let mut cursor = 0.0;
    // Top-down: each subtree gets [left, left + span].
    let mut left_of = vec![0.0; n];
    for &r in &roots {
        left_of[r] = cursor;
        cursor += span[r] + GAP * 2.0;
    }
    let mut queue: Vec<usize> = roots.clone();
    while let Some(i) = queue.pop() {
        let left = left_of[i];
        x[i] = left + (span[i] - w[i]) / 2.0;
        let children: f64 = d.children[i].iter().map(|&c| span[c] + GAP).sum::<f64>() - GAP;
        let mut cx = left + (span[i] - children.max(0.0)) / 2.0;
        for &c in &d.children[i] {
            left_of[c] = cx;
            cx += span[c] + GAP;
            queue.push(c);
        }
    }
    let depth_max = depth.iter().copied().max().unwrap_or(0);
    Tree {
        x,
        w,
        depth,
        width: (cursor - GAP * 2.0).max(200.0),
        depth_max,
    }
}

fn memory_label(m: &crate::model::Memory) -> String {
    let channels = m.dimms.as_ref().map_or(0, |d| d.value.len());
    match m.total() {
        Some(total) => format!("{} · {channels} ch · {total}", m.preset.name),
        None => format!("{} · {channels} ch", m.preset.name),
    }
}

/// The devices to draw: one, or every distinct set of parts.
fn panels(p: &Project, only: Option<DeviceId>) -> Vec<(String, &Arc<Internals>)> {
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
fn panel_subjects(p: &Project, only: Option<DeviceId>) -> Vec<&str> {
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
    s.text(
        20.0,
        28.0,
        16.0,
        "start",
        &format!("font-weight:bold;fill:{INK}"),
        "Bus view",
    );
    let mut y = 52.0;
    let mut width: f64 = 600.0;
    let list = panels(p, only);
    if list.is_empty() {
        s.text(
            20.0,
            y + 16.0,
            12.0,
            "start",
            &format!("fill:{MUTED}"),
            "no device declares parts",
        );
        y += 40.0;
    }
    for ((title, inside), owner) in list.into_iter().zip(subjects) {
        let d = demand(inside);
        let tree = layout(inside, &d);
        let x0 = 30.0;
        let part_mark = |i: usize| {
            marks
                .subject(&format!("{owner}.{}", inside.parts[i].name))
                .map(|m| m.severity)
        };
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
        let panel_h = MEMORY_H + tree.depth_max as f64 * ROW + BOX_H + 24.0;
        s.rect(
            16.0,
            y,
            tree.width + 28.0,
            panel_h + 30.0,
            8.0,
            "fill:#fbfcfd;stroke:#9aa5b1;stroke-width:1",
        );
        s.text(
            28.0,
            y + 20.0,
            13.0,
            "start",
            &format!("font-weight:bold;fill:{INK}"),
            &title,
        );
        let top = y + 30.0 + MEMORY_H;
        let part_y = |i: usize| top + tree.depth[i] as f64 * ROW;
        // Bus edges: an elbow from the parent down to the child, labelled;
        // bottlenecks last, so their colour wins where elbows share a trunk.
        let mut edges: Vec<usize> = (0..inside.parts.len())
            .filter(|&i| inside.parts[i].parent.is_some())
            .collect();
        edges.sort_by_key(|&i| (bus_label(&inside.parts[i], &d, i).is_some_and(|l| l.1), i));
        for i in edges {
            let part = &inside.parts[i];
            let Some(parent) = part.parent else { continue };
            let (cx, cy) = (x0 + tree.x[i] + tree.w[i] / 2.0, part_y(i));
            let (px, py) = (
                x0 + tree.x[parent] + tree.w[parent] / 2.0,
                part_y(parent) + BOX_H,
            );
            let mid = py + 18.0;
            let label = bus_label(part, &d, i);
            let over = label.as_ref().is_some_and(|l| l.1);
            let capped = matches!(part.kind, PartKind::Disk(_)) && over && d.children[i].is_empty();
            // The bus to a part takes the colour of the findings about the
            // part (a bottleneck, a capped disk), and only those.
            let mark = part_mark(i);
            let color = mark.map_or("#52606d", marks::colour);
            let width = if mark.is_some() { 2.2 } else { 1.3 };
            let style = format!("fill:none;stroke:{color};stroke-width:{width}");
            s.path(
                &format!("M{px:.1} {py:.1} L{px:.1} {mid:.1} L{cx:.1} {mid:.1} L{cx:.1} {cy:.1}"),
                &style,
            );
            let text = match label {
                Some((l, _)) => l,
                None => "direct".to_string(),
            };
            let shown = if capped {
                format!("{text} (capped to {})", carried(inside, &d, i))
            } else {
                text
            };
            s.label(cx, cy - 20.0, 10.0, &format!("fill:{color}"), &[shown]);
        }
        for (i, part) in inside.parts.iter().enumerate() {
            let (bx, by) = (x0 + tree.x[i], part_y(i));
            let subject = format!("{owner}.{}", part.name);
            let mark = part_mark(i);
            s.raw(&format!(
                "<g{}>{}\n",
                marks.subject_attributes(&subject),
                marks.subject_title(&format!("{} {subject}", part.kind.keyword()), &subject)
            ));
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
            s.rect(
                bx,
                by,
                tree.w[i],
                BOX_H,
                5.0,
                &format!("fill:{fill};{stroke}"),
            );
            if let Some(sev) = mark {
                let tw = text_width(&part.name, 12.0) * 1.1;
                s.raw(&marks::marker(
                    sev,
                    bx + tree.w[i] / 2.0 - tw / 2.0 - 9.0,
                    by + 14.0,
                    11.0,
                ));
            }
            s.text(
                bx + tree.w[i] / 2.0,
                by + 18.0,
                12.0,
                "middle",
                &format!("font-weight:bold;fill:{INK}"),
                &part.name,
            );
            s.text(
                bx + tree.w[i] / 2.0,
                by + 34.0,
                10.0,
                "middle",
                &format!("fill:{MUTED}"),
                &detail(part),
            );
            if let PartKind::Cpu(cpu) = &part.kind {
                if let Some(m) = &cpu.memory {
                    draw_memory(&mut s, m, bx + tree.w[i] / 2.0, by - 6.0, mark);
                }
                if let Some(link) = &cpu.socket_link {
                    let (ox, ow) = (x0 + tree.x[link.to], tree.w[link.to]);
                    let (ax, bx2) = if ox > bx {
                        (bx + tree.w[i], ox)
                    } else {
                        (ox + ow, bx)
                    };
                    let ly = by + BOX_H / 2.0;
                    s.line(ax, ly, bx2, ly, "stroke:#1f2933;stroke-width:3");
                    s.label(
                        (ax + bx2) / 2.0,
                        ly - 12.0,
                        10.0,
                        &format!("fill:{INK}"),
                        &[format!("{} {}", link.spec.label, link.spec.bandwidth)],
                    );
                }
            }
            s.raw("</g>\n");
        }
        s.raw("</g>\n");
        width = width.max(tree.width + 60.0);
        y += panel_h + 50.0;
    }
    s.text(20.0, y + 4.0, 11.0, "start", &format!("fill:{MUTED}"), "bus labels: what the bus carries / what is behind it; a bus to a marked part takes the part's colour");
    let (legend, legend_w) = marks::legend(20.0, y + 26.0);
    s.raw(&legend);
    s.finish(
        width.max(760.0).max(legend_w + 40.0),
        y + 42.0,
        "topo bus view",
    )
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
        &format!("fill:{MUTED}"),
        &memory_label(m),
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
            &format!("fill:#ffffff;{stroke}"),
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

pub fn dot(p: &Project, _diagnostics: &[Diagnostic], only: Option<DeviceId>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "digraph bus {{");
    let _ = writeln!(
        out,
        "  graph [rankdir=TB, nodesep=0.3, ranksep=0.6, fontname={}];",
        dot_string(super::FONT)
    );
    let _ = writeln!(out, "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", fontname={}, fontsize=10];", dot_string(super::FONT));
    let _ = writeln!(
        out,
        "  edge [fontname={}, fontsize=9, dir=back];",
        dot_string(super::FONT)
    );
    let panels = panels(p, only);
    if panels.is_empty() {
        let _ = writeln!(
            out,
            "  empty [shape=note, label=\"no device with parts: nothing to draw\"];"
        );
    }
    for (k, (title, inside)) in panels.into_iter().enumerate() {
        let d = demand(inside);
        let _ = writeln!(out, "  subgraph {} {{", dot_string(&format!("cluster_{k}")));
        let _ = writeln!(out, "    label={};", dot_string(&title));
        let id = |i: usize| dot_string(&format!("{k}:{}", inside.parts[i].name));
        for (i, part) in inside.parts.iter().enumerate() {
            let mut label = format!("{}\n{}", part.name, detail(part));
            if let PartKind::Cpu(cpu) = &part.kind {
                if let Some(m) = &cpu.memory {
                    let dimms = m.dimms.as_ref().map(|d| {
                        d.value
                            .iter()
                            .map(u32::to_string)
                            .collect::<Vec<_>>()
                            .join(" ")
                    });
                    let _ = write!(label, "\n{}", memory_label(m));
                    if let Some(dimms) = dimms {
                        let _ = write!(label, "\nDIMMs {dimms}");
                    }
                }
            }
            let _ = writeln!(out, "    {} [label={}];", id(i), dot_string(&label));
        }
        // The CPUs share a rank, and so do the parts on one parent, each
        // chained left to right in declaration order (Graphviz would
        // otherwise place them as it likes, often reversed).
        let cpus: Vec<usize> = (0..inside.parts.len())
            .filter(|&i| matches!(inside.parts[i].kind, PartKind::Cpu(_)))
            .collect();
        let mut siblings: Vec<Vec<usize>> = vec![cpus];
        for parent in 0..inside.parts.len() {
            siblings.push(
                (0..inside.parts.len())
                    .filter(|&i| inside.parts[i].parent == Some(parent))
                    .collect(),
            );
        }
        for group in siblings.iter().filter(|g| g.len() > 1) {
            let ids: Vec<String> = group.iter().map(|&i| id(i)).collect();
            let _ = writeln!(out, "    {{ rank=same; {}; }}", ids.join("; "));
            let _ = writeln!(out, "    {} [style=invis, dir=none];", ids.join(" -> "));
        }
        for (i, part) in inside.parts.iter().enumerate() {
            if let PartKind::Cpu(cpu) = &part.kind {
                if let Some(link) = &cpu.socket_link {
                    let _ = writeln!(
                        out,
                        "    {} -> {} [dir=none, penwidth=3, constraint=false, label={}];",
                        id(i),
                        id(link.to),
                        dot_string(&format!("{} {}", link.spec.label, link.spec.bandwidth))
                    );
                }
            }
            let Some(parent) = part.parent else { continue };
            let (label, over) = bus_label(part, &d, i).unwrap_or(("direct".to_string(), false));
            let color = if over { RED } else { "#52606d" };
            let _ = writeln!(
                out,
                "    {} -> {} [label={}, color=\"{color}\", fontcolor=\"{color}\"];",
                id(parent),
                id(i),
                dot_string(&label.replacen(' ', "\n", 1))
            );
        }
        let _ = writeln!(out, "  }}");
    }
    let _ = writeln!(out, "}}");
    out
}
