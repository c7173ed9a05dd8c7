//! A failure's effects in words: what a candidate is, why it stops a flow,
//! and everything that several failures together take down (`topo impact`).

use super::candidates::{intersection, union};
use super::{Candidate, Failures, Reason, Universe};
use crate::analyze::power::cascade::{cascade, Trip};
use crate::analyze::power::PowerModel;
use crate::model::connected_feeds;
use crate::model::{
    DeviceId, FaultDomainId, FeedId, FlowId, Host, Member, PowerId, Project, ServiceId, Spanned,
    VmId,
};
use crate::text::echo;

/// "rack `r1`", "switch `tor1`", "vm `app1`", "power source `ups-a`",
/// "fault domain `tor-stack1`".
pub fn describe(p: &Project, c: Candidate) -> String {
    let e = c.element();
    let kind = match c {
        // In prose, not the keywords `power` and `fault-domain`.
        Candidate::Power(_) => "power source",
        Candidate::FaultDomain(_) => "fault domain",
        _ => p.kind_of(e),
    };
    format!("{kind} `{}`", echo(p.name_of(e)))
}

/// "web1, web2, web3 and 5 more"
pub fn name_list<'a>(names: impl IntoIterator<Item = &'a str>, most: usize) -> String {
    let names: Vec<String> = names.into_iter().map(echo).collect();
    if names.len() <= most {
        return names.join(", ");
    }
    format!(
        "{} and {} more",
        names[..most].join(", "),
        names.len() - most
    )
}

/// Why a flow stops, in words, for the candidate that stops it.
pub fn reason_text(p: &Project, reason: &Reason) -> String {
    let name = |s: ServiceId| echo(&p.services[s.index()].name);
    match reason {
        Reason::Service {
            service,
            shard,
            left,
            of,
            needed,
        } => {
            let what = match shard {
                Some(g) => format!("shard {} of `{}`", g + 1, name(*service)),
                None => format!("`{}`", name(*service)),
            };
            if *left == 0 {
                format!("every instance of {what} fails with it")
            } else {
                format!("{what} keeps {left} of {of} instances but needs {needed}")
            }
        }
        Reason::Dns { entry, dns } => {
            let names: Vec<String> = dns.iter().map(|d| format!("`{}`", name(*d))).collect();
            format!(
                "{} resolving `{}` fails with it",
                names.join(" and "),
                name(*entry)
            )
        }
        Reason::Path {
            from,
            to,
            active: Some(active),
        } => format!(
            "the active member `{}` of `{}` stays up but {} (a partition is not a failover)",
            echo(p.host_name(*active)),
            name(*to),
            match from {
                Some(from) => format!("no network path is left to it from `{}`", name(*from)),
                None => "outside traffic no longer reaches it".into(),
            }
        ),
        Reason::Path {
            from: Some(from),
            to,
            active: None,
        } if is_quorum(p, *to) => format!(
            "no network path is left from `{}` to a member of `{}` in its majority",
            name(*from),
            name(*to)
        ),
        Reason::Path {
            from: Some(from),
            to,
            active: None,
        } => format!(
            "no network path is left from `{}` to `{}`",
            name(*from),
            name(*to)
        ),
        Reason::Path {
            from: None,
            to,
            active: None,
        } => format!(
            "outside traffic no longer reaches `{}` through {}",
            name(*to),
            entry_text(p, *to)
        ),
        Reason::Quorum {
            service,
            left,
            of,
            needed,
        } => format!(
            "`{}` loses its quorum: at most {left} of its {of} members reach one another, a majority is {needed}",
            name(*service)
        ),
    }
}

/// Whether a service is `ha active-standby` (only the active member serves).
fn is_active_standby(p: &Project, s: ServiceId) -> bool {
    p.services[s.index()].ha_is(crate::model::HaMode::ActiveStandby)
}

/// Whether a service is `ha quorum` (only members in the majority serve).
pub fn is_quorum(p: &Project, s: ServiceId) -> bool {
    p.services[s.index()].ha_is(crate::model::HaMode::Quorum)
}

/// "entry `fw1`, `fw2` of site `iad1`": where outside traffic enters the
/// sites a service runs at.
pub fn entry_text(p: &Project, s: ServiceId) -> String {
    let mut sites: Vec<crate::model::SiteId> = p.services[s.index()]
        .hosts
        .iter()
        .filter_map(|h| p.host_device(h.value))
        .filter_map(|d| p.devices[d.index()].site)
        .filter(|site| !p.sites[site.index()].entry.is_empty())
        .collect();
    sites.sort_unstable();
    sites.dedup();
    let parts: Vec<String> = sites
        .iter()
        .map(|site| {
            let site = &p.sites[site.index()];
            let devices: Vec<String> = site
                .entry
                .iter()
                .map(|e| format!("`{}`", echo(&p.devices[e.value.index()].name)))
                .collect();
            format!(
                "entry {} of site `{}`",
                devices.join(", "),
                echo(&site.name)
            )
        })
        .collect();
    parts.join("; ")
}

/// Every reason a candidate stops a flow, in words, in the order of its
/// paths and without repeats.
pub fn reason_texts(p: &Project, reasons: &[Reason]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for r in reasons {
        let text = reason_text(p, r);
        if !out.contains(&text) {
            out.push(text);
        }
    }
    out
}

/// A vm that the failure touches.
pub struct VmRow {
    pub vm: VmId,
    /// The host it restarts on, when it is restarted rather than lost.
    pub restarted_on: Option<DeviceId>,
    pub reason: String,
}

/// A service that loses instances.
pub struct ServiceRow {
    pub service: ServiceId,
    /// The hosts of the instances down.
    pub lost: Vec<Host>,
    /// The hosts of instances that stay up but that no caller reaches.
    pub cut_off: Vec<Host>,
    /// Why a service with instances left is down (an active member cut off).
    pub note: Option<String>,
    pub instances: usize,
    pub needed: usize,
    /// Where the service has a load and a `capacity`: what serves after the
    /// failure against the load (the worst shard of a sharded service).
    pub capacity: Option<CapacityLeft>,
}

/// A service's (or its worst shard's) serving capacity after a failure.
#[derive(Debug, Clone, PartialEq)]
pub struct CapacityLeft {
    /// Counting from 0; `None` for a service that is not sharded.
    pub shard: Option<usize>,
    /// The service's (or the shard's share of its) load, in rps.
    pub load: f64,
    /// Instances that still serve (one for active-standby), of `of`.
    pub left: usize,
    pub of: usize,
    /// `capacity` × `left`, in rps.
    pub capacity: f64,
}

impl CapacityLeft {
    pub fn overloaded(&self) -> bool {
        self.load > self.capacity * (1.0 + 1e-9)
    }
}

/// The group of a service closest to (or furthest over) its capacity once
/// `c` fails, counting the instances that still serve.
fn capacity_left(p: &Project, f: &Failures, s: ServiceId, c: Candidate) -> Option<CapacityLeft> {
    let groups = super::load::serving(p, s, f.loads[s.index()].as_ref(), |j| {
        f.instance_serves_with(s, j, c)
    })?;
    let ratio = |g: &super::load::Serving| {
        if g.total() > 0.0 {
            g.load / g.total()
        } else {
            f64::INFINITY
        }
    };
    let worst = groups
        .into_iter()
        .reduce(|a, b| if ratio(&b) > ratio(&a) { b } else { a })?;
    Some(CapacityLeft {
        shard: worst.shard,
        load: worst.load,
        left: worst.serving,
        of: worst.members.len(),
        capacity: worst.total(),
    })
}

/// Everything that several failures together take down (`topo impact`).
pub struct Impact {
    /// The elements failed together, as named.
    pub elements: Vec<Candidate>,
    /// Devices down, each with why.
    pub devices: Vec<(DeviceId, String)>,
    pub vms: Vec<VmRow>,
    pub services_down: Vec<ServiceRow>,
    pub services_degraded: Vec<ServiceRow>,
    /// Flows that work with everything up and stop, with every reason.
    pub flows: Vec<(FlowId, Vec<String>)>,
    /// Feeds and sources that the moved load overloads, in trip order.
    pub tripped: Vec<Trip>,
}

/// Fails `elements` together (one failure of their group) and lists what
/// goes down: the same failure model as `spof`, asked about the group.
///
/// The feeds and sources that the cascade trips (`power::cascade`) fail
/// with them, so what they take down follows through the same model; the
/// output still calls only `elements` named.
pub fn impact(p: &Project, elements: &[Candidate]) -> Impact {
    let tripped = if elements.is_empty() {
        Vec::new()
    } else {
        cascade(&PowerModel::new(p), elements)
    };
    let mut group = elements.to_vec();
    group.extend(tripped.iter().map(Trip::candidate));
    let universe = Universe::together(p, &group);
    let Some(c) = universe.group_candidate() else {
        return Impact {
            elements: Vec::new(),
            devices: Vec::new(),
            vms: Vec::new(),
            services_down: Vec::new(),
            services_degraded: Vec::new(),
            flows: Vec::new(),
            tripped,
        };
    };
    let f = Failures::compute(p, &universe);
    let mut named_sorted = elements.to_vec();
    named_sorted.sort_unstable();
    let named = |x: Candidate| named_sorted.binary_search(&x).is_ok();
    let is_tripped = |x: Candidate| tripped.iter().any(|t| t.candidate() == x);
    let devices = (0..p.devices.len())
        .map(|i| DeviceId(i as u32))
        .filter(|&d| f.device_fails_with(d, c))
        .map(|d| (d, device_reason(p, d, &named, &is_tripped)))
        .collect();
    let vms = (0..p.vms.len())
        .map(|i| VmId(i as u32))
        .filter_map(|v| vm_row(p, &f, v, c, &named))
        .collect();
    let mut services_down = Vec::new();
    let mut services_degraded = Vec::new();
    for (i, instances) in f.instances.iter().enumerate() {
        let s = ServiceId(i as u32);
        let lost: Vec<Host> = instances
            .iter()
            .filter(|x| f.instance_fails_with(x, c))
            .map(|x| x.host)
            .collect();
        let cut_off: Vec<Host> = (0..instances.len())
            .filter(|&j| {
                !f.instance_fails_with(&instances[j], c) && !f.instance_serves_with(s, j, c)
            })
            .map(|j| instances[j].host)
            .collect();
        let down = f.service_fails_with(s, c) || f.hop_fails_with(s, c);
        if lost.is_empty() && cut_off.is_empty() && !down {
            continue;
        }
        // An active member that stays up but is cut off keeps the standby
        // from taking over: say so, or "1 left, needs 1" reads as working.
        let active = instances.iter().find(|x| !f.instance_fails_with(x, c));
        let note = match active {
            Some(a)
                if down
                    && is_active_standby(p, s)
                    && cut_off.contains(&a.host)
                    && lost.len() + cut_off.len() < instances.len() =>
            {
                Some(format!(
                "the active member `{}` stays up but is cut off: the standby does not take over (a partition is not a failover)",
                    echo(p.host_name(a.host))
                ))
            }
            _ => None,
        };
        let row = ServiceRow {
            service: s,
            lost,
            cut_off,
            note,
            instances: instances.len(),
            needed: f.needed[i],
            capacity: capacity_left(p, &f, s, c),
        };
        if down {
            services_down.push(row);
        } else {
            services_degraded.push(row);
        }
    }
    let flows = (0..p.flows.len())
        .map(|i| FlowId(i as u32))
        .filter_map(|flow| {
            let (_, first) = f.flow_stoppers(flow).find(|(k, _)| *k == c)?;
            let mut why = reason_texts(p, first);
            // A site its DR site recovers stops the flow only until the
            // take-over (`dr-failover`).
            if let (Candidate::Site(site), true) = (c, f.dr_recovers(c, flow)) {
                why.extend(f.take_over(site).map(|t| dr_until(p, t)));
            }
            Some((flow, why))
        })
        .collect();
    let mut named_order: Vec<Candidate> = Vec::new();
    for &e in elements {
        if !named_order.contains(&e) {
            named_order.push(e);
        }
    }
    Impact {
        elements: named_order,
        devices,
        vms,
        services_down,
        services_degraded,
        flows,
        tripped,
    }
}

/// "feed `b` trips: 7 kVA (33.7 A at 208 V) after feed `a` failed, 112 % of
/// 6.24 kVA (30 A at 208 V)".
pub fn trip_text(p: &Project, t: &Trip) -> String {
    let (failed, tripped) = t.after.split_at(t.named.min(t.after.len()));
    let list = |cs: &[Candidate]| {
        let names: Vec<String> = cs.iter().map(|&c| describe(p, c)).collect();
        match names.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
            None => String::new(),
        }
    };
    let mut after = Vec::new();
    if !failed.is_empty() {
        after.push(format!("{} failed", list(failed)));
    }
    if !tripped.is_empty() {
        after.push(format!("{} tripped", list(tripped)));
    }
    format!(
        "{} trips: {}{} after {}, {} of {}",
        t.supply.describe(p),
        t.load,
        t.capacity.amps_text(t.load),
        after.join(" and "),
        crate::analyze::rack_power::share_text(t.percent / 100.0, &t.capacity),
        t.capacity.text()
    )
}

/// "until DR site `osaka` takes over: RTO 30 min, RPO 5 min (...)"
fn dr_until(p: &Project, t: &super::dr::TakeOver) -> String {
    let sites: Vec<String> = t
        .dr_sites
        .iter()
        .map(|d| format!("`{}`", echo(&p.sites[d.index()].name)))
        .collect();
    format!(
        "until DR site {} takes over: {}",
        sites.join(" and "),
        crate::analyze::dr_failover::figures(p, &t.replications)
    )
}

/// Why a device is down: named, with its rack, site or fault domain, or out
/// of power (its connected feeds fail, named or through a named source
/// upstream of them).
fn device_reason(
    p: &Project,
    d: DeviceId,
    named: &impl Fn(Candidate) -> bool,
    tripped: &impl Fn(Candidate) -> bool,
) -> String {
    let device = &p.devices[d.index()];
    if named(Candidate::Device(d)) {
        return "named to fail".into();
    }
    let rack = device.placement.map(|pl| pl.rack);
    if let Some(r) = rack.filter(|&r| named(Candidate::Rack(r))) {
        return format!("its rack `{}` fails", echo(&p.racks[r.index()].name));
    }
    if let Some(s) = device.site.filter(|&s| named(Candidate::Site(s))) {
        return format!("its site `{}` fails", echo(&p.sites[s.index()].name));
    }
    let holds = |m: Member| m == Member::Device(d) || rack.is_some_and(|r| m == Member::Rack(r));
    if let Some(name) = named_domain(p, named, holds) {
        return format!("fault domain `{name}` fails");
    }
    if rack.is_none() {
        return "it fails with the named elements".into();
    }
    if let Some(text) = tripped_reason(p, d, named, tripped) {
        return text;
    }
    let quote = |f: FeedId| format!("`{}`", echo(&p.feeds[f.index()].name));
    // Each connected feed that is down: named itself, or under a named
    // source (the nearest one upstream).
    let mut feeds = Vec::new();
    let mut sources: Vec<(PowerId, Vec<String>)> = Vec::new();
    for f in connected_feeds(p, device).iter().map(|f| f.value) {
        if named(Candidate::Feed(f)) {
            feeds.push(quote(f));
        } else if let Some(s) = named_source(p, p.feeds[f.index()].from, named) {
            match sources.iter_mut().find(|(x, _)| *x == s) {
                Some((_, list)) => list.push(quote(f)),
                None => sources.push((s, vec![quote(f)])),
            }
        }
    }
    let mut parts = Vec::new();
    match feeds.len() {
        0 => {}
        1 => parts.push(format!("feed {} fails", feeds[0])),
        _ => parts.push(format!("feeds {} fail", feeds.join(", "))),
    }
    for (s, list) in &sources {
        let draws = match list.len() {
            1 => format!("feed {} draws", list[0]),
            _ => format!("feeds {} draw", list.join(", ")),
        };
        parts.push(format!(
            "its power source `{}` fails ({draws} from it)",
            echo(&p.powers[s.index()].name)
        ));
    }
    match (parts.len(), sources.is_empty()) {
        (0, _) => "it loses power".into(),
        (_, true) => format!("it loses power: {}", parts.join("; ")),
        _ => parts.join("; "),
    }
}

/// Why a device loses power when the cascade is part of it: "it loses
/// power: its feeds `a` (failed) and `b` (tripped) are down", each feed
/// with what took it down. None when no trip is involved (the plain
/// wording of [`device_reason`] then holds).
fn tripped_reason(
    p: &Project,
    d: DeviceId,
    named: &impl Fn(Candidate) -> bool,
    tripped: &impl Fn(Candidate) -> bool,
) -> Option<String> {
    let mut any_trip = false;
    let mut parts = Vec::new();
    for f in connected_feeds(p, &p.devices[d.index()])
        .iter()
        .map(|f| f.value)
    {
        let (why, trip) = feed_down_by(p, f, named, tripped)?;
        any_trip |= trip;
        parts.push(format!("`{}` ({why})", echo(&p.feeds[f.index()].name)));
    }
    if !any_trip {
        return None;
    }
    Some(match parts.split_last() {
        Some((last, [])) => format!("it loses power: its feed {last} is down"),
        Some((last, rest)) => format!(
            "it loses power: its feeds {} and {last} are down",
            rest.join(", ")
        ),
        None => return None,
    })
}

/// What takes a feed down, in words, and whether it is a trip: "failed",
/// "tripped", "site `dc2` failed", "power source `ups-b` tripped", "power
/// source `ups-a` failed with site `dc2`" (the nearest cause up the chain,
/// which is bounded by the number of sources so a cycle cannot loop).
fn feed_down_by(
    p: &Project,
    f: FeedId,
    named: &impl Fn(Candidate) -> bool,
    tripped: &impl Fn(Candidate) -> bool,
) -> Option<(String, bool)> {
    let feed = &p.feeds[f.index()];
    let site_named = |s: Option<Spanned<crate::model::SiteId>>| {
        s.map(|s| s.value)
            .filter(|&s| named(Candidate::Site(s)))
            .map(|s| echo(&p.sites[s.index()].name).to_string())
    };
    if named(Candidate::Feed(f)) {
        return Some(("failed".into(), false));
    }
    if tripped(Candidate::Feed(f)) {
        return Some(("tripped".into(), true));
    }
    if let Some(site) = site_named(feed.site) {
        return Some((format!("site `{site}` failed"), false));
    }
    let mut at = feed.from.map(|x| x.value);
    for _ in 0..p.powers.len() {
        let s = at?;
        let source = &p.powers[s.index()];
        let name = echo(&source.name);
        if named(Candidate::Power(s)) {
            return Some((format!("power source `{name}` failed"), false));
        }
        if tripped(Candidate::Power(s)) {
            return Some((format!("power source `{name}` tripped"), true));
        }
        if let Some(site) = site_named(source.site) {
            return Some((
                format!("power source `{name}` failed with site `{site}`"),
                false,
            ));
        }
        at = source.from.map(|x| x.value);
    }
    None
}

/// The first named fault domain holding a member `holds` accepts.
fn named_domain(
    p: &Project,
    named: &impl Fn(Candidate) -> bool,
    holds: impl Fn(Member) -> bool,
) -> Option<String> {
    p.fault_domains.iter().enumerate().find_map(|(i, fd)| {
        let id = Candidate::FaultDomain(FaultDomainId(i as u32));
        (named(id) && fd.members.iter().any(|m| holds(m.value))).then(|| echo(&fd.name).to_string())
    })
}

/// The nearest named source on the chain up from `from` (bounded by the
/// number of sources, so a cycle cannot loop).
fn named_source(
    p: &Project,
    from: Option<Spanned<PowerId>>,
    named: &impl Fn(Candidate) -> bool,
) -> Option<PowerId> {
    let mut at = from.map(|f| f.value);
    for _ in 0..p.powers.len() {
        let s = at?;
        if named(Candidate::Power(s)) {
            return Some(s);
        }
        at = p.powers[s.index()].from.map(|f| f.value);
    }
    None
}

/// A vm that is lost, or restarted on its failover host.
fn vm_row(
    p: &Project,
    f: &Failures,
    v: VmId,
    c: Candidate,
    named: &impl Fn(Candidate) -> bool,
) -> Option<VmRow> {
    let (host, failover) = f.vm_hosts[v.index()];
    let host_down = host.is_some_and(|h| f.device_fails_with(h, c));
    let name = |d: DeviceId| echo(&p.devices[d.index()].name);
    if f.vm_fails_with(v, c) {
        let domain = named_domain(p, named, |m| m == Member::Vm(v));
        let reason = if named(Candidate::Vm(v)) {
            "named to fail".to_string()
        } else if let Some(name) = domain {
            format!("fault domain `{name}` fails")
        } else {
            match (host.filter(|_| host_down), failover) {
                (Some(h), Some(o)) => format!(
                    "its host `{}` fails and so does its failover host `{}`",
                    name(h),
                    name(o)
                ),
                (Some(h), None) => {
                    format!("its host `{}` fails and it has no failover host", name(h))
                }
                (None, _) => "it fails with the named elements".into(),
            }
        };
        return Some(VmRow {
            vm: v,
            restarted_on: None,
            reason,
        });
    }
    let (Some(h), Some(o), true) = (host, failover, host_down) else {
        return None;
    };
    Some(VmRow {
        vm: v,
        restarted_on: Some(o),
        reason: format!(
            "its host `{}` fails: it restarts on `{}` (an outage while it restarts)",
            name(h),
            name(o)
        ),
    })
}

/// The candidates whose failure alone causes an outage of every instance
/// of a service (`ha-same-domain`): like [`Failures::common`], but a vm
/// counts as down with its host even where its failover host would
/// restart it, since a restart is an outage for an HA pair.
pub fn outage_common(p: &Project, f: &Failures, service: ServiceId) -> Vec<Candidate> {
    let outage = |i: &super::Instance| -> Vec<u32> {
        match p.host_device(i.host) {
            Some(h) if matches!(i.host, Host::Vm(_)) => union(&i.kill, &f.device_kill[h.index()]),
            _ => i.kill.clone(),
        }
    };
    let mut members = f.instances[service.index()].iter();
    let Some(first) = members.next() else {
        return Vec::new();
    };
    members
        .fold(outage(first), |acc, i| intersection(&acc, &outage(i)))
        .into_iter()
        .map(|c| f.numbering.candidate(c))
        .collect()
}
