//! The worst load of every feed and source over normal operation and the
//! failure of any single feed or source, without re-running the model once
//! per failure.
//!
//! A failure X changes a node E's load only through the groups that have
//! a feed below X: their draw leaves the feeds below X and spreads evenly
//! over their other feeds. For each group and each X above one of its
//! feeds, the change on each feed is one figure, added to the feed and the
//! nodes above it that stay up; summing those changes per (E, X) gives
//! every single-failure load. The work is, per group, (feeds × depth of
//! the chain)², a handful of additions for an A/B pair under two UPSs.

use super::{PowerModel, Supply};
use crate::model::units::VoltAmperes;
use std::collections::HashMap;

/// The most additions the scenario sums may take; past it (a hostile
/// project, nothing built by hand) the analysis says it stopped.
pub const MAX_WORK: u64 = 20_000_000;

/// When a node carries its worst load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scenario {
    Normal,
    /// After this feed or source fails.
    Fails(Supply),
}

impl Scenario {
    /// "normal operation", "feed `a1` fails".
    pub fn text(self, p: &crate::model::Project) -> String {
        match self {
            Scenario::Normal => "normal operation".to_string(),
            Scenario::Fails(s) => format!("{} fails", s.describe(p)),
        }
    }
}

/// A node's worst load and when it happens.
#[derive(Debug, Clone, Copy)]
pub struct Worst {
    pub load: VoltAmperes,
    pub scenario: Scenario,
}

impl PowerModel<'_> {
    /// Every node's worst load, or the work the sums would take when it is
    /// over [`MAX_WORK`].
    pub fn worst(&self) -> Result<Vec<Worst>, u64> {
        let mut change: HashMap<(u32, u32), f64> = HashMap::new();
        let mut work = 0u64;
        let mut failures = Vec::new();
        let mut killed = Vec::new();
        for g in self.groups() {
            if g.va == 0.0 {
                continue;
            }
            let k = g.feeds.len();
            let before = g.va / k as f64;
            failures.clear();
            for f in &g.feeds {
                failures.extend(self.up(f.index()));
            }
            failures.sort_unstable();
            failures.dedup();
            // Each failure walks every feed's chain (lowering bounds it).
            work += (failures.len() * k * (failures.len() + 1)) as u64;
            if work > MAX_WORK {
                return Err(work);
            }
            for &x in &failures {
                killed.clear();
                killed.extend(g.feeds.iter().map(|f| self.up(f.index()).any(|u| u == x)));
                let alive = killed.iter().filter(|&&k| !k).count();
                for (f, &dead) in g.feeds.iter().zip(&killed) {
                    let after = if dead || alive == 0 {
                        0.0
                    } else {
                        g.va / alive as f64
                    };
                    let delta = after - before;
                    if delta == 0.0 {
                        continue;
                    }
                    // Below X (X included) everything is down with X.
                    let mut above_x = !dead;
                    for e in self.up(f.index()) {
                        if above_x {
                            *change.entry((e as u32, x as u32)).or_default() += delta;
                        } else if e == x {
                            above_x = true;
                        }
                    }
                }
            }
        }
        let mut changes: Vec<((u32, u32), f64)> = change.into_iter().collect();
        changes.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut worst: Vec<Worst> = (0..self.nodes())
            .map(|n| Worst {
                load: self.normal(self.supply(n)),
                scenario: Scenario::Normal,
            })
            .collect();
        let mut best = vec![0.0f64; self.nodes()];
        for ((e, x), delta) in changes {
            let e = e as usize;
            // Sums of many shares: a change below a millivolt-ampere is
            // rounding, not a worse case.
            // Of equal loads, a source's worst case names a source failing
            // (UPS B, rather than one of its feeds), a feed's a feed.
            let same_kind = matches!(
                (self.supply(e), self.supply(x as usize)),
                (Supply::Source(_), Supply::Source(_)) | (Supply::Feed(_), Supply::Feed(_))
            );
            let was_same_kind = match worst[e].scenario {
                Scenario::Fails(s) => matches!(
                    (self.supply(e), s),
                    (Supply::Source(_), Supply::Source(_)) | (Supply::Feed(_), Supply::Feed(_))
                ),
                Scenario::Normal => false,
            };
            let better = delta > best[e] + 1e-6
                || (delta > 1e-6 && delta >= best[e] - 1e-6 && same_kind && !was_same_kind);
            if better {
                best[e] = delta;
                worst[e] = Worst {
                    load: self.normal(self.supply(e)) + VoltAmperes::new(delta),
                    scenario: Scenario::Fails(self.supply(x as usize)),
                };
            }
        }
        Ok(worst)
    }
}
