//! The semantic model: every element of a project, resolved and typed, with
//! the relations between them held in a petgraph graph ([`graph`]).
//!
//! Analyzers and renderers read only this. It is built by [`load`] (files and
//! includes) and [`lower`] (names, ranges, models, units, presets).

pub mod graph;
pub mod load;
pub mod lower;
pub mod names;
pub mod presets;
pub mod schema;
pub mod units;

use crate::source::{FileId, Span};
use petgraph::graph::NodeIndex;
use presets::BusPreset;
use std::collections::HashMap;
use std::sync::Arc;
use units::{
    Amps, Bytes, BytesPerSecond, Draw, FlowRate, Kilograms, Percent, RequestsPerSecond, Seconds,
    Volts, Watts,
};

pub use load::{load_files, load_sources, Loaded};

/// A value and where it was written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

macro_rules! ids {
    ($($name:ident),* $(,)?) => {$(
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub u32);
        impl $name {
            pub fn index(self) -> usize { self.0 as usize }
        }
    )*};
}

ids!(
    SiteId,
    FeedId,
    RackId,
    ModelId,
    DeviceId,
    VmId,
    TierId,
    ServiceId,
    ClientId,
    CdnId,
    FlowId,
    PartitionId,
    ReplicationId,
    LinkId,
    AllowId
);

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
}

/// The whole project after lowering.
#[derive(Debug, Default)]
pub struct Project {
    pub sites: Vec<Site>,
    pub feeds: Vec<Feed>,
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
    pub allows: Vec<Allow>,
    /// Top-level names to what they declare.
    pub names: HashMap<String, Element>,
    pub graph: graph::Topology,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SiteRole {
    Primary,
    Secondary,
    Dr,
    Edge,
}

#[derive(Debug, Clone)]
pub struct Site {
    pub name: String,
    pub span: Span,
    pub role: Option<Spanned<SiteRole>>,
    /// The site this one is the disaster-recovery site for.
    pub backs: Option<Spanned<SiteId>>,
    /// The center an edge site sends its results to.
    pub upstream: Option<Spanned<SiteId>>,
    pub uplink: Option<Spanned<BytesPerSecond>>,
    pub allows: Vec<AllowId>,
    pub node: NodeIndex,
}

/// A power limit: a breaker rating (A, needing a voltage) or a power.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Circuit {
    pub limit: Draw,
    pub voltage: Option<Volts>,
}

impl Circuit {
    pub fn watts(&self) -> Option<Watts> {
        self.limit.watts(self.voltage)
    }
}

#[derive(Debug, Clone)]
pub struct Feed {
    pub name: String,
    pub span: Span,
    pub site: Option<Spanned<SiteId>>,
    pub circuit: Option<Spanned<Circuit>>,
    pub allows: Vec<AllowId>,
    pub node: NodeIndex,
}

#[derive(Debug, Clone)]
pub struct Rack {
    pub name: String,
    pub span: Span,
    pub site: Option<Spanned<SiteId>>,
    /// Height in U; 42U when not given.
    pub height: Spanned<u32>,
    pub feeds: Vec<Spanned<FeedId>>,
    pub max_weight: Option<Spanned<Kilograms>>,
    /// The empty rack's own weight.
    pub weight: Option<Spanned<Kilograms>>,
    /// An explicit budget, instead of the feeds' circuit.
    pub power: Option<Spanned<Circuit>>,
    pub voltage: Option<Spanned<Volts>>,
    /// The rack's cold-aisle direction (NetBox: front-to-rear, rear-to-front).
    pub airflow: Option<Spanned<Airflow>>,
    /// Devices placed in this rack, in declaration order.
    pub devices: Vec<DeviceId>,
    pub allows: Vec<AllowId>,
    pub node: NodeIndex,
}

/// The budget of a rack and where it comes from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PowerBudget {
    pub circuit: Circuit,
    pub span: Span,
    /// The feed it comes from, when it is the (smallest) feed circuit.
    pub feed: Option<FeedId>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DeviceKind {
    Server,
    Switch,
    Router,
    Firewall,
    Lb,
    Storage,
    Pdu,
    Device,
}

impl DeviceKind {
    pub const ALL: [(&'static str, DeviceKind); 8] = [
        ("server", DeviceKind::Server),
        ("switch", DeviceKind::Switch),
        ("router", DeviceKind::Router),
        ("firewall", DeviceKind::Firewall),
        ("lb", DeviceKind::Lb),
        ("storage", DeviceKind::Storage),
        ("pdu", DeviceKind::Pdu),
        ("device", DeviceKind::Device),
    ];

    pub fn from_keyword(word: &str) -> Option<DeviceKind> {
        Self::ALL.iter().find(|(k, _)| *k == word).map(|(_, d)| *d)
    }

    pub fn keyword(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, d)| *d == self)
            .map(|(k, _)| *k)
            .unwrap_or("device")
    }
}

/// `ports N x SPEED`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ports {
    pub count: u32,
    pub speed: BytesPerSecond,
}

impl Ports {
    pub fn total(&self) -> BytesPerSecond {
        self.speed * self.count as f64
    }

    /// The speed as a port is named: `25GbE`, `32GFC`, or a bandwidth.
    pub fn speed_label(&self) -> String {
        let gbps = self.speed.bits_per_second() / 1e9;
        if units::ETHERNET_SPEEDS_GBPS
            .iter()
            .any(|&s| (s - gbps).abs() < 1e-9)
        {
            return format!("{gbps}GbE");
        }
        let gfc = self.speed.get() / 1e8;
        if units::FIBRE_CHANNEL_SPEEDS
            .iter()
            .any(|&s| (s - gfc).abs() < 1e-9)
        {
            return format!("{gfc}GFC");
        }
        self.speed.to_string()
    }
}

/// Device properties that a model gives and a device may override.
#[derive(Debug, Clone, Default)]
pub struct DeviceProps {
    pub size: Option<Spanned<u32>>,
    pub draw: Option<Spanned<Draw>>,
    pub weight: Option<Spanned<Kilograms>>,
    pub psu: Option<Spanned<u32>>,
    pub fans: Option<Spanned<u32>>,
    /// `redundant`: a fault-tolerant box whose duplicated parts are
    /// the failure candidates instead of the box itself.
    pub redundant: Option<Span>,
    pub ports: Option<Spanned<Ports>>,
    pub airflow: Option<Spanned<Airflow>>,
}

/// Which way air moves through a device or rack, as NetBox names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Airflow {
    FrontToRear,
    RearToFront,
    LeftToRight,
    RightToLeft,
    SideToRear,
    RearToSide,
    BottomToTop,
    TopToBottom,
    Passive,
    Mixed,
}

impl Airflow {
    pub const ALL: [(&'static str, Airflow); 10] = [
        ("front-to-rear", Airflow::FrontToRear),
        ("rear-to-front", Airflow::RearToFront),
        ("left-to-right", Airflow::LeftToRight),
        ("right-to-left", Airflow::RightToLeft),
        ("side-to-rear", Airflow::SideToRear),
        ("rear-to-side", Airflow::RearToSide),
        ("bottom-to-top", Airflow::BottomToTop),
        ("top-to-bottom", Airflow::TopToBottom),
        ("passive", Airflow::Passive),
        ("mixed", Airflow::Mixed),
    ];

    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, a)| *a == self)
            .map_or("mixed", |(n, _)| n)
    }

    /// The front-to-back direction it pushes hot air: `FrontToRear` for
    /// devices that exhaust at the rear, `RearToFront` for those that take
    /// air from the rear; `None` for sideways, vertical, passive and mixed.
    pub fn front_to_back(self) -> Option<Airflow> {
        match self {
            Airflow::FrontToRear | Airflow::SideToRear => Some(Airflow::FrontToRear),
            Airflow::RearToFront | Airflow::RearToSide => Some(Airflow::RearToFront),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct DeviceModel {
    pub name: String,
    pub span: Span,
    pub parent: Option<Spanned<ModelId>>,
    /// Resolved: the parent's properties overridden by this model's.
    pub props: DeviceProps,
    pub internals: Arc<Internals>,
    pub allows: Vec<AllowId>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placement {
    pub rack: RackId,
    /// Lowest U occupied.
    pub position: u32,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Device {
    pub name: String,
    pub span: Span,
    pub kind: DeviceKind,
    pub model: Option<Spanned<ModelId>>,
    pub props: DeviceProps,
    pub placement: Option<Placement>,
    /// The explicit `site`, or the rack's.
    pub site: Option<SiteId>,
    /// Parts and buses; shared with the model when the device adds none.
    pub internals: Arc<Internals>,
    /// Suppressions on the device and on its models.
    pub allows: Vec<AllowId>,
    pub node: NodeIndex,
}

impl Device {
    pub fn size(&self) -> u32 {
        self.props.size.map_or(1, |s| s.value)
    }

    /// The U numbers occupied, lowest to highest.
    /// None for unplaced and 0U devices (mounted at the rack's side).
    pub fn occupied(&self) -> Option<std::ops::RangeInclusive<u32>> {
        let p = self.placement?;
        let size = self.size();
        (size > 0).then(|| p.position..=p.position + size - 1)
    }

    pub fn is_redundant(&self) -> bool {
        self.props.redundant.is_some()
    }
}

/// The inside of a server: parts and the bus tree joining them.
#[derive(Debug, Clone, Default)]
pub struct Internals {
    pub parts: Vec<Part>,
    /// Edges run from a part to the part it hangs off, carrying the bus.
    pub bus_tree: petgraph::graph::DiGraph<usize, usize>,
    /// Index into `parts` by name.
    pub by_name: HashMap<String, usize>,
}

impl Internals {
    pub fn part(&self, name: &str) -> Option<usize> {
        self.by_name.get(name).copied()
    }

    /// Memory of all CPUs: Σ DIMMs × dimm-size, when every CPU states it.
    pub fn memory(&self) -> Option<Bytes> {
        let mut total = Bytes::new(0.0);
        let mut any = false;
        for p in &self.parts {
            if let PartKind::Cpu(cpu) = &p.kind {
                if let Some(m) = &cpu.memory {
                    total += m.total()?;
                    any = true;
                }
            }
        }
        // Lowering refuses a CPU's memory too large to add up; the sum of
        // several may still be, and then there is no figure to compare.
        (any && total.get().is_finite()).then_some(total)
    }

    pub fn cpus(&self) -> impl Iterator<Item = (usize, &Part)> {
        self.parts
            .iter()
            .enumerate()
            .filter(|(_, p)| matches!(p.kind, PartKind::Cpu(_)))
    }
}

#[derive(Debug, Clone)]
pub struct Part {
    pub name: String,
    pub span: Span,
    pub kind: PartKind,
    /// The bus this part hangs on; `None` hangs directly off the first CPU.
    pub bus: Option<Bus>,
    /// Index of the part this one hangs off (none for CPUs).
    pub parent: Option<usize>,
    pub allows: Vec<AllowId>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PartKind {
    Cpu(Cpu),
    Chipset,
    Nic {
        ports: Option<Spanned<Ports>>,
    },
    Disk(Disk),
    Controller(Controller),
    Hba {
        ports: Option<Spanned<Ports>>,
    },
    Card {
        throughput: Option<Spanned<BytesPerSecond>>,
    },
}

impl PartKind {
    pub fn keyword(&self) -> &'static str {
        match self {
            PartKind::Cpu(_) => "cpu",
            PartKind::Chipset => "chipset",
            PartKind::Nic { .. } => "nic",
            PartKind::Disk(_) => "disk",
            PartKind::Controller(_) => "controller",
            PartKind::Hba { .. } => "hba",
            PartKind::Card { .. } => "card",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cpu {
    pub cores: Option<Spanned<u32>>,
    pub memory: Option<Memory>,
    /// `bus upi to cpu1`: the socket link, outside the bus tree.
    pub socket_link: Option<SocketLink>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SocketLink {
    pub spec: BusSpec,
    pub to: usize,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Memory {
    pub preset: &'static BusPreset,
    pub span: Span,
    pub channels: Option<Spanned<u32>>,
    /// DIMMs per channel, one figure per channel.
    pub dimms: Option<Spanned<Vec<u32>>>,
    pub dimm_size: Option<Spanned<Bytes>>,
}

impl Memory {
    pub fn total(&self) -> Option<Bytes> {
        let dimms: u64 = self
            .dimms
            .as_ref()?
            .value
            .iter()
            .map(|&d| u64::from(d))
            .sum();
        let total = self.dimm_size?.value * dimms as f64;
        total.get().is_finite().then_some(total)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Medium {
    Hdd,
    Ssd,
    Nvme,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Disk {
    pub medium: Option<Spanned<Medium>>,
    pub throughput: Option<Spanned<BytesPerSecond>>,
    pub iops: Option<Spanned<u64>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheMode {
    WriteBack,
    WriteThrough,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protection {
    Battery,
    Flash,
    None,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Controller {
    pub cache: Option<Spanned<(Bytes, CacheMode)>>,
    pub protection: Option<Spanned<Protection>>,
}

/// A resolved bus: what it is called and what it carries per direction.
#[derive(Debug, Clone, PartialEq)]
pub struct BusSpec {
    /// As written in canonical form: "pcie3 x8", "dmi3", "64 bit × 100 MT/s".
    pub label: String,
    pub bandwidth: BytesPerSecond,
    pub preset: Option<&'static BusPreset>,
    pub lanes: Option<u32>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Bus {
    pub spec: BusSpec,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Vm {
    pub name: String,
    pub span: Span,
    /// None only after an error (no host, or an unknown one).
    pub host: Option<Spanned<DeviceId>>,
    pub failover: Option<Spanned<DeviceId>>,
    pub ram: Option<Spanned<Bytes>>,
    pub allows: Vec<AllowId>,
    pub node: NodeIndex,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TierRole {
    Presentation,
    Application,
    Cache,
    Data,
}

#[derive(Debug, Clone)]
pub struct Tier {
    pub name: String,
    pub span: Span,
    /// Declaration order: 0 is the top.
    pub level: usize,
    pub role: Option<Spanned<TierRole>>,
    pub allows: Vec<AllowId>,
    pub node: NodeIndex,
}

/// Where a service instance runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Host {
    Device(DeviceId),
    Vm(VmId),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceKind {
    Service,
    Dns,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HaMode {
    ActiveStandby,
    ActiveActive,
}

#[derive(Debug, Clone)]
pub struct Shard {
    pub key: String,
    pub span: Span,
    pub weights: Option<Spanned<Vec<Spanned<Percent>>>>,
}

#[derive(Debug, Clone)]
pub struct Service {
    pub name: String,
    pub span: Span,
    pub kind: ServiceKind,
    pub hosts: Vec<Spanned<Host>>,
    pub tier: Option<Spanned<TierId>>,
    pub calls: Vec<Spanned<ServiceId>>,
    /// `pool SERVICE N`: connections this service's each instance holds to another.
    pub pools: Vec<Spanned<(ServiceId, u32)>>,
    pub load: Option<Spanned<RequestsPerSecond>>,
    /// Per instance.
    pub capacity: Option<Spanned<RequestsPerSecond>>,
    pub stateful: Option<Span>,
    pub ha: Option<Spanned<HaMode>>,
    pub max_connections: Option<Spanned<u32>>,
    pub cache: Option<Spanned<Bytes>>,
    pub storage: Option<Spanned<DeviceId>>,
    pub shard: Option<Shard>,
    pub process_model: Option<Spanned<String>>,
    pub workers: Option<Spanned<u32>>,
    pub threads: Option<Spanned<u32>>,
    /// For `dns`: the services and CDNs whose names it resolves.
    pub resolves: Vec<Spanned<Hop>>,
    pub allows: Vec<AllowId>,
    pub node: NodeIndex,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ClientKind {
    /// A thin client: a browser reaching the web tier.
    Browser,
    /// A fat client with installed software (client-server).
    Software {
        name: String,
        version: Option<String>,
    },
}

#[derive(Debug, Clone)]
pub struct Client {
    pub name: String,
    pub span: Span,
    pub kind: Option<Spanned<ClientKind>>,
    pub allows: Vec<AllowId>,
    pub node: NodeIndex,
}

#[derive(Debug, Clone)]
pub struct Cdn {
    pub name: String,
    pub span: Span,
    pub origin: Option<Spanned<ServiceId>>,
    pub pops: Option<Spanned<u32>>,
    pub allows: Vec<AllowId>,
    pub node: NodeIndex,
}

/// One step of a request path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Hop {
    Client(ClientId),
    Service(ServiceId),
    Cdn(CdnId),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Content {
    Static,
    Dynamic,
    Results,
    Raw,
}

#[derive(Debug, Clone)]
pub struct Flow {
    pub name: String,
    pub span: Span,
    /// One request path per `->` chain.
    pub paths: Vec<Vec<Spanned<Hop>>>,
    pub content: Option<Spanned<Content>>,
    pub rate: Option<Spanned<FlowRate>>,
    pub allows: Vec<AllowId>,
    pub node: NodeIndex,
}

#[derive(Debug, Clone)]
pub struct Partition {
    pub name: String,
    pub span: Span,
    pub services: Vec<Spanned<ServiceId>>,
    pub allows: Vec<AllowId>,
    pub node: NodeIndex,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplicationMode {
    Sync,
    Async,
}

#[derive(Debug, Clone)]
pub struct Replication {
    pub span: Span,
    pub from: Spanned<ServiceId>,
    pub to: Spanned<ServiceId>,
    pub mode: Option<Spanned<ReplicationMode>>,
    pub rpo: Option<Spanned<Seconds>>,
    pub rto: Option<Spanned<Seconds>>,
    pub allows: Vec<AllowId>,
}

/// One end of a cable: a device, or a port-bearing part of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Endpoint {
    pub device: DeviceId,
    pub part: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct Link {
    pub span: Span,
    pub from: Spanned<Endpoint>,
    pub to: Spanned<Endpoint>,
    pub speed: Option<Spanned<BytesPerSecond>>,
    pub allows: Vec<AllowId>,
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

    /// Memory of a host: its DIMMs, or a vm's `ram`.
    pub fn host_memory(&self, host: Host) -> Option<Bytes> {
        match host {
            Host::Device(d) => self.devices[d.index()].internals.memory(),
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
