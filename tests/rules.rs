//! Every analyzer rule has a fixture that fires it and one that does not
//! (`tests/fixtures/<rule>/fires.topo`, `clean.topo`). The fires output is
//! snapshotted, and its messages, with their figures, are asserted here.

use std::path::PathBuf;
use topo::analyze::RULES;
use topo::check::check_files;
use topo::diagnostic::Severity;
use topo::report::human::{self, Style};

fn fixture(rule: &str, which: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/{rule}/{which}.topo"))
}

/// (severity, message) of the findings of `rule` in its own fixture.
fn findings(rule: &str, which: &str) -> Vec<(Severity, String)> {
    findings_in(rule, which, rule)
}

/// (severity, message) of the findings of `rule` in the fixture of `dir`.
fn findings_in(dir: &str, which: &str, rule: &str) -> Vec<(Severity, String)> {
    let checked = check_files(&[fixture(dir, which)]);
    assert!(checked.unreadable.is_empty(), "{dir}/{which} is missing");
    let language: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| {
            topo::analyze::rule(d.rule).is_some_and(|r| r.check.is_none())
                && d.rule != "unused-allow"
        })
        .map(|d| d.message.clone())
        .collect();
    assert!(
        language.is_empty(),
        "{dir}/{which} has language errors: {language:?}"
    );
    checked
        .diagnostics
        .iter()
        .filter(|d| d.rule == rule)
        .map(|d| (d.severity, d.message.clone()))
        .collect()
}

fn analyzer_rules() -> Vec<&'static str> {
    RULES
        .iter()
        .filter(|r| r.check.is_some() || r.name == "unused-allow")
        .map(|r| r.name)
        .collect()
}

#[test]
fn every_rule_fires_on_its_fixture_and_not_on_the_clean_one() {
    for rule in analyzer_rules() {
        assert!(
            !findings(rule, "fires").is_empty(),
            "{rule} does not fire on fires.topo"
        );
        assert_eq!(findings(rule, "clean"), [], "{rule} fires on clean.topo");
    }
}

#[test]
fn clean_fixtures_are_clean_of_every_rule() {
    for rule in analyzer_rules() {
        let checked = check_files(&[fixture(rule, "clean")]);
        let loud: Vec<_> = checked
            .diagnostics
            .iter()
            .filter(|d| d.severity != Severity::Info)
            .map(|d| format!("{}: {}", d.rule, d.message))
            .collect();
        assert!(loud.is_empty(), "{rule}/clean.topo: {loud:#?}");
    }
}

#[test]
fn fires_output_snapshots() {
    for rule in analyzer_rules() {
        let checked = check_files(&[fixture(rule, "fires")]);
        let text = human::render(&checked.sources, &checked.diagnostics, Style::plain());
        let text = text.replace(env!("CARGO_MANIFEST_DIR"), "");
        insta::assert_snapshot!(format!("fires-{rule}"), text);
    }
}

use Severity::{Error, Info, Warning};

fn expect(rule: &str, expected: &[(Severity, &str)]) {
    let found = findings(rule, "fires");
    let expected: Vec<(Severity, String)> =
        expected.iter().map(|(s, m)| (*s, m.to_string())).collect();
    assert_eq!(found, expected, "{rule}");
}

#[test]
fn rack_overlap_names_both_devices_and_the_shared_units() {
    expect(
        "rack-overlap",
        &[
            (
                Error,
                "`db1` (U4-U5, front, full depth) overlaps `web4` (U4, front, full depth) in rack `r1`: U4 is taken twice",
            ),
            (
                Error,
                "`sw1` (U1, front, full depth) overlaps `web1` (U1, front, full depth) in rack `r1`: U1 is taken twice",
            ),
        ],
    );
}

#[test]
fn rack_overflow_above_the_top_and_below_u1() {
    expect(
        "rack-overflow",
        &[
            (
                Error,
                "`db1` occupies U42-U43 but rack `r1` is 42U high: 1U above the top",
            ),
            (
                Error,
                "`sw0` is placed at U0, but units start at U1 in rack `r1`",
            ),
            (
                Error,
                "`n6` occupies U11-U12 but rack `r2` is 10U high: 2U above the top",
            ),
        ],
    );
}

#[test]
fn rack_power_converts_amps_at_the_rack_voltage() {
    expect(
        "rack-power",
        &[
            (Warning, "feed `a1` carries 5.49 kVA (26.4 A at 208 V) for rack `r1` in normal operation: 88 % of 6.24 kVA (30 A at 208 V), above the 80 % continuous-load limit"),
            (Error, "rack `r2` draws 6 kVA of its own power limit of 5 kVA (given in W, taken as VA): 120 %, over its rating"),
            (Warning, "feed `b3` carries 3.74 kVA (18 A at 208 V) for rack `r3` after feed `a3` fails (1.87 kVA in normal operation): 90 % of 4.16 kVA (20 A at 208 V), above the 80 % continuous-load limit"),
            (Warning, "feed `a4` carries 3 kVA (13 A at 230 V) for rack `r4` in normal operation: 82 % of 3.68 kVA (16 A at 230 V), above the 80 % continuous-load limit"),
        ],
    );
}

#[test]
fn power_capacity_sums_shared_feeds_and_sources_after_a_failure() {
    expect(
        "power-capacity",
        &[
            (Error, "feed `a` carries 7 kVA (33.7 A at 208 V) for 2 racks after feed `b` fails (3.5 kVA in normal operation): 112 % of 6.24 kVA (30 A at 208 V), over its rating"),
            (Error, "feed `b` carries 7 kVA (33.7 A at 208 V) for 2 racks after feed `a` fails (3.5 kVA in normal operation): 112 % of 6.24 kVA (30 A at 208 V), over its rating"),
            (Warning, "power source `ups-a` carries 20 kVA after power source `ups-b` fails (10 kVA in normal operation): 83 % of 24 kVA, above the 80 % continuous-load limit"),
            (Warning, "power source `ups-b` carries 20 kVA after power source `ups-a` fails (10 kVA in normal operation): 83 % of 24 kVA, above the 80 % continuous-load limit"),
            (Warning, "power source `panel-a` carries 20 kVA (55.5 A at 208 V) after power source `ups-b` fails (10 kVA in normal operation): 93 % of 21.62 kVA (60 A at 208 V, three-phase), above the 80 % continuous-load limit"),
            (Warning, "power source `panel-b` carries 20 kVA (55.5 A at 208 V) after power source `ups-a` fails (10 kVA in normal operation): 93 % of 21.62 kVA (60 A at 208 V, three-phase), above the 80 % continuous-load limit"),
        ],
    );
}

#[test]
fn rack_weight_converts_pounds() {
    expect(
        "rack-weight",
        &[(Error, "rack `r1` holds 1027 kg (devices 907 kg + empty rack 120 kg), over its 1000 kg rating by 27.2 kg")],
    );
}

#[test]
fn bus_bottleneck_catches_both_hardware_facts_examples() {
    expect(
        "bus-bottleneck",
        &[
            (Warning, "server `s` nvme0..3 → pch: 4 × 3.50 GB/s = 14.0 GB/s behind dmi3 = 3.94 GB/s (3.6× over)"),
            (Warning, "server `s` nic0: 2 × 100GbE = 25.0 GB/s behind pcie3 x8 = 7.88 GB/s (3.2× over)"),
            (Warning, "server `s` ssd0..7 → raid0: 8 × 550 MB/s = 4.40 GB/s behind pcie3 x1 = 985 MB/s (4.5× over)"),
        ],
    );
}

#[test]
fn interface_cap_reports_each_capped_disk_and_bus_bottleneck_uses_the_cap() {
    let capped = "SSD of 3.50 GB/s on sata3 = 600 MB/s: capped to 600 MB/s";
    expect(
        "interface-cap",
        &[
            (Info, &format!("server `s` fast0: {capped}")),
            (Info, &format!("server `s` fast1: {capped}")),
            (Info, &format!("server `s` fast2: {capped}")),
            (Info, &format!("server `s` fast3: {capped}")),
        ],
    );
    assert_eq!(
        findings_in("interface-cap", "fires", "bus-bottleneck"),
        [(Warning, "server `s` fast0..3 → pch: 4 × 600 MB/s = 2.40 GB/s behind dmi2 = 2.00 GB/s (1.2× over)".to_string())],
        "the disks count at their capped 600 MB/s further up"
    );
}

#[test]
fn memory_interleave_names_the_odd_channels() {
    expect(
        "memory-interleave",
        &[
            (Warning, "model `m` cpu0: DIMMs per channel 2 2 2 2 1 1 1 1 are uneven: channels 4 (1), 5 (1), 6 (1), 7 (1) differ from the 2 DIMMs of the others, so accesses no longer interleave over all 8 channels"),
            (Warning, "model `m` cpu1: DIMMs per channel 1 1 1 1 1 1 1 0 are uneven: channel 7 (0) differs from the 1 DIMM of the others, so accesses no longer interleave over all 8 channels"),
        ],
    );
}

#[test]
fn write_back_unprotected_states_what_is_at_risk() {
    expect(
        "write-back-unprotected",
        &[(Warning, "server `s` raid0: 2.00 GB write-back cache with `protection none`: a power loss loses up to 2.00 GB of writes already acknowledged")],
    );
}

#[test]
fn redundant_part_names_each_single_part() {
    expect(
        "redundant-part",
        &[
            (
                Warning,
                "`z1` is redundant but has one fan: its failure stops the whole box",
            ),
            (
                Warning,
                "`z1` is redundant but has one controller (`io0`): its failure stops the whole box",
            ),
        ],
    );
}

#[test]
fn unused_allow_at_file_and_part_scope() {
    expect(
        "unused-allow",
        &[
            (Info, "`allow rack-power` suppresses nothing"),
            (Info, "`allow bus-bottleneck` suppresses nothing"),
        ],
    );
}

#[test]
fn allow_silences_at_file_device_model_and_part_scope() {
    let board = "cpu cpu0 { cores 8 }\n  nic nic0 { ports 2 x 100GbE; bus pcie3 x8 to cpu0 }";
    let main = format!(
        "site lab\n\
         model m1 {{ allow bus-bottleneck\n  {board} }}\n\
         server a : m1 {{ site lab }}\n\
         server b {{ site lab; allow bus-bottleneck\n  {board} }}\n\
         server c {{ site lab\n  cpu cpu0 {{ cores 8 }}\n  nic nic0 {{ allow bus-bottleneck; ports 2 x 100GbE; bus pcie3 x8 to cpu0 }} }}\n\
         server d {{ site lab\n  {board} }}\n\
         include \"other.topo\"\n"
    );
    let other = format!("allow bus-bottleneck\nserver e {{ site lab\n  {board} }}\n");
    let checked = topo::check::check_sources(&[("main.topo", &main), ("other.topo", &other)]);
    let found: Vec<String> = checked
        .diagnostics
        .iter()
        .map(|d| format!("{}: {}", d.rule, d.message))
        .collect();
    assert_eq!(
        found,
        ["bus-bottleneck: server `d` nic0: 2 × 100GbE = 25.0 GB/s behind pcie3 x8 = 7.88 GB/s (3.2× over)"],
        "only `d` has no allow in reach"
    );
}

#[test]
fn allow_of_an_unknown_rule_suggests_one() {
    let checked = topo::check::check_sources(&[("main.topo", "allow bus-botleneck\nsite s\n")]);
    let d = &checked.diagnostics[0];
    assert_eq!(
        (d.rule, d.message.as_str()),
        ("unknown-name", "unknown rule `bus-botleneck`")
    );
    assert_eq!(d.help.as_deref(), Some("did you mean `bus-bottleneck`?"));
}

#[test]
fn a_healthy_rack_and_server_report_nothing_above_info() {
    for example in ["datacenter.topo", "webshop.topo", "vms.topo"] {
        let checked = check_files(&[PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("examples")
            .join(example)]);
        let loud: Vec<_> = checked
            .diagnostics
            .iter()
            .filter(|d| d.severity != Info)
            .map(|d| d.message.clone())
            .collect();
        assert!(loud.is_empty(), "{example}: {loud:#?}");
    }
}

#[test]
fn spof_names_the_element_the_flow_and_the_cause() {
    expect(
        "spof",
        &[
            (Warning, "rack `r1` is a single point of failure: it stops flow `checkout` (every instance of `shop-db` fails with it)"),
            (Warning, "rack `r2` is a single point of failure: it stops flow `checkout` (`ns` resolving `shop-web` fails with it, the active member `db1` of `shop-db` stays up but no network path is left to it from `shop-web` (a partition is not a failover))"),
            (Warning, "server `dns1` is a single point of failure: it stops flow `checkout` (`ns` resolving `shop-web` fails with it)"),
            (Warning, "switch `tor1` is a single point of failure: it stops flow `checkout` (the active member `db1` of `shop-db` stays up but no network path is left to it from `shop-web` (a partition is not a failover))"),
        ],
    );
}

#[test]
fn ha_same_domain_is_an_error_on_one_host() {
    expect(
        "ha-same-domain",
        &[
            (Error, "every member of `session-cache` (ha active-active) runs on server `host1`: one host failure takes the pair down"),
            (Warning, "every member of `shop-db` (ha active-standby) fails with rack `r2`"),
        ],
    );
}

#[test]
fn unreachable_names_both_hops_and_their_hosts() {
    expect(
        "unreachable",
        &[(
            Error,
            "flow `checkout`: no network path from `shop-web` (web1, web2) to `shop-db` (db1, db2)",
        )],
    );
}

#[test]
fn capacity_n1_states_the_figures() {
    expect(
        "capacity-n1",
        &[
            (Warning, "`shop-web` needs 2500 rps: after losing one of its 3 instances, 2 × 1000 rps = 2000 rps remain"),
            (Warning, "`shop-ap` needs 1400 rps: after losing one of its 2 instances, 1 × 1000 rps = 1000 rps remain"),
        ],
    );
}

#[test]
fn single_feed_racks_and_single_psu_devices() {
    expect(
        "single-feed",
        &[
            (Warning, "rack `r1` has one feed (`a1`) and hosts web1, web2 of shop-web, which flows need"),
            (Warning, "`db1` has one power supply in rack `r2`, which has 2 feeds: it fails with feed `a2` alone"),
        ],
    );
}

#[test]
fn dr_missing_replica_names_the_dr_site() {
    expect(
        "dr-missing-replica",
        &[(
            Warning,
            "stateful `orders-db` at `tokyo` has no replica at `osaka`, its DR site",
        )],
    );
}

#[test]
fn dr_rpo_catches_impossible_targets() {
    expect(
        "dr-rpo",
        &[
            (Error, "replication of `orders-db` to `orders-dr` is async but promises rpo 0 s: writes acknowledged but not yet copied are lost with the primary"),
            (Error, "replication of `orders-db` to `orders-dr` promises rto 0 s: no failover is instant"),
        ],
    );
}

#[test]
fn vm_failover_same_host_and_same_rack() {
    expect(
        "vm-failover",
        &[
            (Error, "vm `app1` fails over to its own host `host1`"),
            (Warning, "vm `app2` fails over from `host1` to `host2`, both in rack `r1`: the rack takes both down"),
        ],
    );
}

/// The webshop example: dual switches, dual feeds, two racks, no spof. With
/// one switch removed, the remaining switch is the single point of failure,
/// and so is the rack that holds it (a rack failure takes its switch along).
#[test]
fn webshop_has_no_spof_until_a_switch_is_removed() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/webshop.topo");
    let healthy = std::fs::read_to_string(&path).unwrap();
    let models = std::fs::read_to_string(path.with_file_name("models/dell.topo")).unwrap();
    let spofs = |text: &str| -> Vec<String> {
        let checked =
            topo::check::check_sources(&[("webshop.topo", text), ("models/dell.topo", &models)]);
        checked
            .diagnostics
            .iter()
            .filter(|d| d.rule == "spof")
            .map(|d| d.message.clone())
            .collect()
    };
    assert_eq!(spofs(&healthy), Vec::<String>::new());
    let one_switch = healthy
        .replace("switch tor2      : s5248f { rack shop-r2 at U42 }\n", "")
        .replace("to tor1 tor2 { speed 25GbE }", "to tor1 { speed 25GbE }")
        .replace("link tor1 to tor2 { speed 100GbE }\n", "");
    assert_ne!(one_switch, healthy);
    assert_eq!(
        spofs(&one_switch),
        [
            "rack `shop-r1` is a single point of failure: it stops flow `checkout` (no network path is left from `shop-web` to `shop-ap`)",
            "switch `tor1` is a single point of failure: it stops flow `checkout` (no network path is left from `shop-web` to `shop-ap`)",
        ]
    );
}

#[test]
fn tier_skip_names_both_services_and_tiers() {
    expect(
        "tier-skip",
        &[
            (
                Warning,
                "`shop-web` (tier web, presentation) calls `shop-db` (tier db, data) directly, skipping tier ap",
            ),
            (
                Warning,
                "`report-web` (tier web, presentation) calls `shop-db` (tier db, data) directly, skipping tier ap",
            ),
        ],
    );
}

#[test]
fn tier_upcall_is_an_error() {
    expect(
        "tier-upcall",
        &[(
            Error,
            "`shop-db` (tier db, data) calls `shop-web` (tier web, presentation), a tier above its own",
        )],
    );
}

#[test]
fn shared_layer_warns_when_the_shared_service_limits_the_partitions() {
    expect(
        "shared-layer",
        &[
            (Warning, "partitions retail, wholesale share `orders`, which carries 2 × 500 rps = 1000 rps but they send it 1200 rps (retail 900 rps + wholesale 300 rps): it limits their scale"),
            (Info, "partitions retail, wholesale share `auth`: it couples them, and its capacity limits them all"),
        ],
    );
}

#[test]
fn shard_skew_gives_the_shard_and_the_mean() {
    expect(
        "shard-skew",
        &[(Warning, "`orders` shard 3 of 4 holds 35 % of customer-id, 1.4× the mean of 25 %: it saturates first")],
    );
}

#[test]
fn pool_exhaustion_lists_every_caller_share() {
    expect(
        "pool-exhaustion",
        &[(Error, "`shop-db` accepts 200 connections but the pools to it open 280: shop-ap 4 × 60 = 240, batch 2 × 20 = 40")],
    );
}

#[test]
fn no_dns_names_the_entry_and_the_client() {
    expect("no-dns", &[(Warning, "flow `checkout` enters `shop-web` from client `browser`, but no dns resolves `shop-web`")]);
}

#[test]
fn static_via_ap_names_the_deep_service() {
    expect(
        "static-via-ap",
        &[(Info, "static flow `images` reaches `shop-ap` in tier ap, application, below the presentation tier: static content can stop at the web tier")],
    );
}

#[test]
fn fat_client_names_the_software() {
    expect(
        "fat-client",
        &[(Info, "flow `sale` starts at `pos`, a fat client running pos-terminal 4.2: server changes must ship with client updates")],
    );
}

#[test]
fn edge_uplink_sums_flows_in_bits() {
    expect(
        "edge-uplink",
        &[(Error, "edge site `plant7` sends 240 Mb/s (quality 160 Mb/s + logs 80.0 Mb/s) over a 200 Mb/s uplink (1.2× over)")],
    );
}

#[test]
fn edge_raw_names_flow_and_site() {
    expect(
        "edge-raw",
        &[(Info, "flow `frames` sends raw content from edge site `plant7` to the center: process it there and send results")],
    );
}

#[test]
fn cdn_origin_names_the_tier() {
    expect(
        "cdn-origin",
        &[(Error, "cdn `assets` fetches from `shop-ap` in tier ap, application; its origin belongs in a presentation tier (web)")],
    );
}

#[test]
fn cache_exceeds_memory_of_dimms_and_of_vm_ram() {
    expect(
        "cache-exceeds-memory",
        &[
            (
                Error,
                "`shop-db` caches 256 GiB but db1 has 128 GiB, db2 has 128 GiB",
            ),
            (Error, "`session` caches 48 GB but cache-vm has 32 GB"),
        ],
    );
}

#[test]
fn airflow_mismatch_against_the_rack_and_against_the_majority() {
    expect(
        "airflow-mismatch",
        &[
            (Warning, "`tor1` blows rear-to-front in rack `r1`, whose airflow is front-to-rear: it takes in the hot aisle's exhaust"),
            (Warning, "`odd` blows rear-to-side in rack `r2`, where 3 of 4 devices blow front-to-rear: it takes in the hot aisle's exhaust"),
        ],
    );
}

// --- Load and capacity: each fires fixture's exact findings -----------------------

#[test]
fn overload_weighs_flows_the_active_member_and_each_shard() {
    expect(
        "overload",
        &[
            (Error, "`shop-web` carries 5000 rps (flows checkout 3000 rps, browse 2000 rps) on 4 × 1000 rps = 4000 rps: 125 %"),
            (Error, "`shop-db` carries 1000 rps (its `load`) on 1 × 800 rps = 800 rps (only the active member of `ha active-standby` serves): 125 %"),
            (Error, "shard 2 of `orders` (40 % of 3000 rps = 1200 rps) on 1 × 1000 rps = 1000 rps: 120 %"),
        ],
    );
}

#[test]
fn dr_capacity_weighs_the_taker_against_what_it_replaces() {
    expect(
        "dr-capacity",
        &[(
            Warning,
            "`orders-dr` takes over `orders` (3000 rps) on 1 × 1000 rps = 1000 rps: 300 %",
        )],
    );
}

#[test]
fn vm_memory_as_placed_and_after_a_failover() {
    expect(
        "vm-memory",
        &[
            (Error, "960 GB of VMs on `h1`, a 768 GB host: 125 %"),
            (
                Warning,
                "after `h2` fails, 320 GB of VMs on `h3`, a 256 GB host: 125 %",
            ),
        ],
    );
}

#[test]
fn link_speed_names_the_link_the_end_and_the_ports() {
    expect(
        "link-speed",
        &[
            (
                Error,
                "link web1 — tor1 is 100GbE but `web1`'s ports are at most 25GbE",
            ),
            (
                Error,
                "link web1 — tor1 is 100GbE but `tor1`'s ports are at most 25GbE",
            ),
            (
                Error,
                "link tor1 — spine1 is 100GbE but `tor1`'s ports are at most 25GbE",
            ),
            (
                Error,
                "link db1 — tor1 is 32GFC but `tor1`'s ports are Ethernet only",
            ),
        ],
    );
}

#[test]
fn port_count_counts_devices_parts_and_media() {
    expect(
        "port-count",
        &[
            (Error, "50 links end on `leaf1`, which has 48 ports"),
            (Error, "3 links end on `big1.nic0`, which has 2 ports"),
            (
                Error,
                "3 Fibre Channel links end on `san1`, which has 2 Fibre Channel ports",
            ),
        ],
    );
}

#[test]
fn oversubscription_at_the_default_and_at_a_switch_s_own_limit() {
    expect(
        "oversubscription",
        &[
            (
                Warning,
                "`leaf1` has 40 × 25GbE = 1 Tb/s down and 2 × 100GbE = 200 Gb/s up: 5:1, over 3:1",
            ),
            (
                Warning,
                "`leaf2` has 40 × 25GbE = 1 Tb/s down and 2 × 100GbE = 200 Gb/s up: 5:1, over 4:1",
            ),
        ],
    );
}

#[test]
fn flow_bandwidth_names_the_narrowest_cut() {
    expect(
        "flow-bandwidth",
        &[(Warning, "flow `backup`: 40 Gb/s from `db` (db1) to `vault` (bk1) but the links carry 25 Gb/s (the narrowest cut: link db1 — tor1 25GbE)")],
    );
}
