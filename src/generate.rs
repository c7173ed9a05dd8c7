//! A generator of large, healthy data centres, for benchmarks and scale tests.
//!
//! [`data_centre`] writes one site of `racks` 42U racks in the topo language.
//! Every rack has an A and a B feed (`circuit 30A at 208V`), 38 1U servers at
//! U1-U38 and two top-of-rack switches at U41-U42; every server is cabled to
//! both ToRs and every ToR to the four spine switches, which stand outside
//! the racks at the site. Every tenth rack starts a *pod*: a three-tier
//! application (web, ap, db, plus its dns) spread over that rack and the next
//! one, so that no rack, feed, switch or server is a single point of failure,
//! and a flow `browser -> web -> ap -> db` through it.
//!
//! The design is meant to be healthy: `topo check` reports nothing on it at
//! any size from two racks up. Its figures, per rack:
//! - power: 38 × 110 W + 2 × 350 W = 4880 W, at power factor 1.0 4880 VA,
//!   of a 6240 VA circuit (78.2 %, under the 80 % continuous-load limit);
//!   each feed carries it alone when the other has failed;
//! - weight: 130 kg (empty) + 38 × 16.8 kg + 2 × 9.9 kg = 788.2 kg of 1360 kg;
//! - buses: 2 × 25GbE = 6.25 GB/s on pcie4 x8 (15.75 GB/s), 7 GB/s NVMe on
//!   pcie4 x4 (7.88 GB/s), 2 × 550 MB/s boot SSDs behind the DMI 3.0 link
//!   (3.94 GB/s); eight channels with one 32 GB DIMM each per CPU (512 GB);
//! - a pod: web 4 × 1000 rps for 1800 rps, ap 4 × 900 rps for 1600 rps (both
//!   keep 2 instances, enough, when a rack is lost), db an active-standby pair
//!   across the two racks, pools 4 × 40 = 160 of 200 connections, a 256 GB
//!   cache in 512 GB hosts, dns on one server of each rack;
//! - ports: a ToR takes 38 servers at 25GbE and the 4 spines at 100GbE, of
//!   its 48 × 25GbE and 8 × 100GbE; each spine stands for a plane of
//!   ceil(2 × racks ÷ 64) 64-port switches, one port per ToR.
//!
//!
//! The power chain: the site has two UPSs, `ups-a` and `ups-b`, and every
//! [`ROW`] racks form a row with two panels, one behind each UPS. A rack's A
//! feed draws from its row's A panel, its B feed from the row's B panel, so
//! either side can fail whole and the other carries everything:
//! - a panel: `400A at 208V; phases 3` = √3 × 208 V × 400 A = 144.11 kVA,
//!   80 % = 115.29 kVA; a full row after the other side fails is
//!   20 × 4880 VA = 97.6 kVA (67.7 %);
//! - a UPS: `capacity` = rows × [`UPS_KVA_PER_ROW`] (150 kVA):
//!   a parallel system of one 150 kVA module per row (a site of 2,600 racks
//!   has 130 of them, 19.5 MVA: in reality several UPS systems per side,
//!   modelled as one). After the other UPS fails it carries every rack,
//!   at most rows × 97.6 kVA, 65.1 % of its capacity;
//! - the UPSs are the roots: the utility and generators above them are left
//!   out, because the model fails a UPS with its utility while a real UPS
//!   rides through on its batteries until the generators start.
//!
//! Two styles write the same data centre: [`Style::Ranges`] declares a
//! rack's servers and their cables with one range statement each
//! (`server r0001-s[01..38] : srv1u { rack r0001 at U1 }`), as a person
//! would; [`Style::Expanded`] declares every server and every server's cable
//! on its own line, as an export from an inventory would (about eight times
//! the bytes). Both lower to the same devices, links and findings.
//!
//! The output depends only on `racks` and the style.

use std::fmt::Write;

/// Servers per rack (1U each, at U1 up).
pub const SERVERS_PER_RACK: usize = 38;
/// Top-of-rack switches per rack (at U41 and U42).
pub const TORS_PER_RACK: usize = 2;
/// Spine switches, outside the racks.
pub const SPINES: usize = 4;
/// A pod starts at every this many racks (and spans two racks).
pub const POD_EVERY: usize = 10;
/// Services per pod: web, ap, db and the dns.
pub const SERVICES_PER_POD: usize = 4;
/// Racks per row: a row has one panel per side.
pub const ROW: usize = 20;
/// UPS capacity per row, in kVA (one module of a parallel UPS system).
pub const UPS_KVA_PER_ROW: usize = 150;

/// Rows in a data centre of `racks` racks: ceil(racks ÷ [`ROW`]).
pub fn rows(racks: usize) -> usize {
    racks.div_ceil(ROW)
}

/// Power sources in [`data_centre`]`(racks)`: two UPSs and two panels per row.
pub fn power_sources(racks: usize) -> usize {
    2 + 2 * rows(racks)
}

/// What [`data_centre`] declares for a number of racks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub racks: usize,
    /// Servers, ToR switches and spines.
    pub devices: usize,
    /// Services including the `dns` ones.
    pub services: usize,
    pub flows: usize,
}

/// Pods in a data centre of `racks` racks: one at every [`POD_EVERY`]th rack
/// that has a next rack to pair with.
pub fn pods(racks: usize) -> usize {
    if racks < 2 {
        0
    } else {
        (racks - 2) / POD_EVERY + 1
    }
}

/// The counts of [`data_centre`]`(racks)`.
pub fn counts(racks: usize) -> Counts {
    let pods = pods(racks);
    Counts {
        racks,
        devices: racks * (SERVERS_PER_RACK + TORS_PER_RACK) + SPINES,
        services: pods * SERVICES_PER_POD,
        flows: pods,
    }
}

const HEADER: &str = "\
# A generated data centre (topo::generate::data_centre): one site, racks of
# 38 1U servers and two ToR switches on an A and a B feed, four spines, and
# every tenth rack a three-tier pod spread over it and the next rack.
# Per rack: 38 x 110 W + 2 x 350 W = 4880 W = 4880 VA (power factor 1.0) of
# 30 A x 208 V = 6240 VA (78.2 %) on either feed alone;
# 130 kg + 38 x 16.8 kg + 2 x 9.9 kg = 788.2 kg of 1360 kg.
# Power chain: UPS A and UPS B (150 kVA per row: a parallel system); a row is
# 20 racks with an A and a B panel of 400 A three-phase at 208 V
# (sqrt(3) x 208 V x 400 A = 144.11 kVA); a rack's A feed is from its row's A
# panel, its B feed from the B panel. After one side fails, a panel carries
# its row (20 x 4880 VA = 97.6 kVA, 67.7 %) and a UPS every rack (65.1 %).

site dc1 { role primary }

# A 1U dual-socket server.
model srv1u {
  size 1U; draw 110W; weight 16.8kg; psu 2
  cpu cpu[0..1] {
    cores 32
    memory ddr4-3200 { channels 8; dimms 1 1 1 1 1 1 1 1; dimm-size 32GB }
  }
  chipset pch { bus dmi3 to cpu0 }                                  # 3.94 GB/s
  nic nic0 { ports 2 x 25GbE; bus pcie4 x8 to cpu0 }                # 6.25 of 15.75 GB/s
  disk boot[0..1] { ssd; throughput 550MB/s; bus sata3 to pch }     # 1.1 of 3.94 GB/s
  disk nvme[0..1] { nvme; throughput 7GB/s; bus pcie4 x4 to cpu1 }  # 7 of 7.88 GB/s
}

# A 1U top-of-rack switch: 48 x 25GbE down, 8 x 100GbE up (4 used).
model tor48 { size 1U; draw 350W; weight 9.9kg; psu 2; ports 48 x 25GbE 8 x 100GbE }

# A 64-port spine switch; each of the four spines stands for one spine plane
# of as many of them as the ToRs need ports (below).
model spine64 { size 2U; draw 1.2kW; weight 24kg; psu 2; ports 64 x 100GbE }

tier web { role presentation }
tier ap  { role application }
tier db  { role data }

client browser { browser }
";

/// How the generated text declares a rack's servers and their cables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Style {
    /// One range statement for a rack's 38 servers and one for their cables.
    #[default]
    Ranges,
    /// One statement per server and one per server's cable.
    Expanded,
}

impl Style {
    pub fn name(self) -> &'static str {
        match self {
            Style::Ranges => "ranges",
            Style::Expanded => "expanded",
        }
    }

    pub fn from_name(name: &str) -> Option<Style> {
        [Style::Ranges, Style::Expanded]
            .into_iter()
            .find(|s| s.name() == name)
    }
}

/// The fewest racks holding at least `devices` devices (at least 2).
pub fn racks_for_devices(devices: usize) -> usize {
    devices
        .saturating_sub(SPINES)
        .div_ceil(SERVERS_PER_RACK + TORS_PER_RACK)
        .max(2)
}

/// A healthy data centre of `racks` racks in the topo language, its servers
/// written as ranges.
pub fn data_centre(racks: usize) -> String {
    data_centre_in(racks, Style::Ranges)
}

/// A healthy data centre of `racks` racks in the topo language, written in
/// `style`.
pub fn data_centre_in(racks: usize, style: Style) -> String {
    let width = racks.to_string().len().max(4);
    let per_rack = match style {
        Style::Ranges => 780,
        Style::Expanded => 3700,
    };
    let mut out = String::with_capacity(
        racks * per_rack + rows(racks) * 220 + pods(racks) * 1100 + HEADER.len() + 200,
    );
    out.push_str(HEADER);
    // Every ToR takes one port of each spine plane: a plane of 64-port
    // switches has 64 ports per switch, so that port-count holds at any size.
    let plane = (TORS_PER_RACK * racks).div_ceil(64).max(1);
    let _ = write!(
        out,
        "\n\
         # {SPINES} spine planes of {plane} x spine64 each: {} ports for {} ToRs\n\
         switch spine[1..{SPINES}] : spine64 {{ site dc1; ports {} x 100GbE }}\n",
        plane * 64,
        TORS_PER_RACK * racks,
        plane * 64
    );
    let ups = rows(racks) * UPS_KVA_PER_ROW;
    let _ = write!(
        out,
        "\n\
         power ups-a {{ site dc1; kind ups; capacity {ups}kVA }}\n\
         power ups-b {{ site dc1; kind ups; capacity {ups}kVA }}\n"
    );
    for r in 0..racks {
        let rack = format!("r{:0width$}", r + 1);
        let row = format!("row{:0width$}", r / ROW + 1);
        if r % ROW == 0 {
            let last = format!("r{:0width$}", (r + ROW).min(racks));
            let _ = write!(
                out,
                "\n\
                 # {row}: racks {rack} to {last}, a panel per side\n\
                 power {row}-a {{ site dc1; kind panel; capacity 400A at 208V; phases 3; from ups-a }}\n\
                 power {row}-b {{ site dc1; kind panel; capacity 400A at 208V; phases 3; from ups-b }}\n"
            );
        }
        let _ = write!(
            out,
            "\n\
             feed {rack}-a {{ site dc1; circuit 30A at 208V; from {row}-a }}\n\
             feed {rack}-b {{ site dc1; circuit 30A at 208V; from {row}-b }}\n\
             rack {rack} {{ site dc1; height 42U; feeds {rack}-a {rack}-b; max-weight 1360kg; weight 130kg }}\n"
        );
        // A rack's servers as the style writes them: one range from U1, or
        // each server at its own unit.
        let servers: Vec<(String, usize)> = match style {
            Style::Ranges => vec![(format!("s[01..{SERVERS_PER_RACK}]"), 1)],
            Style::Expanded => (1..=SERVERS_PER_RACK)
                .map(|s| (format!("s{s:02}"), s))
                .collect(),
        };
        for (server, u) in &servers {
            let _ = writeln!(
                out,
                "server {rack}-{server} : srv1u {{ rack {rack} at U{u} }}"
            );
        }
        let _ = write!(
            out,
            "switch {rack}-tor-a : tor48 {{ rack {rack} at U41 }}\n\
             switch {rack}-tor-b : tor48 {{ rack {rack} at U42 }}\n"
        );
        for (server, _) in &servers {
            let _ = writeln!(
                out,
                "link {rack}-{server} to {rack}-tor-a {rack}-tor-b {{ speed 25GbE }}"
            );
        }
        let _ = writeln!(
            out,
            "link {rack}-tor-a {rack}-tor-b to spine[1..4] {{ speed 100GbE }}"
        );
    }
    for k in 0..pods(racks) {
        let pod = format!("p{:0width$}", k + 1);
        let a = format!("r{:0width$}", k * POD_EVERY + 1);
        let b = format!("r{:0width$}", k * POD_EVERY + 2);
        let _ = write!(
            out,
            "\n\
             # pod {pod}: racks {a} and {b}; each tier keeps enough instances when one rack is lost\n\
             service {pod}-web on {a}-s[01..02] {b}-s[01..02] {{\n\
            \x20 tier web; calls {pod}-ap\n\
            \x20 load 1800rps; capacity 1000rps\n\
             }}\n\
             service {pod}-ap on {a}-s[03..04] {b}-s[03..04] {{\n\
            \x20 tier ap; calls {pod}-db; pool {pod}-db 40\n\
            \x20 load 1600rps; capacity 900rps\n\
             }}\n\
             service {pod}-db on {a}-s05 {b}-s05 {{\n\
            \x20 tier db; stateful; ha active-standby\n\
            \x20 max-connections 200; cache 256GB\n\
            \x20 load 800rps; capacity 1000rps\n\
             }}\n\
             dns {pod}-ns on {a}-s06 {b}-s06 {{ resolves {pod}-web }}\n\
             flow {pod}-shop {{ browser -> {pod}-web -> {pod}-ap -> {pod}-db; content dynamic; rate 800rps }}\n"
        );
    }
    out
}
