//! `topo import hwloc`: real servers from hwloc's own test suite (and the
//! machine the tests run on) become models that check clean; hostile XML
//! is a clear error, never a panic.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn topo(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_topo"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every fixture: (file, format, packages, GPUs).
const FIXTURES: [(&str, u32, usize, usize); 7] = [
    ("8em64t-2p2ca2co-nonodesets.v1.xml", 1, 2, 1),
    ("32em64t-2n8c2t-pci-normalio.v1.xml", 1, 2, 4),
    ("24em64t-2n6c2t-pci.xml", 2, 2, 4),
    ("16intel64-manyVFs.xml", 2, 2, 0),
    ("96em64t-4n4d3ca2co-pci.xml", 2, 16, 1),
    ("power8gpudistances.xml", 2, 2, 4),
    ("nvidia-dgx2.xml", 2, 2, 16),
];

fn fixture(name: &str) -> String {
    format!("tests/fixtures/hwloc/{name}")
}

fn import(name: &str) -> String {
    let out = topo(&["import", "hwloc", &fixture(name)]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// `topo check --format json` of a model: (errors, warnings).
fn check(path: &Path) -> (u64, u64, String) {
    let out = topo(&["check", "--format", "json", path.to_str().unwrap()]);
    let text = String::from_utf8(out.stdout).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).expect("check prints JSON");
    let summary = &json["summary"];
    (
        summary["errors"].as_u64().unwrap(),
        summary["warnings"].as_u64().unwrap(),
        text,
    )
}

fn count(text: &str, prefix: &str) -> usize {
    text.lines()
        .filter(|l| l.trim_start().starts_with(prefix))
        .count()
}

#[test]
fn every_fixture_imports_and_checks_clean() {
    let dir = tempfile::tempdir().unwrap();
    for (name, format, packages, gpus) in FIXTURES {
        let out = dir.path().join(format!("{name}.topo"));
        let run = topo(&[
            "import",
            "hwloc",
            &fixture(name),
            "-o",
            out.to_str().unwrap(),
        ]);
        assert_eq!(run.status.code(), Some(0), "{name}");
        assert!(run.stdout.is_empty(), "{name}: -o writes nothing else");
        let text = std::fs::read_to_string(&out).unwrap();
        assert!(
            text.starts_with(&format!(
                "# Imported from an hwloc topology (XML format v{format}) by `topo import hwloc`.\n"
            )),
            "{name}: {text}"
        );
        assert_eq!(count(&text, "model "), 1, "{name}");
        assert_eq!(count(&text, "cpu cpu"), packages, "{name}");
        assert_eq!(count(&text, "card gpu"), gpus, "{name}");
        let (errors, _, json) = check(&out);
        assert_eq!(errors, 0, "{name}: {json}\n{text}");
    }
}

#[test]
fn a_v1_server_whole() {
    insta::assert_snapshot!(
        "hwloc-v1-poweredge-1950",
        import("8em64t-2p2ca2co-nonodesets.v1.xml")
    );
}

#[test]
fn a_v2_server_whole() {
    insta::assert_snapshot!("hwloc-v2-proliant-sl390s", import("24em64t-2n6c2t-pci.xml"));
}

#[test]
fn memory_is_the_numa_nodes_of_each_package() {
    // An IBM x3950 M2: four boards of four packages, a NUMA node per board
    // that hwloc attaches above the packages, so it is counted on the first.
    let text = import("96em64t-4n4d3ca2co-pci.xml");
    let numa = numa_bytes("96em64t-4n4d3ca2co-pci.xml");
    assert_eq!(numa[0], 50_068_292 * 1024);
    assert_eq!(numa[1], 48_896 << 20);
    assert!(
        text.contains(
            "  cpu cpu0 {\n    cores 6\n    # NUMA node 0: 47.7 GiB, shared by 4 packages: counted here\n    memory 50068292KiB\n  }\n"
        ),
        "{text}"
    );
    assert!(text.contains("  cpu cpu1 {\n    cores 6\n  }\n"), "{text}");
    assert!(text.contains("    memory 48896MiB\n"), "{text}");
    assert_eq!(count(&text, "memory "), numa.len());
}

fn numa_bytes(name: &str) -> Vec<u64> {
    let xml = std::fs::read_to_string(root().join(fixture(name))).unwrap();
    let doc = roxmltree::Document::parse_with_options(
        &xml,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
    .unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("object") && n.attribute("type") == Some("NUMANode"))
        .map(|n| n.attribute("local_memory").unwrap().parse().unwrap())
        .collect()
}

#[test]
fn gpus_behind_pcie_switches() {
    let text = import("nvidia-dgx2.xml");
    // 16 V100s, each behind five levels of PLX switch ports on PCIe 3.0 x16.
    assert_eq!(count(&text, "card gpu"), 16);
    assert_eq!(
        text.lines()
            .filter(|l| l.trim_start().starts_with("card gpu"))
            .filter(|l| l.contains("{ bus pcie3 x16 to bridge"))
            .count(),
        16
    );
    assert_eq!(count(&text, "bridge bridge"), 56);
    for line in [
        "  # host bridge 0000:[2b-3b] on cpu0",
        "  bridge bridge0 { bus pcie3 x16 to cpu0 }",
        "  bridge bridge4 { bus pcie3 x16 to bridge3 }",
        "  # 0000:34:00.0 [10de:1db8] Tesla V100-SXM3-32GB-H (nvml0)",
        "  # hwloc: 15.754 GB/s, which pcie4 x8 and pcie5 x4 carry as well",
        "  card gpu0 { bus pcie3 x16 to bridge4 }",
        "  card gpu15 { bus pcie3 x16 to bridge55 }",
        // The NVSwitches hang off PCIe 1 x4 links (1 GB/s).
        "  card card0 { bus pcie1 x4 to bridge22 }",
        "    memory 791244484KiB",
    ] {
        assert!(text.lines().any(|l| l == line), "missing {line:?}\n{text}");
    }
    assert!(
        text.contains("# host bridge 0000:[ae-c7] on cpu1"),
        "{text}"
    );
}

/// The bus view of the DGX-2 is the picture in the README: it fits 1,600 px
/// and is what the code draws now (`TOPO_UPDATE_DOCS=1` redraws it).
#[test]
fn the_gpu_server_bus_view() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("dgx2.topo");
    let svg = dir.path().join("dgx2.svg");
    let ok = topo(&[
        "import",
        "hwloc",
        &fixture("nvidia-dgx2.xml"),
        "-o",
        model.to_str().unwrap(),
    ]);
    assert_eq!(ok.status.code(), Some(0));
    let render = topo(&[
        "render",
        model.to_str().unwrap(),
        "--view",
        "bus",
        "-o",
        svg.to_str().unwrap(),
    ]);
    assert_eq!(
        render.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&render.stderr)
    );
    let drawn = std::fs::read_to_string(&svg).unwrap();
    let doc = roxmltree::Document::parse(&drawn).expect("well-formed SVG");
    let width: f64 = doc
        .root_element()
        .attribute("width")
        .unwrap()
        .parse()
        .unwrap();
    assert!(width <= 1600.0, "{width} px wide");
    for gpu in 0..16 {
        assert!(
            drawn.contains(&format!("data-element=\"nvidia-dgx-2h.gpu{gpu}\"")),
            "gpu{gpu}"
        );
    }
    let committed = root().join("docs/hwloc-gpu-server-bus.svg");
    if std::env::var_os("TOPO_UPDATE_DOCS").is_some() {
        std::fs::write(&committed, &drawn).unwrap();
    }
    assert!(
        std::fs::read_to_string(&committed).unwrap_or_default() == drawn,
        "{} is stale: run `TOPO_UPDATE_DOCS=1 cargo test --test import_hwloc`",
        committed.display()
    );
}

#[test]
fn no_link_speed_is_said_and_no_bus_is_invented() {
    let text = import("8em64t-2p2ca2co-nonodesets.v1.xml");
    assert!(!text.contains("{ bus"), "{text}");
    assert!(text.contains(
        "  # hwloc gives no link speed here or above: no bus, so it hangs off cpu0, not bridge3\n  nic nic0 { }\n"
    ));
}

#[test]
fn this_machine() {
    let Ok(lstopo) = Command::new("lstopo-no-graphics")
        .args(["--of", "xml"])
        .stdin(Stdio::null())
        .output()
    else {
        println!("skipped: lstopo-no-graphics is not installed (apt-get install hwloc)");
        return;
    };
    if !lstopo.status.success() {
        println!(
            "skipped: lstopo-no-graphics failed: {}",
            String::from_utf8_lossy(&lstopo.stderr)
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let xml = dir.path().join("here.xml");
    std::fs::write(&xml, &lstopo.stdout).unwrap();
    let model = dir.path().join("here.topo");
    let out = topo(&[
        "import",
        "hwloc",
        xml.to_str().unwrap(),
        "-o",
        model.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&model).unwrap();
    assert!(text.contains("model here {"), "{text}");
    assert!(text.contains("cpu cpu0 {"), "{text}");
    let (errors, _, json) = check(&model);
    assert_eq!(errors, 0, "{json}\n{text}");
    // The same through a pipe.
    let mut child = Command::new(env!("CARGO_BIN_EXE_topo"))
        .args(["import", "hwloc", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), &lstopo.stdout).unwrap();
    let piped = child.wait_with_output().unwrap();
    assert_eq!(piped.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(piped.stdout).unwrap(),
        text.replace("model here {", "model server {")
    );
}

#[test]
fn an_existing_output_needs_force() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("m.topo");
    std::fs::write(&out, "# mine\n").unwrap();
    let args = |force: bool| {
        let mut a = vec![
            "import".to_string(),
            "hwloc".into(),
            fixture("power8gpudistances.xml"),
            "-o".into(),
            out.to_str().unwrap().into(),
        ];
        if force {
            a.push("--force".into());
        }
        a
    };
    let refused = topo(&args(false).iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("exists; pass --force"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "# mine\n");
    let forced = topo(&args(true).iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(forced.status.code(), Some(0));
    assert!(std::fs::read_to_string(&out).unwrap().contains("card gpu3"));
}

/// Writes `xml` and imports it: (exit code, stderr, stdout).
fn import_text(xml: &[u8]) -> (Option<i32>, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.xml");
    std::fs::write(&path, xml).unwrap();
    let out = topo(&["import", "hwloc", path.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (
        out.status.code(),
        stderr,
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn assert_refused(xml: &[u8], code: i32, message: &str) {
    let (status, stderr, stdout) = import_text(xml);
    assert_eq!(status, Some(code), "{stderr}");
    assert!(stderr.contains(message), "want {message:?} in {stderr}");
    assert!(stdout.is_empty(), "{stdout}");
}

#[test]
fn hostile_input_is_a_clear_error() {
    assert_refused(b"model x { }", 1, "not valid XML");
    assert_refused(
        b"<html><body/></html>",
        1,
        "the root element is `<html>`, not `<topology>`",
    );
    assert_refused(
        b"<topology version=\"9.0\"/>",
        1,
        "hwloc XML format `9.0` is not supported",
    );
    assert_refused(b"<topology version=\"2.0\"/>", 1, "holds no `<object>`");
    assert_refused(b"\xff\xfe<topology/>", 2, "cannot read");
    assert_refused(
        b"<topology><object type=\"Machine\"><object type=\"NUMANode\" local_memory=\"-5\"/></object></topology>",
        1,
        "`local_memory=\"-5\"` on a NUMANode is not a memory size in bytes",
    );
    // Objects nested deeper than any machine.
    let mut deep = String::from("<topology>");
    deep.push_str(&"<object type=\"Group\">".repeat(300));
    deep.push_str(&"</object>".repeat(300));
    deep.push_str("</topology>");
    assert_refused(deep.as_bytes(), 1, "objects nest more than 256 deep");
    // Elements nested far deeper: the parser itself must not recurse.
    let mut deeper = String::from("<topology>");
    deeper.push_str(&"<a>".repeat(200_000));
    deeper.push_str(&"</a>".repeat(200_000));
    deeper.push_str("</topology>");
    let (status, stderr, _) = import_text(deeper.as_bytes());
    assert!(matches!(status, Some(1)), "{stderr}");
    // Entities that expand a billion times.
    let laughs = "<?xml version=\"1.0\"?><!DOCTYPE t [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\"><!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\"><!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\"><!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\"><!ENTITY h \"&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;\">]><topology><object type=\"Machine\" name=\"&h;\"/></topology>";
    assert_refused(laughs.as_bytes(), 1, "not valid XML");
    // More XML nodes than any machine has.
    let mut many = String::from("<topology><object type=\"Machine\">");
    many.push_str(&"<info/>".repeat(2_100_000));
    many.push_str("</object></topology>");
    assert_refused(many.as_bytes(), 1, "more than 2000000 XML nodes");
}

#[test]
fn huge_and_special_files_are_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let huge = dir.path().join("huge.xml");
    let file = std::fs::File::create(&huge).unwrap();
    file.set_len(64 * 1024 * 1024 + 1).unwrap();
    let out = topo(&["import", "hwloc", huge.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cannot read") && stderr.contains("64 MiB"),
        "{stderr}"
    );
    let out = topo(&["import", "hwloc", "/dev/zero"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read `/dev/zero`"));
}

/// Names and vendor strings land in comments: a line break in them must
/// not become code.
#[test]
fn text_from_the_file_stays_in_comments() {
    let xml = "<topology version=\"2.0\"><object type=\"Machine\"><info name=\"DMIProductName\" value=\"evil&#10;server x {\"/>\
        <object type=\"Package\" os_index=\"0\"><object type=\"Core\"/></object>\
        <object type=\"Bridge\" bridge_type=\"0-1\" bridge_pci=\"0000:[00-01]&#10;}\">\
        <object type=\"PCIDev\" pci_busid=\"0000:01:00.0\" pci_type=\"0200 [8086:1521] [0:0] 01\" pci_link_speed=\"3.938462\">\
        <info name=\"PCIVendor\" value=\"Intel&#13;nic evil { }\"/></object></object></object></topology>";
    let (status, stderr, stdout) = import_text(xml.as_bytes());
    assert_eq!(status, Some(0), "{stderr}");
    assert!(stdout.contains("model evil-server-x {"), "{stdout}");
    for line in [
        "# Machine: evil server x {",
        "  # host bridge 0000:[00-01] } on cpu0",
        "  # 0000:01:00.0 [8086:1521] Intel nic evil { }",
        "  nic nic0 { bus pcie3 x4 to cpu0 }",
    ] {
        assert!(stdout.lines().any(|l| l == line), "{line:?} in {stdout}");
    }
    assert!(!stdout
        .lines()
        .any(|l| l.starts_with("server") || l.starts_with("nic evil")));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.topo");
    std::fs::write(&path, &stdout).unwrap();
    assert_eq!(check(&path).0, 0);
}
