//! Where the boxes, edges and labels of the network view go: tiers as rows
//! (the highest at the top), site blocks as columns, boxes in source order
//! centred in their row, edges leaving a box at points spread along its top
//! or bottom in the order of their other ends, and each label at the first
//! point along its edge where it overlaps no box and no other label.

use super::graph::Graph;
use crate::render::text_width;

pub const TITLE: f64 = 13.0;
pub const SUB: f64 = 10.5;
pub const LABEL: f64 = 10.5;
pub const BOX_H: f64 = 40.0;
const GAP: f64 = 22.0;
const TIER_GAP: f64 = 130.0;
const BLOCK_GAP: f64 = 40.0;
const PAD: f64 = 18.0;
pub const MARGIN: f64 = 20.0;
pub const GUTTER: f64 = 80.0;
pub const HEADER: f64 = 44.0;
pub const LEGEND: f64 = 44.0;

#[derive(Debug, Clone, Copy, Default)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    fn overlap(&self, o: &Rect) -> f64 {
        let w = (self.x + self.w).min(o.x + o.w) - self.x.max(o.x);
        let h = (self.y + self.h).min(o.y + o.h) - self.y.max(o.y);
        if w > 0.0 && h > 0.0 {
            w * h
        } else {
            0.0
        }
    }
}

pub struct EdgeShape {
    /// Start (on the lower box) and end (on the upper box).
    pub from: (f64, f64),
    pub to: (f64, f64),
    /// Both ends in one tier: an arc above the row.
    pub arc: bool,
    /// None for a link of the common kind, which the legend names once.
    pub label: Option<Rect>,
}

pub struct Layout {
    /// The label most links share ("1 × 25GbE"), left off them and said
    /// once in the legend, when it is on at least half the links and six.
    pub unlabelled: Option<String>,
    pub boxes: Vec<Rect>,
    pub edges: Vec<EdgeShape>,
    /// Each site block's frame (empty with a single block).
    pub blocks: Vec<Rect>,
    /// The y of each tier's row top.
    pub rows: Vec<f64>,
    pub width: f64,
    pub height: f64,
}

/// Room for the marker inside the top right corner when marked.
fn box_width(title: &str, sub: &str, marked: bool) -> f64 {
    let marker = if marked { 28.0 } else { 0.0 };
    (text_width(title, TITLE).max(text_width(sub, SUB)) + 20.0 + marker).max(84.0)
}

/// The label on at least half the links and at least six of them.
fn common_label(g: &Graph) -> Option<String> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for e in &g.edges {
        let label = e.label();
        match counts.iter_mut().find(|(l, _)| *l == label) {
            Some((_, c)) => *c += 1,
            None => counts.push((label, 1)),
        }
    }
    // The first among equals, so the answer does not depend on hashing.
    let (label, count) = counts.into_iter().rev().max_by_key(|(_, c)| *c)?;
    (count >= 6 && count * 2 >= g.edges.len()).then_some(label)
}

pub fn label_size(text: &str) -> (f64, f64) {
    (text_width(text, LABEL) + 8.0, LABEL + 5.0)
}

fn point(from: (f64, f64), to: (f64, f64), arc: bool, t: f64) -> (f64, f64) {
    // The same cubic the drawing uses: vertical tangents (or an arc's
    // control points 50 px above the row).
    let (c1, c2) = if arc {
        let top = from.1.min(to.1) - 50.0;
        ((from.0, top), (to.0, top))
    } else {
        let mid = (from.1 + to.1) / 2.0;
        ((from.0, mid), (to.0, mid))
    };
    let u = 1.0 - t;
    let x = u * u * u * from.0 + 3.0 * u * u * t * c1.0 + 3.0 * u * t * t * c2.0 + t * t * t * to.0;
    let y = u * u * u * from.1 + 3.0 * u * u * t * c1.1 + 3.0 * u * t * t * c2.1 + t * t * t * to.1;
    (x, y)
}

pub fn layout(g: &Graph) -> Layout {
    let framed = g.sites.len() > 1;
    let tiers = g.tiers.max(1);
    let top = HEADER + if framed { 26.0 } else { 0.0 };
    let rows: Vec<f64> = (0..tiers)
        .map(|t| top + 40.0 + (tiers - 1 - t) as f64 * (BOX_H + TIER_GAP))
        .collect();
    let mut boxes = vec![Rect::default(); g.nodes.len()];
    for (i, n) in g.nodes.iter().enumerate() {
        boxes[i].w = box_width(&n.title, &n.sub, n.severity.is_some());
        boxes[i].h = BOX_H;
        boxes[i].y = rows[n.tier];
    }
    // Rows per (site, tier), in node (source) order.
    let mut members: Vec<Vec<Vec<usize>>> = vec![vec![Vec::new(); tiers]; g.sites.len().max(1)];
    for (i, n) in g.nodes.iter().enumerate() {
        members[n.site][n.tier].push(i);
    }
    let mut blocks = Vec::new();
    let mut x = MARGIN + GUTTER;
    for (s, site_rows) in members.iter().enumerate() {
        let widths: Vec<f64> = site_rows
            .iter()
            .map(|row| {
                row.iter().map(|&i| boxes[i].w).sum::<f64>()
                    + GAP * row.len().saturating_sub(1) as f64
            })
            .collect();
        let name_w = g.sites.get(s).map_or(0.0, |n| text_width(n, TITLE) + 20.0);
        let inner = widths.iter().copied().fold(name_w, f64::max);
        let pad = if framed { PAD } else { 0.0 };
        for (row, rw) in site_rows.iter().zip(&widths) {
            let mut bx = x + pad + (inner - rw) / 2.0;
            for &i in row {
                boxes[i].x = bx;
                bx += boxes[i].w + GAP;
            }
        }
        let w = inner + 2.0 * pad;
        if framed {
            let y0 = HEADER;
            let y1 = rows[0] + BOX_H + 30.0;
            blocks.push(Rect {
                x,
                y: y0,
                w,
                h: y1 - y0,
            });
        }
        x += w + BLOCK_GAP;
    }
    let width = (x - BLOCK_GAP + MARGIN).max(520.0);
    let height = rows[0] + BOX_H + if framed { 30.0 } else { 0.0 } + 30.0 + LEGEND;

    // Attachment points: per box, its upward and downward ends sorted by
    // the other end's centre, spread over the middle 80 % of the side.
    let centre = |i: usize| boxes[i].x + boxes[i].w / 2.0;
    let mut up: Vec<Vec<(f64, usize)>> = vec![Vec::new(); boxes.len()];
    let mut down: Vec<Vec<(f64, usize)>> = vec![Vec::new(); boxes.len()];
    for (k, e) in g.edges.iter().enumerate() {
        if g.nodes[e.lower].tier == g.nodes[e.upper].tier {
            up[e.lower].push((centre(e.upper), k));
            up[e.upper].push((centre(e.lower), k));
        } else {
            up[e.lower].push((centre(e.upper), k));
            down[e.upper].push((centre(e.lower), k));
        }
    }
    let mut ends: Vec<[(f64, f64); 2]> = vec![[(0.0, 0.0); 2]; g.edges.len()];
    let spread = |list: &mut Vec<(f64, usize)>,
                  b: &Rect,
                  y: f64,
                  ends: &mut Vec<[(f64, f64); 2]>,
                  which: &dyn Fn(usize) -> usize| {
        list.sort_by(|a, c| a.0.total_cmp(&c.0).then(a.1.cmp(&c.1)));
        let n = list.len() as f64;
        for (j, &(_, k)) in list.iter().enumerate() {
            let px = b.x + b.w * (0.1 + 0.8 * (j as f64 + 0.5) / n);
            ends[k][which(k)] = (px, y);
        }
    };
    for i in 0..boxes.len() {
        let b = boxes[i];
        let which_up = |k: usize| if g.edges[k].lower == i { 0 } else { 1 };
        spread(&mut up[i], &b, b.y, &mut ends, &which_up);
        spread(&mut down[i], &b, b.y + b.h, &mut ends, &|_| 1);
    }

    // Labels: first free spot along the edge, else the least crowded;
    // a label across a site's frame counts as crowded as one on a box.
    let unlabelled = common_label(g);
    let mut placed: Vec<Rect> = boxes.clone();
    let mut edges = Vec::with_capacity(g.edges.len());
    const TRIES: [f64; 9] = [0.5, 0.38, 0.62, 0.28, 0.72, 0.2, 0.8, 0.45, 0.55];
    for (k, e) in g.edges.iter().enumerate() {
        let [from, to] = ends[k];
        let arc = g.nodes[e.lower].tier == g.nodes[e.upper].tier;
        let text = e.label();
        if unlabelled.as_deref() == Some(text.as_str()) {
            edges.push(EdgeShape {
                from,
                to,
                arc,
                label: None,
            });
            continue;
        }
        let (w, h) = label_size(&text);
        let mut best: Option<(f64, Rect)> = None;
        for t in TRIES {
            let (px, py) = point(from, to, arc, t);
            let r = Rect {
                x: px - w / 2.0,
                y: py - h / 2.0,
                w,
                h,
            };
            // Only nearby rectangles matter; the scan stays linear in the
            // labels placed, a few hundred even for the largest sites.
            let on_frames: f64 = blocks
                .iter()
                .filter(|b| {
                    let o = b.overlap(&r);
                    o > 0.0 && o < w * h
                })
                .map(|_| w * h)
                .sum();
            let cost: f64 = placed.iter().map(|o| o.overlap(&r)).sum::<f64>() + on_frames;
            if best.as_ref().is_none_or(|(c, _)| cost < *c) {
                best = Some((cost, r));
            }
            if cost == 0.0 {
                break;
            }
        }
        let label = best.map(|(_, r)| r).unwrap_or_default();
        placed.push(label);
        edges.push(EdgeShape {
            from,
            to,
            arc,
            label: Some(label),
        });
    }
    Layout {
        unlabelled,
        boxes,
        edges,
        blocks,
        rows,
        width,
        height,
    }
}
