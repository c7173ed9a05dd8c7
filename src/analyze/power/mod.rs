//! The load model of the power chain: what every feed and power source
//! carries in normal operation, after any single feed or source fails, and
//! after any set of failures (for `topo impact`).
//!
//! A device's draw in VA is split evenly over the feeds its power supplies
//! connect to; when some of them fail the survivors carry all of it, and a
//! device whose connected feeds all fail draws nothing. A feed's load is
//! the sum over every rack on it, a source's the sum of the feeds and
//! sources that draw from it.
//!
//! Devices that connect to the same feeds move their load together, so the
//! model works on *groups* (one per distinct set of connected feeds, with
//! the summed draw) rather than on devices: a rack of 38 servers on its A and
//! B feed is one group. Every figure below is linear in the draw of a group.

pub mod cascade;
mod rack;
mod scenarios;

pub use rack::{rack_power, Limited, RackPower, Whose};
pub use scenarios::{Scenario, Worst, MAX_WORK};

use crate::model::units::{Amps, VoltAmperes};
use crate::model::{
    connected_feeds, is_three_phase, Circuit, DeviceId, FeedId, PowerId, Project, RackId, Spanned,
};
use crate::source::Span;
use crate::text::echo;
use std::collections::HashMap;

/// A feed or a power source: a node of the power tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Supply {
    Feed(FeedId),
    Source(PowerId),
}

impl Supply {
    pub fn name(self, p: &Project) -> &str {
        match self {
            Supply::Feed(f) => &p.feeds[f.index()].name,
            Supply::Source(s) => &p.powers[s.index()].name,
        }
    }

    /// "feed `a1`", "power source `ups-a`".
    pub fn describe(self, p: &Project) -> String {
        match self {
            Supply::Feed(_) => format!("feed `{}`", echo(self.name(p))),
            Supply::Source(_) => format!("power source `{}`", echo(self.name(p))),
        }
    }
}

/// The share of a rating that may be carried continuously when the feed is
/// not `rated` otherwise: breakers are sized for 125 % of continuous load.
pub const CONTINUOUS: f64 = 0.8;

/// What a feed, source or rack may carry.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Capacity {
    pub va: VoltAmperes,
    /// The continuous-load limit as a share of `va`: 0.8, or the `rated`.
    pub continuous: f64,
    pub circuit: Circuit,
    pub phases: Option<Spanned<u32>>,
    /// Where the figure is written.
    pub span: Span,
}

impl Capacity {
    pub fn new(circuit: Spanned<Circuit>, phases: Option<Spanned<u32>>) -> Option<Capacity> {
        let va = circuit.value.capacity(phases)?;
        (va.get() > 0.0).then_some(Capacity {
            va,
            continuous: CONTINUOUS,
            circuit: circuit.value,
            phases,
            span: circuit.span,
        })
    }

    /// "6.24 kVA (30 A at 208 V)", "22.17 kVA (32 A at 400 V, three-phase)",
    /// "17.3 kVA (17.3 kW taken as VA)", "500 kVA".
    pub fn text(&self) -> String {
        use crate::model::units::Draw;
        let how = match (self.circuit.limit, self.circuit.voltage) {
            (Draw::Current(a), Some(v)) if is_three_phase(self.phases) => {
                format!(" ({} at {v}, three-phase)", amps_text(a))
            }
            (Draw::Current(a), Some(v)) => format!(" ({} at {v})", amps_text(a)),
            (Draw::Power(_), _) => " (given in W, taken as VA)".to_string(),
            _ => String::new(),
        };
        format!("{}{how}", self.va)
    }

    /// The current `load` draws in each line, where the rating is a current.
    pub fn amps(&self, load: VoltAmperes) -> Option<Amps> {
        match self.circuit.limit {
            crate::model::units::Draw::Current(_) => self.circuit.amps_at(load, self.phases),
            _ => None,
        }
    }

    /// " (33.7 A at 208 V)" where the rating is a current, else "".
    pub fn amps_text(&self, load: VoltAmperes) -> String {
        match (self.amps(load), self.circuit.voltage) {
            (Some(a), Some(v)) => format!(" ({} at {v})", amps_text(a)),
            _ => String::new(),
        }
    }
}

/// Currents to the tenth of an amp, as breakers and meters read them.
fn amps_text(a: Amps) -> String {
    if !a.get().is_finite() || a.get().abs() >= 1e15 {
        // A draw near the largest figure: no run of digits past what a
        // message may echo.
        return format!("{} A", crate::model::units::format_sig3(a.get()));
    }
    let text = format!("{:.1}", a.get());
    format!("{} A", text.strip_suffix(".0").unwrap_or(&text))
}

/// Devices that connect to the same feeds, with their summed draw.
#[derive(Debug, Clone)]
pub struct Group {
    /// The connected feeds, as listed (no repeats: lowering refuses them).
    pub feeds: Vec<FeedId>,
    pub va: f64,
}

/// The power tree and the load on it.
pub struct PowerModel<'p> {
    p: &'p Project,
    /// Per node (feeds first, then sources): the node it draws from.
    parent: Vec<Option<u32>>,
    capacity: Vec<Option<Capacity>>,
    groups: Vec<Group>,
    /// Per device: its group, when it draws and connects to a feed.
    device_group: Vec<Option<u32>>,
    /// Per node: the load in normal operation, in VA.
    normal: Vec<f64>,
    /// Per node: how many racks list it (feeds; 0 for sources).
    racks_on: Vec<u32>,
}

impl<'p> PowerModel<'p> {
    pub fn new(p: &'p Project) -> PowerModel<'p> {
        let feeds = p.feeds.len();
        let mut parent = Vec::with_capacity(feeds + p.powers.len());
        let mut capacity = Vec::with_capacity(feeds + p.powers.len());
        for f in &p.feeds {
            parent.push(f.from.map(|s| (feeds + s.value.index()) as u32));
            let mut c = f.circuit.and_then(|c| Capacity::new(c, f.phases));
            if let (Some(c), Some(r)) = (c.as_mut(), f.rated) {
                c.continuous = r.value.fraction();
            }
            capacity.push(c);
        }
        for s in &p.powers {
            parent.push(s.from.map(|f| (feeds + f.value.index()) as u32));
            capacity.push(s.capacity.and_then(|c| Capacity::new(c, s.phases)));
        }
        let mut racks_on = vec![0u32; parent.len()];
        for r in &p.racks {
            for f in &r.feeds {
                racks_on[f.value.index()] += 1;
            }
        }
        let mut model = PowerModel {
            p,
            parent,
            capacity,
            groups: Vec::new(),
            device_group: vec![None; p.devices.len()],
            normal: Vec::new(),
            racks_on,
        };
        model.group_devices();
        model.normal = model.loads(&[], None);
        model
    }

    fn group_devices(&mut self) {
        let p = self.p;
        let mut index: HashMap<Vec<FeedId>, u32> = HashMap::new();
        for (i, d) in p.devices.iter().enumerate() {
            let connected = connected_feeds(p, d);
            if connected.is_empty() {
                continue;
            }
            let Some(power) = p.device_power(DeviceId(i as u32)) else {
                continue;
            };
            let key: Vec<FeedId> = connected.iter().map(|f| f.value).collect();
            let next = self.groups.len() as u32;
            let g = *index.entry(key).or_insert_with_key(|key| {
                self.groups.push(Group {
                    feeds: key.clone(),
                    va: 0.0,
                });
                next
            });
            self.groups[g as usize].va += power.va.get();
            self.device_group[i] = Some(g);
        }
    }

    pub fn project(&self) -> &'p Project {
        self.p
    }

    pub fn node(&self, s: Supply) -> usize {
        match s {
            Supply::Feed(f) => f.index(),
            Supply::Source(x) => self.p.feeds.len() + x.index(),
        }
    }

    pub fn supply(&self, node: usize) -> Supply {
        let feeds = self.p.feeds.len();
        if node < feeds {
            Supply::Feed(FeedId(node as u32))
        } else {
            Supply::Source(PowerId((node - feeds) as u32))
        }
    }

    pub fn nodes(&self) -> usize {
        self.parent.len()
    }

    pub fn parent(&self, node: usize) -> Option<usize> {
        self.parent[node].map(|n| n as usize)
    }

    pub fn capacity(&self, s: Supply) -> Option<Capacity> {
        self.capacity[self.node(s)]
    }

    /// The load in normal operation.
    pub fn normal(&self, s: Supply) -> VoltAmperes {
        VoltAmperes::new(self.normal[self.node(s)])
    }

    /// How many racks list the feed.
    pub fn racks_on(&self, f: FeedId) -> u32 {
        self.racks_on[f.index()]
    }

    pub fn groups(&self) -> &[Group] {
        &self.groups
    }

    /// The group a device's draw belongs to.
    pub fn group_of(&self, d: DeviceId) -> Option<&Group> {
        self.device_group[d.index()].map(|g| &self.groups[g as usize])
    }

    /// The node and every node it draws from, nearest first. Lowering cuts
    /// cycles; the walk stops after as many steps as there are nodes anyway.
    pub fn up(&self, node: usize) -> impl Iterator<Item = usize> + '_ {
        let mut at = Some(node);
        let mut steps = 0;
        std::iter::from_fn(move || {
            let here = at?;
            steps += 1;
            at = if steps > self.parent.len() {
                None
            } else {
                self.parent(here)
            };
            Some(here)
        })
    }

    /// Which nodes are down when the nodes in `failed` fail: each with
    /// everything that draws from it.
    pub fn down(&self, failed: &[usize]) -> Vec<bool> {
        let mut down = vec![false; self.nodes()];
        if failed.is_empty() {
            return down;
        }
        let mut failed_set = vec![false; self.nodes()];
        for &n in failed {
            failed_set[n] = true;
        }
        for (n, d) in down.iter_mut().enumerate() {
            *d = self.up(n).any(|u| failed_set[u]);
        }
        down
    }

    /// Each node's load in VA after the nodes in `failed` fail (with what
    /// draws from them), the devices marked in `off` drawing nothing.
    pub fn loads(&self, failed: &[usize], off: Option<&[bool]>) -> Vec<f64> {
        let down = self.down(failed);
        let mut load = vec![0.0; self.nodes()];
        let mut add = |feeds: &[FeedId], va: f64| {
            let alive = feeds.iter().filter(|f| !down[f.index()]).count();
            if alive == 0 || va == 0.0 {
                return;
            }
            let share = va / alive as f64;
            for f in feeds.iter().filter(|f| !down[f.index()]) {
                load[f.index()] += share;
            }
        };
        match off {
            None => {
                for g in &self.groups {
                    add(&g.feeds, g.va);
                }
            }
            Some(off) => {
                for (i, g) in self.device_group.iter().enumerate() {
                    let (Some(g), false) = (g, off[i]) else {
                        continue;
                    };
                    let va = self
                        .p
                        .device_power(DeviceId(i as u32))
                        .map_or(0.0, |p| p.va.get());
                    add(&self.groups[*g as usize].feeds, va);
                }
            }
        }
        // Feeds carry only what their devices draw; each node then passes
        // its load to the node it draws from, children before parents.
        for n in self.bottom_up() {
            if let Some(up) = self.parent(n) {
                load[up] += load[n];
            }
        }
        for (n, l) in load.iter_mut().enumerate() {
            if down[n] {
                *l = 0.0;
            }
        }
        load
    }

    /// Every node, each after all the nodes that draw from it.
    fn bottom_up(&self) -> Vec<usize> {
        let n = self.nodes();
        let mut depth = vec![0usize; n];
        for (i, d) in depth.iter_mut().enumerate() {
            *d = self.up(i).count();
        }
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(depth[i]));
        order
    }

    /// For rack `rack`: the load each of its feeds carries for this rack
    /// alone, in normal operation and after each other feed of the rack
    /// fails, worst first per feed.
    pub fn rack_feeds(&self, rack: RackId) -> Vec<RackFeedLoad> {
        let r = &self.p.racks[rack.index()];
        let mut groups: HashMap<u32, f64> = HashMap::new();
        for &d in &r.devices {
            if let (Some(g), Some(power)) = (self.device_group[d.index()], self.p.device_power(d)) {
                *groups.entry(g).or_default() += power.va.get();
            }
        }
        let mut groups: Vec<(u32, f64)> = groups.into_iter().collect();
        groups.sort_unstable_by_key(|g| g.0);
        // Per feed of the rack: its share in normal operation, and what each
        // other feed's failure adds to it (a group of k feeds moves
        // va ÷ (k − 1) − va ÷ k onto each survivor). Lowering bounds a
        // rack's feeds, so the pairs stay few.
        let position = |f: FeedId| r.feeds.iter().position(|x| x.value == f);
        let n = r.feeds.len();
        let mut normal = vec![0.0; n];
        let mut extra = vec![0.0; n * n];
        for &(g, va) in &groups {
            let feeds = &self.groups[g as usize].feeds;
            let k = feeds.len();
            let at: Vec<usize> = feeds.iter().filter_map(|&f| position(f)).collect();
            for &a in &at {
                normal[a] += va / k as f64;
                if k > 1 {
                    let moved = va / (k - 1) as f64 - va / k as f64;
                    for &b in at.iter().filter(|&&b| b != a) {
                        extra[a * n + b] += moved;
                    }
                }
            }
        }
        r.feeds
            .iter()
            .enumerate()
            .map(|(a, f)| {
                let mut worst = (0.0, None);
                for (b, other) in r.feeds.iter().enumerate() {
                    if extra[a * n + b] > worst.0 + 1e-6 {
                        worst = (extra[a * n + b], Some(other.value));
                    }
                }
                RackFeedLoad {
                    feed: f.value,
                    normal: VoltAmperes::new(normal[a]),
                    worst: VoltAmperes::new(normal[a] + worst.0),
                    scenario: worst.1,
                    capacity: self.capacity(Supply::Feed(f.value)),
                }
            })
            .collect()
    }

    /// The rack's feed closest to its limit in its worst case, for the
    /// elevation's power bar and hover: the feed, the other feed whose
    /// failure gives that load (None: normal operation), the load, the
    /// capacity.
    pub fn rack_worst(&self, rack: RackId) -> Option<RackWorst> {
        self.rack_feeds(rack)
            .into_iter()
            .filter_map(|l| {
                let c = l.capacity?;
                Some(RackWorst {
                    feed: l.feed,
                    scenario: l.scenario,
                    load: l.worst,
                    capacity: c.va,
                    continuous: c.continuous,
                })
            })
            .fold(None, |best: Option<RackWorst>, l| match best {
                Some(b) if b.share() >= l.share() - 1e-12 => Some(b),
                _ => Some(l),
            })
    }
}

/// What one feed of a rack carries for that rack.
#[derive(Debug, Clone, Copy)]
pub struct RackFeedLoad {
    pub feed: FeedId,
    pub normal: VoltAmperes,
    pub worst: VoltAmperes,
    /// The other feed of the rack whose failure gives `worst`; None when
    /// normal operation is the worst.
    pub scenario: Option<FeedId>,
    pub capacity: Option<Capacity>,
}

/// A rack's worst feed, for drawings and hover.
#[derive(Debug, Clone, Copy)]
pub struct RackWorst {
    pub feed: FeedId,
    pub scenario: Option<FeedId>,
    pub load: VoltAmperes,
    pub capacity: VoltAmperes,
    /// The continuous-load share (0.8, or the feed's `rated`).
    pub continuous: f64,
}

impl RackWorst {
    pub fn share(&self) -> f64 {
        self.load / self.capacity
    }
}

/// The devices of a rack (other than `pdu`) that state no draw: the rack's
/// power figures leave them out and are a lower bound.
pub fn missing_draws(p: &Project, rack: RackId) -> Vec<DeviceId> {
    p.racks[rack.index()]
        .devices
        .iter()
        .copied()
        .filter(|&d| {
            let dev = &p.devices[d.index()];
            dev.props.draw.is_none() && dev.kind != crate::model::DeviceKind::Pdu
        })
        .collect()
}
