//! `topo import hwloc`: one server's insides, from the XML that hwloc's
//! `lstopo --of xml` writes (format v1, v2 and v3), as one `model`.
//!
//! Packages become `cpu` parts with their cores and the memory of their
//! NUMA nodes; the PCI tree below each host bridge becomes `bridge`, `nic`,
//! `controller` and `card` parts, each on a bus of the link speed hwloc
//! measured.

use roxmltree::{Document, Node, NodeId, ParsingOptions};
use std::collections::HashMap;
use std::fmt::Write;

mod pci;

use pci::Kind;

/// An XML element per object, attribute and info line: real machines stay
/// far below this (a 192-core server with its caches is ~10,000); the limit
/// is the language's own expansion limit, so memory stays bounded.
const MAX_NODES: u32 = 2_000_000;
/// hwloc nests objects a few dozen deep (groups, caches, PCI switches);
/// deeper is not a machine, and the walk must not exhaust the stack.
const MAX_DEPTH: usize = 256;
/// Text from the file shown in a comment is cut here.
const MAX_COMMENT_CHARS: usize = 160;
/// A NUMA node larger than this (1 EiB) is not a measurement.
const MAX_MEMORY_BYTES: u64 = 1 << 60;

/// One package.
struct Cpu {
    os_index: Option<String>,
    cores: u64,
    pus: u64,
    memory: u64,
    /// `NUMA node 0: 96GiB`, one line per node counted here.
    numa: Vec<String>,
}

/// What the first pass finds.
#[derive(Default)]
struct Scan {
    packages: Vec<NodeId>,
    /// For every object holding a package, the first package below it and
    /// how many packages it holds.
    holds: HashMap<NodeId, (usize, usize)>,
    numa: Vec<NodeId>,
    host_bridges: Vec<NodeId>,
    cores: Vec<u64>,
    pus: Vec<u64>,
    /// Cores and PUs outside any package.
    loose_cores: u64,
    loose_pus: u64,
}

/// Converts an hwloc XML topology. `fallback_name` names the model when the
/// topology says nothing about the product (the file's stem).
pub fn convert(xml: &str, fallback_name: &str) -> Result<String, String> {
    let xml = xml.strip_prefix('\u{FEFF}').unwrap_or(xml);
    // lstopo writes `<!DOCTYPE topology SYSTEM "hwloc.dtd">`; roxmltree
    // never fetches an external DTD and bounds entity expansion.
    let options = ParsingOptions {
        allow_dtd: true,
        nodes_limit: MAX_NODES,
        ..ParsingOptions::default()
    };
    let doc = Document::parse_with_options(xml, options).map_err(|e| match e {
        roxmltree::Error::NodesLimitReached => {
            format!("not an hwloc topology: more than {MAX_NODES} XML nodes")
        }
        e => format!("not valid XML: {e}"),
    })?;
    let root = doc.root_element();
    if root.tag_name().name() != "topology" {
        return Err(format!(
            "not an hwloc topology: the root element is `<{}>`, not `<topology>`",
            clip(root.tag_name().name())
        ));
    }
    let format = match root.attribute("version") {
        None => 1,
        Some(v) if v.starts_with("1.") => 1,
        Some(v) if v.starts_with("2.") => 2,
        Some(v) if v.starts_with("3.") => 3,
        Some(v) => {
            return Err(format!(
                "hwloc XML format `{}` is not supported (1, 2 and 3 are)",
                clip(v)
            ))
        }
    };
    let top: Vec<Node> = objects(root).collect();
    if top.is_empty() {
        return Err("not an hwloc topology: `<topology>` holds no `<object>`".into());
    }
    let mut scan = Scan::default();
    for node in &top {
        walk(*node, 1, None, &mut scan)?;
    }
    let mut cpus = cpus(&scan);
    let memory_notes = memory(&scan, &top, &mut cpus)?;

    let mut out = String::new();
    let machine = top[0];
    let product = info(machine, "DMIProductName").filter(|p| !p.trim().is_empty());
    let vendor = info(machine, "DMIBoardVendor").or_else(|| info(machine, "DMISysVendor"));
    let _ = writeln!(
        out,
        "# Imported from an hwloc topology (XML format v{format}) by `topo import hwloc`."
    );
    if let Some(p) = product {
        let by = vendor.map_or(String::new(), |v| format!(" ({})", clip(v)));
        let _ = writeln!(out, "# Machine: {}{by}", clip(p));
    }
    let _ = writeln!(
        out,
        "# hwloc gives no DIMM layout: each cpu's memory is the total of its NUMA nodes."
    );
    let _ = writeln!(out, "model {} {{", model_name(product, fallback_name));
    for note in &memory_notes {
        let _ = writeln!(out, "  # {note}");
    }
    write_cpus(&mut out, &cpus, scan.packages.is_empty());
    let mut pcie = Pcie::default();
    for &id in &scan.host_bridges {
        let Some(host) = doc.get_node(id) else {
            continue;
        };
        let cpu = owner(host, &scan).map_or(0, |(first, _)| first);
        let range = host.attribute("bridge_pci").unwrap_or("?");
        let _ = writeln!(out, "  # host bridge {} on cpu{cpu}", clip(range));
        pcie.below(host, &format!("cpu{cpu}"), None, &mut out);
    }
    out.push_str("}\n");
    Ok(out)
}

/// The `<object>` children of an element.
fn objects<'a, 'i>(node: Node<'a, 'i>) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children()
        .filter(|c| c.is_element() && c.tag_name().name() == "object")
}

fn kind<'a>(node: Node<'a, '_>) -> &'a str {
    node.attribute("type").unwrap_or("")
}

/// A package: `Package` since hwloc 1.11, `Socket` before.
fn is_package(node: Node) -> bool {
    matches!(kind(node), "Package" | "Socket")
}

/// The first pass: packages, cores, NUMA nodes and host bridges.
fn walk(node: Node, depth: usize, package: Option<usize>, scan: &mut Scan) -> Result<(), String> {
    if depth > MAX_DEPTH {
        return Err(format!(
            "not an hwloc topology: objects nest more than {MAX_DEPTH} deep"
        ));
    }
    let mut package = package;
    match kind(node) {
        _ if is_package(node) => {
            let index = scan.packages.len();
            scan.packages.push(node.id());
            scan.cores.push(0);
            scan.pus.push(0);
            // The walk is at most MAX_DEPTH deep, so this is too.
            for anc in node.ancestors().filter(|a| a.is_element()) {
                scan.holds
                    .entry(anc.id())
                    .and_modify(|(_, n)| *n += 1)
                    .or_insert((index, 1));
            }
            package = Some(index);
        }
        "Core" => match package {
            Some(p) => scan.cores[p] += 1,
            None => scan.loose_cores += 1,
        },
        "PU" => match package {
            Some(p) => scan.pus[p] += 1,
            None => scan.loose_pus += 1,
        },
        "NUMANode" => scan.numa.push(node.id()),
        "Bridge" if is_host_bridge(node) => scan.host_bridges.push(node.id()),
        _ => {}
    }
    for child in objects(node) {
        walk(child, depth + 1, package, scan)?;
    }
    Ok(())
}

fn is_host_bridge(node: Node) -> bool {
    kind(node) == "Bridge"
        && node
            .attribute("bridge_type")
            .is_some_and(|t| t.starts_with("0-"))
}

/// The package an object belongs to: the one it sits in, else the first
/// package of the nearest object that holds any (with how many it holds).
fn owner(node: Node, scan: &Scan) -> Option<(usize, usize)> {
    node.ancestors()
        .find_map(|a| scan.holds.get(&a.id()).copied())
}

fn cpus(scan: &Scan) -> Vec<Cpu> {
    if scan.packages.is_empty() {
        return vec![Cpu {
            os_index: None,
            cores: scan.loose_cores,
            pus: scan.loose_pus,
            memory: 0,
            numa: Vec::new(),
        }];
    }
    (0..scan.packages.len())
        .map(|i| Cpu {
            os_index: None,
            cores: scan.cores[i],
            pus: scan.pus[i],
            memory: 0,
            numa: Vec::new(),
        })
        .collect()
}

/// Adds each NUMA node's memory to its package. Without NUMA nodes (v1 on
/// a machine without NUMA), the machine's own `local_memory` goes to cpu0.
fn memory(scan: &Scan, top: &[Node], cpus: &mut [Cpu]) -> Result<Vec<String>, String> {
    let mut notes = Vec::new();
    let doc = top[0].document();
    for &id in &scan.numa {
        let Some(node) = doc.get_node(id) else {
            continue;
        };
        let bytes = bytes_attr(node, "local_memory")?;
        let (cpu, spans) = owner(node, scan).unwrap_or((0, 1));
        let cpu = cpu.min(cpus.len() - 1);
        let what = node
            .attribute("subtype")
            .map_or(String::new(), |s| format!(" ({})", clip(s)));
        let index = node.attribute("os_index").unwrap_or("?");
        let mut line = format!("NUMA node {}{what}: {}", clip(index), human(bytes));
        if spans > 1 && !scan.packages.is_empty() {
            let _ = write!(line, ", shared by {spans} packages: counted here");
        }
        cpus[cpu].memory = cpus[cpu].memory.saturating_add(bytes).min(MAX_MEMORY_BYTES);
        cpus[cpu].numa.push(line);
    }
    if scan.numa.is_empty() {
        let bytes = top
            .iter()
            .map(|n| bytes_attr(*n, "local_memory"))
            .sum::<Result<u64, _>>()?;
        if bytes > 0 {
            cpus[0].memory = bytes.min(MAX_MEMORY_BYTES);
            cpus[0].numa.push(format!(
                "no NUMA nodes: all the machine's {} counted here",
                human(bytes)
            ));
        } else {
            notes.push("hwloc gives no memory size".to_string());
        }
    }
    for (i, id) in scan.packages.iter().enumerate() {
        if let Some(node) = doc.get_node(*id) {
            cpus[i].os_index = node.attribute("os_index").map(clip);
        }
    }
    Ok(notes)
}

/// A byte count attribute; absent is 0.
fn bytes_attr(node: Node, name: &str) -> Result<u64, String> {
    match node.attribute(name) {
        None => Ok(0),
        Some(v) => match v.trim().parse::<u64>() {
            Ok(b) if b <= MAX_MEMORY_BYTES => Ok(b),
            _ => Err(format!(
                "`{name}=\"{}\"` on a {} is not a memory size in bytes",
                clip(v),
                clip(kind(node))
            )),
        },
    }
}

fn write_cpus(out: &mut String, cpus: &[Cpu], no_packages: bool) {
    for (i, cpu) in cpus.iter().enumerate() {
        if no_packages {
            let _ = writeln!(out, "  # hwloc reports no package: one cpu for the machine");
        } else if let Some(os) = &cpu.os_index {
            let _ = writeln!(out, "  # package {os}");
        }
        let _ = writeln!(out, "  cpu cpu{i} {{");
        if cpu.cores > 0 {
            let _ = writeln!(out, "    cores {}", cpu.cores);
        } else if cpu.pus > 0 {
            let _ = writeln!(
                out,
                "    # hwloc lists no cores here: its {} PUs are counted",
                cpu.pus
            );
            let _ = writeln!(out, "    cores {}", cpu.pus);
        }
        for line in &cpu.numa {
            let _ = writeln!(out, "    # {line}");
        }
        if cpu.memory > 0 {
            let _ = writeln!(out, "    memory {}", size(cpu.memory));
        }
        let _ = writeln!(out, "  }}");
    }
}

/// A byte count for people: `754.6 GiB`.
fn human(bytes: u64) -> String {
    let gib = bytes as f64 / f64::from(1u32 << 30);
    if gib >= 1.0 {
        format!("{} GiB", pci::decimal((gib * 10.0).round() / 10.0))
    } else {
        format!("{} MiB", pci::decimal(bytes as f64 / f64::from(1u32 << 20)))
    }
}

/// A byte count in the largest binary unit that divides it: exact, since
/// it is what the checks count.
fn size(bytes: u64) -> String {
    const UNITS: [(u64, &str); 4] = [
        (1 << 40, "TiB"),
        (1 << 30, "GiB"),
        (1 << 20, "MiB"),
        (1 << 10, "KiB"),
    ];
    UNITS
        .iter()
        .find(|(unit, _)| bytes >= *unit && bytes % unit == 0)
        .map_or(format!("{bytes}B"), |(unit, name)| {
            format!("{}{name}", bytes / unit)
        })
}

/// The PCI parts written so far: counters per name stem.
#[derive(Default)]
struct Pcie {
    counters: HashMap<&'static str, usize>,
}

impl Pcie {
    /// Writes the PCI functions below `node`, whose link is `parent`'s and
    /// runs at `upstream` (a bus figure) when hwloc measured it.
    fn below(&mut self, node: Node, parent: &str, upstream: Option<&str>, out: &mut String) {
        for child in objects(node) {
            match kind(child) {
                // A host bridge below a host bridge adds no link.
                "Bridge" if is_host_bridge(child) => self.below(child, parent, upstream, out),
                "Bridge" | "PCIDev" => self.function(child, parent, upstream, out),
                _ => {}
            }
        }
    }

    fn function(&mut self, node: Node, parent: &str, upstream: Option<&str>, out: &mut String) {
        let (class, ids) = node
            .attribute("pci_type")
            .and_then(pci::parse_type)
            .unwrap_or((0xffff, "?"));
        let (part_kind, stem) = if kind(node) == "Bridge" {
            (Kind::Bridge, "bridge")
        } else {
            match pci::classify(class) {
                // A PCIDev is never a bridge to hwloc, whatever its class says.
                (Kind::Bridge, _) => (Kind::Card, "card"),
                k => k,
            }
        };
        let counter = self.counters.entry(stem).or_insert(0);
        let name = format!("{stem}{counter}");
        *counter += 1;
        let keyword = match part_kind {
            Kind::Bridge => "bridge",
            Kind::Nic => "nic",
            Kind::Controller => "controller",
            Kind::Card => "card",
        };
        let busid = node.attribute("pci_busid").unwrap_or("?");
        let _ = writeln!(out, "  # {} [{}]{}", clip(busid), clip(ids), describe(node));
        let speed = node.attribute("pci_link_speed").and_then(pci::parse_speed);
        let own = speed.map(pci::bus_figure);
        let figure = match (&own, upstream) {
            (Some((figure, others)), _) => {
                if !others.is_empty() {
                    let verb = if others.len() > 1 { "carry" } else { "carries" };
                    let _ = writeln!(
                        out,
                        "  # hwloc: {} GB/s, which {} {verb} as well",
                        pci::decimal(speed.unwrap_or(0.0)),
                        others.join(" and ")
                    );
                }
                Some(figure.clone())
            }
            (None, Some(up)) => {
                let _ = writeln!(
                    out,
                    "  # hwloc gives no link speed: the link above it ({up}) is assumed"
                );
                Some(up.to_string())
            }
            (None, None) => {
                let _ = if parent == "cpu0" {
                    writeln!(
                        out,
                        "  # hwloc gives no link speed: no bus (a part without one hangs off cpu0)"
                    )
                } else {
                    writeln!(
                        out,
                        "  # hwloc gives no link speed here or above: no bus, so it hangs off cpu0, not {parent}"
                    )
                };
                None
            }
        };
        match &figure {
            Some(f) => {
                let _ = writeln!(out, "  {keyword} {name} {{ bus {f} to {parent} }}");
            }
            None => {
                let _ = writeln!(out, "  {keyword} {name} {{ }}");
            }
        }
        if part_kind == Kind::Bridge {
            self.below(node, &name, figure.as_deref(), out);
        }
    }
}

/// ` Vendor: Device (eth0, nvme0n1)` for a comment: hwloc's PCI names, else
/// a GPU's model from its OS device, and the OS devices' names.
fn describe(node: Node) -> String {
    let osdevs: Vec<Node> = objects(node).filter(|c| kind(*c) == "OSDev").collect();
    let vendor = info(node, "PCIVendor");
    let device = info(node, "PCIDevice")
        .or_else(|| osdevs.iter().find_map(|o| info(*o, "GPUModel")))
        .or_else(|| node.attribute("name").filter(|n| !n.trim().is_empty()));
    let mut text = match (vendor, device) {
        (Some(v), Some(d)) => format!(" {v}: {d}"),
        (Some(v), None) => format!(" {v}"),
        (None, Some(d)) => format!(" {d}"),
        (None, None) => String::new(),
    };
    let names: Vec<&str> = osdevs
        .iter()
        .filter_map(|o| o.attribute("name"))
        .take(8)
        .collect();
    if !names.is_empty() {
        let _ = write!(text, " ({})", names.join(", "));
    }
    clip(&text)
}

/// An `<info name=… value=…>` of an object.
fn info<'a>(node: Node<'a, '_>, name: &str) -> Option<&'a str> {
    node.children()
        .filter(|c| c.is_element() && c.tag_name().name() == "info")
        .find(|c| c.attribute("name") == Some(name))
        .and_then(|c| c.attribute("value"))
}

/// Text from the file, made safe for a one-line comment: a line break would
/// turn the rest into code. Long text is cut.
fn clip(text: &str) -> String {
    let one_line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(MAX_COMMENT_CHARS)
        .collect();
    if text.chars().nth(MAX_COMMENT_CHARS).is_some() {
        format!("{one_line}…")
    } else {
        one_line
    }
}

/// A topo name from the product name or the file's stem: letters, digits,
/// `-` and `_`, starting with a letter, at most 128 characters.
fn model_name(product: Option<&str>, fallback: &str) -> String {
    let source = product.unwrap_or(fallback);
    let mut name = String::new();
    for c in source.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_alphanumeric() || c == '_' {
            name.push(c);
        } else if !name.ends_with('-') && !name.is_empty() {
            name.push('-');
        }
    }
    let name = name.trim_end_matches('-');
    let name = match name.chars().next() {
        None => "server".to_string(),
        Some(c) if c.is_ascii_alphabetic() => name.to_string(),
        Some(_) => format!("hw-{name}"),
    };
    crate::text::shorten(&name, crate::model::names::MAX_NAME_CHARS, '-').into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(
            model_name(Some("PowerEdge R740xd"), "x"),
            "poweredge-r740xd"
        );
        assert_eq!(
            model_name(None, "24em64t-2n6c2t-pci"),
            "hw-24em64t-2n6c2t-pci"
        );
        assert_eq!(model_name(Some("  "), "x"), "server");
        assert_eq!(model_name(Some("ünï"), "x"), "n");
    }

    #[test]
    fn sizes() {
        assert_eq!(size(64 << 30), "64GiB");
        assert_eq!(size(33738452992), "32947708KiB");
        assert_eq!(size(1 << 40), "1TiB");
        assert_eq!(size(1000), "1000B");
    }
}
