//! The failure model (LANGUAGE.md §2, "The failure model"): which single
//! failures stop which flows, computed without re-running the model once per
//! element.
//!
//! Every element that can fail is a *candidate*. For each thing that can go
//! down (a device, a vm, a service instance, a service, a flow) we compute its
//! *kill set*: the candidates whose failure alone takes it down. Kill sets
//! combine like the dependencies do: an AND of requirements is the union of
//! their kill sets, an OR of alternatives (any instance, any feed) is their
//! intersection, and "k of n instances" keeps the candidates that take more
//! than n - k of them. Kill sets stay small (a device dies with itself, its
//! rack, a feed, a site), so this is linear in the size of the project.
//!
//! Network paths between consecutive hops are the one part that is not a
//! local AND/OR: a candidate stops a hop pair when the devices it kills cut
//! every path. For each hop pair we find a first path; only candidates that
//! kill something on it can cut the pair. Then we look for a second path
//! avoiding everything those candidates kill: if it exists, no single
//! failure cuts the pair. Only when it does not are the few candidates of
//! the first path checked one by one. Searches run from both ends at once,
//! so in a healthy fabric they touch a handful of switches, not the data
//! centre.

use crate::model::{
    DeviceId, Element, FeedId, FlowId, Hop, Host, Project, RackId, ServiceId, SiteId, VmId,
};
use crate::text::echo;
use std::collections::HashMap;

/// Something whose failure the model considers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Candidate {
    Device(DeviceId),
    Vm(VmId),
    Rack(RackId),
    Feed(FeedId),
    Site(SiteId),
}

impl Candidate {
    pub fn element(self) -> Element {
        match self {
            Candidate::Device(d) => Element::Device(d),
            Candidate::Vm(v) => Element::Vm(v),
            Candidate::Rack(r) => Element::Rack(r),
            Candidate::Feed(f) => Element::Feed(f),
            Candidate::Site(s) => Element::Site(s),
        }
    }

    pub fn of(element: Element) -> Option<Candidate> {
        Some(match element {
            Element::Device(d) => Candidate::Device(d),
            Element::Vm(v) => Candidate::Vm(v),
            Element::Rack(r) => Candidate::Rack(r),
            Element::Feed(f) => Candidate::Feed(f),
            Element::Site(s) => Candidate::Site(s),
            _ => return None,
        })
    }
}

/// Which elements count as candidates.
pub struct Universe {
    devices: Vec<bool>,
    sites: bool,
    extra: Option<Candidate>,
}

impl Universe {
    /// The contract's candidates: every device but `redundant` ones, every
    /// vm, rack and feed, and every site when there is more than one.
    pub fn spof(p: &Project) -> Universe {
        Universe {
            devices: p.devices.iter().map(|d| !d.is_redundant()).collect(),
            sites: p.sites.len() > 1,
            extra: None,
        }
    }

    /// The contract's candidates plus one more (`topo impact` of a
    /// redundant device, or of the only site).
    pub fn with(p: &Project, extra: Candidate) -> Universe {
        Universe {
            extra: Some(extra),
            ..Universe::spof(p)
        }
    }

    fn includes(&self, c: Candidate) -> bool {
        self.extra == Some(c)
            || match c {
                Candidate::Device(d) => self.devices[d.index()],
                Candidate::Site(_) => self.sites,
                _ => true,
            }
    }
}

/// Dense numbering of candidates, so kill sets are small sorted `u32` lists.
#[derive(Clone, Copy)]
struct Numbering {
    vms: u32,
    racks: u32,
    feeds: u32,
    sites: u32,
    total: u32,
}

impl Numbering {
    fn new(p: &Project) -> Numbering {
        let vms = p.devices.len() as u32;
        let racks = vms + p.vms.len() as u32;
        let feeds = racks + p.racks.len() as u32;
        let sites = feeds + p.feeds.len() as u32;
        Numbering {
            vms,
            racks,
            feeds,
            sites,
            total: sites + p.sites.len() as u32,
        }
    }

    fn id(&self, c: Candidate) -> u32 {
        match c {
            Candidate::Device(d) => d.0,
            Candidate::Vm(v) => self.vms + v.0,
            Candidate::Rack(r) => self.racks + r.0,
            Candidate::Feed(f) => self.feeds + f.0,
            Candidate::Site(s) => self.sites + s.0,
        }
    }

    fn candidate(&self, id: u32) -> Candidate {
        if id < self.vms {
            Candidate::Device(DeviceId(id))
        } else if id < self.racks {
            Candidate::Vm(VmId(id - self.vms))
        } else if id < self.feeds {
            Candidate::Rack(RackId(id - self.racks))
        } else if id < self.sites {
            Candidate::Feed(FeedId(id - self.feeds))
        } else {
            Candidate::Site(SiteId(id - self.sites))
        }
    }
}

/// Candidates whose failure alone takes something down, sorted.
type Kill = Vec<u32>;

fn union(a: &[u32], b: &[u32]) -> Kill {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => {
                out.push(a[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(b[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

fn intersection(a: &[u32], b: &[u32]) -> Kill {
    a.iter()
        .copied()
        .filter(|x| b.binary_search(x).is_ok())
        .collect()
}

fn kills(set: &[u32], c: u32) -> bool {
    set.binary_search(&c).is_ok()
}

/// Why a candidate stops a flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// The service keeps `left` of `of` instances but needs `needed`.
    Service {
        service: ServiceId,
        left: usize,
        of: usize,
        needed: usize,
    },
    /// Every `dns` resolving the entry service goes down.
    Dns {
        entry: ServiceId,
        dns: Vec<ServiceId>,
    },
    /// No network path is left between two consecutive hops.
    Path { from: ServiceId, to: ServiceId },
}

/// Consecutive hops of a flow with no network path even with nothing failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreachable {
    pub flow: FlowId,
    pub path: usize,
    /// Index of the second hop of the pair in the path.
    pub step: usize,
    pub from: ServiceId,
    pub to: ServiceId,
}

/// One instance of a service: where it runs and what kills it.
#[derive(Debug, Clone)]
pub struct Instance {
    pub host: Host,
    kill: Kill,
}

/// The result of the failure analysis.
pub struct Failures {
    numbering: Numbering,
    device_kill: Vec<Kill>,
    vm_kill: Vec<Kill>,
    /// Each vm's host and failover host.
    vm_hosts: Vec<(Option<DeviceId>, Option<DeviceId>)>,
    pub instances: Vec<Vec<Instance>>,
    /// Instances each service needs: 1, or ⌈load ÷ capacity⌉.
    pub needed: Vec<usize>,
    service_kill: Vec<Kill>,
    /// Per flow: the candidates that stop it, each with its first reason.
    flow_kill: Vec<Vec<(u32, Reason)>>,
    /// Flows that do not work even with nothing failed.
    pub broken: Vec<bool>,
    pub unreachable: Vec<Unreachable>,
}

impl Failures {
    pub fn compute(p: &Project, universe: &Universe) -> Failures {
        let n = Numbering::new(p);
        let own = |c: Candidate| -> Kill {
            if universe.includes(c) {
                vec![n.id(c)]
            } else {
                Vec::new()
            }
        };
        let site_kill: Vec<Kill> = (0..p.sites.len())
            .map(|i| own(Candidate::Site(SiteId(i as u32))))
            .collect();
        let at_site = |s: Option<SiteId>| s.map_or(Vec::new(), |s| site_kill[s.index()].clone());
        let feed_kill: Vec<Kill> = p
            .feeds
            .iter()
            .enumerate()
            .map(|(i, f)| {
                union(
                    &own(Candidate::Feed(FeedId(i as u32))),
                    &at_site(f.site.map(|s| s.value)),
                )
            })
            .collect();
        let rack_kill: Vec<Kill> = p
            .racks
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let mut k = union(
                    &own(Candidate::Rack(RackId(i as u32))),
                    &at_site(r.site.map(|s| s.value)),
                );
                // A rack loses power when every one of its feeds fails.
                let mut feeds = r.feeds.iter().map(|f| &feed_kill[f.value.index()]);
                if let Some(first) = feeds.next() {
                    let all = feeds.fold(first.clone(), |acc, f| intersection(&acc, f));
                    k = union(&k, &all);
                }
                k
            })
            .collect();
        let device_kill: Vec<Kill> = p
            .devices
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let mut k = own(Candidate::Device(DeviceId(i as u32)));
                match d.placement {
                    Some(pl) => {
                        let rack = &p.racks[pl.rack.index()];
                        k = union(&k, &rack_kill[pl.rack.index()]);
                        // One PSU hangs on the rack's first feed.
                        if d.props.psu.is_some_and(|s| s.value == 1) {
                            if let Some(first) = rack.feeds.first() {
                                k = union(&k, &feed_kill[first.value.index()]);
                            }
                        }
                    }
                    None => k = union(&k, &at_site(d.site)),
                }
                k
            })
            .collect();
        let vm_kill: Vec<Kill> = p
            .vms
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let own = own(Candidate::Vm(VmId(i as u32)));
                let Some(host) = v.host else { return own };
                let host = &device_kill[host.value.index()];
                // The vm survives its host when its failover host is up.
                let down = match v.failover {
                    Some(f) => intersection(host, &device_kill[f.value.index()]),
                    None => host.clone(),
                };
                union(&own, &down)
            })
            .collect();
        let instances: Vec<Vec<Instance>> = p
            .services
            .iter()
            .map(|s| {
                let storage = s
                    .storage
                    .map_or(Vec::new(), |d| device_kill[d.value.index()].clone());
                s.hosts
                    .iter()
                    .map(|h| {
                        let host_kill = match h.value {
                            Host::Device(d) => &device_kill[d.index()],
                            Host::Vm(v) => &vm_kill[v.index()],
                        };
                        Instance {
                            host: h.value,
                            kill: union(host_kill, &storage),
                        }
                    })
                    .collect()
            })
            .collect();
        let needed: Vec<usize> = p
            .services
            .iter()
            .map(|s| match (s.load, s.capacity) {
                (Some(load), Some(cap)) if cap.value.get() > 0.0 => {
                    ((load.value.get() / cap.value.get()) - 1e-9)
                        .ceil()
                        .max(1.0) as usize
                }
                _ => 1,
            })
            .collect();
        let service_kill: Vec<Kill> = instances
            .iter()
            .zip(&needed)
            .map(|(inst, &k)| threshold_kill(inst, k))
            .collect();
        let mut f = Failures {
            numbering: n,
            device_kill,
            vm_kill,
            vm_hosts: p
                .vms
                .iter()
                .map(|v| (v.host.map(|h| h.value), v.failover.map(|h| h.value)))
                .collect(),
            instances,
            needed,
            service_kill,
            flow_kill: Vec::new(),
            broken: vec![false; p.flows.len()],
            unreachable: Vec::new(),
        };
        f.flows(p);
        f
    }

    fn flows(&mut self, p: &Project) {
        let network = (!p.links.is_empty()).then(|| Network::new(p, self.numbering.total as usize));
        let mut pair_cache: HashMap<(ServiceId, ServiceId), Option<Kill>> = HashMap::new();
        let mut resolvers: HashMap<ServiceId, Vec<ServiceId>> = HashMap::new();
        let mut dns_kill: HashMap<ServiceId, Kill> = HashMap::new();
        for (i, s) in p.services.iter().enumerate() {
            for r in &s.resolves {
                if let Hop::Service(target) = r.value {
                    resolvers
                        .entry(target)
                        .or_default()
                        .push(ServiceId(i as u32));
                }
            }
        }
        for (fi, flow) in p.flows.iter().enumerate() {
            let mut kill: HashMap<u32, Reason> = HashMap::new();
            let add = |set: &[u32], reason: &Reason, kill: &mut HashMap<u32, Reason>| {
                for &c in set {
                    kill.entry(c).or_insert_with(|| reason.clone());
                }
            };
            for (pi, path) in flow.paths.iter().enumerate() {
                for (step, hop) in path.iter().enumerate() {
                    let Hop::Service(s) = hop.value else { continue };
                    if self.instances[s.index()].len() < self.needed[s.index()] {
                        self.broken[fi] = true;
                    }
                    let reason = Reason::Service {
                        service: s,
                        left: 0,
                        of: self.instances[s.index()].len(),
                        needed: self.needed[s.index()],
                    };
                    add(&self.service_kill[s.index()], &reason, &mut kill);
                    let previous = step.checked_sub(1).map(|i| path[i].value);
                    // Entered from a client: the names must resolve.
                    if matches!(previous, Some(Hop::Client(_))) {
                        if let Some(dns) = resolvers.get(&s) {
                            // Once per entry service, not once per flow.
                            let all = dns_kill.entry(s).or_insert_with(|| {
                                let mut all = self.service_kill[dns[0].index()].clone();
                                for d in &dns[1..] {
                                    all = intersection(&all, &self.service_kill[d.index()]);
                                }
                                all
                            });
                            add(
                                all,
                                &Reason::Dns {
                                    entry: s,
                                    dns: dns.clone(),
                                },
                                &mut kill,
                            );
                        }
                    }
                    let (Some(Hop::Service(from)), Some(net)) = (previous, &network) else {
                        continue;
                    };
                    let pair = pair_cache.entry((from, s)).or_insert_with(|| {
                        net.pair_kill(
                            self,
                            &self.instances[from.index()],
                            &self.instances[s.index()],
                        )
                    });
                    match pair {
                        Some(k) => add(k, &Reason::Path { from, to: s }, &mut kill),
                        None => {
                            self.broken[fi] = true;
                            self.unreachable.push(Unreachable {
                                flow: FlowId(fi as u32),
                                path: pi,
                                step,
                                from,
                                to: s,
                            });
                        }
                    }
                }
            }
            let mut kill: Vec<(u32, Reason)> = kill.into_iter().collect();
            kill.sort_by_key(|(c, _)| *c);
            self.flow_kill.push(kill);
        }
    }

    /// The candidates that stop a flow, with why (empty for a broken flow).
    pub fn flow_stoppers(&self, flow: FlowId) -> impl Iterator<Item = (Candidate, &Reason)> {
        let n = self.numbering;
        let broken = self.broken[flow.index()];
        self.flow_kill[flow.index()]
            .iter()
            .filter(move |_| !broken)
            .map(move |(c, r)| (n.candidate(*c), r))
    }

    /// Candidates whose failure alone takes down every instance in `set`.
    pub fn common(&self, set: &[Instance]) -> Vec<Candidate> {
        let Some(first) = set.first() else {
            return Vec::new();
        };
        let all = set[1..]
            .iter()
            .fold(first.kill.clone(), |acc, i| intersection(&acc, &i.kill));
        all.into_iter()
            .map(|c| self.numbering.candidate(c))
            .collect()
    }

    pub fn device_fails_with(&self, device: DeviceId, c: Candidate) -> bool {
        kills(&self.device_kill[device.index()], self.numbering.id(c))
    }

    pub fn vm_fails_with(&self, vm: VmId, c: Candidate) -> bool {
        kills(&self.vm_kill[vm.index()], self.numbering.id(c))
    }

    pub fn instance_fails_with(&self, instance: &Instance, c: Candidate) -> bool {
        kills(&instance.kill, self.numbering.id(c))
    }

    /// Whether some single failure takes the service down.
    pub fn service_at_risk(&self, service: ServiceId) -> bool {
        !self.service_kill[service.index()].is_empty()
    }

    pub fn service_fails_with(&self, service: ServiceId, c: Candidate) -> bool {
        kills(&self.service_kill[service.index()], self.numbering.id(c))
    }
}

/// Candidates that take down more than `n - needed` of the instances.
fn threshold_kill(instances: &[Instance], needed: usize) -> Kill {
    let n = instances.len();
    if n < needed {
        return Vec::new(); // down already; not a single failure's doing
    }
    let spare = n - needed;
    let mut all: Vec<u32> = instances
        .iter()
        .flat_map(|i| i.kill.iter().copied())
        .collect();
    all.sort_unstable();
    let mut out = Vec::new();
    let mut i = 0;
    while i < all.len() {
        let mut j = i;
        while j < all.len() && all[j] == all[i] {
            j += 1;
        }
        if j - i > spare {
            out.push(all[i]);
        }
        i = j;
    }
    out
}

/// The cabling between devices, for paths between hop instances.
struct Network {
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
    fn new(p: &Project, candidates: usize) -> Network {
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
    fn pair_kill(&self, f: &Failures, from: &[Instance], to: &[Instance]) -> Option<Kill> {
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

/// "rack `r1`", "switch `tor1`", "vm `app1`".
pub fn describe(p: &Project, c: Candidate) -> String {
    let e = c.element();
    format!("{} `{}`", p.kind_of(e), echo(p.name_of(e)))
}

/// "web1, web2, web3 and 5 more"
pub fn name_list<'a>(names: impl IntoIterator<Item = &'a str>, most: usize) -> String {
    let names: Vec<String> = names.into_iter().map(echo).collect();
    if names.len() <= most {
        return names.join(", ");
    }
    format!(
        "{} and {} more",
        names[..most].join(", "),
        names.len() - most
    )
}

/// Why a flow stops, in words, for the candidate that stops it.
pub fn reason_text(p: &Project, f: &Failures, c: Candidate, reason: &Reason) -> String {
    match reason {
        Reason::Service {
            service,
            of,
            needed,
            ..
        } => {
            let name = &p.services[service.index()].name;
            let left = f.instances[service.index()]
                .iter()
                .filter(|i| !f.instance_fails_with(i, c))
                .count();
            if left == 0 {
                format!("every instance of `{name}` fails with it")
            } else {
                format!("`{name}` keeps {left} of {of} instances but needs {needed}")
            }
        }
        Reason::Dns { entry, dns } => {
            let names: Vec<String> = dns
                .iter()
                .map(|d| format!("`{}`", echo(&p.services[d.index()].name)))
                .collect();
            format!(
                "{} resolving `{}` fails with it",
                names.join(" and "),
                echo(&p.services[entry.index()].name)
            )
        }
        Reason::Path { from, to } => format!(
            "no network path is left from `{}` to `{}`",
            echo(&p.services[from.index()].name),
            echo(&p.services[to.index()].name)
        ),
    }
}

/// Everything that one failure takes down (`topo impact`).
pub struct Impact {
    pub candidate: Candidate,
    pub devices: Vec<DeviceId>,
    pub vms: Vec<VmId>,
    /// (service, instances lost, instances, instances needed)
    pub services_down: Vec<(ServiceId, usize, usize, usize)>,
    pub services_degraded: Vec<(ServiceId, usize, usize, usize)>,
    pub flows: Vec<(FlowId, String)>,
}

pub fn impact(p: &Project, c: Candidate) -> Impact {
    let f = Failures::compute(p, &Universe::with(p, c));
    let devices = (0..p.devices.len())
        .map(|i| DeviceId(i as u32))
        .filter(|&d| f.device_fails_with(d, c))
        .collect();
    let vms = (0..p.vms.len())
        .map(|i| VmId(i as u32))
        .filter(|&v| f.vm_fails_with(v, c))
        .collect();
    let mut services_down = Vec::new();
    let mut services_degraded = Vec::new();
    for (i, instances) in f.instances.iter().enumerate() {
        let s = ServiceId(i as u32);
        let lost = instances
            .iter()
            .filter(|x| f.instance_fails_with(x, c))
            .count();
        let row = (s, lost, instances.len(), f.needed[i]);
        if f.service_fails_with(s, c) {
            services_down.push(row);
        } else if lost > 0 {
            services_degraded.push(row);
        }
    }
    let flows = (0..p.flows.len())
        .map(|i| FlowId(i as u32))
        .filter_map(|flow| {
            let (_, reason) = f.flow_stoppers(flow).find(|(k, _)| *k == c)?;
            Some((flow, reason_text(p, &f, c, reason)))
        })
        .collect();
    Impact {
        candidate: c,
        devices,
        vms,
        services_down,
        services_degraded,
        flows,
    }
}
