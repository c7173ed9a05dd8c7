//! The system view as SVG, with labels kept from overlapping.

use std::collections::BTreeSet;

use super::edges::{edges, route};
use super::layout::{layout, site_label, Node, BOX_H, DETAIL, ROW_GAP, TITLE};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Element, FlowId, PartitionId, Project, SiteId};
use crate::render::marks::{self, Marks};
use crate::render::{text_width, Svg, INK, LINE, MUTED};

/// Label boxes already placed, to keep labels from overlapping.
/// and frames (sites, partitions) that a label must not straddle.
struct Placed(Vec<(f64, f64, f64, f64)>, Vec<(f64, f64, f64, f64)>);

impl Placed {
    fn free(&self, x: f64, y: f64, w: f64, h: f64) -> bool {
        let (x0, y0, x1, y1) = (x - w / 2.0, y - h / 2.0, x + w / 2.0, y + h / 2.0);
        let meets = |&(ax, ay, aw, ah): &(f64, f64, f64, f64)| {
            x0 < ax + aw && ax < x1 && y0 < ay + ah && ay < y1
        };
        let within = |&(ax, ay, aw, ah): &(f64, f64, f64, f64)| {
            x0 >= ax && x1 <= ax + aw && y0 >= ay && y1 <= ay + ah
        };
        !self.0.iter().any(meets) && !self.1.iter().any(|f| meets(f) && !within(f))
    }

    /// The free spot nearest to its edge: first along the edge itself
    /// (`along`, from its middle outwards), so that a label stays on the
    /// edge it names, then in rings around the middle; the label's centre.
    fn place(&mut self, along: &[(f64, f64)], w: f64, h: f64) -> (f64, f64) {
        let (x, y) = along[along.len() / 2];
        if let Some(&spot) = middle_out(along)
            .into_iter()
            .find(|&&(cx, cy)| self.free(cx, cy, w, h))
        {
            self.0.push((spot.0 - w / 2.0, spot.1 - h / 2.0, w, h));
            return spot;
        }
        let step = h + 2.0;
        let mut spot = (x, y);
        'search: for ring in 1..8 {
            let r = ring as f64;
            for (dx, dy) in [
                (0.0, r),
                (0.0, -r),
                (r, 0.0),
                (-r, 0.0),
                (r, r),
                (-r, r),
                (r, -r),
                (-r, -r),
            ] {
                let (cx, cy) = (x + dx * w * 0.6, y + dy * step);
                if self.free(cx, cy, w, h) {
                    spot = (cx, cy);
                    break 'search;
                }
            }
        }
        self.0.push((spot.0 - w / 2.0, spot.1 - h / 2.0, w, h));
        spot
    }
}

/// The points of a sampled edge, its middle first and then alternately
/// either side, skipping its ends (which are at the boxes).
fn middle_out(points: &[(f64, f64)]) -> Vec<&(f64, f64)> {
    let mid = points.len() / 2;
    let mut out = vec![&points[mid]];
    for d in 1..mid {
        out.extend(points.get(mid + d).filter(|_| mid + d + 1 < points.len()));
        out.push(&points[mid - d]);
    }
    out
}

/// The flow a flow label ("checkout · dynamic · 800 rps") names.
pub(super) fn flow_of(p: &Project, label: &str) -> Option<Element> {
    p.flows
        .iter()
        .position(|f| {
            label == f.name
                || label
                    .strip_prefix(f.name.as_str())
                    .is_some_and(|rest| rest.starts_with(" · "))
        })
        .map(|i| Element::Flow(FlowId(i as u32)))
}

/// The site a site column's label names ("site tokyo (primary)").
fn site_of(p: &Project, label: &str) -> Option<Element> {
    (0..p.sites.len())
        .find(|&i| site_label(p, i) == label)
        .map(|i| Element::Site(SiteId(i as u32)))
}

/// The partition a partition group's label names ("partition eu").
fn partition_of(p: &Project, label: &str) -> Option<Element> {
    let name = label.strip_prefix("partition ")?;
    p.partitions
        .iter()
        .position(|pt| pt.name == name)
        .map(|i| Element::Partition(PartitionId(i as u32)))
}

/// Opens the group of a drawn element: its data attributes and tooltip.
fn open(s: &mut Svg, p: &Project, marks: &Marks, e: Option<Element>) {
    match e {
        Some(e) => s.raw(&format!(
            "<g{}>{}\n",
            marks.attributes(p, e),
            marks.title(p, e)
        )),
        None => s.raw("<g>\n"),
    }
}

pub fn svg(p: &Project, diagnostics: &[Diagnostic]) -> String {
    let marks = Marks::new(p, diagnostics);
    let l = layout(p);
    let mut drawn: BTreeSet<Element> = BTreeSet::new();
    let e = edges(p);
    let mut s = Svg::new();
    s.raw(&format!(
        r#"<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" style="fill:{LINE}"/></marker><marker id="arrow-ink" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" style="fill:#3e4c59"/></marker></defs>
"#
    ));
    s.view_title("System view");
    for (label, y) in &l.rows {
        s.text(
            20.0,
            y + BOX_H / 2.0 + 4.0,
            12.0,
            "start",
            format_args!("fill:{MUTED};font-style:italic"),
            label,
        );
        s.line(
            20.0,
            y + BOX_H + ROW_GAP / 2.0,
            l.width - 20.0,
            y + BOX_H + ROW_GAP / 2.0,
            "stroke:#eef0f2;stroke-width:1",
        );
    }
    s.text(
        20.0,
        56.0 + BOX_H / 2.0 + 4.0,
        12.0,
        "start",
        format_args!("fill:{MUTED};font-style:italic"),
        "outside",
    );
    for (label, x, y, w, h) in &l.sites {
        let e = site_of(p, label);
        drawn.extend(e);
        let mark = e.and_then(|e| marks.severity(e));
        open(&mut s, p, &marks, e);
        let stroke = match mark {
            Some(sev) => format!("stroke:{};stroke-width:2.5", marks::colour(sev)),
            None => "stroke:#7b8794;stroke-width:1.2".to_string(),
        };
        s.rect(*x, *y, *w, *h, 10.0, format_args!("fill:#fbfcfd;{stroke}"));
        // The title at the bottom: edges enter a site from above.
        s.text(
            x + 12.0,
            y + h - 12.0,
            12.0,
            "start",
            format_args!("font-weight:bold;fill:{INK}"),
            label,
        );
        if let Some(sev) = mark {
            s.raw(&marks::marker(
                sev,
                x + 12.0 + text_width(label, 12.0) * 1.1 + 12.0,
                y + h - 16.0,
                13.0,
            ));
        }
        s.raw("</g>\n");
    }
    for (label, x, y, w, h) in &l.partitions {
        let e = partition_of(p, label);
        drawn.extend(e);
        let mark = e.and_then(|e| marks.severity(e));
        open(&mut s, p, &marks, e);
        let stroke = match mark {
            Some(sev) => format!("stroke:{};stroke-width:2", marks::colour(sev)),
            None => "stroke:#7fbfa5;stroke-width:1".to_string(),
        };
        s.rect(
            *x,
            *y,
            *w,
            *h,
            8.0,
            format_args!("fill:#e3f1ec;{stroke};stroke-dasharray:4 3"),
        );
        s.text(x + 8.0, y + 13.0, 10.0, "start", "fill:#2f7d62", label);
        if let Some(sev) = mark {
            s.raw(&marks::marker(
                sev,
                x + 8.0 + text_width(label, 10.0) + 9.0,
                y + 9.5,
                11.0,
            ));
        }
        s.raw("</g>\n");
    }
    // Labels keep clear of boxes and of the site and partition titles.
    let mut placed = Placed(Vec::new(), Vec::new());
    for n in &l.nodes {
        placed.0.push((n.x, n.y, n.w, BOX_H));
    }
    for (label, x, y, w, h) in &l.sites {
        placed.0.push((
            *x,
            y + h - 26.0,
            text_width(label, 12.0) * 1.08 + 24.0,
            26.0,
        ));
        placed.1.push((*x, *y, *w, *h));
    }
    // Partition titles, which edges entering a partition keep clear of.
    let mut titles: Vec<(f64, f64, f64, f64)> = Vec::new();
    for (label, x, y, w, h) in &l.partitions {
        let title = (*x, *y, text_width(label, 10.0) + 16.0, 18.0);
        placed.0.push(title);
        titles.push(title);
        placed.1.push((*x, *y, *w, *h));
    }
    let anchor = |el: &Element| l.index.get(el).map(|&i| &l.nodes[i]);
    // Edge labels: the lines, and for flow labels the flow of each line.
    // (points along the edge, lines of its label, whether they name flows)
    type Label = (Vec<(f64, f64)>, Vec<String>, bool);
    let mut labels: Vec<Label> = Vec::new();
    // Each edge returns the points along it, where its label may go.
    let edge = |s: &mut Svg, from: &Node, to: &Node, style: &str| -> Vec<(f64, f64)> {
        let r = route(from, to, &titles);
        s.path(&r.d, style);
        r.points
    };
    for (a, b) in &e.calls {
        if let (Some(from), Some(to)) = (anchor(a), anchor(b)) {
            edge(
                &mut s,
                from,
                to,
                &format!("fill:none;stroke:{LINE};stroke-width:1;marker-end:url(#arrow)"),
            );
        }
    }
    for (a, b, label) in &e.replications {
        if let (Some(from), Some(to)) = (anchor(a), anchor(b)) {
            let along = edge(&mut s, from, to, "fill:none;stroke:#7b5ea7;stroke-width:1.4;stroke-dasharray:6 4;marker-end:url(#arrow)");
            labels.push((along, vec![label.clone()], false));
        }
    }
    for ((a, b), flow_labels) in &e.flows {
        if let (Some(from), Some(to)) = (anchor(a), anchor(b)) {
            // One path per flow on this edge, each in its flow's group;
            // marked flows last (the most severe on top), so their colour shows.
            let mut flows: Vec<Option<Element>> =
                flow_labels.iter().map(|l| flow_of(p, l)).collect();
            flows.dedup();
            flows.sort_by_key(|f| {
                f.and_then(|f| marks.severity(f))
                    .map_or(0, |sev| match sev {
                        Severity::Info => 1,
                        Severity::Warning => 2,
                        Severity::Error => 3,
                    })
            });
            let mut along = Vec::new();
            for f in flows {
                drawn.extend(f);
                open(&mut s, p, &marks, f);
                let style = match f.and_then(|f| marks.severity(f)) {
                    Some(sev) => format!(
                        "fill:none;stroke:{};stroke-width:2.2;marker-end:url(#arrow-ink)",
                        marks::colour(sev)
                    ),
                    None => "fill:none;stroke:#3e4c59;stroke-width:1.4;marker-end:url(#arrow-ink)"
                        .to_string(),
                };
                along = edge(&mut s, from, to, &style);
                s.raw("</g>\n");
            }
            labels.push((along, flow_labels.clone(), true));
        }
    }
    for n in &l.nodes {
        drawn.insert(n.element);
        let mark = marks.severity(n.element);
        open(&mut s, p, &marks, Some(n.element));
        let stroke = match mark {
            Some(sev) => format!("stroke:{};stroke-width:2.5", marks::colour(sev)),
            None => "stroke:#52606d;stroke-width:1.2".to_string(),
        };
        s.rect(
            n.x,
            n.y,
            n.w,
            BOX_H,
            6.0,
            format_args!("fill:{};{stroke}", n.fill),
        );
        s.text(
            n.center(),
            n.y + 19.0,
            TITLE,
            "middle",
            format_args!("font-weight:bold;fill:{INK}"),
            &n.title,
        );
        s.text(
            n.center(),
            n.y + 36.0,
            DETAIL,
            "middle",
            format_args!("fill:{MUTED}"),
            &n.detail,
        );
        if let Some(sev) = mark {
            // Left of the centred bold title (wider than the estimate, as
            // the layout allows), inside the box's margin.
            let tw = text_width(&n.title, TITLE) * 1.08;
            s.raw(&marks::marker(
                sev,
                n.center() - tw / 2.0 - 12.0,
                n.y + 14.5,
                12.0,
            ));
        }
        s.raw("</g>\n");
    }
    for (along, lines, flows) in labels {
        let w = lines
            .iter()
            .map(|t| text_width(t, 10.0))
            .fold(0.0, f64::max)
            + 8.0;
        let h = lines.len() as f64 * 13.0 + 4.0;
        let (x, y) = placed.place(&along, w, h);
        if !flows {
            s.label(x, y, 10.0, &format!("fill:{INK}"), &lines);
            continue;
        }
        // As `Svg::label`, each line in its flow's group with its marker.
        s.rect(
            x - w / 2.0,
            y - h / 2.0,
            w,
            h,
            3.0,
            "fill:#ffffff;fill-opacity:0.92;stroke:none",
        );
        for (i, line) in lines.iter().enumerate() {
            let f = flow_of(p, line);
            open(&mut s, p, &marks, f);
            let ly = y - h / 2.0 + 2.0 + (i as f64 + 1.0) * 13.0 - 3.0;
            s.text(x, ly, 10.0, "middle", format_args!("fill:{INK}"), line);
            if let Some(sev) = f.and_then(|f| marks.severity(f)) {
                s.raw(&marks::marker(sev, x - w / 2.0 - 6.0, ly - 3.5, 11.0));
            }
            s.raw("</g>\n");
        }
    }
    // Legend: the edges on one line, the marks on the next.
    let ly = l.height - 34.0;
    let items: [(&str, String); 3] = [
        ("flow", "stroke:#3e4c59;stroke-width:1.4".to_string()),
        ("calls", format!("stroke:{LINE};stroke-width:1")),
        (
            "replication",
            "stroke:#7b5ea7;stroke-width:1.4;stroke-dasharray:6 4".to_string(),
        ),
    ];
    let mut lx = 20.0;
    for (text, style) in items {
        s.line(lx, ly + 8.0, lx + 40.0, ly + 8.0, &style);
        s.text(
            lx + 48.0,
            ly + 12.0,
            11.0,
            "start",
            format_args!("fill:{INK}"),
            text,
        );
        lx += 48.0 + text_width(text, 11.0) + 24.0;
    }
    let (legend, mut legend_w) = marks::legend(20.0, ly + 32.0);
    s.raw(&legend);
    let hidden = marks.iter().filter(|(e, _)| !drawn.contains(e)).count();
    if hidden > 0 {
        let text = format!(
            "· {hidden} more marked element{} not drawn in this view (topo check lists them)",
            if hidden == 1 { " is" } else { "s are" }
        );
        s.text(
            20.0 + legend_w + 10.0,
            ly + 32.0,
            11.0,
            "start",
            format_args!("fill:{MUTED}"),
            &text,
        );
        legend_w += 10.0 + text_width(&text, 11.0);
    }
    s.finish(
        l.width.max(700.0).max(legend_w + 40.0),
        l.height + 20.0,
        "topo system view",
    )
}
