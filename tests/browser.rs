//! The HTML report and `topo serve`'s live page in a real browser: headless
//! Chromium driven over the DevTools protocol by tests/browser/drive.mjs
//! (puppeteer-core). Clicking a finding highlights its element, clicking an
//! element picks its findings, zoom scales the view, the page fetches
//! nothing; a save redraws the live page in place on the same tab, and a
//! syntax error shows beside the last good views. Screenshots land in
//! target/browser-shots/ to be looked at.
//!
//! Skipped, with the reason printed, where Chromium, node or the test's
//! npm packages are missing (`.ci/run` installs all three).

use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

struct Stop(Child);

impl Drop for Stop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn missing() -> Option<String> {
    let chromium = std::env::var("TOPO_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !Path::new(&chromium).exists() {
        return Some(format!("no Chromium at {chromium} (set TOPO_CHROMIUM)"));
    }
    if Command::new("node").arg("--version").output().is_err() {
        return Some("no node on PATH".into());
    }
    let packages =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/node_modules/puppeteer-core");
    if !packages.exists() {
        return Some("tests/browser has no node_modules: run `npm ci` there".into());
    }
    None
}

#[test]
fn the_report_and_the_live_page_work_in_chromium() {
    if let Some(reason) = missing() {
        println!("skipped: {reason}");
        return;
    }
    let chromium = std::env::var("TOPO_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let shots = root.join("target/browser-shots");
    std::fs::create_dir_all(&shots).unwrap();

    let report = dir.path().join("report.html");
    let status = Command::new(env!("CARGO_BIN_EXE_topo"))
        .args([
            "render",
            "examples/leaf-spine.topo",
            "--format",
            "html",
            "-o",
        ])
        .arg(&report)
        .current_dir(&root)
        .status()
        .unwrap();
    assert!(status.success());

    // Three disks with one finding each share a box; a fourth, its
    // finding allowed, stands alone.
    let disks = dir.path().join("disks.topo");
    std::fs::write(
        &disks,
        "site lab { role primary }\n\
         server s1 {\n  site lab\n  cpu cpu[0..1] { cores 16 }\n  \
         disk d0 { nvme; throughput 3.5GB/s; bus pcie3 x1 to cpu0; allow interface-cap }\n  \
         disk d[1..3] { nvme; throughput 3.5GB/s; bus pcie3 x1 to cpu0 }\n}\n",
    )
    .unwrap();
    let group_report = dir.path().join("group.html");
    let status = Command::new(env!("CARGO_BIN_EXE_topo"))
        .arg("render")
        .arg(&disks)
        .args(["--format", "html", "-o"])
        .arg(&group_report)
        .status()
        .unwrap();
    assert!(status.success());

    let shop = dir.path().join("shop.topo");
    std::fs::copy(root.join("examples/webshop.topo"), &shop).unwrap();
    std::fs::create_dir(dir.path().join("models")).unwrap();
    std::fs::copy(
        root.join("examples/models/dell.topo"),
        dir.path().join("models/dell.topo"),
    )
    .unwrap();
    let mut serve = Command::new(env!("CARGO_BIN_EXE_topo"))
        .args(["serve", "shop.topo", "--port", "0"])
        .current_dir(dir.path())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(serve.stderr.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let _stop = Stop(serve);
    let url = first
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:"))
        .unwrap_or_else(|| panic!("no address in {first:?}"))
        .to_string();

    let out = Command::new("node")
        .arg(root.join("tests/browser/drive.mjs"))
        .arg(&chromium)
        .arg(&report)
        .arg(&url)
        .arg(&shop)
        .arg(&shots)
        .arg(&group_report)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "drive.mjs failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let seen: Value = serde_json::from_str(stdout.lines().last().unwrap_or("")).unwrap();
    let names = |key: &str| -> Vec<String> {
        seen[key]
            .as_array()
            .unwrap_or_else(|| panic!("{key} in {seen}"))
            .iter()
            .map(|v| v.as_str().unwrap_or("").to_string())
            .collect()
    };
    assert!(names("tabs").contains(&"system".to_string()), "{seen}");
    assert!(seen["findings"].as_u64().unwrap() >= 8, "{seen}");
    let clicked = seen["clicked"].as_str().unwrap().to_string();
    assert!(names("highlighted").contains(&clicked), "{seen}");
    assert!(names("selected").iter().all(|s| *s == clicked), "{seen}");
    assert!(!names("selected").is_empty(), "{seen}");
    assert!(names("picked").contains(&clicked), "{seen}");
    assert!(
        seen["zoomed"].as_str().unwrap().contains("scale(1.25)"),
        "{seen}"
    );
    assert_eq!(
        names("requests"),
        Vec::<String>::new(),
        "the report fetched something"
    );
    assert_eq!(
        names("groupHighlighted"),
        vec!["s1.d1 s1.d2 s1.d3".to_string()],
        "{seen}"
    );
    let mut picked = names("groupPicked");
    picked.sort();
    assert_eq!(picked, ["s1.d1", "s1.d2", "s1.d3"], "{seen}");
    assert!(!names("liveBefore").contains(&"added-by-test".to_string()));
    assert!(
        names("liveAfter").contains(&"added-by-test".to_string()),
        "{seen}"
    );
    assert_eq!(seen["liveTab"], seen["secondTab"], "the page kept its tab");
    assert!(
        seen["problem"].as_str().unwrap().contains("syntax"),
        "{seen}"
    );
    assert!(seen["keptViews"].as_u64().unwrap() >= 1, "{seen}");
}
