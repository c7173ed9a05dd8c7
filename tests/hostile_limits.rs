//! Hostile input against the bounds the README's "Limits" promises: one element
//! limit for everything expansion creates, no quadratic work over what a
//! file can make large, names of at most 128 characters, finite numbers, and
//! messages that echo at most 40 characters of what a file holds. Every case
//! runs the debug binary under a 2 GB address-space limit with a 120 s
//! watchdog that only catches hangs; release timings are measured apart.

use std::path::{Path, PathBuf};

fn dir() -> PathBuf {
    let d = std::env::temp_dir().join(format!("topo-hostile-limits-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

mod support;
use support::{Outcome, Topo};

/// Runs `topo check --format json` on `text` under a memory and time limit.
fn check(name: &str, text: &str) -> Outcome {
    let path = dir().join(name);
    std::fs::write(&path, text).unwrap();
    run(&path)
}

fn run(path: &Path) -> Outcome {
    Topo::check_json(path).run()
}

fn diagnostics(o: &Outcome) -> Vec<serde_json::Value> {
    let v: serde_json::Value = serde_json::from_str(&o.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", &o.stdout[..o.stdout.len().min(500)]));
    v["diagnostics"].as_array().unwrap().clone()
}

/// Exit 1, no crash, no `inf`/`NaN`, and exactly `count` diagnostics of
/// `rule` whose message contains `expected`; returns those messages.
fn expect(name: &str, text: &str, rule: &str, expected: &str, count: usize) -> Vec<String> {
    let o = check(name, text);
    assert!(!o.stderr.contains("panicked"), "{name}: {}", o.stderr);
    assert_eq!(o.code, Some(1), "{name}: {}", o.stderr);
    no_inf_or_nan(name, &o.stdout);
    let found: Vec<String> = diagnostics(&o)
        .iter()
        .filter(|d| d["rule"] == rule && d["message"].as_str().unwrap().contains(expected))
        .map(|d| d["message"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        found.len(),
        count,
        "{name}: want {count} `{rule}` containing {expected:?}, got {}",
        &o.stdout[..o.stdout.len().min(2000)]
    );
    found
}

/// No word of the output is `inf` or `NaN` (`info` is fine).
fn no_inf_or_nan(name: &str, output: &str) {
    let bad = output
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| *w == "inf" || *w == "NaN" || *w == "infinity");
    assert!(bad.is_none(), "{name}: output holds `{}`", bad.unwrap());
}

fn repeat(item: &str, times: usize) -> String {
    vec![item; times].join(" ")
}

#[test]
fn a_range_of_hosts_listed_ten_times_without_hosts() {
    let text = format!("service s on {}\n", repeat("h[1..100000]", 10));
    let messages = expect("svc10.topo", &text, "unknown-name", "unknown host", 10);
    assert!(
        messages[0].contains("`h1` (and 99,999 more"),
        "{}",
        messages[0]
    );
}

#[test]
fn a_range_of_hosts_listed_ten_times_with_hosts() {
    let text = format!(
        "server h[1..100000] {{}}\nservice s on {}\n",
        repeat("h[1..100000]", 10)
    );
    // The first listing is legal; each repeat is one error, not 100,000.
    let messages = expect("svc10h.topo", &text, "invalid-value", "is listed twice", 9);
    assert!(messages[0].contains("host `h1` is listed twice (and 99,999 more"));
}

#[test]
fn model_parts_count_against_the_element_limit() {
    let text =
        "model m {\n  nic n[1..100000] {}\n  disk d[1..100000] {}\n}\nserver s[1..50] : m {}\n";
    let m = expect(
        "parts.topo",
        text,
        "invalid-value",
        "would create 10,000,000 parts",
        1,
    );
    assert!(m[0].contains("at most 2,000,000 elements"), "{}", m[0]);
    // Within the limit, the same model is fine.
    let ok = check(
        "parts-ok.topo",
        "model m {\n  nic n[1..100000] {}\n  disk d[1..100000] {}\n}\nserver s[1..5] : m {}\n",
    );
    assert!(!ok.stdout.contains("would create"), "{}", ok.stdout);
}

#[test]
fn inherited_model_parts_count_too() {
    let mut text = String::from("model m0 { nic n[1..100000] {} }\n");
    for i in 1..=25 {
        text.push_str(&format!("model m{i} : m{} {{}}\n", i - 1));
    }
    expect(
        "inherit.topo",
        &text,
        "invalid-value",
        "would create 100,000 parts",
        1,
    );
}

#[test]
fn a_link_cross_product_is_counted_before_it_is_built() {
    let text =
        "server h[1..100000] {}\nserver t[1..100000] {}\nlink h[1..100000] to t[1..100000]\n";
    let m = expect(
        "link.topo",
        text,
        "invalid-value",
        "this link would create 10,000,000,000 links; a project may create at most 2,000,000 elements",
        1,
    );
    assert_eq!(m.len(), 1);
}

#[test]
fn statements_after_the_limit_is_used_up_are_counted_in_one_error() {
    // 1,999,994 sites and five declarations leave room for one reference:
    // `db on h`. Every later service's `on h` is refused; the first says so,
    // the two after it are counted in that error, and no refused reference
    // leaves the rest of its line to be misread (`pool db 40` is no
    // "unexpected `40`").
    let mut text = String::from("server h\nservice db on h { max-connections 100 }\n");
    for i in 1..20 {
        text.push_str(&format!("site a{i}x[1..100000]\n"));
    }
    text.push_str("site z[1..99994]\n");
    for i in 1..=3 {
        text.push_str(&format!("service ap{i} on h {{ calls db; pool db 40 }}\n"));
    }
    let o = check("spent.topo", &text);
    assert_eq!(o.code, Some(1), "{}", o.stderr);
    let all = diagnostics(&o);
    assert_eq!(all.len(), 1, "{}", &o.stdout[..o.stdout.len().min(2000)]);
    assert_eq!(all[0]["rule"], "invalid-value");
    assert_eq!(all[0]["line"], 23);
    assert_eq!(
        all[0]["message"],
        "`h` would create 1 references, 2,000,001 elements in all; a project may create at \
         most 2,000,000 elements; 2 later statements would pass it too and are not lowered"
    );
    let data = &all[0]["data"];
    assert_eq!(data["wanted"], 1);
    assert_eq!(data["created"], 2_000_000);
    assert_eq!(data["limit"], 2_000_000);
    assert_eq!(data["later_statements"], 2);
}

#[test]
fn calls_copied_into_a_range_of_services_are_counted() {
    let text = "server h\nservice s[1..100000] on h { calls s[1..100000] }\n";
    let m = expect(
        "calls.topo",
        text,
        "invalid-value",
        "10,000,000,000 references",
        1,
    );
    assert!(m[0].contains("100,000 for each of the 100,000"), "{}", m[0]);
}

#[test]
fn long_zero_padded_range_names_are_refused() {
    let low = format!("{}1", "0".repeat(299));
    let high = format!("{}9999", "0".repeat(296));
    let text: String = (0..200)
        .map(|i| format!("site a{i}[{low}..{high}]\n"))
        .collect();
    let m = expect(
        "pad.topo",
        &text,
        "invalid-value",
        "a name is at most 128 characters",
        200,
    );
    for message in &m {
        assert!(message.chars().count() < 160, "{message}");
    }
}

#[test]
fn a_name_of_129_characters_is_refused_and_128_is_fine() {
    let ok = check("name128.topo", &format!("site {}\n", "a".repeat(128)));
    assert_eq!(ok.code, Some(0), "{}", ok.stdout);
    let m = expect(
        "name129.topo",
        &format!("site {}\n", "a".repeat(129)),
        "invalid-value",
        "of 129 characters",
        1,
    );
    assert!(m[0].contains('…'), "{}", m[0]);
}

#[test]
fn a_200_digit_range_bound_is_refused() {
    let text = format!("site s[1..{}]\n", "7".repeat(200));
    let m = expect(
        "bound.topo",
        &text,
        "invalid-value",
        "at most 128 characters",
        1,
    );
    assert!(!m[0].contains(&"7".repeat(41)), "{}", m[0]);
    let text = format!("site s[1..{}]\n", "7".repeat(30));
    expect("bound30.topo", &text, "invalid-value", "too large", 1);
}

#[test]
fn numbers_with_exponents_and_non_finite_figures() {
    // `2.5e3W` is 2500 W: a 1U device drawing it overflows a 2 kW rack.
    let text =
        "site s\nrack r { site s; power 2kW }\nserver a { size 1U; draw 2.5e3W; rack r at U1 }\n";
    expect("exp.topo", text, "rack-power", "draws 2.5 kVA", 1);
    let text = "site s\nrack r { site s; power 1e400W }\n";
    expect("huge-number.topo", text, "invalid-value", "too large", 1);
}

#[test]
fn sums_that_overflow_are_invalid_values() {
    let text = "site s\nrack r { site s; power 10kW; max-weight 1000kg }\n\
                server a[1..3] { size 1U; draw 1e308W; weight 1e308kg; rack r at U1 }\n";
    expect(
        "sum.topo",
        text,
        "invalid-value",
        "draws of the devices in rack `r` are too large to add up",
        1,
    );
    expect(
        "sum2.topo",
        text,
        "invalid-value",
        "weights of the devices in rack `r` are too large",
        1,
    );
    let text = "model m { cpu c { memory ddr4-3200 { channels 2; dimms 4294967295 4294967295; dimm-size 1e300TB } } }\n";
    expect("dimms.topo", text, "invalid-value", "too large", 1);
}

#[test]
fn echoed_numbers_and_words_are_cut_to_40_characters() {
    let text = format!(
        "site s\nserver b {{ size 1U; ports 2 x 1e300GbE }}\n{} x\nsite t {{ {} 1 }}\n",
        "k".repeat(500),
        "p".repeat(500)
    );
    let o = check("echo.topo", &text);
    assert_eq!(o.code, Some(1));
    let ds = diagnostics(&o);
    assert!(ds.len() >= 3, "{}", o.stdout);
    for d in &ds {
        let m = d["message"].as_str().unwrap();
        for long in ["k", "p", "0"] {
            assert!(!m.contains(&long.repeat(41)), "{m}");
        }
    }
    // A control character in an unknown word is escaped, never echoed raw.
    let o = check(
        "ctl.topo",
        "site s { role \"x\u{1b}[31m\" }\nsite t { r\u{7f}le primary }\n",
    );
    assert!(!o.stdout.contains('\u{1b}'), "{}", o.stdout);
}

#[test]
fn many_unknown_names_stay_cheap() {
    // 20,000 distinct unknown references against 100,000 declared names:
    // suggestions are bounded, and each miss is one error.
    let mut text = String::from("server h[1..100000] {}\n");
    for i in 0..20_000 {
        text.push_str(&format!("service s{i} on x{i}\n"));
    }
    expect(
        "unknown.topo",
        &text,
        "unknown-name",
        "unknown host",
        20_000,
    );
}

#[test]
fn many_pools_into_many_services_stay_linear() {
    let mut text = String::from("server h\n");
    for i in 0..20_000 {
        text.push_str(&format!(
            "service s{i} on h {{ max-connections 1; pool s{} 2 }}\n",
            (i + 1) % 20_000
        ));
    }
    expect(
        "pools.topo",
        &text,
        "pool-exhaustion",
        "accepts 1 connections",
        20_000,
    );
}

/// Two tiers of `n` servers on two switches, with the given services and
/// flow; every server is a serving instance of a hop.
fn wide_tiers(n: usize, services: &str) -> String {
    format!(
        "site s {{ entry fw }}\nfirewall fw {{ site s }}\nswitch sw[1..2] {{ site s }}\n\
         server a[1..{n}] {{ site s }}\nserver b[1..{n}] {{ site s }}\n\
         link a[1..{n}] to sw1 sw2\nlink b[1..{n}] to sw1 sw2\nlink fw to sw1 sw2\n\
         {services}client u {{ browser }}\nallow no-dns\n"
    )
}

#[test]
fn wide_tiers_of_serving_instances_stay_linear() {
    // Each instance of a hop is reached from the serving instances of the
    // one before: one search per instance against all of them was
    // quadratic (59 s in release for two tiers of 20,000).
    let n = 20_000;
    for (name, services) in [
        (
            "tiers-plain.topo",
            format!(
                "service sa on a[1..{n}] {{ calls sb }}\nservice sb on b[1..{n}]\n\
                 flow f {{ u -> sa -> sb -> sa }}\n"
            ),
        ),
        (
            "tiers-standby-quorum.topo",
            format!(
                "service sa on a[1..{n}] {{ ha active-standby; calls sb }}\n\
                 service sb on b[1..{n}] {{ ha quorum }}\nflow f {{ u -> sa -> sb -> sa }}\n"
            ),
        ),
        (
            "tiers-shards.topo",
            format!(
                "service sa on a[1..{n}] {{ shard by k {{ weights 50% 50% }} }}\n\
                 service sb on b[1..{n}] {{ ha active-standby; shard by k {{ weights 25% 25% 25% 25% }} }}\n\
                 flow f {{ u -> sa -> sb -> sa -> sb }}\n"
            ),
        ),
        (
            "tiers-vms.topo",
            format!(
                "vm v[1..{n}] on a1 {{ failover b1 }}\nservice sa on v[1..{n}]\n\
                 service sb on b[1..{n}]\nflow f {{ u -> sa -> sb -> sa }}\n"
            ),
        ),
    ] {
        let o = check(name, &wide_tiers(n, &services));
        assert!(!o.stderr.contains("panicked"), "{name}: {}", o.stderr);
        // The firewall is the one way in: the only single point.
        let spof: Vec<String> = diagnostics(&o)
            .iter()
            .filter(|d| d["rule"] == "spof")
            .map(|d| d["element"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(spof, ["fw"], "{name}: {}", &o.stdout[..o.stdout.len().min(2000)]);
    }
}

#[test]
fn wide_and_deep_power_chains_stay_bounded() {
    // 64 feeds (the most a rack lists) under one chain of 64 sources (the
    // deepest allowed), 20,000 devices on all of them and 63 groups on the
    // first 1 .. 63: the failure model's kill sets and the power sums stay
    // near-linear (the kill sets took 6.8 s in release before devices on the
    // same feeds shared one). The sums of every single failure pass the
    // work bound, and the rule says so instead of summing for minutes.
    let mut text = String::from("site dc\npower p0 { site dc; kind utility; capacity 1MVA }\n");
    for i in 1..64 {
        text.push_str(&format!(
            "power p{i} {{ site dc; kind panel; capacity 1MVA; from p{} }}\n",
            i - 1
        ));
    }
    for j in 0..64 {
        text.push_str(&format!(
            "feed f{j} {{ site dc; circuit 30A at 208V; from p{} }}\n",
            63 - j
        ));
    }
    text.push_str("rack r { site dc; feeds f[0..63] }\n");
    text.push_str("server s[1..20000] { rack r at U1; size 0U; draw 10W }\n");
    for k in 1..64 {
        text.push_str(&format!(
            "server t{k}-[1..100] {{ rack r at U1; size 0U; draw 10W; psu {k}; allow single-feed }}\n"
        ));
    }
    let o = check("deep-power.topo", &text);
    assert!(!o.stderr.contains("panicked"), "{}", o.stderr);
    let found: Vec<(String, String)> = diagnostics(&o)
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let capacity: Vec<&(String, String)> = found
        .iter()
        .filter(|(rule, _)| rule == "power-capacity")
        .collect();
    assert_eq!(capacity.len(), 1, "{found:?}");
    assert!(
        capacity[0]
            .1
            .starts_with("single-failure loads not computed"),
        "{found:?}"
    );
}
