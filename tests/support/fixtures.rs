//! The `.topo` fixtures of one directory under `tests/fixtures/`, checked
//! as `topo check` does: every finding of one with its rule and severity,
//! the exact list a test expects, and what failing some of its elements
//! together takes down, as `topo impact` lists it (by name, so that tests
//! compare plain strings).

use std::path::PathBuf;
use topo::analyze::failure::{impact, Candidate};
use topo::check::{check_files, Checked};
use topo::diagnostic::Severity;

/// The fixtures in `tests/fixtures/<dir>/`.
pub struct Fixtures {
    dir: &'static str,
}

/// What failing some elements together takes down, by name.
pub struct Impact {
    /// Devices down, each with why.
    pub devices: Vec<(String, String)>,
    /// Services stopped: (name, instances lost, instances up but cut off).
    pub services_down: Vec<(String, usize, usize)>,
    /// Flows that work with everything up and stop, with every reason.
    pub flows: Vec<(String, Vec<String>)>,
}

impl Impact {
    /// The flows stopped with their first reason: the failure model's own
    /// (the rest are the other services on the path that also go down).
    pub fn first_reasons(&self) -> Vec<(String, String)> {
        self.flows
            .iter()
            .map(|(f, why)| (f.clone(), why[0].clone()))
            .collect()
    }
}

impl Fixtures {
    pub const fn new(dir: &'static str) -> Fixtures {
        Fixtures { dir }
    }

    /// `tests/fixtures/<dir>/<name>.topo`.
    pub fn path(&self, name: &str) -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join(format!("tests/fixtures/{}/{name}.topo", self.dir))
    }

    /// The fixture checked; it must exist.
    pub fn check(&self, name: &str) -> Checked {
        let checked = check_files(&[self.path(name)]);
        assert!(checked.unreadable.is_empty(), "{name} is missing");
        checked
    }

    /// Every finding of a fixture: (rule, severity, message).
    pub fn findings(&self, name: &str) -> Vec<(String, Severity, String)> {
        self.check(name)
            .diagnostics
            .iter()
            .map(|d| (d.rule.to_string(), d.severity, d.message.clone()))
            .collect()
    }

    /// Asserts the fixture's findings are exactly `expected`, in order.
    pub fn expect(&self, name: &str, expected: &[(&str, Severity, &str)]) {
        let expected: Vec<(String, Severity, String)> = expected
            .iter()
            .map(|(r, s, m)| (r.to_string(), *s, m.to_string()))
            .collect();
        assert_eq!(self.findings(name), expected, "{name}");
    }

    /// `topo impact` of the named `elements` of a fixture failed together.
    pub fn impact(&self, name: &str, elements: &[&str]) -> Impact {
        let checked = self.check(name);
        let p = &checked.project;
        let named: Vec<Candidate> = elements
            .iter()
            .map(|e| {
                let e = *p.names.get(*e).expect("the element exists");
                Candidate::of(e).expect("a failure candidate")
            })
            .collect();
        let i = impact(p, &named);
        Impact {
            devices: i
                .devices
                .into_iter()
                .map(|(d, why)| (p.devices[d.index()].name.clone(), why))
                .collect(),
            services_down: i
                .services_down
                .iter()
                .map(|r| {
                    (
                        p.services[r.service.index()].name.clone(),
                        r.lost.len(),
                        r.cut_off.len(),
                    )
                })
                .collect(),
            flows: i
                .flows
                .into_iter()
                .map(|(f, why)| (p.flows[f.index()].name.clone(), why))
                .collect(),
        }
    }
}

/// The rules that judge the text rather than the design: a rule's test on
/// text that has one of these proves nothing about the rule.
pub const LANGUAGE_RULES: [&str; 5] = [
    "syntax",
    "unknown-name",
    "duplicate-name",
    "unit-mismatch",
    "invalid-value",
];

pub fn assert_no_language_error(checked: &Checked) {
    for d in &checked.diagnostics {
        assert!(
            !LANGUAGE_RULES.contains(&d.rule),
            "language error: {}",
            d.message
        );
    }
}

/// (severity, message, data) of every finding of `rule`, in order; asserts
/// the text has no language error.
pub fn rule_findings(checked: &Checked, rule: &str) -> Vec<(Severity, String, serde_json::Value)> {
    assert_no_language_error(checked);
    checked
        .diagnostics
        .iter()
        .filter(|d| d.rule == rule)
        .map(|d| {
            (
                d.severity,
                d.message.clone(),
                serde_json::to_value(&d.data).unwrap(),
            )
        })
        .collect()
}
