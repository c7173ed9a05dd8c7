//! `dr-failover`: a site's failure stops flows until its DR site takes over.

use super::failure::{describe, Candidate};
use super::spof::element_allows;
use super::{Context, Finding, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Project, ReplicationId, ReplicationMode, SiteId};
use crate::text::echo;

pub static RULE: Rule = Rule {
    name: "dr-failover",
    severity: Severity::Info,
    summary: "a site's failure stops flows until the DR site takes over (names the RTO and RPO)",
    doc: r#"## What it checks
Where the project declares more than one site, a whole site is a failure
candidate. When a site backed by a DR site (`backs`) fails, each service on
a flow's path that the site takes down is replaced by the service that
takes it over at the DR site: a service there with `takes-over SERVICE`,
or else the target there of `replicate SERVICE to TARGET`. The flow is
then followed again. If it works, the site's failure is reported here
instead of as a `spof`, with the flows, the DR site and the services that
take over, and the largest recovery time (`rto`) and recovery point
(`rpo`) of the replications it relies on (those from a replaced service
to the DR site), naming the replication; a `sync` replication with no
`rpo` loses nothing. "no RTO stated" says that no such replication
states one. A flow the DR site does not bring back (a stopped service
with no taker there, or a taker that cannot serve) stays a `spof`.

## Why
Losing a whole site is what a DR site is for: the flows stop, then come
back at the DR site once the take-over runs. That is not a single point of
failure to remove, but the time the flows are down (the RTO) and the
writes lost (the RPO) are the price of the design, and must be known.

## Example
```topo
site tokyo { role primary }
site osaka { role dr; backs tokyo }
service erp-web on tweb1 tweb2 { calls erp-db }
service erp-db on tdb1 tdb2 { ha active-standby }
service erp-web-dr on oweb1 { takes-over erp-web; calls erp-db-dr }
service erp-db-dr on odb1
replicate erp-db to erp-db-dr { mode async; rpo 5m; rto 30m }
```
Losing `tokyo` stops the flows through `erp-web` until `osaka` takes over:
RTO 30 min, RPO 5 min.

## Fix
Nothing to fix when the RTO and RPO are what the business accepts; state
them on the `replicate` statements where they are missing. Where they are
too long, replicate synchronously or run the DR site hot. `allow
dr-failover` on the site accepts it.
"#,
    check: Some(check),
};

/// Flows and takers named before "and N more".
const NAMED: usize = 6;

fn check(cx: &Context) -> Vec<Finding> {
    let p = cx.project;
    let f = cx.failures();
    let mut out = Vec::new();
    for (i, site) in p.sites.iter().enumerate() {
        let id = SiteId(i as u32);
        let Some(t) = f.take_over(id).filter(|t| !t.recovered.is_empty()) else {
            continue;
        };
        let flows: Vec<String> = t
            .recovered
            .iter()
            .map(|fl| format!("`{}`", echo(&p.flows[fl.index()].name)))
            .collect();
        let dr: Vec<String> = t
            .dr_sites
            .iter()
            .map(|d| format!("`{}`", echo(&p.sites[d.index()].name)))
            .collect();
        let takers: Vec<String> = t
            .takers
            .iter()
            .map(|(primary, taker)| {
                format!(
                    "`{}` for `{}`",
                    echo(&p.services[taker.index()].name),
                    echo(&p.services[primary.index()].name)
                )
            })
            .collect();
        let message = format!(
            "{} stops {} {} until DR site {} takes over ({}): {}",
            describe(p, Candidate::Site(id)),
            if flows.len() == 1 { "flow" } else { "flows" },
            list(&flows),
            dr.join(" and "),
            list(&takers),
            figures(p, &t.replications)
        );
        // Seconds, null where no replication relied on states the figure;
        // every flow and taker, not only those the message names.
        let (rto, rpo) = largest_rto_rpo(p, &t.replications);
        let mut d = Diagnostic::new(RULE.name, RULE.severity, site.span, message)
            .with_label("fails as a whole")
            .with_data("rto", rto.map(|(_, v)| v))
            .with_data("rpo", rpo.map(|(_, v)| v))
            .with_data(
                "dr_sites",
                t.dr_sites
                    .iter()
                    .map(|d| p.sites[d.index()].name.as_str())
                    .collect::<Vec<_>>(),
            )
            .with_data(
                "flows",
                t.recovered
                    .iter()
                    .map(|fl| p.flows[fl.index()].name.as_str())
                    .collect::<Vec<_>>(),
            )
            .with_data(
                "takers",
                t.takers
                    .iter()
                    .map(|(_, taker)| p.services[taker.index()].name.as_str())
                    .collect::<Vec<_>>(),
            );
        for dr in &t.dr_sites {
            d = d.with_related(p.sites[dr.index()].span, "DR site that takes over");
        }
        for (_, taker) in t.takers.iter().take(NAMED) {
            d = d.with_related(p.services[taker.index()].span, "takes over");
        }
        out.push(Finding::new(
            d.with_subject(&site.name),
            element_allows(p, Candidate::Site(id)),
        ));
    }
    out
}

/// "RTO 30 min (replication of `a` to `b`), RPO 5 min (async replication
/// of `a` to `b`)", the largest of each over the replications relied on.
pub(crate) fn figures(p: &Project, replications: &[ReplicationId]) -> String {
    let name = |r: ReplicationId| {
        let r = &p.replications[r.index()];
        let mode = match r.mode.map(|m| m.value) {
            Some(ReplicationMode::Sync) => "sync ",
            Some(ReplicationMode::Async) => "async ",
            None => "",
        };
        format!(
            "{mode}replication of `{}` to `{}`",
            echo(&p.services[r.from.value.index()].name),
            echo(&p.services[r.to.value.index()].name)
        )
    };
    if replications.is_empty() {
        return "no RTO stated, and no replication relied on".to_string();
    }
    let (rto, rpo) = largest_rto_rpo(p, replications);
    let unknown_rpo: Vec<String> = replications
        .iter()
        .filter(|r| {
            let rep = &p.replications[r.index()];
            rep.rpo.is_none() && !matches!(rep.mode.map(|m| m.value), Some(ReplicationMode::Sync))
        })
        .map(|&r| name(r))
        .collect();
    let seconds = |v: f64| crate::model::units::Seconds::new(v).to_string();
    let mut text = match (rto, rpo) {
        // Both figures from one replication: name it once.
        (Some((a, t)), Some((b, o))) if a == b => {
            format!("RTO {}, RPO {} ({})", seconds(t), seconds(o), name(a))
        }
        (Some((a, t)), Some((b, o))) => format!(
            "RTO {} ({}), RPO {} ({})",
            seconds(t),
            name(a),
            seconds(o),
            name(b)
        ),
        (Some((a, t)), None) => format!("RTO {} ({}), no RPO stated", seconds(t), name(a)),
        (None, Some((b, o))) => format!("no RTO stated, RPO {} ({})", seconds(o), name(b)),
        (None, None) => "no RTO stated, no RPO stated".to_string(),
    };
    if rpo.is_some() && !unknown_rpo.is_empty() {
        text.push_str(&format!("; no RPO stated for the {}", list(&unknown_rpo)));
    }
    text
}

/// A figure in seconds and the replication that states it.
type Figure = (ReplicationId, f64);

/// The largest RTO and RPO in seconds over the replications relied on,
/// each with the replication that states it (`None` when none states one).
/// The message and the finding's `data` both take their figures from here.
pub(crate) fn largest_rto_rpo(
    p: &Project,
    replications: &[ReplicationId],
) -> (Option<Figure>, Option<Figure>) {
    // The first of equal figures is named: declaration order.
    let largest = |get: &dyn Fn(ReplicationId) -> Option<f64>| {
        replications
            .iter()
            .filter_map(|&r| get(r).map(|v| (r, v)))
            .fold(
                None,
                |best: Option<(ReplicationId, f64)>, (r, v)| match best {
                    Some((_, b)) if b >= v => best,
                    _ => Some((r, v)),
                },
            )
    };
    let rto = largest(&|r| p.replications[r.index()].rto.map(|t| t.value.get()));
    // A sync replication acknowledges a write only once the replica has
    // it: with no `rpo` stated it loses nothing.
    let rpo = largest(&|r| {
        let rep = &p.replications[r.index()];
        rep.rpo.map(|t| t.value.get()).or(matches!(
            rep.mode.map(|m| m.value),
            Some(ReplicationMode::Sync)
        )
        .then_some(0.0))
    });
    (rto, rpo)
}

/// "a, b and c", past [`NAMED`] "a, b, …, and N more".
fn list(items: &[String]) -> String {
    match items.len() {
        0 => String::new(),
        1 => items[0].clone(),
        n if n <= NAMED => format!("{} and {}", items[..n - 1].join(", "), items[n - 1]),
        n => format!("{}, and {} more", items[..NAMED].join(", "), n - NAMED),
    }
}
