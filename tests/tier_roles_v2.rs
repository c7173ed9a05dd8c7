//! Issue 20, tier roles: coupling judged by role where every tier has one
//! (presentation above application above data, a `cache` tier beside the
//! data tier, several tiers per role), by declaration order otherwise;
//! `tier-skip`, `tier-upcall`, `cdn-origin` and `static-via-ap` by those
//! levels, and `shared-layer` through services of no partition. Each
//! situation has a fixture that fires and one that does not, with the exact
//! messages and figures.

mod support;
use serde_json::{json, Value};
use topo::check::check_sources;
use topo::diagnostic::Severity;

const E: Severity = Severity::Error;
const W: Severity = Severity::Warning;
const I: Severity = Severity::Info;

/// (severity, message, data) of every finding of `rule` in `text`, in
/// order; asserts the text has no language error.
fn found(text: &str, rule: &str) -> Vec<(Severity, String, Value)> {
    support::fixtures::rule_findings(&check_sources(&[("roles.topo", text)]), rule)
}

fn messages(text: &str, rule: &str) -> Vec<(Severity, String)> {
    found(text, rule)
        .into_iter()
        .map(|(s, m, _)| (s, m))
        .collect()
}

/// Load balancers and web servers (both presentation), an application
/// tier, a cache tier declared between it and the data tier, then `extra`.
fn three_tiers(extra: &str) -> String {
    format!(
        "site dc
server h[1..12] {{ site dc }}
tier lb {{ role presentation }}
tier web {{ role presentation }}
tier ap {{ role application }}
tier cache {{ role cache }}
tier db {{ role data }}
service shop-lb on h1 h2 {{ tier lb; calls shop-web }}
service shop-web on h3 h4 {{ tier web; calls shop-ap }}
service shop-ap on h5 h6 {{ tier ap; calls session-cache shop-db }}
service session-cache on h7 h8 {{ tier cache }}
service shop-db on h9 h10 {{ tier db; stateful }}
client browser {{ browser }}
dns ns on h11 h12 {{ resolves shop-lb }}
{extra}
"
    )
}

// ---- tier-skip ----------------------------------------------------------

#[test]
fn application_to_data_past_a_cache_tier_skips_nothing() {
    // The reported bug: the cache tier declared between ap and db made
    // every ap → db call a skip. Calls into the cache, from either
    // presentation tier, skip nothing either; lb → web is within a level.
    let text = three_tiers(
        "service admin-web on h3 h4 { tier web; calls session-cache }
flow checkout { browser -> shop-lb -> shop-web -> shop-ap -> shop-db; content dynamic }",
    );
    assert_eq!(found(&text, "tier-skip"), []);
}

#[test]
fn presentation_to_data_skips_the_application_tier_not_the_cache() {
    let text = three_tiers("service report-web on h3 h4 { tier web; calls shop-db }");
    assert_eq!(
        found(&text, "tier-skip"),
        [(
            W,
            "`report-web` (tier web, presentation) calls `shop-db` (tier db, data) directly, skipping tier ap".into(),
            json!({"from_level": 0, "to_level": 2, "skipped": 1}),
        )]
    );
    // A load balancer calling the data tier in a flow skips the same tier.
    let text = three_tiers("flow probe { browser -> shop-lb -> shop-db; content dynamic }");
    assert_eq!(
        messages(&text, "tier-skip"),
        [(
            W,
            "`shop-lb` (tier lb, presentation) calls `shop-db` (tier db, data) directly, skipping tier ap".into()
        )]
    );
}

#[test]
fn several_application_tiers_are_all_skipped() {
    let text = three_tiers(
        "tier batch { role application }
service report-web on h3 h4 { tier web; calls shop-db }",
    );
    assert_eq!(
        found(&text, "tier-skip"),
        [(
            W,
            "`report-web` (tier web, presentation) calls `shop-db` (tier db, data) directly, skipping tier ap, batch".into(),
            json!({"from_level": 0, "to_level": 2, "skipped": 2}),
        )]
    );
}

#[test]
fn a_two_tier_file_of_roles_has_no_tier_to_skip() {
    // Web and data only: there is no application tier between them.
    let text = "site dc
server h[1..4] { site dc }
tier web { role presentation }
tier db { role data }
service shop-web on h1 h2 { tier web; calls shop-db }
service shop-db on h3 h4 { tier db }
";
    assert_eq!(found(text, "tier-skip"), []);
}

const V1: &str = "site dc
server h[1..8] { site dc }
tier web
tier ap
tier cache
tier db
service shop-web on h1 h2 { tier web; calls shop-ap }
service shop-ap on h3 h4 { tier ap; calls shop-db }
service session-cache on h5 h6 { tier cache }
service shop-db on h7 h8 { tier db }
";

#[test]
fn without_roles_declaration_order_is_the_level_as_in_v1() {
    // A tier named cache but without roles is just the third level.
    assert_eq!(
        found(V1, "tier-skip"),
        [(
            W,
            "`shop-ap` (tier ap) calls `shop-db` (tier db) directly, skipping tier cache".into(),
            json!({"from_level": 1, "to_level": 3, "skipped": 1}),
        )]
    );
    let passing = V1.replace("calls shop-db }", "calls session-cache }");
    assert_eq!(found(&passing, "tier-skip"), []);
}

#[test]
fn a_mixed_file_is_judged_by_declaration_order() {
    // Only some tiers have a role: the roles cannot place `ap`, so all
    // tiers are levels in declaration order, and ap → db skips the cache.
    let mixed = V1
        .replace("tier web\n", "tier web { role presentation }\n")
        .replace("tier cache\n", "tier cache { role cache }\n")
        .replace("tier db\n", "tier db { role data }\n");
    assert_eq!(
        messages(&mixed, "tier-skip"),
        [(
            W,
            "`shop-ap` (tier ap) calls `shop-db` (tier db) directly, skipping tier cache".into()
        )]
    );
    // With the last role given, the same call skips nothing.
    let all = mixed.replace("tier ap\n", "tier ap { role application }\n");
    assert_eq!(found(&all, "tier-skip"), []);
}

// ---- tier-upcall --------------------------------------------------------

#[test]
fn calls_between_two_presentation_tiers_are_not_upcalls() {
    let text = three_tiers("service status-web on h3 h4 { tier web; calls shop-lb }");
    assert_eq!(found(&text, "tier-upcall"), []);
    // The cache and the data tier are one level: either may call the other.
    let text = three_tiers(
        "service warm on h7 h8 { tier cache; calls shop-db }
service evict on h9 h10 { tier db; calls session-cache }",
    );
    assert_eq!(found(&text, "tier-upcall"), []);
}

#[test]
fn data_and_cache_calling_up_are_upcalls() {
    let text = three_tiers(
        "service notify on h9 h10 { tier db; calls shop-ap }
service refill on h7 h8 { tier cache; calls shop-web }",
    );
    assert_eq!(
        found(&text, "tier-upcall"),
        [
            (
                E,
                "`notify` (tier db, data) calls `shop-ap` (tier ap, application), a tier above its own".into(),
                json!({"from_level": 2, "to_level": 1}),
            ),
            (
                E,
                "`refill` (tier cache, cache) calls `shop-web` (tier web, presentation), a tier above its own".into(),
                json!({"from_level": 2, "to_level": 0}),
            ),
        ]
    );
}

#[test]
fn without_roles_a_later_tier_calling_an_earlier_one_is_an_upcall() {
    let text = V1.replace(
        "service shop-db on h7 h8 { tier db }",
        "service shop-db on h7 h8 { tier db }\nservice warm on h5 h6 { tier cache; calls shop-ap }",
    );
    assert_eq!(
        found(&text, "tier-upcall"),
        [(
            E,
            "`warm` (tier cache) calls `shop-ap` (tier ap), a tier above its own".into(),
            json!({"from_level": 2, "to_level": 1}),
        )]
    );
    assert_eq!(found(V1, "tier-upcall"), []);
}

// ---- cdn-origin ---------------------------------------------------------

#[test]
fn a_cdn_may_pull_from_either_presentation_tier() {
    // The reported false error: the origin in the second presentation tier.
    let text = three_tiers(
        "cdn assets { origin shop-web; pops 40 }
cdn edge { origin shop-lb; pops 10 }",
    );
    assert_eq!(found(&text, "cdn-origin"), []);
}

#[test]
fn a_cdn_pulling_from_the_application_tier_names_every_presentation_tier() {
    let text = three_tiers("cdn assets { origin shop-ap; pops 40 }");
    assert_eq!(
        found(&text, "cdn-origin"),
        [(
            E,
            "cdn `assets` fetches from `shop-ap` in tier ap, application; its origin belongs in a presentation tier (lb, web)".into(),
            json!({"level": 1, "presentation_level": 0}),
        )]
    );
}

#[test]
fn without_a_presentation_role_the_first_tier_is_presentation() {
    let pass = V1.to_string() + "cdn assets { origin shop-web; pops 40 }\n";
    assert_eq!(found(&pass, "cdn-origin"), []);
    let fail = V1.to_string() + "cdn assets { origin shop-ap; pops 40 }\n";
    assert_eq!(
        messages(&fail, "cdn-origin"),
        [(
            E,
            "cdn `assets` fetches from `shop-ap` in tier ap; its origin belongs in a presentation tier (web)".into()
        )]
    );
}

// ---- static-via-ap ------------------------------------------------------

#[test]
fn static_content_through_both_presentation_tiers_is_fine() {
    // The reported false finding: lb → web, both presentation.
    let text = three_tiers("flow images { browser -> shop-lb -> shop-web; content static }");
    assert_eq!(found(&text, "static-via-ap"), []);
}

#[test]
fn static_content_reaching_the_application_tier_is_reported() {
    let text =
        three_tiers("flow images { browser -> shop-lb -> shop-web -> shop-ap; content static }");
    assert_eq!(
        found(&text, "static-via-ap"),
        [(
            I,
            "static flow `images` reaches `shop-ap` in tier ap, application, below the presentation tier: static content can stop at the web tier".into(),
            json!({"level": 1, "presentation_level": 0}),
        )]
    );
}

// ---- shared-layer -------------------------------------------------------

/// Two partitions, each with its own API service of no partition, and
/// `tail` for what those call.
fn partitions(tail: &str) -> String {
    format!(
        "site dc
server h[1..12] {{ site dc }}
partition p1 {{ services web1 }}
partition p2 {{ services web2 }}
service web1 on h1 {{ calls stock-api }}
service web2 on h2 {{ calls price-api }}
service stock-api on h3 h4 {{ calls {tail} }}
service price-api on h5 h6 {{ calls {tail} }}
service inventory on h7 h8 {{ stateful }}
service ledger on h9 h10 {{ stateful }}
"
    )
}

#[test]
fn a_service_reached_through_different_services_is_shared() {
    // p1 → stock-api → inventory, p2 → price-api → inventory: before, only
    // what the partitions call directly was seen, and nothing was shared.
    let text = partitions("inventory");
    assert_eq!(
        found(&text, "shared-layer"),
        [(
            I,
            "partitions p1, p2 share `inventory` (p1 through `stock-api`; p2 through `price-api`): it couples them, and its capacity limits them all".into(),
            json!({"partitions": 2, "load": null, "capacity": null, "unit": "rps"}),
        )]
    );
}

#[test]
fn a_service_behind_a_shared_service_names_it() {
    // Both partitions call stock-api: it is shared, and so is what it calls.
    let text = partitions("ledger")
        .replace(
            "web2 on h2 { calls price-api }",
            "web2 on h2 { calls stock-api }",
        )
        .replace(
            "stock-api on h3 h4 { calls ledger }",
            "stock-api on h3 h4 { calls inventory }",
        );
    assert_eq!(
        messages(&text, "shared-layer"),
        [
            (
                I,
                "partitions p1, p2 share `stock-api`: it couples them, and its capacity limits them all".into()
            ),
            (
                I,
                "partitions p1, p2 share `inventory` through `stock-api`: it couples them, and its capacity limits them all".into()
            ),
        ]
    );
}

#[test]
fn longer_paths_are_named_hop_by_hop() {
    let text = partitions("ledger").replace(
        "stock-api on h3 h4 { calls ledger }",
        "stock-api on h3 h4 { calls inventory }",
    ) + "flow f { web2 -> price-api -> ledger -> inventory }\n";
    assert_eq!(
        messages(&text, "shared-layer"),
        [(
            I,
            "partitions p1, p2 share `inventory` (p1 through `stock-api`; p2 through `price-api` → `ledger`): it couples them, and its capacity limits them all".into()
        )]
    );
}

#[test]
fn separate_chains_share_nothing() {
    let text = partitions("ledger").replace(
        "stock-api on h3 h4 { calls ledger }",
        "stock-api on h3 h4 { calls inventory }",
    );
    assert_eq!(found(&text, "shared-layer"), []);
}

#[test]
fn a_path_stops_at_another_partitions_service() {
    // p1 calls p2's web2, which reaches inventory: inventory is p2's alone
    // (web2 is p2's, so p1 using it is not p1 reaching past it).
    let text = partitions("inventory")
        .replace(
            "web1 on h1 { calls stock-api }",
            "web1 on h1 { calls web2 }",
        )
        .replace(
            "stock-api on h3 h4 { calls inventory }",
            "stock-api on h3 h4 { }",
        );
    assert_eq!(found(&text, "shared-layer"), []);
}

#[test]
fn the_capacity_warning_counts_the_partitions_through_their_chains() {
    // No flow rates: what each partition sends is the load of its service
    // that starts the chain.
    let text = partitions("inventory")
        .replace("web1 on h1 { calls", "web1 on h1 { load 600rps; calls")
        .replace("web2 on h2 { calls", "web2 on h2 { load 300rps; calls")
        .replace(
            "inventory on h7 h8 { stateful }",
            "inventory on h7 h8 { stateful; capacity 400rps }",
        );
    assert_eq!(
        found(&text, "shared-layer"),
        [(
            W,
            "partitions p1, p2 share `inventory` (p1 through `stock-api`; p2 through `price-api`), which carries 2 × 400 rps = 800 rps but they send it 900 rps (p1 600 rps + p2 300 rps): it limits their scale".into(),
            json!({"partitions": 2, "load": 900.0, "capacity": 800.0, "unit": "rps"}),
        )]
    );
}
