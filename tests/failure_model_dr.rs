//! DR take-over against a brute-force reference: on small random
//! primary/DR projects, every site is failed alone and every flow it stops
//! is followed again from scratch with each stopped hop replaced by its
//! taker at a DR site (`takes-over` on a service there, else the target
//! there of `replicate`); `Failures::dr_recovers` must agree, and `topo
//! check` must report the site by `dr-failover` for exactly the flows the
//! DR site brings back and by `spof` for exactly the others.
//!
//! A hop is *stopped* when, with the site failed and served from the hops
//! before it (themselves perhaps replaced), it is left without enough
//! serving instances: too few up, cut off from its callers, its quorum or
//! a shard lost. A service with an instance left elsewhere that the site
//! cuts off is replaced too, and so is a hop that does not work where it
//! now sits even with nothing failed (served from a replaced hop at the DR
//! site, it may reach none of its primary-site instances): the replaced
//! flow must work with nothing failed and with the site failed.
//!
//! The reference World below is the one of `tests/failure_model.rs`
//! (serving instances chained from the entry, active-standby, quorum,
//! shards, storage, media, transit), copied so that this file stays
//! independent of the crate's kill sets.

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

/// A random primary/DR project: two or three sites, s1 backing s0 and
/// s2 backing s0 or s1 (or no DR role); per site a rack with a switch,
/// servers cabled to it (not all) and a storage array; sometimes WAN links
/// between the switches and `entry` switches; services at the backed sites
/// with takers at their DR sites by `takes-over`, `replicate` or both —
/// sometimes none, sometimes one cut off or storing its data at the
/// primary —; and flows from a client through one to three services.
fn random_project(rng: &mut Rng) -> String {
    let mut t = String::new();
    let sites = 2 + rng.below(2);
    // backs[k]: the site s{k} backs.
    let mut backs: Vec<Option<usize>> = vec![None, Some(0)];
    if sites == 3 {
        backs.push(match rng.below(10) {
            0..=3 => Some(0),
            4..=6 => Some(1),
            _ => None,
        });
    }
    let servers: Vec<usize> = (0..sites).map(|_| 2 + rng.below(3)).collect();
    for k in 0..sites {
        let mut props = Vec::new();
        match backs[k] {
            Some(b) => {
                props.push("role dr".to_string());
                props.push(format!("backs s{b}"));
            }
            None if k == 0 => props.push("role primary".to_string()),
            None => {}
        }
        if rng.chance(25) {
            props.push(format!("entry sw{k}"));
        }
        t += &format!("site s{k} {{ {} }}\n", props.join("; "));
        t += &format!("rack r{k} {{ site s{k} }}\n");
        t += &format!("switch sw{k} {{ rack r{k} at U1; size 1U }}\n");
        t += &format!("storage st{k} {{ rack r{k} at U2; size 2U }}\n");
        if rng.chance(90) {
            t += &format!("link st{k} to sw{k}\n");
        }
        for j in 0..servers[k] {
            t += &format!("server h{k}x{j} {{ rack r{k} at U{}; size 1U }}\n", 4 + j);
            if rng.chance(85) {
                t += &format!("link h{k}x{j} to sw{k}\n");
            }
        }
    }
    for a in 0..sites {
        for b in a + 1..sites {
            if rng.chance(55) {
                t += &format!("link sw{a} to sw{b}\n");
            }
        }
    }
    let server = |rng: &mut Rng, k: usize| format!("h{k}x{}", rng.below(servers[k]));
    // Sites that some DR site backs: where the services live.
    let backed: Vec<usize> = (0..sites).filter(|k| backs.contains(&Some(*k))).collect();
    let services = 1 + rng.below(3);
    let mut takers = String::new();
    for i in 0..services {
        let home = backed[rng.below(backed.len())];
        let mut hosts = BTreeSet::new();
        for _ in 0..1 + rng.below(2) {
            hosts.insert(server(rng, home));
        }
        // An instance elsewhere keeps the service up when its site fails.
        if rng.chance(12) {
            let other = (home + 1 + rng.below(sites - 1)) % sites;
            hosts.insert(server(rng, other));
        }
        let mut props = Vec::new();
        if rng.chance(20) {
            props.push("ha active-standby".to_string());
        }
        if rng.chance(20) {
            props.push(format!("storage st{home}"));
        }
        let hosts: Vec<String> = hosts.into_iter().collect();
        t += &format!(
            "service svc{i} on {} {{ {} }}\n",
            hosts.join(" "),
            props.join("; ")
        );
        for (d, _) in backs.iter().enumerate().filter(|(_, b)| **b == Some(home)) {
            // The taker's storage: none, its own site's, or the primary's
            // (it then fails with the site it should replace).
            let storage = |rng: &mut Rng| match rng.below(10) {
                0..=1 => format!(" {{ storage st{home} }}"),
                2 => format!(" {{ storage st{d} }}"),
                _ => String::new(),
            };
            let (over, replica) = match rng.below(20) {
                0..=3 => (false, false),
                4..=10 => (true, false),
                11..=16 => (false, true),
                _ => (true, true),
            };
            if over {
                let s = storage(rng);
                let s = if s.is_empty() {
                    format!(" {{ takes-over svc{i} }}")
                } else {
                    format!(" {{ takes-over svc{i};{}", &s[2..])
                };
                takers += &format!("service svc{i}-t{d} on {}{s}\n", server(rng, d));
            }
            if replica {
                let s = storage(rng);
                takers += &format!("service svc{i}-r{d} on {}{s}\n", server(rng, d));
                takers += &format!("replicate svc{i} to svc{i}-r{d}\n");
            }
        }
    }
    t += &takers;
    t += "client user { browser }\n";
    for f in 0..1 + rng.below(3) {
        let path: Vec<String> = (0..1 + rng.below(3))
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
        let (works, flags, _) = self.hops(path, base);
        (works, flags)
    }

    /// [`World::path`], and per service hop whether it has enough serving
    /// instances itself (served from the hops before it).
    fn hops(
        &self,
        path: &[Spanned<Hop>],
        base: Option<&PathBase>,
    ) -> (bool, Vec<Vec<bool>>, Vec<bool>) {
        let p = self.p;
        let mut works = true;
        let mut hop_ok = Vec::new();
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
            if let Some(b) = base {
                for (r, ok) in reached.iter_mut().zip(&b.serving[flags.len()]) {
                    *r &= *ok;
                }
            }
            let mut enough = true;
            for (g, members) in self.groups(s) {
                let ok = if self.active_standby(s) {
                    members
                        .iter()
                        .find(|&&m| at[m].is_some())
                        .is_some_and(|&m| reached[m])
                } else {
                    members.iter().filter(|&&m| reached[m]).count() >= self.needed(s, g)
                };
                enough &= ok;
            }
            if svc.ha.is_some_and(|h| h.value == HaMode::Quorum) {
                enough &= self.quorum_holds(s, base.map(|b| &b.quorum[s.index()]));
            }
            works &= enough;
            hop_ok.push(enough);
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
        (works, flags, hop_ok)
    }

    fn flow_works(&self, paths: &[Vec<Spanned<Hop>>], base: Option<&[PathBase]>) -> bool {
        paths
            .iter()
            .enumerate()
            .all(|(i, path)| self.path(path, base.map(|b| &b[i])).0)
    }

    /// What serves in one path with nothing failed.
    fn path_base(&self, path: &[Spanned<Hop>]) -> PathBase {
        PathBase {
            serving: self.path(path, None).1,
            quorum: (0..self.p.services.len())
                .map(|s| self.quorum_pairs(ServiceId(s as u32)))
                .collect(),
        }
    }

    /// What serves in each path of a flow with nothing failed.
    fn flow_base(&self, paths: &[Vec<Spanned<Hop>>]) -> Vec<PathBase> {
        let quorum: Vec<Vec<Vec<bool>>> = (0..self.p.services.len())
            .map(|s| self.quorum_pairs(ServiceId(s as u32)))
            .collect();
        paths
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

/// The taker of `primary` at site `dr`: the first service with
/// `takes-over primary` and a host there, else the first target there of
/// `replicate primary to ...`.
fn taker(p: &Project, primary: ServiceId, dr: SiteId) -> Option<ServiceId> {
    let at = |s: ServiceId| {
        p.services[s.index()].hosts.iter().any(|h| {
            p.host_device(h.value)
                .is_some_and(|d| p.devices[d.index()].site == Some(dr))
        })
    };
    let over = (0..p.services.len())
        .map(|i| ServiceId(i as u32))
        .find(|&s| {
            p.services[s.index()]
                .takes_over
                .is_some_and(|t| t.value == primary)
                && at(s)
        });
    over.or_else(|| {
        p.replications
            .iter()
            .find(|r| r.from.value == primary && at(r.to.value))
            .map(|r| r.to.value)
    })
}

/// How the reference saw a (site, flow) the site stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Recovered,
    /// The site has no DR site.
    NoDrSite,
    /// Every DR site lacks a taker for some stopped hop (or there is no
    /// DR site).
    NoTaker,
    /// Some DR site has every taker, but the replaced flow still fails.
    BrokenTaker,
}

/// Fails `site` and follows `flow` again with its stopped hops replaced.
fn reference(p: &Project, baseline: &World, down: &World, site: SiteId, flow: &Flow) -> Verdict {
    let dr_sites: Vec<SiteId> = (0..p.sites.len())
        .map(|i| SiteId(i as u32))
        .filter(|d| p.sites[d.index()].backs.is_some_and(|b| b.value == site))
        .collect();
    let mut verdict = if dr_sites.is_empty() {
        Verdict::NoDrSite
    } else {
        Verdict::NoTaker
    };
    'dr: for dr in dr_sites {
        let mut replaced = Vec::new();
        for path in &flow.paths {
            // Walk the path: a hop is stopped when, served from the hops
            // (perhaps replaced) before it, it has too few serving
            // instances with the site down.
            let mut hops: Vec<Spanned<Hop>> = Vec::new();
            for hop in path {
                let mut value = hop.value;
                if let Hop::Service(s) = hop.value {
                    let mut trial = hops.clone();
                    trial.push(*hop);
                    let base = baseline.path_base(&trial);
                    let (_, _, ok) = down.hops(&trial, Some(&base));
                    let (_, _, up) = baseline.hops(&trial, Some(&base));
                    let works = |ok: &[bool]| ok.last().copied().unwrap_or(true);
                    if !works(&ok) || !works(&up) {
                        match taker(p, s, dr) {
                            Some(t) => value = Hop::Service(t),
                            None => continue 'dr,
                        }
                    }
                }
                hops.push(Spanned {
                    value,
                    span: hop.span,
                });
            }
            replaced.push(hops);
        }
        let base = baseline.flow_base(&replaced);
        if baseline.flow_works(&replaced, Some(&base)) && down.flow_works(&replaced, Some(&base)) {
            return Verdict::Recovered;
        }
        verdict = Verdict::BrokenTaker;
    }
    verdict
}

/// The flows named in a finding's message, in the part before `until`.
fn named_flows(message: &str, p: &Project) -> BTreeSet<FlowId> {
    let head = message.split(" until DR site").next().unwrap_or("");
    (0..p.flows.len())
        .filter(|&i| head.contains(&format!("`{}`", p.flows[i].name)))
        .map(|i| FlowId(i as u32))
        .collect()
}

#[test]
fn dr_take_over_matches_brute_force_on_random_primary_dr_projects() {
    let mut rng = Rng(0xd2_7a4e_0417);
    let mut counts = [0usize; 4]; // recovered, no DR site, no taker, broken taker
    let mut stopped_pairs = 0;
    let mut dr_findings = 0;
    for round in 0..1000 {
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
        let mut baseline = World::new(p, true, None);
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
        for (si, site) in p.sites.iter().enumerate() {
            let id = SiteId(si as u32);
            let c = Candidate::Site(id);
            let mut down = World::new(p, true, Some(c));
            down.never_up = never_up.clone();
            let mut recovered = BTreeSet::new();
            let mut unrecovered = BTreeSet::new();
            for (fi, flow) in p.flows.iter().enumerate() {
                let fid = FlowId(fi as u32);
                let base = baseline.flow_base(&flow.paths);
                if !baseline.flow_works(&flow.paths, Some(&base)) {
                    assert!(fast.broken[fi], "round {round}: flow{fi} broken\n{text}");
                    assert!(!fast.dr_recovers(c, fid));
                    continue;
                }
                let stops = !down.flow_works(&flow.paths, Some(&base));
                let fast_stops = fast.flow_stoppers(fid).any(|(x, _)| x == c);
                assert_eq!(
                    fast_stops, stops,
                    "round {round}: does s{si} stop flow{fi}?\n{text}"
                );
                if !stops {
                    assert!(!fast.dr_recovers(c, fid), "round {round}\n{text}");
                    continue;
                }
                stopped_pairs += 1;
                let verdict = reference(p, &baseline, &down, id, flow);
                counts[verdict as usize] += 1;
                assert_eq!(
                    fast.dr_recovers(c, fid),
                    verdict == Verdict::Recovered,
                    "round {round}: s{si} and flow{fi}: reference says {verdict:?}\n{text}"
                );
                if verdict == Verdict::Recovered {
                    recovered.insert(fid);
                } else {
                    unrecovered.insert(fid);
                }
            }
            // `check` names the site by spof for the flows not recovered
            // and by dr-failover for those recovered, and nothing else.
            let about = |rule: &str| -> Vec<&topo::diagnostic::Diagnostic> {
                checked
                    .diagnostics
                    .iter()
                    .filter(|d| d.rule == rule && d.subject.as_deref() == Some(site.name.as_str()))
                    .collect()
            };
            for (rule, flows) in [("spof", &unrecovered), ("dr-failover", &recovered)] {
                let found = about(rule);
                if flows.is_empty() {
                    assert!(found.is_empty(), "round {round}: {found:?}\n{text}");
                } else {
                    assert_eq!(found.len(), 1, "round {round}: {rule}\n{text}");
                    assert_eq!(
                        &named_flows(&found[0].message, p),
                        flows,
                        "round {round}: {}\n{text}",
                        found[0].message
                    );
                    dr_findings += usize::from(rule == "dr-failover");
                }
            }
        }
    }
    eprintln!(
        "{stopped_pairs} (site, flow) pairs stopped: {} recovered, {} by a site with no DR site, {} with no taker, {} with a taker that fails; {dr_findings} dr-failover findings",
        counts[0], counts[1], counts[2], counts[3]
    );
    assert!(
        counts[0] > 50 && counts[2] > 50 && counts[3] > 50,
        "the generator exercises too little: {counts:?}"
    );
}

// ---------------------------------------------------------------------------
// single-feed with named feeds
// ---------------------------------------------------------------------------

/// The single-feed findings of a fixture in `tests/fixtures/single-feed/`.
fn single_feed(name: &str) -> Vec<String> {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join(format!("tests/fixtures/single-feed/{name}.topo"));
    let checked = topo::check::check_files(&[path]);
    assert!(checked.unreadable.is_empty(), "{name} is missing");
    let language: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| topo::analyze::rule(d.rule).is_some_and(|r| r.check.is_none()))
        .collect();
    assert!(language.is_empty(), "{name}: {language:?}");
    checked
        .diagnostics
        .iter()
        .filter(|d| d.rule == "single-feed")
        .map(|d| d.message.clone())
        .collect()
}

#[test]
fn single_feed_names_the_one_feed_a_device_connects_to() {
    assert_eq!(
        single_feed("named-feeds"),
        [
            // `psu 1` and the feed it names.
            "`db1` has one power supply, on feed `b`, in rack `r2`, which has 2 feeds: \
             it fails with feed `b` alone",
            // Two PSUs, both on the one feed it names.
            "`db2` connects only to feed `b` in rack `r2`, which has 2 feeds: \
             it fails with feed `b` alone",
            // `psu 1` and no name: the rack's first feed.
            "`app2` has one power supply in rack `r3`, which has 3 feeds: \
             it fails with feed `a` alone",
            "`app3` connects only to feed `c` in rack `r3`, which has 3 feeds: \
             it fails with feed `c` alone",
        ]
    );
}

#[test]
fn single_feed_is_quiet_for_two_feeds_out_of_three() {
    // `psu 2` in a rack of three feeds, `psu 1` naming two feeds, two
    // named feeds, and no `psu` at all: each connects to two feeds or more.
    assert_eq!(single_feed("named-feeds-clean"), Vec::<String>::new());
}

#[test]
fn single_feed_keeps_its_v1_findings() {
    assert_eq!(
        single_feed("fires"),
        [
            "rack `r1` has one feed (`a1`) and hosts web1, web2 of shop-web, which flows need",
            "`db1` has one power supply in rack `r2`, which has 2 feeds: it fails with feed `a2` alone",
        ]
    );
    assert_eq!(single_feed("clean"), Vec::<String>::new());
}

/// On random racks of one to three feeds, single-feed names a device
/// exactly when one feed of its rack takes it down alone in the failure
/// model, and names that feed.
#[test]
fn single_feed_agrees_with_the_failure_model_on_random_racks() {
    let mut rng = Rng(0x05ee_df17);
    let mut warned = 0;
    let mut quiet = 0;
    for round in 0..300 {
        let mut t = String::from("site dc\n");
        let feeds = 1 + rng.below(3);
        for f in 0..feeds {
            t += &format!("feed f{f} {{ site dc; circuit 30A at 208V }}\n");
        }
        let names: Vec<String> = (0..feeds).map(|f| format!("f{f}")).collect();
        t += &format!("rack r {{ site dc; feeds {} }}\n", names.join(" "));
        let devices = 1 + rng.below(4);
        for d in 0..devices {
            let mut props = format!("rack r at U{}; size 1U", d + 1);
            if rng.chance(60) {
                props += &format!("; psu {}", 1 + rng.below(3));
            }
            if rng.chance(40) {
                let chosen: Vec<&String> = names.iter().filter(|_| rng.chance(50)).collect();
                if !chosen.is_empty() {
                    let list: Vec<&str> = chosen.iter().map(|s| s.as_str()).collect();
                    props += &format!("; feeds {}", list.join(" "));
                }
            }
            t += &format!("server d{d} {{ {props} }}\n");
        }
        let checked = check_sources(&[("random.topo", &t)]);
        let p = &checked.project;
        let fast = Failures::compute(p, &Universe::spof(p));
        for (i, d) in p.devices.iter().enumerate() {
            let alone: Vec<&str> = (0..p.feeds.len())
                .filter(|&f| {
                    fast.device_fails_with(DeviceId(i as u32), Candidate::Feed(FeedId(f as u32)))
                })
                .map(|f| p.feeds[f].name.as_str())
                .collect();
            let found: Vec<&str> = checked
                .diagnostics
                .iter()
                .filter(|x| x.rule == "single-feed" && x.subject.as_deref() == Some(&d.name))
                .map(|x| x.message.as_str())
                .collect();
            if feeds >= 2 && alone.len() == 1 {
                assert_eq!(found.len(), 1, "round {round}: {}\n{t}", d.name);
                assert!(
                    found[0].ends_with(&format!("it fails with feed `{}` alone", alone[0])),
                    "round {round}: {}\n{t}",
                    found[0]
                );
                warned += 1;
            } else {
                assert!(found.is_empty(), "round {round}: {found:?}\n{t}");
                quiet += 1;
            }
        }
    }
    eprintln!("single-feed: {warned} devices named, {quiet} quiet");
    assert!(warned > 100 && quiet > 100, "{warned} named, {quiet} quiet");
}
