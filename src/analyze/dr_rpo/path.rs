//! The network side of `dr-rpo` (v2): what the path between a
//! replication's hosts carries, and how long it is.
//!
//! Both searches are Dijkstra-style over the Ethernet links, from every
//! host of the source at once to the first host of the target reached, with
//! the transit rule of every topo path: only a forwarding device (switch,
//! router, firewall, lb) is crossed; a server may only start or end one.

use super::RULE;
use crate::analyze::failure::forwards;
use crate::analyze::Finding;
use crate::diagnostic::{thousands, Diagnostic, Severity};
use crate::model::units::{bit_rate, format_sig3_trim, BytesPerSecond};
use crate::model::{Host, LinkMedium, Project, ReplicationMode, ServiceId};
use crate::text::echo;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Sync replication beyond this many metres of cable is reported.
const SYNC_DISTANCE: f64 = 100_000.0;
/// Round-trip commit latency per metre: 5 µs per km each way.
const SECONDS_PER_METRE: f64 = 2.0 * 5e-6 / 1000.0;

/// Ethernet adjacency: per device, (neighbour, link index).
struct Net<'p> {
    p: &'p Project,
    adjacency: Vec<Vec<(usize, usize)>>,
}

impl<'p> Net<'p> {
    fn new(p: &'p Project) -> Net<'p> {
        let mut adjacency = vec![Vec::new(); p.devices.len()];
        for (i, l) in p.links.iter().enumerate() {
            if l.medium(p) != LinkMedium::Ethernet {
                continue;
            }
            let (a, b) = (l.from.device.index(), l.to.device.index());
            adjacency[a].push((b, i));
            adjacency[b].push((a, i));
        }
        Net { p, adjacency }
    }

    /// The devices a service's instances are cabled through.
    fn hosts(&self, s: ServiceId) -> Vec<usize> {
        let mut out: Vec<usize> = self.p.services[s.index()]
            .hosts
            .iter()
            .filter_map(|h| match h.value {
                Host::Device(d) => Some(d.index()),
                Host::Vm(v) => self.p.vms[v.index()].host.map(|h| h.value.index()),
            })
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// A link's capacity: speed × count; unbounded when it states no speed.
    fn capacity(&self, link: usize) -> f64 {
        let l = &self.p.links[link];
        l.speed(self.p).map_or(f64::INFINITY, |s| {
            s.value.get() * f64::from(l.count(self.p).map_or(1, |c| c.value))
        })
    }

    fn expands(&self, device: usize, sources: &[usize]) -> bool {
        forwards(self.p.devices[device].kind) || sources.binary_search(&device).is_ok()
    }

    /// The widest path from `from` to any of `to`: its narrowest link's
    /// capacity and that link (None: no path, or no link on it states a
    /// speed).
    fn widest(&self, from: &[usize], to: &[usize]) -> Option<(f64, Option<usize>)> {
        let n = self.adjacency.len();
        let mut best = vec![-1.0f64; n];
        let mut narrowest: Vec<Option<usize>> = vec![None; n];
        let mut done = vec![false; n];
        // Capacities are non-negative, so their bit patterns order as they do.
        let mut heap = BinaryHeap::new();
        for &s in from {
            best[s] = f64::INFINITY;
            heap.push((f64::INFINITY.to_bits(), Reverse(s)));
        }
        while let Some((bits, Reverse(u))) = heap.pop() {
            if done[u] {
                continue;
            }
            done[u] = true;
            let width = f64::from_bits(bits);
            if to.binary_search(&u).is_ok() {
                return Some((width, narrowest[u]));
            }
            if !self.expands(u, from) {
                continue;
            }
            for &(v, link) in &self.adjacency[u] {
                let c = self.capacity(link);
                let w = width.min(c);
                if !done[v] && w > best[v] {
                    best[v] = w;
                    narrowest[v] = if c < width { Some(link) } else { narrowest[u] };
                    heap.push((w.to_bits(), Reverse(v)));
                }
            }
        }
        None
    }

    /// The shortest cable length from `from` to any of `to`, in metres.
    fn shortest(&self, from: &[usize], to: &[usize]) -> Option<f64> {
        let n = self.adjacency.len();
        let mut best = vec![f64::INFINITY; n];
        let mut heap = BinaryHeap::new();
        for &s in from {
            best[s] = 0.0;
            heap.push(Reverse((0f64.to_bits(), s)));
        }
        while let Some(Reverse((bits, u))) = heap.pop() {
            let d = f64::from_bits(bits);
            if d > best[u] {
                continue;
            }
            if to.binary_search(&u).is_ok() {
                return Some(d);
            }
            if !self.expands(u, from) {
                continue;
            }
            for &(v, link) in &self.adjacency[u] {
                let length = self.p.links[link]
                    .distance(self.p)
                    .map_or(0.0, |m| m.value.get());
                let nd = d + length;
                if nd < best[v] {
                    best[v] = nd;
                    heap.push(Reverse((nd.to_bits(), v)));
                }
            }
        }
        None
    }

    /// `1 Gb/s link `wan1` to `wan2``.
    fn link_label(&self, link: usize) -> String {
        let l = &self.p.links[link];
        format!(
            "{} link `{}` to `{}`",
            bit_rate(self.capacity(link)),
            echo(&self.p.devices[l.from.device.index()].name),
            echo(&self.p.devices[l.to.device.index()].name),
        )
    }
}

/// A length in kilometres as people write it: `5,300 km`, `120 km`, `0.5 km`.
fn km(metres: f64) -> String {
    let km = metres / 1000.0;
    if km >= 1000.0 {
        format!("{} km", thousands(km.round() as u64))
    } else {
        format!("{} km", format_sig3_trim(km))
    }
}

pub(super) fn check(p: &Project) -> Vec<Finding> {
    if p.links.is_empty() {
        return Vec::new();
    }
    let mut net: Option<Net> = None;
    let mut out = Vec::new();
    for r in &p.replications {
        let Some(mode) = r.mode else { continue };
        let async_rate = match (mode.value, r.write_rate) {
            (ReplicationMode::Async, Some(rate)) => Some(rate),
            _ => None,
        };
        let sync = mode.value == ReplicationMode::Sync;
        if async_rate.is_none() && !sync {
            continue;
        }
        let net = net.get_or_insert_with(|| Net::new(p));
        let (from, to) = (net.hosts(r.from.value), net.hosts(r.to.value));
        let source = &p.services[r.from.value.index()].name;
        let target = &p.services[r.to.value.index()].name;
        if let Some(rate) = async_rate {
            if let Some((capacity, Some(link))) = net.widest(&from, &to) {
                if rate.value.get() > capacity * (1.0 + 1e-9) {
                    let message = format!(
                        "replication of `{}` to `{}` writes {} but the path carries {} ({}): the replica falls behind without bound",
                        echo(source),
                        echo(target),
                        rate.value,
                        BytesPerSecond::new(capacity),
                        net.link_label(link),
                    );
                    let d = Diagnostic::new(RULE.name, Severity::Error, rate.span, message)
                        .with_label(format!("{} on {}", rate.value, bit_rate(capacity)))
                        .with_related(p.links[link].span(p), "the narrowest link")
                        .with_help("faster or more (`count`) links on the narrowest hop, or a lower write rate")
                        .with_data("write_rate", rate.value.get())
                        .with_data("capacity", capacity)
                        .with_data("unit", "B/s");
                    out.push(Finding::new(d.with_subject(source), r.allows.clone()));
                }
            }
        }
        if sync {
            if let Some(distance) = net.shortest(&from, &to) {
                if distance > SYNC_DISTANCE * (1.0 + 1e-9) {
                    let latency = distance * SECONDS_PER_METRE;
                    let ms = format_sig3_trim(latency * 1e3);
                    let message = format!(
                        "sync replication of `{}` to `{}` runs over {} of links: every commit waits at least {ms} ms longer for the round trip (1 ms per 100 km)",
                        echo(source),
                        echo(target),
                        km(distance),
                    );
                    let d = Diagnostic::new(RULE.name, Severity::Warning, mode.span, message)
                        .with_label(format!("+{ms} ms per commit"))
                        .with_help("accept the latency, or replicate `async` to the far site and `sync` to a near one")
                        .with_data("distance", distance)
                        .with_data("latency", latency);
                    out.push(Finding::new(d.with_subject(source), r.allows.clone()));
                }
            }
        }
    }
    out
}
