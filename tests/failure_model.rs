//! The failure analysis against a brute-force reference: on small random
//! topologies, every candidate is failed alone and every flow re-evaluated
//! from scratch; the flows it stops must be exactly those the kill-set
//! analysis says.
//!
//! Flows enter from a client (through a site's `entry` devices where it
//! declares them) or start at a service; every next hop is reached from
//! the serving instances of the one before. Services may be active-standby
//! (only the first member up serves, per shard), quorum (only members that
//! a member with a majority reaches serve) or sharded (host j holds shard j mod N, every shard
//! needs its own serving instance).
//!
//! The topologies have power sources in a tree (feeds drawing `from`
//! them), devices with `psu N` or naming their `feeds`, and fault domains
//! over devices, vms and racks; the reference applies those rules plainly.
//! They mix Ethernet and Fibre Channel links (and links in b/s,
//! B/s or without speed, which are Ethernet), forwarding devices (switch,
//! router, firewall, lb) and endpoints that must not forward (server,
//! storage, pdu, device), and services whose `storage` must be reached over
//! either network. The reference evaluates paths by plain breadth-first
//! search over one medium at a time; it is `tests/support/brute.rs`,
//! shared with the DR take-over test.

mod support;

use std::collections::BTreeSet;
use support::brute::{candidates, check_random, Rng, World};
use topo::analyze::failure::{Candidate, Failures, Universe};
use topo::model::*;

/// A random but valid project: sites, feeds, racks, servers and switches,
/// cables, vms with failover, services with storage and capacity, dns,
/// and flows.
fn random_project(rng: &mut Rng) -> String {
    let mut t = String::new();
    let sites = 1 + rng.below(2);
    // Power sources in a tree: each may draw from an earlier one.
    let powers = rng.below(4);
    for i in 0..powers {
        let from = if i > 0 && rng.chance(60) {
            format!("; from p{}", rng.below(i))
        } else {
            String::new()
        };
        t += &format!(
            "power p{i} {{ site s{}; kind ups; capacity 100kVA{from} }}\n",
            rng.below(sites)
        );
    }
    let racks = 1 + rng.below(3);
    let mut feeds = 0;
    let mut rack_feeds = Vec::new();
    for r in 0..racks {
        let site = rng.below(sites);
        let n = rng.below(4);
        let mut names = Vec::new();
        for _ in 0..n {
            let from = if powers > 0 && rng.chance(60) {
                format!("; from p{}", rng.below(powers))
            } else {
                String::new()
            };
            t += &format!("feed f{feeds} {{ site s{site}; circuit 30A at 208V{from} }}\n");
            names.push(format!("f{feeds}"));
            feeds += 1;
        }
        if rng.chance(30) && feeds > 0 {
            let shared = format!("f{}", rng.below(feeds)); // a feed shared with another rack
            if !names.contains(&shared) {
                names.push(shared);
            }
        }
        let feeds_line = if names.is_empty() {
            String::new()
        } else {
            format!("; feeds {}", names.join(" "))
        };
        t += &format!("rack r{r} {{ site s{site}{feeds_line} }}\n");
        rack_feeds.push(names);
    }
    let devices = 3 + rng.below(8);
    let mut next_u = vec![1; racks];
    const KINDS: [&str; 12] = [
        "switch", "switch", "switch", "router", "firewall", "lb", "server", "server", "server",
        "storage", "pdu", "device",
    ];
    for d in 0..devices {
        let kind = if d % 3 == 0 {
            "switch"
        } else {
            KINDS[rng.below(KINDS.len())]
        };
        // No `psu` (every rack feed), or 1 to 3 of them.
        let psu = match rng.below(4) {
            0 => String::new(),
            n => format!("; psu {n}"),
        };
        let redundant = if rng.chance(8) { "; redundant" } else { "" };
        if rng.chance(80) {
            let r = rng.below(racks);
            // Some devices name a subset of their rack's feeds.
            let mut named = String::new();
            if !rack_feeds[r].is_empty() && rng.chance(25) {
                let chosen: Vec<&String> =
                    rack_feeds[r].iter().filter(|_| rng.chance(50)).collect();
                if !chosen.is_empty() {
                    let list: Vec<&str> = chosen.iter().map(|s| s.as_str()).collect();
                    named = format!("; feeds {}", list.join(" "));
                }
            }
            t += &format!(
                "{kind} d{d} {{ rack r{r} at U{}; size 1U{psu}{named}{redundant} }}\n",
                next_u[r]
            );
            next_u[r] += 1;
        } else {
            t += &format!(
                "{kind} d{d} {{ site s{}{psu}{redundant} }}\n",
                rng.below(sites)
            );
        }
    }
    if rng.chance(80) {
        for _ in 0..devices + rng.below(devices) {
            let (a, b) = (rng.below(devices), rng.below(devices));
            if a != b {
                const SPEEDS: [&str; 6] = [
                    " { speed 25GbE }",
                    " { speed 32GFC }",
                    " { speed 16GFC }",
                    " { speed 10Gb/s }",
                    " { speed 1GB/s }",
                    "",
                ];
                let speed = SPEEDS[rng.below(SPEEDS.len())];
                t += &format!("link d{a} to d{b}{speed}\n");
            }
        }
    }
    let vms = rng.below(3);
    for v in 0..vms {
        let host = rng.below(devices);
        let failover = if rng.chance(60) {
            format!(" {{ failover d{} }}", rng.below(devices))
        } else {
            String::new()
        };
        t += &format!("vm v{v} on d{host}{failover}\n");
    }
    // Fault domains over random devices, vms and racks.
    for i in 0..rng.below(3) {
        let mut members = BTreeSet::new();
        for _ in 0..1 + rng.below(3) {
            members.insert(match rng.below(3) {
                0 if vms > 0 => format!("v{}", rng.below(vms)),
                1 => format!("r{}", rng.below(racks)),
                _ => format!("d{}", rng.below(devices)),
            });
        }
        let members: Vec<String> = members.into_iter().collect();
        t += &format!("fault-domain fd{i} {{ members {} }}\n", members.join(" "));
    }
    // Sites, some with entry devices outside traffic must pass.
    for s in 0..sites {
        if rng.chance(40) {
            let entry: BTreeSet<String> = (0..1 + rng.below(2))
                .map(|_| format!("d{}", rng.below(devices)))
                .collect();
            let entry: Vec<String> = entry.into_iter().collect();
            t += &format!("site s{s} {{ entry {} }}\n", entry.join(" "));
        } else {
            t += &format!("site s{s}\n");
        }
    }
    let services = 2 + rng.below(3);
    for s in 0..services {
        let mut hosts = BTreeSet::new();
        for _ in 0..1 + rng.below(4) {
            if vms > 0 && rng.chance(30) {
                hosts.insert(format!("v{}", rng.below(vms)));
            } else {
                hosts.insert(format!("d{}", rng.below(devices)));
            }
        }
        let mut props = Vec::new();
        match rng.below(10) {
            0..=2 => props.push("ha active-standby".to_string()),
            3 => props.push("ha quorum".to_string()),
            _ => {}
        }
        // Shards: two weights over an even number of hosts, or one shard
        // per host.
        if hosts.len() > 1 && rng.chance(25) {
            let n = if hosts.len() % 2 == 0 && rng.chance(50) {
                2
            } else {
                hosts.len()
            };
            let weights: Vec<String> = (0..n)
                .map(|g| format!("{}%", 100 / n + usize::from(g < 100 % n)))
                .collect();
            props.push(format!("shard by key {{ weights {} }}", weights.join(" ")));
        }
        if rng.chance(35) {
            props.push(format!("storage d{}", rng.below(devices)));
        }
        if rng.chance(30) {
            props.push(format!("load {}rps; capacity 100rps", 50 + rng.below(250)));
        }
        let hosts: Vec<String> = hosts.into_iter().collect();
        t += &format!(
            "service svc{s} on {} {{ {} }}\n",
            hosts.join(" "),
            props.join("; ")
        );
    }
    if rng.chance(50) {
        t += &format!("dns ns on d{} {{ resolves svc0 }}\n", rng.below(devices));
    }
    if rng.chance(40) {
        t += &format!("replicate svc0 to svc{}\n", 1 + rng.below(services - 1));
    }
    t += "client user { browser }\n";
    for f in 0..1 + rng.below(3) {
        let hops = 1 + rng.below(3);
        let path: Vec<String> = (0..hops)
            .map(|_| format!("svc{}", rng.below(services)))
            .collect();
        // Some flows start inside, at a service (two hops at least).
        let start = if path.len() > 1 && rng.chance(35) {
            ""
        } else {
            "user -> "
        };
        t += &format!("flow flow{f} {{ {start}{} }}\n", path.join(" -> "));
    }
    t
}

#[test]
fn kill_sets_match_brute_force_on_random_topologies() {
    let mut rng = Rng(0x7090_f417);
    let mut compared = 0;
    let mut stopped = 0;
    let mut storage_checked = 0;
    let mut replications_cut = 0;
    let mut cut_off = 0;
    let mut power_or_domain = 0;
    // Flows compared with an active-standby, quorum or sharded service, an
    // entry, or starting inside.
    let mut features = [0usize; 5];
    for round in 0..1800 {
        let text = random_project(&mut rng);
        let checked = check_random(round, &text);
        let p = &checked.project;
        let fast = Failures::compute(p, &Universe::spof(p));
        let sites = p.sites.len() > 1;
        let baseline = World::baseline(p, sites);
        // Replication runs over Ethernet between up instances.
        let expected: Vec<ReplicationId> = (0..p.replications.len())
            .map(|i| ReplicationId(i as u32))
            .filter(|r| {
                let r = &p.replications[r.index()];
                let (a, b) = (
                    baseline.live_attachments(r.from.value),
                    baseline.live_attachments(r.to.value),
                );
                !p.links.is_empty()
                    && !a.is_empty()
                    && !b.is_empty()
                    && !baseline.connected(&a, &b, false)
            })
            .collect();
        assert_eq!(
            fast.replication_unreachable, expected,
            "round {round}: replication\n{text}"
        );
        replications_cut += expected.len();
        // Instances up with nothing failed: the storage paths agree.
        for (si, svc) in p.services.iter().enumerate() {
            let s = ServiceId(si as u32);
            for (h, instance) in svc.hosts.iter().zip(&fast.instances[si]) {
                let up = baseline.instance_up(s, h.value).is_some()
                    || baseline.attachment(h.value).is_none();
                assert_eq!(
                    instance.up, up,
                    "round {round}: {} on {h:?}\n{text}",
                    svc.name
                );
                if svc.storage.is_some() && !p.links.is_empty() {
                    storage_checked += 1;
                    cut_off += usize::from(!up);
                }
            }
        }
        for (i, flow) in p.flows.iter().enumerate() {
            let id = FlowId(i as u32);
            let base = baseline.flow_base(&flow.paths);
            let works = baseline.flow_works(&flow.paths, Some(&base));
            assert_eq!(
                !works, fast.broken[i],
                "round {round}: flow{i} broken?\n{text}"
            );
            if !works {
                continue;
            }
            let expected: BTreeSet<Candidate> = candidates(p)
                .into_iter()
                .filter(|&c| {
                    let mut world = World::new(p, sites, Some(c));
                    world.never_up = baseline.never_up.clone();
                    !world.flow_works(&flow.paths, Some(&base))
                })
                .collect();
            let found: BTreeSet<Candidate> = fast.flow_stoppers(id).map(|(c, _)| c).collect();
            assert_eq!(found, expected, "round {round}: flow{i}\n{text}");
            compared += 1;
            stopped += expected.len();
            // Which of the v2 rules this flow exercised.
            let services: Vec<&Service> = flow
                .paths
                .iter()
                .flatten()
                .filter_map(|h| match h.value {
                    Hop::Service(s) => Some(&p.services[s.index()]),
                    _ => None,
                })
                .collect();
            let ha = |mode: HaMode| {
                services
                    .iter()
                    .any(|s| s.ha.is_some_and(|h| h.value == mode))
            };
            features[0] += usize::from(ha(HaMode::ActiveStandby));
            features[1] += usize::from(ha(HaMode::Quorum));
            features[2] += usize::from(services.iter().any(|s| s.shard.is_some()));
            features[3] += usize::from(p.sites.iter().any(|s| !s.entry.is_empty()));
            features[4] += usize::from(
                flow.paths
                    .iter()
                    .any(|x| matches!(x[0].value, Hop::Service(_))),
            );
            power_or_domain += expected
                .iter()
                .filter(|c| matches!(c, Candidate::Power(_) | Candidate::FaultDomain(_)))
                .count();
        }
    }
    eprintln!(
        "compared {compared} flows, {stopped} stoppers; {storage_checked} storage paths, {cut_off} cut off; {replications_cut} replications unreachable; {power_or_domain} stoppers are power sources or fault domains"
    );
    eprintln!("active-standby, quorum, shards, entry, inside: {features:?}");
    assert!(
        features.iter().all(|&n| n > 200),
        "the generator exercises too little: {features:?}"
    );
    assert!(
        power_or_domain > 300,
        "only {power_or_domain} power sources or fault domains stop flows"
    );
    assert!(compared > 2000, "only {compared} flows compared");
    assert!(
        replications_cut > 50,
        "only {replications_cut} replications cut"
    );
    assert!(
        cut_off > 50 && storage_checked > cut_off * 2,
        "storage paths: {cut_off} of {storage_checked} cut off"
    );
    assert!(
        stopped > 2000,
        "only {stopped} stoppers: the generator is too healthy to test much"
    );
}
