//! What the bus view draws and where: parts become boxes (identical
//! siblings share one box, "nvme0–3 × 4"), and the tree of boxes is laid
//! out top-down, wrapping a parent's children onto further rows so no
//! panel grows past [`MAX_WIDTH`].

use super::super::marks::Marks;
use super::super::text_width;
use crate::analyze::bus_bottleneck::{carried, Demand};
use crate::model::{CacheMode, Internals, Medium, Part, PartKind, Protection};

pub const BOX_H: f64 = 44.0;
/// Between a parent's bottom and its children's tops: the elbow and the
/// bus label.
pub const BAND: f64 = 52.0;
/// The elbow's horizontal run, above a row's tops.
pub const ELBOW: f64 = 34.0;
pub const GAP: f64 = 22.0;
pub const MEMORY_H: f64 = 46.0;
/// Room left of a wrapped parent's rows for the trunk that feeds them.
const TRUNK: f64 = 18.0;
/// Between two rows of CPUs (or other parts on no bus).
const ROOT_ROW_GAP: f64 = 34.0;
/// The widest a panel's tree may grow: a 1,600 px page less the margins.
pub const MAX_WIDTH: f64 = 1540.0;

/// One drawn box: one part, or a run of identical sibling parts.
pub struct Item {
    /// Its parts, in declaration order.
    pub parts: Vec<usize>,
    pub name: String,
    pub detail: String,
    /// "pcie3 x4 3.94 GB/s / 3.50 GB/s", and whether it is over; "each"
    /// for a group, what a capped disk gets.
    pub bus: Option<(String, bool)>,
    /// A disk that wants more than its own bus carries.
    pub capped: bool,
    pub parent: Option<usize>,
    pub children: Vec<usize>,
}

impl Item {
    pub fn first(&self) -> usize {
        self.parts[0]
    }

    pub fn is_group(&self) -> bool {
        self.parts.len() > 1
    }
}

pub fn detail(part: &Part) -> String {
    match &part.kind {
        PartKind::Cpu(c) => match c.cores {
            Some(n) => format!("cpu · {} cores", n.value),
            None => "cpu".to_string(),
        },
        PartKind::Chipset => "chipset".to_string(),
        PartKind::Bridge => "bridge".to_string(),
        PartKind::Nic { ports } | PartKind::Hba { ports } => {
            let kind = part.kind.keyword();
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
                    CacheMode::WriteBack => "write-back",
                    CacheMode::WriteThrough => "write-through",
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

/// "pcie3 x8 7.88 GB/s / 25.0 GB/s": what the bus carries, what is behind
/// it, and whether that is more.
pub fn bus_label(part: &Part, d: &Demand, i: usize) -> Option<(String, bool)> {
    let bus = part.bus.as_ref()?;
    let cap = bus.spec.bandwidth;
    let want = d.total[i];
    let over = want.get() > cap.get() * (1.0 + 1e-9);
    Some((format!("{} {cap} / {want}", bus.spec.label), over))
}

/// "nvme0–3" for consecutive numbers on one stem, else the names as
/// [`crate::model::names::collapse`] lists them.
fn run_name(names: &[&str]) -> String {
    match crate::model::names::numbered_run(names) {
        Some(stem) => format!("{}–{}", names[0], &names[names.len() - 1][stem..]),
        None => crate::model::names::collapse(names),
    }
}

/// The boxes of one set of parts. Sibling leaves in a row that read the
/// same (kind, detail, bus and its load) and whose findings have the same
/// severity and rules share a box, which names each member
/// (`data-members`), so a finding about any of them still finds it; a
/// part marked differently from its neighbours keeps its own box.
pub fn items(inside: &Internals, d: &Demand, marks: &Marks, owner: &str) -> Vec<Item> {
    let parts = &inside.parts;
    let mark = |i: usize| {
        marks
            .subject(&format!("{owner}.{}", parts[i].name))
            .map(|m| (m.severity, m.rules.clone()))
    };
    let single = |i: usize| {
        let bus = bus_label(&parts[i], d, i);
        let capped = matches!(parts[i].kind, PartKind::Disk(_))
            && bus.as_ref().is_some_and(|b| b.1)
            && d.children[i].is_empty();
        Item {
            parts: vec![i],
            name: parts[i].name.clone(),
            detail: detail(&parts[i]),
            bus,
            capped,
            parent: None,
            children: Vec::new(),
        }
    };
    let alike = |a: &Item, b: &Item| {
        let (i, j) = (a.first(), b.first());
        parts[i].kind.keyword() == parts[j].kind.keyword()
            && a.detail == b.detail
            && a.bus == b.bus
            && a.capped == b.capped
            && d.children[i].is_empty()
            && d.children[j].is_empty()
            && mark(i) == mark(j)
    };
    let mut out: Vec<Item> = Vec::new();
    let mut item_of = vec![usize::MAX; parts.len()];
    // Parents come before their children in `parts` only when declared
    // so; walk from the roots so a parent's item exists first.
    let mut roots: Vec<usize> = (0..parts.len())
        .filter(|&i| parts[i].parent.is_none())
        .collect();
    roots.sort_by_key(|&i| (!matches!(parts[i].kind, PartKind::Cpu(_)), i));
    let mut queue: Vec<usize> = Vec::new();
    for &r in &roots {
        item_of[r] = out.len();
        out.push(single(r));
        queue.push(r);
    }
    let mut next = 0;
    while next < queue.len() {
        let parent = queue[next];
        next += 1;
        let parent_item = item_of[parent];
        let mut run: Option<usize> = None;
        for &c in &d.children[parent] {
            let mut item = single(c);
            if let Some(k) = run {
                if alike(&out[k], &item) {
                    out[k].parts.push(c);
                    item_of[c] = k;
                    continue;
                }
            }
            item.parent = Some(parent_item);
            let k = out.len();
            item_of[c] = k;
            run = Some(k);
            out[parent_item].children.push(k);
            out.push(item);
            queue.push(c);
        }
    }
    for item in &mut out {
        let names: Vec<&str> = item.parts.iter().map(|&i| parts[i].name.as_str()).collect();
        let group = item.is_group();
        if group {
            item.name = format!("{} × {}", run_name(&names), names.len());
            item.detail.push_str(" each");
        }
        let capped = item
            .capped
            .then(|| format!(" (capped to {})", carried(inside, d, item.first())));
        if let Some((label, _)) = &mut item.bus {
            if group {
                label.push_str(" each");
            }
            label.push_str(capped.as_deref().unwrap_or(""));
        }
    }
    out
}

/// Where each box sits, relative to the panel's content origin.
pub struct Placed {
    pub x: Vec<f64>,
    pub y: Vec<f64>,
    pub w: Vec<f64>,
    /// For each item: which row of its parent's children it is on.
    pub row: Vec<usize>,
    /// For each parent that wraps: the x of the trunk feeding rows past
    /// the first.
    pub trunk: Vec<Option<f64>>,
    pub width: f64,
    pub height: f64,
}

fn memory_channels(part: &Part) -> Option<&crate::model::Memory> {
    match &part.kind {
        PartKind::Cpu(c) => c.memory.as_ref(),
        _ => None,
    }
}

pub fn memory_label(m: &crate::model::Memory) -> String {
    let channels = m.dimms.as_ref().map_or(0, |d| d.value.len());
    match m.total() {
        Some(total) => format!("{} · {channels} ch · {total}", m.preset.name),
        None => format!("{} · {channels} ch", m.preset.name),
    }
}

/// Packs widths into rows no wider than `limit`, `gap` apart.
fn rows(widths: &[(usize, f64)], limit: f64, gap: f64) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut used = 0.0;
    for &(i, w) in widths {
        match out.last_mut() {
            Some(row) if used + gap + w <= limit => {
                row.push(i);
                used += gap + w;
            }
            _ => {
                out.push(vec![i]);
                used = w;
            }
        }
    }
    out
}

fn row_width(row: &[usize], span: &[f64], gap: f64) -> f64 {
    row.iter().map(|&c| span[c]).sum::<f64>() + gap * (row.len().saturating_sub(1)) as f64
}

/// Each subtree's width, height and rows of children when no row may be
/// wider than `limit`.
struct Measured {
    span: Vec<f64>,
    height: Vec<f64>,
    child_rows: Vec<Vec<Vec<usize>>>,
}

/// `order` is post-order: children before their parent.
fn measure(items: &[Item], order: &[usize], w: &[f64], limit: f64) -> Measured {
    let n = items.len();
    let mut span = vec![0.0; n];
    let mut height = vec![0.0; n];
    let mut child_rows: Vec<Vec<Vec<usize>>> = vec![Vec::new(); n];
    for &i in order {
        let kids: Vec<(usize, f64)> = items[i].children.iter().map(|&c| (c, span[c])).collect();
        let mut r = rows(&kids, limit, GAP);
        let mut indent = 0.0;
        if r.len() > 1 {
            indent = TRUNK;
            r = rows(&kids, limit - TRUNK, GAP);
        }
        let widest = r
            .iter()
            .map(|row| row_width(row, &span, GAP))
            .fold(0.0, f64::max);
        span[i] = w[i].max(widest + indent);
        height[i] = BOX_H
            + r.iter()
                .map(|row| BAND + row.iter().map(|&c| height[c]).fold(0.0, f64::max))
                .sum::<f64>();
        child_rows[i] = r;
    }
    Measured {
        span,
        height,
        child_rows,
    }
}

pub fn place(inside: &Internals, items: &[Item]) -> Placed {
    let parts = &inside.parts;
    let n = items.len();
    let w: Vec<f64> = items
        .iter()
        .map(|it| {
            let part = &parts[it.first()];
            let label = it
                .bus
                .as_ref()
                .map_or(0.0, |(l, _)| text_width(l, 10.0) - 8.0);
            let memory = memory_channels(part).map_or(0.0, |m| {
                let channels = m.dimms.as_ref().map_or(0, |d| d.value.len()) as f64;
                (channels * 16.0).max(text_width(&memory_label(m), 10.0)) + 8.0
            });
            ((text_width(&it.name, 12.0) * 1.1 + 24.0)
                .max(text_width(&it.detail, 10.0))
                .max(label)
                .max(memory)
                + 20.0)
                .max(96.0)
        })
        .collect();
    // Post-order without recursion: each subtree's rows, width and height.
    let mut order = Vec::with_capacity(n);
    let mut stack: Vec<(usize, bool)> = (0..n)
        .rev()
        .filter(|&i| items[i].parent.is_none())
        .map(|i| (i, false))
        .collect();
    while let Some((i, done)) = stack.pop() {
        if done {
            order.push(i);
            continue;
        }
        stack.push((i, true));
        for &c in items[i].children.iter().rev() {
            stack.push((c, false));
        }
    }
    // Sockets are peers and read best side by side: wrap the subtrees
    // under them at ever narrower widths until the roots share one row,
    // and only when none does, let the roots wrap too.
    let roots: Vec<usize> = (0..n).filter(|&i| items[i].parent.is_none()).collect();
    let mut fitted = None;
    for share in [1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.45, 0.4, 0.35, 0.3] {
        let m = measure(items, &order, &w, MAX_WIDTH * share);
        let widths: Vec<(usize, f64)> = roots.iter().map(|&i| (i, m.span[i])).collect();
        let root_rows = rows(&widths, MAX_WIDTH, GAP * 2.0);
        if root_rows.len() <= 1 {
            fitted = Some((m, root_rows));
            break;
        }
    }
    let (
        Measured {
            span,
            height,
            child_rows,
        },
        root_rows,
    ) = fitted.unwrap_or_else(|| {
        let m = measure(items, &order, &w, MAX_WIDTH);
        let widths: Vec<(usize, f64)> = roots.iter().map(|&i| (i, m.span[i])).collect();
        let root_rows = rows(&widths, MAX_WIDTH, GAP * 2.0);
        (m, root_rows)
    });
    let mut x = vec![0.0; n];
    let mut y = vec![0.0; n];
    let mut row = vec![0usize; n];
    let mut trunk = vec![None; n];
    let mut left_of = vec![0.0; n];
    let mut queue: Vec<usize> = Vec::new();
    let mut top = 0.0;
    let mut width: f64 = 0.0;
    let has_memory =
        |i: usize| memory_channels(&parts[items[i].first()]).is_some_and(|m| m.dimms.is_some());
    for (k, r) in root_rows.iter().enumerate() {
        if r.iter().any(|&i| has_memory(i)) {
            top += MEMORY_H;
        }
        let mut cursor = 0.0;
        for &i in r {
            left_of[i] = cursor;
            y[i] = top;
            row[i] = k;
            cursor += span[i] + GAP * 2.0;
            queue.push(i);
        }
        width = width.max(cursor - GAP * 2.0);
        top += r.iter().map(|&i| height[i]).fold(0.0, f64::max) + ROOT_ROW_GAP;
    }
    while let Some(i) = queue.pop() {
        let left = left_of[i];
        x[i] = left + (span[i] - w[i]) / 2.0;
        let wrapped = child_rows[i].len() > 1;
        let indent = if wrapped { TRUNK } else { 0.0 };
        if wrapped {
            trunk[i] = Some(left + TRUNK / 2.0);
        }
        let mut row_top = y[i] + BOX_H + BAND;
        for (k, r) in child_rows[i].iter().enumerate() {
            let used = row_width(r, &span, GAP);
            let mut cx = left + indent + (span[i] - indent - used) / 2.0;
            for &c in r {
                left_of[c] = cx;
                y[c] = row_top;
                row[c] = k;
                cx += span[c] + GAP;
                queue.push(c);
            }
            row_top += r.iter().map(|&c| height[c]).fold(0.0, f64::max) + BAND;
        }
    }
    Placed {
        x,
        y,
        w,
        row,
        trunk,
        width: width.max(200.0),
        height: (top - ROOT_ROW_GAP).max(BOX_H),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_of_numbered_names_collapse_to_a_range() {
        assert_eq!(run_name(&["nvme0", "nvme1", "nvme2", "nvme3"]), "nvme0–3");
        assert_eq!(run_name(&["boot0", "boot1"]), "boot0–1");
        assert_eq!(run_name(&["d08", "d09", "d10"]), "d08–10");
        assert_eq!(run_name(&["a", "b"]), "a, b");
        assert_eq!(run_name(&["x1", "x3", "x4"]), "x1, x3, x4");
    }

    #[test]
    fn rows_wrap_at_the_limit() {
        let widths = [(0, 100.0), (1, 100.0), (2, 100.0)];
        assert_eq!(rows(&widths, 250.0, 20.0), vec![vec![0, 1], vec![2]]);
        assert_eq!(rows(&widths, 340.0, 20.0), vec![vec![0, 1, 2]]);
        // A box wider than the limit still gets a row of its own.
        assert_eq!(rows(&[(0, 500.0)], 250.0, 20.0), vec![vec![0]]);
    }
}
