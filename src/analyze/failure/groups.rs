//! The members of one hop, per shard: whether enough of them serve, which
//! member is active for active-standby, and what cuts an instance off from
//! an active member before it.

use super::candidates::{kills, union, Kill};
use super::{Instance, Reason};
use crate::model::{Host, Project, ServiceId};

/// What cuts an instance off from the active member of one active-standby
/// group: the active member is the first one up under each failure, and it
/// must serve and reach the instance (`path(m)`: what cuts member m's path
/// to it; `None` when there is none). `None` when the instance is not
/// reached with nothing failed.
///
/// Only a candidate that takes the first member down changes which member
/// is active, so the candidates to judge are what stops the first member
/// serving or reaching the instance, and paths are searched only for the
/// members some candidate makes active.
pub(super) fn active_cut(
    before: &[Instance],
    serve: &[Option<Kill>],
    members: &[usize],
    mut path: impl FnMut(usize) -> Option<Kill>,
) -> Option<Kill> {
    let first = members.iter().copied().find(|&m| before[m].up)?;
    let first_path = path(first)?;
    let suspects = union(serve[first].as_ref()?, &first_path);
    let mut paths: std::collections::HashMap<usize, Option<Kill>> =
        std::collections::HashMap::from([(first, Some(first_path))]);
    let cut = suspects
        .into_iter()
        .filter(|&c| {
            let active = members
                .iter()
                .copied()
                .find(|&m| before[m].up && !kills(&before[m].kill, c));
            let Some(m) = active else { return true };
            let Some(serve) = &serve[m] else { return true };
            let reach = paths.entry(m).or_insert_with(|| path(m));
            kills(serve, c) || reach.as_ref().is_none_or(|k| kills(k, c))
        })
        .collect();
    Some(cut)
}

/// The shard count of a sharded service: the number of its weights.
pub(super) fn sharded(p: &Project, s: ServiceId) -> Option<usize> {
    let n = p.services[s.index()]
        .shard
        .as_ref()?
        .weights
        .as_ref()?
        .value
        .len();
    (n > 0).then_some(n)
}

/// The instances per shard (host j holds shard j mod N), or one group of
/// every instance for a service that is not sharded.
pub(super) fn shards(
    p: &Project,
    s: ServiceId,
    instances: usize,
) -> Vec<(Option<usize>, Vec<usize>)> {
    match sharded(p, s) {
        Some(n) => (0..n)
            .map(|g| (Some(g), (g..instances).step_by(n).collect()))
            .collect(),
        None => vec![(None, (0..instances).collect())],
    }
}

/// The instances of one shard (or of a whole service) at one hop.
pub(super) struct Group<'g> {
    pub service: ServiceId,
    pub shard: Option<usize>,
    pub members: &'g [usize],
    pub instances: &'g [Instance],
    pub serve: &'g [Option<Kill>],
    pub needed: usize,
    pub from: Option<ServiceId>,
}

pub(super) struct GroupResult {
    pub kill: Vec<(u32, Reason)>,
    pub broken: bool,
    /// Broken although enough members are up: not reached.
    pub reached_short: bool,
    pub active: Option<Host>,
}

impl GroupResult {
    /// Not enough even with nothing failed; `reached_short` when enough
    /// members are up but too few are reached (`active`: the active member).
    fn broken(reached_short: bool, active: Option<Host>) -> GroupResult {
        GroupResult {
            kill: Vec::new(),
            broken: true,
            reached_short,
            active,
        }
    }

    /// Enough with nothing failed; `kill` leaves it short.
    fn working(kill: Vec<(u32, Reason)>) -> GroupResult {
        GroupResult {
            kill,
            broken: false,
            reached_short: false,
            active: None,
        }
    }
}

impl Group<'_> {
    fn up_under(&self, m: usize, c: u32) -> bool {
        self.instances[m].up && !kills(&self.instances[m].kill, c)
    }

    fn up_count(&self) -> usize {
        self.members
            .iter()
            .filter(|&&m| self.instances[m].up)
            .count()
    }

    /// Why the group falls short under `c`: too few members up, else cut off.
    fn reason(&self, c: u32, active: Option<Host>) -> Reason {
        let left = self
            .members
            .iter()
            .filter(|&&m| self.up_under(m, c))
            .count();
        let needed = if active.is_some() { 1 } else { self.needed };
        if left < needed {
            return Reason::Service {
                service: self.service,
                shard: self.shard,
                left,
                of: self.members.len(),
                needed,
            };
        }
        Reason::Path {
            from: self.from,
            to: self.service,
            active,
        }
    }

    /// Enough serving members: ⌈load ÷ capacity⌉ of them, or one.
    pub(super) fn enough(&self) -> GroupResult {
        let serving: Vec<&Kill> = self
            .members
            .iter()
            .filter_map(|&m| self.serve[m].as_ref())
            .collect();
        if serving.len() < self.needed {
            return GroupResult::broken(self.up_count() >= self.needed, None);
        }
        let kill = threshold(&serving, self.needed)
            .into_iter()
            .map(|c| (c, self.reason(c, None)))
            .collect();
        GroupResult::working(kill)
    }

    /// Only the active member serves: the first member up; one cut off
    /// from its callers stays active (a partition is not a failover).
    pub(super) fn active_standby(&self) -> GroupResult {
        let Some(&first) = self.members.iter().find(|&&m| self.instances[m].up) else {
            return GroupResult::broken(false, None);
        };
        if self.serve[first].is_none() {
            return GroupResult::broken(true, Some(self.instances[first].host));
        }
        // Only a candidate that takes the first member down moves the
        // active member; what stops the first one serving includes those.
        let suspects = self.serve[first].clone().unwrap_or_default();
        let kill = suspects
            .into_iter()
            .filter_map(|c| {
                let active = self.members.iter().copied().find(|&m| self.up_under(m, c));
                match active {
                    None => Some((c, self.reason(c, None))),
                    Some(m) => match &self.serve[m] {
                        Some(k) if !kills(k, c) => None,
                        _ => Some((c, self.reason(c, Some(self.instances[m].host)))),
                    },
                }
            })
            .collect();
        GroupResult::working(kill)
    }
}

/// Candidates that take down more than `len - needed` of the kill sets.
pub(super) fn threshold(sets: &[&Kill], needed: usize) -> Kill {
    if sets.len() < needed {
        return Vec::new(); // down already; not a single failure's doing
    }
    let spare = sets.len() - needed;
    let mut all: Vec<u32> = sets.iter().flat_map(|k| k.iter().copied()).collect();
    all.sort_unstable();
    let mut out = Vec::new();
    let mut i = 0;
    while i < all.len() {
        let mut j = i;
        while j < all.len() && all[j] == all[i] {
            j += 1;
        }
        if j - i > spare {
            out.push(all[i]);
        }
        i = j;
    }
    out
}
