//! The cabling between devices: which candidates cut every network path
//! between two sets of instances (the instances of consecutive flow hops,
//! or a host and the storage device its service keeps its data on).
//!
//! ## What a path is
//! The link rules of the reference ("Network links"):
//! - Ethernet and Fibre Channel are separate networks. The graph has two
//!   layers, one node per device in each; an Ethernet cable joins the
//!   devices' Ethernet nodes, a Fibre Channel cable their Fibre Channel
//!   nodes, and nothing joins the layers. A path lies in one layer. Flow
//!   hops search the Ethernet layer only; a storage dependency starts in
//!   both layers at once (over either network).
//! - Only `switch`, `router`, `firewall` and `lb` forward. Any other device
//!   may start or end a path but is never crossed: a search never expands a
//!   non-forwarding device that is not one of its own ends, so a
//!   dual-homed server does not bridge two switches.
//!
//! ## Which candidates cut every path
//! A candidate cuts a pair when, with everything it kills removed, no path
//! is left. We answer it with a *witness-path* scheme rather than
//! dominators, because a candidate is not one vertex: a rack, a feed or a
//! site kills a set of devices (and a vm moves to its failover host), so a
//! cut is a set of vertices per candidate, which vertex dominators do not
//! see. The scheme, per pair of instance sets:
//! 1. find one path P (bidirectional breadth-first search from both sets);
//! 2. only a candidate that kills a device on P, or an end instance of P,
//!    can cut the pair: the *suspects*, at most |P| × (kill-set size);
//! 3. search a second path avoiding every device any suspect kills: when
//!    it exists, no single failure cuts the pair (the common, redundant
//!    case: two searches);
//! 4. otherwise test each suspect alone with one search.
//!
//! Why it stays near-linear: the transit rule and the two layers only
//! restrict which nodes a search expands (a node is expanded at most once
//! per search), so every search stays O(V + E) of the layer it runs in,
//! and bidirectional search with the smaller front expanded first touches
//! a handful of switches in a healthy fabric. P is a shortest path, short
//! in a data centre (server, leaf, spine, leaf, server), and a kill set
//! holds a device's few containers (rack, feeds, site, fault domain), so
//! step 4 runs a bounded number of searches. Results are cached per pair
//! of services (and per host and storage device), so the whole model never
//! runs again per candidate.

use super::candidates::{kills, union, Kill, Numbering};
use super::{Candidate, Instance};
use crate::model::{DeviceId, DeviceKind, Host, LinkMedium, Project};

/// Which networks a path may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Media {
    /// Requests between services, name resolution, replication.
    Ethernet,
    /// A `storage` dependency: Ethernet or Fibre Channel.
    Either,
}

/// What the path searches need from the kill sets computed so far.
pub(super) struct Base<'a> {
    pub numbering: Numbering,
    pub device_kill: &'a [Kill],
    /// Each vm's host and failover host.
    pub vm_hosts: &'a [(Option<DeviceId>, Option<DeviceId>)],
}

/// Whether a device forwards traffic between its links.
pub fn forwards(kind: DeviceKind) -> bool {
    matches!(
        kind,
        DeviceKind::Switch | DeviceKind::Router | DeviceKind::Firewall | DeviceKind::Lb
    )
}

/// The serving instances of a hop, indexed by the node each is cabled
/// through, so that many instances of the next hop can each search back to
/// the nearest one without walking the whole list per search.
pub(super) struct Sources {
    by_node: std::collections::HashMap<u32, Vec<Source>>,
    /// Sources on vms with a failover host, which move when their host
    /// fails.
    movable: Vec<Source>,
}

#[derive(Clone)]
struct Source {
    /// What stops the instance serving (not counting where it is cabled).
    kill: Kill,
    /// The same, with what kills the device it is cabled through.
    at_kill: Kill,
    /// For a vm: its host and failover host.
    vm: Option<(DeviceId, DeviceId)>,
}

impl Sources {
    pub(super) fn new(net: &Network, base: &Base, set: &[Instance], media: Media) -> Sources {
        let mut by_node: std::collections::HashMap<u32, Vec<Source>> =
            std::collections::HashMap::new();
        let mut movable = Vec::new();
        for i in set.iter().filter(|i| i.up) {
            let Some(device) = attachment(base, i.host, None) else {
                continue;
            };
            let vm = match i.host {
                Host::Vm(v) => match base.vm_hosts[v.index()] {
                    (Some(h), Some(f)) => Some((h, f)),
                    _ => None,
                },
                Host::Device(_) => None,
            };
            let source = Source {
                kill: i.kill.clone(),
                at_kill: union(&i.kill, &base.device_kill[device.index()]),
                vm,
            };
            if vm.is_some() {
                movable.push(source.clone());
            }
            for node in net.nodes(&[device.0], media) {
                by_node.entry(node).or_default().push(source.clone());
            }
        }
        Sources { by_node, movable }
    }
}

/// Whether a vm source is moved to its failover host by candidate `c`.
fn moved(base: &Base, s: &Source, c: u32) -> bool {
    s.vm.is_some_and(|(host, _)| kills(&base.device_kill[host.index()], c))
}

/// The cabling between devices, for paths between instances.
pub(super) struct Network {
    devices: usize,
    /// Node `d` is device `d` on Ethernet, node `devices + d` on Fibre
    /// Channel. Node `n`'s neighbours, sorted and without repeats, are
    /// `neighbours[offsets[n]..offsets[n + 1]]`: two allocations for a data
    /// centre's quarter of a million links instead of one per node.
    offsets: Vec<u32>,
    neighbours: Vec<u32>,
    forwards: Vec<bool>,
    /// Scratch space reused by every search.
    search: std::cell::RefCell<Search>,
    /// Marks the candidates under suspicion for the current pair.
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

impl Search {
    /// A fresh search: marks of earlier ones no longer count.
    fn next_generation(&mut self) -> u32 {
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            self.seen_from.iter_mut().for_each(|x| *x = 0);
            self.seen_to.iter_mut().for_each(|x| *x = 0);
            self.generation = 1;
        }
        self.generation
    }
}

/// An end of a pair: an instance at a device, with what kills it there.
struct End {
    device: u32,
    kill: Kill,
}

impl Network {
    pub(super) fn new(p: &Project, candidates: usize) -> Network {
        let devices = p.devices.len();
        let nodes = devices * 2;
        let ends = |l: &crate::model::Link| {
            let layer = match l.medium(p) {
                LinkMedium::Ethernet => 0,
                LinkMedium::FibreChannel => devices as u32,
            };
            (l.from.device.0 + layer, l.to.device.0 + layer)
        };
        let mut offsets = vec![0u32; nodes + 1];
        for l in &p.links {
            let (a, b) = ends(l);
            offsets[a as usize + 1] += 1;
            offsets[b as usize + 1] += 1;
        }
        for i in 0..nodes {
            offsets[i + 1] += offsets[i];
        }
        let mut fill = offsets.clone();
        let mut neighbours = vec![0u32; offsets[nodes] as usize];
        for l in &p.links {
            let (a, b) = ends(l);
            neighbours[fill[a as usize] as usize] = b;
            fill[a as usize] += 1;
            neighbours[fill[b as usize] as usize] = a;
            fill[b as usize] += 1;
        }
        // Sort each node's list and drop repeats, compacting in place.
        let mut kept = 0usize;
        for i in 0..nodes {
            let (start, end) = (offsets[i] as usize, offsets[i + 1] as usize);
            neighbours[start..end].sort_unstable();
            offsets[i] = kept as u32;
            for j in start..end {
                if j == start || neighbours[j] != neighbours[j - 1] {
                    neighbours[kept] = neighbours[j];
                    kept += 1;
                }
            }
        }
        offsets[nodes] = kept as u32;
        neighbours.truncate(kept);
        Network {
            devices,
            offsets,
            neighbours,
            forwards: p.devices.iter().map(|d| forwards(d.kind)).collect(),
            search: std::cell::RefCell::new(Search {
                generation: 0,
                seen_from: vec![0; nodes],
                seen_to: vec![0; nodes],
                parent_from: vec![NONE; nodes],
                parent_to: vec![NONE; nodes],
            }),
            suspect: std::cell::RefCell::new(vec![false; candidates]),
        }
    }

    /// The devices an endpoint is cabled to on Ethernet, and whether it
    /// forwards: instances on endpoints with the same neighbours are cut
    /// off by the same failures.
    pub(super) fn neighbours(&self, device: DeviceId) -> (&[u32], bool) {
        (self.adjacent(device.0), self.forwards[device.index()])
    }

    /// A node's neighbours.
    fn adjacent(&self, node: u32) -> &[u32] {
        let n = node as usize;
        &self.neighbours[self.offsets[n] as usize..self.offsets[n + 1] as usize]
    }

    fn device(&self, node: u32) -> u32 {
        node % self.devices as u32
    }

    /// The nodes a device starts or ends a path at.
    fn nodes(&self, devices: &[u32], media: Media) -> Vec<u32> {
        let mut out: Vec<u32> = devices.to_vec();
        if media == Media::Either {
            out.extend(devices.iter().map(|&d| d + self.devices as u32));
        }
        out
    }

    /// Whether some up instance of `from` reaches some up instance of `to`
    /// with nothing failed.
    pub(super) fn connects(
        &self,
        base: &Base,
        from: &[Instance],
        to: &[Instance],
        media: Media,
    ) -> bool {
        let devices = |set: &[Instance]| -> Vec<u32> {
            let devices: Vec<u32> = set
                .iter()
                .filter(|i| i.up)
                .filter_map(|i| attachment(base, i.host, None).map(|d| d.0))
                .collect();
            self.nodes(&devices, media)
        };
        self.connect(&devices(from), &devices(to), |_| false)
            .is_some()
    }

    /// The candidates that cut every path between the up instances of
    /// `from` and those of `to`; `None` when there is no path with nothing
    /// failed.
    pub(super) fn pair_kill(
        &self,
        base: &Base,
        from: &[Instance],
        to: &[Instance],
        media: Media,
    ) -> Option<Kill> {
        let ends = |set: &[Instance]| -> Vec<End> {
            set.iter()
                .filter(|i| i.up)
                .filter_map(|i| {
                    let device = attachment(base, i.host, None)?;
                    Some(End {
                        device: device.0,
                        kill: union(&i.kill, &base.device_kill[device.index()]),
                    })
                })
                .collect()
        };
        let (a, b) = (ends(from), ends(to));
        let sources: Vec<u32> = a.iter().map(|e| e.device).collect();
        let targets: Vec<u32> = b.iter().map(|e| e.device).collect();
        let path = self.connect(
            &self.nodes(&sources, media),
            &self.nodes(&targets, media),
            |_| false,
        )?;
        let path: Vec<u32> = path.iter().map(|&n| self.device(n)).collect();
        // Only candidates that kill something on this path can cut the pair.
        let (first, last) = (path[0], *path.last().expect("a path has devices"));
        let mut suspects: Kill = Vec::new();
        for &d in &path {
            suspects = union(&suspects, &base.device_kill[d as usize]);
        }
        let end_kill = |ends: &[End], device: u32| {
            ends.iter()
                .find(|e| e.device == device)
                .map(|e| e.kill.clone())
        };
        suspects = union(&suspects, &end_kill(&a, first).unwrap_or_default());
        suspects = union(&suspects, &end_kill(&b, last).unwrap_or_default());
        self.mark(&suspects, true);
        let clear = |k: &[u32]| self.clear(k);
        let safe = |ends: &[End]| -> Vec<u32> {
            ends.iter()
                .filter(|e| clear(&e.kill))
                .map(|e| e.device)
                .collect()
        };
        let (safe_sources, safe_targets) = (safe(&a), safe(&b));
        let second = self.connect(
            &self.nodes(&safe_sources, media),
            &self.nodes(&safe_targets, media),
            |n| !clear(&base.device_kill[self.device(n) as usize]),
        );
        self.mark(&suspects, false);
        if second.is_some() {
            return Some(Vec::new());
        }
        // No second path: try each suspect alone.
        let mut cut = Vec::new();
        for &c in &suspects {
            let candidate = base.numbering.candidate(c);
            let alive = |set: &[Instance]| -> Vec<u32> {
                let devices: Vec<u32> = set
                    .iter()
                    .filter(|i| i.up && !kills(&i.kill, c))
                    .filter_map(|i| attachment(base, i.host, Some(candidate)).map(|d| d.0))
                    .collect();
                self.nodes(&devices, media)
            };
            let (s, t) = (alive(from), alive(to));
            if self
                .connect(&s, &t, |n| {
                    kills(&base.device_kill[self.device(n) as usize], c)
                })
                .is_none()
            {
                cut.push(c);
            }
        }
        Some(cut)
    }

    /// The candidates that cut an instance off from every one of
    /// `sources`; `None` when no source reaches it with nothing failed.
    /// The same witness-path scheme as [`Network::pair_kill`], searching
    /// back from the one target until it meets a source, so its cost does
    /// not grow with the number of sources.
    pub(super) fn reach_kill(
        &self,
        base: &Base,
        sources: &Sources,
        target: &Instance,
        media: Media,
    ) -> Option<Kill> {
        if !target.up {
            return None;
        }
        let at = attachment(base, target.host, None)?;
        let target_kill = union(&target.kill, &base.device_kill[at.index()]);
        let starts = self.nodes(&[at.0], media);
        let any = |n: u32| sources.by_node.get(&n).is_some_and(|v| !v.is_empty());
        let path = self.search_back(&starts, any, |_| false)?;
        let last = *path.last().expect("a path has nodes");
        let mut suspects = union(&target_kill, &sources.by_node[&last][0].at_kill);
        for &n in &path {
            suspects = union(&suspects, &base.device_kill[self.device(n) as usize]);
        }
        self.mark(&suspects, true);
        let clear = |k: &[u32]| self.clear(k);
        let second = clear(&target_kill)
            .then(|| {
                self.search_back(
                    &starts,
                    |n| {
                        sources
                            .by_node
                            .get(&n)
                            .is_some_and(|v| v.iter().any(|s| clear(&s.at_kill)))
                    },
                    |n| !clear(&base.device_kill[self.device(n) as usize]),
                )
            })
            .flatten();
        self.mark(&suspects, false);
        if second.is_some() {
            return Some(Vec::new());
        }
        // No second path: try each suspect alone.
        let mut cut = Vec::new();
        for &c in &suspects {
            if kills(&target.kill, c) {
                cut.push(c);
                continue;
            }
            let candidate = base.numbering.candidate(c);
            let Some(at) = attachment(base, target.host, Some(candidate)) else {
                cut.push(c);
                continue;
            };
            // vms whose host `c` takes down serve from their failover host.
            let mut moved_to: Vec<u32> = Vec::new();
            for s in &sources.movable {
                if let (Some((_, failover)), false) = (s.vm, kills(&s.kill, c)) {
                    if moved(base, s, c) {
                        moved_to.extend(self.nodes(&[failover.0], media));
                    }
                }
            }
            let found = self.search_back(
                &self.nodes(&[at.0], media),
                |n| {
                    moved_to.contains(&n)
                        || sources.by_node.get(&n).is_some_and(|v| {
                            v.iter().any(|s| !kills(&s.kill, c) && !moved(base, s, c))
                        })
                },
                |n| kills(&base.device_kill[self.device(n) as usize], c),
            );
            if found.is_none() {
                cut.push(c);
            }
        }
        Some(cut)
    }

    /// Marks (or unmarks) the candidates under suspicion for one search.
    fn mark(&self, suspects: &[u32], on: bool) {
        let mut mark = self.suspect.borrow_mut();
        for &c in suspects {
            mark[c as usize] = on;
        }
    }

    /// Whether no candidate of a kill set is under suspicion.
    fn clear(&self, kill: &[u32]) -> bool {
        let mark = self.suspect.borrow();
        !kill.iter().any(|&c| mark[c as usize])
    }

    /// A path of nodes from a start to the nearest node where `is_source`
    /// holds, avoiding blocked devices, by breadth-first search from the
    /// starts. A device that does not forward ends the search as a source
    /// and is never crossed.
    fn search_back(
        &self,
        starts: &[u32],
        is_source: impl Fn(u32) -> bool,
        blocked: impl Fn(u32) -> bool,
    ) -> Option<Vec<u32>> {
        let mut s = self.search.borrow_mut();
        let generation = s.next_generation();
        let mut front: Vec<u32> = Vec::new();
        for &d in starts {
            if blocked(d) || s.seen_to[d as usize] == generation {
                continue;
            }
            s.seen_to[d as usize] = generation;
            s.parent_to[d as usize] = NONE;
            if is_source(d) {
                return Some(vec![d]);
            }
            front.push(d);
        }
        let path_to = |s: &Search, end: u32| {
            let mut path = Vec::new();
            let mut d = end;
            while d != NONE {
                path.push(d);
                d = s.parent_to[d as usize];
            }
            path.reverse();
            path
        };
        // The starts, then only forwarding devices, carry the search on.
        while !front.is_empty() {
            let mut next = Vec::new();
            for &d in &front {
                for &n in self.adjacent(d) {
                    if s.seen_to[n as usize] == generation || blocked(n) {
                        continue;
                    }
                    s.seen_to[n as usize] = generation;
                    s.parent_to[n as usize] = d;
                    if is_source(n) {
                        return Some(path_to(&s, n));
                    }
                    if self.forwards[self.device(n) as usize] {
                        next.push(n);
                    }
                }
            }
            front = next;
        }
        None
    }

    /// A path of nodes from any source to any target avoiding blocked
    /// devices, searched from both ends at once. A device that does not
    /// forward is entered only as an end of the search.
    fn connect(
        &self,
        sources: &[u32],
        targets: &[u32],
        blocked: impl Fn(u32) -> bool,
    ) -> Option<Vec<u32>> {
        let mut s = self.search.borrow_mut();
        let generation = s.next_generation();
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
            let degree =
                |front: &[u32]| front.iter().map(|&d| self.adjacent(d).len()).sum::<usize>();
            let forward = degree(&front_a) <= degree(&front_b);
            let mut next = Vec::new();
            let front = if forward { &front_a } else { &front_b };
            for &d in front {
                for &n in self.adjacent(d) {
                    let n_us = n as usize;
                    let transit = self.forwards[self.device(n) as usize];
                    if forward {
                        if s.seen_from[n_us] == generation || blocked(n) {
                            continue;
                        }
                        // An endpoint is entered only where the path ends.
                        if !transit && s.seen_to[n_us] != generation {
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
                        if !transit && s.seen_from[n_us] != generation {
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

/// The path through the meeting node, from a source to a target.
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
fn attachment(base: &Base, host: Host, failed: Option<Candidate>) -> Option<DeviceId> {
    match host {
        Host::Device(d) => Some(d),
        Host::Vm(v) => {
            let (on_host, failover) = base.vm_hosts[v.index()];
            let on_host = on_host?;
            match (failed, failover) {
                (Some(c), Some(other))
                    if kills(&base.device_kill[on_host.index()], base.numbering.id(c)) =>
                {
                    Some(other)
                }
                _ => Some(on_host),
            }
        }
    }
}
