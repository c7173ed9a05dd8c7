//! Which candidates stop a flow: every hop of every path needs enough
//! serving instances, the entry needs its `dns`, and consecutive hops need
//! a network path.

use std::collections::HashMap;

use super::candidates::{intersection, Kill};
use super::network::{Base, Media, Network};
use super::{Failures, Reason};
use crate::model::{Hop, Project, ServiceId, Spanned};

/// Consecutive hops of a path with no network path between them even with
/// nothing failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Gap {
    pub path: usize,
    /// Index of the second hop of the pair in the path.
    pub step: usize,
    pub from: ServiceId,
    pub to: ServiceId,
}

/// A flow's request paths evaluated against single failures.
pub(super) struct Outcome {
    /// The candidates that stop it, each with its first reason, sorted.
    pub kill: Vec<(u32, Reason)>,
    /// It does not work even with nothing failed.
    pub broken: bool,
    pub gaps: Vec<Gap>,
}

/// Evaluates flows, sharing what several flows ask (the same hop pair, the
/// same entry's resolvers).
pub(super) struct FlowEvaluator<'a> {
    f: &'a Failures,
    network: Option<&'a Network>,
    pair_cache: HashMap<(ServiceId, ServiceId), Option<Kill>>,
    resolvers: HashMap<ServiceId, Vec<ServiceId>>,
    dns_kill: HashMap<ServiceId, Kill>,
}

impl<'a> FlowEvaluator<'a> {
    pub(super) fn new(p: &Project, f: &'a Failures, network: Option<&'a Network>) -> Self {
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
            f,
            network,
            pair_cache: HashMap::new(),
            resolvers,
            dns_kill: HashMap::new(),
        }
    }

    /// Evaluates request paths (a flow's, or a flow's with hops replaced).
    pub(super) fn outcome(&mut self, paths: &[Vec<Spanned<Hop>>]) -> Outcome {
        let f = self.f;
        let mut broken = false;
        let mut gaps = Vec::new();
        let mut kill: HashMap<u32, Reason> = HashMap::new();
        let add = |set: &[u32], reason: &Reason, kill: &mut HashMap<u32, Reason>| {
            for &c in set {
                kill.entry(c).or_insert_with(|| reason.clone());
            }
        };
        for (pi, path) in paths.iter().enumerate() {
            for (step, hop) in path.iter().enumerate() {
                let Hop::Service(s) = hop.value else { continue };
                if f.up_count(s) < f.needed[s.index()] {
                    broken = true;
                }
                let reason = Reason::Service {
                    service: s,
                    left: 0,
                    of: f.instances[s.index()].len(),
                    needed: f.needed[s.index()],
                };
                add(&f.service_kill[s.index()], &reason, &mut kill);
                let previous = step.checked_sub(1).map(|i| path[i].value);
                // Entered from a client: the names must resolve.
                if matches!(previous, Some(Hop::Client(_))) {
                    if let Some(dns) = self.resolvers.get(&s) {
                        // Once per entry service, not once per flow.
                        let all = self.dns_kill.entry(s).or_insert_with(|| {
                            let mut all = f.service_kill[dns[0].index()].clone();
                            for d in &dns[1..] {
                                all = intersection(&all, &f.service_kill[d.index()]);
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
                let (Some(Hop::Service(from)), Some(net)) = (previous, self.network) else {
                    continue;
                };
                // A hop with no instance up is broken already, and
                // reported by what took its instances (their storage).
                if f.up_count(from) == 0 || f.up_count(s) == 0 {
                    broken = true;
                    continue;
                }
                let base = Base {
                    numbering: f.numbering,
                    device_kill: &f.device_kill,
                    vm_hosts: &f.vm_hosts,
                };
                let (a, b) = (&f.instances[from.index()], &f.instances[s.index()]);
                let pair = self
                    .pair_cache
                    .entry((from, s))
                    .or_insert_with(|| net.pair_kill(&base, a, b, Media::Ethernet));
                match pair {
                    Some(k) => add(k, &Reason::Path { from, to: s }, &mut kill),
                    None => {
                        broken = true;
                        gaps.push(Gap {
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
        Outcome { kill, broken, gaps }
    }
}
