//! The typed figures a quantity converts to, each holding its SI base unit,
//! and the conversions between them.

use std::iter::Sum;
use std::ops::{Add, AddAssign, Div, Mul, Sub, SubAssign};

use serde::Serialize;

use super::format::format_sig3;

macro_rules! quantity_newtype {
    ($(#[$meta:meta])* $name:ident, $base:literal) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default, Serialize)]
        pub struct $name(pub(super) f64);

        impl $name {
            /// Zero.
            pub const ZERO: $name = $name(0.0);

            #[doc = concat!("From a figure in ", $base, ".")]
            pub const fn new(base: f64) -> $name {
                $name(base)
            }

            #[doc = concat!("The figure in ", $base, ".")]
            pub const fn get(self) -> f64 {
                self.0
            }

            /// The larger of the two.
            pub fn max(self, other: $name) -> $name {
                $name(self.0.max(other.0))
            }

            /// The smaller of the two.
            pub fn min(self, other: $name) -> $name {
                $name(self.0.min(other.0))
            }
        }

        impl Add for $name {
            type Output = $name;
            fn add(self, rhs: $name) -> $name {
                $name(self.0 + rhs.0)
            }
        }

        impl AddAssign for $name {
            fn add_assign(&mut self, rhs: $name) {
                self.0 += rhs.0;
            }
        }

        impl Sub for $name {
            type Output = $name;
            fn sub(self, rhs: $name) -> $name {
                $name(self.0 - rhs.0)
            }
        }

        impl SubAssign for $name {
            fn sub_assign(&mut self, rhs: $name) {
                self.0 -= rhs.0;
            }
        }

        impl Mul<f64> for $name {
            type Output = $name;
            fn mul(self, rhs: f64) -> $name {
                $name(self.0 * rhs)
            }
        }

        impl Mul<$name> for f64 {
            type Output = $name;
            fn mul(self, rhs: $name) -> $name {
                $name(self * rhs.0)
            }
        }

        impl Div<f64> for $name {
            type Output = $name;
            fn div(self, rhs: f64) -> $name {
                $name(self.0 / rhs)
            }
        }

        /// The ratio of two figures of the same dimension.
        impl Div for $name {
            type Output = f64;
            fn div(self, rhs: $name) -> f64 {
                self.0 / rhs.0
            }
        }

        impl Sum for $name {
            fn sum<I: Iterator<Item = $name>>(iter: I) -> $name {
                $name(iter.map(|x| x.0).sum())
            }
        }

        impl<'a> Sum<&'a $name> for $name {
            fn sum<I: Iterator<Item = &'a $name>>(iter: I) -> $name {
                $name(iter.map(|x| x.0).sum())
            }
        }
    };
}

quantity_newtype!(
    /// A current, in amps.
    Amps,
    "amps"
);
quantity_newtype!(
    /// A voltage, in volts.
    Volts,
    "volts"
);
quantity_newtype!(
    /// A power, in watts.
    Watts,
    "watts"
);
quantity_newtype!(
    /// An apparent power, in volt-amperes: what circuits and breakers are
    /// rated in.
    VoltAmperes,
    "volt-amperes"
);
quantity_newtype!(
    /// A mass, in kilograms.
    Kilograms,
    "kilograms"
);
quantity_newtype!(
    /// A length (a link's `distance`), in metres.
    Metres,
    "metres"
);
quantity_newtype!(
    /// A bandwidth, in payload bytes per second.
    BytesPerSecond,
    "bytes per second"
);
quantity_newtype!(
    /// A transfer rate, in transfers per second.
    TransfersPerSecond,
    "transfers per second"
);
quantity_newtype!(
    /// The width of one transfer, in bits.
    Bits,
    "bits"
);
quantity_newtype!(
    /// A size (memory, cache), in bytes.
    Bytes,
    "bytes"
);
quantity_newtype!(
    /// A duration, in seconds.
    Seconds,
    "seconds"
);
quantity_newtype!(
    /// A request rate, in requests per second.
    RequestsPerSecond,
    "requests per second"
);
quantity_newtype!(
    /// A ratio in percent: 25 % is stored as 25.0.
    Percent,
    "percent (25 % is 25.0)"
);

impl Watts {
    /// W = V × A.
    pub fn from_amps(current: Amps, voltage: Volts) -> Watts {
        Watts(current.0 * voltage.0)
    }

    /// A = W ÷ V.
    pub fn to_amps(self, voltage: Volts) -> Amps {
        Amps(self.0 / voltage.0)
    }
}

impl VoltAmperes {
    /// Single phase: VA = V × A.
    pub fn from_amps(current: Amps, voltage: Volts) -> VoltAmperes {
        VoltAmperes(current.0 * voltage.0)
    }

    /// A = VA ÷ V, whatever the power factor.
    pub fn to_amps(self, voltage: Volts) -> Amps {
        Amps(self.0 / voltage.0)
    }

    /// The real power drawn at `power_factor` (0 to 1): W = VA × factor.
    pub fn watts_at(self, power_factor: f64) -> Watts {
        Watts(self.0 * power_factor)
    }
}

impl Metres {
    /// 1 km = 1000 m.
    pub fn from_kilometres(km: f64) -> Metres {
        Metres(km * 1e3)
    }

    /// 1 mi = 1.609344 km exactly.
    pub fn from_miles(mi: f64) -> Metres {
        Metres(mi * 1_609.344)
    }

    /// The length in kilometres.
    pub fn kilometres(self) -> f64 {
        self.0 / 1e3
    }
}

impl Kilograms {
    /// 1 lb = 0.45359237 kg exactly.
    pub fn from_pounds(lb: f64) -> Kilograms {
        Kilograms(lb * 0.453_592_37)
    }
}

impl BytesPerSecond {
    /// From a line rate in bits per second (8 b = 1 B).
    pub fn from_bits_per_second(bps: f64) -> BytesPerSecond {
        BytesPerSecond(bps / 8.0)
    }

    /// The figure in bits per second.
    pub fn bits_per_second(self) -> f64 {
        self.0 * 8.0
    }

    /// Bandwidth = width of one transfer × transfers per second.
    /// "200 Mb/s": how network links are spoken of.
    pub fn bits_text(&self) -> String {
        let bps = self.bits_per_second();
        let (value, unit) = [(1e12, "Tb/s"), (1e9, "Gb/s"), (1e6, "Mb/s"), (1e3, "kb/s")]
            .into_iter()
            .find(|(scale, _)| bps >= *scale)
            .map_or((bps, "b/s"), |(scale, unit)| (bps / scale, unit));
        format!("{} {unit}", format_sig3(value))
    }

    pub fn from_width_and_rate(width: Bits, rate: TransfersPerSecond) -> BytesPerSecond {
        BytesPerSecond(width.0 / 8.0 * rate.0)
    }
}

impl TransfersPerSecond {
    /// Transfers per second = 1 s ÷ time of one transfer. A zero period
    /// gives an infinite rate; callers should reject it first.
    pub fn from_period(period: Seconds) -> TransfersPerSecond {
        TransfersPerSecond(1.0 / period.0)
    }
}

impl Bits {
    /// From a width in bytes (1 B = 8 bit).
    pub fn from_bytes(bytes: f64) -> Bits {
        Bits(bytes * 8.0)
    }

    /// The width in bytes.
    pub fn bytes(self) -> f64 {
        self.0 / 8.0
    }
}

impl Percent {
    /// 25 % → 0.25.
    pub fn fraction(self) -> f64 {
        self.0 / 100.0
    }

    /// 0.25 → 25 %.
    pub fn from_fraction(fraction: f64) -> Percent {
        Percent(fraction * 100.0)
    }
}

/// A device size or rack height, in rack units (1U = 44.45 mm).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct RackUnits(pub(super) u32);

impl RackUnits {
    pub const ZERO: RackUnits = RackUnits(0);

    pub const fn new(units: u32) -> RackUnits {
        RackUnits(units)
    }

    pub const fn get(self) -> u32 {
        self.0
    }

    /// The height in millimetres (1U = 1.75 in = 44.45 mm).
    pub fn millimetres(self) -> f64 {
        self.0 as f64 * 44.45
    }

    pub fn checked_add(self, rhs: RackUnits) -> Option<RackUnits> {
        self.0.checked_add(rhs.0).map(RackUnits)
    }

    pub fn checked_sub(self, rhs: RackUnits) -> Option<RackUnits> {
        self.0.checked_sub(rhs.0).map(RackUnits)
    }
}

impl Add for RackUnits {
    type Output = RackUnits;
    fn add(self, rhs: RackUnits) -> RackUnits {
        RackUnits(self.0 + rhs.0)
    }
}

impl AddAssign for RackUnits {
    fn add_assign(&mut self, rhs: RackUnits) {
        self.0 += rhs.0;
    }
}

impl Mul<u32> for RackUnits {
    type Output = RackUnits;
    fn mul(self, rhs: u32) -> RackUnits {
        RackUnits(self.0 * rhs)
    }
}

impl Div for RackUnits {
    type Output = f64;
    fn div(self, rhs: RackUnits) -> f64 {
        self.0 as f64 / rhs.0 as f64
    }
}

impl Sum for RackUnits {
    fn sum<I: Iterator<Item = RackUnits>>(iter: I) -> RackUnits {
        RackUnits(iter.map(|x| x.0).sum())
    }
}

impl<'a> Sum<&'a RackUnits> for RackUnits {
    fn sum<I: Iterator<Item = &'a RackUnits>>(iter: I) -> RackUnits {
        RackUnits(iter.map(|x| x.0).sum())
    }
}
