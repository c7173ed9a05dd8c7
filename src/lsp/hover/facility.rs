//! Hover texts for the places and power of a data centre: sites, power
//! sources, feeds, racks and fault domains.

use super::{counted, labelled, listed, names, paragraph, word};
use crate::analyze::missing_draw::count_text;
use crate::analyze::power::PowerModel;
use crate::analyze::power::{rack_power, Whose};
use crate::analyze::rack_cooling::{btu_per_hour, rack_heat};
use crate::model::units::Kilograms;
use crate::model::{
    Circuit, DeviceId, FaultDomainId, FeedId, Member, PowerId, PowerKind, Project, RackId, SiteId,
    SiteRole,
};

pub(super) fn site(p: &Project, id: SiteId, out: &mut String) {
    let site = &p.sites[id.index()];
    let mut values = Vec::new();
    if let Some(role) = site.role {
        values.push(format!("role {}", word(&SiteRole::ALL, &role.value)));
    }
    if let Some(backs) = site.backs {
        values.push(format!("backs `{}`", p.sites[backs.value.index()].name));
    }
    if let Some(upstream) = site.upstream {
        values.push(format!(
            "upstream `{}`",
            p.sites[upstream.value.index()].name
        ));
    }
    if let Some(uplink) = site.uplink {
        values.push(format!("uplink {}", uplink.value));
    }
    if !values.is_empty() {
        paragraph(out, values.join(", "));
    }
    labelled(
        out,
        "entry",
        names(site.entry.iter().map(|d| device_name(p, d.value))),
    );
    labelled(
        out,
        "backed by",
        names(
            p.sites
                .iter()
                .filter(|s| s.backs.is_some_and(|b| b.value == id))
                .map(|s| s.name.as_str()),
        ),
    );
    let here = |s: Option<SiteId>| s == Some(id);
    let held = [
        counted(
            p.powers
                .iter()
                .filter(|s| here(s.site.map(|x| x.value)))
                .count(),
            "power source",
        ),
        counted(
            p.feeds
                .iter()
                .filter(|f| here(f.site.map(|x| x.value)))
                .count(),
            "feed",
        ),
        counted(
            p.racks
                .iter()
                .filter(|r| here(r.site.map(|x| x.value)))
                .count(),
            "rack",
        ),
        counted(p.devices.iter().filter(|d| here(d.site)).count(), "device"),
    ];
    let held: Vec<String> = held.into_iter().flatten().collect();
    if !held.is_empty() {
        paragraph(out, format!("holds {}", held.join(", ")));
    }
}

/// `30.0 A at 208 V`, `500 kVA`: a limit as written.
fn circuit(c: &Circuit) -> String {
    match c.voltage {
        Some(v) => format!("{} at {v}", c.limit),
        None => c.limit.to_string(),
    }
}

fn phases(n: u32) -> String {
    if n == 1 {
        "1 phase".into()
    } else {
        format!("{n} phases")
    }
}

pub(super) fn power(p: &Project, id: PowerId, out: &mut String) {
    let source = &p.powers[id.index()];
    let mut values = Vec::new();
    if let Some(kind) = source.kind {
        values.push(format!("kind {}", word(&PowerKind::ALL, &kind.value)));
    }
    if let Some(s) = source.site {
        values.push(format!("site `{}`", p.sites[s.value.index()].name));
    }
    if !values.is_empty() {
        paragraph(out, values.join(", "));
    }
    let mut capacity = Vec::new();
    if let Some(c) = source.capacity {
        capacity.push(format!("capacity {}", circuit(&c.value)));
    }
    if let Some(n) = source.phases {
        capacity.push(phases(n.value));
    }
    if !capacity.is_empty() {
        paragraph(out, capacity.join(", "));
    }
    match source.from {
        Some(from) => paragraph(out, format!("from `{}`", p.powers[from.value.index()].name)),
        None => paragraph(out, "a root: it draws from no other source"),
    }
    let draws_from_it = |from: Option<PowerId>| from == Some(id);
    labelled(
        out,
        "feeds drawing from it:",
        names(
            p.feeds
                .iter()
                .filter(|f| draws_from_it(f.from.map(|x| x.value)))
                .map(|f| f.name.as_str()),
        ),
    );
    labelled(
        out,
        "sources drawing from it:",
        names(
            p.powers
                .iter()
                .filter(|s| draws_from_it(s.from.map(|x| x.value)))
                .map(|s| s.name.as_str()),
        ),
    );
}

pub(super) fn feed(p: &Project, id: FeedId, out: &mut String) {
    let feed = &p.feeds[id.index()];
    if let Some(s) = feed.site {
        paragraph(out, format!("site `{}`", p.sites[s.value.index()].name));
    }
    let mut values = Vec::new();
    if let Some(c) = feed.circuit {
        values.push(format!("circuit {}", circuit(&c.value)));
    }
    if let Some(n) = feed.phases {
        values.push(phases(n.value));
    }
    if let Some(rated) = feed.rated {
        values.push(format!("rated {}", rated.value));
    }
    if !values.is_empty() {
        paragraph(out, values.join(", "));
    }
    if let Some(from) = feed.from {
        paragraph(out, format!("from `{}`", p.powers[from.value.index()].name));
    }
    let on_it: Vec<RackId> = (0..p.racks.len() as u32)
        .map(RackId)
        .filter(|r| p.racks[r.index()].feeds.iter().any(|f| f.value == id))
        .collect();
    labelled(
        out,
        "racks on it:",
        names(on_it.iter().map(|r| p.racks[r.index()].name.as_str())),
    );
    // Devices that name their feeds are in the racks on the feed.
    labelled(
        out,
        "devices whose supplies connect to it:",
        names(
            on_it
                .iter()
                .flat_map(|r| &p.racks[r.index()].devices)
                .filter(|d| p.devices[d.index()].feeds.iter().any(|f| f.value == id))
                .map(|&d| device_name(p, d)),
        ),
    );
}

pub(super) fn rack(p: &Project, r: RackId, out: &mut String) {
    let rack = &p.racks[r.index()];
    out.push_str(&format!(
        "\n\n{}U, {} devices, {}U used",
        rack.height.value,
        rack.devices.len(),
        p.rack_units_used(r)
    ));
    // The figures the elevation's power bar shows. Devices without a draw
    // count as 0: every figure is then a lower bound.
    let model = PowerModel::new(p);
    let power = rack_power(p, &model, r);
    let missing = power.missing;
    let at_least = if missing > 0 { "≥ " } else { "" };
    let feed = |f: FeedId| format!("`{}`", p.feeds[f.index()].name);
    match power.limited {
        Some(l) => {
            let whose = match l.whose {
                Whose::Feed(f, Some(other)) => {
                    format!("feed {} if {} fails", feed(f), feed(other))
                }
                Whose::Feed(f, None) => format!("feed {}", feed(f)),
                Whose::Own => "the rack's own limit".to_string(),
            };
            out.push_str(&format!(
                "\n\npower: {at_least}{} of {}, {:.0} % ({whose})",
                l.load,
                l.capacity,
                l.load / l.capacity * 100.0
            ));
        }
        None => out.push_str(&format!("\n\npower: {at_least}{}, no budget", power.drawn)),
    }
    if let Some(cooling) = rack
        .cooling
        .as_deref()
        .copied()
        .filter(|c| c.value.get() > 0.0)
    {
        let heat = rack_heat(p, r);
        out.push_str(&format!(
            "\n\nheat: {at_least}{heat} ({}) of {} cooling, {:.0} %",
            btu_per_hour(heat),
            cooling.value,
            heat / cooling.value * 100.0
        ));
    }
    if missing > 0 {
        out.push_str(&format!(
            "\n\n{}: the figures are a lower bound",
            count_text(missing)
        ));
    }
    let weight: Kilograms = rack
        .devices
        .iter()
        .filter_map(|&d| p.devices[d.index()].props.weight.map(|w| w.value))
        .sum::<Kilograms>()
        + rack.weight.map_or(Kilograms::new(0.0), |w| w.value);
    match rack.max_weight {
        Some(max) => out.push_str(&format!("\n\nweight: {weight} of {}", max.value)),
        None => out.push_str(&format!("\n\nweight: {weight}")),
    }
    let mut values = Vec::new();
    if let Some(s) = rack.site {
        values.push(format!("site `{}`", p.sites[s.value.index()].name));
    }
    if let Some(v) = rack.voltage.as_deref() {
        values.push(format!("voltage {}", v.value));
    }
    if let Some(power) = rack.power.as_deref() {
        values.push(format!("power {}", circuit(&power.value)));
    }
    if let Some(cooling) = rack.cooling.as_deref() {
        values.push(format!("cooling {}", cooling.value));
    }
    if let Some(airflow) = rack.airflow.as_deref() {
        values.push(format!("airflow {}", airflow.value.name()));
    }
    if let Some(w) = rack.weight {
        values.push(format!("empty weight {}", w.value));
    }
    if !values.is_empty() {
        paragraph(out, values.join(", "));
    }
    labelled(
        out,
        "feeds",
        names(
            rack.feeds
                .iter()
                .map(|f| p.feeds[f.value.index()].name.as_str()),
        ),
    );
    fault_domains_of(p, Member::Rack(r), out);
}

pub(super) fn fault_domain(p: &Project, f: FaultDomainId, out: &mut String) {
    let domain = &p.fault_domains[f.index()];
    let members = listed(domain.members.iter().map(|m| match m.value {
        Member::Device(d) => format!(
            "{} `{}`",
            p.devices[d.index()].kind.keyword(),
            p.devices[d.index()].name
        ),
        Member::Vm(v) => format!("vm `{}`", p.vms[v.index()].name),
        Member::Rack(r) => format!("rack `{}`", p.racks[r.index()].name),
    }));
    if members.is_empty() {
        paragraph(out, "no members");
    } else {
        paragraph(out, format!("members: {members}"));
    }
}

/// `in fault domains `tor-stack1`, `row1``: the domains listing the member.
pub(super) fn fault_domains_of(p: &Project, member: Member, out: &mut String) {
    labelled(
        out,
        "in fault domains",
        names(
            p.fault_domains
                .iter()
                .filter(|f| f.members.iter().any(|m| m.value == member))
                .map(|f| f.name.as_str()),
        ),
    );
}

fn device_name(p: &Project, d: DeviceId) -> &str {
    &p.devices[d.index()].name
}
