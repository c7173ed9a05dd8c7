//! `docs/reference.md`: the language for a user. The sections that explain
//! ideas are constant prose; every statement, part, property, unit, preset
//! and rule in it is read from the schema and the tables.

use super::{anchor, cell, code, generated_note, notes, place_noun, same, tables};
use crate::analyze::RULES;
use crate::model::names::{MAX_NAME_CHARS, MAX_RANGE};
use crate::model::schema::{
    statement_keywords, top_level, Kind, Property, BLOCKS, DEVICE_KINDS, PARTS,
};
use crate::syntax::chunk::MAX_DEPTH;
use std::fmt::Write;

/// The whole reference, as Markdown.
pub fn reference() -> String {
    let sections: [(&str, String); 9] = [
        ("Lexical structure", lexical()),
        ("Statements", statements()),
        ("Parts", parts()),
        ("Nested blocks", nested()),
        ("Units", units()),
        ("Presets", presets()),
        ("Power, space and other figures", PHYSICAL.to_string()),
        ("The failure model", FAILURE_MODEL.to_string()),
        ("Rules", rules()),
    ];
    let mut out = generated_note(
        "the language schema (`src/model/schema/`), the unit and preset tables \
         (`src/model/`) and the rule table (`src/analyze/`)",
    );
    out.push_str("# The topo language\n\n");
    out.push_str(INTRO);
    out.push_str("\n## Contents\n\n");
    for (title, _) in &sections {
        let _ = writeln!(out, "- [{title}](#{})", anchor(title));
    }
    for (title, body) in &sections {
        let _ = writeln!(out, "\n## {title}\n\n{}", body.trim_end());
    }
    out
}

const INTRO: &str = "\
A topo file describes infrastructure the way an engineer draws it on a
whiteboard, with the figures from the spec sheets: sites, power feeds and
racks; servers and what is inside them; virtual machines; services in tiers
with the requests that flow between them; replicas, partitions and shards.
`topo check` then reads the design the way a careful reviewer would; the
rules it applies are in [rules.md](rules.md).

This page is the whole language: how a file is written, every statement,
device kind, part and property with an example, the units, the built-in
presets and the figures behind them, and the failure model the rules share.
`topo explain KEYWORD` prints the entry of one statement or property on the
command line.
";

fn lexical() -> String {
    let max_range = thousands(MAX_RANGE);
    format!(
        "\
- **Files** are UTF-8 text ending in `.topo`. A byte-order mark and CRLF
  line ends are accepted.
- **Comments** start with `#` and run to the end of the line.
- **Statements** end at a newline, at `;`, or before a closing `}}`. A block
  `{{ … }}` holds statements of its own and may span lines; blocks nest at most
  {MAX_DEPTH} levels deep.
- **Names** start with a letter or `_` and go on with letters, digits, `_`
  and `-`: `shop-web`, `feed-a`, `ddr4-3200`. A `-` followed by `>` is not
  part of a name, so `a->b` is a path from `a` to `b`. A name, as written or
  once expanded, is at most {MAX_NAME_CHARS} characters. Keywords are not
  reserved: a tier may be called `web`, a feed `power`.
- **Ranges** stand for several names: `web[1..4]` is `web1 web2 web3 web4`.
  The first bound sets the width, so `web[01..12]` is `web01` … `web12`.
  Text may follow the brackets: `pdu[1..2]-a` is `pdu1-a pdu2-a`. A range
  holds at most {max_range} names.
- **Lists** are names separated by spaces (never commas): `on web1 web2
  db[1..2]`. A range may stand wherever a list may.
- **Dotted references** name a part inside a device: `db1.nic0`.
- **Strings** are written in double quotes, on one line, with `\\\"` and
  `\\\\` for a quote and a backslash: `\"models/dell.topo\"`.
- **Numbers** are decimal, with an optional fraction and exponent: `32`,
  `0.95`, `1e5`.
- **Quantities** are a number directly followed by its unit, with no space:
  `30A`, `2.4kW`, `25GbE`, `7GB/s`, `25%`. Units are spelled exactly (`kW`,
  not `KW`). Every quantity has a dimension: one of the wrong dimension is a
  `unit-mismatch` that names both (`expected a mass (kg, g, lb), found a
  current (A, mA)`), and an unknown unit suggests the closest known one. The
  [units](#units) table lists them all.

A declaration starts with its keyword and a name (or a range), may take a
model after `:` and hosts after `on`, and ends in a block of properties:

```text
KEYWORD NAME [: MODEL] [on HOST...] {{ PROPERTY ARGUMENT...; … }}
```

A property is a line (or a `;`-separated item) in the block: its name, then
its arguments. `link`, `replicate`, `allow` and `include` have forms of
their own, shown below. Every name declared at the top level lives in one
namespace per project (the files given and everything they include), so
declaring a name twice is an error that points at both. An unknown keyword
or property is an error that suggests the closest one, and an unknown
statement keyword lists every statement of the language.
"
    )
}

/// `100000` → `100,000`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// The largest kind documented before `kind` (in `earlier`) whose every
/// property `kind` takes as well, when it has enough properties to be
/// worth naming instead of repeating them.
fn includes<'k>(kind: &Kind, earlier: &[&'k Kind]) -> Option<&'k Kind> {
    earlier
        .iter()
        .copied()
        .filter(|e| e.properties.len() > 3 && !std::ptr::eq(e.properties, kind.properties))
        .filter(|e| {
            e.properties
                .iter()
                .all(|p| kind.properties.iter().any(|q| same(p, q)))
        })
        .max_by_key(|e| e.properties.len())
}

/// A property table: one row per property.
fn property_table<'p>(properties: impl Iterator<Item = &'p Property>) -> String {
    let mut out = String::from(
        "| property | arguments | default | repeats | description | example |\n\
         |---|---|---|---|---|---|\n",
    );
    for p in properties {
        let required = if p.required { "Required. " } else { "" };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {required}{} | {} |",
            code(p.name),
            cell(&code_or_blank(&p.shape.syntax())),
            cell(p.default.unwrap_or("")),
            if p.repeats { "yes" } else { "" },
            cell(p.summary),
            cell(&code(p.example)),
        );
    }
    out
}

fn code_or_blank(text: &str) -> String {
    if text.is_empty() {
        String::new()
    } else {
        code(text)
    }
}

/// One kind's entry: heading, form, summary, example and properties.
/// `earlier` are the kinds documented before it, whose shared properties
/// are named rather than repeated.
fn kind_entry(kind: &Kind, earlier: &[&Kind]) -> String {
    let mut out = format!(
        "### {}\n\n{}\n\n**Form:** {}\n\n```topo\n{}\n```\n\n",
        code(kind.keyword),
        kind.summary,
        code(&kind.header()),
        kind.example
    );
    if let Some(note) = notes::note(kind.keyword) {
        let _ = write!(out, "{note}\n\n");
    }
    out.push_str(&properties_of(kind, earlier));
    out
}

/// The properties of a kind: a table, after a pointer to an earlier kind
/// whose properties it shares.
fn properties_of(kind: &Kind, earlier: &[&Kind]) -> String {
    if kind.properties.is_empty() {
        return "It takes no block.\n\n".to_string();
    }
    let mut out = String::new();
    let shared = includes(kind, earlier);
    let own: Vec<&Property> = kind
        .properties
        .iter()
        .filter(|p| shared.is_none_or(|s| !s.properties.iter().any(|q| same(p, q))))
        .collect();
    if let Some(s) = shared {
        let _ = write!(
            out,
            "It takes every property of [{}](#{}), and:\n\n",
            code(s.keyword),
            anchor(s.keyword)
        );
    }
    out.push_str(&property_table(own.into_iter()));
    out.push('\n');
    out
}

fn link_to(kind: &Kind) -> String {
    let target = if place_noun(kind) == "device kind" {
        "devices".to_string()
    } else {
        anchor(kind.keyword)
    };
    format!("[{}](#{target})", code(kind.keyword))
}

fn statements() -> String {
    let mut out = String::from(
        "Every statement at the top level of a file starts with one of these \
         keywords:\n\n| keyword | form | what it declares |\n|---|---|---|\n",
    );
    for kind in statement_keywords().filter_map(top_level) {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            link_to(kind),
            cell(&code(&kind.header())),
            cell(kind.summary)
        );
    }
    out.push('\n');
    // In reading order: the device kinds share one entry, after `model`.
    let mut earlier: Vec<&Kind> = Vec::new();
    let mut devices_written = false;
    for kind in statement_keywords().filter_map(top_level) {
        if place_noun(kind) == "device kind" {
            if !devices_written {
                out.push_str(&devices(&earlier));
                devices_written = true;
            }
            continue;
        }
        out.push_str(&kind_entry(kind, &earlier));
        earlier.push(kind);
    }
    out
}

/// The entry of every device kind: they share their form and properties.
fn devices(earlier: &[&Kind]) -> String {
    let mut out = String::from(
        "### Devices\n\nA device is declared with its kind and may take a model after `:`; what \
         it writes itself overrides the model, property by property and part by \
         part. The kinds differ in what they do in the design; they take the \
         same properties.\n\n| kind | what it is | example |\n|---|---|---|\n",
    );
    for kind in DEVICE_KINDS {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            code(kind.keyword),
            cell(kind.summary),
            cell(&code(kind.example))
        );
    }
    let Some(first) = DEVICE_KINDS.first() else {
        return out;
    };
    let _ = write!(out, "\n**Form:** {}\n\n", code(first.form));
    out.push_str(PLACEMENT);
    out.push('\n');
    out.push_str(&properties_of(first, earlier));
    out
}

const PLACEMENT: &str = "\
A device placed `rack R at Un` takes the units from `Un` up to
`Un + size − 1`; a range placed at `Un` stacks upward, each device right
above the one before. It is mounted on the front face unless the placement
ends in `rear`. A full-depth device takes its units on both faces; two
`depth half` devices on opposite faces may share a unit. A `0U` device (a
vertical PDU) takes no unit. A device in no rack may name its `site`.
";

fn parts() -> String {
    let mut out = String::from(
        "Parts are written inside a model or a device: the processors, memory, \
         buses and cards a spec sheet lists. A part's name may be a range \
         (`disk nvme[0..3]`). A device, or a model built on another, may \
         declare a part of the same name again: its properties override the \
         inherited part's one by one (a different kind is an error).\n\n\
         | part | what it is |\n|---|---|\n",
    );
    for kind in PARTS {
        let _ = writeln!(out, "| {} | {} |", link_to(kind), cell(kind.summary));
    }
    out.push('\n');
    let mut earlier: Vec<&Kind> = Vec::new();
    for kind in PARTS {
        out.push_str(&kind_entry(kind, &earlier));
        earlier.push(kind);
    }
    out.push_str(BUSES);
    out
}

const BUSES: &str = "\
### Buses

`bus` says what a part hangs off and over what: a [preset](#presets) with its
lane width where it takes one (`bus pcie4 x8 to cpu0`), or explicit figures:
`bus width 64bit rate 100MT/s to cpu0`, `bus width 8B period 10ns to cpu0`
(transfers per second = 1 s ÷ period), `bus bandwidth 12GB/s to cpu0`.
Bandwidth is the width of one transfer × transfers per second. The parent is
a CPU or another part (a chipset, a controller, a bridge), so buses form a
tree rooted at the CPUs; a cycle is an error. A part without `bus` hangs off
the first CPU. On a CPU, `bus upi to cpu0` is the link between two sockets.
Cables between devices are top-level [`link`](#link)s; `bus` is for what is
inside one.

";

fn nested() -> String {
    let mut out = String::from(
        "Some properties open a block of their own, whose properties are \
         listed here.\n\n",
    );
    for kind in BLOCKS {
        out.push_str(&kind_entry(kind, &[]));
    }
    out
}

fn units() -> String {
    format!(
        "A quantity is a number directly followed by one of these units. Each \
         dimension is stored in its base unit, and figures of different \
         dimensions never mix.\n\n{}\n",
        tables::units_table()
    )
}

fn presets() -> String {
    format!(
        "A `bus` names a preset with the published figures of its standard, \
         per direction, after line encoding, computed from the raw rate, the \
         encoding and the lanes (Fibre Channel states its payload directly). \
         Gb/s and GT/s count what is on the wire, MB/s and GB/s the payload: \
         8b/10b keeps 80 % of the line rate, 128b/130b 98.5 %.\n\n\
         ### Bus presets\n\n{}\n\
         ### Memory presets\n\n\
         `memory PRESET {{ … }}` on a CPU names its memory type. The figure is \
         one channel's: 8 bytes × transfers per second (a DDR5 channel is two \
         32-bit subchannels). A channel takes at most 3 DDR4 or 2 DDR5 DIMMs; \
         more is an error.\n\n{}\n",
        tables::bus_presets_table(),
        tables::memory_presets_table()
    )
}

const PHYSICAL: &str = "\
The figures below are what the properties mean and what a design should
plan for. Typical figures are defaults to write where a data sheet is
silent, never limits.

- **Circuits.** A feed's `circuit`, a power source's `capacity` and a rack's
  `power` are a current at a voltage, a real power (`W`) or an apparent
  power (`VA`). A single-phase circuit carries V × A: 30 A at 208 V is
  6,240 VA. With `phases 3` it carries √3 × V × A, V being the line-to-line
  voltage: 32 A at 400 V is 22,170 VA, 30 A at 208 V 10,808 VA.
- **Continuous load.** A breaker is planned at 80 % of its rating for a
  continuous load (24 A on a 30 A circuit): above it is a warning, above
  100 % an error. `rated 100%` marks a breaker rated for full load, or a
  contract figure, which has no such margin.
- **Two feeds.** Where devices split their load over feeds A and B, either
  feed must carry all of it when the other fails, so in normal operation
  each runs at no more than half of what it may carry (40 % of its rating).
- **Draw.** A device draws a power in W or VA, or a current in A that is
  converted with the rack's voltage. W is VA × power factor; server power
  supplies run at 0.95 to 0.99 under load.
- **Heat.** Every watt drawn becomes a watt of heat (3.412 BTU/h) that the
  rack's position must remove: its `cooling`.
- **Racks.** A rack is 19 inches wide (a 482.6 mm panel); one unit (1U) is
  1.75 in, 44.45 mm; common heights are 42U, 45U, 47U and 48U. Its
  `max-weight` is a static load rating that the devices and its own
  `weight` must stay under.
- **Drives** (sustained sequential figures): a 7200 rpm disk moves 150–280
  MB/s at 80–200 random IOPS; a SATA SSD about 550 MB/s, bounded by SATA 3;
  an NVMe SSD about 3.5 GB/s on PCIe 3.0 x4, 7 GB/s on PCIe 4.0 x4 and
  14 GB/s on PCIe 5.0 x4. A NIC moves its ports × their speed.
- **Memory.** DDR4 takes at most three DIMMs per channel, DDR5 two. A DIMM
  sold as 32GB holds 32 GiB (34,359,738,368 bytes).
- **Distance.** Light in fibre covers about 200,000 km/s: 5 µs per km one
  way, 1 ms round trip per 100 km. A synchronous replication pays that on
  every commit.
- **Oversubscription.** A switch's downlink capacity over its uplink
  capacity; 3:1 is a common ceiling, 1:1 is non-blocking.
- **Bottlenecks.** A dual-port 100 GbE NIC moves 2 × 12.5 GB/s = 25 GB/s;
  in a PCIe 3.0 x8 slot (about 7.88 GB/s) it is held to a third. Four NVMe
  drives behind a chipset share its DMI 3.0 link of about 3.94 GB/s.
";

const FAILURE_MODEL: &str = "\
The rules about availability (`spof`, `ha-same-domain`, `unreachable`,
`dr-failover`, `capacity-n1` and others) and `topo impact` share one model
of what fails with what.

**What can fail.** Every device, vm, rack, feed, power source and
`fault-domain`, and every site when the project declares more than one. A
`redundant` device is not a candidate itself: a fault-tolerant box survives
the loss of any one part, so its single parts are reported instead
(`redundant-part`).

**What fails with what.** A device fails with its rack (a device in no rack,
with its site), with every fault domain holding it or its rack, and when
every feed its power supplies connect to has failed: the feeds it names
with `feeds`, else the first N of its rack's feeds with `psu N`, else all of
them (a device that does not state `psu` is not assumed to have only one).
A feed fails with its site and with the power source it draws `from`; a
source with its site and its own `from`, up the tree. A vm fails with a
fault domain holding it, and with its host unless its `failover` host is
up. An instance of a service fails with its host and with its `storage`
device, and, where the project declares links, when its host cannot reach
that device over Ethernet or Fibre Channel.

**Which instances serve.** A flow is followed hop by hop. The first hop
after a client or CDN is served by its up instances that outside traffic
reaches: directly, or where the site declares `entry` devices, over a path
from an up entry device. A flow that starts at a service starts inside.
Each next hop is served by its up instances that a serving instance of the
hop before reaches over Ethernet (where the project declares links). For
`ha active-standby` only the active member serves: the first member that
is up, even when it is cut off from its callers (a partition is not a
failover). For `ha quorum` only the members that a member reaching a
majority of them reaches serve. For a sharded service, host j (from 0)
holds shard j mod N and every shard needs its own serving instance. A hop
needs one serving instance, or ⌈`load` ÷ `capacity`⌉ of them when both are
given (per shard, its weight of the load).

**Paths.** Ethernet (`GbE`, b/s, B/s, or no speed) and Fibre Channel
(`GFC`) are separate networks. Requests, name resolution and replication
use Ethernet; a `storage` dependency either. Only switches, routers,
firewalls and load balancers forward: any other device starts or ends a
path but is never crossed.

**What keeps working.** A flow works while every hop of every request path
has enough serving instances; the first hop after a client also needs a
`dns` that resolves it to be up (where any `dns` resolves it).

**DR take-over.** When a site backed by a DR site fails, each hop it stops
is replaced by the service that takes it over at the DR site (`takes-over`,
else a `replicate` target there), and the flow is evaluated again. A flow
that then works is reported by `dr-failover` (with the RTO and RPO it
relies on) instead of `spof`, and `ha-same-domain` does not report that
site for the services taken over.

**How the rules read it.** `spof` fails each candidate alone and reports
every one that stops a flow, once per element, naming each flow it stops
and why. `ha-same-domain` looks for one candidate that takes down every
member of an `ha` service (a vm failover counts as an outage).
`unreachable` finds hops without serving instances when nothing has
failed. `capacity-n1` takes one instance away from a service with a
`load`. `topo impact FILE ELEMENT...` fails the named elements together and
lists the devices, vms, services (down, or serving with fewer instances)
and flows that go with them. The model is computed once for every rule,
and stays near-linear in the size of the project.

**Overload cascades (`topo impact`).** When the named elements fail, their
load moves onto the feeds and power sources that survive (the load model
of `power-capacity`; devices that are down draw nothing, and a failed site
takes its feeds and sources with it). A survivor that now carries above
100 % of its capacity, with more than it carries with nothing failed,
trips, and its load moves again. Trips go downstream before upstream, as
breakers are coordinated: in each round every overloaded feed trips; only
when no feed is overloaded do overloaded sources trip, and only those with
no overloaded source below them (the one below may unload it). The loads
are then computed again, and a round that trips nothing ends the cascade.
What a tripped feed or source takes down fails with the named elements;
the output lists each trip first (its load, its capacity, the percentage
and what had failed before it; in JSON `tripped`, with `load` and
`capacity` in VA, `percent`, `after` and `round`, empty when nothing
trips), and a device that loses power says which of its feeds failed and
which tripped. `check` does not follow cascades: `power-capacity` reports
the overload itself.

An `allow RULE` inside a declaration silences that rule's findings about the
element; at the top level, in the whole file. `allow spof` on a flow accepts
its single points of failure.
";

fn rules() -> String {
    let mut out = String::from(
        "Each rule has a default severity that `topo.toml` and the command line \
         may change; [rules.md](rules.md) has what each one checks, why, an \
         example and the fix.\n\n| rule | default | fires when |\n|---|---|---|\n",
    );
    for rule in RULES {
        let _ = writeln!(
            out,
            "| [{}](rules.md#{}) | {} | {} |",
            code(rule.name),
            anchor(rule.name),
            rule.severity,
            cell(rule.summary)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_separated() {
        assert_eq!(thousands(100_000), "100,000");
        assert_eq!(thousands(2_000_000), "2,000,000");
        assert_eq!(thousands(999), "999");
    }

    #[test]
    fn every_kind_and_property_is_in_the_reference() {
        let text = reference();
        for kind in crate::model::schema::kinds() {
            assert!(text.contains(&code(kind.keyword)), "{}", kind.keyword);
            for p in kind.properties {
                assert!(text.contains(&code(p.name)), "{}.{}", kind.keyword, p.name);
            }
        }
    }
}
