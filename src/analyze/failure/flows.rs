//! Which candidates stop a flow, hop by hop along the serving instances.
//!
//! A hop's *serving* instances are chained from the entry: the first hop's
//! up instances that outside traffic reaches (through the site's `entry`
//! devices where it declares them), each next hop's up instances that a
//! serving instance of the previous hop reaches over Ethernet. An
//! instance's serving kill set is its up kill set plus the candidates that
//! cut it off from every serving instance before it — an OR over the
//! previous hop's instances, which [`Network::pair_kill`] answers with the
//! previous instances as alternative sources, each with its own kill set.
//! A hop has enough when its serving instances cover what it needs:
//! ⌈load ÷ capacity⌉ of them (or one), per shard for a sharded service;
//! for `ha active-standby` only the active member serves (the first member
//! up; a member cut off from its callers stays active); for `ha quorum`
//! the service serves only while a member reaches a majority.
//!
//! Hop states are cached per (where the hop is entered from, service), so
//! flows that share a prefix share its work, and every instance costs one
//! path search per context.

use std::collections::{BTreeMap, HashMap};

use super::candidates::{intersection, kills, union, Kill};
use super::groups::{active_cut, shards, Group};
use super::network::{Base, Media, Network, Sources};
use super::{Failures, Instance, Reason};
use crate::model::{DeviceId, HaMode, Hop, Host, Project, ServiceId, Spanned};

/// An endpoint's neighbours, and what its instance fails with but itself.
type Neighbourhood = (Vec<u32>, Kill);

/// (service, replacement) pairs of a path whose stopped hops were replaced.
pub(super) type Replaced = Vec<(ServiceId, ServiceId)>;

/// Consecutive hops of a path with no network path between them even with
/// nothing failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Gap {
    pub path: usize,
    /// Index of the second hop of the pair in the path.
    pub step: usize,
    /// The previous hop; `None` for outside traffic through `entry` devices.
    pub from: Option<ServiceId>,
    pub to: ServiceId,
    /// For an active-standby service: the active member nobody reaches.
    pub active: Option<Host>,
}

/// A flow's request paths evaluated against single failures.
pub(super) struct Outcome {
    /// The candidates that stop it, each with its reasons in path order.
    pub kill: Vec<(u32, Vec<Reason>)>,
    /// It does not work even with nothing failed.
    pub broken: bool,
    pub gaps: Vec<Gap>,
}

/// Where a hop's requests come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Origin {
    /// A flow that starts at a service.
    Inside,
    /// A client or a CDN: through the site's `entry` devices.
    Outside,
    /// The hop state (index) before it.
    After(usize),
}

/// One hop of a flow, in one context.
pub(super) struct HopState {
    pub service: ServiceId,
    origin: Origin,
    /// Per instance of the service: what stops it serving here; `None`
    /// when it does not serve even with nothing failed.
    pub serve: Vec<Option<Kill>>,
    /// The candidates that leave the hop without enough, with why.
    pub kill: Vec<(u32, Reason)>,
    /// Not enough even with nothing failed.
    pub broken: bool,
    /// Broken because nothing reaches enough up instances (`unreachable`),
    /// with the active member when that is the one not reached.
    pub gap: Option<Option<Host>>,
}

/// Evaluates flows, sharing what several flows ask.
pub(super) struct FlowEvaluator<'a> {
    p: &'a Project,
    f: &'a Failures,
    network: Option<&'a Network>,
    resolvers: HashMap<ServiceId, Vec<ServiceId>>,
    dns_kill: HashMap<ServiceId, Kill>,
    pub(super) states: Vec<HopState>,
    state_of: HashMap<(Origin, ServiceId), usize>,
    /// The serving instances of each hop state, indexed for the next hop.
    sources: HashMap<usize, Sources>,
    /// What cuts off an instance, per origin and neighbourhood.
    reach_memo: HashMap<(Origin, Neighbourhood), Option<Kill>>,
    /// The hosts of the instances of each hop state.
    source_devices: HashMap<usize, std::collections::HashSet<DeviceId>>,
    quorum: HashMap<ServiceId, Quorum>,
}

/// What stops a quorum service's members agreeing.
#[derive(Clone)]
struct Quorum {
    /// Members reach a majority with nothing failed.
    holds: bool,
    /// The candidates that leave no member with a majority.
    kill: Vec<(u32, Reason)>,
    /// Per member: what takes it out of the majority (a member cut off
    /// with a minority does not serve); `None` when it is outside with
    /// nothing failed.
    member: Vec<Option<Kill>>,
}

/// Members of a quorum group whose connections are checked pairwise; real
/// consensus groups have 3 to 7. Larger groups count members that are up.
const QUORUM_PAIRS: usize = 32;

impl<'a> FlowEvaluator<'a> {
    pub(super) fn new(p: &'a Project, f: &'a Failures, network: Option<&'a Network>) -> Self {
        let mut resolvers: HashMap<ServiceId, Vec<ServiceId>> = HashMap::new();
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
        FlowEvaluator {
            p,
            f,
            network,
            resolvers,
            dns_kill: HashMap::new(),
            states: Vec::new(),
            state_of: HashMap::new(),
            sources: HashMap::new(),
            reach_memo: HashMap::new(),
            source_devices: HashMap::new(),
            quorum: HashMap::new(),
        }
    }

    fn base(&self) -> Base<'a> {
        Base {
            numbering: self.f.numbering,
            device_kill: &self.f.device_kill,
            vm_hosts: &self.f.vm_hosts,
        }
    }

    /// Evaluates request paths (a flow's, or a flow's with hops replaced).
    pub(super) fn outcome(&mut self, paths: &[Vec<Spanned<Hop>>]) -> Outcome {
        let mut broken = false;
        let mut gaps = Vec::new();
        let mut kill: BTreeMap<u32, Vec<Reason>> = BTreeMap::new();
        let add = |c: u32, reason: &Reason, kill: &mut BTreeMap<u32, Vec<Reason>>| {
            let list = kill.entry(c).or_default();
            if !list.contains(reason) {
                list.push(reason.clone());
            }
        };
        for (pi, path) in paths.iter().enumerate() {
            let mut origin = Origin::Inside;
            // Candidates that stopped an earlier hop of this path.
            let mut stopped: Kill = Vec::new();
            for (step, hop) in path.iter().enumerate() {
                let s = match hop.value {
                    Hop::Service(s) => s,
                    Hop::Client(_) | Hop::Cdn(_) => {
                        origin = Origin::Outside;
                        continue;
                    }
                };
                let id = self.state(origin, s);
                let state = &self.states[id];
                broken |= state.broken;
                if let Some(active) = state.gap {
                    gaps.push(Gap {
                        path: pi,
                        step,
                        from: match state.origin {
                            Origin::After(prev) => Some(self.states[prev].service),
                            _ => None,
                        },
                        to: s,
                        active,
                    });
                }
                for (c, reason) in &state.kill {
                    // Cut off because an earlier hop already stopped: the
                    // earlier hop is the reason.
                    let follows =
                        matches!(reason, Reason::Path { .. }) && stopped.binary_search(c).is_ok();
                    if !follows {
                        add(*c, reason, &mut kill);
                    } else {
                        kill.entry(*c).or_default();
                    }
                }
                let ids: Kill = state.kill.iter().map(|(c, _)| *c).collect();
                stopped = union(&stopped, &ids);
                let from_client = step > 0 && matches!(path[step - 1].value, Hop::Client(_));
                if from_client {
                    // Entered from a client or CDN: the names must resolve.
                    if let Some(all) = self.dns(s) {
                        let reason = Reason::Dns {
                            entry: s,
                            dns: self.resolvers[&s].clone(),
                        };
                        for c in all {
                            add(c, &reason, &mut kill);
                        }
                    }
                }
                origin = Origin::After(id);
            }
        }
        Outcome {
            kill: kill.into_iter().collect(),
            broken,
            gaps,
        }
    }

    /// A path with every hop that candidate `c` stops replaced by
    /// `replace(service)`: walked hop by hop, so a hop counts as stopped
    /// when, served from the hops (perhaps replaced) before it, it is left
    /// without enough serving instances once `c` fails. Also returns the (service,
    /// replacement) pairs used; `None` when a stopped hop has none.
    pub(super) fn replace_stopped(
        &mut self,
        path: &[Spanned<Hop>],
        c: u32,
        replace: impl Fn(ServiceId) -> Option<ServiceId>,
    ) -> Option<(Vec<Spanned<Hop>>, Replaced)> {
        let mut origin = Origin::Inside;
        let mut hops = Vec::with_capacity(path.len());
        let mut used = Vec::new();
        for hop in path {
            let s = match hop.value {
                Hop::Service(s) => s,
                Hop::Client(_) | Hop::Cdn(_) => {
                    origin = Origin::Outside;
                    hops.push(*hop);
                    continue;
                }
            };
            let mut id = self.state(origin, s);
            // Served from a replaced hop, a hop may not work even with
            // nothing failed: it is stopped too.
            let state = &self.states[id];
            let stopped = state.broken || state.kill.binary_search_by_key(&c, |(k, _)| *k).is_ok();
            let mut value = s;
            if stopped {
                value = replace(s)?;
                used.push((s, value));
                id = self.state(origin, value);
            }
            hops.push(Spanned {
                value: Hop::Service(value),
                span: hop.span,
            });
            origin = Origin::After(id);
        }
        Some((hops, used))
    }

    /// The candidates that take down every `dns` resolving `s`.
    fn dns(&mut self, s: ServiceId) -> Option<Kill> {
        let dns = self.resolvers.get(&s)?;
        let f = self.f;
        let all = self.dns_kill.entry(s).or_insert_with(|| {
            let mut all = f.service_kill[dns[0].index()].clone();
            for d in &dns[1..] {
                all = intersection(&all, &f.service_kill[d.index()]);
            }
            all
        });
        Some(all.clone())
    }

    /// The hop state of `s` entered from `origin`, computed once.
    fn state(&mut self, origin: Origin, s: ServiceId) -> usize {
        if let Some(&id) = self.state_of.get(&(origin, s)) {
            return id;
        }
        let state = self.compute_state(origin, s);
        self.states.push(state);
        let id = self.states.len() - 1;
        self.state_of.insert((origin, s), id);
        id
    }

    fn compute_state(&mut self, origin: Origin, s: ServiceId) -> HopState {
        let f = self.f;
        let service = &self.p.services[s.index()];
        let instances = &f.instances[s.index()];
        // Nothing to reach from: the previous hop is broken already.
        let no_source = matches!(origin, Origin::After(prev)
            if self.states[prev].serve.iter().all(Option::is_none));
        let quorum = service.ha_is(HaMode::Quorum).then(|| self.quorum_of(s));
        let serve: Vec<Option<Kill>> = instances
            .iter()
            .enumerate()
            .map(|(j, inst)| {
                if !inst.up || no_source {
                    return None;
                }
                let cut = self.reach(origin, inst)?;
                let serve = union(&inst.kill, &cut);
                match &quorum {
                    Some(q) => Some(union(&serve, q.member[j].as_ref()?)),
                    None => Some(serve),
                }
            })
            .collect();
        let mut state = HopState {
            service: s,
            origin,
            serve,
            kill: Vec::new(),
            broken: no_source,
            gap: None,
        };
        let from = match origin {
            Origin::After(prev) => Some(self.states[prev].service),
            _ => None,
        };
        let mut kill: BTreeMap<u32, Reason> = BTreeMap::new();
        let active_standby = service.ha_is(HaMode::ActiveStandby);
        for (shard, members) in shards(self.p, s, instances.len()) {
            let needed =
                super::instances_needed(self.p, s, self.f.loads[s.index()].as_ref(), shard);
            let group = Group {
                service: s,
                shard,
                members: &members,
                instances,
                serve: &state.serve,
                needed,
                from,
            };
            let result = if active_standby {
                group.active_standby()
            } else {
                group.enough()
            };
            state.broken |= result.broken;
            if result.broken && !no_source && state.gap.is_none() && result.reached_short {
                state.gap = Some(result.active);
            }
            for (c, r) in result.kill {
                kill.entry(c).or_insert(r);
            }
        }
        if let Some(q) = quorum {
            if !q.holds {
                // `unreachable` reports the quorum itself.
                state.broken = true;
                state.gap = None;
            }
            // Losing the majority explains a cut better than the path.
            for (c, r) in q.kill {
                match kill.get(&c) {
                    Some(Reason::Service { .. }) => {}
                    _ => {
                        kill.insert(c, r);
                    }
                }
            }
        }
        state.kill = kill.into_iter().collect();
        state
    }

    /// What cuts an up instance off from where its requests come from;
    /// `None` when nothing reaches it even with nothing failed.
    ///
    /// Instances on servers cabled to the same switches, and failing with
    /// the same things but themselves, are cut off by the same failures
    /// (their own failure aside, which their up kill set holds): a tier of
    /// a hundred servers on two top-of-rack switches costs one search per
    /// rack, not one per server.
    fn reach(&mut self, origin: Origin, inst: &Instance) -> Option<Kill> {
        if origin == Origin::Inside {
            return Some(Vec::new());
        }
        let key = self
            .neighbourhood(inst)
            .filter(|_| !self.starts_at(origin, inst.host));
        if let Some(key) = &key {
            if let Some(cut) = self.reach_memo.get(&(origin, key.clone())) {
                return cut.clone();
            }
        }
        let cut = match origin {
            Origin::Outside => self.entry_reach(inst),
            Origin::After(prev) => self.after_reach(prev, inst),
            Origin::Inside => Some(Vec::new()),
        };
        if let Some(key) = key {
            let own = self.f.numbering.id(match inst.host {
                Host::Device(d) => super::Candidate::Device(d),
                Host::Vm(v) => super::Candidate::Vm(v),
            });
            let shared = cut
                .as_ref()
                .map(|c| c.iter().copied().filter(|&x| x != own).collect());
            self.reach_memo.insert((origin, key), shared);
        }
        cut
    }

    /// Whether requests to an instance may come from its own host (an entry
    /// device or a serving instance before it runs there): then its
    /// neighbours do not decide alone.
    fn starts_at(&mut self, origin: Origin, host: Host) -> bool {
        let p = self.p;
        let Some(d) = p.host_device(host) else {
            return false;
        };
        match origin {
            Origin::Inside => false,
            Origin::Outside => p.sites.iter().any(|s| s.entry.iter().any(|e| e.value == d)),
            Origin::After(prev) => {
                let service = self.states[prev].service;
                let f = self.f;
                self.source_devices
                    .entry(prev)
                    .or_insert_with(|| {
                        f.instances[service.index()]
                            .iter()
                            .filter_map(|i| p.host_device(i.host))
                            .collect()
                    })
                    .contains(&d)
            }
        }
    }

    /// What decides which failures cut an instance off, but the instance
    /// itself: its endpoint's neighbours and what else its host and
    /// storage fail with; for a vm, its host and failover host. `None` for a
    /// forwarding host (it may carry other paths).
    fn neighbourhood(&self, inst: &Instance) -> Option<Neighbourhood> {
        let net = self.network?;
        let d = match inst.host {
            Host::Device(d) => d,
            // A vm is cut off by what cuts off its host and failover host.
            Host::Vm(v) => {
                let (host, failover) = self.f.vm_hosts[v.index()];
                let own = self.f.numbering.id(super::Candidate::Vm(v));
                let kill = inst.kill.iter().copied().filter(|&x| x != own).collect();
                let at = |d: Option<DeviceId>| d.map_or(u32::MAX, |d| d.0);
                return Some((vec![u32::MAX, at(host), at(failover)], kill));
            }
        };
        let (neighbours, forwards) = net.neighbours(d);
        if forwards {
            return None;
        }
        let own = self.f.numbering.id(super::Candidate::Device(d));
        let kill = inst.kill.iter().copied().filter(|&x| x != own).collect();
        Some((neighbours.to_vec(), kill))
    }

    /// Outside traffic reaches an instance directly, or where its site
    /// declares `entry`, through an up entry device and a path from it.
    fn entry_reach(&mut self, inst: &Instance) -> Option<Kill> {
        let p = self.p;
        let site = p
            .host_device(inst.host)
            .and_then(|d| p.devices[d.index()].site);
        let Some(site) = site.filter(|s| !p.sites[s.index()].entry.is_empty()) else {
            return Some(Vec::new());
        };
        let f = self.f;
        let entries: Vec<Instance> = p.sites[site.index()]
            .entry
            .iter()
            .map(|e| Instance {
                host: Host::Device(e.value),
                up: true,
                kill: f.device_kill[e.value.index()].clone(),
            })
            .collect();
        // The target carries what kills its host only (not the service's
        // storage): the caller adds its up kill set.
        let at_host = Instance {
            host: inst.host,
            up: true,
            kill: match inst.host {
                Host::Device(d) => f.device_kill[d.index()].clone(),
                Host::Vm(v) => f.vm_kill[v.index()].clone(),
            },
        };
        match self.network {
            Some(net) => net.pair_kill(&self.base(), &entries, &[at_host], Media::Ethernet),
            None => Some(entries[1..].iter().fold(entries[0].kill.clone(), |acc, e| {
                intersection(&acc, &e.kill)
            })),
        }
    }

    /// An instance of the next hop is reached from any serving instance of
    /// the previous one; after an active-standby hop, from its active
    /// member only (per shard: any shard's active member), and which member
    /// is active depends on what failed.
    fn after_reach(&mut self, prev: usize, inst: &Instance) -> Option<Kill> {
        let Some(net) = self.network else {
            return Some(Vec::new());
        };
        let base = self.base();
        let state = &self.states[prev];
        let before = &self.f.instances[state.service.index()];
        let prev_service = &self.p.services[state.service.index()];
        let target = [inst.clone()];
        if !prev_service.ha_is(HaMode::ActiveStandby) {
            // Indexed once per hop state: every instance of this hop then
            // searches back to the nearest serving instance before it.
            let sources = self.sources.entry(prev).or_insert_with(|| {
                let serving: Vec<Instance> = before
                    .iter()
                    .zip(&state.serve)
                    .filter_map(|(i, k)| {
                        Some(Instance {
                            host: i.host,
                            up: true,
                            kill: k.clone()?,
                        })
                    })
                    .collect();
                Sources::new(net, &base, &serving, Media::Ethernet)
            });
            return net.reach_kill(&base, sources, inst, Media::Ethernet);
        }
        let path = |m: usize| {
            net.pair_kill(
                &base,
                std::slice::from_ref(&before[m]),
                &target,
                Media::Ethernet,
            )
        };
        // Reached through one shard's active member: an OR over shards is
        // the intersection of what cuts each.
        let mut cut: Option<Kill> = None;
        for (_, members) in shards(self.p, state.service, before.len()) {
            if let Some(k) = active_cut(before, &state.serve, &members, path) {
                cut = Some(match cut {
                    Some(acc) => intersection(&acc, &k),
                    None => k,
                });
            }
        }
        cut
    }

    /// Quorum services whose members reach no majority with nothing failed.
    pub(super) fn quorums_lost(&mut self) -> Vec<ServiceId> {
        let quorum: Vec<ServiceId> = (0..self.p.services.len())
            .map(|i| ServiceId(i as u32))
            .filter(|s| self.p.services[s.index()].ha_is(HaMode::Quorum))
            .collect();
        quorum
            .into_iter()
            .filter(|&s| !self.quorum_of(s).holds)
            .collect()
    }

    /// The quorum of a service: a member that reaches a majority of the
    /// members (itself included) can lead.
    fn quorum_of(&mut self, s: ServiceId) -> Quorum {
        if let Some(q) = self.quorum.get(&s) {
            return q.clone();
        }
        let f = self.f;
        let members = &f.instances[s.index()];
        let n = members.len();
        let majority = n / 2 + 1;
        let base = self.base();
        let pairs: Option<Vec<Vec<Option<Kill>>>> = match self.network {
            Some(net) if n <= QUORUM_PAIRS => Some(
                members
                    .iter()
                    .map(|a| {
                        members
                            .iter()
                            .map(|b| {
                                if !a.up || !b.up {
                                    return None;
                                }
                                if a.host == b.host {
                                    return Some(Vec::new());
                                }
                                net.pair_kill(
                                    &base,
                                    std::slice::from_ref(a),
                                    std::slice::from_ref(b),
                                    Media::Ethernet,
                                )
                            })
                            .collect()
                    })
                    .collect(),
            ),
            _ => None,
        };
        let Some(pairs) = pairs else {
            // No paths to check (no links, or a group too large to check
            // pairwise): a majority of the members up is the quorum.
            let up: Vec<&Kill> = members.iter().filter(|m| m.up).map(|m| &m.kill).collect();
            let holds = up.len() >= majority;
            let lost = if holds {
                super::groups::threshold(&up, majority)
            } else {
                Vec::new()
            };
            let kill = lost
                .iter()
                .map(|&c| {
                    let left = up.iter().filter(|k| !kills(k, c)).count();
                    let reason = Reason::Quorum {
                        service: s,
                        left,
                        of: n,
                        needed: majority,
                    };
                    (c, reason)
                })
                .collect();
            let member = members
                .iter()
                .map(|m| (holds && m.up).then(|| lost.clone()))
                .collect();
            let q = Quorum {
                holds,
                kill,
                member,
            };
            self.quorum.insert(s, q.clone());
            return q;
        };
        let up = |m: usize, c: Option<u32>| {
            members[m].up && c.is_none_or(|c| !kills(&members[m].kill, c))
        };
        let joined = |l: usize, m: usize, c: Option<u32>| {
            up(l, c)
                && up(m, c)
                && pairs[l][m]
                    .as_ref()
                    .is_some_and(|k| c.is_none_or(|c| !kills(k, c)))
        };
        // Per member, how many members it gathers under a failure.
        let gathered = |c: Option<u32>| -> Vec<usize> {
            (0..n)
                .map(|l| (0..n).filter(|&m| joined(l, m, c)).count())
                .collect()
        };
        // The members a leader with a majority reaches: they serve.
        let in_quorum = |c: Option<u32>| -> Vec<bool> {
            let counts = gathered(c);
            (0..n)
                .map(|m| (0..n).any(|l| counts[l] >= majority && joined(l, m, c)))
                .collect()
        };
        let best = |c: Option<u32>| gathered(c).into_iter().max().unwrap_or(0);
        let holds = best(None) >= majority;
        let mut kill = Vec::new();
        let base_members = in_quorum(None);
        let mut member: Vec<Option<Kill>> = base_members
            .iter()
            .map(|&inside| inside.then(Vec::new))
            .collect();
        if holds {
            let mut suspects: Kill = members
                .iter()
                .flat_map(|m| m.kill.iter().copied())
                .collect();
            suspects.extend(pairs.iter().flatten().flatten().flatten().copied());
            suspects.sort_unstable();
            suspects.dedup();
            for c in suspects {
                let left = best(Some(c));
                if left < majority {
                    kill.push((
                        c,
                        Reason::Quorum {
                            service: s,
                            left,
                            of: n,
                            needed: majority,
                        },
                    ));
                }
                for (m, inside) in in_quorum(Some(c)).into_iter().enumerate() {
                    if let (Some(k), false) = (&mut member[m], inside) {
                        k.push(c);
                    }
                }
            }
        }
        let q = Quorum {
            holds,
            kill,
            member,
        };
        self.quorum.insert(s, q.clone());
        q
    }
}
