//! What runs on the hardware: vms, tiers, services, clients, CDNs, flows,
//! partitions and replication.

use super::*;
use units::{Bytes, FlowRate, Percent, RequestsPerSecond, Seconds};

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
