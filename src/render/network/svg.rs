//! The network view as SVG.

use std::fmt::Write;

use super::graph::{build, Graph, Node, What};
use super::layout::{layout, Layout, BOX_H, LABEL, MARGIN, SUB, TITLE};
use super::EMPTY_NOTE;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{LinkMedium, Project};
use crate::render::marks::{colour, marker, shape_name, Marks};
use crate::render::{escape, n, text_width, Svg, INK, LINE, MUTED};

/// Ethernet: solid slate.
pub const ETHERNET: &str = "#3e4c59";
/// Fibre Channel: dashed purple (Okabe–Ito reddish purple).
pub const FIBRE_CHANNEL: &str = "#cc79a7";

fn edge_style(m: LinkMedium) -> String {
    match m {
        LinkMedium::Ethernet => format!("fill:none;stroke:{ETHERNET};stroke-width:1.4"),
        LinkMedium::FibreChannel => {
            format!("fill:none;stroke:{FIBRE_CHANNEL};stroke-width:1.8;stroke-dasharray:7 4")
        }
    }
}

fn fill(p: &Project, node: &Node) -> &'static str {
    use crate::model::DeviceKind as K;
    let kind = p.devices[node.members[0].index()].kind;
    match (&node.what, kind) {
        (What::Device(_), K::Router | K::Firewall | K::Lb) => "#fdf0e1",
        (_, K::Switch) => "#e4effa",
        (_, K::Storage) => "#f3e8f5",
        _ => "#f5f7fa",
    }
}

/// The `data-*` attributes of a box.
fn attributes(p: &Project, node: &Node) -> String {
    let mut out = format!(" data-element=\"{}\"", escape(&node.element));
    match &node.what {
        What::Device(_) => {}
        What::Rack(_) => out.push_str(" data-kind=\"rack\""),
        What::Run(racks) => {
            let names: Vec<&str> = if racks.is_empty() {
                node.members
                    .iter()
                    .map(|d| p.devices[d.index()].name.as_str())
                    .collect()
            } else {
                racks
                    .iter()
                    .map(|r| p.racks[r.index()].name.as_str())
                    .collect()
            };
            let _ = write!(out, " data-members=\"{}\"", escape(&names.join(" ")));
        }
    }
    if let Some(s) = node.severity {
        let _ = write!(
            out,
            " data-severity=\"{s}\" data-rules=\"{}\"",
            escape(&node.rules.join(" "))
        );
    }
    out
}

fn legend(svg: &mut Svg, g: &Graph, unlabelled: Option<&str>, y: f64) -> f64 {
    let mut x = MARGIN;
    let item = |svg: &mut Svg, x: &mut f64, text: &str| {
        svg.text(*x, y + 4.0, 11.0, "start", format_args!("fill:{INK}"), text);
        *x += text_width(text, 11.0) + 22.0;
    };
    svg.line(x, y, x + 30.0, y, edge_style(LinkMedium::Ethernet));
    x += 36.0;
    item(svg, &mut x, "Ethernet");
    svg.line(x, y, x + 30.0, y, edge_style(LinkMedium::FibreChannel));
    x += 36.0;
    item(svg, &mut x, "Fibre Channel");
    for s in [Severity::Error, Severity::Warning, Severity::Info] {
        svg.raw(&marker(s, x + 6.0, y, 12.0));
        x += 16.0;
        item(svg, &mut x, &format!("{s} ({})", shape_name(s)));
    }
    let mut text = "labels: cables × speed".to_string();
    if let Some(plain) = unlabelled {
        text.push_str(&format!(" (unlabelled: {plain})"));
    }
    if g.nodes.iter().any(|n| !matches!(n.what, What::Device(_))) {
        text.push_str(&format!(
            "; a box per rack of more than {} servers",
            super::GROUP_ABOVE
        ));
    }
    item(svg, &mut x, &text);
    x
}

fn tier_name(t: usize) -> String {
    if t == 0 {
        "endpoints".to_string()
    } else {
        format!("tier {t}")
    }
}

/// A drawing with the view's title at its top left.
fn titled(title: &str) -> Svg {
    let mut svg = Svg::new();
    svg.text(
        MARGIN,
        28.0,
        17.0,
        "start",
        format_args!("fill:{INK};font-weight:bold"),
        title,
    );
    svg
}

/// Draws a laid-out graph.
fn draw(p: &Project, g: &Graph, l: &Layout, title: &str) -> String {
    let mut svg = titled(title);
    let legend_y = l.height - 26.0;
    for (s, b) in l.blocks.iter().enumerate() {
        svg.raw(&format!(
            "<g class=\"site\" data-element=\"{}\">\n",
            escape(&g.sites[s])
        ));
        svg.rect(
            b.x,
            b.y,
            b.w,
            b.h,
            8.0,
            format_args!("fill:#fbfcfd;stroke:{LINE};stroke-dasharray:4 3"),
        );
        svg.text(
            b.x + 10.0,
            b.y + 18.0,
            TITLE,
            "start",
            format_args!("fill:{MUTED};font-weight:bold"),
            &g.sites[s],
        );
        svg.raw("</g>\n");
    }
    for (t, y) in l.rows.iter().enumerate() {
        svg.text(
            MARGIN,
            y + BOX_H / 2.0 + 4.0,
            11.0,
            "start",
            format_args!("fill:{MUTED}"),
            &tier_name(t),
        );
    }
    // Edges under boxes, labels above everything.
    for (k, e) in g.edges.iter().enumerate() {
        let s = &l.edges[k];
        let label = e.label();
        svg.raw(&format!(
            "<g class=\"link link-{}\" data-from=\"{}\" data-to=\"{}\" data-label=\"{}\">\n<title>{} — {}: {}</title>\n",
            match e.medium {
                LinkMedium::Ethernet => "ethernet",
                LinkMedium::FibreChannel => "fc",
            },
            escape(&g.nodes[e.lower].element),
            escape(&g.nodes[e.upper].element),
            escape(&label),
            escape(&g.nodes[e.lower].title),
            escape(&g.nodes[e.upper].title),
            escape(&label)
        ));
        let style = edge_style(e.medium);
        if s.arc {
            let top = s.from.1.min(s.to.1) - 50.0;
            svg.path(
                &format!(
                    "M{} {} C{} {} {} {} {} {}",
                    n(s.from.0),
                    n(s.from.1),
                    n(s.from.0),
                    n(top),
                    n(s.to.0),
                    n(top),
                    n(s.to.0),
                    n(s.to.1)
                ),
                &style,
            );
        } else {
            svg.curve(s.from.0, s.from.1, s.to.0, s.to.1, &style);
        }
        svg.raw("</g>\n");
    }
    for (i, node) in g.nodes.iter().enumerate() {
        let b = l.boxes[i];
        svg.raw(&format!("<g class=\"box\"{}>\n", attributes(p, node)));
        svg.raw(&format!("<title>{}</title>\n", escape(&node.tooltip)));
        let (stroke, width) = match node.severity {
            Some(s) => (colour(s), 2.4),
            None => (MUTED, 1.0),
        };
        let radius = if matches!(node.what, What::Device(_)) {
            4.0
        } else {
            9.0
        };
        svg.rect(
            b.x,
            b.y,
            b.w,
            b.h,
            radius,
            format_args!(
                "fill:{};stroke:{stroke};stroke-width:{width}",
                fill(p, node)
            ),
        );
        if !matches!(node.what, What::Device(_)) {
            // A second outline behind: a box that stands for many.
            svg.rect(
                b.x + 3.0,
                b.y + 3.0,
                b.w - 6.0,
                b.h - 6.0,
                7.0,
                format_args!("fill:none;stroke:{LINE};stroke-width:0.8"),
            );
        }
        svg.text(
            b.x + b.w / 2.0,
            b.y + 17.0,
            TITLE,
            "middle",
            format_args!("fill:{INK};font-weight:bold"),
            &node.title,
        );
        svg.text(
            b.x + b.w / 2.0,
            b.y + 32.0,
            SUB,
            "middle",
            format_args!("fill:{MUTED}"),
            &node.sub,
        );
        if let Some(s) = node.severity {
            svg.raw(&marker(s, b.x + b.w - 13.0, b.y + 13.0, 12.0));
            svg.raw("\n");
        }
        svg.raw("</g>\n");
    }
    for (k, e) in g.edges.iter().enumerate() {
        let Some(r) = l.edges[k].label else { continue };
        let colour = match e.medium {
            LinkMedium::Ethernet => ETHERNET,
            LinkMedium::FibreChannel => "#a0507f",
        };
        svg.rect(
            r.x,
            r.y,
            r.w,
            r.h,
            3.0,
            "fill:#ffffff;fill-opacity:0.94;stroke:none",
        );
        svg.text(
            r.x + r.w / 2.0,
            r.y + r.h - 4.0,
            LABEL,
            "middle",
            format_args!("fill:{colour}"),
            &e.label(),
        );
    }
    let legend_end = legend(&mut svg, g, l.unlabelled.as_deref(), legend_y);
    svg.finish(l.width.max(legend_end), l.height, title)
}

/// The network view of a project as SVG.
pub fn svg(p: &Project, diagnostics: &[Diagnostic]) -> String {
    let marks = Marks::new(p, diagnostics);
    let g = build(p, &marks);
    let title = "Network: devices, links and speeds";
    if g.nodes.is_empty() {
        let mut svg = titled(title);
        let w = text_width(EMPTY_NOTE, 13.0) + 2.0 * MARGIN + 24.0;
        svg.raw("<g class=\"note\">\n");
        svg.rect(
            MARGIN,
            48.0,
            w - 2.0 * MARGIN,
            40.0,
            6.0,
            format_args!("fill:#fffbea;stroke:{LINE}"),
        );
        svg.text(
            MARGIN + 12.0,
            73.0,
            13.0,
            "start",
            format_args!("fill:{INK}"),
            EMPTY_NOTE,
        );
        svg.raw("</g>\n");
        return svg.finish(w, 108.0, title);
    }
    let l = layout(&g);
    draw(p, &g, &l, title)
}
