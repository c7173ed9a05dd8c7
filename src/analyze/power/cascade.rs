//! The overload cascade of `topo impact`: the named elements fail, their
//! load moves onto the feeds and sources that survive, and every survivor
//! now carrying above 100 % of its capacity trips, which moves load again.
//!
//! What the named elements take off the power tree: a named feed or source
//! fails with everything that draws from it; a named site fails its feeds
//! and sources too; devices down (named, in a named rack, site or fault
//! domain) draw nothing.
//!
//! Trip order, downstream before upstream, as breakers are coordinated: in
//! each round every overloaded feed trips; only when no feed is overloaded
//! do the overloaded sources trip, and of those only the ones with no
//! overloaded source below them (the lower source trips first, and its
//! tripping may unload the one above). The loads are then computed again,
//! and a round that trips nothing ends the cascade (it ends after at most
//! as many rounds as there are feeds and sources, each round tripping one).
//!
//! A node trips only when load moved onto it: one already above its
//! capacity with nothing failed is `power-capacity`'s error, and not
//! something the named failure causes.

use super::{Capacity, PowerModel, Supply};
use crate::analyze::failure::Candidate;
use crate::model::units::VoltAmperes;
use crate::model::{Member, Project};

/// A feed or source that trips in the cascade.
#[derive(Debug, Clone)]
pub struct Trip {
    pub supply: Supply,
    /// The load it carried when it tripped.
    pub load: VoltAmperes,
    pub capacity: Capacity,
    /// `load` ÷ capacity, as a percentage.
    pub percent: f64,
    /// The round it tripped in, from 1.
    pub round: usize,
    /// What had failed before: the named elements, then the trips of the
    /// earlier rounds, in order.
    pub after: Vec<Candidate>,
    /// How many of `after` are named (the rest tripped).
    pub named: usize,
}

impl Trip {
    pub fn candidate(&self) -> Candidate {
        supply_candidate(self.supply)
    }
}

pub fn supply_candidate(s: Supply) -> Candidate {
    match s {
        Supply::Feed(f) => Candidate::Feed(f),
        Supply::Source(x) => Candidate::Power(x),
    }
}

/// The trips that follow the failure of `named` together, round by round.
pub fn cascade(model: &PowerModel, named: &[Candidate]) -> Vec<Trip> {
    let (mut failed, off) = taken_off(model, named);
    let mut trips: Vec<Trip> = Vec::new();
    let mut after: Vec<Candidate> = Vec::new();
    for &c in named {
        if !after.contains(&c) {
            after.push(c);
        }
    }
    let named_count = after.len();
    for round in 1..=model.nodes() {
        let load = model.loads(&failed, Some(&off));
        let down = model.down(&failed);
        let over: Vec<(usize, Capacity)> = (0..model.nodes())
            .filter(|&n| !down[n])
            .filter_map(|n| {
                let s = model.supply(n);
                let c = model.capacity(s)?;
                let moved = load[n] > model.normal(s).get() + 1e-6;
                (moved && load[n] > c.va.get() * (1.0 + 1e-12)).then_some((n, c))
            })
            .collect();
        let is_feed = |n: usize| matches!(model.supply(n), Supply::Feed(_));
        let mut now: Vec<(usize, Capacity)> =
            over.iter().copied().filter(|&(n, _)| is_feed(n)).collect();
        if now.is_empty() {
            // Sources with an overloaded source below them wait for it.
            let below = |n: usize| {
                over.iter()
                    .any(|&(m, _)| m != n && model.up(m).skip(1).any(|u| u == n))
            };
            now = over.iter().copied().filter(|&(n, _)| !below(n)).collect();
        }
        if now.is_empty() {
            break;
        }
        for &(n, c) in &now {
            trips.push(Trip {
                supply: model.supply(n),
                load: VoltAmperes::new(load[n]),
                capacity: c,
                percent: load[n] / c.va.get() * 100.0,
                round,
                after: after.clone(),
                named: named_count,
            });
            failed.push(n);
        }
        after.extend(now.iter().map(|&(n, _)| supply_candidate(model.supply(n))));
    }
    trips
}

/// The power nodes the named elements fail (feeds, sources, and those of a
/// named site) and the devices that are down and draw nothing.
fn taken_off(model: &PowerModel, named: &[Candidate]) -> (Vec<usize>, Vec<bool>) {
    let p: &Project = model.project();
    let mut failed = Vec::new();
    let mut off = vec![false; p.devices.len()];
    let mut rack_off = vec![false; p.racks.len()];
    for &c in named {
        match c {
            Candidate::Feed(f) => failed.push(model.node(Supply::Feed(f))),
            Candidate::Power(x) => failed.push(model.node(Supply::Source(x))),
            Candidate::Device(d) => off[d.index()] = true,
            Candidate::Rack(r) => rack_off[r.index()] = true,
            Candidate::Site(s) => {
                for (i, f) in p.feeds.iter().enumerate() {
                    if f.site.is_some_and(|x| x.value == s) {
                        failed.push(i);
                    }
                }
                for (i, x) in p.powers.iter().enumerate() {
                    if x.site.is_some_and(|x| x.value == s) {
                        failed.push(p.feeds.len() + i);
                    }
                }
                for (i, d) in p.devices.iter().enumerate() {
                    if d.site == Some(s) {
                        off[i] = true;
                    }
                }
            }
            Candidate::FaultDomain(fd) => {
                for m in &p.fault_domains[fd.index()].members {
                    match m.value {
                        Member::Device(d) => off[d.index()] = true,
                        Member::Rack(r) => rack_off[r.index()] = true,
                        Member::Vm(_) => {}
                    }
                }
            }
            // A vm draws nothing of its own.
            Candidate::Vm(_) => {}
        }
    }
    for (r, _) in rack_off.iter().enumerate().filter(|(_, &o)| o) {
        for d in &p.racks[r].devices {
            off[d.index()] = true;
        }
    }
    (failed, off)
}
