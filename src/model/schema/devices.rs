//! Device kinds and the properties of models and devices.

use super::{choice, count, form, prop, quantity, Kind, Place, Property, Shape, Target, ALLOW};
use crate::model::units::Dimension;

const DEVICE_COMMON: [Property; 21] = [
    prop(
        "size",
        quantity(Dimension::RackUnits, "a size in U"),
        "The device's height in rack units.",
        "size 2U",
    ),
    prop(
        "draw",
        quantity(Dimension::CurrentOrPower, "a power or current"),
        "What the device draws: W (converted with the power factor), VA, or A at the rack's voltage.",
        "draw 500W",
    ),
    prop(
        "weight",
        quantity(Dimension::Mass, "a mass"),
        "The device's weight.",
        "weight 19.9kg",
    ),
    prop(
        "psu",
        count("a number of power supplies", 1, u32::MAX as u64),
        "Power supplies: they connect to the first N feeds of the rack.",
        "psu 2",
    ),
    prop(
        "fan",
        count("a number of fans", 0, u32::MAX as u64),
        "The number of fans.",
        "fan 6",
    ),
    prop(
        "redundant",
        Shape::Flag,
        "A fault-tolerant box: every part in it is expected in two or more.",
        "redundant",
    ),
    prop(
        "ports",
        form("N x SPEED [N x SPEED...]"),
        "The device's own network ports, in one or more groups.",
        "ports 48 x 25GbE 8 x 100GbE",
    ),
    prop(
        "airflow",
        choice(
            "an airflow",
            &[
                "front-to-rear",
                "rear-to-front",
                "left-to-right",
                "right-to-left",
                "side-to-rear",
                "rear-to-side",
                "bottom-to-top",
                "top-to-bottom",
                "passive",
                "mixed",
            ],
        ),
        "The direction the device moves cooling air.",
        "airflow front-to-rear",
    ),
    prop(
        "power-factor",
        quantity(Dimension::Count, "a power factor (0 to 1)"),
        "Real over apparent power of the supplies: a draw in W is W ÷ power factor in VA.",
        "power-factor 0.95",
    )
    .default("1.0")
    .v2(),
    prop(
        "depth",
        choice("a depth", &["full", "half"]),
        "A half-depth device takes its U on one face only.",
        "depth half",
    )
    .default("full")
    .v2(),
    prop(
        "ram",
        quantity(Dimension::Size, "a memory size"),
        "The host's memory when it declares no CPUs with memory.",
        "ram 768GB",
    )
    .v2(),
    prop(
        "oversubscription",
        quantity(Dimension::Count, "a ratio like `5` (meaning 5:1)"),
        "The downlink-to-uplink ratio this switch is designed for (default 3:1).",
        "oversubscription 5",
    )
    .default("3")
    .v2(),
    prop(
        "cpu",
        Shape::Block("cpu"),
        "A processor socket.",
        "cpu cpu[0..1] { cores 32 }",
    )
    .repeats(),
    prop(
        "chipset",
        Shape::Block("chipset"),
        "A platform controller hub on a DMI bus.",
        "chipset pch { bus dmi3 to cpu0 }",
    )
    .repeats(),
    prop(
        "nic",
        Shape::Block("nic"),
        "A network card.",
        "nic nic0 { ports 2 x 25GbE; bus pcie4 x8 to cpu0 }",
    )
    .repeats(),
    prop(
        "disk",
        Shape::Block("disk"),
        "A drive.",
        "disk nvme[0..1] { nvme; throughput 7GB/s; bus pcie4 x4 to cpu1 }",
    )
    .repeats(),
    prop(
        "controller",
        Shape::Block("controller"),
        "A storage (RAID) controller.",
        "controller raid0 { cache 8GB write-back; protection flash }",
    )
    .repeats(),
    prop(
        "hba",
        Shape::Block("hba"),
        "A Fibre Channel host bus adapter.",
        "hba hba0 { ports 2 x 32GFC; bus pcie4 x8 to cpu0 }",
    )
    .repeats(),
    prop(
        "card",
        Shape::Block("card"),
        "Any other card: a GPU, an accelerator.",
        "card gpu0 { throughput 64GB/s; bus pcie5 x16 to cpu0 }",
    )
    .repeats(),
    prop(
        "bridge",
        Shape::Block("bridge"),
        "A PCIe switch or bridge: what sits behind it shares its bus.",
        "bridge plx0 { bus pcie4 x16 to cpu0 }",
    )
    .repeats()
    .v2(),
    ALLOW,
];

pub(super) static MODEL_PROPERTIES: &[Property] = &DEVICE_COMMON;

/// The properties of every device kind: a model's, plus where it stands.
pub static DEVICE_PROPERTIES: &[Property] = &{
    let mut all = [ALLOW; 24];
    let mut i = 0;
    while i < 21 {
        all[i] = DEVICE_COMMON[i];
        i += 1;
    }
    all[21] = prop(
        "rack",
        form("RACK at U<n> [front|rear]"),
        "Where the device is mounted: a rack, its lowest U, and the face (default front).",
        "rack t1 at U20 rear",
    );
    all[22] = prop(
        "site",
        Shape::Ref(Target::Site),
        "The site of a device in no rack.",
        "site tokyo",
    );
    all[23] = prop(
        "feeds",
        Shape::Refs(Target::Feed),
        "The rack feeds the device's power supplies connect to (a subset of its rack's feeds).",
        "feeds tokyo-a tokyo-b",
    )
    .v2();
    all
};

const fn device_kind(keyword: &'static str, summary: &'static str, example: &'static str) -> Kind {
    Kind {
        keyword,
        place: Place::TopLevel,
        form: "KIND NAME [: MODEL] { … }",
        summary,
        example,
        properties: DEVICE_PROPERTIES,
        since_v2: false,
    }
}

pub static DEVICE_KINDS: &[Kind] = &[
    device_kind(
        "server",
        "A server: an endpoint that runs services and vms.",
        "server web[1..4] : r650 { rack t1 at U1 }",
    ),
    device_kind(
        "switch",
        "A network switch: it forwards traffic between its links.",
        "switch tor1 { rack t1 at U42; size 1U; ports 48 x 25GbE }",
    ),
    device_kind(
        "router",
        "A router: it forwards traffic between its links.",
        "router wan1 { rack t1 at U41; size 1U }",
    ),
    device_kind(
        "firewall",
        "A firewall: it forwards traffic between its links.",
        "firewall fw1 { rack t1 at U40; size 1U }",
    ),
    device_kind(
        "lb",
        "A load balancer: it forwards traffic between its links.",
        "lb lb1 { rack t1 at U39; size 1U }",
    ),
    device_kind(
        "storage",
        "A storage array: an endpoint that services keep their data on.",
        "storage san1 { rack t1 at U30; size 2U; draw 800W }",
    ),
    device_kind(
        "pdu",
        "A power distribution unit.",
        "pdu pdu-a { rack t1 at U1; size 0U }",
    ),
    device_kind(
        "device",
        "Any other device: an endpoint.",
        "device kvm1 { rack t1 at U38; size 1U }",
    ),
];
