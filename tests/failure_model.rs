//! The failure analysis against a brute-force reference: on small random
//! topologies, every candidate is failed alone and every flow re-evaluated
//! from scratch; the flows it stops must be exactly those the kill-set
//! analysis says.
//!
//! Flows enter from a client (through a site's `entry` devices where it
//! declares them) or start at a service; every next hop is reached from
//! the serving instances of the one before. Services may be active-standby
//! (only the first member up serves, per shard), quorum (only members that
//! a member with a majority reaches serve) or sharded (host j holds shard j mod N, every shard
//! needs its own serving instance).
//!
//! The topologies have power sources in a tree (feeds drawing `from`
//! them), devices with `psu N` or naming their `feeds`, and fault domains
//! over devices, vms and racks; the reference applies those rules plainly.
//! They mix Ethernet and Fibre Channel links (and links in b/s,
//! B/s or without speed, which are Ethernet), forwarding devices (switch,
//! router, firewall, lb) and endpoints that must not forward (server,
//! storage, pdu, device), and services whose `storage` must be reached over
//! either network. The reference evaluates paths by plain breadth-first
//! search over one medium at a time.

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
    // Power sources in a tree: each may draw from an earlier one.
    let powers = rng.below(4);
    for i in 0..powers {
        let from = if i > 0 && rng.chance(60) {
            format!("; from p{}", rng.below(i))
        } else {
            String::new()
        };
        t += &format!(
            "power p{i} {{ site s{}; kind ups; capacity 100kVA{from} }}\n",
            rng.below(sites)
        );
    }
    let racks = 1 + rng.below(3);
    let mut feeds = 0;
    let mut rack_feeds = Vec::new();
    for r in 0..racks {
        let site = rng.below(sites);
        let n = rng.below(4);
        let mut names = Vec::new();
        for _ in 0..n {
            let from = if powers > 0 && rng.chance(60) {
                format!("; from p{}", rng.below(powers))
            } else {
                String::new()
            };
            t += &format!("feed f{feeds} {{ site s{site}; circuit 30A at 208V{from} }}\n");
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
        rack_feeds.push(names);
    }
    let devices = 3 + rng.below(8);
    let mut next_u = vec![1; racks];
    const KINDS: [&str; 12] = [
        "switch", "switch", "switch", "router", "firewall", "lb", "server", "server", "server",
        "storage", "pdu", "device",
    ];
    for d in 0..devices {
        let kind = if d % 3 == 0 {
            "switch"
        } else {
            KINDS[rng.below(KINDS.len())]
        };
        // No `psu` (every rack feed), or 1 to 3 of them.
        let psu = match rng.below(4) {
            0 => String::new(),
            n => format!("; psu {n}"),
        };
        let redundant = if rng.chance(8) { "; redundant" } else { "" };
        if rng.chance(80) {
            let r = rng.below(racks);
            // Some devices name a subset of their rack's feeds.
            let mut named = String::new();
            if !rack_feeds[r].is_empty() && rng.chance(25) {
                let chosen: Vec<&String> =
                    rack_feeds[r].iter().filter(|_| rng.chance(50)).collect();
                if !chosen.is_empty() {
                    let list: Vec<&str> = chosen.iter().map(|s| s.as_str()).collect();
                    named = format!("; feeds {}", list.join(" "));
                }
            }
            t += &format!(
                "{kind} d{d} {{ rack r{r} at U{}; size 1U{psu}{named}{redundant} }}\n",
                next_u[r]
            );
            next_u[r] += 1;
        } else {
            t += &format!(
                "{kind} d{d} {{ site s{}{psu}{redundant} }}\n",
                rng.below(sites)
            );
        }
    }
    if rng.chance(80) {
        for _ in 0..devices + rng.below(devices) {
            let (a, b) = (rng.below(devices), rng.below(devices));
            if a != b {
                const SPEEDS: [&str; 6] = [
                    " { speed 25GbE }",
                    " { speed 32GFC }",
                    " { speed 16GFC }",
                    " { speed 10Gb/s }",
                    " { speed 1GB/s }",
                    "",
                ];
                let speed = SPEEDS[rng.below(SPEEDS.len())];
                t += &format!("link d{a} to d{b}{speed}\n");
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
    // Fault domains over random devices, vms and racks.
    for i in 0..rng.below(3) {
        let mut members = BTreeSet::new();
        for _ in 0..1 + rng.below(3) {
            members.insert(match rng.below(3) {
                0 if vms > 0 => format!("v{}", rng.below(vms)),
                1 => format!("r{}", rng.below(racks)),
                _ => format!("d{}", rng.below(devices)),
            });
        }
        let members: Vec<String> = members.into_iter().collect();
        t += &format!("fault-domain fd{i} {{ members {} }}\n", members.join(" "));
    }
    // Sites, some with entry devices outside traffic must pass.
    for s in 0..sites {
        if rng.chance(40) {
            let entry: BTreeSet<String> = (0..1 + rng.below(2))
                .map(|_| format!("d{}", rng.below(devices)))
                .collect();
            let entry: Vec<String> = entry.into_iter().collect();
            t += &format!("site s{s} {{ entry {} }}\n", entry.join(" "));
        } else {
            t += &format!("site s{s}\n");
        }
    }
    let services = 2 + rng.below(3);
    for s in 0..services {
        let mut hosts = BTreeSet::new();
        for _ in 0..1 + rng.below(4) {
            if vms > 0 && rng.chance(30) {
                hosts.insert(format!("v{}", rng.below(vms)));
            } else {
                hosts.insert(format!("d{}", rng.below(devices)));
            }
        }
        let mut props = Vec::new();
        match rng.below(10) {
            0..=2 => props.push("ha active-standby".to_string()),
            3 => props.push("ha quorum".to_string()),
            _ => {}
        }
        // Shards: two weights over an even number of hosts, or one shard
        // per host.
        if hosts.len() > 1 && rng.chance(25) {
            let n = if hosts.len() % 2 == 0 && rng.chance(50) {
                2
            } else {
                hosts.len()
            };
            let weights: Vec<String> = (0..n)
                .map(|g| format!("{}%", 100 / n + usize::from(g < 100 % n)))
                .collect();
            props.push(format!("shard by key {{ weights {} }}", weights.join(" ")));
        }
        if rng.chance(35) {
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
    if rng.chance(40) {
        t += &format!("replicate svc0 to svc{}\n", 1 + rng.below(services - 1));
    }
    t += "client user { browser }\n";
    for f in 0..1 + rng.below(3) {
        let hops = 1 + rng.below(3);
        let path: Vec<String> = (0..hops)
            .map(|_| format!("svc{}", rng.below(services)))
            .collect();
        // Some flows start inside, at a service (two hops at least).
        let start = if path.len() > 1 && rng.chance(35) {
            ""
        } else {
            "user -> "
        };
        t += &format!("flow flow{f} {{ {start}{} }}\n", path.join(" -> "));
    }
    t
}

/// Everything that fails when `c` fails, by direct simulation.
struct World<'p> {
    p: &'p Project,
    device_down: Vec<bool>,
    vm_down: Vec<bool>,
    /// Instances (service, host index) that cannot reach their storage with
    /// nothing failed: a failure does not repair a cabling fault (a vm that
    /// moves to a better-cabled failover host stays counted down).
    never_up: BTreeSet<(usize, usize)>,
}

impl<'p> World<'p> {
    fn new(p: &'p Project, universe_sites: bool, c: Option<Candidate>) -> World<'p> {
        let site_down =
            |s: Option<SiteId>| s.is_some_and(|s| universe_sites && c == Some(Candidate::Site(s)));
        // A source is down when it fails, its site fails, or the source it
        // draws from is down: settle the tree by repeating until stable.
        let mut power_down: Vec<bool> = p
            .powers
            .iter()
            .enumerate()
            .map(|(i, x)| {
                c == Some(Candidate::Power(PowerId(i as u32))) || site_down(x.site.map(|s| s.value))
            })
            .collect();
        loop {
            let mut changed = false;
            for (i, x) in p.powers.iter().enumerate() {
                if !power_down[i] && x.from.is_some_and(|f| power_down[f.value.index()]) {
                    power_down[i] = true;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        let feed_down: Vec<bool> = p
            .feeds
            .iter()
            .enumerate()
            .map(|(i, f)| {
                c == Some(Candidate::Feed(FeedId(i as u32)))
                    || site_down(f.site.map(|s| s.value))
                    || f.from.is_some_and(|x| power_down[x.value.index()])
            })
            .collect();
        // Whether a failed fault domain holds `m`.
        let in_failed_domain = |m: Member| {
            p.fault_domains.iter().enumerate().any(|(j, fd)| {
                c == Some(Candidate::FaultDomain(FaultDomainId(j as u32)))
                    && fd.members.iter().any(|x| x.value == m)
            })
        };
        let rack_down: Vec<bool> = p
            .racks
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let id = RackId(i as u32);
                c == Some(Candidate::Rack(id))
                    || site_down(r.site.map(|s| s.value))
                    || in_failed_domain(Member::Rack(id))
            })
            .collect();
        let device_down: Vec<bool> = p
            .devices
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let id = DeviceId(i as u32);
                let own = c == Some(Candidate::Device(id)) && !d.is_redundant();
                let place = match d.placement {
                    Some(pl) => {
                        let rack = &p.racks[pl.rack.index()];
                        // The feeds its PSUs connect to: named, else the
                        // first `psu` of the rack's, else all of them.
                        let connected: Vec<FeedId> = if !d.feeds.is_empty() {
                            d.feeds.iter().map(|f| f.value).collect()
                        } else {
                            let n = d.props.psu.map_or(usize::MAX, |n| n.value as usize);
                            rack.feeds.iter().take(n).map(|f| f.value).collect()
                        };
                        rack_down[pl.rack.index()]
                            || (!connected.is_empty()
                                && connected.iter().all(|f| feed_down[f.index()]))
                    }
                    None => site_down(d.site),
                };
                own || place || in_failed_domain(Member::Device(id))
            })
            .collect();
        let vm_down: Vec<bool> = p
            .vms
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let host = v.host.is_none_or(|h| device_down[h.value.index()]);
                let failover = v.failover.is_none_or(|f| device_down[f.value.index()]);
                let id = VmId(i as u32);
                c == Some(Candidate::Vm(id))
                    || in_failed_domain(Member::Vm(id))
                    || (host && failover)
            })
            .collect();
        World {
            p,
            device_down,
            vm_down,
            never_up: BTreeSet::new(),
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

    /// Whether the instance on `host` is up: its host (or failover host),
    /// its storage, and where links are declared a path to the storage.
    fn instance_up(&self, s: ServiceId, host: Host) -> Option<DeviceId> {
        let svc = &self.p.services[s.index()];
        let index = svc.hosts.iter().position(|h| h.value == host)?;
        if self.never_up.contains(&(s.index(), index)) {
            return None;
        }
        let at = self.attachment(host)?;
        if let Some(st) = svc.storage {
            if self.device_down[st.value.index()] {
                return None;
            }
            if !self.p.links.is_empty() && !self.connected(&[at], &[st.value], true) {
                return None;
            }
        }
        Some(at)
    }

    fn live_attachments(&self, s: ServiceId) -> Vec<DeviceId> {
        self.p.services[s.index()]
            .hosts
            .iter()
            .filter_map(|h| self.instance_up(s, h.value))
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

    /// A path from a device of `a` to one of `b` over one medium (Ethernet
    /// only, or also Fibre Channel), crossing only up forwarding devices.
    fn connected(&self, a: &[DeviceId], b: &[DeviceId], fibre_too: bool) -> bool {
        let p = self.p;
        let forwards = |d: usize| {
            matches!(
                p.devices[d].kind,
                DeviceKind::Switch | DeviceKind::Router | DeviceKind::Firewall | DeviceKind::Lb
            )
        };
        let sources: BTreeSet<usize> = a.iter().map(|d| d.index()).collect();
        let targets: BTreeSet<usize> = b.iter().map(|d| d.index()).collect();
        let media: &[LinkMedium] = if fibre_too {
            &[LinkMedium::Ethernet, LinkMedium::FibreChannel]
        } else {
            &[LinkMedium::Ethernet]
        };
        media.iter().any(|&medium| {
            let mut adjacency = vec![Vec::new(); p.devices.len()];
            for l in p.links.iter().filter(|l| l.medium == medium) {
                adjacency[l.from.value.device.index()].push(l.to.value.device.index());
                adjacency[l.to.value.device.index()].push(l.from.value.device.index());
            }
            let mut seen = vec![false; p.devices.len()];
            let mut queue: VecDeque<usize> = sources
                .iter()
                .copied()
                .filter(|&d| !self.device_down[d])
                .collect();
            for d in &queue {
                seen[*d] = true;
            }
            while let Some(d) = queue.pop_front() {
                if targets.contains(&d) {
                    return true;
                }
                // An endpoint starts or ends a path, never carries one.
                if !sources.contains(&d) && !forwards(d) {
                    continue;
                }
                for &n in &adjacency[d] {
                    if !seen[n] && !self.device_down[n] {
                        seen[n] = true;
                        queue.push_back(n);
                    }
                }
            }
            false
        })
    }

    /// Instances a service (or one shard of it) needs.
    fn needed(&self, s: ServiceId, shard: Option<usize>) -> usize {
        let svc = &self.p.services[s.index()];
        let share = match (shard, svc.shard.as_ref().and_then(|x| x.weights.as_ref())) {
            (Some(g), Some(w)) => w.value[g].value.get() / 100.0,
            _ => 1.0,
        };
        match (svc.load, svc.capacity) {
            (Some(l), Some(c)) => ((share * l.value.get() / c.value.get()) - 1e-9)
                .ceil()
                .max(1.0) as usize,
            _ => 1,
        }
    }

    /// Members per shard (host j holds shard j mod N), or one group.
    fn groups(&self, s: ServiceId) -> Vec<(Option<usize>, Vec<usize>)> {
        let svc = &self.p.services[s.index()];
        let n = svc.hosts.len();
        match svc.shard.as_ref().and_then(|x| x.weights.as_ref()) {
            Some(w) if !w.value.is_empty() => {
                let k = w.value.len();
                (0..k)
                    .map(|g| (Some(g), (g..n).step_by(k).collect()))
                    .collect()
            }
            _ => vec![(None, (0..n).collect())],
        }
    }

    fn active_standby(&self, s: ServiceId) -> bool {
        self.p.services[s.index()]
            .ha
            .is_some_and(|h| h.value == HaMode::ActiveStandby)
    }

    /// Whether a quorum service has a member that reaches a majority of
    /// its members (itself included); pairs that are not connected with
    /// nothing failed never count (`base`).
    fn quorum_holds(&self, s: ServiceId, base: Option<&Vec<Vec<bool>>>) -> bool {
        let svc = &self.p.services[s.index()];
        let at: Vec<Option<DeviceId>> = svc
            .hosts
            .iter()
            .map(|h| self.instance_up(s, h.value))
            .collect();
        let n = at.len();
        (0..n).any(|l| {
            let Some(a) = at[l] else { return false };
            let count = (0..n)
                .filter(|&m| {
                    let Some(b) = at[m] else { return false };
                    base.is_none_or(|pairs| pairs[l][m])
                        && (self.p.links.is_empty() || l == m || self.connected(&[a], &[b], false))
                })
                .count();
            count > n / 2
        })
    }

    /// The members of a quorum service that a member with a majority
    /// reaches (itself included): only they serve.
    fn quorum_members(&self, s: ServiceId, base: Option<&Vec<Vec<bool>>>) -> Vec<bool> {
        let svc = &self.p.services[s.index()];
        let at: Vec<Option<DeviceId>> = svc
            .hosts
            .iter()
            .map(|h| self.instance_up(s, h.value))
            .collect();
        let n = at.len();
        let joined = |l: usize, m: usize| match (at[l], at[m]) {
            (Some(a), Some(b)) => {
                base.is_none_or(|pairs| pairs[l][m])
                    && (self.p.links.is_empty() || l == m || self.connected(&[a], &[b], false))
            }
            _ => false,
        };
        let leaders: Vec<usize> = (0..n)
            .filter(|&l| (0..n).filter(|&m| joined(l, m)).count() > n / 2)
            .collect();
        (0..n)
            .map(|m| leaders.iter().any(|&l| joined(l, m)))
            .collect()
    }

    /// Pairs of a quorum service's members connected with nothing failed.
    fn quorum_pairs(&self, s: ServiceId) -> Vec<Vec<bool>> {
        let svc = &self.p.services[s.index()];
        let at: Vec<Option<DeviceId>> = svc
            .hosts
            .iter()
            .map(|h| self.instance_up(s, h.value))
            .collect();
        (0..at.len())
            .map(|l| {
                (0..at.len())
                    .map(|m| match (at[l], at[m]) {
                        (Some(a), Some(b)) => {
                            self.p.links.is_empty() || l == m || self.connected(&[a], &[b], false)
                        }
                        _ => false,
                    })
                    .collect()
            })
            .collect()
    }

    /// Evaluates one request path: whether it works, and per service hop
    /// which instances serve. `base` holds the instances that serve with
    /// nothing failed (a failure never makes another one serve) and the
    /// quorum pairs connected then.
    fn path(&self, path: &[Spanned<Hop>], base: Option<&PathBase>) -> (bool, Vec<Vec<bool>>) {
        let p = self.p;
        let mut works = true;
        let mut flags: Vec<Vec<bool>> = Vec::new();
        // The previous service hop: its service, its instances' attachments,
        // and which serve.
        let mut prev: Option<(ServiceId, Vec<Option<DeviceId>>, Vec<bool>)> = None;
        for (i, hop) in path.iter().enumerate() {
            let Hop::Service(s) = hop.value else {
                prev = None;
                continue;
            };
            let svc = &p.services[s.index()];
            let at: Vec<Option<DeviceId>> = svc
                .hosts
                .iter()
                .map(|h| self.instance_up(s, h.value))
                .collect();
            let outside = i > 0 && !matches!(path[i - 1].value, Hop::Service(_));
            let mut reached: Vec<bool> = (0..at.len())
                .map(|j| {
                    let Some(to) = at[j] else { return false };
                    if outside {
                        let host = p.host_device(svc.hosts[j].value);
                        let site = host.and_then(|d| p.devices[d.index()].site);
                        let entry = site.map_or(&[][..], |x| &p.sites[x.index()].entry[..]);
                        return entry.is_empty()
                            || entry.iter().any(|e| {
                                !self.device_down[e.value.index()]
                                    && (p.links.is_empty()
                                        || self.connected(&[e.value], &[to], false))
                            });
                    }
                    let Some((ps, pat, pflags)) = &prev else {
                        return true;
                    };
                    if p.links.is_empty() {
                        return true;
                    }
                    // The previous hop's sources: its serving instances, or
                    // for active-standby each shard's active member.
                    let sources: Vec<DeviceId> = if self.active_standby(*ps) {
                        self.groups(*ps)
                            .into_iter()
                            .filter_map(|(_, members)| {
                                let m = members.into_iter().find(|&m| pat[m].is_some())?;
                                pflags[m].then(|| pat[m].unwrap())
                            })
                            .collect()
                    } else {
                        (0..pat.len())
                            .filter(|&m| pflags[m])
                            .map(|m| pat[m].unwrap())
                            .collect()
                    };
                    !sources.is_empty() && self.connected(&sources, &[to], false)
                })
                .collect();
            if svc.ha.is_some_and(|h| h.value == HaMode::Quorum) {
                let inside = self.quorum_members(s, base.map(|b| &b.quorum[s.index()]));
                for (r, ok) in reached.iter_mut().zip(inside) {
                    *r &= ok;
                }
            }
            if let Some(b) = base {
                for (r, ok) in reached.iter_mut().zip(&b.serving[flags.len()]) {
                    *r &= *ok;
                }
            }
            for (g, members) in self.groups(s) {
                let ok = if self.active_standby(s) {
                    members
                        .iter()
                        .find(|&&m| at[m].is_some())
                        .is_some_and(|&m| reached[m])
                } else {
                    members.iter().filter(|&&m| reached[m]).count() >= self.needed(s, g)
                };
                works &= ok;
            }
            if svc.ha.is_some_and(|h| h.value == HaMode::Quorum) {
                works &= self.quorum_holds(s, base.map(|b| &b.quorum[s.index()]));
            }
            if matches!(
                i.checked_sub(1).map(|j| path[j].value),
                Some(Hop::Client(_))
            ) {
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
                    works = false;
                }
            }
            flags.push(reached.clone());
            prev = Some((s, at, reached));
        }
        (works, flags)
    }

    fn flow_works(&self, f: &Flow, base: Option<&[PathBase]>) -> bool {
        f.paths
            .iter()
            .enumerate()
            .all(|(i, path)| self.path(path, base.map(|b| &b[i])).0)
    }

    /// What serves in each path of a flow with nothing failed.
    fn flow_base(&self, f: &Flow) -> Vec<PathBase> {
        let quorum: Vec<Vec<Vec<bool>>> = (0..self.p.services.len())
            .map(|s| self.quorum_pairs(ServiceId(s as u32)))
            .collect();
        f.paths
            .iter()
            .map(|path| PathBase {
                serving: self.path(path, None).1,
                quorum: quorum.clone(),
            })
            .collect()
    }
}

/// A path's serving instances per service hop, and the quorum pairs,
/// with nothing failed.
struct PathBase {
    serving: Vec<Vec<bool>>,
    quorum: Vec<Vec<Vec<bool>>>,
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
    all.extend((0..p.powers.len()).map(|i| Candidate::Power(PowerId(i as u32))));
    all.extend((0..p.fault_domains.len()).map(|i| Candidate::FaultDomain(FaultDomainId(i as u32))));
    all
}

#[test]
fn kill_sets_match_brute_force_on_random_topologies() {
    let mut rng = Rng(0x7090_f417);
    let mut compared = 0;
    let mut stopped = 0;
    let mut storage_checked = 0;
    let mut replications_cut = 0;
    let mut cut_off = 0;
    let mut power_or_domain = 0;
    // Flows compared with an active-standby, quorum or sharded service, an
    // entry, or starting inside.
    let mut features = [0usize; 5];
    for round in 0..1800 {
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
        let mut baseline = World::new(p, sites, None);
        let mut never_up = BTreeSet::new();
        for (si, svc) in p.services.iter().enumerate() {
            for (hi, h) in svc.hosts.iter().enumerate() {
                let s = ServiceId(si as u32);
                if baseline.attachment(h.value).is_some()
                    && baseline.instance_up(s, h.value).is_none()
                {
                    never_up.insert((si, hi));
                }
            }
        }
        baseline.never_up = never_up.clone();
        // Replication runs over Ethernet between up instances.
        let expected: Vec<ReplicationId> = (0..p.replications.len())
            .map(|i| ReplicationId(i as u32))
            .filter(|r| {
                let r = &p.replications[r.index()];
                let (a, b) = (
                    baseline.live_attachments(r.from.value),
                    baseline.live_attachments(r.to.value),
                );
                !p.links.is_empty()
                    && !a.is_empty()
                    && !b.is_empty()
                    && !baseline.connected(&a, &b, false)
            })
            .collect();
        assert_eq!(
            fast.replication_unreachable, expected,
            "round {round}: replication\n{text}"
        );
        replications_cut += expected.len();
        // Instances up with nothing failed: the storage paths agree.
        for (si, svc) in p.services.iter().enumerate() {
            let s = ServiceId(si as u32);
            for (h, instance) in svc.hosts.iter().zip(&fast.instances[si]) {
                let up = baseline.instance_up(s, h.value).is_some()
                    || baseline.attachment(h.value).is_none();
                assert_eq!(
                    instance.up, up,
                    "round {round}: {} on {h:?}\n{text}",
                    svc.name
                );
                if svc.storage.is_some() && !p.links.is_empty() {
                    storage_checked += 1;
                    cut_off += usize::from(!up);
                }
            }
        }
        for (i, flow) in p.flows.iter().enumerate() {
            let id = FlowId(i as u32);
            let base = baseline.flow_base(flow);
            let works = baseline.flow_works(flow, Some(&base));
            assert_eq!(
                !works, fast.broken[i],
                "round {round}: flow{i} broken?\n{text}"
            );
            if !works {
                continue;
            }
            let expected: BTreeSet<Candidate> = candidates(p)
                .into_iter()
                .filter(|&c| {
                    let mut world = World::new(p, sites, Some(c));
                    world.never_up = never_up.clone();
                    !world.flow_works(flow, Some(&base))
                })
                .collect();
            let found: BTreeSet<Candidate> = fast.flow_stoppers(id).map(|(c, _)| c).collect();
            assert_eq!(found, expected, "round {round}: flow{i}\n{text}");
            compared += 1;
            stopped += expected.len();
            // Which of the v2 rules this flow exercised.
            let services: Vec<&Service> = flow
                .paths
                .iter()
                .flatten()
                .filter_map(|h| match h.value {
                    Hop::Service(s) => Some(&p.services[s.index()]),
                    _ => None,
                })
                .collect();
            let ha = |mode: HaMode| {
                services
                    .iter()
                    .any(|s| s.ha.is_some_and(|h| h.value == mode))
            };
            features[0] += usize::from(ha(HaMode::ActiveStandby));
            features[1] += usize::from(ha(HaMode::Quorum));
            features[2] += usize::from(services.iter().any(|s| s.shard.is_some()));
            features[3] += usize::from(p.sites.iter().any(|s| !s.entry.is_empty()));
            features[4] += usize::from(
                flow.paths
                    .iter()
                    .any(|x| matches!(x[0].value, Hop::Service(_))),
            );
            power_or_domain += expected
                .iter()
                .filter(|c| matches!(c, Candidate::Power(_) | Candidate::FaultDomain(_)))
                .count();
        }
    }
    eprintln!(
        "compared {compared} flows, {stopped} stoppers; {storage_checked} storage paths, {cut_off} cut off; {replications_cut} replications unreachable; {power_or_domain} stoppers are power sources or fault domains"
    );
    eprintln!("active-standby, quorum, shards, entry, inside: {features:?}");
    assert!(
        features.iter().all(|&n| n > 200),
        "the generator exercises too little: {features:?}"
    );
    assert!(
        power_or_domain > 300,
        "only {power_or_domain} power sources or fault domains stop flows"
    );
    assert!(compared > 2000, "only {compared} flows compared");
    assert!(
        replications_cut > 50,
        "only {replications_cut} replications cut"
    );
    assert!(
        cut_off > 50 && storage_checked > cut_off * 2,
        "storage paths: {cut_off} of {storage_checked} cut off"
    );
    assert!(
        stopped > 2000,
        "only {stopped} stoppers: the generator is too healthy to test much"
    );
}
