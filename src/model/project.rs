//! The project: every element by kind, the names that reach them, and the
//! figures that several analyzers work out the same way.

use super::*;
use compact_str::CompactString;
use rustc_hash::FxHashMap;
use units::{Amps, Bytes, Draw, VoltAmperes, Volts, Watts};

/// Anything declared by name at top level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Element {
    Site(SiteId),
    Feed(FeedId),
    Rack(RackId),
    Model(ModelId),
    Device(DeviceId),
    Vm(VmId),
    Tier(TierId),
    Service(ServiceId),
    Client(ClientId),
    Cdn(CdnId),
    Flow(FlowId),
    Partition(PartitionId),
    // Last, so that the order of the kinds before them is unchanged.
    Power(PowerId),
    FaultDomain(FaultDomainId),
}

/// The whole project after lowering.
#[derive(Debug, Default)]
pub struct Project {
    pub sites: Vec<Site>,
    pub feeds: Vec<Feed>,
    pub powers: Vec<Power>,
    pub racks: Vec<Rack>,
    pub models: Vec<DeviceModel>,
    pub devices: Vec<Device>,
    pub vms: Vec<Vm>,
    pub tiers: Vec<Tier>,
    pub services: Vec<Service>,
    pub clients: Vec<Client>,
    pub cdns: Vec<Cdn>,
    pub flows: Vec<Flow>,
    pub partitions: Vec<Partition>,
    pub replications: Vec<Replication>,
    pub links: Vec<Link>,
    /// What the links of each `link` statement share; `Link::statement`
    /// indexes it.
    pub link_statements: Vec<LinkStatement>,
    pub fault_domains: Vec<FaultDomain>,
    pub allows: Vec<Allow>,
    /// Top-level names to what they declare.
    /// Kept inline: names are short, and a key on the heap would be a
    /// second allocation and a second cache miss per lookup.
    pub names: FxHashMap<CompactString, Element>,
    pub graph: graph::Topology,
    /// What each `Edge::FlowHop` of the graph stands for.
    pub flow_hops: Vec<graph::FlowHop>,
}

/// Where an `allow` applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AllowScope {
    /// At top level: the whole file.
    File(FileId),
    /// Inside a declaration: the elements and parts that list it in their
    /// `allows` (a model's allows reach every device built from it).
    Local,
}

#[derive(Debug, Clone)]
pub struct Allow {
    pub rule: String,
    pub span: Span,
    pub scope: AllowScope,
}

impl Project {
    /// How many of a rack's units hold a device, on either face, counted
    /// once each: a U shared by two half-depth devices, or taken twice by
    /// an overlap, is one used U. Units outside the rack do not count.
    pub fn rack_units_used(&self, rack: RackId) -> u32 {
        let r = &self.racks[rack.index()];
        let mut used: Vec<u32> = r
            .devices
            .iter()
            .filter_map(|&d| self.devices[d.index()].occupied())
            .flatten()
            .filter(|u| (1..=r.height.value).contains(u))
            .collect();
        used.sort_unstable();
        used.dedup();
        used.len() as u32
    }

    pub fn element(&self, name: &str) -> Option<Element> {
        self.names.get(name).copied()
    }

    pub fn name_of(&self, element: Element) -> &str {
        match element {
            Element::Site(i) => &self.sites[i.index()].name,
            Element::Feed(i) => &self.feeds[i.index()].name,
            Element::Rack(i) => &self.racks[i.index()].name,
            Element::Model(i) => &self.models[i.index()].name,
            Element::Device(i) => &self.devices[i.index()].name,
            Element::Vm(i) => &self.vms[i.index()].name,
            Element::Tier(i) => &self.tiers[i.index()].name,
            Element::Service(i) => &self.services[i.index()].name,
            Element::Client(i) => &self.clients[i.index()].name,
            Element::Cdn(i) => &self.cdns[i.index()].name,
            Element::Flow(i) => &self.flows[i.index()].name,
            Element::Partition(i) => &self.partitions[i.index()].name,
            Element::Power(i) => &self.powers[i.index()].name,
            Element::FaultDomain(i) => &self.fault_domains[i.index()].name,
        }
    }

    pub fn span_of(&self, element: Element) -> Span {
        match element {
            Element::Site(i) => self.sites[i.index()].span,
            Element::Feed(i) => self.feeds[i.index()].span,
            Element::Rack(i) => self.racks[i.index()].span,
            Element::Model(i) => self.models[i.index()].span,
            Element::Device(i) => self.devices[i.index()].span,
            Element::Vm(i) => self.vms[i.index()].span,
            Element::Tier(i) => self.tiers[i.index()].span,
            Element::Service(i) => self.services[i.index()].span,
            Element::Client(i) => self.clients[i.index()].span,
            Element::Cdn(i) => self.cdns[i.index()].span,
            Element::Flow(i) => self.flows[i.index()].span,
            Element::Partition(i) => self.partitions[i.index()].span,
            Element::Power(i) => self.powers[i.index()].span,
            Element::FaultDomain(i) => self.fault_domains[i.index()].span,
        }
    }

    /// The `allow`s written in an element's declaration (a model's reach
    /// its devices through their own lists).
    pub fn allows_of(&self, element: Element) -> &[AllowId] {
        match element {
            Element::Site(i) => &self.sites[i.index()].allows,
            Element::Feed(i) => &self.feeds[i.index()].allows,
            Element::Rack(i) => &self.racks[i.index()].allows,
            Element::Model(i) => &self.models[i.index()].allows,
            Element::Device(i) => &self.devices[i.index()].allows,
            Element::Vm(i) => &self.vms[i.index()].allows,
            Element::Tier(i) => &self.tiers[i.index()].allows,
            Element::Service(i) => &self.services[i.index()].allows,
            Element::Client(i) => &self.clients[i.index()].allows,
            Element::Cdn(i) => &self.cdns[i.index()].allows,
            Element::Flow(i) => &self.flows[i.index()].allows,
            Element::Partition(i) => &self.partitions[i.index()].allows,
            Element::Power(i) => &self.powers[i.index()].allows,
            Element::FaultDomain(i) => &self.fault_domains[i.index()].allows,
        }
    }

    /// "rack", "server", "dns", ...: the keyword that declares it.
    pub fn kind_of(&self, element: Element) -> &'static str {
        match element {
            Element::Site(_) => "site",
            Element::Feed(_) => "feed",
            Element::Rack(_) => "rack",
            Element::Model(_) => "model",
            Element::Device(i) => self.devices[i.index()].kind.keyword(),
            Element::Vm(_) => "vm",
            Element::Tier(_) => "tier",
            Element::Service(i) => match self.services[i.index()].kind {
                ServiceKind::Service => "service",
                ServiceKind::Dns => "dns",
            },
            Element::Client(_) => "client",
            Element::Cdn(_) => "cdn",
            Element::Flow(_) => "flow",
            Element::Partition(_) => "partition",
            Element::Power(_) => "power",
            Element::FaultDomain(_) => "fault-domain",
        }
    }

    /// The voltage a device's draw in A converts at: its rack's `voltage`;
    /// else the one voltage of the single-phase feeds it connects to (the
    /// feeds it names, else its rack's); else, in a rack without feed
    /// voltages, the rack's `power ... at V`. Never the first feed listed:
    /// the answer does not depend on the order of the feeds.
    pub fn device_voltage(&self, device: DeviceId) -> Result<Volts, VoltageProblem> {
        let d = &self.devices[device.index()];
        let Some(pl) = d.placement else {
            return Err(VoltageProblem::Unknown);
        };
        let r = &self.racks[pl.rack.index()];
        if let Some(v) = r.voltage.as_deref() {
            return Ok(v.value);
        }
        let feeds = if d.feeds.is_empty() {
            &r.feeds
        } else {
            &d.feeds
        };
        let mut single: Option<(Volts, FeedId)> = None;
        for f in feeds {
            let feed = &self.feeds[f.value.index()];
            let Some(v) = feed.circuit.and_then(|c| c.value.voltage) else {
                continue;
            };
            if feed.phases.is_some_and(|n| n.value == 3) {
                return Err(VoltageProblem::ThreePhase(f.value));
            }
            match single {
                Some((seen, first)) if seen != v => {
                    return Err(VoltageProblem::Mixed(first, f.value));
                }
                Some(_) => {}
                None => single = Some((v, f.value)),
            }
        }
        if let Some((v, _)) = single {
            return Ok(v);
        }
        r.power
            .as_deref()
            .and_then(|p| p.value.voltage)
            .ok_or(VoltageProblem::Unknown)
    }

    /// A device's draw as apparent power (what circuits carry) and real
    /// power (what becomes heat), at its `power-factor` (1.0 when not
    /// given). None without a draw, or for a draw in A with no voltage.
    pub fn device_power(&self, device: DeviceId) -> Option<DevicePower> {
        let d = &self.devices[device.index()];
        let draw = d.props.draw?.value;
        let factor = d.props.power_factor().map_or(1.0, |f| f.value);
        let va = match draw {
            Draw::Power(w) => VoltAmperes::new(w.get() / factor),
            Draw::ApparentPower(va) => va,
            Draw::Current(a) => VoltAmperes::from_amps(a, self.device_voltage(device).ok()?),
        };
        Some(DevicePower {
            va,
            watts: va.watts_at(factor),
        })
    }

    /// The rack's budget: `power`, or the smallest feed circuit (each feed
    /// must carry the whole rack when the other fails).
    pub fn rack_budget(&self, rack: RackId) -> Option<PowerBudget> {
        let r = &self.racks[rack.index()];
        if let Some(p) = r.power.as_deref() {
            return Some(PowerBudget {
                circuit: p.value,
                span: p.span,
                feed: None,
            });
        }
        r.feeds
            .iter()
            .filter_map(|f| {
                let circuit = self.feeds[f.value.index()].circuit?;
                Some((circuit.value.watts()?, f.value, circuit))
            })
            .min_by(|a, b| a.0.partial_cmp(&b.0).unwrap_or(std::cmp::Ordering::Equal))
            .map(|(_, feed, circuit)| PowerBudget {
                circuit: circuit.value,
                span: circuit.span,
                feed: Some(feed),
            })
    }

    /// A device's draw in watts (real power, the heat it gives off).
    pub fn device_watts(&self, device: DeviceId) -> Option<Watts> {
        self.device_power(device).map(|p| p.watts)
    }

    /// Memory of a host: its CPUs' memory, else a device's or a vm's `ram`.
    pub fn host_memory(&self, host: Host) -> Option<Bytes> {
        match host {
            Host::Device(d) => {
                let device = &self.devices[d.index()];
                device
                    .internals
                    .memory()
                    .or(device.props.ram().map(|r| r.value))
            }
            Host::Vm(v) => self.vms[v.index()].ram.map(|r| r.value),
        }
    }

    pub fn host_name(&self, host: Host) -> &str {
        match host {
            Host::Device(d) => &self.devices[d.index()].name,
            Host::Vm(v) => &self.vms[v.index()].name,
        }
    }

    /// The device a host runs on (a vm's host).
    pub fn host_device(&self, host: Host) -> Option<DeviceId> {
        match host {
            Host::Device(d) => Some(d),
            Host::Vm(v) => self.vms[v.index()].host.map(|h| h.value),
        }
    }

    pub fn hop_name(&self, hop: Hop) -> &str {
        match hop {
            Hop::Client(c) => &self.clients[c.index()].name,
            Hop::Service(s) => &self.services[s.index()].name,
            Hop::Cdn(c) => &self.cdns[c.index()].name,
        }
    }

    /// Current as the rack draws it: helpful for messages in A.
    pub fn amps_at(&self, watts: Watts, voltage: Option<Volts>) -> Option<Amps> {
        voltage.map(|v| Amps::new(watts.get() / v.get()))
    }
}

/// Why a draw in A has no voltage to convert at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoltageProblem {
    /// No rack, no `voltage`, no feed or `power` with a voltage.
    Unknown,
    /// A three-phase feed: line-to-line or line-to-neutral is not said.
    ThreePhase(FeedId),
    /// Single-phase feeds of two voltages.
    Mixed(FeedId, FeedId),
}

/// A device's draw in both measures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DevicePower {
    /// What it loads its feeds with.
    pub va: VoltAmperes,
    /// What it turns into heat.
    pub watts: Watts,
}

/// The feeds a device's power supplies connect to: the ones it names with
/// `feeds`, else the first N of its rack's with `psu N` (all of them when
/// N is larger), else every feed of its rack. None outside a rack.
pub fn connected_feeds<'a>(p: &'a Project, d: &'a Device) -> &'a [Spanned<FeedId>] {
    if !d.feeds.is_empty() {
        return &d.feeds;
    }
    let Some(pl) = d.placement else { return &[] };
    let feeds = &p.racks[pl.rack.index()].feeds;
    match d.props.psu {
        Some(n) => &feeds[..feeds.len().min(n.value as usize)],
        None => feeds,
    }
}
