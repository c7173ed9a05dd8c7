//! The failure analysis against a brute-force reference: on small random
//! topologies, every candidate is failed alone and every flow re-evaluated
//! from scratch; the flows it stops must be exactly those the kill-set
//! analysis says.

use std::collections::{BTreeSet, VecDeque};
use topo::analyze::failure::{Candidate, Failures, Universe};
use topo::check::check_sources;
use topo::model::*;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// A random but valid project: sites, feeds, racks, servers and switches,
/// cables, vms with failover, services with storage and capacity, dns,
/// and flows.
fn random_project(rng: &mut Rng) -> String {
    let mut t = String::new();
    let sites = 1 + rng.below(2);
    for s in 0..sites {
        t += &format!("site s{s}\n");
    }
    let racks = 1 + rng.below(3);
    let mut feeds = 0;
    for r in 0..racks {
        let site = rng.below(sites);
        let n = rng.below(3);
        let mut names = Vec::new();
        for _ in 0..n {
            t += &format!("feed f{feeds} {{ site s{site}; circuit 30A at 208V }}\n");
            names.push(format!("f{feeds}"));
            feeds += 1;
        }
        if rng.chance(30) && feeds > 0 {
            let shared = format!("f{}", rng.below(feeds)); // a feed shared with another rack
            if !names.contains(&shared) {
                names.push(shared);
            }
        }
        let feeds_line = if names.is_empty() {
            String::new()
        } else {
            format!("; feeds {}", names.join(" "))
        };
        t += &format!("rack r{r} {{ site s{site}{feeds_line} }}\n");
    }
    let devices = 3 + rng.below(6);
    let mut next_u = vec![1; racks];
    for d in 0..devices {
        let kind = if d % 3 == 0 { "switch" } else { "server" };
        let psu = 1 + rng.below(2);
        let redundant = if rng.chance(8) { "; redundant" } else { "" };
        if rng.chance(80) {
            let r = rng.below(racks);
            t += &format!(
                "{kind} d{d} {{ rack r{r} at U{}; size 1U; psu {psu}{redundant} }}\n",
                next_u[r]
            );
            next_u[r] += 1;
        } else {
            t += &format!(
                "{kind} d{d} {{ site s{}; psu {psu}{redundant} }}\n",
                rng.below(sites)
            );
        }
    }
    if rng.chance(80) {
        for _ in 0..devices + rng.below(devices) {
            let (a, b) = (rng.below(devices), rng.below(devices));
            if a != b {
                t += &format!("link d{a} to d{b}\n");
            }
        }
    }
    let vms = rng.below(3);
    for v in 0..vms {
        let host = rng.below(devices);
        let failover = if rng.chance(60) {
            format!(" {{ failover d{} }}", rng.below(devices))
        } else {
            String::new()
        };
        t += &format!("vm v{v} on d{host}{failover}\n");
    }
    let services = 2 + rng.below(3);
    for s in 0..services {
        let mut hosts = BTreeSet::new();
        for _ in 0..1 + rng.below(3) {
            if vms > 0 && rng.chance(30) {
                hosts.insert(format!("v{}", rng.below(vms)));
            } else {
                hosts.insert(format!("d{}", rng.below(devices)));
            }
        }
        let mut props = Vec::new();
        if rng.chance(20) {
            props.push(format!("storage d{}", rng.below(devices)));
        }
        if rng.chance(30) {
            props.push(format!("load {}rps; capacity 100rps", 50 + rng.below(250)));
        }
        let hosts: Vec<String> = hosts.into_iter().collect();
        t += &format!(
            "service svc{s} on {} {{ {} }}\n",
            hosts.join(" "),
            props.join("; ")
        );
    }
    if rng.chance(50) {
        t += &format!("dns ns on d{} {{ resolves svc0 }}\n", rng.below(devices));
    }
    t += "client user { browser }\n";
    for f in 0..1 + rng.below(3) {
        let hops = 1 + rng.below(3);
        let path: Vec<String> = (0..hops)
            .map(|_| format!("svc{}", rng.below(services)))
            .collect();
        t += &format!("flow flow{f} {{ user -> {} }}\n", path.join(" -> "));
    }
    t
}

/// Everything that fails when `c` fails, by direct simulation.
struct World<'p> {
    p: &'p Project,
    device_down: Vec<bool>,
    vm_down: Vec<bool>,
}

impl<'p> World<'p> {
    fn new(p: &'p Project, universe_sites: bool, c: Option<Candidate>) -> World<'p> {
        let site_down =
            |s: Option<SiteId>| s.is_some_and(|s| universe_sites && c == Some(Candidate::Site(s)));
        let feed_down: Vec<bool> = p
            .feeds
            .iter()
            .enumerate()
            .map(|(i, f)| {
                c == Some(Candidate::Feed(FeedId(i as u32))) || site_down(f.site.map(|s| s.value))
            })
            .collect();
        let rack_down: Vec<bool> = p
            .racks
            .iter()
            .enumerate()
            .map(|(i, r)| {
                c == Some(Candidate::Rack(RackId(i as u32)))
                    || site_down(r.site.map(|s| s.value))
                    || (!r.feeds.is_empty() && r.feeds.iter().all(|f| feed_down[f.value.index()]))
            })
            .collect();
        let device_down: Vec<bool> = p
            .devices
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let own = c == Some(Candidate::Device(DeviceId(i as u32))) && !d.is_redundant();
                let place = match d.placement {
                    Some(pl) => {
                        let rack = &p.racks[pl.rack.index()];
                        rack_down[pl.rack.index()]
                            || (d.props.psu.is_some_and(|s| s.value == 1)
                                && rack
                                    .feeds
                                    .first()
                                    .is_some_and(|f| feed_down[f.value.index()]))
                    }
                    None => site_down(d.site),
                };
                own || place
            })
            .collect();
        let vm_down: Vec<bool> = p
            .vms
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let host = v.host.is_none_or(|h| device_down[h.value.index()]);
                let failover = v.failover.is_none_or(|f| device_down[f.value.index()]);
                c == Some(Candidate::Vm(VmId(i as u32))) || (host && failover)
            })
            .collect();
        World {
            p,
            device_down,
            vm_down,
        }
    }

    /// The device a live instance is cabled through.
    fn attachment(&self, host: Host) -> Option<DeviceId> {
        match host {
            Host::Device(d) => (!self.device_down[d.index()]).then_some(d),
            Host::Vm(v) => {
                if self.vm_down[v.index()] {
                    return None;
                }
                let vm = &self.p.vms[v.index()];
                let h = vm.host?.value;
                if !self.device_down[h.index()] {
                    Some(h)
                } else {
                    vm.failover.map(|f| f.value)
                }
            }
        }
    }

    fn live_attachments(&self, s: ServiceId) -> Vec<DeviceId> {
        let svc = &self.p.services[s.index()];
        if svc
            .storage
            .is_some_and(|d| self.device_down[d.value.index()])
        {
            return Vec::new();
        }
        svc.hosts
            .iter()
            .filter_map(|h| self.attachment(h.value))
            .collect()
    }

    fn service_up(&self, s: ServiceId) -> bool {
        let svc = &self.p.services[s.index()];
        let needed = match (svc.load, svc.capacity) {
            (Some(l), Some(c)) => ((l.value.get() / c.value.get()) - 1e-9).ceil().max(1.0) as usize,
            _ => 1,
        };
        self.live_attachments(s).len() >= needed
    }

    fn connected(&self, a: &[DeviceId], b: &[DeviceId]) -> bool {
        let p = self.p;
        let mut adjacency = vec![Vec::new(); p.devices.len()];
        for l in &p.links {
            adjacency[l.from.value.device.index()].push(l.to.value.device.index());
            adjacency[l.to.value.device.index()].push(l.from.value.device.index());
        }
        let mut seen = vec![false; p.devices.len()];
        let mut queue: VecDeque<usize> = a.iter().map(|d| d.index()).collect();
        for d in &queue {
            seen[*d] = true;
        }
        let targets: BTreeSet<usize> = b.iter().map(|d| d.index()).collect();
        while let Some(d) = queue.pop_front() {
            if targets.contains(&d) {
                return true;
            }
            for &n in &adjacency[d] {
                if !seen[n] && !self.device_down[n] {
                    seen[n] = true;
                    queue.push_back(n);
                }
            }
        }
        false
    }

    fn flow_works(&self, f: &Flow) -> bool {
        let p = self.p;
        f.paths.iter().all(|path| {
            path.iter().enumerate().all(|(i, hop)| {
                let Hop::Service(s) = hop.value else {
                    return true;
                };
                if !self.service_up(s) {
                    return false;
                }
                let previous = i.checked_sub(1).map(|j| path[j].value);
                if matches!(previous, Some(Hop::Client(_))) {
                    let resolvers: Vec<ServiceId> = (0..p.services.len())
                        .map(|j| ServiceId(j as u32))
                        .filter(|d| {
                            p.services[d.index()]
                                .resolves
                                .iter()
                                .any(|r| r.value == Hop::Service(s))
                        })
                        .collect();
                    if !resolvers.is_empty() && !resolvers.iter().any(|d| self.service_up(*d)) {
                        return false;
                    }
                }
                match previous {
                    Some(Hop::Service(from)) if !p.links.is_empty() => {
                        self.connected(&self.live_attachments(from), &self.live_attachments(s))
                    }
                    _ => true,
                }
            })
        })
    }
}

fn candidates(p: &Project) -> Vec<Candidate> {
    let mut all: Vec<Candidate> = (0..p.devices.len())
        .filter(|&i| !p.devices[i].is_redundant())
        .map(|i| Candidate::Device(DeviceId(i as u32)))
        .collect();
    all.extend((0..p.vms.len()).map(|i| Candidate::Vm(VmId(i as u32))));
    all.extend((0..p.racks.len()).map(|i| Candidate::Rack(RackId(i as u32))));
    all.extend((0..p.feeds.len()).map(|i| Candidate::Feed(FeedId(i as u32))));
    if p.sites.len() > 1 {
        all.extend((0..p.sites.len()).map(|i| Candidate::Site(SiteId(i as u32))));
    }
    all
}

#[test]
fn kill_sets_match_brute_force_on_random_topologies() {
    let mut rng = Rng(0x7090_f417);
    let mut compared = 0;
    let mut stopped = 0;
    for round in 0..400 {
        let text = random_project(&mut rng);
        let checked = check_sources(&[("random.topo", &text)]);
        let language: Vec<_> = checked
            .diagnostics
            .iter()
            .filter(|d| {
                topo::analyze::rule(d.rule)
                    .is_some_and(|r| r.check.is_none() && r.name != "unused-allow")
            })
            .collect();
        assert!(language.is_empty(), "round {round}: {language:?}\n{text}");
        let p = &checked.project;
        let fast = Failures::compute(p, &Universe::spof(p));
        let sites = p.sites.len() > 1;
        let baseline = World::new(p, sites, None);
        for (i, flow) in p.flows.iter().enumerate() {
            let id = FlowId(i as u32);
            let works = baseline.flow_works(flow);
            assert_eq!(
                !works, fast.broken[i],
                "round {round}: flow{i} broken?\n{text}"
            );
            if !works {
                continue;
            }
            let expected: BTreeSet<Candidate> = candidates(p)
                .into_iter()
                .filter(|&c| !World::new(p, sites, Some(c)).flow_works(flow))
                .collect();
            let found: BTreeSet<Candidate> = fast.flow_stoppers(id).map(|(c, _)| c).collect();
            assert_eq!(found, expected, "round {round}: flow{i}\n{text}");
            compared += 1;
            stopped += expected.len();
        }
    }
    eprintln!("compared {compared} flows, {stopped} stoppers");
    assert!(compared > 300, "only {compared} flows compared");
    assert!(
        stopped > 300,
        "only {stopped} stoppers: the generator is too healthy to test much"
    );
}
