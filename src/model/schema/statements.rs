//! Top-level statements and device kinds.

use super::devices::MODEL_PROPERTIES;
use super::{choice, count, form, prop, quantity, Kind, Place, Property, Shape, Target, ALLOW};
use crate::model::units::Dimension;

const fn statement(
    keyword: &'static str,
    form: &'static str,
    summary: &'static str,
    example: &'static str,
    properties: &'static [Property],
) -> Kind {
    Kind {
        keyword,
        place: Place::TopLevel,
        form,
        summary,
        example,
        properties,
        since_v2: false,
    }
}

const fn v2(mut kind: Kind) -> Kind {
    kind.since_v2 = true;
    kind
}

const CIRCUIT: &str = "CURRENT at VOLTAGE | POWER | APPARENT-POWER";
const SITE_OF: Property = prop(
    "site",
    Shape::Ref(Target::Site),
    "The site this element stands in.",
    "site tokyo",
);
const PHASES: Property = prop(
    "phases",
    count("a number of phases (1 or 3)", 1, 3),
    "3 for a three-phase circuit: its capacity is √3 × the line-to-line voltage × the current.",
    "phases 3",
)
.default("1")
.v2();

pub static STATEMENTS: &[Kind] = &[
    statement(
        "site",
        "site NAME { … }",
        "A place: a data centre, a colocation cage, a DR site or an edge site.",
        "site osaka { role dr; backs tokyo }",
        &[
            prop(
                "role",
                choice("a site role", &["primary", "secondary", "dr", "edge"]),
                "What the site is for: a DR site takes over a site it backs, an edge site sends its data upstream.",
                "role dr",
            ),
            prop(
                "backs",
                Shape::Ref(Target::Site),
                "The site this DR site takes over when that site fails.",
                "backs tokyo",
            ),
            prop(
                "upstream",
                Shape::Ref(Target::Site),
                "The central site an edge site sends its flows to.",
                "upstream tokyo",
            ),
            prop(
                "uplink",
                quantity(Dimension::Bandwidth, "a bandwidth"),
                "The bandwidth of an edge site's connection upstream.",
                "uplink 200Mb/s",
            ),
            prop(
                "entry",
                Shape::Refs(Target::Device),
                "The devices (firewalls, load balancers, routers) that outside traffic enters the site through.",
                "entry fw1 fw2",
            )
            .v2(),
            ALLOW,
        ],
    ),
    statement(
        "feed",
        "feed NAME { … }",
        "A branch circuit that racks draw from; each feed is a fault domain.",
        "feed tokyo-a { site tokyo; circuit 30A at 208V }",
        &[
            SITE_OF,
            prop(
                "circuit",
                form(CIRCUIT),
                "The circuit's rating: a current at a voltage, or a power.",
                "circuit 30A at 208V",
            ),
            PHASES,
            prop(
                "rated",
                quantity(Dimension::Ratio, "a rating (`100%`)"),
                "`rated 100%` marks a 100 %-rated breaker or a contract figure: no 80 % continuous-load derating.",
                "rated 100%",
            )
            .default("80 % continuous load")
            .v2(),
            prop(
                "from",
                Shape::Ref(Target::Power),
                "The power source (panel, UPS …) this feed draws from.",
                "from panel-a",
            )
            .v2(),
            ALLOW,
        ],
    ),
    v2(statement(
        "power",
        "power NAME { … }",
        "A power source upstream of feeds: the utility, a generator, a UPS or a panel. Sources form a tree.",
        "power ups-a { site tokyo; kind ups; capacity 160kW; from util-a }",
        &[
            SITE_OF,
            prop(
                "kind",
                choice("a kind of power source", &["utility", "generator", "ups", "panel"]),
                "What the source is.",
                "kind ups",
            ),
            prop(
                "capacity",
                form(CIRCUIT),
                "What the source can deliver: V × A (√3 × V × A with `phases 3`), or a figure in W or VA.",
                "capacity 400A at 208V",
            ),
            PHASES,
            prop(
                "from",
                Shape::Ref(Target::Power),
                "The source this one draws from; without it the source is a root.",
                "from util-a",
            ),
            ALLOW,
        ],
    )),
    statement(
        "rack",
        "rack NAME { … }",
        "A rack: its height, its feeds, its weight rating and power limit.",
        "rack t1 { site tokyo; height 42U; feeds tokyo-a tokyo-b; max-weight 1000kg }",
        &[
            SITE_OF,
            prop(
                "height",
                quantity(Dimension::RackUnits, "a height in U"),
                "The rack's height in rack units.",
                "height 42U",
            )
            .default("42U"),
            prop(
                "feeds",
                Shape::Refs(Target::Feed),
                "The power feeds the rack draws from.",
                "feeds tokyo-a tokyo-b",
            ),
            prop(
                "max-weight",
                quantity(Dimension::Mass, "a mass"),
                "The rack's static load rating.",
                "max-weight 1000kg",
            ),
            prop(
                "weight",
                quantity(Dimension::Mass, "a mass"),
                "The empty rack's own weight.",
                "weight 120kg",
            ),
            prop(
                "power",
                form(CIRCUIT),
                "A power limit of the rack's own: a contract figure or what its position allows.",
                "power 5kW",
            ),
            prop(
                "voltage",
                quantity(Dimension::Voltage, "a voltage"),
                "The voltage that converts draws given in A to watts.",
                "voltage 230V",
            ),
            prop(
                "airflow",
                choice("a rack airflow", &["front-to-rear", "rear-to-front"]),
                "The direction cooling air runs through the rack.",
                "airflow front-to-rear",
            ),
            prop(
                "cooling",
                quantity(Dimension::Power, "a cooling capacity (`12kW`)"),
                "The heat the rack's position can remove; every watt drawn becomes heat.",
                "cooling 12kW",
            )
            .v2(),
            ALLOW,
        ],
    ),
    statement(
        "model",
        "model NAME [: PARENT] { … }",
        "A reusable device type, as a vendor's spec sheet states it; devices and other models take it after `:`.",
        "model r650 { size 1U; draw 500W; psu 2; nic nic0 { ports 2 x 25GbE } }",
        MODEL_PROPERTIES,
    ),
    statement(
        "vm",
        "vm NAME on HOST { … }",
        "A virtual machine on a host; it fails with its host unless its failover host is up.",
        "vm app-vm[1..2] on host1 { failover host2; ram 32GB }",
        &[
            prop(
                "failover",
                Shape::Ref(Target::Device),
                "The host the VM restarts on when its own host fails.",
                "failover host2",
            ),
            prop(
                "ram",
                quantity(Dimension::Size, "a memory size"),
                "The memory the VM needs.",
                "ram 32GB",
            ),
            ALLOW,
        ],
    ),
    statement(
        "tier",
        "tier NAME { … }",
        "A layer of services; tiers are declared top to bottom.",
        "tier web { role presentation }",
        &[
            prop(
                "role",
                choice(
                    "a tier role",
                    &["presentation", "application", "cache", "data"],
                ),
                "What the tier does; several tiers may share a role, and coupling is judged by role.",
                "role presentation",
            ),
            ALLOW,
        ],
    ),
    statement(
        "service",
        "service NAME on HOST... { … }",
        "A service: one instance on each host after `on`.",
        "service shop-web on web[1..4] { tier web; calls shop-ap; capacity 1000rps }",
        SERVICE_PROPERTIES,
    ),
    statement(
        "dns",
        "dns NAME on HOST... { … }",
        "A service that resolves names: flows that enter the services it resolves need it up.",
        "dns ns on dns[1..2] { resolves shop-web }",
        DNS_PROPERTIES,
    ),
    statement(
        "client",
        "client NAME { … }",
        "Where requests come from, outside the project's sites.",
        "client pos { software pos-terminal \"4.2\" }",
        &[
            prop(
                "browser",
                Shape::Flag,
                "A thin client: a web browser.",
                "browser",
            ),
            prop(
                "software",
                form("NAME [\"VERSION\"]"),
                "A fat client: software installed on the client's machine.",
                "software pos-terminal \"4.2\"",
            ),
            ALLOW,
        ],
    ),
    statement(
        "cdn",
        "cdn NAME { … }",
        "An external cache in front of an origin service, with no hosts of its own.",
        "cdn assets-cdn { origin shop-web; pops 40 }",
        &[
            prop(
                "origin",
                Shape::Ref(Target::Service),
                "The service the CDN fetches from.",
                "origin shop-web",
            ),
            prop(
                "pops",
                count("a number of points of presence", 1, u32::MAX as u64),
                "The CDN's points of presence.",
                "pops 40",
            ),
            ALLOW,
        ],
    ),
    statement(
        "flow",
        "flow NAME { HOP -> HOP ...; … }",
        "A user-visible flow: one or more request paths, each a chain of hops joined by `->`.",
        "flow checkout { browser -> shop-web -> shop-ap -> shop-db; content dynamic; rate 800rps }",
        &[
            prop(
                "->",
                form("HOP -> HOP [-> HOP...]"),
                "A request path; the flow works only while every path works.",
                "browser -> shop-web -> shop-db",
            )
            .repeats(),
            prop(
                "content",
                choice(
                    "a content class",
                    &["static", "dynamic", "results", "raw"],
                ),
                "What the flow carries.",
                "content dynamic",
            ),
            prop(
                "rate",
                quantity(Dimension::RateOrBandwidth, "a request rate or bandwidth"),
                "How much the flow carries: requests per second or a bandwidth.",
                "rate 800rps",
            ),
            ALLOW,
        ],
    ),
    statement(
        "partition",
        "partition NAME { … }",
        "The services of one independent copy of a system (a cell, a pod).",
        "partition east { services web-e ap-e db-e }",
        &[
            prop(
                "services",
                Shape::Refs(Target::Service),
                "The services in this partition.",
                "services web-e ap-e db-e",
            )
            .repeats(),
            ALLOW,
        ],
    ),
    statement(
        "replicate",
        "replicate SERVICE to SERVICE { … }",
        "Replication of a stateful service to another (usually at a DR site), which takes it over.",
        "replicate shop-db to shop-db-dr { mode async; rpo 5m; rto 30m }",
        &[
            prop(
                "mode",
                choice("a replication mode", &["sync", "async"]),
                "Synchronous (every commit waits) or asynchronous.",
                "mode async",
            ),
            prop(
                "rpo",
                quantity(
                    Dimension::Duration,
                    "a recovery point objective (a duration)",
                ),
                "The recovery point objective: how much data may be lost.",
                "rpo 5m",
            ),
            prop(
                "rto",
                quantity(
                    Dimension::Duration,
                    "a recovery time objective (a duration)",
                ),
                "The recovery time objective: how long take-over may take.",
                "rto 30m",
            ),
            prop(
                "write-rate",
                quantity(Dimension::Bandwidth, "a bandwidth"),
                "How fast the source writes: an async replication needs a path that carries it.",
                "write-rate 200MB/s",
            )
            .v2(),
            ALLOW,
        ],
    ),
    statement(
        "link",
        "link DEVICE... to DEVICE... { … }",
        "Cables from every device on the left (downstream) to every device on the right (upstream).",
        "link web[1..4] to tor1 tor2 { speed 25GbE }",
        &[
            prop(
                "speed",
                quantity(Dimension::Bandwidth, "a port speed (`25GbE`)"),
                "The speed of one cable: GbE or b/s is Ethernet, GFC is Fibre Channel.",
                "speed 25GbE",
            ),
            prop(
                "count",
                count("a number of cables", 1, u32::MAX as u64),
                "Parallel cables between each pair (a LAG); the link carries speed × count.",
                "count 2",
            )
            .default("1")
            .v2(),
            prop(
                "distance",
                quantity(Dimension::Length, "a length"),
                "The cable's length; light in fibre takes 5 µs per km one way.",
                "distance 400km",
            )
            .v2(),
            ALLOW,
        ],
    ),
    v2(statement(
        "fault-domain",
        "fault-domain NAME { … }",
        "Elements that fail as one: a switch stack, a chassis, an availability zone.",
        "fault-domain tor-stack1 { members tor1 tor2 }",
        &[
            prop(
                "members",
                Shape::Refs(Target::Member),
                "The devices, vms and racks that fail together.",
                "members tor1 tor2",
            )
            .required(),
            ALLOW,
        ],
    )),
    statement(
        "allow",
        "allow RULE...",
        "At top level, silences the named rules' findings in this file.",
        "allow bus-bottleneck",
        &[],
    ),
    statement(
        "include",
        "include \"PATH\"",
        "Reads another `.topo` file of the project, relative to this one; each file once.",
        "include \"models/dell.topo\"",
        &[],
    ),
];

const SERVICE_COMMON: [Property; 16] = [
    prop(
        "tier",
        Shape::Ref(Target::Tier),
        "The tier the service belongs to.",
        "tier web",
    ),
    prop(
        "calls",
        Shape::Refs(Target::Service),
        "The services this one sends requests to.",
        "calls shop-ap",
    )
    .repeats(),
    prop(
        "load",
        quantity(Dimension::RequestRate, "a request rate (`3000rps`)"),
        "The service's total load; without it, the sum of its flows' rates.",
        "load 3000rps",
    ),
    prop(
        "capacity",
        quantity(
            Dimension::RequestRate,
            "a request rate per instance (`1000rps`)",
        ),
        "What one instance can serve.",
        "capacity 1000rps",
    ),
    prop(
        "pool",
        form("SERVICE N"),
        "A connection pool of N connections from each instance to a service.",
        "pool shop-db 60",
    )
    .repeats(),
    prop(
        "stateful",
        Shape::Flag,
        "The service keeps data: it needs a replica at a DR site.",
        "stateful",
    ),
    prop(
        "ha",
        choice("an HA mode", &["active-standby", "active-active", "quorum"]),
        "How instances share the work: one active member, all of them, or a majority.",
        "ha active-standby",
    ),
    prop(
        "max-connections",
        count("a connection limit", 1, u32::MAX as u64),
        "The most connections the service accepts.",
        "max-connections 100",
    ),
    prop(
        "cache",
        quantity(Dimension::Size, "a cache size"),
        "An in-memory cache that must fit in each host's memory.",
        "cache 64GB",
    ),
    prop(
        "storage",
        Shape::Ref(Target::Device),
        "The storage device the service's data lives on.",
        "storage san-array1",
    ),
    prop(
        "shard",
        Shape::Block("shard"),
        "Splits the data by a key over the hosts: host j holds shard j mod N.",
        "shard by customer-id { weights 25% 25% 35% 15% }",
    ),
    prop(
        "process-model",
        form("prefork|threaded|event"),
        "How the server handles requests (informational).",
        "process-model prefork",
    ),
    prop(
        "workers",
        count("a number of workers", 1, u32::MAX as u64),
        "Worker processes per instance (informational).",
        "workers 256",
    ),
    prop(
        "threads",
        count("a number of threads", 1, u32::MAX as u64),
        "Threads per instance (informational).",
        "threads 200",
    ),
    prop(
        "takes-over",
        Shape::Ref(Target::Service),
        "At a DR site: the primary service this one replaces when the primary site fails.",
        "takes-over shop-db",
    )
    .v2(),
    ALLOW,
];

static SERVICE_PROPERTIES: &[Property] = &SERVICE_COMMON;

static DNS_PROPERTIES: &[Property] = &{
    let mut all = [ALLOW; 17];
    let mut i = 0;
    while i < SERVICE_COMMON.len() {
        all[i] = SERVICE_COMMON[i];
        i += 1;
    }
    all[16] = prop(
        "resolves",
        Shape::Refs(Target::Resolvable),
        "The services and CDNs whose names this dns resolves.",
        "resolves shop-web",
    )
    .repeats();
    all
};
