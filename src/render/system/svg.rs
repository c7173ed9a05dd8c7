//! The system view as SVG, with labels kept from overlapping.

use super::at_risk;
use super::edges::{edges, route};
use super::layout::{layout, Node, BOX_H, DETAIL, ROW_GAP, TITLE};
use crate::diagnostic::Diagnostic;
use crate::model::{Element, Project};
use crate::render::{text_width, Svg, INK, LINE, MUTED, RED};

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

pub fn svg(p: &Project, diagnostics: &[Diagnostic]) -> String {
    let risk = at_risk(p, diagnostics);
    let l = layout(p, &risk);
    let e = edges(p);
    let mut s = Svg::new();
    s.raw(&format!(
        r#"<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" style="fill:{LINE}"/></marker><marker id="arrow-ink" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" style="fill:#3e4c59"/></marker></defs>
"#
    ));
    s.text(
        20.0,
        28.0,
        16.0,
        "start",
        &format!("font-weight:bold;fill:{INK}"),
        "System view",
    );
    for (label, y) in &l.rows {
        s.text(
            20.0,
            y + BOX_H / 2.0 + 4.0,
            12.0,
            "start",
            &format!("fill:{MUTED};font-style:italic"),
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
        &format!("fill:{MUTED};font-style:italic"),
        "outside",
    );
    for (label, x, y, w, h) in &l.sites {
        s.rect(
            *x,
            *y,
            *w,
            *h,
            10.0,
            "fill:#fbfcfd;stroke:#7b8794;stroke-width:1.2",
        );
        s.text(
            x + 12.0,
            y + h - 12.0,
            12.0,
            "start",
            &format!("font-weight:bold;fill:{INK}"),
            label,
        );
    }
    for (label, x, y, w, h) in &l.partitions {
        s.rect(
            *x,
            *y,
            *w,
            *h,
            8.0,
            "fill:#e3f1ec;stroke:#7fbfa5;stroke-width:1;stroke-dasharray:4 3",
        );
        s.text(x + 8.0, y + 13.0, 10.0, "start", "fill:#2f7d62", label);
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
    // (points along the edge, lines of its label)
    type Label = (Vec<(f64, f64)>, Vec<String>);
    let mut labels: Vec<Label> = Vec::new();
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
            labels.push((along, vec![label.clone()]));
        }
    }
    for ((a, b), flow_labels) in &e.flows {
        if let (Some(from), Some(to)) = (anchor(a), anchor(b)) {
            let along = edge(
                &mut s,
                from,
                to,
                "fill:none;stroke:#3e4c59;stroke-width:1.4;marker-end:url(#arrow-ink)",
            );
            labels.push((along, flow_labels.clone()));
        }
    }
    for n in &l.nodes {
        let stroke = if n.red {
            format!("stroke:{RED};stroke-width:2.5")
        } else {
            "stroke:#52606d;stroke-width:1.2".to_string()
        };
        s.rect(
            n.x,
            n.y,
            n.w,
            BOX_H,
            6.0,
            &format!("fill:{};{stroke}", n.fill),
        );
        s.text(
            n.center(),
            n.y + 19.0,
            TITLE,
            "middle",
            &format!("font-weight:bold;fill:{INK}"),
            &n.title,
        );
        s.text(
            n.center(),
            n.y + 36.0,
            DETAIL,
            "middle",
            &format!("fill:{MUTED}"),
            &n.detail,
        );
    }
    for (along, lines) in labels {
        let w = lines
            .iter()
            .map(|t| text_width(t, 10.0))
            .fold(0.0, f64::max)
            + 8.0;
        let h = lines.len() as f64 * 13.0 + 4.0;
        let (x, y) = placed.place(&along, w, h);
        s.label(x, y, 10.0, &format!("fill:{INK}"), &lines);
    }
    // Legend.
    let ly = l.height - 34.0;
    s.rect(
        20.0,
        ly,
        26.0,
        16.0,
        4.0,
        &format!("fill:#ffffff;stroke:{RED};stroke-width:2.5"),
    );
    s.text(
        54.0,
        ly + 12.0,
        11.0,
        "start",
        &format!("fill:{INK}"),
        "a single failure can stop it, or it has an error",
    );
    s.line(
        360.0,
        ly + 8.0,
        400.0,
        ly + 8.0,
        "stroke:#3e4c59;stroke-width:1.4",
    );
    s.text(
        408.0,
        ly + 12.0,
        11.0,
        "start",
        &format!("fill:{INK}"),
        "flow",
    );
    s.line(
        450.0,
        ly + 8.0,
        490.0,
        ly + 8.0,
        &format!("stroke:{LINE};stroke-width:1"),
    );
    s.text(
        498.0,
        ly + 12.0,
        11.0,
        "start",
        &format!("fill:{INK}"),
        "calls",
    );
    s.line(
        545.0,
        ly + 8.0,
        585.0,
        ly + 8.0,
        "stroke:#7b5ea7;stroke-width:1.4;stroke-dasharray:6 4",
    );
    s.text(
        593.0,
        ly + 12.0,
        11.0,
        "start",
        &format!("fill:{INK}"),
        "replication",
    );
    s.finish(l.width.max(700.0), l.height, "topo system view")
}
