//! `oversubscription` (a switch's downlinks against its uplinks) and the v2
//! network side of `dr-rpo` (an async replication's write rate against the
//! path between its hosts; a sync one over more than 100 km of links): for
//! each situation a project that shows it and one that does not, with the
//! exact findings and their figures.

use serde_json::{json, Value};
use topo::check::check_sources;
use topo::diagnostic::Severity;

/// Every finding of a project: (rule, severity, message, element, data).
fn findings(text: &str) -> Vec<(String, Severity, String, Option<String>, Value)> {
    check_sources(&[("plan.topo", text)])
        .diagnostics
        .iter()
        .map(|d| {
            let data: serde_json::Map<String, Value> = d
                .data
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect();
            (
                d.rule.to_string(),
                d.severity,
                d.message.clone(),
                d.subject.clone(),
                Value::Object(data),
            )
        })
        .collect()
}

// --- oversubscription ------------------------------------------------------------

/// A leaf with 40 servers at 25GbE and two 100GbE uplinks: 5:1.
fn fabric(leaf: &str, uplinks: &str) -> String {
    format!(
        "\
site dc {{}}
switch leaf1 {{ {leaf} }}
switch spine[1..2] {{}}
server web[1..40] {{}}
link web[1..40] to leaf1 {{ speed 25GbE }}
link leaf1 to {uplinks}
"
    )
}

#[test]
fn a_leaf_at_five_to_one_is_a_warning() {
    let found = findings(&fabric("", "spine[1..2] { speed 100GbE }"));
    assert_eq!(
        found,
        vec![(
            "oversubscription".to_string(),
            Severity::Warning,
            "`leaf1` has 40 × 25GbE = 1 Tb/s down and 2 × 100GbE = 200 Gb/s up: 5:1, over 3:1"
                .to_string(),
            Some("leaf1".to_string()),
            json!({"down": 125e9, "up": 25e9, "ratio": 5.0, "limit": 3.0, "unit": "B/s"}),
        )]
    );
}

#[test]
fn a_lag_counts_its_cables() {
    // 2 × 2 × 100GbE = 400 Gb/s up: 2.5:1, within 3:1.
    assert_eq!(
        findings(&fabric("", "spine[1..2] { speed 100GbE; count 2 }")),
        vec![]
    );
}

#[test]
fn a_switch_with_its_own_ratio_is_held_to_it() {
    assert_eq!(
        findings(&fabric(
            "oversubscription 5",
            "spine[1..2] { speed 100GbE }"
        )),
        vec![]
    );
    let found = findings(&fabric(
        "oversubscription 4",
        "spine[1..2] { speed 100GbE }",
    ));
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].2,
        "`leaf1` has 40 × 25GbE = 1 Tb/s down and 2 × 100GbE = 200 Gb/s up: 5:1, over 4:1"
    );
    assert_eq!(
        found[0].4,
        json!({"down": 125e9, "up": 25e9, "ratio": 5.0, "limit": 4.0, "unit": "B/s"})
    );
}

#[test]
fn the_top_of_the_fabric_is_not_checked() {
    // The spines have 1 Tb/s... down from leaves and nothing up.
    let text = "\
site dc {}
switch leaf[1..10] {}
switch spine1 {}
server web[1..10] {}
link web[1..10] to leaf[1..10] { speed 10GbE }
link leaf[1..10] to spine1 { speed 100GbE }
";
    assert_eq!(findings(text), vec![]);
}

#[test]
fn mixed_speeds_are_grouped_and_left_right_order_decides_the_side() {
    // leaf1 is on the left of its uplink and the right of its downlinks:
    // 38 × 25GbE + 2 × 10GbE = 970 Gb/s down, 1 × 100GbE up: 9.7:1.
    let text = "\
site dc {}
switch leaf1 {}
switch spine1 {}
server web[1..38] {}
server mgmt[1..2] {}
link web[1..38] to leaf1 { speed 25GbE }
link mgmt[1..2] to leaf1 { speed 10GbE }
link leaf1 to spine1 { speed 100GbE }
";
    let found = findings(text);
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].2,
        "`leaf1` has 38 × 25GbE + 2 × 10GbE = 970 Gb/s down and 1 × 100GbE = 100 Gb/s up: 9.7:1, over 3:1"
    );
    // The same cables written the other way round make leaf1 the top.
    let flipped = text.replace("link leaf1 to spine1", "link spine1 to leaf1");
    assert_eq!(findings(&flipped), vec![]);
}

#[test]
fn the_generated_tor_at_two_point_four_to_one_is_quiet() {
    // 38 × 25GbE = 950 Gb/s down over 4 × 100GbE up: 2.375:1.
    let text = "\
site dc {}
switch tor1 {}
switch spine[1..4] {}
server s[1..38] {}
link s[1..38] to tor1 { speed 25GbE }
link tor1 to spine[1..4] { speed 100GbE }
";
    assert_eq!(findings(text), vec![]);
}

// --- dr-rpo: write rate and distance ------------------------------------------------

/// Two sites joined by one WAN link between routers.
fn wan(wan_link: &str, replication: &str) -> String {
    format!(
        "\
site tyo {{}}
site osa {{}}
server db1 {{ site tyo }}
server db2 {{ site osa }}
router wan-tyo {{ site tyo }}
router wan-osa {{ site osa }}
link db1 to wan-tyo {{ speed 25GbE }}
link db2 to wan-osa {{ speed 25GbE }}
link wan-tyo to wan-osa {{ {wan_link} }}
service orders on db1 {{}}
service orders-dr on db2 {{}}
replicate orders to orders-dr {{ {replication} }}
"
    )
}

#[test]
fn an_async_write_rate_over_the_path_is_an_error() {
    let found = findings(&wan("speed 1GbE", "mode async; rpo 1m; write-rate 200MB/s"));
    assert_eq!(
        found,
        vec![(
            "dr-rpo".to_string(),
            Severity::Error,
            "replication of `orders` to `orders-dr` writes 200 MB/s but the path carries 125 MB/s (1 Gb/s link `wan-tyo` to `wan-osa`): the replica falls behind without bound".to_string(),
            Some("orders".to_string()),
            json!({"write_rate": 200e6, "capacity": 125e6, "unit": "B/s"}),
        )]
    );
}

#[test]
fn an_async_write_rate_within_the_path_is_quiet() {
    assert_eq!(
        findings(&wan(
            "speed 1GbE; count 2",
            "mode async; rpo 1m; write-rate 200MB/s"
        )),
        vec![]
    );
    assert_eq!(
        findings(&wan(
            "speed 10GbE",
            "mode async; rpo 1m; write-rate 200MB/s"
        )),
        vec![]
    );
    // No speed on the WAN link: nothing to compare with.
    assert_eq!(
        findings(&wan(
            "distance 10km",
            "mode async; rpo 1m; write-rate 200MB/s"
        )),
        vec![]
    );
}

#[test]
fn the_widest_path_counts_not_the_sum_of_paths() {
    // Two 1 Gb/s WAN links in parallel: one stream uses one, 125 MB/s.
    let text = wan("speed 1GbE", "mode async; rpo 1m; write-rate 200MB/s")
        + "router wan-tyo2 { site tyo }\nlink db1 to wan-tyo2 { speed 25GbE }\nlink wan-tyo2 to wan-osa { speed 1GbE }\n";
    let found = findings(&text);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].4["capacity"], json!(125e6));
    // A 10 Gb/s path beside it carries the stream.
    let wider = text.replace(
        "link wan-tyo2 to wan-osa { speed 1GbE }",
        "link wan-tyo2 to wan-osa { speed 10GbE }",
    );
    assert_eq!(findings(&wider), vec![]);
}

#[test]
fn a_server_is_not_crossed_for_capacity() {
    // The only wide way goes through a dual-homed server: it does not
    // forward, so the path is the 1 Gb/s link.
    let text = wan("speed 1GbE", "mode async; rpo 1m; write-rate 200MB/s")
        + "server bridge { site tyo }\nlink bridge to wan-tyo wan-osa { speed 100GbE }\n";
    let found = findings(&text);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].4["capacity"], json!(125e6));
}

#[test]
fn sync_over_5300_km_names_53_ms() {
    let found = findings(&wan("speed 10GbE; distance 5300km", "mode sync"));
    assert_eq!(
        found,
        vec![(
            "dr-rpo".to_string(),
            Severity::Warning,
            "sync replication of `orders` to `orders-dr` runs over 5,300 km of links: every commit waits at least 53 ms longer for the round trip (1 ms per 100 km)".to_string(),
            Some("orders".to_string()),
            json!({"distance": 5.3e6, "latency": 0.053}),
        )]
    );
}

#[test]
fn sync_within_100_km_is_quiet() {
    assert_eq!(
        findings(&wan("speed 10GbE; distance 100km", "mode sync")),
        vec![]
    );
    assert_eq!(
        findings(&wan("speed 10GbE; distance 40km", "mode sync")),
        vec![]
    );
    // Async over any distance adds no commit latency.
    assert_eq!(
        findings(&wan("speed 10GbE; distance 5300km", "mode async; rpo 1m")),
        vec![]
    );
}

#[test]
fn distances_add_up_along_the_path() {
    // 60 km to a midpoint and 60 km on: 120 km, 1.2 ms.
    let text = wan("speed 10GbE; distance 60km", "mode sync").replace(
        "link wan-tyo to wan-osa",
        "router mid {}\nlink wan-tyo to mid { speed 10GbE; distance 60km }\nlink mid to wan-osa",
    );
    let found = findings(&text);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0].2,
        "sync replication of `orders` to `orders-dr` runs over 120 km of links: every commit waits at least 1.2 ms longer for the round trip (1 ms per 100 km)"
    );
}

#[test]
fn v1_dr_rpo_still_fires() {
    let found = findings(&wan("speed 10GbE", "mode async; rpo 0s"));
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].2,
        "replication of `orders` to `orders-dr` is async but promises rpo 0 s: writes acknowledged but not yet copied are lost with the primary"
    );
}

#[test]
fn without_links_nothing_is_checked() {
    let text = "\
site tyo {}
server db1 { site tyo }
server db2 { site tyo }
service orders on db1 {}
service orders-dr on db2 {}
replicate orders to orders-dr { mode async; rpo 1m; write-rate 200MB/s }
";
    assert_eq!(findings(text), vec![]);
}

#[test]
fn an_fc_switch_to_its_array_is_fan_in_not_an_uplink() {
    // Four hosts at 32GFC into one array port: the array is an endpoint,
    // so fcsw1 has five edge ports and no uplink.
    let text = "\
site dc {}
switch fcsw1 {}
server db[1..4] {}
storage san1 {}
link db[1..4] to fcsw1 { speed 32GFC }
link fcsw1 to san1 { speed 32GFC }
";
    assert_eq!(findings(text), vec![]);
    // Behind a core FC switch the same cables are an uplink: 4:1.
    let core = text.replace(
        "link fcsw1 to san1",
        "switch fccore {}\nlink fcsw1 to fccore",
    );
    let found = findings(&core);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0].2,
        "`fcsw1` has 4 × 32GFC = 102 Gb/s down and 1 × 32GFC = 25.6 Gb/s up: 4:1, over 3:1"
    );
}

/// The ha-dr example replicates `auth-db` synchronously over its 500 km
/// Tokyo–Osaka circuits and accepts the commit latency with an `allow`:
/// without it, the rule names the 5 ms; with it, the example is quiet.
#[test]
fn ha_dr_accepts_its_sync_latency_knowingly() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/ha-dr.topo"))
        .unwrap();
    assert!(findings(&text).iter().all(|f| f.0 != "dr-rpo"));
    let without_allow = text.replace("; allow dr-rpo", "");
    assert_ne!(without_allow, text, "the example's allow is gone");
    let rpo: Vec<_> = findings(&without_allow)
        .into_iter()
        .filter(|f| f.0 == "dr-rpo")
        .collect();
    assert_eq!(
        rpo,
        vec![(
            "dr-rpo".to_string(),
            Severity::Warning,
            "sync replication of `auth-db` to `auth-db-dr` runs over 500 km of links: every commit waits at least 5 ms longer for the round trip (1 ms per 100 km)".to_string(),
            Some("auth-db".to_string()),
            json!({"distance": 500000.0, "latency": 0.005}),
        )]
    );
}
