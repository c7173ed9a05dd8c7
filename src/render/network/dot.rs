//! The network view as DOT: a cluster per site (when there are several),
//! a `rank=same` group per tier, boxes and edges in source order, drawn
//! bottom to top so that Graphviz puts the endpoints at the bottom.

use std::fmt::Write;

use super::graph::{build, What};
use super::EMPTY_NOTE;
use crate::diagnostic::Diagnostic;
use crate::model::{LinkMedium, Project};
use crate::render::dot_string;
use crate::render::marks::{colour, dot_legend, Marks};

/// The network view of a project as DOT.
pub fn dot(p: &Project, diagnostics: &[Diagnostic]) -> String {
    let marks = Marks::new(p, diagnostics);
    let g = build(p, &marks);
    let font = crate::render::dot_string(crate::render::FONT);
    let mut out = format!(
        "digraph network {{\n  rankdir=BT;\n  newrank=true;\n  node [shape=box, style=\"rounded,filled\", fillcolor=\"#f5f7fa\", fontname={font}];\n  edge [dir=none, fontname={font}, fontsize=10];\n",
    );
    if g.nodes.is_empty() {
        let _ = writeln!(
            out,
            "  note [shape=note, label={}];",
            dot_string(EMPTY_NOTE)
        );
        out.push_str("}\n");
        return out;
    }
    let id = |i: usize| format!("n{i}");
    let framed = g.sites.len() > 1;
    for (s, site) in g.sites.iter().enumerate() {
        let indent = if framed {
            let _ = writeln!(
                out,
                "  subgraph cluster_{s} {{\n    label={};\n    style=dashed;",
                dot_string(site)
            );
            "    "
        } else {
            "  "
        };
        for (i, n) in g.nodes.iter().enumerate().filter(|(_, n)| n.site == s) {
            let mut attrs = format!(
                "label={}, tooltip={}",
                dot_string(&format!("{}\n{}", n.title, n.sub)),
                dot_string(&n.tooltip)
            );
            if !matches!(n.what, What::Device(_)) {
                attrs.push_str(", peripheries=2");
            }
            if let Some(sev) = n.severity {
                let _ = write!(attrs, ", color=\"{}\", penwidth=2.4", colour(sev));
            }
            let _ = writeln!(out, "{indent}{} [{attrs}];", id(i));
        }
        if framed {
            out.push_str("  }\n");
        }
    }
    for t in 0..g.tiers {
        let ids: Vec<String> = (0..g.nodes.len())
            .filter(|&i| g.nodes[i].tier == t)
            .map(id)
            .collect();
        if !ids.is_empty() {
            let _ = writeln!(out, "  {{ rank=same; {}; }}", ids.join("; "));
        }
    }
    for e in &g.edges {
        let style = match e.medium {
            LinkMedium::Ethernet => "color=\"#3e4c59\"",
            LinkMedium::FibreChannel => "color=\"#cc79a7\", style=dashed",
        };
        let _ = writeln!(
            out,
            "  {} -> {} [label={}, {style}];",
            id(e.lower),
            id(e.upper),
            dot_string(&e.label())
        );
    }
    if g.nodes.iter().any(|n| n.severity.is_some()) {
        out.push_str(&dot_legend());
    }
    out.push_str("}\n");
    out
}
