//! The system view as Graphviz DOT: sites as clusters, partitions nested.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::at_risk;
use super::edges::edges;
use super::layout::{layout, site_label, Node};
use crate::diagnostic::Diagnostic;
use crate::model::{Element, Project};
use crate::render::{dot_string, LINE, RED};

fn dot_id(p: &Project, e: Element) -> String {
    dot_string(&format!("{}:{}", p.kind_of(e), p.name_of(e)))
}

pub fn dot(p: &Project, diagnostics: &[Diagnostic]) -> String {
    let risk = at_risk(p, diagnostics);
    let l = layout(p, &risk);
    let e = edges(p);
    let mut out = String::new();
    let _ = writeln!(out, "digraph system {{");
    let _ = writeln!(
        out,
        "  graph [rankdir=TB, newrank=true, nodesep=0.35, ranksep=0.7, fontname={}, fontsize=12];",
        dot_string(crate::render::FONT)
    );
    let _ = writeln!(out, "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", color=\"#52606d\", fontname={}, fontsize=11];", dot_string(crate::render::FONT));
    let _ = writeln!(
        out,
        "  edge [fontname={}, fontsize=9, color=\"#3e4c59\"];",
        dot_string(crate::render::FONT)
    );
    let node_line = |n: &Node| -> String {
        let mut attrs = format!(
            "label={}, fillcolor=\"{}\"",
            dot_string(&format!("{}\n{}", n.title, n.detail)),
            n.fill
        );
        if n.red {
            attrs.push_str(&format!(", color=\"{RED}\", penwidth=2.5"));
        }
        format!("{} [{attrs}];", dot_id(p, n.element))
    };
    // An empty view says so, rather than drawing a blank image.
    if l.nodes.is_empty() {
        let _ = writeln!(
            out,
            "  empty [shape=note, style=filled, label=\"no services, clients or CDNs: nothing to draw\"];"
        );
    }
    // Outside nodes share the top rank.
    let outside: Vec<&Node> = l.nodes.iter().filter(|n| n.y < 100.0).collect();
    if !outside.is_empty() {
        let _ = writeln!(out, "  subgraph outside {{");
        let _ = writeln!(out, "    rank=min;");
        for n in &outside {
            let _ = writeln!(out, "    {}", node_line(n));
        }
        let _ = writeln!(out, "  }}");
    }
    // Sites as clusters, partitions nested.
    let site_of = |n: &Node| -> Option<usize> {
        let Element::Service(s) = n.element else {
            return None;
        };
        p.services[s.index()]
            .hosts
            .iter()
            .filter_map(|h| p.host_device(h.value))
            .find_map(|d| p.devices[d.index()].site)
            .map(|s| s.index())
    };
    let partition_of = |n: &Node| -> Option<usize> {
        let Element::Service(s) = n.element else {
            return None;
        };
        super::layout::partition_of(p, s)
    };
    let inner: Vec<&Node> = l.nodes.iter().filter(|n| n.y >= 100.0).collect();
    let mut by_site: BTreeMap<Option<usize>, BTreeMap<Option<usize>, Vec<&Node>>> = BTreeMap::new();
    for n in &inner {
        by_site
            .entry(site_of(n))
            .or_default()
            .entry(partition_of(n))
            .or_default()
            .push(n);
    }
    for (site, groups) in &by_site {
        let indent = if site.is_some() { "    " } else { "  " };
        if let Some(si) = site {
            let label = site_label(p, *si);
            let _ = writeln!(
                out,
                "  subgraph {} {{",
                dot_string(&format!("cluster_site_{}", p.sites[*si].name))
            );
            let _ = writeln!(
                out,
                "    label={}; style=\"rounded\"; color=\"#7b8794\";",
                dot_string(&label)
            );
        }
        for (partition, nodes) in groups {
            if let Some(pi) = partition {
                let _ = writeln!(
                    out,
                    "{indent}subgraph {} {{",
                    dot_string(&format!("cluster_partition_{}", p.partitions[*pi].name))
                );
                let _ = writeln!(out, "{indent}  label={}; style=\"rounded,filled,dashed\"; fillcolor=\"#e3f1ec\"; color=\"#7fbfa5\";", dot_string(&format!("partition {}", p.partitions[*pi].name)));
            }
            for n in nodes {
                let _ = writeln!(out, "{indent}  {}", node_line(n));
            }
            if partition.is_some() {
                let _ = writeln!(out, "{indent}}}");
            }
        }
        if site.is_some() {
            let _ = writeln!(out, "  }}");
        }
    }
    // Tiers share ranks.
    for (i, _) in p.tiers.iter().enumerate() {
        let members: Vec<String> = inner
            .iter()
            .filter(|n| matches!(n.element, Element::Service(s) if p.services[s.index()].tier.map(|t| t.value.index()) == Some(i)))
            .map(|n| dot_id(p, n.element))
            .collect();
        if !members.is_empty() {
            let _ = writeln!(out, "  {{ rank=same; {}; }}", members.join("; "));
        }
    }
    for ((a, b), labels) in &e.flows {
        let _ = writeln!(
            out,
            "  {} -> {} [label={}, penwidth=1.4];",
            dot_id(p, *a),
            dot_id(p, *b),
            dot_string(&labels.join("\n"))
        );
    }
    for (a, b) in &e.calls {
        let _ = writeln!(
            out,
            "  {} -> {} [color=\"{LINE}\"];",
            dot_id(p, *a),
            dot_id(p, *b)
        );
    }
    for (a, b, label) in &e.replications {
        let _ = writeln!(
            out,
            "  {} -> {} [style=dashed, color=\"#7b5ea7\", label={}, constraint=false];",
            dot_id(p, *a),
            dot_id(p, *b),
            dot_string(label)
        );
    }
    let _ = writeln!(out, "}}");
    out
}
