//! What a statement means beyond its one-line summary: the ideas a user
//! needs to write it well. Shown in the reference under the statement and
//! by `topo explain`.

/// The note on the statement or part with this keyword, if it has one.
pub fn note(keyword: &str) -> Option<&'static str> {
    NOTES.iter().find(|(k, _)| *k == keyword).map(|(_, n)| *n)
}

const NOTES: &[(&str, &str)] = &[
    (
        "site",
        "A `dr` site `backs` another: its services take over when that site \
fails, and every stateful service of the backed site needs a replica there. \
An `edge` site (a plant, a shop) sends its data `upstream` over an `uplink` \
of limited bandwidth. Where a site names its `entry` devices, traffic from \
outside reaches the site's services only through one of them.",
    ),
    (
        "power",
        "Sources form a tree: a feed or source names the one it draws from with \
`from`; one without `from` is a root, a cycle is an error, and a chain is at \
most 64 sources deep. A source's load is the sum of what draws from it; its \
`capacity` is V × A, √3 × V × A with `phases 3` (V line-to-line), or a figure in \
W or VA taken as VA. `power-capacity` checks it in normal operation and after \
any single feed or source fails.",
    ),
    (
        "feed",
        "A feed is a branch circuit, and a fault domain: when it fails, every \
device that draws only from it loses power. A feed may be listed by several \
racks; its load is the sum over all of them. Its `circuit` is planned at 80 % \
for continuous load unless it is `rated 100%`.",
    ),
    (
        "rack",
        "A rack is checked against two limits, both in VA: each of its feeds \
(V × A, √3 × V × A on three phases) carrying the rack in normal operation and \
after any other feed of the rack fails, and its own `power` where given. A \
draw in A converts at the device's voltage: the rack's `voltage`, else the one \
voltage of its single-phase feeds; a rack whose feeds have different voltages, \
or whose only voltage is a three-phase feed's, needs `voltage` for draws in A. \
A rack lists at most 64 feeds.",
    ),
    (
        "model",
        "A device built from a model (`server web1 : r650`) takes everything the \
model states, and what it writes itself overrides it, property by property \
and part by part. A model may be built on another model the same way.",
    ),
    (
        "vm",
        "A vm runs on exactly one host and fails with it unless its `failover` \
host, where it restarts, is up. A failover host in the same rack does not \
survive the rack's failure.",
    ),
    (
        "tier",
        "Tiers are levels in the order they are declared, top first. A call or a \
flow hop goes down the tiers: skipping one (web calls the database) or going \
up is reported. Several tiers may share a role; the presentation tier is the \
one with `role presentation`, else the first.",
    ),
    (
        "service",
        "A service runs one instance on each host after `on` (devices or vms). \
It is up while it has one instance up, or ⌈`load` ÷ `capacity`⌉ of them when \
both are given; its load is `load`, else the rates of the flows through it. \
With `ha active-standby` only one member serves at a time, with \
`active-active` all of them, with `quorum` only while more than half are up. \
A `pool` is opened by each instance, so a caller with 4 instances and `pool \
db 60` opens 240 connections. With `shard by KEY`, the weights split the data \
and host j (counting from 0 in the order of `on`) holds shard j mod N.",
    ),
    (
        "dns",
        "A `dns` is a service whose instances resolve names. A flow that enters \
a service from a client needs an up `dns` that resolves that service (or the \
CDN in front of it).",
    ),
    (
        "client",
        "A client is where requests start, outside every site: a `browser` (a \
thin client) or installed `software` (a fat client, which every change has to \
reach).",
    ),
    (
        "cdn",
        "A CDN serves cached content from its points of presence and fetches the \
rest from its `origin`, which belongs in the presentation tier.",
    ),
    (
        "flow",
        "Each line with `->` is one request path (a page is many requests); the \
flow works only while every path works. A hop is a client, a service or a \
CDN. `rate` is requests per second or a bandwidth; a service's load adds up \
the request rates of the flows through it.",
    ),
    (
        "partition",
        "Partitions are independent copies of a system (cells, pods): a failure \
or overload in one stays there. A service listed in several partitions, or \
called from several, is a shared layer that couples them.",
    ),
    (
        "replicate",
        "The target takes the source over when the source's site fails. `sync` \
makes every commit wait for the target, so no data is lost but every commit \
pays the round trip; `async` loses what was not yet sent, which `rpo` bounds.",
    ),
    (
        "link",
        "Every device on the left is cabled to every device on the right: the \
left side is downstream (servers to their top-of-rack switches, those to the \
spine). A link carries its `speed` × `count`. A speed in `GbE` or b/s makes \
it Ethernet, in `GFC` Fibre Channel; the two are separate networks, and no \
path mixes them. Only switches, routers, firewalls and load balancers carry \
traffic through them; other devices are where paths start and end. A link's \
end may be a part: `db1.nic0`.",
    ),
    (
        "fault-domain",
        "When a fault domain fails, every member fails with it: the devices of \
a switch stack, the blades of a chassis, the racks of an availability zone.",
    ),
    (
        "allow",
        "`allow RULE` at the top level silences the rule's findings in this \
file; inside a declaration or a part, about that element (in a model, about \
every device built from it). Naming no rule is an error, and an `allow` that \
silences nothing is reported.",
    ),
    (
        "include",
        "An include is read relative to the file that names it, once however \
often it is named, and before that file. It must stay inside the project's \
root (the directory of the first file given, or `--root DIR`) and name a \
regular `.topo` file. Every top-level name lives in one namespace across all \
the files.",
    ),
    (
        "cpu",
        "A server's memory is the sum over its CPUs of their DIMMs × \
`dimm-size` (or their `memory SIZE`). A second socket is joined to the first \
by `bus upi to cpu0`; that link is not part of the bus tree.",
    ),
    (
        "disk",
        "A disk moves its `throughput`, capped by its own bus: an NVMe drive on \
`sata3` is held to 600 MB/s, and counts as such further up the tree.",
    ),
    (
        "controller",
        "A write-back cache acknowledges writes before they reach the disks, so \
it needs `protection` (a battery or flash) to keep them across a power loss.",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::schema::kinds;

    #[test]
    fn every_note_is_about_a_keyword() {
        for (keyword, _) in NOTES {
            assert!(kinds().any(|k| k.keyword == *keyword), "{keyword}");
        }
    }
}
