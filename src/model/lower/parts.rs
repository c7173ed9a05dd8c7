//! Parts inside a model or device: their properties, their buses and the
//! bus tree they form.

use super::args::{count_u32, Args, Value};
use super::plausible::{bus_refusal, PortNetwork};
use super::{Lowerer, Span};
use crate::diagnostic::{closest, rule, thousands, Diagnostic};
use crate::model::names::{expand_segment, segment_count};
use crate::model::schema::{self, Kind};
use crate::model::units::{self, Quantity};
use crate::model::*;
use crate::syntax::ast::{Item, ItemKind, Statement};
use crate::text::echo;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Parts in declaration order, with an index by name (models may hold
/// hundreds of thousands of parts).
#[derive(Clone, Default)]
pub(super) struct PartDrafts {
    pub list: Vec<PartDraft>,
    index: HashMap<String, usize>,
}

#[derive(Clone)]
pub(super) struct PartDraft {
    name: String,
    span: Span,
    kind: PartKind,
    bus: Option<(Bus, Spanned<String>)>,
    allows: Vec<AllowId>,
}

/// The words of a controller's cache mode, in the order [`CacheMode::ALL`]
/// gives them.
const CACHE_MODES: &[&str] = &["write-back", "write-through"];

impl Lowerer<'_> {
    /// A part declaration (`nic nic0 { ... }`), merged into the drafts: a
    /// part of the same name overrides the model's, property by property.
    pub(super) fn part(
        &mut self,
        keyword: &str,
        statement: &Statement,
        parts: &mut Arc<PartDrafts>,
    ) {
        let Some(item) = statement.args().first() else {
            self.error(
                rule::SYNTAX,
                statement.span,
                format!("`{keyword}` needs a name"),
            );
            return;
        };
        let word = item.word();
        let names = match word.as_deref() {
            Some(w) if !w.is_dotted() => {
                let segment = &w.segments()[0];
                let names = match segment_count(segment) {
                    Ok(count) => {
                        let subject = |_: &Self| format!("`{keyword} {}`", echo(&item.text()));
                        if !self.reserve(count, item.span, subject, "parts") {
                            return;
                        }
                        expand_segment(segment)
                    }
                    Err(d) => Err(d),
                };
                match names {
                    Ok(n) => n,
                    Err(d) => {
                        self.diags.push(d);
                        return;
                    }
                }
            }
            _ => {
                self.error(
                    rule::SYNTAX,
                    item.span,
                    format!("`{keyword}` needs a name, found {}", item.kind.describe()),
                );
                return;
            }
        };
        if let Some(extra) = statement.args().get(1) {
            self.error(
                rule::SYNTAX,
                extra.span,
                format!("unexpected `{}` after the part name", echo(&extra.text())),
            );
        }
        let Some(kind) = schema::part(keyword) else {
            return;
        };
        let fresh = match keyword {
            "cpu" => PartKind::Cpu(Cpu::default()),
            "chipset" => PartKind::Chipset,
            "nic" => PartKind::Nic { ports: None },
            "disk" => PartKind::Disk(Disk::default()),
            "controller" => PartKind::Controller(Controller::default()),
            "hba" => PartKind::Hba { ports: None },
            "bridge" => PartKind::Bridge,
            _ => PartKind::Card { throughput: None },
        };
        // Lower the body once, against a fresh draft, then apply it to each name.
        let mut template = PartDraft {
            name: String::new(),
            span: item.span,
            kind: fresh.clone(),
            bus: None,
            allows: vec![],
        };
        let written = self.part_body(statement, kind, &mut template);
        let parts = Arc::make_mut(parts);
        for name in names {
            match parts.index.get(&name).map(|&i| &mut parts.list[i]) {
                Some(existing) => {
                    if std::mem::discriminant(&existing.kind) != std::mem::discriminant(&fresh) {
                        let d = Diagnostic::error(
                            rule::INVALID_VALUE,
                            item.span,
                            format!(
                                "`{}` is a {} in the model, not a {keyword}",
                                echo(&name),
                                existing.kind.keyword()
                            ),
                        )
                        .with_related(existing.span, "declared here");
                        self.diags.push(d);
                        continue;
                    }
                    merge_part(existing, &template, &written);
                    existing.allows.extend(template.allows.iter().copied());
                }
                None => {
                    parts.index.insert(name.clone(), parts.list.len());
                    parts.list.push(PartDraft {
                        name,
                        ..template.clone()
                    });
                }
            }
        }
    }

    /// Lowers a part's block into `draft`; returns which properties were
    /// written, including those whose value was refused: a part that
    /// overrides its model's with a wrong value keeps nothing of it.
    fn part_body<'s>(
        &mut self,
        statement: &'s Statement,
        kind: &'static Kind,
        draft: &mut PartDraft,
    ) -> HashSet<&'s str> {
        let mut written: HashSet<&'s str> = statement
            .block
            .iter()
            .flat_map(|b| &b.statements)
            .filter_map(|s| s.keyword())
            .filter(|k| kind.property(k).is_some())
            .collect();
        if ["hdd", "ssd", "nvme"].iter().any(|m| written.contains(m)) {
            written.insert("medium");
        }
        let allows = self.block(statement, kind, |l, name, v, a, s| {
            match (name, &mut draft.kind, v) {
                ("cores", PartKind::Cpu(cpu), Value::Count(n)) => cpu.cores = Some(count_u32(n)),
                ("memory", PartKind::Cpu(cpu), _) => {
                    a.skip_rest();
                    l.cpu_memory(s, cpu);
                }
                ("ports", PartKind::Nic { ports }, _) => {
                    let fits = l.ports_fit(a.items, PortNetwork::Ethernet);
                    *ports = l.ports(a).filter(|_| fits);
                }
                ("ports", PartKind::Hba { ports }, _) => {
                    let fits = l.ports_fit(a.items, PortNetwork::FibreChannel);
                    *ports = l.ports(a).filter(|_| fits);
                }
                (medium, PartKind::Disk(disk), Value::Flag(span)) => {
                    let medium = match medium {
                        "hdd" => Medium::Hdd,
                        "ssd" => Medium::Ssd,
                        _ => Medium::Nvme,
                    };
                    disk.medium = Some(Spanned::new(medium, span));
                }
                ("throughput", PartKind::Disk(disk), Value::Measure(m)) => {
                    disk.throughput = m.bandwidth()
                }
                ("throughput", PartKind::Card { throughput }, Value::Measure(m)) => {
                    *throughput = m.bandwidth()
                }
                ("iops", PartKind::Disk(disk), Value::Count(n)) => disk.iops = Some(n),
                ("cache", PartKind::Controller(c), _) => {
                    let size = l.take(a, "a cache size", Quantity::as_size);
                    let mode = l.need(a, "a cache mode").and_then(|item| {
                        let word = l.choice(item, "a cache mode", CACHE_MODES)?;
                        l.pick(word, &CacheMode::ALL)
                    });
                    if let (Some(size), Some(mode)) = (size, mode) {
                        c.cache = Some(Spanned::new(
                            (size.value, mode.value),
                            size.span.to(mode.span),
                        ));
                    }
                }
                ("protection", PartKind::Controller(c), Value::Word(w)) => {
                    c.protection = l.pick(w, &Protection::ALL)
                }
                ("bus", _, _) => draft.bus = l.bus(a, s.span),
                _ => {}
            }
        });
        draft.allows.extend(allows);
        written
    }

    /// `memory ddr4-3200 { channels 8; dimms 1 1 1 1 1 1 1 1; dimm-size 32GB }`,
    /// or `memory 512GB` where the channels are unknown.
    fn cpu_memory(&mut self, statement: &Statement, cpu: &mut Cpu) {
        let mut a = Args::of(statement);
        if let Some(Item {
            kind: ItemKind::Quantity { .. } | ItemKind::LongQuantity(_),
            ..
        }) = a.peek()
        {
            cpu.memory_size = self.take(&mut a, "a memory size", Quantity::as_size);
            self.end(&a);
            self.no_block(statement);
            return;
        }
        cpu.memory = self.memory(statement);
    }

    fn memory(&mut self, statement: &Statement) -> Option<Memory> {
        let mut a = Args::of(statement);
        let preset_word = self.take_word(&mut a, "a memory type like `ddr4-3200`")?;
        self.end(&a);
        let Some(preset) = presets::memory_preset(preset_word.value) else {
            let d = Diagnostic::error(
                rule::INVALID_VALUE,
                preset_word.span,
                format!("unknown memory type `{}`", echo(preset_word.value)),
            )
            .with_suggestion(closest(preset_word.value, presets::memory_preset_names()));
            self.diags.push(d);
            return None;
        };
        let mut m = Memory {
            preset,
            span: statement.span,
            channels: None,
            dimms: None,
            dimm_size: None,
        };
        let kind = schema::block_kind(Some("cpu"), "memory")?;
        let mut counted: Vec<(u32, Span)> = Vec::new();
        self.block(statement, kind, |l, name, v, a, s| match (name, v) {
            ("channels", Value::Count(n)) => m.channels = Some(count_u32(n)),
            ("dimms", _) => {
                let mut counts = Vec::new();
                let first = a.peek().map(|i| i.span);
                while !a.is_done() {
                    match l.take_count(a, "DIMMs per channel", 0, u32::MAX as u64) {
                        Some(n) => {
                            counts.push(n.value as u32);
                            counted.push((n.value as u32, n.span));
                        }
                        None => break,
                    }
                }
                match first {
                    Some(first) => m.dimms = Some(Spanned::new(counts, first.to(a.after))),
                    None => {
                        l.invalid(
                            s.span,
                            "`dimms` needs the DIMM count of each channel, e.g. `dimms 1 1 1 1`",
                        );
                    }
                }
            }
            // JEDEC sizes: a "16GB" DIMM holds 16 GiB, so the quantity is
            // read again as a DIMM's size rather than a decimal one.
            ("dimm-size", Value::Measure(_)) => {
                m.dimm_size = a
                    .items
                    .first()
                    .and_then(|item| l.convert(item, Quantity::as_dimm_size))
            }
            _ => {}
        });
        self.dimms_fit(preset, &counted);
        if let (Some(size), Some(dimms)) = (&m.dimm_size, &m.dimms) {
            let count: u64 = dimms.value.iter().map(|&d| u64::from(d)).sum();
            if !(size.value * count as f64).get().is_finite() {
                self.invalid(
                    size.span,
                    format!(
                        "{} DIMMs of this size hold more memory than can be added up",
                        thousands(count)
                    ),
                );
                m.dimm_size = None;
            }
        }
        if let (Some(c), Some(d)) = (&m.channels, &m.dimms) {
            if c.value as usize != d.value.len() {
                let msg = format!(
                    "`dimms` lists {} channels but the memory has {} channels",
                    d.value.len(),
                    c.value
                );
                self.invalid(d.span, msg)
                    .related
                    .push(crate::diagnostic::Related {
                        span: c.span,
                        message: "channels declared here".into(),
                    });
            }
        }
        Some(m)
    }

    /// `bus PRESET [xN | RATE] [links N] to PARENT`, `bus width W rate R to P`,
    /// `bus width W period T to P`, `bus bandwidth B to P`.
    pub(super) fn bus(&mut self, args: &mut Args, span: Span) -> Option<(Bus, Spanned<String>)> {
        let first = self.take_word(
            args,
            "a bus: a preset like `pcie4 x8`, `width`, or `bandwidth`",
        )?;
        let spec = match first.value {
            "width" => {
                let width = self.take(args, "a width (`64bit`, `8B`)", Quantity::as_width)?;
                let rate = if args.eat("rate") {
                    self.take(
                        args,
                        "a transfer rate (`100MT/s`)",
                        Quantity::as_transfer_rate,
                    )?
                    .value
                } else if args.eat("period") {
                    let period =
                        self.take(args, "a transfer period (`10ns`)", Quantity::as_duration)?;
                    if period.value.get() <= 0.0 {
                        self.invalid(period.span, "a transfer period must be above 0");
                        return None;
                    }
                    units::TransfersPerSecond::from_period(period.value)
                } else {
                    let span = args.peek().map_or_else(|| args.missing_span(), |i| i.span);
                    self.error(
                        rule::SYNTAX,
                        span,
                        "expected `rate` or `period` after the bus width",
                    );
                    return None;
                };
                BusSpec {
                    label: format!("{} × {}", width.value, rate),
                    bandwidth: units::BytesPerSecond::from_width_and_rate(width.value, rate),
                    preset: None,
                    lanes: None,
                }
            }
            "bandwidth" => {
                let bw = self.take(args, "a bandwidth", Quantity::as_bandwidth)?;
                BusSpec {
                    label: bw.value.to_string(),
                    bandwidth: bw.value,
                    preset: None,
                    lanes: None,
                }
            }
            name => {
                let Some(preset) = presets::bus_preset(name) else {
                    let suggestion = closest(name, presets::bus_preset_names());
                    let d = Diagnostic::error(rule::INVALID_VALUE, first.span, format!("unknown bus `{}`", echo(name)))
                        .with_label("not a bus preset")
                        .with_help(match suggestion {
                            Some(s) => format!("did you mean `{s}`? (or give `width ... rate ...` or `bandwidth ...`)"),
                            None => "use a preset (pcie1..pcie6, dmi2..dmi4, sata1..sata3, sas1..sas4, fc8..fc128, upi) or `width ... rate ...` or `bandwidth ...`".into(),
                        });
                    let d = match suggestion {
                        Some(s) => d.with_fix(first.span, s),
                        None => d,
                    };
                    self.diags.push(d);
                    return None;
                };
                let mut lanes = None;
                let mut rate = None;
                let mut extra_span = first.span;
                if let Some(w) = args.peek_word() {
                    if let Some(n) = w
                        .strip_prefix('x')
                        .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
                    {
                        let item = args.next().expect("peeked");
                        extra_span = item.span;
                        lanes = Some(n.parse::<u32>().unwrap_or(u32::MAX));
                    }
                }
                if let Some(Item {
                    kind:
                        ItemKind::Quantity { .. } | ItemKind::LongQuantity(_) | ItemKind::Number(_),
                    ..
                }) = args.peek()
                {
                    let item = args.next().expect("peeked");
                    extra_span = item.span;
                    rate = Some(self.convert(item, Quantity::as_transfer_rate)?.value);
                }
                // `links N`: several UPI links between the same two sockets.
                let mut links = None;
                if args.eat("links") {
                    let n =
                        self.take_count(args, "a number of links (1 to 4)", 0, u32::MAX as u64)?;
                    extra_span = n.span;
                    links = Some(n.value as u32);
                }
                match presets::bus_bandwidth_links(preset, lanes, rate, links) {
                    Ok(bandwidth) => BusSpec {
                        label: presets::label_with_links(preset, lanes, rate, links),
                        bandwidth,
                        preset: Some(preset),
                        lanes,
                    },
                    Err(e) => {
                        self.invalid(first.span.to(extra_span), e.to_string());
                        return None;
                    }
                }
            }
        };
        if !self.take_keyword(args, "to") {
            return None;
        }
        let parent = self.take_word(args, "the part it hangs off (`cpu0`, `pch`)")?;
        Some((
            Bus { spec, span },
            Spanned::new(parent.value.to_string(), parent.span),
        ))
    }

    /// Resolves parents, defaults and cycles of a part list.
    pub(super) fn finish_internals(&mut self, drafts: &[PartDraft]) -> Internals {
        let index: HashMap<&str, usize> = drafts
            .iter()
            .enumerate()
            .map(|(i, p)| (p.name.as_str(), i))
            .collect();
        let first_cpu = drafts
            .iter()
            .position(|p| matches!(p.kind, PartKind::Cpu(_)));
        let mut parts: Vec<Part> = Vec::with_capacity(drafts.len());
        for (i, d) in drafts.iter().enumerate() {
            let mut part = Part {
                name: d.name.clone(),
                span: d.span,
                kind: d.kind.clone(),
                bus: None,
                parent: None,
                allows: d.allows.clone(),
            };
            // A part that cannot sit on its bus is not hung on it.
            if let Some(refusal) = d
                .bus
                .as_ref()
                .and_then(|(bus, _)| bus_refusal(&d.name, &d.kind, bus))
            {
                self.diags.push(refusal);
                parts.push(part);
                continue;
            }
            match (&d.bus, &mut part.kind) {
                (Some((bus, to)), PartKind::Cpu(cpu)) => {
                    // A CPU's only bus is the socket link to another CPU.
                    let target = index.get(to.value.as_str()).copied();
                    let is_upi = bus.spec.preset.is_some_and(|p| p.name == "upi");
                    match target {
                        Some(t)
                            if t != i && matches!(drafts[t].kind, PartKind::Cpu(_)) && is_upi =>
                        {
                            cpu.socket_link = Some(SocketLink {
                                spec: bus.spec.clone(),
                                to: t,
                                span: bus.span,
                            });
                        }
                        _ => {
                            self.invalid(bus.span, "a cpu hangs off nothing: its only bus is `bus upi to cpuN`, the link to another socket");
                        }
                    }
                }
                (Some((bus, to)), _) => match index.get(to.value.as_str()) {
                    Some(&t) if t == i => {
                        self.invalid(
                            to.span,
                            format!("`{}` cannot hang off itself", echo(&d.name)),
                        );
                    }
                    Some(&t)
                        if matches!(drafts[t].kind, PartKind::Nic { .. } | PartKind::Disk(_)) =>
                    {
                        self.invalid(
                            to.span,
                            format!(
                                "`{}` is a {}: nothing hangs off it",
                                echo(&to.value),
                                drafts[t].kind.keyword()
                            ),
                        );
                    }
                    Some(&t) => {
                        part.bus = Some(bus.clone());
                        part.parent = Some(t);
                    }
                    None => {
                        let suggestion = self.suggest(
                            &to.value,
                            drafts.len(),
                            drafts.iter().map(|p| p.name.as_str()),
                        );
                        let d = Diagnostic::error(
                            rule::UNKNOWN_NAME,
                            to.span,
                            format!("unknown part `{}`", echo(&to.value)),
                        )
                        .with_label("no part of this device has this name")
                        .with_suggestion(suggestion.as_deref());
                        self.diags.push(d);
                    }
                },
                (None, PartKind::Cpu(_)) => {}
                (None, _) => part.parent = first_cpu,
            }
            parts.push(part);
        }
        let mut tree = petgraph::graph::DiGraph::with_capacity(parts.len(), parts.len());
        let nodes: Vec<_> = (0..parts.len()).map(|i| tree.add_node(i)).collect();
        for (i, p) in parts.iter().enumerate() {
            if let Some(parent) = p.parent {
                tree.add_edge(nodes[i], nodes[parent], i);
            }
        }
        // A cycle makes every part in it float: report it and cut it.
        for component in petgraph::algo::tarjan_scc(&tree) {
            if component.len() < 2 {
                continue;
            }
            let mut members: Vec<usize> = component.iter().map(|n| tree[*n]).collect();
            members.sort_unstable();
            let first = members[0];
            let mut path = vec![parts[first].name.clone()];
            let mut at = first;
            while let Some(next) = parts[at].parent {
                path.push(parts[next].name.clone());
                if next == first || path.len() > members.len() + 1 {
                    break;
                }
                at = next;
            }
            let span = parts[first]
                .bus
                .as_ref()
                .map_or(parts[first].span, |b| b.span);
            let mut d = Diagnostic::error(
                rule::INVALID_VALUE,
                span,
                format!("bus cycle: {}", path.join(" → ")),
            )
            .with_label("buses must form a tree rooted at the CPUs");
            for &m in &members[1..] {
                if let Some(b) = &parts[m].bus {
                    d = d.with_related(
                        b.span,
                        format!(
                            "`{}` hangs off `{}` here",
                            parts[m].name,
                            parts[parts[m].parent.unwrap_or(m)].name
                        ),
                    );
                }
            }
            self.diags.push(d);
            for &m in &members {
                parts[m].parent = None;
                parts[m].bus = None;
            }
        }
        tree.clear_edges();
        for (i, p) in parts.iter().enumerate() {
            if let Some(parent) = p.parent {
                tree.add_edge(nodes[i], nodes[parent], i);
            }
        }
        self.memory_sum(&parts);
        Internals {
            by_name: index.into_iter().map(|(n, i)| (n.to_string(), i)).collect(),
            parts,
            bus_tree: tree,
        }
    }
}

impl Lowerer<'_> {
    /// The host's memory is the sum over its CPUs (`Internals::memory`):
    /// each CPU's figure is finite, but the sum may not be, and then the
    /// host's memory is unknown. Said at the CPU where the sum overflows.
    fn memory_sum(&mut self, parts: &[Part]) {
        let mut total = 0.0f64;
        for part in parts {
            let PartKind::Cpu(cpu) = &part.kind else {
                continue;
            };
            let dimms = cpu.memory.as_ref().and_then(Memory::total);
            for size in [dimms, cpu.memory_size.map(|s| s.value)]
                .into_iter()
                .flatten()
            {
                total += size.get();
            }
            if !total.is_finite() {
                self.invalid(
                    part.span,
                    format!(
                        "the memory of the CPUs up to `{}` is too large to add up",
                        echo(&part.name)
                    ),
                );
                return;
            }
        }
    }
}

/// Overrides `existing` with what the new declaration wrote.
fn merge_part(existing: &mut PartDraft, new: &PartDraft, written: &HashSet<&str>) {
    if written.contains("bus") {
        existing.bus = new.bus.clone();
    }
    match (&mut existing.kind, &new.kind) {
        (PartKind::Cpu(a), PartKind::Cpu(b)) => {
            if written.contains("cores") {
                a.cores = b.cores;
            }
            if written.contains("memory") {
                a.memory = b.memory.clone();
                a.memory_size = b.memory_size;
            }
        }
        (PartKind::Nic { ports: a }, PartKind::Nic { ports: b })
        | (PartKind::Hba { ports: a }, PartKind::Hba { ports: b })
            if written.contains("ports") =>
        {
            *a = *b;
        }
        (PartKind::Disk(a), PartKind::Disk(b)) => {
            if written.contains("medium") {
                a.medium = b.medium;
            }
            if written.contains("throughput") {
                a.throughput = b.throughput;
            }
            if written.contains("iops") {
                a.iops = b.iops;
            }
        }
        (PartKind::Controller(a), PartKind::Controller(b)) => {
            if written.contains("cache") {
                a.cache = b.cache;
            }
            if written.contains("protection") {
                a.protection = b.protection;
            }
        }
        (PartKind::Card { throughput: a }, PartKind::Card { throughput: b })
            if written.contains("throughput") =>
        {
            *a = *b;
        }
        _ => {}
    }
}
