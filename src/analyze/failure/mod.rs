//! The failure model (`docs/reference.md`, "The failure model"): which single
//! failures stop which flows, computed without re-running the model once per
//! element.
//!
//! Every element that can fail is a *candidate*: devices, vms, racks, feeds,
//! power sources, fault domains and (where there are several) sites. For
//! each thing that can go down (a device, a vm, a service instance, a hop
//! of a flow, a flow) we compute its *kill set*: the candidates whose
//! failure alone takes it down. Kill sets combine like the dependencies do:
//! an AND of requirements is the union of their kill sets, an OR of
//! alternatives (any instance, any feed) is their intersection, and "k of n
//! instances" keeps the candidates that take more than n - k of them. Kill
//! sets stay small (a device dies with itself, its rack, its feeds and
//! their sources, its fault domains, its site), so this is near-linear in
//! the size of the project.
//!
//! `elements` computes what devices and vms fail with. An instance of a
//! service with `storage` is up only while the storage device is up and,
//! where the project declares links, reachable from the host over Ethernet
//! or Fibre Channel. An instance that cannot reach its storage even with
//! nothing failed is never up (`unreachable` says so), whatever fails
//! later: a vm moved to a better-cabled failover host is not counted on,
//! since the design is already reported broken there.
//!
//! `flows` chains serving instances hop by hop (from the entry, through
//! active-standby, quorum and shards: its module doc says how), `network`
//! finds the candidates that cut every path between sets of instances,
//! `dr` replaces the hops a failed site stops with their DR take-overs,
//! `candidates` numbers what can fail and combines kill sets, and
//! `explain` puts a failure's effects into words.

mod candidates;
mod dr;
mod elements;
mod explain;
mod flows;
mod groups;
pub mod load;
mod network;

use std::collections::HashMap;

use crate::model::{DeviceId, FlowId, Host, Project, ReplicationId, ServiceId, VmId};

use candidates::{intersection, kills, union, Kill, Numbering};
pub use candidates::{Candidate, Universe};
use elements::ElementKills;
pub use explain::{
    describe, entry_text, impact, is_quorum, name_list, outage_common, reason_text, reason_texts,
    trip_text, CapacityLeft, Impact, ServiceRow, VmRow,
};
use flows::{FlowEvaluator, Outcome};
use groups::threshold;
pub use network::forwards;
use network::{Base, Media, Network};

/// Why a candidate stops a flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// The service (or one shard of it) keeps `left` of `of` instances up
    /// but needs `needed`.
    Service {
        service: ServiceId,
        shard: Option<usize>,
        left: usize,
        of: usize,
        needed: usize,
    },
    /// Every `dns` resolving the entry service goes down.
    Dns {
        entry: ServiceId,
        dns: Vec<ServiceId>,
    },
    /// Enough instances stay up, but too few are reached from the previous
    /// hop (`from`), or from outside through the site's `entry` devices
    /// (`None`); for active-standby, the `active` member that stays up.
    Path {
        from: Option<ServiceId>,
        to: ServiceId,
        active: Option<Host>,
    },
    /// A quorum service: no member reaches `needed` of the `of` members
    /// (the most one gathers is `left`).
    Quorum {
        service: ServiceId,
        left: usize,
        of: usize,
        needed: usize,
    },
}

/// Consecutive hops of a flow with no network path even with nothing failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreachable {
    pub flow: FlowId,
    pub path: usize,
    /// Index of the second hop of the pair in the path.
    pub step: usize,
    /// The previous hop; `None` for outside traffic through the `entry`
    /// devices of the site.
    pub from: Option<ServiceId>,
    pub to: ServiceId,
    /// For an active-standby service: the active member nothing reaches.
    pub active: Option<Host>,
}

/// Hosts of a service that reach no path to its storage device, with
/// nothing failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoStorage {
    pub service: ServiceId,
    pub storage: DeviceId,
    pub hosts: Vec<Host>,
}

/// One instance of a service: where it runs and what kills it.
#[derive(Debug, Clone)]
pub struct Instance {
    pub host: Host,
    /// Up with nothing failed: false when the host has no network path to
    /// the service's storage.
    pub up: bool,
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
    /// Each service's load (`load`, or its flows' rps rates).
    pub loads: Vec<Option<load::Load>>,
    /// Services whose flows' rates are too large to add up (no load).
    pub load_overflow: Vec<ServiceId>,
    /// Instances each service needs: 1, or ⌈load ÷ capacity⌉.
    pub needed: Vec<usize>,
    service_kill: Vec<Kill>,
    /// Per flow: the candidates that stop it, each with its reasons.
    flow_kill: Vec<Vec<(u32, Vec<Reason>)>>,
    /// Per service and instance: the candidates that stop it serving
    /// wherever it serves (down, or cut off from every caller).
    serve_kill: Vec<Vec<Kill>>,
    /// Per service: the candidates that leave one of its hops short.
    hop_kill: Vec<Kill>,
    /// Flows that do not work even with nothing failed.
    pub broken: Vec<bool>,
    pub unreachable: Vec<Unreachable>,
    /// Services whose hosts cannot reach their storage.
    pub no_storage: Vec<NoStorage>,
    /// Replications with no Ethernet path from any up instance of the
    /// source to any up instance of the target, with nothing failed.
    pub replication_unreachable: Vec<ReplicationId>,
    /// Quorum services whose members reach no majority with nothing failed.
    pub no_quorum: Vec<ServiceId>,
    /// Per site with a DR site: what the DR site recovers when it fails.
    take_overs: Vec<Option<dr::TakeOver>>,
    /// Who takes over which service at which DR site.
    takers: dr::Takers,
}

impl Failures {
    pub fn compute(p: &Project, universe: &Universe) -> Failures {
        let n = Numbering::new(p);
        let ElementKills {
            device: device_kill,
            vm: vm_kill,
            vm_hosts,
        } = ElementKills::compute(p, universe, &n);
        let network = (!p.links.is_empty()).then(|| Network::new(p, n.total as usize));
        let mut storage_paths: HashMap<(Host, DeviceId), Option<Kill>> = HashMap::new();
        let mut no_storage = Vec::new();
        let instances: Vec<Vec<Instance>> = p
            .services
            .iter()
            .enumerate()
            .map(|(si, s)| {
                let storage = s.storage.map(|d| d.value);
                let storage_kill = storage.map_or(Vec::new(), |d| device_kill[d.index()].clone());
                let mut cut_off = Vec::new();
                let list = s
                    .hosts
                    .iter()
                    .map(|h| {
                        let host_kill = match h.value {
                            Host::Device(d) => &device_kill[d.index()],
                            Host::Vm(v) => &vm_kill[v.index()],
                        };
                        let mut instance = Instance {
                            host: h.value,
                            up: true,
                            kill: union(host_kill, &storage_kill),
                        };
                        let (Some(st), Some(net)) = (storage, &network) else {
                            return instance;
                        };
                        let base = Base {
                            numbering: n,
                            device_kill: &device_kill,
                            vm_hosts: &vm_hosts,
                        };
                        let path = storage_paths.entry((h.value, st)).or_insert_with(|| {
                            let array = Instance {
                                host: Host::Device(st),
                                up: true,
                                kill: device_kill[st.index()].clone(),
                            };
                            net.pair_kill(&base, &[instance.clone()], &[array], Media::Either)
                        });
                        match path {
                            Some(cut) => instance.kill = union(&instance.kill, cut),
                            None => {
                                instance.up = false;
                                cut_off.push(h.value);
                            }
                        }
                        instance
                    })
                    .collect();
                if let (Some(st), false) = (storage, cut_off.is_empty()) {
                    no_storage.push(NoStorage {
                        service: ServiceId(si as u32),
                        storage: st,
                        hosts: cut_off,
                    });
                }
                list
            })
            .collect();
        let (loads, load_overflow) = load::loads(p);
        let needed: Vec<usize> = (0..p.services.len())
            .map(|i| instances_needed(p, ServiceId(i as u32), loads[i].as_ref(), None))
            .collect();
        let service_kill: Vec<Kill> = instances
            .iter()
            .zip(&needed)
            .map(|(inst, &k)| {
                let up: Vec<&Kill> = inst.iter().filter(|i| i.up).map(|i| &i.kill).collect();
                threshold(&up, k)
            })
            .collect();
        let serve_kill = instances
            .iter()
            .map(|list| list.iter().map(|i| i.kill.clone()).collect())
            .collect();
        let mut f = Failures {
            numbering: n,
            device_kill,
            vm_kill,
            vm_hosts,
            instances,
            loads,
            load_overflow,
            needed,
            service_kill,
            flow_kill: Vec::new(),
            serve_kill,
            hop_kill: vec![Vec::new(); p.services.len()],
            broken: vec![false; p.flows.len()],
            unreachable: Vec::new(),
            no_storage,
            replication_unreachable: Vec::new(),
            no_quorum: Vec::new(),
            take_overs: Vec::new(),
            takers: dr::Takers::default(),
        };
        f.flows(p, network.as_ref());
        if let Some(net) = &network {
            f.replications(p, net);
        }
        f.take_overs(p, network.as_ref());
        f
    }

    /// Replication travels over Ethernet only. A side with no instance up
    /// is reported by what took its instances (their storage).
    fn replications(&mut self, p: &Project, net: &Network) {
        let base = Base {
            numbering: self.numbering,
            device_kill: &self.device_kill,
            vm_hosts: &self.vm_hosts,
        };
        for (i, r) in p.replications.iter().enumerate() {
            let (from, to) = (r.from.value, r.to.value);
            if self.up_count(from) == 0 || self.up_count(to) == 0 {
                continue;
            }
            let (a, b) = (&self.instances[from.index()], &self.instances[to.index()]);
            if !net.connects(&base, a, b, Media::Ethernet) {
                self.replication_unreachable.push(ReplicationId(i as u32));
            }
        }
    }

    /// Instances of a service that are up with nothing failed.
    fn up_count(&self, s: ServiceId) -> usize {
        self.instances[s.index()].iter().filter(|i| i.up).count()
    }

    fn flows(&mut self, p: &Project, network: Option<&Network>) {
        let mut evaluator = FlowEvaluator::new(p, self, network);
        let outcomes: Vec<Outcome> = p
            .flows
            .iter()
            .map(|f| evaluator.outcome(&f.paths))
            .collect();
        let no_quorum = evaluator.quorums_lost();
        // Where an instance serves, what stops it serving in every context.
        let mut serve_kill: Vec<Vec<Option<Kill>>> = self
            .instances
            .iter()
            .map(|list| vec![None; list.len()])
            .collect();
        let mut hop_kill = vec![Vec::new(); p.services.len()];
        for state in &evaluator.states {
            let s = state.service.index();
            for (slot, k) in serve_kill[s].iter_mut().zip(&state.serve) {
                if let Some(k) = k {
                    *slot = Some(match slot {
                        Some(acc) => intersection(acc, k),
                        None => k.clone(),
                    });
                }
            }
            let ids: Kill = state.kill.iter().map(|(c, _)| *c).collect();
            hop_kill[s] = union(&hop_kill[s], &ids);
        }
        drop(evaluator);
        for (s, list) in serve_kill.into_iter().enumerate() {
            for (j, k) in list.into_iter().enumerate() {
                if let Some(k) = k {
                    self.serve_kill[s][j] = k;
                }
            }
        }
        self.hop_kill = hop_kill;
        self.no_quorum = no_quorum;
        for (fi, o) in outcomes.into_iter().enumerate() {
            self.broken[fi] = o.broken;
            self.unreachable
                .extend(o.gaps.into_iter().map(|g| Unreachable {
                    flow: FlowId(fi as u32),
                    path: g.path,
                    step: g.step,
                    from: g.from,
                    to: g.to,
                    active: g.active,
                }));
            self.flow_kill.push(o.kill);
        }
    }
}

/// Instances a service (or one shard) needs: ⌈load ÷ capacity⌉ (the
/// shard's share of the load), or one.
pub fn instances_needed(
    p: &Project,
    s: ServiceId,
    load: Option<&load::Load>,
    shard: Option<usize>,
) -> usize {
    let service = &p.services[s.index()];
    let (Some(load), Some(cap)) = (load, service.capacity) else {
        return 1;
    };
    let share = match (
        shard,
        service.shard.as_ref().and_then(|x| x.weights.as_ref()),
    ) {
        (Some(g), Some(w)) => w.value[g].value.get() / 100.0,
        _ => 1.0,
    };
    load::needed_for(share * load.rps, cap.value.get())
}

impl Failures {
    /// The candidates that stop a flow, with why (empty for a broken flow).
    pub fn flow_stoppers(&self, flow: FlowId) -> impl Iterator<Item = (Candidate, &[Reason])> {
        let n = self.numbering;
        let broken = self.broken[flow.index()];
        self.flow_kill[flow.index()]
            .iter()
            .filter(move |_| !broken)
            .map(move |(c, r)| (n.candidate(*c), r.as_slice()))
    }

    /// Candidates whose failure alone takes down every instance in `set`
    /// (an instance that is never up is down already).
    pub fn common(&self, set: &[Instance]) -> Vec<Candidate> {
        let mut up = set.iter().filter(|i| i.up);
        let Some(first) = up.next() else {
            return Vec::new();
        };
        let all = up.fold(first.kill.clone(), |acc, i| intersection(&acc, &i.kill));
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

    /// Whether the instance is down once `c` fails (an instance that is
    /// never up is down whatever fails).
    pub fn instance_fails_with(&self, instance: &Instance, c: Candidate) -> bool {
        !instance.up || kills(&instance.kill, self.numbering.id(c))
    }

    /// Whether instance `j` of a service still serves once `c` fails: up,
    /// and reached from its callers wherever a flow uses it.
    pub fn instance_serves_with(&self, service: ServiceId, j: usize, c: Candidate) -> bool {
        self.instances[service.index()][j].up
            && !kills(&self.serve_kill[service.index()][j], self.numbering.id(c))
    }

    /// Whether `c` leaves some hop of the service without enough serving
    /// instances (cut off, or its active member or quorum lost).
    pub fn hop_fails_with(&self, service: ServiceId, c: Candidate) -> bool {
        kills(&self.hop_kill[service.index()], self.numbering.id(c))
    }

    /// Whether some single failure takes the service down.
    pub fn service_at_risk(&self, service: ServiceId) -> bool {
        !self.service_kill[service.index()].is_empty()
    }

    pub fn service_fails_with(&self, service: ServiceId, c: Candidate) -> bool {
        kills(&self.service_kill[service.index()], self.numbering.id(c))
    }
}
