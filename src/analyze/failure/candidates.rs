//! What can fail, and kill sets: sorted lists of the candidates whose
//! failure alone takes something down.

use crate::model::{
    DeviceId, Element, FaultDomainId, FeedId, PowerId, Project, RackId, SiteId, VmId,
};

/// Something whose failure the model considers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Candidate {
    Device(DeviceId),
    Vm(VmId),
    Rack(RackId),
    Feed(FeedId),
    Site(SiteId),
    // Last, so that findings about the kinds above keep their order.
    Power(PowerId),
    FaultDomain(FaultDomainId),
}

impl Candidate {
    pub fn element(self) -> Element {
        match self {
            Candidate::Device(d) => Element::Device(d),
            Candidate::Vm(v) => Element::Vm(v),
            Candidate::Rack(r) => Element::Rack(r),
            Candidate::Feed(f) => Element::Feed(f),
            Candidate::Site(s) => Element::Site(s),
            Candidate::Power(x) => Element::Power(x),
            Candidate::FaultDomain(x) => Element::FaultDomain(x),
        }
    }

    pub fn of(element: Element) -> Option<Candidate> {
        Some(match element {
            Element::Device(d) => Candidate::Device(d),
            Element::Vm(v) => Candidate::Vm(v),
            Element::Rack(r) => Candidate::Rack(r),
            Element::Feed(f) => Candidate::Feed(f),
            Element::Site(s) => Candidate::Site(s),
            Element::Power(x) => Candidate::Power(x),
            Element::FaultDomain(x) => Candidate::FaultDomain(x),
            _ => return None,
        })
    }
}

/// Which elements count as candidates.
pub struct Universe {
    devices: Vec<bool>,
    sites: bool,
    /// Elements that fail together (`topo impact A B`), sorted. The first
    /// one stands for the group: every member's failure also counts as its
    /// failure, so "what does the first kill" answers "what do they all
    /// kill together" with the same AND/OR rules as a single failure.
    pub(super) group: Vec<Candidate>,
}

impl Universe {
    /// The contract's candidates: every device but `redundant` ones, every
    /// vm, rack, feed, power source and fault domain, and every site when
    /// there is more than one.
    pub fn spof(p: &Project) -> Universe {
        Universe {
            devices: p.devices.iter().map(|d| !d.is_redundant()).collect(),
            sites: p.sites.len() > 1,
            group: Vec::new(),
        }
    }

    /// The contract's candidates plus one more (`topo impact` of a
    /// redundant device, or of the only site).
    pub fn with(p: &Project, extra: Candidate) -> Universe {
        Universe::together(p, &[extra])
    }

    /// The contract's candidates, with `group` (which may hold a
    /// redundant device or the only site) failing as one. Ask about
    /// [`Universe::group_candidate`].
    pub fn together(p: &Project, group: &[Candidate]) -> Universe {
        let mut group = group.to_vec();
        group.sort_unstable();
        group.dedup();
        Universe {
            group,
            ..Universe::spof(p)
        }
    }

    /// The candidate that stands for the whole group.
    pub fn group_candidate(&self) -> Option<Candidate> {
        self.group.first().copied()
    }

    pub(super) fn includes(&self, c: Candidate) -> bool {
        self.group.binary_search(&c).is_ok()
            || match c {
                Candidate::Device(d) => self.devices[d.index()],
                Candidate::Site(_) => self.sites,
                _ => true,
            }
    }

    /// What an element's own failure kills: itself, and for a member of
    /// the group, the group.
    pub(super) fn own(&self, n: &Numbering, c: Candidate) -> Kill {
        if !self.includes(c) {
            return Vec::new();
        }
        match self.group.first() {
            Some(&first) if first != c && self.group.binary_search(&c).is_ok() => {
                union(&[n.id(first)], &[n.id(c)])
            }
            _ => vec![n.id(c)],
        }
    }
}

/// Dense numbering of candidates, so kill sets are small sorted `u32` lists.
#[derive(Clone, Copy)]
pub(super) struct Numbering {
    vms: u32,
    racks: u32,
    feeds: u32,
    sites: u32,
    powers: u32,
    fault_domains: u32,
    pub(super) total: u32,
}

impl Numbering {
    pub(super) fn new(p: &Project) -> Numbering {
        let vms = p.devices.len() as u32;
        let racks = vms + p.vms.len() as u32;
        let feeds = racks + p.racks.len() as u32;
        let sites = feeds + p.feeds.len() as u32;
        let powers = sites + p.sites.len() as u32;
        let fault_domains = powers + p.powers.len() as u32;
        Numbering {
            vms,
            racks,
            feeds,
            sites,
            powers,
            fault_domains,
            total: fault_domains + p.fault_domains.len() as u32,
        }
    }

    pub(super) fn id(&self, c: Candidate) -> u32 {
        match c {
            Candidate::Device(d) => d.0,
            Candidate::Vm(v) => self.vms + v.0,
            Candidate::Rack(r) => self.racks + r.0,
            Candidate::Feed(f) => self.feeds + f.0,
            Candidate::Site(s) => self.sites + s.0,
            Candidate::Power(x) => self.powers + x.0,
            Candidate::FaultDomain(x) => self.fault_domains + x.0,
        }
    }

    pub(super) fn candidate(&self, id: u32) -> Candidate {
        if id < self.vms {
            Candidate::Device(DeviceId(id))
        } else if id < self.racks {
            Candidate::Vm(VmId(id - self.vms))
        } else if id < self.feeds {
            Candidate::Rack(RackId(id - self.racks))
        } else if id < self.sites {
            Candidate::Feed(FeedId(id - self.feeds))
        } else if id < self.powers {
            Candidate::Site(SiteId(id - self.sites))
        } else if id < self.fault_domains {
            Candidate::Power(PowerId(id - self.powers))
        } else {
            Candidate::FaultDomain(FaultDomainId(id - self.fault_domains))
        }
    }
}

/// Candidates whose failure alone takes something down, sorted.
pub(super) type Kill = Vec<u32>;

pub(super) fn union(a: &[u32], b: &[u32]) -> Kill {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => {
                out.push(a[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(b[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

pub(super) fn intersection(a: &[u32], b: &[u32]) -> Kill {
    a.iter()
        .copied()
        .filter(|x| b.binary_search(x).is_ok())
        .collect()
}

pub(super) fn kills(set: &[u32], c: u32) -> bool {
    set.binary_search(&c).is_ok()
}
