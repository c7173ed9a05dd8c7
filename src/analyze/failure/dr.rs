//! DR take-over: when a site backed by a DR site fails, each hop the site
//! stops is replaced by the service that takes it over at the DR site
//! (`takes-over X` on a service there, or the target there of `replicate X
//! to Y`), and the flow is evaluated again. A flow that then works with
//! the site still up in the evaluation (the site is not in the replaced
//! flow's kill set) and is not broken is *recovered*: `dr-failover`
//! reports it instead of `spof`, and `ha-same-domain` leaves that site out.
//!
//! The replaced flow is evaluated once per (site, flow) the site stops,
//! with the evaluator the flows use, so this stays linear in the number of
//! such pairs times a flow's length.

use std::collections::HashMap;

use super::flows::FlowEvaluator;
use super::network::Network;
use super::{Candidate, Failures};
use crate::model::{FlowId, Hop, Project, ReplicationId, ServiceId, SiteId, Spanned};

/// What a site's DR site recovers when the site fails.
#[derive(Debug, Clone, Default)]
pub struct TakeOver {
    /// The DR sites that took over a recovered flow, in declaration order.
    pub dr_sites: Vec<SiteId>,
    /// Flows the site stops that the DR site recovers, in order.
    pub recovered: Vec<FlowId>,
    /// (primary, taker) pairs the recovered flows rely on, sorted.
    pub takers: Vec<(ServiceId, ServiceId)>,
    /// The `replicate` statements they rely on: from a replaced service to
    /// a service at the DR site that took over. Sorted.
    pub replications: Vec<ReplicationId>,
    /// Flows the site stops that no DR site recovers, in order.
    pub unrecovered: Vec<FlowId>,
}

/// Who takes over which primary service at which site.
#[derive(Default)]
pub(super) struct Takers {
    /// (primary, DR site) → taker. `takes-over` wins over a replica.
    by_site: HashMap<(ServiceId, SiteId), ServiceId>,
    /// DR sites of each site, in declaration order.
    dr_sites: Vec<Vec<SiteId>>,
    /// Sites each service has a host at.
    service_sites: Vec<Vec<SiteId>>,
}

impl Takers {
    fn new(p: &Project) -> Takers {
        let mut dr_sites = vec![Vec::new(); p.sites.len()];
        for (i, s) in p.sites.iter().enumerate() {
            if let Some(b) = s.backs {
                dr_sites[b.value.index()].push(SiteId(i as u32));
            }
        }
        let service_sites: Vec<Vec<SiteId>> = p
            .services
            .iter()
            .map(|s| {
                let mut sites: Vec<SiteId> = s
                    .hosts
                    .iter()
                    .filter_map(|h| p.host_device(h.value))
                    .filter_map(|d| p.devices[d.index()].site)
                    .collect();
                sites.sort_unstable();
                sites.dedup();
                sites
            })
            .collect();
        let mut by_site = HashMap::new();
        for (i, s) in p.services.iter().enumerate() {
            let Some(primary) = s.takes_over else {
                continue;
            };
            for &site in &service_sites[i] {
                by_site
                    .entry((primary.value, site))
                    .or_insert(ServiceId(i as u32));
            }
        }
        for r in &p.replications {
            for &site in &service_sites[r.to.value.index()] {
                by_site.entry((r.from.value, site)).or_insert(r.to.value);
            }
        }
        Takers {
            by_site,
            dr_sites,
            service_sites,
        }
    }
}

/// The takers and replications a recovered flow relies on.
struct Recovery {
    dr: SiteId,
    takers: Vec<(ServiceId, ServiceId)>,
}

impl Failures {
    /// For every site with a DR site: the flows it stops that the DR site
    /// recovers, and those it does not.
    pub(super) fn take_overs(&mut self, p: &Project, network: Option<&Network>) {
        let takers = Takers::new(p);
        if takers.dr_sites.iter().all(Vec::is_empty) {
            self.takers = takers;
            return;
        }
        let n = self.numbering;
        let mut out: Vec<Option<TakeOver>> = vec![None; p.sites.len()];
        {
            let mut evaluator = FlowEvaluator::new(p, self, network);
            for (fi, flow) in p.flows.iter().enumerate() {
                if self.broken[fi] {
                    continue;
                }
                for (c, _) in &self.flow_kill[fi] {
                    let Candidate::Site(site) = n.candidate(*c) else {
                        continue;
                    };
                    if takers.dr_sites[site.index()].is_empty() {
                        continue;
                    }
                    let entry = out[site.index()].get_or_insert_with(TakeOver::default);
                    let flow_id = FlowId(fi as u32);
                    match self.recover(&takers, &mut evaluator, &flow.paths, site) {
                        Some(r) => {
                            entry.recovered.push(flow_id);
                            if !entry.dr_sites.contains(&r.dr) {
                                entry.dr_sites.push(r.dr);
                            }
                            for (primary, taker) in r.takers {
                                entry.takers.push((primary, taker));
                                entry.replications.extend(
                                    p.replications
                                        .iter()
                                        .enumerate()
                                        .filter(|(_, rep)| {
                                            rep.from.value == primary
                                                && takers.service_sites[rep.to.value.index()]
                                                    .contains(&r.dr)
                                        })
                                        .map(|(i, _)| ReplicationId(i as u32)),
                                );
                            }
                        }
                        None => entry.unrecovered.push(flow_id),
                    }
                }
            }
        }
        for t in out.iter_mut().flatten() {
            t.takers.sort_unstable();
            t.takers.dedup();
            t.replications.sort_unstable();
            t.replications.dedup();
        }
        self.take_overs = out;
        self.takers = takers;
    }

    /// The flow's paths with every hop `site` stops replaced by its taker
    /// at a DR site of `site`, when the replaced flow works without `site`.
    fn recover(
        &self,
        takers: &Takers,
        evaluator: &mut FlowEvaluator,
        paths: &[Vec<Spanned<Hop>>],
        site: SiteId,
    ) -> Option<Recovery> {
        let down = Candidate::Site(site);
        let site_id = self.numbering.id(down);
        'dr: for &dr in &takers.dr_sites[site.index()] {
            let mut used = Vec::new();
            let mut replaced = Vec::with_capacity(paths.len());
            for path in paths {
                let taker = |s: ServiceId| takers.by_site.get(&(s, dr)).copied();
                // A stopped hop with no taker there: no recovery.
                let Some((hops, pairs)) = evaluator.replace_stopped(path, site_id, taker) else {
                    continue 'dr;
                };
                used.extend(pairs);
                replaced.push(hops);
            }
            let o = evaluator.outcome(&replaced);
            if !o.broken && o.kill.binary_search_by_key(&site_id, |(c, _)| *c).is_err() {
                return Some(Recovery { dr, takers: used });
            }
        }
        None
    }

    /// What the DR sites of `site` recover when it fails (None when it has
    /// no DR site or stops no flow).
    pub fn take_over(&self, site: SiteId) -> Option<&TakeOver> {
        self.take_overs.get(site.index())?.as_ref()
    }

    /// Each service that takes over at a DR site (`takes-over`, or a
    /// `replicate` target) with the primaries it replaces there, both in
    /// declaration order: the taker's site must be a DR site of a site the
    /// primary runs at.
    pub fn takers(&self) -> Vec<(ServiceId, Vec<ServiceId>)> {
        let mut pairs: Vec<(ServiceId, ServiceId)> = self
            .takers
            .by_site
            .iter()
            .filter(|((primary, site), _)| {
                self.takers.service_sites[primary.index()]
                    .iter()
                    .any(|ps| self.takers.dr_sites[ps.index()].contains(site))
            })
            .map(|((primary, _), taker)| (*taker, *primary))
            .collect();
        pairs.sort_unstable();
        pairs.dedup();
        let mut out: Vec<(ServiceId, Vec<ServiceId>)> = Vec::new();
        for (taker, primary) in pairs {
            match out.last_mut() {
                Some((t, list)) if *t == taker => list.push(primary),
                _ => out.push((taker, vec![primary])),
            }
        }
        out
    }

    /// Whether `c` is a site whose DR site recovers `flow` when it fails.
    pub fn dr_recovers(&self, c: Candidate, flow: FlowId) -> bool {
        let Candidate::Site(site) = c else {
            return false;
        };
        self.take_over(site)
            .is_some_and(|t| t.recovered.binary_search(&flow).is_ok())
    }

    /// Whether a DR site of `site` takes `service` over and recovers every
    /// flow through it that `site` stops: its members failing together
    /// with the site is then what the DR site is for.
    pub fn dr_covers(&self, p: &Project, site: SiteId, service: ServiceId) -> bool {
        let has_taker = self.takers.dr_sites.get(site.index()).is_some_and(|dr| {
            dr.iter()
                .any(|&d| self.takers.by_site.contains_key(&(service, d)))
        });
        if !has_taker {
            return false;
        }
        let Some(t) = self.take_over(site) else {
            return true; // the site stops no flow
        };
        !t.unrecovered.iter().any(|f| {
            p.flows[f.index()]
                .paths
                .iter()
                .flatten()
                .any(|h| h.value == Hop::Service(service))
        })
    }
}
