//! What stands in a data centre: sites, power, racks, device models and
//! devices, and the cables between them.

use super::*;
use std::sync::Arc;
use units::{BytesPerSecond, Draw, Kilograms, Volts, Watts};

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
