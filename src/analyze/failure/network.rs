//! The cabling between devices: which candidates cut every network path
//! between the instances of two consecutive hops.

use super::candidates::{kills, union, Kill};
use super::{Candidate, Failures, Instance};
use crate::model::{DeviceId, Host, Project};

/// The cabling between devices, for paths between hop instances.
pub(super) struct Network {
    adjacency: Vec<Vec<u32>>,
    /// The connected component of each device: pairs in different
    /// components are unreachable without a search.
    component: Vec<u32>,
    /// Scratch space reused by every search.
    search: std::cell::RefCell<Search>,
    /// Marks the candidates under suspicion for the current hop pair.
    suspect: std::cell::RefCell<Vec<bool>>,
}

#[derive(Default)]
struct Search {
    generation: u32,
    seen_from: Vec<u32>,
    seen_to: Vec<u32>,
    parent_from: Vec<u32>,
    parent_to: Vec<u32>,
}

const NONE: u32 = u32::MAX;

/// An end of a hop pair: an instance at a device, with what kills it there.
struct End {
    device: u32,
    kill: Kill,
}

impl Network {
    pub(super) fn new(p: &Project, candidates: usize) -> Network {
        let mut adjacency = vec![Vec::new(); p.devices.len()];
        for l in &p.links {
            let (a, b) = (l.from.value.device.0, l.to.value.device.0);
            adjacency[a as usize].push(b);
            adjacency[b as usize].push(a);
        }
        for list in &mut adjacency {
            list.sort_unstable();
            list.dedup();
        }
        let devices = p.devices.len();
        let mut component = vec![NONE; devices];
        let mut stack = Vec::new();
        for start in 0..devices {
            if component[start] != NONE {
                continue;
            }
            component[start] = start as u32;
            stack.push(start as u32);
            while let Some(d) = stack.pop() {
                for &n in &adjacency[d as usize] {
                    if component[n as usize] == NONE {
                        component[n as usize] = start as u32;
                        stack.push(n);
                    }
                }
            }
        }
        Network {
            component,
            adjacency,
            search: std::cell::RefCell::new(Search {
                generation: 0,
                seen_from: vec![0; devices],
                seen_to: vec![0; devices],
                parent_from: vec![NONE; devices],
                parent_to: vec![NONE; devices],
            }),
            suspect: std::cell::RefCell::new(vec![false; candidates]),
        }
    }

    /// The candidates that cut every path between the instances of two
    /// consecutive hops; `None` when there is no path with nothing failed.
    pub(super) fn pair_kill(
        &self,
        f: &Failures,
        from: &[Instance],
        to: &[Instance],
    ) -> Option<Kill> {
        let ends = |set: &[Instance]| -> Vec<End> {
            set.iter()
                .filter_map(|i| {
                    let device = attachment(f, i.host, None)?;
                    Some(End {
                        device: device.0,
                        kill: union(&i.kill, &f.device_kill[device.index()]),
                    })
                })
                .collect()
        };
        let (a, b) = (ends(from), ends(to));
        let sources: Vec<u32> = a.iter().map(|e| e.device).collect();
        let targets: Vec<u32> = b.iter().map(|e| e.device).collect();
        let reachable: std::collections::HashSet<u32> = sources
            .iter()
            .map(|&d| self.component[d as usize])
            .collect();
        if !targets
            .iter()
            .any(|&d| reachable.contains(&self.component[d as usize]))
        {
            return None;
        }
        let path = self.connect(&sources, &targets, |_| false)?;
        // Only candidates that kill something on this path can cut the pair.
        let (first, last) = (path[0], *path.last().expect("a path has devices"));
        let mut suspects: Kill = Vec::new();
        for &d in &path {
            suspects = union(&suspects, &f.device_kill[d as usize]);
        }
        let end_kill = |ends: &[End], device: u32| {
            ends.iter()
                .find(|e| e.device == device)
                .map(|e| e.kill.clone())
        };
        suspects = union(&suspects, &end_kill(&a, first).unwrap_or_default());
        suspects = union(&suspects, &end_kill(&b, last).unwrap_or_default());
        {
            let mut mark = self.suspect.borrow_mut();
            for &c in &suspects {
                mark[c as usize] = true;
            }
        }
        let clear = |k: &[u32]| {
            let mark = self.suspect.borrow();
            !k.iter().any(|&c| mark[c as usize])
        };
        let safe_sources: Vec<u32> = a
            .iter()
            .filter(|e| clear(&e.kill))
            .map(|e| e.device)
            .collect();
        let safe_targets: Vec<u32> = b
            .iter()
            .filter(|e| clear(&e.kill))
            .map(|e| e.device)
            .collect();
        let second = self.connect(&safe_sources, &safe_targets, |d| {
            !clear(&f.device_kill[d as usize])
        });
        {
            let mut mark = self.suspect.borrow_mut();
            for &c in &suspects {
                mark[c as usize] = false;
            }
        }
        if second.is_some() {
            return Some(Vec::new());
        }
        // No second path: try each suspect alone.
        let mut cut = Vec::new();
        for &c in &suspects {
            let candidate = f.numbering.candidate(c);
            let alive = |set: &[Instance]| -> Vec<u32> {
                set.iter()
                    .filter(|i| !kills(&i.kill, c))
                    .filter_map(|i| attachment(f, i.host, Some(candidate)).map(|d| d.0))
                    .collect()
            };
            let (s, t) = (alive(from), alive(to));
            if self
                .connect(&s, &t, |d| kills(&f.device_kill[d as usize], c))
                .is_none()
            {
                cut.push(c);
            }
        }
        Some(cut)
    }

    /// A path of devices from any source to any target avoiding blocked
    /// devices, searched from both ends at once.
    fn connect(
        &self,
        sources: &[u32],
        targets: &[u32],
        blocked: impl Fn(u32) -> bool,
    ) -> Option<Vec<u32>> {
        let mut s = self.search.borrow_mut();
        s.generation = s.generation.wrapping_add(1);
        if s.generation == 0 {
            s.seen_from.iter_mut().for_each(|x| *x = 0);
            s.seen_to.iter_mut().for_each(|x| *x = 0);
            s.generation = 1;
        }
        let generation = s.generation;
        let mut front_a: Vec<u32> = Vec::new();
        let mut front_b: Vec<u32> = Vec::new();
        for &d in sources {
            if !blocked(d) && s.seen_from[d as usize] != generation {
                s.seen_from[d as usize] = generation;
                s.parent_from[d as usize] = NONE;
                front_a.push(d);
            }
        }
        for &d in targets {
            if blocked(d) || s.seen_to[d as usize] == generation {
                continue;
            }
            s.seen_to[d as usize] = generation;
            s.parent_to[d as usize] = NONE;
            if s.seen_from[d as usize] == generation {
                return Some(vec![d]);
            }
            front_b.push(d);
        }
        while !front_a.is_empty() && !front_b.is_empty() {
            let degree = |front: &[u32]| {
                front
                    .iter()
                    .map(|&d| self.adjacency[d as usize].len())
                    .sum::<usize>()
            };
            let forward = degree(&front_a) <= degree(&front_b);
            let mut next = Vec::new();
            let front = if forward { &front_a } else { &front_b };
            for &d in front {
                for &n in &self.adjacency[d as usize] {
                    let n_us = n as usize;
                    if forward {
                        if s.seen_from[n_us] == generation || blocked(n) {
                            continue;
                        }
                        s.seen_from[n_us] = generation;
                        s.parent_from[n_us] = d;
                        if s.seen_to[n_us] == generation {
                            return Some(join(&s, n));
                        }
                    } else {
                        if s.seen_to[n_us] == generation || blocked(n) {
                            continue;
                        }
                        s.seen_to[n_us] = generation;
                        s.parent_to[n_us] = d;
                        if s.seen_from[n_us] == generation {
                            return Some(join(&s, n));
                        }
                    }
                    next.push(n);
                }
            }
            if forward {
                front_a = next;
            } else {
                front_b = next;
            }
        }
        None
    }
}

/// The path through the meeting device, from a source to a target.
fn join(s: &Search, meet: u32) -> Vec<u32> {
    let mut path = Vec::new();
    let mut d = meet;
    while d != NONE {
        path.push(d);
        d = s.parent_from[d as usize];
    }
    path.reverse();
    let mut d = s.parent_to[meet as usize];
    while d != NONE {
        path.push(d);
        d = s.parent_to[d as usize];
    }
    path
}

/// The device an instance is cabled through: its host, or for a vm whose
/// host the failed candidate kills, its failover host.
fn attachment(f: &Failures, host: Host, failed: Option<Candidate>) -> Option<DeviceId> {
    match host {
        Host::Device(d) => Some(d),
        Host::Vm(v) => {
            let (on_host, failover) = f.vm_hosts[v.index()];
            let on_host = on_host?;
            match (failed, failover) {
                (Some(c), Some(other)) if f.device_fails_with(on_host, c) => Some(other),
                _ => Some(on_host),
            }
        }
    }
}
