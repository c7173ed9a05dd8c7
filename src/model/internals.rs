//! The inside of a device: its parts and the buses that join them.

use super::*;
use presets::BusPreset;
use std::collections::HashMap;
use units::{Bytes, BytesPerSecond};

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

    /// Memory of all CPUs: Σ DIMMs × dimm-size, plus each `memory SIZE`.
    /// None when no CPU states its memory, or one states DIMMs without
    /// their size.
    pub fn memory(&self) -> Option<Bytes> {
        let mut total = Bytes::new(0.0);
        let mut any = false;
        for p in &self.parts {
            if let PartKind::Cpu(cpu) = &p.kind {
                if let Some(m) = &cpu.memory {
                    total += m.total()?;
                    any = true;
                }
                if let Some(size) = cpu.memory_size {
                    total += size.value;
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
    /// A PCIe switch or bridge: what sits behind it shares its bus, and it
    /// moves nothing of its own.
    Bridge,
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
            PartKind::Bridge => "bridge",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cpu {
    pub cores: Option<Spanned<u32>>,
    pub memory: Option<Memory>,
    /// `memory SIZE`: the socket's memory where its channels are unknown.
    pub memory_size: Option<Spanned<Bytes>>,
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

impl CacheMode {
    pub const ALL: [(&'static str, CacheMode); 2] = [
        ("write-back", CacheMode::WriteBack),
        ("write-through", CacheMode::WriteThrough),
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protection {
    Battery,
    Flash,
    None,
}

impl Protection {
    pub const ALL: [(&'static str, Protection); 3] = [
        ("battery", Protection::Battery),
        ("flash", Protection::Flash),
        ("none", Protection::None),
    ];
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
