//! What each device and vm fails with: its own failure, its rack, its
//! site, the fault domains it is a member of, the feeds its power supplies
//! connect to (and the power sources upstream of them), a vm's host.

use super::candidates::{intersection, union, Kill, Numbering};
use super::{Candidate, Universe};
use crate::model::connected_feeds;
use crate::model::{
    DeviceId, FaultDomainId, FeedId, Member, PowerId, Project, RackId, SiteId, VmId,
};
use rustc_hash::FxHashMap;

/// The kill sets of the physical elements that instances run on.
pub(super) struct ElementKills {
    pub device: Vec<Kill>,
    pub vm: Vec<Kill>,
    /// Each vm's host and failover host.
    pub vm_hosts: Vec<(Option<DeviceId>, Option<DeviceId>)>,
}

/// Each power source's kill set: itself, its site, and the source it draws
/// from, transitively. Lowering rejects cycles; a cycle met anyway stops
/// the walk instead of recursing forever.
fn power_kills(p: &Project, own: &dyn Fn(Candidate) -> Kill, site: &[Kill]) -> Vec<Kill> {
    let mut done: Vec<Option<Kill>> = vec![None; p.powers.len()];
    for start in 0..p.powers.len() {
        // The chain from `start` up to the first source already done.
        let mut chain = Vec::new();
        let mut at = Some(start);
        while let Some(i) = at.filter(|&i| done[i].is_none() && !chain.contains(&i)) {
            chain.push(i);
            at = p.powers[i].from.map(|f| f.value.index());
        }
        let mut above = at.and_then(|i| done[i].clone()).unwrap_or_default();
        for &i in chain.iter().rev() {
            let source = &p.powers[i];
            let mut k = union(&own(Candidate::Power(PowerId(i as u32))), &above);
            if let Some(s) = source.site {
                k = union(&k, &site[s.value.index()]);
            }
            done[i] = Some(k.clone());
            above = k;
        }
    }
    done.into_iter().map(Option::unwrap_or_default).collect()
}

impl ElementKills {
    pub(super) fn compute(p: &Project, universe: &Universe, n: &Numbering) -> ElementKills {
        let own = |c: Candidate| -> Kill { universe.own(n, c) };
        let site_kill: Vec<Kill> = (0..p.sites.len())
            .map(|i| own(Candidate::Site(SiteId(i as u32))))
            .collect();
        let at_site = |s: Option<SiteId>| s.map_or(Vec::new(), |s| site_kill[s.index()].clone());
        let power_kill = power_kills(p, &own, &site_kill);
        let feed_kill: Vec<Kill> = p
            .feeds
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let k = union(
                    &own(Candidate::Feed(FeedId(i as u32))),
                    &at_site(f.site.map(|s| s.value)),
                );
                match f.from {
                    Some(source) => union(&k, &power_kill[source.value.index()]),
                    None => k,
                }
            })
            .collect();
        // A fault domain's failure fails each of its members: the members
        // carry the domain in their kill sets (a rack passes it on to its
        // devices through its own kill set).
        // Few elements are in a fault domain: the domains by member, not a
        // list per element (two million racks would hold two million).
        let mut domain_of: FxHashMap<Member, Kill> = FxHashMap::default();
        for (i, fd) in p.fault_domains.iter().enumerate() {
            let k = own(Candidate::FaultDomain(FaultDomainId(i as u32)));
            for m in &fd.members {
                let slot = domain_of.entry(m.value).or_default();
                *slot = union(slot, &k);
            }
        }
        let domain = |m: Member| domain_of.get(&m).map_or(&[][..], Vec::as_slice);
        // Each rack's kill set gathered like a device's below: one list per
        // rack, not one per part of it.
        let mut scratch: Kill = Vec::new();
        let rack_kill: Vec<Kill> = p
            .racks
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let id = RackId(i as u32);
                scratch.clear();
                scratch.extend(own(Candidate::Rack(id)));
                if let Some(s) = r.site {
                    scratch.extend_from_slice(&site_kill[s.value.index()]);
                }
                scratch.extend_from_slice(domain(Member::Rack(id)));
                scratch.sort_unstable();
                scratch.dedup();
                scratch.clone()
            })
            .collect();
        // Devices on the same feeds (a rack's servers) share one
        // intersection of those feeds' kill sets. Each device's kill set is
        // gathered in one scratch list, then sorted once: the union of its
        // parts without an allocation per part, for every device of a data
        // centre.
        let mut power_loss: FxHashMap<Vec<FeedId>, Kill> = FxHashMap::default();
        let mut connected: Vec<FeedId> = Vec::new();
        let device: Vec<Kill> = p
            .devices
            .iter()
            .enumerate()
            .map(|(i, d)| {
                scratch.clear();
                scratch.extend(own(Candidate::Device(DeviceId(i as u32))));
                scratch.extend_from_slice(domain(Member::Device(DeviceId(i as u32))));
                match d.placement {
                    Some(pl) => {
                        scratch.extend_from_slice(&rack_kill[pl.rack.index()]);
                        // The device loses power when every feed its power
                        // supplies connect to fails.
                        connected.clear();
                        connected.extend(connected_feeds(p, d).iter().map(|f| f.value));
                        if !connected.is_empty() {
                            let all = match power_loss.get(&connected[..]) {
                                Some(all) => all,
                                None => {
                                    let mut each = connected.iter().map(|f| &feed_kill[f.index()]);
                                    let first = each.next().cloned().unwrap_or_default();
                                    let all = each.fold(first, |acc, f| intersection(&acc, f));
                                    power_loss.entry(connected.clone()).or_insert(all)
                                }
                            };
                            scratch.extend_from_slice(all);
                        }
                    }
                    None => {
                        if let Some(s) = d.site {
                            scratch.extend_from_slice(&site_kill[s.index()]);
                        }
                    }
                }
                scratch.sort_unstable();
                scratch.dedup();
                scratch.clone()
            })
            .collect();
        let vm: Vec<Kill> = p
            .vms
            .iter()
            .enumerate()
            .map(|(i, v)| {
                // A fault domain holding the vm kills it, failover or not.
                let own = union(
                    &own(Candidate::Vm(VmId(i as u32))),
                    domain(Member::Vm(VmId(i as u32))),
                );
                let Some(host) = v.host else { return own };
                let host = &device[host.value.index()];
                // The vm survives its host when its failover host is up.
                let down = match v.failover {
                    Some(f) => intersection(host, &device[f.value.index()]),
                    None => host.clone(),
                };
                union(&own, &down)
            })
            .collect();
        let vm_hosts = p
            .vms
            .iter()
            .map(|v| (v.host.map(|h| h.value), v.failover.map(|h| h.value)))
            .collect();
        ElementKills {
            device,
            vm,
            vm_hosts,
        }
    }
}
