//! The brute-force reference of the failure model, shared by
//! `tests/failure_model.rs` (kill sets) and `tests/failure_model_dr.rs`
//! (DR take-over): a `World` fails one candidate and evaluates everything
//! again from scratch by plain rules, with none of the crate's kill sets.
//!
//! Power sources in a tree (feeds drawing `from` them), devices with `psu
//! N` or naming their `feeds`, fault domains over devices, vms and racks;
//! instances up on their host (or vm failover host) with their storage
//! reached; paths by breadth-first search over one medium at a time,
//! through up forwarding devices only; request paths hop by hop from the
//! serving instances of the hop before (or from a site's `entry`
//! devices), with active-standby (the first member up serves, per shard),
//! quorum (only members that a member with a majority reaches serve) and
//! shards (each shard needs its own serving instances).

use std::collections::{BTreeSet, VecDeque};
use topo::analyze::failure::Candidate;
use topo::check::{check_sources, Checked};
use topo::model::*;

/// A random project checked: it must have no language finding (the
/// generator writes valid text; unused `allow`s aside).
pub fn check_random(round: usize, text: &str) -> Checked {
    let checked = check_sources(&[("random.topo", text)]);
    let language: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| {
            topo::analyze::rule(d.rule)
                .is_some_and(|r| r.check.is_none() && r.name != "unused-allow")
        })
        .collect();
    assert!(language.is_empty(), "round {round}: {language:?}\n{text}");
    checked
}

/// A small xorshift generator: the same seed gives the same projects.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// Everything that fails when `c` fails, by direct simulation.
pub struct World<'p> {
    pub p: &'p Project,
    pub device_down: Vec<bool>,
    pub vm_down: Vec<bool>,
    /// Instances (service, host index) that cannot reach their storage with
    /// nothing failed: a failure does not repair a cabling fault (a vm that
    /// moves to a better-cabled failover host stays counted down).
    pub never_up: BTreeSet<(usize, usize)>,
}

impl<'p> World<'p> {
    pub fn new(p: &'p Project, universe_sites: bool, c: Option<Candidate>) -> World<'p> {
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

    /// The world with nothing failed, its instances that cannot reach their
    /// storage recorded in `never_up` (a failed world copies them).
    pub fn baseline(p: &'p Project, universe_sites: bool) -> World<'p> {
        let mut world = World::new(p, universe_sites, None);
        for (si, svc) in p.services.iter().enumerate() {
            for (hi, h) in svc.hosts.iter().enumerate() {
                let s = ServiceId(si as u32);
                if world.attachment(h.value).is_some() && world.instance_up(s, h.value).is_none() {
                    world.never_up.insert((si, hi));
                }
            }
        }
        world
    }

    /// The device a live instance is cabled through.
    pub fn attachment(&self, host: Host) -> Option<DeviceId> {
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
    pub fn instance_up(&self, s: ServiceId, host: Host) -> Option<DeviceId> {
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

    pub fn live_attachments(&self, s: ServiceId) -> Vec<DeviceId> {
        self.p.services[s.index()]
            .hosts
            .iter()
            .filter_map(|h| self.instance_up(s, h.value))
            .collect()
    }

    pub fn service_up(&self, s: ServiceId) -> bool {
        let svc = &self.p.services[s.index()];
        let needed = match (svc.load, svc.capacity) {
            (Some(l), Some(c)) => ((l.value.get() / c.value.get()) - 1e-9).ceil().max(1.0) as usize,
            _ => 1,
        };
        self.live_attachments(s).len() >= needed
    }

    /// A path from a device of `a` to one of `b` over one medium (Ethernet
    /// only, or also Fibre Channel), crossing only up forwarding devices.
    pub fn connected(&self, a: &[DeviceId], b: &[DeviceId], fibre_too: bool) -> bool {
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
            for l in p.links.iter().filter(|l| l.medium(p) == medium) {
                adjacency[l.from.device.index()].push(l.to.device.index());
                adjacency[l.to.device.index()].push(l.from.device.index());
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
    pub fn needed(&self, s: ServiceId, shard: Option<usize>) -> usize {
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
    pub fn groups(&self, s: ServiceId) -> Vec<(Option<usize>, Vec<usize>)> {
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

    pub fn active_standby(&self, s: ServiceId) -> bool {
        self.p.services[s.index()]
            .ha
            .is_some_and(|h| h.value == HaMode::ActiveStandby)
    }

    /// Which pairs (l, m) of a quorum service's members are joined: both
    /// up, connected over Ethernet (or no links declared), and, given
    /// `base`, connected with nothing failed too (a failure never joins a
    /// pair that was apart).
    pub fn quorum_joined(&self, s: ServiceId, base: Option<&Vec<Vec<bool>>>) -> Vec<Vec<bool>> {
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
                            base.is_none_or(|pairs| pairs[l][m])
                                && (self.p.links.is_empty()
                                    || l == m
                                    || self.connected(&[a], &[b], false))
                        }
                        _ => false,
                    })
                    .collect()
            })
            .collect()
    }

    /// The members of a quorum service that reach a majority of its
    /// members (themselves included).
    fn quorum_leaders(joined: &[Vec<bool>]) -> Vec<usize> {
        let n = joined.len();
        (0..n)
            .filter(|&l| joined[l].iter().filter(|&&j| j).count() > n / 2)
            .collect()
    }

    /// Whether a quorum service has a member that reaches a majority of
    /// its members (itself included); pairs that are not connected with
    /// nothing failed never count (`base`).
    pub fn quorum_holds(&self, s: ServiceId, base: Option<&Vec<Vec<bool>>>) -> bool {
        !World::quorum_leaders(&self.quorum_joined(s, base)).is_empty()
    }

    /// The members of a quorum service that a member with a majority
    /// reaches (itself included): only they serve.
    pub fn quorum_members(&self, s: ServiceId, base: Option<&Vec<Vec<bool>>>) -> Vec<bool> {
        let joined = self.quorum_joined(s, base);
        let leaders = World::quorum_leaders(&joined);
        (0..joined.len())
            .map(|m| leaders.iter().any(|&l| joined[l][m]))
            .collect()
    }

    /// Pairs of a quorum service's members connected with nothing failed.
    pub fn quorum_pairs(&self, s: ServiceId) -> Vec<Vec<bool>> {
        self.quorum_joined(s, None)
    }

    /// Evaluates one request path: whether it works, and per service hop
    /// which instances serve. `base` holds the instances that serve with
    /// nothing failed (a failure never makes another one serve) and the
    /// quorum pairs connected then.
    pub fn path(&self, path: &[Spanned<Hop>], base: Option<&PathBase>) -> (bool, Vec<Vec<bool>>) {
        let (works, flags, _) = self.hops(path, base);
        (works, flags)
    }

    /// [`World::path`], and per service hop whether it has enough serving
    /// instances itself (served from the hops before it).
    pub fn hops(
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

    pub fn flow_works(&self, paths: &[Vec<Spanned<Hop>>], base: Option<&[PathBase]>) -> bool {
        paths
            .iter()
            .enumerate()
            .all(|(i, path)| self.path(path, base.map(|b| &b[i])).0)
    }

    /// What serves in one path with nothing failed.
    pub fn path_base(&self, path: &[Spanned<Hop>]) -> PathBase {
        PathBase {
            serving: self.path(path, None).1,
            quorum: (0..self.p.services.len())
                .map(|s| self.quorum_pairs(ServiceId(s as u32)))
                .collect(),
        }
    }

    /// What serves in each path of a flow with nothing failed.
    pub fn flow_base(&self, paths: &[Vec<Spanned<Hop>>]) -> Vec<PathBase> {
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
pub struct PathBase {
    pub serving: Vec<Vec<bool>>,
    pub quorum: Vec<Vec<Vec<bool>>>,
}

/// Every candidate the spof universe fails alone: non-redundant devices,
/// vms, racks, feeds, sites (when there are two or more), power sources and
/// fault domains.
pub fn candidates(p: &Project) -> Vec<Candidate> {
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
