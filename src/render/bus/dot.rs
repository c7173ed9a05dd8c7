//! The bus view as Graphviz DOT: one cluster per device (or model), the
//! same boxes as the SVG (identical siblings share one), buses as edges
//! labelled with what they carry, coloured by the findings about the part.

use super::layout::{items, memory_label, Item};
use super::{panel_subjects, panels};
use crate::analyze::bus_bottleneck::demand;
use crate::diagnostic::Diagnostic;
use crate::model::{DeviceId, PartKind, Project};
use crate::render::marks::{self, Marks};
use crate::render::{dot_string, FONT};
use std::fmt::Write;

pub fn dot(p: &Project, diagnostics: &[Diagnostic], only: Option<DeviceId>) -> String {
    let marks = Marks::new(p, diagnostics);
    let mut out = String::new();
    let _ = writeln!(out, "digraph bus {{");
    let font = dot_string(FONT);
    let _ = writeln!(
        out,
        "  graph [rankdir=TB, nodesep=0.3, ranksep=0.6, fontname={font}];"
    );
    let _ = writeln!(out, "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", fontname={font}, fontsize=10];");
    let _ = writeln!(out, "  edge [fontname={font}, fontsize=9, dir=back];");
    let list = panels(p, only);
    if list.is_empty() {
        let _ = writeln!(
            out,
            "  empty [shape=note, label=\"no device with parts: nothing to draw\"];"
        );
    }
    for (k, ((title, inside), owner)) in list.into_iter().zip(panel_subjects(p, only)).enumerate() {
        let d = demand(inside);
        let boxes = items(inside, &d, &marks, owner);
        let _ = writeln!(out, "  subgraph {} {{", dot_string(&format!("cluster_{k}")));
        let _ = writeln!(out, "    label={};", dot_string(&title));
        let id = |i: usize| dot_string(&format!("{k}:{}", boxes[i].name));
        let mark = |it: &Item| marks.subject(&format!("{owner}.{}", inside.parts[it.first()].name));
        for (i, item) in boxes.iter().enumerate() {
            let part = &inside.parts[item.first()];
            let mut label = format!("{}\n{}", item.name, item.detail);
            if let PartKind::Cpu(cpu) = &part.kind {
                if let Some(m) = &cpu.memory {
                    let _ = write!(label, "\n{}", memory_label(m));
                    if let Some(dimms) = &m.dimms {
                        let counts: Vec<String> = dimms.value.iter().map(u32::to_string).collect();
                        let _ = write!(label, "\nDIMMs {}", counts.join(" "));
                    }
                }
            }
            let mut attrs = format!("label={}", dot_string(&label));
            if item.is_group() {
                attrs.push_str(", peripheries=2");
            }
            if let Some(m) = mark(item) {
                let _ = write!(
                    attrs,
                    ", color=\"{}\", penwidth=2.2, tooltip={}",
                    marks::colour(m.severity),
                    dot_string(&m.lines.join("\n"))
                );
            }
            let _ = writeln!(out, "    {} [{attrs}];", id(i));
        }
        // The CPUs share a rank, and so do the boxes on one parent, each
        // chained left to right in declaration order (Graphviz would
        // otherwise place them as it likes, often reversed).
        let roots: Vec<usize> = (0..boxes.len())
            .filter(|&i| boxes[i].parent.is_none())
            .collect();
        let groups = std::iter::once(&roots).chain(boxes.iter().map(|b| &b.children));
        for group in groups.filter(|g| g.len() > 1) {
            let ids: Vec<String> = group.iter().map(|&i| id(i)).collect();
            let _ = writeln!(out, "    {{ rank=same; {}; }}", ids.join("; "));
            let _ = writeln!(out, "    {} [style=invis, dir=none];", ids.join(" -> "));
        }
        for (i, item) in boxes.iter().enumerate() {
            if let PartKind::Cpu(cpu) = &inside.parts[item.first()].kind {
                if let Some(link) = &cpu.socket_link {
                    if let Some(other) = boxes.iter().position(|b| b.parts.contains(&link.to)) {
                        let _ = writeln!(
                            out,
                            "    {} -> {} [dir=none, penwidth=3, constraint=false, label={}];",
                            id(i),
                            id(other),
                            dot_string(&format!("{} {}", link.spec.label, link.spec.bandwidth))
                        );
                    }
                }
            }
            let Some(parent) = item.parent else { continue };
            let label = item
                .bus
                .as_ref()
                .map_or("direct".to_string(), |(l, _)| l.clone());
            let color = mark(item).map_or("#52606d", |m| marks::colour(m.severity));
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
