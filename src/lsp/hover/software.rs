//! Hover texts for what runs on the hardware: vms, tiers, services,
//! clients, CDNs, flows and partitions.

use super::facility::fault_domains_of;
use super::{labelled, listed, names, paragraph, word};
use crate::analyze::failure::load;
use crate::analyze::percent;
use crate::analyze::serving_text::{capacity_text, load_text, rps};
use crate::model::{
    CdnId, ClientId, ClientKind, Content, FlowId, HaMode, Host, Member, PartitionId, Project,
    Replication, ReplicationMode, ServiceId, TierCoupling, TierId, TierRole, VmId,
};

pub(super) fn vm(p: &Project, v: VmId, out: &mut String) {
    let vm = &p.vms[v.index()];
    let mut values = Vec::new();
    if let Some(host) = vm.host {
        values.push(format!("on `{}`", p.devices[host.value.index()].name));
    }
    if let Some(failover) = vm.failover {
        values.push(format!(
            "failover `{}`",
            p.devices[failover.value.index()].name
        ));
    }
    if let Some(ram) = vm.ram {
        values.push(format!("ram {}", ram.value));
    }
    if !values.is_empty() {
        paragraph(out, values.join(", "));
    }
    labelled(
        out,
        "runs",
        names(
            p.services
                .iter()
                .filter(|s| s.hosts.iter().any(|h| h.value == Host::Vm(v)))
                .map(|s| s.name.as_str()),
        ),
    );
    fault_domains_of(p, Member::Vm(v), out);
}

pub(super) fn tier(p: &Project, t: TierId, out: &mut String) {
    let tier = &p.tiers[t.index()];
    // The level the tier rules judge by: the role's when every tier has
    // one, else the order of declaration.
    let coupling = TierCoupling::of(&p.tiers);
    let level = coupling.level(t) + 1;
    let line = match tier.role.map(|r| r.value) {
        Some(TierRole::Cache) if coupling.by_role => {
            "role cache: beside the data level (calls into it skip nothing)".to_string()
        }
        Some(role) if coupling.by_role => format!(
            "role {}: coupling level {level} from the top (by role)",
            word(&TierRole::ALL, &role)
        ),
        Some(role) => format!(
            "level {level} from the top, role {} (levels follow declaration order: not every tier has a role)",
            word(&TierRole::ALL, &role)
        ),
        None => format!("level {level} from the top"),
    };
    paragraph(out, line);
    labelled(
        out,
        "services",
        names(
            p.services
                .iter()
                .filter(|s| s.tier.is_some_and(|x| x.value == t))
                .map(|s| s.name.as_str()),
        ),
    );
}

pub(super) fn service(p: &Project, s: ServiceId, out: &mut String) {
    let svc = &p.services[s.index()];
    let hosts: Vec<&str> = svc.hosts.iter().map(|h| p.host_name(h.value)).collect();
    let vms = svc
        .hosts
        .iter()
        .filter(|h| matches!(h.value, Host::Vm(_)))
        .count();
    let on_vms = if vms > 0 {
        format!(" ({vms} on vms)")
    } else {
        String::new()
    };
    out.push_str(&format!(
        "\n\n{} instances on {}{on_vms}",
        hosts.len(),
        hosts.join(", ")
    ));
    if let Some(t) = svc.tier {
        out.push_str(&format!("\n\ntier `{}`", p.tiers[t.value.index()].name));
    }
    let load = load::loads(p).0.swap_remove(s.index());
    let mut values = Vec::new();
    match load::serving(p, s, load.as_ref(), |_| true) {
        // The figures `overload` weighs, with every instance up.
        Some(groups) => {
            let load = load.as_ref().map_or(String::new(), |l| load_text(p, l));
            for g in groups {
                let on = format!(
                    "on {}: {}",
                    capacity_text(p, s, &g),
                    percent(g.load / g.total())
                );
                paragraph(
                    out,
                    match g.shard {
                        Some(k) => format!(
                            "shard {}: {} of {load} = {} {on}",
                            k + 1,
                            percent(g.share),
                            rps(g.load)
                        ),
                        None => format!("load {load} {on}"),
                    },
                );
            }
        }
        None => {
            if let Some(l) = &load {
                values.push(format!("load {}", load_text(p, l)));
            }
            if let Some(cap) = svc.capacity {
                values.push(format!("capacity {} per instance", cap.value));
            }
        }
    }
    if svc.stateful.is_some() {
        values.push("stateful".into());
    }
    if let Some(ha) = svc.ha {
        values.push(format!("ha {}", word(&HaMode::ALL, &ha.value)));
    }
    if let Some(n) = svc.max_connections {
        values.push(format!("max-connections {}", n.value));
    }
    if let Some(cache) = svc.cache {
        values.push(format!("cache {}", cache.value));
    }
    if let Some(storage) = svc.storage {
        values.push(format!(
            "storage `{}`",
            p.devices[storage.value.index()].name
        ));
    }
    if let Some(model) = &svc.process_model {
        values.push(format!("process-model {}", model.value));
    }
    if let Some(n) = svc.workers {
        values.push(format!("workers {}", n.value));
    }
    if let Some(n) = svc.threads {
        values.push(format!("threads {}", n.value));
    }
    if let Some(shard) = &svc.shard {
        let shards = shard.weights.as_ref().map_or(0, |w| w.value.len());
        values.push(format!("shard by {}, {shards} shards", shard.key));
    }
    if !values.is_empty() {
        paragraph(out, values.join(", "));
    }
    let service_name = |id: ServiceId| p.services[id.index()].name.as_str();
    labelled(
        out,
        "calls",
        names(svc.calls.iter().map(|c| service_name(c.value))),
    );
    labelled(
        out,
        "pools",
        listed(
            svc.pools
                .iter()
                .map(|pool| format!("`{}` {}", service_name(pool.value.0), pool.value.1)),
        ),
    );
    labelled(
        out,
        "resolves",
        names(svc.resolves.iter().map(|h| p.hop_name(h.value))),
    );
    if let Some(primary) = svc.takes_over {
        paragraph(out, format!("takes over `{}`", service_name(primary.value)));
    }
    labelled(
        out,
        "taken over by",
        names(
            p.services
                .iter()
                .filter(|x| x.takes_over.is_some_and(|t| t.value == s))
                .map(|x| x.name.as_str()),
        ),
    );
    for r in p.replications.iter().filter(|r| r.from.value == s) {
        let to = service_name(r.to.value);
        paragraph(out, format!("replicates to `{to}`{}", replication(r)));
    }
    for r in p.replications.iter().filter(|r| r.to.value == s) {
        let from = service_name(r.from.value);
        paragraph(out, format!("replica of `{from}`{}", replication(r)));
    }
}

/// `: async, rpo 1 min, write-rate 200 MB/s`, or nothing.
fn replication(r: &Replication) -> String {
    let mut values = Vec::new();
    if let Some(mode) = r.mode {
        values.push(word(&ReplicationMode::ALL, &mode.value).to_string());
    }
    if let Some(rpo) = r.rpo {
        values.push(format!("rpo {}", rpo.value));
    }
    if let Some(rto) = r.rto {
        values.push(format!("rto {}", rto.value));
    }
    if let Some(rate) = r.write_rate {
        values.push(format!("write-rate {}", rate.value));
    }
    if values.is_empty() {
        String::new()
    } else {
        format!(": {}", values.join(", "))
    }
}

pub(super) fn client(p: &Project, c: ClientId, out: &mut String) {
    match p.clients[c.index()].kind.as_ref().map(|k| &k.value) {
        Some(ClientKind::Browser) => paragraph(out, "a browser"),
        Some(ClientKind::Software { name, version }) => {
            let version = version
                .as_ref()
                .map(|v| format!(" {v}"))
                .unwrap_or_default();
            paragraph(out, format!("software {name}{version}"));
        }
        None => {}
    }
}

pub(super) fn cdn(p: &Project, c: CdnId, out: &mut String) {
    let cdn = &p.cdns[c.index()];
    let mut values = Vec::new();
    if let Some(origin) = cdn.origin {
        values.push(format!(
            "origin `{}`",
            p.services[origin.value.index()].name
        ));
    }
    if let Some(pops) = cdn.pops {
        values.push(format!("pops {}", pops.value));
    }
    if !values.is_empty() {
        paragraph(out, values.join(", "));
    }
}

pub(super) fn flow(p: &Project, f: FlowId, out: &mut String) {
    let flow = &p.flows[f.index()];
    for path in &flow.paths {
        let hops: Vec<&str> = path.iter().map(|h| p.hop_name(h.value)).collect();
        paragraph(out, hops.join(" → "));
    }
    let mut values = Vec::new();
    if let Some(content) = flow.content {
        values.push(format!("content {}", word(&Content::ALL, &content.value)));
    }
    if let Some(rate) = flow.rate {
        values.push(format!("rate {}", rate.value));
    }
    if !values.is_empty() {
        paragraph(out, values.join(", "));
    }
}

pub(super) fn partition(p: &Project, pt: PartitionId, out: &mut String) {
    let partition = &p.partitions[pt.index()];
    labelled(
        out,
        "services",
        names(
            partition
                .services
                .iter()
                .map(|s| p.services[s.value.index()].name.as_str()),
        ),
    );
}
