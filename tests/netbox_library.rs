//! `topo import netbox` on real device types: a sample of the community's
//! devicetype-library (servers, switches, PDUs, UPSes, 0U devices, patch
//! panels, blades, `.yml` files and module types) imported in one run.

use std::collections::BTreeMap;
use std::process::{Command, Output};

const LIBRARY: &str = "tests/fixtures/netbox-library";

fn topo(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_topo"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

/// Each model's text by name.
fn models(text: &str) -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    let mut current: Option<(String, String)> = None;
    for line in text.lines() {
        if let Some(name) = line
            .strip_prefix("model ")
            .and_then(|l| l.strip_suffix(" {"))
        {
            current = Some((name.to_string(), String::new()));
        } else if line == "}" {
            let (name, body) = current.take().expect("a model is open");
            found.insert(name, body);
        } else if let Some((_, body)) = current.as_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    found
}

fn import_library() -> (String, String, Option<i32>) {
    let out = topo(&["import", "netbox", LIBRARY]);
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code(),
    )
}

#[test]
fn the_whole_sample_imports_in_one_run_and_checks_clean() {
    let (text, stderr, code) = import_library();
    assert_eq!(code, Some(0), "{stderr}");
    let models = models(&text);
    // 40 files: 36 device types (4 of them `.yml`), 3 module types, the
    // licence and the note on the source are not YAML.
    assert_eq!(models.len(), 36, "{:?}", models.keys());
    // `.yml` files are read.
    for yml in [
        "dell-poweredge-r750",
        "apc-ap7854",
        "apc-smart-ups-c-3000va-rack-mount-lcd-230v",
        "nb-3com-4210g-pwr-24-port",
    ] {
        assert!(models.contains_key(yml), "{yml} missing");
    }
    // No language error in anything imported: the rules about racks and
    // power have nothing to look at in models alone.
    let checked = topo::check::check_sources(&[("imported.topo", &text)]);
    assert_eq!(checked.diagnostics, []);
}

#[test]
fn power_distributors_never_draw_their_inlet_rating() {
    let (text, _, _) = import_library();
    let models = models(&text);
    let distributors: Vec<&String> = models
        .iter()
        .filter(|(_, body)| body.contains("# power outlets: "))
        .map(|(name, _)| name)
        .collect();
    // 9 PDUs (APC, Raritan, Server Technology, Tripp Lite, Avocent, FS)
    // and 3 UPSes (APC, Eaton).
    assert_eq!(distributors.len(), 12, "{distributors:?}");
    for name in &distributors {
        let body = &models[*name];
        assert!(!body.contains("  draw "), "{name} draws:\n{body}");
        assert!(!body.contains("  psu "), "{name}:\n{body}");
        assert!(body.contains("# distributes power ("), "{name}:\n{body}");
    }
    // The Tripp Lite PDU states 8,320 W on its inlet: its rating, as a
    // comment, never a draw (one such PDU failed its rack at 254 %).
    assert_eq!(
        models["eaton-tripp-lite-pdumvr30hvnetlx"],
        "  size 0U\n  depth half\n  weight 5.44kg\n\
         \x20 # distributes power (24 outlets, 1 inlet): no draw; declare it as a `pdu`\n\
         \x20 # inlet rating 8320W (largest maximum_draw), not a draw: a pdu has no capacity in topo; budget it on its feed or power source\n\
         \x20 airflow passive\n  # management-only, skipped: Net\n  # console ports: 2 (Config, USB)\n\
         \x20 # power outlets: 24 (01..24)\n"
    );
    assert!(models["apc-smt3000rmi2uc"].contains("# inlet rating 3600W (largest maximum_draw)"));
    assert!(models["apc-ap8868"].contains("# its power ports state no rating"));
}

#[test]
fn the_draw_is_the_largest_maximum_draw_else_the_largest_allocated_draw() {
    let (text, _, _) = import_library();
    let models = models(&text);
    // Both figures stated: the maximum wins.
    assert!(models["dell-poweredge-1950"]
        .contains("  draw 670W  # largest maximum_draw of 2 power ports\n  psu 2\n"));
    // Only allocated_draw: that, and the comment says so.
    assert!(models["cisco-sg350xg-24t"].contains(
        "  draw 72W  # largest allocated_draw of 1 power port (none states maximum_draw)\n"
    ));
    assert!(models["fortinet-fwb-2000e"].contains(
        "  draw 200W  # largest allocated_draw of 2 power ports (none states maximum_draw)\n"
    ));
    // No figure at all: said, not silent.
    assert!(
        models["hpe-proliant-dl360-gen10"].contains("  # no draw: NetBox lists no power ports\n")
    );
    assert!(
        models["panduit-cp24bly"].contains("  # not powered (NetBox is_powered: false): no draw\n")
    );
    // --typical prefers allocated_draw, else maximum_draw.
    let out = topo(&["import", "netbox", "--typical", LIBRARY]);
    let typical = models_of(&out);
    assert!(typical["dell-poweredge-1950"]
        .contains("  draw 300W  # largest allocated_draw of 2 power ports\n"));
    assert!(typical["juniper-acx4000"].contains(
        "  draw 385W  # largest maximum_draw of 2 power ports (none states allocated_draw)\n"
    ));
}

fn models_of(out: &Output) -> BTreeMap<String, String> {
    models(&String::from_utf8(out.stdout.clone()).unwrap())
}

#[test]
fn depth_and_what_topo_has_no_property_for_are_kept() {
    let (text, _, _) = import_library();
    let models = models(&text);
    assert!(models["dell-poweredge-r640"].contains("  depth full\n"));
    assert!(models["arista-ccs-720dp-48s-2f"].contains("  depth half\n"));
    assert!(models["opengear-cm7148-2-dac-us"]
        .contains("  # console-server ports: 48 (Port 1..Port 48)\n"));
    assert!(models["panduit-cp24bly"]
        .contains("  # front ports: 24 (01..24)\n  # rear ports: 24 (01..24)\n"));
    assert!(models["juniper-acx4000"].contains("  # module bays: 2 (MIC0, MIC1)\n"));
    assert!(models["rockwell-automation-1756-a7"]
        .contains("  # device bays: 8 (Power Supply, Slot 0 … (8 in all))\n"));
    assert!(models["allied-telesis-switchblade-x908-gen2"]
        .contains("  # inventory items: 2 (Fan-Module A, Fan-Module B)\n"));
    assert!(models["dell-poweredge-1950"]
        .contains("  # console ports: 3 (Serial, Front VGA, Rear VGA)\n"));
}

/// Nothing silently dropped: every component list in the sample's YAML
/// has its comment, counted per list.
#[test]
fn every_component_list_of_the_sample_has_its_comment() {
    let (text, _, _) = import_library();
    for (key, label) in [
        ("console-ports:", "console ports"),
        ("console-server-ports:", "console-server ports"),
        ("power-outlets:", "power outlets"),
        ("front-ports:", "front ports"),
        ("rear-ports:", "rear ports"),
        ("module-bays:", "module bays"),
        ("device-bays:", "device bays"),
        ("inventory-items:", "inventory items"),
    ] {
        let files = yaml_files()
            .iter()
            .filter(|(path, yaml)| !path.contains("module-types") && yaml.lines().any(|l| l == key))
            .count();
        let comments = text.matches(&format!("  # {label}: ")).count();
        assert_eq!(comments, files, "{label}");
        assert!(files > 0, "the sample has {key}");
    }
}

fn yaml_files() -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut pending = vec![std::path::PathBuf::from(LIBRARY)];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                let yaml = std::fs::read_to_string(&path).unwrap();
                found.push((path.display().to_string(), yaml));
            }
        }
    }
    found
}

#[test]
fn zero_u_types_are_described_only_as_the_data_says() {
    let (text, _, _) = import_library();
    assert!(!text.contains("rack's side"), "{text}");
    let models = models(&text);
    assert!(models["avm-fritzbox-7590"].starts_with("  size 0U\n  depth half\n"));
    assert!(models["rockwell-automation-1756-l81ek"].starts_with(
        "  # a child device (NetBox subdevice_role: child): it sits in a parent's device bay\n  size 0U\n"
    ));
}

#[test]
fn module_types_are_skipped_with_a_note() {
    let (text, stderr, _) = import_library();
    for (path, what) in [
        ("module-types/Cisco/A99-RP-F.yaml", "Cisco A99-RP-F"),
        ("module-types/Dell/0953MXA00.yml", "Dell 0953MXA00"),
        (
            "module-types/Juniper/DPC-R-40GE-SFP-B.yaml",
            "Juniper DPC-R-40GE-SFP-B",
        ),
    ] {
        assert!(
            stderr.contains(&format!(
                "note: {LIBRARY}/{path}: module type {what} skipped: topo has no modules"
            )),
            "{stderr}"
        );
    }
    assert!(text.contains("# 3 module type(s) skipped (topo has no modules): Cisco A99-RP-F ("));
    // Told by its shape too, wherever it lies: no `slug`, no `u_height`.
    let dir = tempfile::tempdir().unwrap();
    let module = dir.path().join("card.yaml");
    std::fs::copy(
        format!("{LIBRARY}/module-types/Juniper/DPC-R-40GE-SFP-B.yaml"),
        &module,
    )
    .unwrap();
    let out = topo(&["import", "netbox", module.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("module type Juniper DPC-R-40GE-SFP-B skipped"),
        "{stderr}"
    );
}

/// One broken file in a copy of the sample: reported with its path and
/// line, the rest converted, exit 1.
#[test]
fn a_broken_file_in_a_directory_does_not_stop_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    for (path, yaml) in yaml_files() {
        let target = dir
            .path()
            .join(path.strip_prefix(&format!("{LIBRARY}/")).unwrap());
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, yaml).unwrap();
    }
    let broken = dir.path().join("device-types/Broken/half-written.yml");
    std::fs::create_dir_all(broken.parent().unwrap()).unwrap();
    std::fs::write(
        &broken,
        "manufacturer: Broken\nmodel: X1\nslug: broken-x1\npower-ports:\n  - name: PSU1\n    maximum_draw: [400\n",
    )
    .unwrap();
    let out = topo(&["import", "netbox", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr.clone()).unwrap();
    assert!(
        stderr.contains(&format!("error: {}:7:1: ", broken.display())),
        "{stderr}"
    );
    assert!(
        stderr.contains("1 of 40 file(s) not converted; the other 39 written"),
        "{stderr}"
    );
    assert_eq!(models_of(&out).len(), 36);
}

/// The figures of the sample, printed for the record (`--nocapture`).
#[test]
fn figures_of_the_sample() {
    let (text, _, _) = import_library();
    let models = models(&text);
    let count = |needle: &str| models.values().filter(|b| b.contains(needle)).count();
    let maximum = count("# largest maximum_draw of");
    let allocated = count("# largest allocated_draw of");
    let distributors = count("# distributes power (");
    let rated = count("# inlet rating ");
    let none = count("# no draw: ") + count("# not powered");
    println!(
        "{} types: {maximum} draw from maximum_draw, {allocated} from allocated_draw, \
         {distributors} distribute power (no draw; {rated} with a rating), {none} state no figure",
        models.len()
    );
    assert_eq!(
        (maximum, allocated, distributors, rated, none),
        (13, 3, 12, 6, 8)
    );
    assert_eq!(maximum + allocated + distributors + none, models.len());
}
