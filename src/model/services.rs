//! What runs on the hardware: vms, tiers, services, clients, CDNs, flows,
//! partitions and replication.

use super::*;
use units::{Bytes, BytesPerSecond, FlowRate, Percent, RequestsPerSecond, Seconds};

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

impl Vm {
    pub fn new(name: String, span: Span) -> Vm {
        Vm {
            name,
            span,
            host: None,
            failover: None,
            ram: None,
            allows: vec![],
            node: NodeIndex::end(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TierRole {
    Presentation,
    Application,
    Cache,
    Data,
}

impl TierRole {
    /// The words of the language, as the schema lists them.
    pub const ALL: [(&'static str, TierRole); 4] = [
        ("presentation", TierRole::Presentation),
        ("application", TierRole::Application),
        ("cache", TierRole::Cache),
        ("data", TierRole::Data),
    ];
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

impl Tier {
    pub fn new(name: String, span: Span, level: usize) -> Tier {
        Tier {
            name,
            span,
            level,
            role: None,
            allows: vec![],
            node: NodeIndex::end(),
        }
    }
}

/// How tiers couple, for the tier rules (the language's "Tiers, services,
/// clients"): one level per tier, 0 at the top, and which tiers are the
/// presentation tiers.
///
/// When every tier has a role, the levels are the roles' (presentation 0,
/// application 1, data 2) and several tiers may share one; a `cache` tier
/// stands beside the data level: calls into it skip nothing and it is never
/// the tier a call skips. When no tier has a role, or only some do (a mixed
/// file), the levels are the declaration order, as in v1: a role given to
/// only some tiers cannot place the others, so it is not half applied.
#[derive(Debug, Clone)]
pub struct TierCoupling {
    /// Whether the levels come from roles (every tier has one).
    pub by_role: bool,
    level: Vec<usize>,
    cache: Vec<bool>,
    presentation: Vec<bool>,
}

impl TierRole {
    /// The coupling level of the role; a cache stands beside the data level.
    pub fn level(self) -> usize {
        match self {
            TierRole::Presentation => 0,
            TierRole::Application => 1,
            TierRole::Data | TierRole::Cache => 2,
        }
    }
}

impl TierCoupling {
    pub fn of(tiers: &[Tier]) -> TierCoupling {
        let by_role = !tiers.is_empty() && tiers.iter().all(|t| t.role.is_some());
        let role = |t: &Tier| t.role.map(|r| r.value);
        let level: Vec<usize> = tiers
            .iter()
            .map(|t| match role(t) {
                Some(r) if by_role => r.level(),
                _ => t.level,
            })
            .collect();
        let cache = tiers
            .iter()
            .map(|t| by_role && role(t) == Some(TierRole::Cache))
            .collect();
        // The presentation tiers: every tier with that role; when none has
        // it, the tiers of the top level (the first tier in v1; in a
        // two-tier file of roles, the application tier the clients reach).
        let any = tiers
            .iter()
            .any(|t| role(t) == Some(TierRole::Presentation));
        let top = level.iter().copied().min().unwrap_or(0);
        let presentation = tiers
            .iter()
            .zip(&level)
            .map(|(t, &l)| {
                if any {
                    role(t) == Some(TierRole::Presentation)
                } else {
                    l == top
                }
            })
            .collect();
        TierCoupling {
            by_role,
            level,
            cache,
            presentation,
        }
    }

    /// The tier's coupling level, 0 at the top.
    pub fn level(&self, t: TierId) -> usize {
        self.level[t.index()]
    }

    pub fn is_presentation(&self, t: TierId) -> bool {
        self.presentation[t.index()]
    }

    /// The lowest level of a presentation tier: a tier below it is below
    /// the presentation tier. None without tiers.
    pub fn presentation_floor(&self) -> Option<usize> {
        self.level
            .iter()
            .zip(&self.presentation)
            .filter(|(_, &p)| p)
            .map(|(&l, _)| l)
            .max()
    }

    /// The tiers a call from tier `from` to tier `to` passes over: those of
    /// the levels strictly between, in declaration order. A call into a
    /// cache tier skips nothing, and a cache tier is never skipped (it
    /// stands beside the data tier, not above it).
    pub fn skipped(&self, from: TierId, to: TierId) -> Vec<TierId> {
        let (a, b) = (self.level(from), self.level(to));
        if self.cache[to.index()] || b <= a + 1 {
            return Vec::new();
        }
        (0..self.level.len())
            .filter(|&i| self.level[i] > a && self.level[i] < b && !self.cache[i])
            .map(|i| TierId(i as u32))
            .collect()
    }

    /// Whether a call from tier `from` to tier `to` goes up a level.
    pub fn is_upcall(&self, from: TierId, to: TierId) -> bool {
        self.level(to) < self.level(from)
    }
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
    /// Serves while more than half its instances are up and reach one another.
    Quorum,
}

impl HaMode {
    pub const ALL: [(&'static str, HaMode); 3] = [
        ("active-standby", HaMode::ActiveStandby),
        ("active-active", HaMode::ActiveActive),
        ("quorum", HaMode::Quorum),
    ];
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
    /// Boxed, as what few services have: a data centre has a million
    /// services at most, and each carries every field.
    pub shard: Option<Box<Shard>>,
    pub process_model: Option<Box<Spanned<String>>>,
    pub workers: Option<Spanned<u32>>,
    pub threads: Option<Spanned<u32>>,
    /// For `dns`: the services and CDNs whose names it resolves.
    pub resolves: Vec<Spanned<Hop>>,
    /// At a DR site: the primary service this one replaces when the
    /// primary site fails.
    pub takes_over: Option<Spanned<ServiceId>>,
    pub allows: Vec<AllowId>,
    pub node: NodeIndex,
}

impl Service {
    /// Whether the service declares `ha MODE`.
    pub fn ha_is(&self, mode: HaMode) -> bool {
        self.ha.is_some_and(|h| h.value == mode)
    }

    pub fn new(name: String, span: Span, kind: ServiceKind) -> Service {
        Service {
            name,
            span,
            kind,
            hosts: vec![],
            tier: None,
            calls: vec![],
            pools: vec![],
            load: None,
            capacity: None,
            stateful: None,
            ha: None,
            max_connections: None,
            cache: None,
            storage: None,
            shard: None,
            process_model: None,
            workers: None,
            threads: None,
            resolves: vec![],
            takes_over: None,
            allows: vec![],
            node: NodeIndex::end(),
        }
    }
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

impl Client {
    pub fn new(name: String, span: Span) -> Client {
        Client {
            name,
            span,
            kind: None,
            allows: vec![],
            node: NodeIndex::end(),
        }
    }
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

impl Cdn {
    pub fn new(name: String, span: Span) -> Cdn {
        Cdn {
            name,
            span,
            origin: None,
            pops: None,
            allows: vec![],
            node: NodeIndex::end(),
        }
    }
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

impl Content {
    pub const ALL: [(&'static str, Content); 4] = [
        ("static", Content::Static),
        ("dynamic", Content::Dynamic),
        ("results", Content::Results),
        ("raw", Content::Raw),
    ];
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

impl Flow {
    pub fn new(name: String, span: Span) -> Flow {
        Flow {
            name,
            span,
            paths: vec![],
            content: None,
            rate: None,
            allows: vec![],
            node: NodeIndex::end(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Partition {
    pub name: String,
    pub span: Span,
    pub services: Vec<Spanned<ServiceId>>,
    pub allows: Vec<AllowId>,
    pub node: NodeIndex,
}

impl Partition {
    pub fn new(name: String, span: Span) -> Partition {
        Partition {
            name,
            span,
            services: vec![],
            allows: vec![],
            node: NodeIndex::end(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplicationMode {
    Sync,
    Async,
}

impl ReplicationMode {
    pub const ALL: [(&'static str, ReplicationMode); 2] = [
        ("sync", ReplicationMode::Sync),
        ("async", ReplicationMode::Async),
    ];
}

#[derive(Debug, Clone)]
pub struct Replication {
    pub span: Span,
    pub from: Spanned<ServiceId>,
    pub to: Spanned<ServiceId>,
    pub mode: Option<Spanned<ReplicationMode>>,
    pub rpo: Option<Spanned<Seconds>>,
    pub rto: Option<Spanned<Seconds>>,
    /// How fast the source writes: what the replication must carry.
    pub write_rate: Option<Spanned<BytesPerSecond>>,
    pub allows: Vec<AllowId>,
}

// A project may hold nearly two million services; keep each from growing.
const _: () = assert!(std::mem::size_of::<Service>() <= 432);
