//! The links between chips and devices: PCIe, DMI, SATA, SAS, Fibre
//! Channel and UPI, with their line encodings and lane widths.

use super::{BusFamily, BusPreset, Encoding, LaneRule, RateUnit, Signalling};

const ENC_8B10B: Encoding = Encoding {
    payload: 8,
    total: 10,
    name: "8b/10b",
};
const ENC_128B130B: Encoding = Encoding {
    payload: 128,
    total: 130,
    name: "128b/130b",
};
const ENC_128B150B: Encoding = Encoding {
    payload: 128,
    total: 150,
    name: "128b/150b",
};
const ENC_FLIT_242_256: Encoding = Encoding {
    payload: 242,
    total: 256,
    name: "FLIT 242/256",
};

const PCIE_WIDTHS: &[u32] = &[1, 2, 4, 8, 12, 16, 32];
/// DMI 3.0 and 4.0 come in four or eight lanes (v2: `dmi3 x8` on Z590,
/// `dmi4 x4` on B660 and H610); DMI 2.0 only in four.
const DMI_WIDTHS: &[u32] = &[4, 8];
const SAS_WIDTHS: &[u32] = &[1, 2, 4, 8];
/// The first is the default (kept from v1); the rest slowest first.
const UPI_RATES: &[f64] = &[10.4e9, 9.6e9, 11.2e9, 12.8e9, 14.4e9, 16e9, 20e9, 24e9];
/// Two sockets are joined by one to four UPI links; `links N` multiplies.
pub(super) const UPI_MAX_LINKS: u32 = 4;

const fn pcie(
    name: &'static str,
    title: &'static str,
    gts: f64,
    enc: Encoding,
    note: Option<&'static str>,
) -> BusPreset {
    BusPreset {
        name,
        family: BusFamily::Pcie,
        title,
        signalling: Signalling::Serial {
            rate: gts * 1e9,
            unit: RateUnit::GigatransfersPerSecond,
            encoding: enc,
            note,
        },
        lanes: LaneRule::Required(PCIE_WIDTHS),
        rates: &[],
    }
}

const fn dmi(
    name: &'static str,
    title: &'static str,
    lanes: LaneRule,
    gts: f64,
    enc: Encoding,
) -> BusPreset {
    BusPreset {
        name,
        family: BusFamily::Dmi,
        title,
        signalling: Signalling::Serial {
            rate: gts * 1e9,
            unit: RateUnit::GigatransfersPerSecond,
            encoding: enc,
            note: None,
        },
        lanes,
        rates: &[],
    }
}

const fn sata(name: &'static str, title: &'static str, gbps: f64) -> BusPreset {
    BusPreset {
        name,
        family: BusFamily::Sata,
        title,
        signalling: Signalling::Serial {
            rate: gbps * 1e9,
            unit: RateUnit::GigabitsPerSecond,
            encoding: ENC_8B10B,
            note: None,
        },
        lanes: LaneRule::Fixed(1),
        rates: &[],
    }
}

const fn sas(name: &'static str, title: &'static str, gbps: f64, enc: Encoding) -> BusPreset {
    BusPreset {
        name,
        family: BusFamily::Sas,
        title,
        signalling: Signalling::Serial {
            rate: gbps * 1e9,
            unit: RateUnit::GigabitsPerSecond,
            encoding: enc,
            note: None,
        },
        lanes: LaneRule::Optional {
            default: 1,
            allowed: SAS_WIDTHS,
        },
        rates: &[],
    }
}

/// `payload_mb`: the standard's payload figure in MB/s per direction:
/// N × 100 for N GFC, except 10GFC (10.52 Gbaud, 64b/66b: 1200 MB/s).
const fn fc(name: &'static str, title: &'static str, payload_mb: f64) -> BusPreset {
    BusPreset {
        name,
        family: BusFamily::Fc,
        title,
        signalling: Signalling::Nominal {
            payload: payload_mb * 1e6,
        },
        lanes: LaneRule::Fixed(1),
        rates: &[],
    }
}

/// The link presets, in the order suggestions and listings show them.
pub(super) static LINKS: &[BusPreset] = &[
    pcie("pcie1", "PCIe 1.x", 2.5, ENC_8B10B, None),
    pcie("pcie2", "PCIe 2.x", 5.0, ENC_8B10B, None),
    pcie("pcie3", "PCIe 3.0", 8.0, ENC_128B130B, None),
    pcie("pcie4", "PCIe 4.0", 16.0, ENC_128B130B, None),
    pcie("pcie5", "PCIe 5.0", 32.0, ENC_128B130B, None),
    pcie("pcie6", "PCIe 6.0", 64.0, ENC_FLIT_242_256, Some("PAM4")),
    dmi("dmi2", "DMI 2.0", LaneRule::Fixed(4), 5.0, ENC_8B10B),
    dmi(
        "dmi3",
        "DMI 3.0",
        LaneRule::Optional {
            default: 4,
            allowed: DMI_WIDTHS,
        },
        8.0,
        ENC_128B130B,
    ),
    dmi(
        "dmi4",
        "DMI 4.0",
        LaneRule::Optional {
            default: 8,
            allowed: DMI_WIDTHS,
        },
        16.0,
        ENC_128B130B,
    ),
    sata("sata1", "SATA 1", 1.5),
    sata("sata2", "SATA 2", 3.0),
    sata("sata3", "SATA 3", 6.0),
    sas("sas1", "SAS-1", 3.0, ENC_8B10B),
    sas("sas2", "SAS-2", 6.0, ENC_8B10B),
    sas("sas3", "SAS-3", 12.0, ENC_8B10B),
    sas("sas4", "SAS-4 (24G)", 22.5, ENC_128B150B),
    fc("fc8", "Fibre Channel 8GFC", 800.0),
    fc("fc10", "Fibre Channel 10GFC", 1200.0),
    fc("fc16", "Fibre Channel 16GFC", 1600.0),
    fc("fc32", "Fibre Channel 32GFC", 3200.0),
    fc("fc64", "Fibre Channel 64GFC", 6400.0),
    fc("fc128", "Fibre Channel 128GFC", 12800.0),
    BusPreset {
        name: "upi",
        family: BusFamily::Upi,
        title: "Intel UPI",
        signalling: Signalling::Parallel {
            rate: 10.4e9,
            unit: RateUnit::GigatransfersPerSecond,
            width_bits: 16, // 2 bytes a transfer
        },
        lanes: LaneRule::Fixed(1),
        rates: UPI_RATES,
    },
];
