//! Analyzers: one file per rule, each holding the rule's documentation
//! (what it checks, why, an example, the fix) and one function from the model
//! to findings. [`RULES`] is the one table every other part reads.

mod airflow_mismatch;
pub mod bus_bottleneck;
mod cache_exceeds_memory;
mod capacity_n1;
mod cdn_origin;
mod dr_capacity;
mod dr_failover;
mod dr_missing_replica;
mod dr_rpo;
mod duplicate_name;
mod edge_raw;
mod edge_uplink;
pub mod failure;
mod fat_client;
mod flow_bandwidth;
mod ha_same_domain;
mod interface_cap;
mod invalid_value;
mod link_speed;
mod maxflow;
mod memory_interleave;
pub mod missing_draw;
mod no_dns;
mod overload;
pub mod oversubscription;
mod pool_exhaustion;
mod port_count;
pub mod power;
mod power_capacity;
pub mod rack_cooling;
mod rack_overflow;
mod rack_overlap;
mod rack_power;
mod rack_weight;
mod redundant_part;
pub(crate) mod serving_text;
mod shard_skew;
mod shared_layer;
mod single_feed;
mod spof;
mod static_via_ap;
mod syntax;
mod tier_skip;
mod tier_upcall;
mod unit_mismatch;
mod unknown_name;
mod unreachable;
mod unused_allow;
mod vm_failover;
mod vm_memory;
mod write_back_unprotected;

use crate::diagnostic::{closest, rule, Diagnostic, Severity};
use crate::model::{AllowId, AllowScope, Internals, Project};
use crate::source::Span;
use std::collections::HashMap;
use std::sync::Arc;

/// A rule: its name, default severity, documentation and check.
pub struct Rule {
    pub name: &'static str,
    /// The default severity; some rules pick a stronger one by their figures
    /// (rack-power is an error above 100 %).
    pub severity: Severity,
    /// One line for `topo rules`.
    pub summary: &'static str,
    /// What it checks, why (with the seed idea), an example, the fix.
    pub doc: &'static str,
    /// None for the language rules, which lowering reports.
    pub check: Option<fn(&Context) -> Vec<Finding>>,
}

/// What analyzers read: the model, and the failure analysis computed once
/// for every rule that needs it.
pub struct Context<'p> {
    pub project: &'p Project,
    failures: std::sync::OnceLock<failure::Failures>,
    owners: std::sync::OnceLock<Vec<Owner<'p>>>,
    power: std::sync::OnceLock<power::PowerModel<'p>>,
    ports: std::sync::OnceLock<link_speed::PortIndex>,
}

impl<'p> Context<'p> {
    pub fn new(project: &'p Project) -> Context<'p> {
        Context {
            project,
            failures: std::sync::OnceLock::new(),
            owners: std::sync::OnceLock::new(),
            power: std::sync::OnceLock::new(),
            ports: std::sync::OnceLock::new(),
        }
    }

    pub fn failures(&self) -> &failure::Failures {
        self.failures.get_or_init(|| {
            failure::Failures::compute(self.project, &failure::Universe::spof(self.project))
        })
    }

    /// The load model of the power chain, built once for the power rules.
    pub fn power(&self) -> &power::PowerModel<'p> {
        self.power
            .get_or_init(|| power::PowerModel::new(self.project))
    }

    /// The port groups of every device, built once for the link rules.
    pub fn ports(&self) -> &link_speed::PortIndex {
        self.ports
            .get_or_init(|| link_speed::PortIndex::new(self.project))
    }

    /// The part owners, built once for the analyzers that read parts.
    pub fn owners(&self) -> &[Owner<'p>] {
        self.owners.get_or_init(|| owners(self.project))
    }
}

/// A finding and the `allow`s that may silence it: those of the element and
/// part concerned. File-scope allows apply by the file of the primary span.
pub struct Finding {
    pub diagnostic: Diagnostic,
    pub allows: Vec<AllowId>,
}

impl Finding {
    pub fn new(diagnostic: Diagnostic, allows: Vec<AllowId>) -> Finding {
        Finding { diagnostic, allows }
    }
}

/// Every rule, in the order the reference lists them.
pub static RULES: &[&Rule] = &[
    &syntax::RULE,
    &unknown_name::RULE,
    &duplicate_name::RULE,
    &unit_mismatch::RULE,
    &invalid_value::RULE,
    &rack_overlap::RULE,
    &rack_overflow::RULE,
    &rack_power::RULE,
    &rack_weight::RULE,
    &bus_bottleneck::RULE,
    &interface_cap::RULE,
    &memory_interleave::RULE,
    &write_back_unprotected::RULE,
    &redundant_part::RULE,
    &spof::RULE,
    &ha_same_domain::RULE,
    &unreachable::RULE,
    &capacity_n1::RULE,
    &single_feed::RULE,
    &dr_missing_replica::RULE,
    &dr_rpo::RULE,
    &dr_failover::RULE,
    &vm_failover::RULE,
    &tier_skip::RULE,
    &tier_upcall::RULE,
    &shared_layer::RULE,
    &shard_skew::RULE,
    &pool_exhaustion::RULE,
    &no_dns::RULE,
    &static_via_ap::RULE,
    &fat_client::RULE,
    &edge_uplink::RULE,
    &edge_raw::RULE,
    &cdn_origin::RULE,
    &cache_exceeds_memory::RULE,
    &airflow_mismatch::RULE,
    &unused_allow::RULE,
    &power_capacity::RULE,
    &rack_cooling::RULE,
    &overload::RULE,
    &dr_capacity::RULE,
    &vm_memory::RULE,
    &link_speed::RULE,
    &port_count::RULE,
    &oversubscription::RULE,
    &flow_bandwidth::RULE,
    &missing_draw::RULE,
];

/// Every analyzer's findings, in the order of [`RULES`]. The analyzers are
/// independent (what they share, the context computes once under a lock),
/// so two threads take them in turn; the order of the findings is the
/// registry's whatever thread ran what. None once `cancelled` said yes.
fn run_rules(cx: &Context, cancelled: &dyn Fn() -> bool) -> Option<Vec<Vec<Finding>>> {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::Relaxed};
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let take = |asked: Option<&dyn Fn() -> bool>| {
        let mut done = Vec::new();
        while !stop.load(Relaxed) {
            if asked.is_some_and(|c| c()) {
                stop.store(true, Relaxed);
                break;
            }
            let i = next.fetch_add(1, Relaxed);
            let Some(r) = RULES.get(i) else { break };
            if let Some(check) = r.check {
                done.push((i, check(cx)));
            }
        }
        done
    };
    let two = std::thread::available_parallelism().is_ok_and(|n| n.get() > 1);
    let mut found: Vec<Vec<Finding>> = RULES.iter().map(|_| Vec::new()).collect();
    std::thread::scope(|s| {
        let helper = two.then(|| s.spawn(|| take(None)));
        let mut all = take(Some(cancelled));
        if let Some(h) = helper {
            all.extend(h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        }
        for (i, findings) in all {
            found[i] = findings;
        }
    });
    (!stop.load(Relaxed)).then_some(found)
}

pub fn rule(name: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|r| r.name == name)
}

/// Runs every analyzer, applies the `allow`s, and reports the `allow`s that
/// name no rule or silence nothing.
pub fn analyze(project: &Project) -> Vec<Diagnostic> {
    analyze_until(project, &|| false).unwrap_or_default()
}

/// `analyze`, asking `cancelled` between analyzers: None once it says yes
/// (an editor's newer edit makes the rest of the work useless).
pub fn analyze_until(project: &Project, cancelled: &dyn Fn() -> bool) -> Option<Vec<Diagnostic>> {
    let mut used = vec![false; project.allows.len()];
    let mut out = Vec::new();
    let cx = Context::new(project);
    let found = run_rules(&cx, cancelled)?;
    for finding in found.into_iter().flatten() {
        // Two rules may meet the same sum that overflows (a rack's draws
        // for `rack-power` and `rack-cooling`): said once.
        let d = &finding.diagnostic;
        if d.rule == rule::INVALID_VALUE
            && out.iter().any(|o: &Diagnostic| {
                o.rule == d.rule && o.span == d.span && o.message == d.message
            })
        {
            continue;
        }
        match suppressing_allow(project, &finding) {
            Some(a) => used[a.index()] = true,
            None => out.push(finding.diagnostic),
        }
    }
    for (i, allow) in project.allows.iter().enumerate() {
        if rule(&allow.rule).is_none() {
            let names = RULES.iter().map(|r| r.name);
            let d = Diagnostic::error(
                rule::UNKNOWN_NAME,
                allow.span,
                format!("unknown rule `{}`", crate::text::echo(&allow.rule)),
            )
            .with_label("no rule has this name")
            .with_suggestion(closest(&allow.rule, names));
            out.push(d);
            continue;
        }
        let implemented = rule(&allow.rule).is_some_and(|r| r.check.is_some());
        if implemented && !used[i] {
            let finding = unused_allow::finding(project, AllowId(i as u32));
            if suppressing_allow(project, &finding).is_none() {
                out.push(finding.diagnostic);
            }
        }
    }
    Some(out)
}

/// The first `allow` that names the finding's rule: among the ones the
/// analyzer gave it, in the declaration of the element the finding is about
/// (its subject: an `allow` on a site, rack, feed or device silences what
/// is said about that element, whichever rule says it), or in its file.
fn suppressing_allow(project: &Project, finding: &Finding) -> Option<AllowId> {
    let rule = finding.diagnostic.rule;
    let file = finding.diagnostic.span.file;
    let subject = finding
        .diagnostic
        .subject
        .as_deref()
        .and_then(|s| {
            // A part's finding (`web1.nic0`) is one about its device.
            project.element(s).or_else(|| {
                s.split_once('.')
                    .and_then(|(owner, _)| project.element(owner))
            })
        })
        .map_or(&[][..], |e| project.allows_of(e));
    finding
        .allows
        .iter()
        .chain(subject)
        .copied()
        .find(|a| project.allows[a.index()].rule == rule)
        .or_else(|| {
            project
                .allows
                .iter()
                .position(|a| a.rule == rule && a.scope == AllowScope::File(file))
                .map(|i| AllowId(i as u32))
        })
}

/// One set of parts to check: a model's, or a device's that adds its own.
/// Devices that only reuse a model's parts are checked once, with it.
pub struct Owner<'p> {
    /// "model `r650`", "server `db1`".
    pub name: String,
    /// The model's or device's name alone.
    pub subject: &'p str,
    pub internals: &'p Arc<Internals>,
    /// The `allow`s of the model or device.
    pub allows: &'p [AllowId],
}

pub fn owners(p: &Project) -> Vec<Owner<'_>> {
    let mut out: Vec<Owner> = Vec::new();
    let mut seen: HashMap<(*const Internals, &[AllowId]), ()> = HashMap::new();
    let models = p
        .models
        .iter()
        .map(|m| ("model", m.name.as_str(), &m.internals, &m.allows[..]));
    let devices = p.devices.iter().map(|d| {
        (
            d.kind.keyword(),
            d.name.as_str(),
            &d.internals,
            &d.allows[..],
        )
    });
    for (kind, subject, internals, allows) in models.chain(devices) {
        if internals.parts.is_empty() {
            continue;
        }
        if seen.insert((Arc::as_ptr(internals), allows), ()).is_none() {
            out.push(Owner {
                name: format!("{kind} `{}`", crate::text::echo(subject)),
                subject,
                internals,
                allows,
            });
        }
    }
    out
}

/// An `invalid-value` finding for figures that overflow while summing
/// (README, "Robustness"): "the draws of the devices in rack `r1` are too large to
/// add up". Analyzers report this instead of comparing an infinite total.
pub fn overflow(span: Span, what: &str, subject: &str, allows: Vec<AllowId>) -> Finding {
    let d = Diagnostic::error(
        rule::INVALID_VALUE,
        span,
        format!("{what} are too large to add up"),
    )
    .with_label("the sum overflows")
    .with_subject(subject);
    Finding::new(d, allows)
}

/// "1.8×", "12×": how far a demand exceeds a limit.
pub fn times(ratio: f64) -> String {
    if !ratio.is_finite() || ratio >= 1e6 {
        return "over 1,000,000×".to_string();
    }
    if ratio < 10.0 {
        format!("{ratio:.1}×")
    } else {
        format!("{ratio:.0}×")
    }
}

/// "85 %": a share of a budget.
pub fn percent(share: f64) -> String {
    let p = share * 100.0;
    if !p.is_finite() || p >= 1e6 {
        return "over 1,000,000 %".to_string();
    }
    if p < 10.0 {
        format!("{p:.1} %")
    } else {
        format!("{p:.0} %")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_are_unique_documented_and_in_contract_order() {
        let names: Vec<&str> = RULES.iter().map(|r| r.name).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), names.len(), "a rule is listed twice");
        for r in RULES {
            for part in ["## What it checks", "## Why", "## Example", "## Fix"] {
                assert!(r.doc.contains(part), "{} lacks `{part}`", r.name);
            }
            assert!(!r.summary.is_empty());
        }
    }

    #[test]
    fn ratios_and_shares_read_well() {
        assert_eq!(times(25.0 / 7.877), "3.2×");
        assert_eq!(times(14.0 / 3.938), "3.6×");
        assert_eq!(times(31.0), "31×");
        assert_eq!(percent(0.85), "85 %");
        assert_eq!(percent(1.0437), "104 %");
    }
}
