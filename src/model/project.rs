//! The project: every element by kind, the names that reach them, and the
//! figures that several analyzers work out the same way.

use super::*;
use std::collections::HashMap;
use units::{Amps, Bytes, Volts, Watts};

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
    pub fault_domains: Vec<FaultDomain>,
    pub allows: Vec<Allow>,
    /// Top-level names to what they declare.
    pub names: HashMap<String, Element>,
    pub graph: graph::Topology,
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

    /// The rack's voltage: its own, its `power ... at V`, or its feeds'.
    pub fn rack_voltage(&self, rack: RackId) -> Option<Volts> {
        let r = &self.racks[rack.index()];
        r.voltage
            .map(|v| v.value)
            .or_else(|| r.power.and_then(|p| p.value.voltage))
            .or_else(|| {
                r.feeds
                    .iter()
                    .find_map(|f| self.feeds[f.value.index()].circuit?.value.voltage)
            })
    }

    /// The rack's budget: `power`, or the smallest feed circuit (each feed
    /// must carry the whole rack when the other fails).
    pub fn rack_budget(&self, rack: RackId) -> Option<PowerBudget> {
        let r = &self.racks[rack.index()];
        if let Some(p) = r.power {
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

    /// A device's draw in watts, converting a current at its rack's voltage.
    pub fn device_watts(&self, device: DeviceId) -> Option<Watts> {
        let d = &self.devices[device.index()];
        let draw = d.props.draw?.value;
        let voltage = d.placement.and_then(|p| self.rack_voltage(p.rack));
        draw.watts(voltage)
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
