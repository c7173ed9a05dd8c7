//! Parts inside a model or device, and the blocks nested in properties.

use super::{prop, Kind, Place, Property, Shape, ALLOW};
use crate::model::units::Dimension;

const BUS: Property = prop(
    "bus",
    Shape::Form {
        syntax: "PRESET [xN] [RATE] [links N] to PARENT | width W rate R to PARENT | width W period T to PARENT | bandwidth B to PARENT",
    },
    "The bus the part hangs off and what it hangs off: a CPU or another part. Without it, the first CPU.",
    "bus pcie4 x8 to cpu0",
);

const fn part(
    keyword: &'static str,
    summary: &'static str,
    example: &'static str,
    properties: &'static [Property],
) -> Kind {
    Kind {
        keyword,
        place: Place::Part,
        form: "KIND NAME { … }",
        summary,
        example,
        properties,
        since_v2: false,
    }
}

const fn throughput(summary: &'static str, example: &'static str) -> Property {
    prop(
        "throughput",
        Shape::Quantity {
            dimension: Dimension::Bandwidth,
            what: "a bandwidth",
        },
        summary,
        example,
    )
}

const fn ports(summary: &'static str, example: &'static str) -> Property {
    prop(
        "ports",
        Shape::Form {
            syntax: "N x SPEED [N x SPEED...]",
        },
        summary,
        example,
    )
}

pub static PARTS: &[Kind] = &[
    part(
        "cpu",
        "A processor socket: its cores, its memory and, for a second socket, the UPI link to the first.",
        "cpu cpu[0..1] { cores 32; memory ddr4-3200 { channels 8; dimms 1 1 1 1 1 1 1 1 } }",
        &[
            prop(
                "cores",
                Shape::Count {
                    what: "a number of cores",
                    min: 1,
                    max: u32::MAX as u64,
                },
                "The number of cores.",
                "cores 32",
            ),
            prop(
                "memory",
                Shape::Form {
                    syntax: "PRESET { … } | SIZE",
                },
                "The socket's memory: a DDR preset with its channels and DIMMs, or just a size where the channels are unknown.",
                "memory ddr5-4800 { channels 8; dimms 1 1 1 1 1 1 1 1; dimm-size 32GB }",
            ),
            BUS,
            ALLOW,
        ],
    ),
    part(
        "chipset",
        "A platform controller hub, attached to a CPU by DMI.",
        "chipset pch { bus dmi3 to cpu0 }",
        &[BUS, ALLOW],
    ),
    part(
        "nic",
        "A network card with Ethernet ports.",
        "nic nic0 { ports 2 x 25GbE; bus pcie4 x8 to cpu0 }",
        &[
            ports(
                "The card's Ethernet ports, in one or more groups.",
                "ports 2 x 25GbE",
            ),
            BUS,
            ALLOW,
        ],
    ),
    part(
        "disk",
        "A drive: its medium, throughput and IOPS.",
        "disk nvme[0..1] { nvme; throughput 7GB/s; bus pcie4 x4 to cpu1 }",
        &[
            prop("hdd", Shape::Flag, "A spinning disk.", "hdd"),
            prop("ssd", Shape::Flag, "A SATA or SAS solid-state drive.", "ssd"),
            prop("nvme", Shape::Flag, "An NVMe solid-state drive.", "nvme"),
            throughput(
                "What the drive can read or write per second.",
                "throughput 7GB/s",
            ),
            prop(
                "iops",
                Shape::Count {
                    what: "a number of I/O operations per second",
                    min: 0,
                    max: u64::MAX,
                },
                "I/O operations per second.",
                "iops 1000000",
            ),
            BUS,
            ALLOW,
        ],
    ),
    part(
        "controller",
        "A storage (RAID) controller with its cache.",
        "controller raid0 { cache 8GB write-back; protection flash; bus pcie3 x8 to cpu0 }",
        &[
            prop(
                "cache",
                Shape::Form {
                    syntax: "SIZE write-back|write-through",
                },
                "The controller's cache and its write mode.",
                "cache 8GB write-back",
            ),
            prop(
                "protection",
                Shape::Choice {
                    what: "a cache protection",
                    words: &["battery", "flash", "none"],
                },
                "What keeps a write-back cache across a power loss.",
                "protection flash",
            ),
            BUS,
            ALLOW,
        ],
    ),
    part(
        "hba",
        "A Fibre Channel host bus adapter.",
        "hba hba0 { ports 2 x 32GFC; bus pcie4 x8 to cpu0 }",
        &[
            ports(
                "The adapter's Fibre Channel ports, in one or more groups.",
                "ports 2 x 32GFC",
            ),
            BUS,
            ALLOW,
        ],
    ),
    part(
        "card",
        "Any other card: a GPU, an accelerator, a capture card.",
        "card gpu0 { throughput 64GB/s; bus pcie5 x16 to cpu0 }",
        &[
            throughput(
                "What the card moves over its bus; without it the card adds nothing to bus sums.",
                "throughput 64GB/s",
            ),
            BUS,
            ALLOW,
        ],
    ),
    Kind {
        since_v2: true,
        ..part(
            "bridge",
            "A PCIe switch or bridge: it carries what sits behind it and adds nothing of its own.",
            "bridge plx0 { bus pcie4 x16 to cpu0 }",
            &[BUS, ALLOW],
        )
    },
];

/// Blocks opened by a property rather than a declaration.
pub static BLOCKS: &[Kind] = &[
    Kind {
        keyword: "memory",
        place: Place::Nested,
        form: "memory PRESET { … }",
        summary: "A CPU's memory: its type, channels and DIMMs. The host's memory is the sum of its DIMMs.",
        example: "memory ddr4-3200 { channels 8; dimms 1 1 1 1 1 1 1 1; dimm-size 32GB }",
        properties: &[
            prop(
                "channels",
                Shape::Count {
                    what: "a number of channels",
                    min: 1,
                    max: u32::MAX as u64,
                },
                "Memory channels of the socket.",
                "channels 8",
            ),
            prop(
                "dimms",
                Shape::Form { syntax: "N..." },
                "DIMMs in each channel, one number per channel.",
                "dimms 1 1 1 1 1 1 1 1",
            ),
            prop(
                "dimm-size",
                Shape::Quantity {
                    dimension: Dimension::Size,
                    what: "a DIMM size",
                },
                "The size of each DIMM; GB and TB here are JEDEC sizes (a 32GB DIMM holds 32 GiB).",
                "dimm-size 32GB",
            ),
        ],
        since_v2: false,
    },
    Kind {
        keyword: "shard",
        place: Place::Nested,
        form: "shard by KEY { … }",
        summary: "Splits a service's data by a key: the number of weights is the number of shards.",
        example: "shard by customer-id { weights 25% 25% 35% 15% }",
        properties: &[prop(
            "weights",
            Shape::Form { syntax: "PERCENT..." },
            "Each shard's share of the data and load.",
            "weights 25% 25% 35% 15%",
        )],
        since_v2: false,
    },
];
