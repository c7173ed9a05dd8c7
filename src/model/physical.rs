//! What stands in a data centre: sites, power, racks, device models and
//! devices, and the cables between them.

use super::*;
use std::sync::{Arc, LazyLock};
use units::{
    Amps, Bytes, BytesPerSecond, Draw, Kilograms, Metres, Percent, VoltAmperes, Volts, Watts,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SiteRole {
    Primary,
    Secondary,
    Dr,
    Edge,
}

impl SiteRole {
    /// The words of the language, as the schema lists them.
    pub const ALL: [(&'static str, SiteRole); 4] = [
        ("primary", SiteRole::Primary),
        ("secondary", SiteRole::Secondary),
        ("dr", SiteRole::Dr),
        ("edge", SiteRole::Edge),
    ];
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
    /// The devices outside traffic enters the site through; empty when it
    /// reaches every service directly.
    pub entry: Vec<Spanned<DeviceId>>,
    pub allows: Vec<AllowId>,
    pub node: NodeIndex,
}

impl Site {
    pub fn new(name: String, span: Span) -> Site {
        Site {
            name,
            span,
            role: None,
            backs: None,
            upstream: None,
            uplink: None,
            entry: vec![],
            allows: vec![],
            node: NodeIndex::end(),
        }
    }
}

/// What a power source is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PowerKind {
    Utility,
    Generator,
    Ups,
    Panel,
}

impl PowerKind {
    pub const ALL: [(&'static str, PowerKind); 4] = [
        ("utility", PowerKind::Utility),
        ("generator", PowerKind::Generator),
        ("ups", PowerKind::Ups),
        ("panel", PowerKind::Panel),
    ];
}

/// A source upstream of feeds: the utility, a generator, a UPS, a panel.
/// Sources form a tree through `from`.
#[derive(Debug, Clone)]
pub struct Power {
    pub name: String,
    pub span: Span,
    pub site: Option<Spanned<SiteId>>,
    pub kind: Option<Spanned<PowerKind>>,
    pub capacity: Option<Spanned<Circuit>>,
    /// 1 or 3; single phase when not given.
    pub phases: Option<Spanned<u32>>,
    /// The source this one draws from; a root has none.
    pub from: Option<Spanned<PowerId>>,
    pub allows: Vec<AllowId>,
    pub node: NodeIndex,
}

impl Power {
    pub fn new(name: String, span: Span) -> Power {
        Power {
            name,
            span,
            site: None,
            kind: None,
            capacity: None,
            phases: None,
            from: None,
            allows: vec![],
            node: NodeIndex::end(),
        }
    }
}

/// A power limit: a breaker rating (A, needing a voltage), a power or an
/// apparent power.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Circuit {
    pub limit: Draw,
    pub voltage: Option<Volts>,
}

impl Circuit {
    pub fn watts(&self) -> Option<Watts> {
        self.limit.watts(self.voltage)
    }

    /// What the circuit carries in VA: V × A single-phase, √3 × V × A on
    /// three phases (V line-to-line); a figure in W or VA as it is. None
    /// for a current without a voltage (lowering refuses it).
    pub fn capacity(&self, phases: Option<Spanned<u32>>) -> Option<VoltAmperes> {
        match self.limit {
            Draw::Current(a) => {
                let single = VoltAmperes::from_amps(a, self.voltage?);
                Some(if is_three_phase(phases) {
                    single * 3f64.sqrt()
                } else {
                    single
                })
            }
            Draw::Power(w) => Some(VoltAmperes::new(w.get())),
            Draw::ApparentPower(va) => Some(va),
        }
    }

    /// The current in each line that `load` draws at this circuit's
    /// voltage: VA ÷ V, or VA ÷ (√3 × V) on three phases.
    pub fn amps_at(&self, load: VoltAmperes, phases: Option<Spanned<u32>>) -> Option<Amps> {
        let v = self.voltage?;
        let per_line = if is_three_phase(phases) {
            load / 3f64.sqrt()
        } else {
            load
        };
        Some(per_line.to_amps(v))
    }
}

pub fn is_three_phase(phases: Option<Spanned<u32>>) -> bool {
    phases.is_some_and(|n| n.value == 3)
}

#[derive(Debug, Clone)]
pub struct Feed {
    pub name: String,
    pub span: Span,
    pub site: Option<Spanned<SiteId>>,
    pub circuit: Option<Spanned<Circuit>>,
    /// 1 or 3; single phase when not given.
    pub phases: Option<Spanned<u32>>,
    /// The continuous-load limit as a share of the circuit: `rated 100%`
    /// for a 100 %-rated breaker; 80 % when not given.
    pub rated: Option<Spanned<Percent>>,
    /// The power source the feed draws from.
    pub from: Option<Spanned<PowerId>>,
    pub allows: Vec<AllowId>,
    pub node: NodeIndex,
}

impl Feed {
    pub fn new(name: String, span: Span) -> Feed {
        Feed {
            name,
            span,
            site: None,
            circuit: None,
            phases: None,
            rated: None,
            from: None,
            allows: vec![],
            node: NodeIndex::end(),
        }
    }
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
    /// An explicit budget, instead of the feeds' circuit. This and the
    /// three below are boxed, as what most racks leave out: a project may
    /// hold two million racks.
    pub power: Option<Box<Spanned<Circuit>>>,
    pub voltage: Option<Box<Spanned<Volts>>>,
    /// The rack's cold-aisle direction (NetBox: front-to-rear, rear-to-front).
    pub airflow: Option<Box<Spanned<Airflow>>>,
    /// The heat the rack's position can remove.
    pub cooling: Option<Box<Spanned<Watts>>>,
    /// Devices placed in this rack, in declaration order.
    pub devices: Vec<DeviceId>,
    pub allows: Vec<AllowId>,
    pub node: NodeIndex,
}

impl Rack {
    pub fn new(name: String, span: Span) -> Rack {
        Rack {
            name,
            span,
            site: None,
            height: Spanned::new(42, span),
            feeds: vec![],
            max_weight: None,
            weight: None,
            power: None,
            voltage: None,
            airflow: None,
            cooling: None,
            devices: vec![],
            allows: vec![],
            node: NodeIndex::end(),
        }
    }
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

/// The most groups one `ports` may list: the speeds of a device's
/// downlinks, uplinks and management, and one more.
pub const MAX_PORT_GROUPS: usize = 4;

/// `N x SPEED`: ports of one speed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PortGroup {
    pub count: u32,
    pub speed: BytesPerSecond,
}

/// `ports N x SPEED [N x SPEED...]`: a device's, NIC's or HBA's ports, in
/// groups of one speed each. Held inline, counts apart from speeds, so that
/// a model's ports copy into each of its (many) devices cheaply.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ports {
    /// Ports in all groups.
    pub count: u32,
    len: u8,
    counts: [u32; MAX_PORT_GROUPS],
    speeds: [BytesPerSecond; MAX_PORT_GROUPS],
}

impl Ports {
    /// The groups as written; an error names what is wrong with them.
    pub fn new(groups: &[PortGroup]) -> Result<Ports, String> {
        if groups.is_empty() {
            return Err("`ports` needs at least one group like `2 x 25GbE`".into());
        }
        if groups.len() > MAX_PORT_GROUPS {
            return Err(format!(
                "`ports` lists {} groups; at most {MAX_PORT_GROUPS} speeds fit one device",
                groups.len()
            ));
        }
        let count: u64 = groups.iter().map(|g| u64::from(g.count)).sum();
        let count =
            u32::try_from(count).map_err(|_| "more ports than can be counted".to_string())?;
        let mut ports = Ports {
            count,
            len: groups.len() as u8,
            counts: [0; MAX_PORT_GROUPS],
            speeds: [BytesPerSecond::new(0.0); MAX_PORT_GROUPS],
        };
        for (i, g) in groups.iter().enumerate() {
            ports.counts[i] = g.count;
            ports.speeds[i] = g.speed;
        }
        Ok(ports)
    }

    /// The groups in the order written.
    pub fn groups(&self) -> impl Iterator<Item = PortGroup> + '_ {
        let len = usize::from(self.len);
        self.counts[..len]
            .iter()
            .zip(&self.speeds[..len])
            .map(|(&count, &speed)| PortGroup { count, speed })
    }

    /// What all the ports carry together.
    pub fn total(&self) -> BytesPerSecond {
        self.groups()
            .map(|g| g.speed * g.count as f64)
            .fold(BytesPerSecond::new(0.0), |a, b| a + b)
    }

    /// `2 × 25GbE`, or `2 × 25GbE + 2 × 100GbE`.
    pub fn label(&self) -> String {
        self.groups()
            .map(|g| format!("{} × {}", g.count, g.speed_label()))
            .collect::<Vec<_>>()
            .join(" + ")
    }
}

impl PortGroup {
    /// The speed as a port is named: `25GbE`, `32GFC`, or a bandwidth.
    pub fn speed_label(&self) -> String {
        let gbps = self.speed.bits_per_second() / 1e9;
        if units::ETHERNET_SPEEDS_GBPS
            .iter()
            .any(|&s| (s - gbps).abs() < 1e-9)
        {
            return format!("{gbps}GbE");
        }
        let bytes = self.speed.get();
        if let Some(gfc) = units::FIBRE_CHANNEL_SPEEDS.iter().find(|&&s| {
            let payload = units::fibre_channel_payload(s);
            (payload - bytes).abs() <= payload * 1e-9
        }) {
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
    /// What few devices state, behind one shared pointer: a project's many
    /// devices stay small, and a model's devices share their model's.
    pub extras: Option<Arc<DeviceExtras>>,
}

/// Device properties most devices leave out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DeviceExtras {
    /// Real over apparent power of the supplies; 1.0 when not given.
    pub power_factor: Option<Spanned<f64>>,
    pub depth: Option<Spanned<Depth>>,
    /// The host's memory when it declares no CPUs with memory.
    pub ram: Option<Spanned<Bytes>>,
    /// The downlink-to-uplink ratio a switch is designed for (5 means 5:1).
    pub oversubscription: Option<Spanned<f64>>,
}

impl DeviceProps {
    pub fn power_factor(&self) -> Option<Spanned<f64>> {
        self.extras.as_ref()?.power_factor
    }

    pub fn depth(&self) -> Option<Spanned<Depth>> {
        self.extras.as_ref()?.depth
    }

    pub fn ram(&self) -> Option<Spanned<Bytes>> {
        self.extras.as_ref()?.ram
    }

    pub fn oversubscription(&self) -> Option<Spanned<f64>> {
        self.extras.as_ref()?.oversubscription
    }

    /// The extras to change, copied first when a model's devices share them.
    pub fn extras_mut(&mut self) -> &mut DeviceExtras {
        Arc::make_mut(self.extras.get_or_insert_with(Arc::default))
    }
}

/// How deep a device is: a full-depth device takes its U on both faces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Depth {
    Full,
    Half,
}

impl Depth {
    pub const ALL: [(&'static str, Depth); 2] = [("full", Depth::Full), ("half", Depth::Half)];

    pub fn name(self) -> &'static str {
        match self {
            Depth::Full => "full",
            Depth::Half => "half",
        }
    }
}

/// The face of the rack a device is mounted on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Face {
    #[default]
    Front,
    Rear,
}

impl Face {
    pub const ALL: [(&'static str, Face); 2] = [("front", Face::Front), ("rear", Face::Rear)];

    pub fn name(self) -> &'static str {
        match self {
            Face::Front => "front",
            Face::Rear => "rear",
        }
    }
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

impl DeviceModel {
    pub fn new(name: String, span: Span) -> DeviceModel {
        DeviceModel {
            name,
            span,
            parent: None,
            props: DeviceProps::default(),
            internals: Arc::default(),
            allows: vec![],
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placement {
    pub rack: RackId,
    /// Lowest U occupied.
    pub position: u32,
    pub face: Face,
    /// The device's depth (its own or its model's; full when not given),
    /// kept here because it decides which faces the units are taken on.
    pub depth: Depth,
    pub span: Span,
}

impl Placement {
    /// Whether a device placed here and one placed at `other` may share a U:
    /// only two half-depth devices on opposite faces can.
    pub fn shares_units_with(&self, other: &Placement) -> bool {
        self.depth == Depth::Half && other.depth == Depth::Half && self.face != other.face
    }

    /// The faces whose units it takes: both for a full-depth device.
    pub fn takes(&self, face: Face) -> bool {
        self.depth == Depth::Full || self.face == face
    }
}

#[derive(Debug, Clone)]
pub struct Device {
    pub name: String,
    pub span: Span,
    pub kind: DeviceKind,
    pub model: Option<Spanned<ModelId>>,
    /// Shared with the model (and the other devices of its declaration)
    /// when the device sets none of its own: large projects repeat one model.
    pub props: Arc<DeviceProps>,
    pub placement: Option<Placement>,
    /// The explicit `site`, or the rack's.
    pub site: Option<SiteId>,
    /// The rack feeds its power supplies connect to, when it names them.
    pub feeds: Vec<Spanned<FeedId>>,
    /// Parts and buses; shared with the model when the device adds none.
    pub internals: Arc<Internals>,
    /// Suppressions on the device and on its models.
    pub allows: Vec<AllowId>,
    pub node: NodeIndex,
}

/// What every new device starts from until lowering gives it its model's:
/// one shared value, not an allocation per device of a large project.
static EMPTY_PROPS: LazyLock<Arc<DeviceProps>> = LazyLock::new(Arc::default);
static EMPTY_INTERNALS: LazyLock<Arc<Internals>> = LazyLock::new(Arc::default);

impl Device {
    pub fn new(name: String, span: Span, kind: DeviceKind) -> Device {
        Device {
            name,
            span,
            kind,
            model: None,
            props: Arc::clone(&EMPTY_PROPS),
            placement: None,
            site: None,
            feeds: vec![],
            internals: Arc::clone(&EMPTY_INTERNALS),
            allows: vec![],
            node: NodeIndex::end(),
        }
    }

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

/// One end of a cable: a device, or a port-bearing part of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Endpoint {
    pub device: DeviceId,
    /// An index into the device's `internals.parts`; u32 keeps a link small.
    pub part: Option<u32>,
}

/// The network a cable belongs to. Ethernet and Fibre Channel are separate
/// networks: no path mixes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum LinkMedium {
    /// A speed in `GbE` or in bits per second; also a byte rate (`B/s`)
    /// and a link without `speed`: a cable nobody calls Fibre Channel is
    /// read as the data network, as an engineer reads a drawing.
    #[default]
    Ethernet,
    /// A speed in `GFC`.
    FibreChannel,
}

impl LinkMedium {
    pub fn label(self) -> &'static str {
        match self {
            LinkMedium::Ethernet => "Ethernet",
            LinkMedium::FibreChannel => "Fibre Channel",
        }
    }
}

/// One cable (or LAG) of a `link` statement. What the links of one
/// statement share (its span, speed, medium, count, distance, allows) is
/// held once in the statement's [`LinkStatement`]: a data centre has
/// hundreds of thousands of links from a few thousand statements.
#[derive(Debug, Clone, Copy)]
pub struct Link {
    pub from: Endpoint,
    pub to: Endpoint,
    /// The statement, an index into `Project::link_statements`.
    pub statement: u32,
    /// Where each end is written: indices into the statement's `ends`.
    pub from_end: u32,
    pub to_end: u32,
}

/// What the links of one `link` statement share.
#[derive(Debug, Clone)]
pub struct LinkStatement {
    pub span: Span,
    pub speed: Option<Spanned<BytesPerSecond>>,
    /// Recorded from the speed's unit when lowering: the bandwidth alone
    /// does not say whether 32GFC or 25.6Gb/s was written.
    pub medium: LinkMedium,
    /// Parallel cables between the two ends (a LAG); one when not given.
    pub count: Option<Spanned<u32>>,
    /// The cable's length.
    pub distance: Option<Spanned<Metres>>,
    pub allows: Vec<AllowId>,
    /// The spans the statement's ends are written at, each once: every end
    /// a range expands to shares the range's span.
    pub ends: Vec<Span>,
}

impl Link {
    pub fn of<'a>(&self, p: &'a Project) -> &'a LinkStatement {
        &p.link_statements[self.statement as usize]
    }

    /// The whole `link` statement.
    pub fn span(&self, p: &Project) -> Span {
        self.of(p).span
    }

    pub fn speed(&self, p: &Project) -> Option<Spanned<BytesPerSecond>> {
        self.of(p).speed
    }

    pub fn medium(&self, p: &Project) -> LinkMedium {
        self.of(p).medium
    }

    pub fn count(&self, p: &Project) -> Option<Spanned<u32>> {
        self.of(p).count
    }

    pub fn distance(&self, p: &Project) -> Option<Spanned<Metres>> {
        self.of(p).distance
    }

    pub fn allows<'a>(&self, p: &'a Project) -> &'a [AllowId] {
        &self.of(p).allows
    }

    /// The `from` end with the span it is written at.
    pub fn from_at(&self, p: &Project) -> Spanned<Endpoint> {
        Spanned::new(self.from, self.of(p).ends[self.from_end as usize])
    }

    /// The `to` end with the span it is written at.
    pub fn to_at(&self, p: &Project) -> Spanned<Endpoint> {
        Spanned::new(self.to, self.of(p).ends[self.to_end as usize])
    }
}

/// What a fault domain holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Member {
    Device(DeviceId),
    Vm(VmId),
    Rack(RackId),
}

/// Elements that fail as one: a switch stack, a chassis, a zone.
#[derive(Debug, Clone)]
pub struct FaultDomain {
    pub name: String,
    pub span: Span,
    pub members: Vec<Spanned<Member>>,
    pub allows: Vec<AllowId>,
    pub node: NodeIndex,
}

impl FaultDomain {
    pub fn new(name: String, span: Span) -> FaultDomain {
        FaultDomain {
            name,
            span,
            members: vec![],
            allows: vec![],
            node: NodeIndex::end(),
        }
    }
}

// A data centre has hundreds of thousands of links: keep each small.
const _: () = assert!(std::mem::size_of::<Link>() <= 36);

// A project may hold two million racks; keep each from growing.
const _: () = assert!(std::mem::size_of::<Rack>() <= 248);
