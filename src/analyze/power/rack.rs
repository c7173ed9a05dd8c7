//! A rack's power figure against its tightest limit, for the pictures
//! and the editor: the elevation's power bar and the rack hover read the
//! same figures the power rules weigh.

use super::{missing_draws, Capacity, PowerModel};
use crate::model::units::VoltAmperes;
use crate::model::{FeedId, Project, RackId};

/// Whose limit a rack's power figure is compared with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Whose {
    /// A feed of the rack, after the other feed named fails (None: in
    /// normal operation).
    Feed(FeedId, Option<FeedId>),
    /// The rack's own `power` limit.
    Own,
}

/// A rack's power figure against its tightest limit.
#[derive(Debug, Clone, Copy)]
pub struct Limited {
    pub load: VoltAmperes,
    pub capacity: VoltAmperes,
    /// The continuous-load share (0.8, or the feed's `rated`).
    pub continuous: f64,
    pub whose: Whose,
}

/// The power figures of a rack, for the elevation and the hover.
#[derive(Debug, Clone)]
pub struct RackPower {
    /// What its devices draw, in VA.
    pub drawn: VoltAmperes,
    /// The tightest of its limits, when it has any.
    pub limited: Option<Limited>,
    /// Devices without a draw: the figures are a lower bound.
    pub missing: usize,
}

/// The rack's power figures, in VA as circuits carry them: of its feeds,
/// the one closest to its limit in its worst case (normal operation, or
/// after another feed of the rack fails and its devices move over); the
/// rack's own `power` limit instead when its share is higher or no feed
/// states a circuit. Devices without a draw count as 0, so the figures are
/// then a lower bound.
pub fn rack_power(p: &Project, model: &PowerModel, rack: RackId) -> RackPower {
    let r = &p.racks[rack.index()];
    let drawn: VoltAmperes = r
        .devices
        .iter()
        .filter_map(|&d| p.device_power(d).map(|w| w.va))
        .sum();
    let own = r
        .power
        .as_deref()
        .and_then(|&l| Capacity::new(l, None))
        .map(|c| Limited {
            load: drawn,
            capacity: c.va,
            continuous: c.continuous,
            whose: Whose::Own,
        });
    let feed = model.rack_worst(rack).map(|w| Limited {
        load: w.load,
        capacity: w.capacity,
        continuous: w.continuous,
        whose: Whose::Feed(w.feed, w.scenario),
    });
    let share = |l: &Limited| l.load / l.capacity;
    let limited = match (feed, own) {
        (Some(f), Some(o)) if share(&o) > share(&f) => Some(o),
        (Some(f), _) => Some(f),
        (None, o) => o,
    };
    RackPower {
        drawn,
        limited,
        missing: missing_draws(p, rack).len(),
    }
}
