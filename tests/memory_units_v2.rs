//! Issue 20, memory units and figures that are not finite (LANGUAGE.md §1):
//! a DIMM's `GB` is a JEDEC size, i.e. GiB, so eight "16GB" RDIMMs hold
//! 128 GiB; messages that compare sizes print both sides in one unit; a
//! figure that is not finite after conversion, or a sum that overflows, is
//! one `invalid-value` at what overflowed, and no output prints `inf`,
//! `NaN` or a run of digits past 40 characters.

mod support;

use serde_json::{json, Value};
use std::ffi::OsStr;
use std::path::PathBuf;
use support::Topo;
use topo::check::{check_sources, Checked};
use topo::diagnostic::Severity;
use topo::model::Host;

const E: Severity = Severity::Error;
const W: Severity = Severity::Warning;
const GI: f64 = 1024.0 * 1024.0 * 1024.0;

/// Eight "16GB" RDIMMs on one CPU: 128 GiB.
const ODB1: &str = "site dc\nserver odb1 { site dc; cpu cpu0 { memory ddr4-3200 { channels 8; dimms 1 1 1 1 1 1 1 1; dimm-size 16GB } } }\n";

fn check(text: &str) -> Checked {
    check_sources(&[("t.topo", text)])
}

fn found(checked: &Checked, rule: &str) -> Vec<(Severity, String, Value)> {
    support::fixtures::rule_findings(checked, rule)
}

fn memory_of(checked: &Checked, device: &str) -> Option<f64> {
    assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
    let p = &checked.project;
    let i = p.devices.iter().position(|d| d.name == device).unwrap();
    p.host_memory(Host::Device(topo::model::DeviceId(i as u32)))
        .map(|b| b.get())
}

// ---- DIMM sizes are JEDEC sizes --------------------------------------

#[test]
fn a_dimms_gb_is_a_gib_and_only_there() {
    let c = check(ODB1);
    assert_eq!(memory_of(&c, "odb1"), Some(8.0 * 16.0 * GI));
    // "32GB" on a DIMM is 34,359,738,368 bytes; TB is TiB; GiB is as written.
    for (size, bytes) in [
        ("32GB", 34_359_738_368.0),
        ("1TB", 1024.0 * GI),
        ("32GiB", 32.0 * GI),
        ("512MB", 512.0 * 1024.0 * 1024.0),
    ] {
        let text = format!(
            "server h {{ cpu c {{ memory ddr4-3200 {{ channels 1; dimms 1; dimm-size {size} }} }} }}\n"
        );
        assert_eq!(memory_of(&check(&text), "h"), Some(bytes), "{size}");
    }
    // Everywhere else GB is decimal: a CPU's `memory SIZE`, a device's
    // `ram`, and the two add up with the DIMMs.
    let text = "server h { cpu c0 { memory 100GB }; cpu c1 { memory ddr4-3200 { channels 2; dimms 1 1; dimm-size 8GB } } }\n\
                server r { ram 64GB }\n";
    let c = check(text);
    assert_eq!(memory_of(&c, "h"), Some(100e9 + 16.0 * GI));
    assert_eq!(memory_of(&c, "r"), Some(64e9));
}

#[test]
fn a_cache_that_fits_in_jedec_dimms_is_clean() {
    // 120 GiB of 128 GiB; a decimal 130 GB (121 GiB) fits too. Before,
    // eight 16GB DIMMs were 128 GB and both were refused.
    for cache in ["120GiB", "130GB", "128GiB"] {
        let text = format!("{ODB1}service db on odb1 {{ cache {cache} }}\n");
        assert_eq!(
            found(&check(&text), "cache-exceeds-memory"),
            [],
            "cache {cache}"
        );
    }
}

#[test]
fn a_cache_over_jedec_dimms_is_said_in_gib_on_both_sides() {
    let text = format!("{ODB1}service db on odb1 {{ cache 130GiB }}\n");
    assert_eq!(
        found(&check(&text), "cache-exceeds-memory"),
        [(
            E,
            "`db` caches 130 GiB but odb1 has 128 GiB".to_string(),
            json!({"load": 130.0 * GI, "capacity": 128.0 * GI, "unit": "B",
                   "percent": 101.5625, "hosts": ["odb1"]}),
        )]
    );
}

#[test]
fn a_decimal_cache_over_jedec_dimms_is_converted_to_the_hosts_unit() {
    // 140 GB = 130.4 GiB against 128 GiB: one unit, GiB, on both sides.
    let text = format!("{ODB1}service db on odb1 {{ cache 140GB }}\n");
    let f = found(&check(&text), "cache-exceeds-memory");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].1, "`db` caches 130 GiB but odb1 has 128 GiB");
    assert_eq!(f[0].2["load"], json!(140e9));
    assert_eq!(f[0].2["capacity"], json!(128.0 * GI));
    // Just over: more digits, so that the two figures never read alike.
    let text = format!("{ODB1}service db on odb1 {{ cache 137.5GB }}\n");
    let f = found(&check(&text), "cache-exceeds-memory");
    assert_eq!(f[0].1, "`db` caches 128.1 GiB but odb1 has 128 GiB");
}

#[test]
fn decimal_sizes_on_both_sides_stay_decimal() {
    let text = "server h { ram 32GB }\nservice s on h { cache 48GB }\n";
    let f = found(&check(text), "cache-exceeds-memory");
    assert_eq!(
        f,
        [(
            E,
            "`s` caches 48 GB but h has 32 GB".to_string(),
            json!({"load": 48e9, "capacity": 32e9, "unit": "B", "percent": 150.0,
                   "hosts": ["h"]}),
        )]
    );
    // A vm's `ram` in GiB on a decimal cache: binary, as one side is.
    let text = "server h\nvm v on h { ram 32GiB }\nservice s on v { cache 40GB }\n";
    let f = found(&check(text), "cache-exceeds-memory");
    assert_eq!(f[0].1, "`s` caches 37.3 GiB but v has 32 GiB");
}

/// Two CPUs × 8 × "32GB" DIMMs: 512 GiB (549.8 GB).
const H1: &str = "server h1 { cpu cpu[0..1] { memory ddr4-3200 { channels 8; dimms 1 1 1 1 1 1 1 1; dimm-size 32GB } } }\n";

#[test]
fn vms_with_decimal_ram_fit_on_a_host_of_jedec_dimms() {
    // 2 × 270 GB = 540 GB = 503 GiB of 512 GiB: fits (as 512 GB it did not).
    let text = format!("{H1}vm v[1..2] on h1 {{ ram 270GB }}\n");
    assert_eq!(found(&check(&text), "vm-memory"), []);
}

#[test]
fn vms_over_a_host_of_jedec_dimms_are_said_in_gib() {
    // 2 × 280 GB = 560 GB = 521.5 GiB on 512 GiB.
    let text = format!("{H1}vm v[1..2] on h1 {{ ram 280GB }}\n");
    let f = found(&check(&text), "vm-memory");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].0, E);
    assert_eq!(f[0].1, "522 GiB of VMs on `h1`, a 512 GiB host: 101.9 %");
    assert_eq!(f[0].2["load"], json!(560e9));
    assert_eq!(f[0].2["capacity"], json!(512.0 * GI));
    assert_eq!(f[0].2["unit"], json!("B"));
}

#[test]
fn a_failover_onto_a_host_of_jedec_dimms_is_said_in_gib() {
    // h2 holds 300 GB; h1's 260 GB fail over onto it: 560 GB = 521.5 GiB,
    // over its 512 GiB.
    // 540 GB = 502.9 GiB fits.
    let h2 = H1.replace("h1", "h2");
    let text =
        format!("{H1}{h2}vm a on h1 {{ failover h2; ram 260GB }}\nvm b on h2 {{ ram 300GB }}\n");
    let f = found(&check(&text), "vm-memory");
    assert_eq!(
        f.iter().map(|x| (x.0, x.1.as_str())).collect::<Vec<_>>(),
        [(
            W,
            "after `h1` fails, 522 GiB of VMs on `h2`, a 512 GiB host: 101.9 %"
        )]
    );
    let text = text.replace("260GB", "240GB");
    assert_eq!(found(&check(&text), "vm-memory"), []);
}

#[test]
fn decimal_vms_on_a_decimal_host_stay_decimal() {
    let text = "server h { ram 768GB }\nvm v[1..3] on h { ram 320GB }\n";
    let f = found(&check(text), "vm-memory");
    assert_eq!(f[0].1, "960 GB of VMs on `h`, a 768 GB host: 125 %");
}

// ---- figures that are not finite, and sums that overflow -------------

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/memory-units-v2/{name}"))
}

/// `topo check --format human` and `--format json` on a fixture: both exit
/// 1, neither prints `inf`, `NaN` or a number of more than 40 characters;
/// returns the JSON diagnostics.
fn run_both(name: &str) -> Vec<Value> {
    let path = fixture(name);
    let human = Topo::new([
        OsStr::new("check"),
        OsStr::new("--format"),
        OsStr::new("human"),
        path.as_os_str(),
    ])
    .run();
    let json = Topo::check_json(&path).run();
    for (format, o) in [("human", &human), ("json", &json)] {
        assert_eq!(o.code, Some(1), "{format}: {}", o.stderr);
        assert!(!o.stderr.contains("panicked"), "{format}: {}", o.stderr);
        let words: Vec<&str> = o
            .stdout
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        for bad in ["inf", "Inf", "infinity", "NaN", "nan"] {
            assert!(!words.contains(&bad), "{format} output holds `{bad}`");
        }
        assert!(
            !o.stdout.contains("too large to represent"),
            "{format}: a finding printed a figure that is not finite"
        );
        let longest = o
            .stdout
            .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
            .map(str::len)
            .max()
            .unwrap_or(0);
        assert!(longest <= 40, "{format}: a number of {longest} characters");
    }
    let v: Value = serde_json::from_str(&json.stdout).unwrap();
    v["diagnostics"].as_array().unwrap().clone()
}

/// (line, first column, last column, message) of every `invalid-value`.
fn invalid_values(diagnostics: &[Value]) -> Vec<(u64, u64, u64, String)> {
    diagnostics
        .iter()
        .filter(|d| d["rule"] == "invalid-value")
        .map(|d| {
            (
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["end_column"].as_u64().unwrap(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn every_measure_that_is_not_finite_is_an_invalid_value_at_its_value() {
    let d = run_both("not-finite.topo");
    let text = std::fs::read_to_string(fixture("not-finite.topo")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let found = invalid_values(&d);
    // Each at a `1e400…` figure, each once.
    let mut expected = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if line.starts_with('#') {
            continue;
        }
        for (at, _) in line.match_indices("1e400") {
            let end = line[at..]
                .find([' ', ';', '}'])
                .map_or(line.len(), |n| at + n);
            expected.push((i as u64 + 1, at as u64 + 1, end as u64 + 1));
        }
    }
    // `circuit 1e400A at 208V` and every other figure: one finding each.
    assert_eq!(expected.len(), 30);
    assert_eq!(
        found
            .iter()
            .map(|(l, c, e, _)| (*l, *c, *e))
            .collect::<Vec<_>>(),
        expected
    );
    for (_, _, _, m) in &found {
        assert_eq!(m, "the number is too large to use");
    }
    // The properties covered, by name: every measure the language has.
    assert!(text.contains("ports 4 x 1e400GbE"));
    for property in [
        "capacity",
        "circuit",
        "rated",
        "height",
        "cooling",
        "voltage",
        "max-weight",
        "power",
        "draw",
        "weight",
        "ram",
        "memory",
        "dimm-size",
        "throughput",
        "cache",
        "bandwidth",
        "speed",
        "distance",
        "load",
        "rate",
        "rpo",
        "write-rate",
    ] {
        assert!(
            text.contains(&format!("{property} 1e400")),
            "{property} is not covered"
        );
    }
}

#[test]
fn sums_that_overflow_are_invalid_values_naming_what_overflowed() {
    let d = run_both("overflow.topo");
    assert_eq!(
        invalid_values(&d),
        [
            (
                5,
                7,
                10,
                "the loads on power source `ups` are too large to add up"
            ),
            (6, 6, 8, "the loads on feed `fa` are too large to add up"),
            (7, 6, 8, "the loads on feed `fb` are too large to add up"),
            // Said once, though `rack-power` and `rack-cooling` both add it up.
            (
                8,
                6,
                7,
                "the draws of the devices in rack `r` are too large to add up"
            ),
            (
                8,
                6,
                7,
                "the weights of the devices in rack `r` are too large to add up"
            ),
            (
                13,
                7,
                11,
                "the memory of the CPUs up to `cpu1` is too large to add up"
            ),
            (
                19,
                8,
                9,
                "the `ram` figures of the VMs on `h` are too large to add up"
            ),
            (
                25,
                9,
                10,
                "the rates of the flows through `x` are too large to add up"
            ),
            (
                26,
                9,
                10,
                "the rates of the flows through `y` are too large to add up"
            ),
        ]
        .map(|(l, c, e, m)| (l, c, e, m.to_string()))
    );
    // What overflowed is compared nowhere: no capacity finding on `x` or
    // `y`, no power finding on the feeds, no cooling or weight finding on r.
    for d in &d {
        let rule = d["rule"].as_str().unwrap();
        let element = d["element"].as_str().unwrap_or("");
        assert!(
            !(["overload", "capacity-n1", "dr-capacity"].contains(&rule)
                && ["x", "y"].contains(&element)),
            "{d}"
        );
        assert_ne!(rule, "power-capacity", "{d}");
        assert!(
            !(["rack-cooling", "rack-weight", "rack-power"].contains(&rule) && element == "r"),
            "{d}"
        );
    }
}
