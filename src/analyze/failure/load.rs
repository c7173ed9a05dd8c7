//! A service's load and serving capacity, one definition for the failure
//! model (how many instances a hop needs) and the capacity rules
//! (`overload`, `capacity-n1`, `dr-capacity`) and `topo impact`.
//!
//! The load is the service's `load` when given, else the sum of the rps
//! `rate`s of the flows through it. A flow counts once for every time one
//! of its paths passes through the service: each pass is a request the
//! service serves (`web -> auth -> web` makes `web` serve twice per
//! request), and a flow's paths are each requests of it (a page whose two
//! paths both reach `web` makes two requests of it). Bandwidth rates are
//! not requests and do not count.
//!
//! The serving capacity is `capacity` × the instances that serve: for
//! `ha active-standby` only the active member, one; for a sharded service
//! each shard (host j holds shard j mod N) carries its weight of the load
//! on its own instances.

use super::groups::shards;
use crate::model::units::FlowRate;
use crate::model::{FlowId, HaMode, Hop, Project, ServiceId};

/// Where a service's load comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct Load {
    /// Requests per second.
    pub rps: f64,
    /// Declared with `load`.
    pub declared: bool,
    /// Otherwise: each flow through the service with the rps it brings
    /// (its rate times the passes through the service), in flow order.
    pub flows: Vec<(FlowId, f64)>,
}

/// Every service's load (`None`: no `load` and no rps flow through it),
/// in one pass over the flows; and the services whose flows' rates are too
/// large to add up. Those have no load: an infinite one would be compared
/// and printed by every capacity rule, and `overload` reports the overflow
/// itself as an `invalid-value`.
pub fn loads(p: &Project) -> (Vec<Option<Load>>, Vec<ServiceId>) {
    let mut out: Vec<Option<Load>> = p
        .services
        .iter()
        .map(|s| {
            s.load.map(|l| Load {
                rps: l.value.get(),
                declared: true,
                flows: Vec::new(),
            })
        })
        .collect();
    for (fi, f) in p.flows.iter().enumerate() {
        let Some(FlowRate::Requests(rate)) = f.rate.map(|r| r.value) else {
            continue;
        };
        let rate = rate.get();
        let mut passes: Vec<(ServiceId, usize)> = Vec::new();
        for hop in f.paths.iter().flatten() {
            if let Hop::Service(s) = hop.value {
                match passes.iter_mut().find(|(x, _)| *x == s) {
                    Some((_, n)) => *n += 1,
                    None => passes.push((s, 1)),
                }
            }
        }
        for (s, n) in passes {
            let slot = &mut out[s.index()];
            if slot.as_ref().is_some_and(|l| l.declared) {
                continue;
            }
            let l = slot.get_or_insert_with(|| Load {
                rps: 0.0,
                declared: false,
                flows: Vec::new(),
            });
            l.rps += rate * n as f64;
            l.flows.push((FlowId(fi as u32), rate * n as f64));
        }
    }
    let mut overflowed = Vec::new();
    for (i, slot) in out.iter_mut().enumerate() {
        if slot.as_ref().is_some_and(|l| !l.rps.is_finite()) {
            *slot = None;
            overflowed.push(ServiceId(i as u32));
        }
    }
    (out, overflowed)
}

/// One shard of a service (or the whole service): its share of the load
/// and the instances that serve it.
#[derive(Debug, Clone, PartialEq)]
pub struct Serving {
    /// `None` for a service that is not sharded.
    pub shard: Option<usize>,
    /// The shard's weight as a fraction (1 for the whole service).
    pub share: f64,
    /// The shard's load in rps: share × the service's load.
    pub load: f64,
    /// Indexes (into the service's hosts) of the shard's instances.
    pub members: Vec<usize>,
    /// Members up.
    pub up: usize,
    /// Members that serve: those up, at most one for active-standby.
    pub serving: usize,
    /// Per-instance capacity in rps.
    pub capacity: f64,
}

impl Serving {
    /// `capacity` × serving instances.
    pub fn total(&self) -> f64 {
        self.capacity * self.serving as f64
    }

    /// Instances that serve once one of those up is lost: for
    /// active-standby the standby takes over while one is left.
    pub fn after_one_lost(&self) -> usize {
        let left = self.up.saturating_sub(1);
        if self.serving < self.up {
            left.min(self.serving)
        } else {
            left
        }
    }

    /// Whether the load exceeds the serving capacity with everything up.
    pub fn overloaded(&self) -> bool {
        self.load > self.total() * (1.0 + 1e-9)
    }
}

/// The shards of a service with their load and serving instances, where
/// `up(j)` says whether instance j is up. `None` without a `capacity` or a
/// load.
pub fn serving(
    p: &Project,
    s: ServiceId,
    load: Option<&Load>,
    mut up: impl FnMut(usize) -> bool,
) -> Option<Vec<Serving>> {
    let service = &p.services[s.index()];
    let capacity = service.capacity?.value.get();
    let load = load?.rps;
    let active_standby = service.ha_is(HaMode::ActiveStandby);
    let weights = service.shard.as_ref().and_then(|x| x.weights.as_ref());
    Some(
        shards(p, s, service.hosts.len())
            .into_iter()
            .map(|(shard, members)| {
                let share = match (shard, weights) {
                    (Some(g), Some(w)) => w.value[g].value.get() / 100.0,
                    _ => 1.0,
                };
                let up = members.iter().filter(|&&m| up(m)).count();
                let serving = if active_standby { up.min(1) } else { up };
                Serving {
                    shard,
                    share,
                    load: share * load,
                    members,
                    up,
                    serving,
                    capacity,
                }
            })
            .collect(),
    )
}

/// Instances a load needs at a per-instance capacity: ⌈load ÷ capacity⌉,
/// or one.
pub fn needed_for(load: f64, capacity: f64) -> usize {
    if capacity <= 0.0 {
        return 1;
    }
    ((load / capacity) - 1e-9).ceil().max(1.0) as usize
}

/// "12.5 %"-style percent with at most one decimal.
pub fn percent(load: f64, capacity: f64) -> f64 {
    if capacity <= 0.0 {
        return f64::INFINITY;
    }
    (load / capacity * 1000.0).round() / 10.0
}

impl super::Failures {
    /// The shards of a service with its own load, served by the instances
    /// up with nothing failed (an instance cut off from its storage never
    /// serves). `None` without a `capacity` or a load.
    pub fn serving_now(&self, p: &Project, s: ServiceId) -> Option<Vec<Serving>> {
        let up = &self.instances[s.index()];
        serving(p, s, self.loads[s.index()].as_ref(), |j| up[j].up)
    }
}
