//! What each device and vm fails with: its own failure, its rack, its
//! site, the feeds its power supplies hang on, a vm's host.

use super::candidates::{intersection, union, Kill, Numbering};
use super::{Candidate, Universe};
use crate::model::{DeviceId, FeedId, Project, RackId, SiteId, VmId};

/// The kill sets of the physical elements that instances run on.
pub(super) struct ElementKills {
    pub device: Vec<Kill>,
    pub vm: Vec<Kill>,
    /// Each vm's host and failover host.
    pub vm_hosts: Vec<(Option<DeviceId>, Option<DeviceId>)>,
}

impl ElementKills {
    pub(super) fn compute(p: &Project, universe: &Universe, n: &Numbering) -> ElementKills {
        let own = |c: Candidate| -> Kill { universe.own(n, c) };
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
        let device: Vec<Kill> = p
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
        let vm: Vec<Kill> = p
            .vms
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let own = own(Candidate::Vm(VmId(i as u32)));
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
