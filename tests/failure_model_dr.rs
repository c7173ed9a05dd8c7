//! DR take-over against a brute-force reference: on small random
//! primary/DR projects, every site is failed alone and every flow it stops
//! is followed again from scratch with each stopped hop replaced by its
//! taker at a DR site (`takes-over` on a service there, else the target
//! there of `replicate`); `Failures::dr_recovers` must agree, and `topo
//! check` must report the site by `dr-failover` for exactly the flows the
//! DR site brings back and by `spof` for exactly the others.
//!
//! A hop is *stopped* when, with the site failed and served from the hops
//! before it (themselves perhaps replaced), it is left without enough
//! serving instances: too few up, cut off from its callers, its quorum or
//! a shard lost. A service with an instance left elsewhere that the site
//! cuts off is replaced too, and so is a hop that does not work where it
//! now sits even with nothing failed (served from a replaced hop at the DR
//! site, it may reach none of its primary-site instances): the replaced
//! flow must work with nothing failed and with the site failed.
//!
//! The reference `World` is `tests/support/brute.rs`, shared with
//! `tests/failure_model.rs` (serving instances chained from the entry,
//! active-standby, quorum membership, shards, storage, media, transit):
//! it is independent of the crate's kill sets.

mod support;

use std::collections::BTreeSet;
use support::brute::{check_random, Rng, World};
use topo::analyze::failure::{Candidate, Failures, Universe};
use topo::check::check_sources;
use topo::model::*;

/// A random primary/DR project: two or three sites, s1 backing s0 and
/// s2 backing s0 or s1 (or no DR role); per site a rack with a switch,
/// servers cabled to it (not all) and a storage array; sometimes WAN links
/// between the switches and `entry` switches; services at the backed sites
/// with takers at their DR sites by `takes-over`, `replicate` or both —
/// sometimes none, sometimes one cut off or storing its data at the
/// primary —; and flows from a client through one to three services.
fn random_project(rng: &mut Rng) -> String {
    let mut t = String::new();
    let sites = 2 + rng.below(2);
    // backs[k]: the site s{k} backs.
    let mut backs: Vec<Option<usize>> = vec![None, Some(0)];
    if sites == 3 {
        backs.push(match rng.below(10) {
            0..=3 => Some(0),
            4..=6 => Some(1),
            _ => None,
        });
    }
    let servers: Vec<usize> = (0..sites).map(|_| 2 + rng.below(3)).collect();
    for k in 0..sites {
        let mut props = Vec::new();
        match backs[k] {
            Some(b) => {
                props.push("role dr".to_string());
                props.push(format!("backs s{b}"));
            }
            None if k == 0 => props.push("role primary".to_string()),
            None => {}
        }
        if rng.chance(25) {
            props.push(format!("entry sw{k}"));
        }
        t += &format!("site s{k} {{ {} }}\n", props.join("; "));
        t += &format!("rack r{k} {{ site s{k} }}\n");
        t += &format!("switch sw{k} {{ rack r{k} at U1; size 1U }}\n");
        t += &format!("storage st{k} {{ rack r{k} at U2; size 2U }}\n");
        if rng.chance(90) {
            t += &format!("link st{k} to sw{k}\n");
        }
        for j in 0..servers[k] {
            t += &format!("server h{k}x{j} {{ rack r{k} at U{}; size 1U }}\n", 4 + j);
            if rng.chance(85) {
                t += &format!("link h{k}x{j} to sw{k}\n");
            }
        }
    }
    for a in 0..sites {
        for b in a + 1..sites {
            if rng.chance(55) {
                t += &format!("link sw{a} to sw{b}\n");
            }
        }
    }
    let server = |rng: &mut Rng, k: usize| format!("h{k}x{}", rng.below(servers[k]));
    // Sites that some DR site backs: where the services live.
    let backed: Vec<usize> = (0..sites).filter(|k| backs.contains(&Some(*k))).collect();
    let services = 1 + rng.below(3);
    let mut takers = String::new();
    for i in 0..services {
        let home = backed[rng.below(backed.len())];
        let mut hosts = BTreeSet::new();
        for _ in 0..1 + rng.below(2) {
            hosts.insert(server(rng, home));
        }
        // An instance elsewhere keeps the service up when its site fails.
        if rng.chance(12) {
            let other = (home + 1 + rng.below(sites - 1)) % sites;
            hosts.insert(server(rng, other));
        }
        let mut props = Vec::new();
        if rng.chance(20) {
            props.push("ha active-standby".to_string());
        }
        if rng.chance(20) {
            props.push(format!("storage st{home}"));
        }
        let hosts: Vec<String> = hosts.into_iter().collect();
        t += &format!(
            "service svc{i} on {} {{ {} }}\n",
            hosts.join(" "),
            props.join("; ")
        );
        for (d, _) in backs.iter().enumerate().filter(|(_, b)| **b == Some(home)) {
            // The taker's storage: none, its own site's, or the primary's
            // (it then fails with the site it should replace).
            let storage = |rng: &mut Rng| match rng.below(10) {
                0..=1 => format!(" {{ storage st{home} }}"),
                2 => format!(" {{ storage st{d} }}"),
                _ => String::new(),
            };
            let (over, replica) = match rng.below(20) {
                0..=3 => (false, false),
                4..=10 => (true, false),
                11..=16 => (false, true),
                _ => (true, true),
            };
            if over {
                let s = storage(rng);
                let s = if s.is_empty() {
                    format!(" {{ takes-over svc{i} }}")
                } else {
                    format!(" {{ takes-over svc{i};{}", &s[2..])
                };
                takers += &format!("service svc{i}-t{d} on {}{s}\n", server(rng, d));
            }
            if replica {
                let s = storage(rng);
                takers += &format!("service svc{i}-r{d} on {}{s}\n", server(rng, d));
                takers += &format!("replicate svc{i} to svc{i}-r{d}\n");
            }
        }
    }
    t += &takers;
    t += "client user { browser }\n";
    for f in 0..1 + rng.below(3) {
        let path: Vec<String> = (0..1 + rng.below(3))
            .map(|_| format!("svc{}", rng.below(services)))
            .collect();
        t += &format!("flow flow{f} {{ user -> {} }}\n", path.join(" -> "));
    }
    t
}

/// The taker of `primary` at site `dr`: the first service with
/// `takes-over primary` and a host there, else the first target there of
/// `replicate primary to ...`.
fn taker(p: &Project, primary: ServiceId, dr: SiteId) -> Option<ServiceId> {
    let at = |s: ServiceId| {
        p.services[s.index()].hosts.iter().any(|h| {
            p.host_device(h.value)
                .is_some_and(|d| p.devices[d.index()].site == Some(dr))
        })
    };
    let over = (0..p.services.len())
        .map(|i| ServiceId(i as u32))
        .find(|&s| {
            p.services[s.index()]
                .takes_over
                .is_some_and(|t| t.value == primary)
                && at(s)
        });
    over.or_else(|| {
        p.replications
            .iter()
            .find(|r| r.from.value == primary && at(r.to.value))
            .map(|r| r.to.value)
    })
}

/// How the reference saw a (site, flow) the site stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Recovered,
    /// The site has no DR site.
    NoDrSite,
    /// Every DR site lacks a taker for some stopped hop (or there is no
    /// DR site).
    NoTaker,
    /// Some DR site has every taker, but the replaced flow still fails.
    BrokenTaker,
}

/// Fails `site` and follows `flow` again with its stopped hops replaced.
fn reference(p: &Project, baseline: &World, down: &World, site: SiteId, flow: &Flow) -> Verdict {
    let dr_sites: Vec<SiteId> = (0..p.sites.len())
        .map(|i| SiteId(i as u32))
        .filter(|d| p.sites[d.index()].backs.is_some_and(|b| b.value == site))
        .collect();
    let mut verdict = if dr_sites.is_empty() {
        Verdict::NoDrSite
    } else {
        Verdict::NoTaker
    };
    'dr: for dr in dr_sites {
        let mut replaced = Vec::new();
        for path in &flow.paths {
            // Walk the path: a hop is stopped when, served from the hops
            // (perhaps replaced) before it, it has too few serving
            // instances with the site down.
            let mut hops: Vec<Spanned<Hop>> = Vec::new();
            for hop in path {
                let mut value = hop.value;
                if let Hop::Service(s) = hop.value {
                    let mut trial = hops.clone();
                    trial.push(*hop);
                    let base = baseline.path_base(&trial);
                    let (_, _, ok) = down.hops(&trial, Some(&base));
                    let (_, _, up) = baseline.hops(&trial, Some(&base));
                    let works = |ok: &[bool]| ok.last().copied().unwrap_or(true);
                    if !works(&ok) || !works(&up) {
                        match taker(p, s, dr) {
                            Some(t) => value = Hop::Service(t),
                            None => continue 'dr,
                        }
                    }
                }
                hops.push(Spanned {
                    value,
                    span: hop.span,
                });
            }
            replaced.push(hops);
        }
        let base = baseline.flow_base(&replaced);
        if baseline.flow_works(&replaced, Some(&base)) && down.flow_works(&replaced, Some(&base)) {
            return Verdict::Recovered;
        }
        verdict = Verdict::BrokenTaker;
    }
    verdict
}

/// The flows named in a finding's message, in the part before `until`.
fn named_flows(message: &str, p: &Project) -> BTreeSet<FlowId> {
    let head = message.split(" until DR site").next().unwrap_or("");
    (0..p.flows.len())
        .filter(|&i| head.contains(&format!("`{}`", p.flows[i].name)))
        .map(|i| FlowId(i as u32))
        .collect()
}

#[test]
fn dr_take_over_matches_brute_force_on_random_primary_dr_projects() {
    let mut rng = Rng(0xd2_7a4e_0417);
    let mut counts = [0usize; 4]; // recovered, no DR site, no taker, broken taker
    let mut stopped_pairs = 0;
    let mut dr_findings = 0;
    for round in 0..1000 {
        let text = random_project(&mut rng);
        let checked = check_random(round, &text);
        let p = &checked.project;
        let fast = Failures::compute(p, &Universe::spof(p));
        let baseline = World::baseline(p, true);
        for (si, site) in p.sites.iter().enumerate() {
            let id = SiteId(si as u32);
            let c = Candidate::Site(id);
            let mut down = World::new(p, true, Some(c));
            down.never_up = baseline.never_up.clone();
            let mut recovered = BTreeSet::new();
            let mut unrecovered = BTreeSet::new();
            for (fi, flow) in p.flows.iter().enumerate() {
                let fid = FlowId(fi as u32);
                let base = baseline.flow_base(&flow.paths);
                if !baseline.flow_works(&flow.paths, Some(&base)) {
                    assert!(fast.broken[fi], "round {round}: flow{fi} broken\n{text}");
                    assert!(!fast.dr_recovers(c, fid));
                    continue;
                }
                let stops = !down.flow_works(&flow.paths, Some(&base));
                let fast_stops = fast.flow_stoppers(fid).any(|(x, _)| x == c);
                assert_eq!(
                    fast_stops, stops,
                    "round {round}: does s{si} stop flow{fi}?\n{text}"
                );
                if !stops {
                    assert!(!fast.dr_recovers(c, fid), "round {round}\n{text}");
                    continue;
                }
                stopped_pairs += 1;
                let verdict = reference(p, &baseline, &down, id, flow);
                counts[verdict as usize] += 1;
                assert_eq!(
                    fast.dr_recovers(c, fid),
                    verdict == Verdict::Recovered,
                    "round {round}: s{si} and flow{fi}: reference says {verdict:?}\n{text}"
                );
                if verdict == Verdict::Recovered {
                    recovered.insert(fid);
                } else {
                    unrecovered.insert(fid);
                }
            }
            // `check` names the site by spof for the flows not recovered
            // and by dr-failover for those recovered, and nothing else.
            let about = |rule: &str| -> Vec<&topo::diagnostic::Diagnostic> {
                checked
                    .diagnostics
                    .iter()
                    .filter(|d| d.rule == rule && d.subject.as_deref() == Some(site.name.as_str()))
                    .collect()
            };
            for (rule, flows) in [("spof", &unrecovered), ("dr-failover", &recovered)] {
                let found = about(rule);
                if flows.is_empty() {
                    assert!(found.is_empty(), "round {round}: {found:?}\n{text}");
                } else {
                    assert_eq!(found.len(), 1, "round {round}: {rule}\n{text}");
                    assert_eq!(
                        &named_flows(&found[0].message, p),
                        flows,
                        "round {round}: {}\n{text}",
                        found[0].message
                    );
                    dr_findings += usize::from(rule == "dr-failover");
                }
            }
        }
    }
    eprintln!(
        "{stopped_pairs} (site, flow) pairs stopped: {} recovered, {} by a site with no DR site, {} with no taker, {} with a taker that fails; {dr_findings} dr-failover findings",
        counts[0], counts[1], counts[2], counts[3]
    );
    assert!(
        counts[0] > 50 && counts[2] > 50 && counts[3] > 50,
        "the generator exercises too little: {counts:?}"
    );
}

// ---------------------------------------------------------------------------
// single-feed with named feeds
// ---------------------------------------------------------------------------

/// The single-feed findings of a fixture in `tests/fixtures/single-feed/`.
fn single_feed(name: &str) -> Vec<String> {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join(format!("tests/fixtures/single-feed/{name}.topo"));
    let checked = topo::check::check_files(&[path]);
    assert!(checked.unreadable.is_empty(), "{name} is missing");
    let language: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| topo::analyze::rule(d.rule).is_some_and(|r| r.check.is_none()))
        .collect();
    assert!(language.is_empty(), "{name}: {language:?}");
    checked
        .diagnostics
        .iter()
        .filter(|d| d.rule == "single-feed")
        .map(|d| d.message.clone())
        .collect()
}

#[test]
fn single_feed_names_the_one_feed_a_device_connects_to() {
    assert_eq!(
        single_feed("named-feeds"),
        [
            // `psu 1` and the feed it names.
            "`db1` has one power supply, on feed `b`, in rack `r2`, which has 2 feeds: \
             it fails with feed `b` alone",
            // Two PSUs, both on the one feed it names.
            "`db2` connects only to feed `b` in rack `r2`, which has 2 feeds: \
             it fails with feed `b` alone",
            // `psu 1` and no name: the rack's first feed.
            "`app2` has one power supply in rack `r3`, which has 3 feeds: \
             it fails with feed `a` alone",
            "`app3` connects only to feed `c` in rack `r3`, which has 3 feeds: \
             it fails with feed `c` alone",
        ]
    );
}

#[test]
fn single_feed_is_quiet_for_two_feeds_out_of_three() {
    // `psu 2` in a rack of three feeds, `psu 1` naming two feeds, two
    // named feeds, and no `psu` at all: each connects to two feeds or more.
    assert_eq!(single_feed("named-feeds-clean"), Vec::<String>::new());
}

#[test]
fn single_feed_keeps_its_v1_findings() {
    assert_eq!(
        single_feed("fires"),
        [
            "rack `r1` has one feed (`a1`) and hosts web1, web2 of shop-web, which flows need",
            "`db1` has one power supply in rack `r2`, which has 2 feeds: it fails with feed `a2` alone",
        ]
    );
    assert_eq!(single_feed("clean"), Vec::<String>::new());
}

/// On random racks of one to three feeds, single-feed names a device
/// exactly when one feed of its rack takes it down alone in the failure
/// model, and names that feed.
#[test]
fn single_feed_agrees_with_the_failure_model_on_random_racks() {
    let mut rng = Rng(0x05ee_df17);
    let mut warned = 0;
    let mut quiet = 0;
    for round in 0..300 {
        let mut t = String::from("site dc\n");
        let feeds = 1 + rng.below(3);
        for f in 0..feeds {
            t += &format!("feed f{f} {{ site dc; circuit 30A at 208V }}\n");
        }
        let names: Vec<String> = (0..feeds).map(|f| format!("f{f}")).collect();
        t += &format!("rack r {{ site dc; feeds {} }}\n", names.join(" "));
        let devices = 1 + rng.below(4);
        for d in 0..devices {
            let mut props = format!("rack r at U{}; size 1U", d + 1);
            if rng.chance(60) {
                props += &format!("; psu {}", 1 + rng.below(3));
            }
            if rng.chance(40) {
                let chosen: Vec<&String> = names.iter().filter(|_| rng.chance(50)).collect();
                if !chosen.is_empty() {
                    let list: Vec<&str> = chosen.iter().map(|s| s.as_str()).collect();
                    props += &format!("; feeds {}", list.join(" "));
                }
            }
            t += &format!("server d{d} {{ {props} }}\n");
        }
        let checked = check_sources(&[("random.topo", &t)]);
        let p = &checked.project;
        let fast = Failures::compute(p, &Universe::spof(p));
        for (i, d) in p.devices.iter().enumerate() {
            let alone: Vec<&str> = (0..p.feeds.len())
                .filter(|&f| {
                    fast.device_fails_with(DeviceId(i as u32), Candidate::Feed(FeedId(f as u32)))
                })
                .map(|f| p.feeds[f].name.as_str())
                .collect();
            let found: Vec<&str> = checked
                .diagnostics
                .iter()
                .filter(|x| x.rule == "single-feed" && x.subject.as_deref() == Some(&d.name))
                .map(|x| x.message.as_str())
                .collect();
            if feeds >= 2 && alone.len() == 1 {
                assert_eq!(found.len(), 1, "round {round}: {}\n{t}", d.name);
                assert!(
                    found[0].ends_with(&format!("it fails with feed `{}` alone", alone[0])),
                    "round {round}: {}\n{t}",
                    found[0]
                );
                warned += 1;
            } else {
                assert!(found.is_empty(), "round {round}: {found:?}\n{t}");
                quiet += 1;
            }
        }
    }
    eprintln!("single-feed: {warned} devices named, {quiet} quiet");
    assert!(warned > 100 && quiet > 100, "{warned} named, {quiet} quiet");
}
