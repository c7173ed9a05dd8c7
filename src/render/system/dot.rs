//! The system view as Graphviz DOT: sites as clusters, partitions nested.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::edges::edges;
use super::layout::{layout, site_label, Node};
use super::svg::flow_of;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Element, PartitionId, Project, SiteId};
use crate::render::marks::{self, Marks};
use crate::render::{dot_string, LINE};

fn dot_id(p: &Project, e: Element) -> String {
    dot_string(&format!("{}:{}", p.kind_of(e), p.name_of(e)))
}

pub fn dot(p: &Project, diagnostics: &[Diagnostic]) -> String {
    let marks = Marks::new(p, diagnostics);
    let l = layout(p);
    // Whether any drawn element is marked, for the legend.
    let mut any = false;
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
    // Each node, site and partition as its own findings say: the worst
    // one's colour and its findings as a tooltip; plain without any.
    let node_line = |n: &Node| -> String {
        format!(
            "{} [label={}, fillcolor=\"{}\"{}];",
            dot_id(p, n.element),
            dot_string(&format!("{}\n{}", n.title, n.detail)),
            n.fill,
            marks.dot_attributes(p, n.element, 2.5, ", ")
        )
    };
    any |= l.nodes.iter().any(|n| marks.get(n.element).is_some());
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
            let e = Element::Site(SiteId(*si as u32));
            any |= marks.get(e).is_some();
            let _ = writeln!(
                out,
                "    label={}; style=\"rounded\"{};",
                dot_string(&label),
                cluster(p, &marks, e, "#7b8794", 2.5)
            );
        }
        for (partition, nodes) in groups {
            if let Some(pi) = partition {
                let _ = writeln!(
                    out,
                    "{indent}subgraph {} {{",
                    dot_string(&format!("cluster_partition_{}", p.partitions[*pi].name))
                );
                let e = Element::Partition(PartitionId(*pi as u32));
                any |= marks.get(e).is_some();
                let _ = writeln!(
                    out,
                    "{indent}  label={}; style=\"rounded,filled,dashed\"; fillcolor=\"#e3f1ec\"{};",
                    dot_string(&format!("partition {}", p.partitions[*pi].name)),
                    cluster(p, &marks, e, "#7fbfa5", 2.0)
                );
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
    // A flow edge carries the flows between two boxes: coloured as the
    // worst of their findings, its tooltip each marked flow's findings.
    for ((a, b), labels) in &e.flows {
        let mut flows: Vec<Element> = labels.iter().filter_map(|l| flow_of(p, l)).collect();
        flows.dedup();
        let mut worst: Option<Severity> = None;
        let mut tip: Vec<String> = Vec::new();
        for f in flows {
            let Some(m) = marks.get(f) else { continue };
            if worst.is_none_or(|w| marks::rank(m.severity) < marks::rank(w)) {
                worst = Some(m.severity);
            }
            tip.push(format!("flow {}", p.name_of(f)));
            tip.extend(m.lines.iter().cloned());
        }
        let style = match worst {
            Some(sev) => {
                any = true;
                format!(
                    "penwidth=2.2, color=\"{}\", tooltip={}",
                    marks::colour(sev),
                    dot_string(&tip.join("\n"))
                )
            }
            None => "penwidth=1.4".to_string(),
        };
        let _ = writeln!(
            out,
            "  {} -> {} [label={}, {style}];",
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
    if any {
        out.push_str(&marks::dot_legend());
    }
    let _ = writeln!(out, "}}");
    out
}

/// A cluster's outline: `plain` without findings, else as they say.
fn cluster(p: &Project, marks: &Marks, e: Element, plain: &str, penwidth: f64) -> String {
    match marks.get(e) {
        Some(_) => marks.dot_attributes(p, e, penwidth, "; "),
        None => format!("; color=\"{plain}\""),
    }
}
