//! `topo import netbox`: NetBox device types in, models that check cleanly
//! and drive the rack rules out; bad input writes nothing.

use std::process::{Command, Output};

fn topo(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_topo"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

const GOOD: [&str; 4] = [
    "tests/fixtures/netbox/dell-poweredge-r650.yaml",
    "tests/fixtures/netbox/arista-7050sx3-48yc8.yaml",
    "tests/fixtures/netbox/hpe-3par-8200.yaml",
    "tests/fixtures/netbox/apc-ap8868.yaml",
];

/// A fresh directory of its own, removed afterwards: a name made of the
/// process and thread ids was reused by later runs and found their files.
fn scratch() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

#[test]
fn imports_device_types_as_models() {
    let mut args = vec!["import", "netbox"];
    args.extend(GOOD);
    let out = topo(&args);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    insta::assert_snapshot!("netbox-import", text);
    for expected in [
        "model dell-poweredge-r650 {",
        "draw 800W",
        "psu 2",
        "nic if-25gbase-x-sfp28 { ports 2 x 25GbE }",
        "weight 10.251kg  # 22.6 lb",
        "nic if-25gbase-x-sfp28 { ports 48 x 25GbE }  # Ethernet1..Ethernet48",
        "nic if-100gbase-x-qsfp28 { ports 8 x 100GbE }",
        "model nb-3par-storeserv-8200 {",
        "hba if-16gfc-sfpp { ports 4 x 16GFC }",
        "size 0U",
        "weight 2.495kg  # 88 oz",
        "airflow rear-to-front",
        "# management-only, skipped: iDRAC",
    ] {
        assert!(text.contains(expected), "missing `{expected}` in\n{text}");
    }
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("interface type `ieee802.11ac` has no known speed"),
        "{stderr}"
    );
    // The output checks cleanly.
    let checked = topo::check::check_sources(&[("imported.topo", &text)]);
    assert_eq!(checked.diagnostics, []);
}

#[test]
fn typical_draw_takes_allocated_draw() {
    let out = topo(&["import", "netbox", "--typical", GOOD[0]]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("draw 420W  # largest allocated_draw of 2 power ports"),
        "{text}"
    );
}

#[test]
fn imported_models_are_includable_and_drive_the_rack_rules() {
    let scratch = scratch();
    let dir = scratch.path();
    let models = dir.join("models.topo");
    let mut args = vec!["import", "netbox", "-o", models.to_str().unwrap()];
    args.extend(GOOD);
    assert_eq!(topo(&args).status.code(), Some(0));
    // 9 R650s at 800 W = 7.2 kW on a 30 A, 208 V circuit (6.24 kW): 115 %.
    let plan = dir.join("plan.topo");
    std::fs::write(
        &plan,
        "include \"models.topo\"\nsite dc\nfeed a { site dc; circuit 30A at 208V }\nrack r1 { site dc; feeds a; airflow front-to-rear }\n\
         server web[1..9] : dell-poweredge-r650 { rack r1 at U1 }\nswitch tor1 : arista-dcs-7050sx3-48yc8 { rack r1 at U42 }\n",
    )
    .unwrap();
    let out = topo(&["check", "--format", "json", plan.to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found: Vec<(String, String)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "rack-power".to_string(),
                "feed `a` carries 7.58 kVA (36.4 A at 208 V) for rack `r1` in normal operation: 121 % of 6.24 kVA (30 A at 208 V), over its rating".to_string()
            ),
            (
                "airflow-mismatch".to_string(),
                "`tor1` blows rear-to-front in rack `r1`, whose airflow is front-to-rear: it takes in the hot aisle's exhaust".to_string()
            ),
        ]
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn an_existing_output_is_kept_unless_forced() {
    let scratch = scratch();
    let dir = scratch.path();
    let out_file = dir.join("exists.topo");
    std::fs::write(&out_file, "# mine\n").unwrap();
    let out = topo(&[
        "import",
        "netbox",
        "-o",
        out_file.to_str().unwrap(),
        GOOD[0],
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&out_file).unwrap(), "# mine\n");
    let out = topo(&[
        "import",
        "netbox",
        "--force",
        "-o",
        out_file.to_str().unwrap(),
        GOOD[0],
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(std::fs::read_to_string(&out_file)
        .unwrap()
        .contains("model dell-poweredge-r650"));
}

/// A bad file is reported with its path and line (exit 1); the good one
/// beside it is still converted and written.
#[test]
fn a_bad_file_is_reported_with_its_line_and_the_others_are_converted() {
    let scratch = scratch();
    let dir = scratch.path();
    for (i, (file, message)) in [
        (
            "tests/fixtures/netbox/bad-missing-slug.yaml",
            "bad-missing-slug.yaml:2:1: missing field `slug`",
        ),
        (
            "tests/fixtures/netbox/bad-syntax.yaml",
            "bad-syntax.yaml:4:5: did not find expected ',' or ']'",
        ),
        (
            "tests/fixtures/netbox/bad-absurd-height.yaml",
            "bad-absurd-height.yaml:5:1: `u_height` 111111111111111110000 is not a device's figure (0 to 100)",
        ),
        (
            "tests/fixtures/netbox/bad-negative-weight.yaml",
            "bad-negative-weight.yaml:5:1: `weight` -9.52543977 is not a device's figure (0 to 10000)",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let target = dir.join(format!("out{i}.topo"));
        let out = topo(&[
            "import",
            "netbox",
            "-o",
            target.to_str().unwrap(),
            GOOD[0],
            file,
        ]);
        assert_eq!(out.status.code(), Some(1), "{file}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(
            stderr.contains(&format!("error: {}", file.replace(".yaml", "")))
                && stderr.contains(message),
            "{stderr}"
        );
        assert!(
            stderr.contains("1 of 2 file(s) not converted; the other 1 written"),
            "{stderr}"
        );
        let written = std::fs::read_to_string(&target).unwrap();
        assert_eq!(written.matches("\nmodel ").count(), 1, "{written}");
        assert!(written.contains("model dell-poweredge-r650 {"), "{written}");
    }
    let missing = topo(&["import", "netbox", "no/such.yaml"]);
    assert_eq!(missing.status.code(), Some(2));
}

/// Found by fuzzing: odd interface types (`1.gfc-sfpp`, `08gfc-sfpp`) once
/// printed their figure as typed (`1.GFC`), which is not topo. Whatever the
/// import writes must parse and lower without a language error.
#[test]
fn odd_interface_types_still_import_as_valid_topo() {
    let yaml =
        std::fs::read_to_string("tests/fixtures/netbox/fuzz-odd-interface-types.yaml").unwrap();
    let imported = topo::netbox::convert(&yaml, topo::netbox::Draw::Maximum).unwrap();
    assert!(
        imported.text.contains("ports 1 x 1GFC"),
        "{}",
        imported.text
    );
    assert!(
        imported.text.contains("ports 1 x 8GFC"),
        "{}",
        imported.text
    );
    assert_imports_valid_topo(&imported.text);
}

/// Found by fuzzing: line breaks inside names once ended the comments the
/// names go into, turning the rest into code.
#[test]
fn line_breaks_in_names_stay_inside_comments() {
    let yaml =
        std::fs::read_to_string("tests/fixtures/netbox/fuzz-line-breaks-in-names.yaml").unwrap();
    let imported = topo::netbox::convert(&yaml, topo::netbox::Draw::Maximum).unwrap();
    assert!(!imported.text.contains('\r'), "{:?}", imported.text);
    assert!(
        imported.text.contains("# Ethernet1 site nowhere"),
        "{}",
        imported.text
    );
    assert_imports_valid_topo(&imported.text);
}

/// Found by fuzzing: a slug longer than a name may be became a model name
/// of 135 characters, which topo refuses.
#[test]
fn long_slugs_become_names_of_at_most_128_characters() {
    let yaml = std::fs::read_to_string("tests/fixtures/netbox/fuzz-long-slug.yaml").unwrap();
    let imported = topo::netbox::convert(&yaml, topo::netbox::Draw::Maximum).unwrap();
    let model = imported
        .text
        .lines()
        .find_map(|l| l.strip_prefix("model "))
        .and_then(|l| l.strip_suffix(" {"))
        .unwrap();
    assert_eq!(model.chars().count(), 128, "{model}");
    assert_imports_valid_topo(&imported.text);
}

/// Found by fuzzing: a long interface type became a part name of 142
/// characters.
#[test]
fn long_interface_types_become_part_names_of_at_most_128_characters() {
    let yaml =
        std::fs::read_to_string("tests/fixtures/netbox/fuzz-long-interface-type.yaml").unwrap();
    let imported = topo::netbox::convert(&yaml, topo::netbox::Draw::Maximum).unwrap();
    let part = imported
        .text
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("hba "))
        .and_then(|l| l.split_whitespace().next())
        .unwrap();
    assert_eq!(part.chars().count(), 128, "{part}");
    assert_imports_valid_topo(&imported.text);
}

fn assert_imports_valid_topo(imported_text: &str) {
    let checked = topo::check::check_sources(&[("imported.topo", imported_text)]);
    let language: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| {
            [
                "syntax",
                "unknown-name",
                "duplicate-name",
                "unit-mismatch",
                "invalid-value",
            ]
            .contains(&d.rule)
        })
        .collect();
    assert!(language.is_empty(), "{language:?}\n{imported_text}");
}
