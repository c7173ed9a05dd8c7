//! What cannot be built (the language's v2 plausibility rules): parts on a
//! bus they cannot sit on, ports of the wrong network on an adapter, more
//! DIMMs on a channel than the memory type takes. Each is an
//! `invalid-value` error at what was written, and the refused value is not
//! used: the part is not hung on that bus, the ports are not counted.

use super::{Lowerer, Span};
use crate::diagnostic::{rule, Diagnostic};
use crate::model::presets::{BusFamily, BusPreset};
use crate::model::units::parse_unit;
use crate::model::*;
use crate::syntax::ast::Item;
use crate::text::echo;

/// Which network an adapter's ports belong to.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum PortNetwork {
    /// A `nic`: Ethernet (GbE or a plain bandwidth), never GFC.
    Ethernet,
    /// An `hba`: Fibre Channel (GFC or a plain bandwidth), never GbE.
    FibreChannel,
}

impl Lowerer<'_> {
    /// Whether every port speed in `items` (a `ports` line) belongs to
    /// `network`; the first that does not is reported.
    pub(super) fn ports_fit(&mut self, items: &[Item], network: PortNetwork) -> bool {
        let wrong = items.iter().find(|item| match item.kind.quantity() {
            Some((_, unit)) => parse_unit(unit).is_ok_and(|u| match network {
                PortNetwork::Ethernet => u.is_fibre_channel(),
                PortNetwork::FibreChannel => u.is_ethernet(),
            }),
            None => false,
        });
        let Some(item) = wrong else {
            return true;
        };
        let speed = echo(&item.text());
        let (message, help) = match network {
            PortNetwork::Ethernet => (
                format!("a NIC has Ethernet ports, not Fibre Channel: `{speed}` is a Fibre Channel speed"),
                "a Fibre Channel adapter is an `hba` (`hba hba0 { ports 2 x 32GFC }`); a NIC's ports are in GbE",
            ),
            PortNetwork::FibreChannel => (
                format!("an HBA has Fibre Channel ports, not Ethernet: `{speed}` is an Ethernet speed"),
                "an Ethernet adapter is a `nic` (`nic nic0 { ports 2 x 25GbE }`); an HBA's ports are in GFC",
            ),
        };
        let d = Diagnostic::error(rule::INVALID_VALUE, item.span, message)
            .with_label("this adapter has no port of this kind")
            .with_help(help);
        self.diags.push(d);
        false
    }

    /// More DIMMs on a channel than the memory type takes (DDR4 three,
    /// DDR5 two). `dimms` is the count of each channel, with where it is
    /// written; the first channel over the limit is reported, with how
    /// many more are.
    pub(super) fn dimms_fit(&mut self, preset: &BusPreset, dimms: &[(u32, Span)]) {
        let (Some(max), Some(generation)) = (preset.max_dimms_per_channel(), preset.generation())
        else {
            return;
        };
        let mut over = dimms.iter().enumerate().filter(|(_, (n, _))| *n > max);
        let Some((index, &(n, span))) = over.next() else {
            return;
        };
        let more = over.count();
        let channels = dimms.len();
        let mut message = format!(
            "{n} {generation} DIMMs on channel {} of {channels}: {generation} takes at most {max} per channel",
            index + 1
        );
        match more {
            0 => {}
            1 => message.push_str(" (1 more channel is over too)"),
            m => message.push_str(&format!(" ({m} more channels are over too)")),
        }
        let d = Diagnostic::error(rule::INVALID_VALUE, span, message)
            .with_label(format!("{generation} has room for {max} DIMMs a channel"))
            .with_help(format!(
                "spread the DIMMs over more channels, or use fewer, larger DIMMs (at most {max} a channel)"
            ))
            .with_data("dimms", n)
            .with_data("max", max)
            .with_data("channel", index as u64 + 1)
            .with_data("channels", channels as u64)
            .with_data("channels_over", more as u64 + 1);
        self.diags.push(d);
    }
}

/// Why `part` (named `name`) cannot sit on `bus`, if it cannot: a part
/// other than a CPU on a `upi` link, any part on a memory channel, an NVMe
/// disk on SATA or SAS. CPUs are judged where their socket link is read.
pub(super) fn bus_refusal(name: &str, kind: &PartKind, bus: &Bus) -> Option<Diagnostic> {
    let preset = bus.spec.preset?;
    let part = format!("`{}` is a {}", echo(name), kind.keyword());
    let (message, label, help, related) = match (preset.family, kind) {
        (_, PartKind::Cpu(_)) => return None,
        (BusFamily::Upi, _) => (
            format!("{part}: only a CPU sits on a `upi` bus, the link between two sockets"),
            "UPI joins CPU sockets".to_string(),
            "hang the part off its CPU over PCIe, e.g. `bus pcie4 x16 to cpu0`".to_string(),
            None,
        ),
        (BusFamily::Ddr, _) => (
            format!(
                "{part}: nothing hangs off a memory channel (`{}`)",
                preset.name
            ),
            format!("`{}` is a memory type", preset.name),
            format!(
                "a CPU's memory is `memory {} {{ … }}` on the cpu; parts hang off PCIe, e.g. `bus pcie4 x16 to cpu0`",
                preset.name
            ),
            None,
        ),
        (BusFamily::Sata | BusFamily::Sas, PartKind::Disk(disk))
            if disk.medium.is_some_and(|m| m.value == Medium::Nvme) =>
        {
            let family = if preset.family == BusFamily::Sata {
                "SATA"
            } else {
                "SAS"
            };
            (
                format!(
                    "{part} marked `nvme`: an NVMe drive does not fit a {family} bus (`{}`)",
                    bus.spec.label
                ),
                format!("{} is {family}", bus.spec.label),
                format!("NVMe drives attach over PCIe (`bus pcie4 x4 to cpu0`); a {family} SSD is `ssd`"),
                disk.medium.map(|m| (m.span, "marked NVMe here")),
            )
        }
        _ => return None,
    };
    let mut d = Diagnostic::error(rule::INVALID_VALUE, bus.span, message)
        .with_label(label)
        .with_help(help);
    if let Some((span, text)) = related {
        d = d.with_related(span, text);
    }
    Some(d)
}
