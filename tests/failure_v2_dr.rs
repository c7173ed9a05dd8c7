//! DR take-over (v2): when a site backed by a DR site fails, each service
//! it stops is replaced by the service that takes it over there
//! (`takes-over`, or a `replicate` target) and the flow is followed again.
//! A flow that works again is reported by `dr-failover` with the RTO and
//! RPO it relies on, not by `spof`, and `ha-same-domain` leaves the site
//! out. Each situation has a fixture that recovers and one that does not,
//! with the exact findings (`tests/fixtures/failure-v2-dr/`).

mod support;

use support::fixtures::Fixtures;
use topo::diagnostic::Severity::{Info, Warning};

const FIXTURES: Fixtures = Fixtures::new("failure-v2-dr");

const RECOVERED: &str = "site `tokyo` stops flow `checkout` until DR site `osaka` takes over \
     (`web-dr` for `web` and `db-dr` for `db`): RTO 30 min, RPO 5 min \
     (async replication of `db` to `db-dr`)";

const STOPPED: &str = "site `tokyo` is a single point of failure: it stops flow `checkout` \
     (every instance of `web` fails with it, every instance of `db` fails with it)";

const DB_PAIR: &str = "every member of `db` (ha active-standby) fails with site `tokyo`";
/// Five 25GbE hosts behind each Tokyo switch share one 10GbE cable to
/// Osaka: 12.5:1, a true `oversubscription` finding beside the DR ones.
const TSW1: &str =
    "`tsw1` has 5 × 25GbE = 125 Gb/s down and 1 × 10GbE = 10 Gb/s up: 12.5:1, over 3:1";
const TSW2: &str =
    "`tsw2` has 5 × 25GbE = 125 Gb/s down and 1 × 10GbE = 10 Gb/s up: 12.5:1, over 3:1";

#[test]
fn a_takes_over_service_and_a_replica_recover_the_site() {
    // No spof on tokyo, and db's pair failing with tokyo is what osaka is for.
    FIXTURES.expect("takes-over-recovers", &[("dr-failover", Info, RECOVERED)]);
}

#[test]
fn a_replica_alone_takes_its_source_over() {
    // web runs at both sites, so only db is replaced; a sync replication
    // with no rpo loses nothing.
    FIXTURES.expect(
        "replica-recovers",
        &[(
            "dr-failover",
            Info,
            "site `tokyo` stops flow `checkout` until DR site `osaka` takes over \
             (`db-dr` for `db`): RTO 1 h, RPO 0 s (sync replication of `db` to `db-dr`)",
        )],
    );
}

#[test]
fn a_stopped_service_with_no_taker_leaves_the_site_a_spof() {
    FIXTURES.expect(
        "no-taker",
        &[
            ("spof", Warning, STOPPED),
            // db has a replica at osaka, but the flow through it is not
            // recovered: its pair failing with the site is an outage.
            ("ha-same-domain", Warning, DB_PAIR),
        ],
    );
}

#[test]
fn a_taker_cut_off_at_the_dr_site_recovers_nothing() {
    FIXTURES.expect(
        "taker-cut-off",
        &[
            ("spof", Warning, STOPPED),
            ("oversubscription", Warning, TSW1),
            ("oversubscription", Warning, TSW2),
            ("ha-same-domain", Warning, DB_PAIR),
        ],
    );
    FIXTURES.expect(
        "taker-cabled",
        &[
            ("dr-failover", Info, RECOVERED),
            ("oversubscription", Warning, TSW1),
            ("oversubscription", Warning, TSW2),
        ],
    );
}

#[test]
fn a_taker_that_needs_the_failed_site_recovers_nothing() {
    // web-dr's storage array stands in tokyo: it fails with the site.
    FIXTURES.expect(
        "taker-needs-the-site",
        &[
            ("spof", Warning, STOPPED),
            ("ha-same-domain", Warning, DB_PAIR),
        ],
    );
}

#[test]
fn a_replication_with_no_figures_says_so() {
    FIXTURES.expect(
        "no-rto",
        &[(
            "dr-failover",
            Info,
            "site `tokyo` stops flow `checkout` until DR site `osaka` takes over \
             (`web-dr` for `web` and `db-dr` for `db`): no RTO stated, no RPO stated",
        )],
    );
}

#[test]
fn a_site_is_a_take_over_for_some_flows_and_a_spof_for_others() {
    FIXTURES.expect(
        "partial",
        &[
            ("dr-failover", Info, RECOVERED),
            (
                "spof",
                Warning,
                "site `tokyo` is a single point of failure: it stops flow `report` \
                 (every instance of `web` fails with it, every instance of `rep` fails with it)",
            ),
        ],
    );
}

#[test]
fn impact_of_a_recovered_site_says_until_when() {
    let web = "every instance of `web` fails with it".to_string();
    assert_eq!(
        FIXTURES.impact("partial", &["tokyo"]).flows,
        [
            (
                "checkout".to_string(),
                vec![
                    web.clone(),
                    "every instance of `db` fails with it".to_string(),
                    "until DR site `osaka` takes over: RTO 30 min, RPO 5 min \
                     (async replication of `db` to `db-dr`)"
                        .to_string(),
                ]
            ),
            (
                "report".to_string(),
                vec![web, "every instance of `rep` fails with it".to_string()]
            ),
        ]
    );
    // Not recovered: no take-over to wait for.
    assert_eq!(
        FIXTURES.impact("no-taker", &["tokyo"]).flows,
        [(
            "checkout".to_string(),
            vec![
                "every instance of `web` fails with it".to_string(),
                "every instance of `db` fails with it".to_string(),
            ]
        )]
    );
}
