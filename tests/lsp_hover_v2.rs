//! Hover on a name shows what the element is and every value stored about
//! it, version 2 values included: driven over stdio as an editor would.

use serde_json::Value;

mod support;
use support::lsp::{self, Lsp};

/// A server that offers hover, with `text` open at `uri`.
fn start(uri: &str, text: &str) -> Lsp {
    let mut c = Lsp::start();
    let init = c.initialize();
    assert_eq!(init["result"]["capabilities"]["hoverProvider"], true);
    c.open_valid(uri, text);
    c
}

impl Lsp {
    /// Opens `text` as a document and waits for its diagnostics, which
    /// must hold no error: every hover below is of a valid project (the
    /// findings of the analyses are warnings).
    fn open_valid(&mut self, uri: &str, text: &str) {
        self.open(uri, text);
        let diagnostics = self.diagnostics_for(uri);
        let errors: Vec<&Value> = diagnostics.iter().filter(|d| d["severity"] == 1).collect();
        assert!(errors.is_empty(), "the project is valid: {errors:#?}");
    }

    /// The hover text at the first place `needle` starts a line, `skip`
    /// characters into it.
    fn hover(&mut self, uri: &str, text: &str, needle: &str, skip: usize) -> String {
        // Found after a newline put before the text, so that the first line
        // counts as a start of line too: the offsets cancel out.
        let at = format!("\n{text}")
            .find(&format!("\n{needle}"))
            .unwrap_or_else(|| panic!("`{needle}` starts a line"))
            + skip;
        let line = text[..at].matches('\n').count();
        let character = at - text[..at].rfind('\n').map_or(0, |i| i + 1);
        let reply = self.request_at("textDocument/hover", uri, line, character);
        reply["result"]["contents"]["value"]
            .as_str()
            .unwrap_or_else(|| panic!("a hover at `{needle}`: {reply}"))
            .to_string()
    }

    /// The hover text of the element `keyword NAME` declares.
    fn hover_name(&mut self, uri: &str, text: &str, keyword: &str, name: &str) -> String {
        self.hover(uri, text, &format!("{keyword} {name}"), keyword.len() + 1)
    }
}

/// The version 2 snippets of the language reference, with the names they
/// use declared, and one element of every other kind.
const V2: &str = concat!(
    include_str!("fixtures/v2/snippets.topo"),
    "
vm app-vm on web3 { failover web2; ram 32GB }
tier web { role presentation }
service shop-web on app-vm { tier web; calls shop-db; capacity 500rps }
client browser { browser }
cdn assets { origin shop-web; pops 40 }
flow checkout { browser -> shop-web -> shop-db; content dynamic; rate 400rps }
partition west { services shop-web }
server spare[1..20] { site osaka }
fault-domain osaka-row { members spare[1..20] }
link core1 core2 to wan-tyo { speed 100GbE }
link dr1 to wan-osa { speed 25GbE }
link fw1 fw2 to core1 core2 { speed 10GbE }
link web3 to tor1 { speed 25GbE }
"
);

fn document(name: &str) -> (tempfile::TempDir, String) {
    lsp::document(name, V2)
}

fn assert_shows(text: &str, wanted: &[&str]) {
    for w in wanted {
        assert!(text.contains(w), "expected {w:?} in:\n{text}");
    }
}

#[test]
fn a_power_source_shows_kind_capacity_source_and_what_draws_from_it() {
    let (_dir, uri) = document("power.topo");
    let mut c = start(&uri, V2);
    let panel = c.hover_name(&uri, V2, "power", "panel-a");
    assert_shows(
        &panel,
        &[
            "**power** `panel-a`",
            "kind panel, site `tokyo`",
            "capacity 400 A at 208 V, 3 phases",
            "from `ups-a`",
            "feeds drawing from it: `tokyo-a`, `tokyo-b`",
        ],
    );
    assert!(!panel.contains("sources drawing from it"), "{panel}");
    let ups = c.hover_name(&uri, V2, "power", "ups-a");
    assert_shows(
        &ups,
        &[
            "kind ups",
            "capacity 160 kW",
            "from `util-a`",
            "sources drawing from it: `panel-a`",
        ],
    );
    assert!(!ups.contains("phases"), "no phases were written: {ups}");
    let util = c.hover_name(&uri, V2, "power", "util-a");
    assert_shows(
        &util,
        &[
            "kind utility",
            "capacity 500 kVA",
            "a root: it draws from no other source",
            "sources drawing from it: `ups-a`",
        ],
    );
    let generator = c.hover_name(&uri, V2, "power", "gen-a");
    assert_shows(&generator, &["kind generator", "capacity 1.2 MVA"]);
    c.finish();
}

#[test]
fn a_feed_shows_circuit_phases_rating_source_and_what_is_on_it() {
    let (_dir, uri) = document("feed.topo");
    let mut c = start(&uri, V2);
    let a = c.hover_name(&uri, V2, "feed", "tokyo-a");
    assert_shows(
        &a,
        &[
            "**feed** `tokyo-a`",
            "site `tokyo`",
            "circuit 30.0 A at 208 V",
            "from `panel-a`",
            "racks on it: `t1`",
            "devices whose supplies connect to it: `web1`",
        ],
    );
    let three_phase = c.hover_name(&uri, V2, "feed", "tokyo-c");
    assert_shows(
        &three_phase,
        &["circuit 32.0 A at 400 V, 3 phases", "racks on it: `t1`"],
    );
    assert!(
        !three_phase.contains("from `"),
        "a root feed: {three_phase}"
    );
    assert!(
        !three_phase.contains("devices whose supplies"),
        "no device names tokyo-c: {three_phase}"
    );
    let contract = c.hover_name(&uri, V2, "feed", "colo-1");
    assert_shows(&contract, &["circuit 17.3 kW, rated 100 %"]);
    assert!(!contract.contains("racks on it"), "{contract}");
    c.finish();
}

#[test]
fn a_fault_domain_lists_its_members_and_they_list_it() {
    let (_dir, uri) = document("domains.topo");
    let mut c = start(&uri, V2);
    let row = c.hover_name(&uri, V2, "fault-domain", "row1");
    assert_shows(
        &row,
        &[
            "**fault-domain** `row1`",
            "members: rack `t1`, server `web1`, server `web2`, server `web3`",
        ],
    );
    let stack = c.hover_name(&uri, V2, "fault-domain", "tor-stack1");
    assert_shows(&stack, &["members: switch `tor1`, switch `tor2`"]);
    // A long list says how many it leaves out.
    let many = c.hover_name(&uri, V2, "fault-domain", "osaka-row");
    assert_shows(
        &many,
        &[
            "members: server `spare1`, server `spare2`",
            "server `spare12` and 8 more",
        ],
    );
    assert!(!many.contains("spare13"), "{many}");
    let tor = c.hover_name(&uri, V2, "switch", "tor1");
    assert_shows(&tor, &["in fault domains `tor-stack1`"]);
    let rack = c.hover_name(&uri, V2, "rack", "t1");
    assert_shows(&rack, &["in fault domains `row1`"]);
    c.finish();
}

#[test]
fn a_device_shows_its_face_depth_power_factor_feeds_ram_ports_and_links() {
    let (_dir, uri) = document("devices.topo");
    let mut c = start(&uri, V2);
    let web1 = c.hover_name(&uri, V2, "server", "web1");
    assert_shows(
        &web1,
        &[
            "**server** `web1` : model `r650`",
            "rack `t1`, U1-U1, front",
            "draws 500 W, memory ",
            "psu 2, power-factor 0.95, ram 256 GB",
            "feeds `tokyo-a`, `tokyo-b`",
            "- cpu `cpu0`: cores 32, memory 512 GB\n",
            "- cpu `cpu1`: cores 32, memory ddr4-3200 ",
            "- bridge `plx0`: bus pcie4 x16 to `cpu0`\n",
            "- nic `nic0`: ports 4 × 25GbE + 2 × 100GbE, bus pcie4 x8 to `plx0`\n",
            "- hba `hba0`: ports 2 × 32GFC + 2 × 16GFC, bus pcie4 x8 to `plx0`",
            "links:\n- to `tor1`: 25GbE\n- to `tor2`: 25GbE",
            "runs service `shop-db`",
            "in fault domains `row1`",
        ],
    );
    let web2 = c.hover_name(&uri, V2, "server", "web2");
    assert_shows(
        &web2,
        &[
            "rack `t1`, U2-U2, rear",
            "failover host of vm `app-vm`",
            "power-factor 0.95, depth half, ram 256 GB",
        ],
    );
    assert!(!web2.contains("feeds `"), "web2 names no feeds: {web2}");
    assert!(!web2.contains("links:"), "web2 has no links: {web2}");
    let web3 = c.hover_name(&uri, V2, "server", "web3");
    assert_shows(
        &web3,
        &[
            "rack `t1`, U3-U3, front",
            "ram 64.0 GB",
            "runs vm `app-vm`, service `shop-db`",
        ],
    );
    let tor1 = c.hover_name(&uri, V2, "switch", "tor1");
    assert_shows(
        &tor1,
        &[
            "rack `t1`, U42-U42, front",
            "oversubscription 5:1",
            "ports 48 × 25GbE + 8 × 100GbE",
            "- from `web1`: 25GbE",
            "- to `core1`: 2 × 100GbE",
            "- to `core2`: 2 × 100GbE",
        ],
    );
    let wan = c.hover_name(&uri, V2, "router", "wan-tyo");
    assert_shows(&wan, &["site `tokyo`", "- to `wan-osa`: 10GbE, 400 km"]);
    let far = c.hover_name(&uri, V2, "router", "wan-osa");
    assert_shows(&far, &["- from `wan-tyo`: 10GbE, 400 km"]);
    c.finish();
}

#[test]
fn sites_racks_models_and_parts_show_their_version_2_values() {
    let (_dir, uri) = document("physical.topo");
    let mut c = start(&uri, V2);
    let tokyo = c.hover_name(&uri, V2, "site", "tokyo");
    assert_shows(
        &tokyo,
        &[
            "role primary",
            "entry `fw1`, `fw2`",
            "backed by `osaka`",
            "holds 4 power sources, 4 feeds, 1 rack, 10 devices",
        ],
    );
    let osaka = c.hover_name(&uri, V2, "site", "osaka");
    assert_shows(&osaka, &["role dr, backs `tokyo`"]);
    let rack = c.hover_name(&uri, V2, "rack", "t1");
    assert_shows(
        &rack,
        &[
            "**rack** `t1`",
            "42U, 5 devices",
            "power: ",
            "site `tokyo`, voltage 208 V, cooling 12.0 kW",
            "feeds `tokyo-a`, `tokyo-b`, `tokyo-c`",
        ],
    );
    let model = c.hover_name(&uri, V2, "model", "r650");
    assert_shows(
        &model,
        &[
            "1U, draws 500 W, 5 parts",
            "psu 2, power-factor 0.95, ram 256 GB",
            "- bridge `plx0`: bus pcie4 x16 to `cpu0`",
            "3 devices built from it",
        ],
    );
    // A part inside the model: its own values under the bus figures.
    let cpu = c.hover(&uri, V2, "  cpu cpu0", 6);
    assert_shows(
        &cpu,
        &["**cpu** `cpu0` in `r650`", "cores 32, memory 512 GB"],
    );
    let nic = c.hover(&uri, V2, "  nic nic0", 6);
    assert_shows(
        &nic,
        &[
            "**nic** `nic0` in `r650`",
            "bus pcie4 x8: carries",
            "on `plx0`",
            "ports 4 × 25GbE + 2 × 100GbE",
        ],
    );
    c.finish();
}

#[test]
fn services_and_the_other_kinds_show_their_values() {
    let (_dir, uri) = document("services.topo");
    let mut c = start(&uri, V2);
    let db = c.hover_name(&uri, V2, "service", "shop-db");
    assert_shows(
        &db,
        &[
            "3 instances on web1, web2, web3",
            "stateful, ha quorum",
            "taken over by `shop-db-dr`",
            "replicates to `shop-db-dr`: async, rpo 1 min, write-rate 200 MB/s",
        ],
    );
    let dr = c.hover_name(&uri, V2, "service", "shop-db-dr");
    assert_shows(
        &dr,
        &[
            "takes over `shop-db`",
            "replica of `shop-db`: async, rpo 1 min, write-rate 200 MB/s",
        ],
    );
    let web = c.hover_name(&uri, V2, "service", "shop-web");
    assert_shows(
        &web,
        &[
            "1 instances on app-vm (1 on vms)\n\ntier `web`\n\n",
            "load 400 rps (flow checkout 400 rps) on 1 × 500 rps = 500 rps: 80 %",
            "calls `shop-db`",
        ],
    );
    let vm = c.hover_name(&uri, V2, "vm", "app-vm");
    assert_shows(
        &vm,
        &["on `web3`, failover `web2`, ram 32.0 GB", "runs `shop-web`"],
    );
    let tier = c.hover_name(&uri, V2, "tier", "web");
    assert_shows(&tier, &["role presentation", "services `shop-web`"]);
    let browser = c.hover_name(&uri, V2, "client", "browser");
    assert_shows(&browser, &["**client** `browser`", "a browser"]);
    let cdn = c.hover_name(&uri, V2, "cdn", "assets");
    assert_shows(&cdn, &["origin `shop-web`, pops 40"]);
    let flow = c.hover_name(&uri, V2, "flow", "checkout");
    assert_shows(
        &flow,
        &[
            "browser → shop-web → shop-db",
            "content dynamic, rate 400 rps",
        ],
    );
    let partition = c.hover_name(&uri, V2, "partition", "west");
    assert_shows(&partition, &["services `shop-web`"]);
    c.finish();
}

/// Every name declared at the start of a line hovers to its kind and name,
/// and no hover prints a figure that is not finite.
#[test]
fn every_element_hovers_without_inf_or_nan() {
    let (_dir, uri) = document("all.topo");
    let mut c = start(&uri, V2);
    let mut seen = 0;
    for line in V2.lines() {
        let mut words = line.split_whitespace();
        let (Some(keyword), Some(name)) = (words.next(), words.next()) else {
            continue;
        };
        if matches!(keyword, "link" | "replicate") || line.starts_with(' ') {
            continue;
        }
        let text = c.hover_name(&uri, V2, keyword, name);
        let shown = name.split('[').next().unwrap();
        assert!(text.starts_with("**"), "{text}");
        assert!(text.contains(&format!("`{shown}")), "{text}");
        for bad in ["inf", "NaN", "too large"] {
            assert!(!text.contains(bad), "{bad} in {text}");
        }
        seen += 1;
    }
    assert_eq!(seen, 37, "every declaration was hovered");
    c.finish();
}

/// Load and capacity figures as `overload` weighs them, and a switch's
/// downlinks against its uplinks as `oversubscription` does.
const CAPACITY: &str = "\
site dc {}
tier web { role presentation }
tier sessions { role cache }
tier db { role data }
server web[1..4] {}
server db[1..4] {}
server auth1 {}
server auth2 {}
switch leaf1 { oversubscription 6 }
switch spine1 {}
switch spine2 {}
link web[1..4] db[1..4] auth1 auth2 to leaf1 { speed 25GbE }
link leaf1 to spine[1..2] { speed 10GbE }
client browser { browser }
service shop-web on web[1..4] { tier web; capacity 1000rps; calls orders auth-db }
service orders on db[1..4] {
  tier db; stateful; capacity 1000rps; load 2000rps
  shard by customer-id { weights 25% 25% 35% 15% }
}
service auth-db on auth1 auth2 { tier db; stateful; ha active-standby; capacity 800rps; load 600rps }
flow checkout { browser -> shop-web -> orders; rate 2000rps }
flow browse { browser -> shop-web; rate 1000rps }
";

#[test]
fn services_show_their_load_on_their_serving_capacity_and_switches_their_ratio() {
    let (_dir, uri) = lsp::document("capacity.topo", CAPACITY);
    let mut c = start(&uri, CAPACITY);
    let web = c.hover_name(&uri, CAPACITY, "service", "shop-web");
    assert_shows(
        &web,
        &["load 3000 rps (flows checkout 2000 rps, browse 1000 rps) on 4 × 1000 rps = 4000 rps: 75 %"],
    );
    let orders = c.hover_name(&uri, CAPACITY, "service", "orders");
    assert_shows(
        &orders,
        &[
            "shard 1: 25 % of 2000 rps (its `load`) = 500 rps on 1 × 1000 rps = 1000 rps: 50 %",
            "shard 3: 35 % of 2000 rps (its `load`) = 700 rps on 1 × 1000 rps = 1000 rps: 70 %",
        ],
    );
    let auth = c.hover_name(&uri, CAPACITY, "service", "auth-db");
    assert_shows(
        &auth,
        &["load 600 rps (its `load`) on 1 × 800 rps = 800 rps (only the active member of `ha active-standby` serves): 75 %"],
    );
    let leaf = c.hover_name(&uri, CAPACITY, "switch", "leaf1");
    assert_shows(
        &leaf,
        &["down 10 × 25GbE = 250 Gb/s, up 2 × 10GbE = 20 Gb/s: 12.5:1 (limit 6:1)"],
    );
    let spine = c.hover_name(&uri, CAPACITY, "switch", "spine1");
    assert_shows(&spine, &["down 1 × 10GbE = 10 Gb/s, up none"]);
    let db = c.hover_name(&uri, CAPACITY, "tier", "db");
    assert_shows(&db, &["role data: coupling level 3 from the top (by role)"]);
    let cache = c.hover_name(&uri, CAPACITY, "tier", "sessions");
    assert_shows(&cache, &["role cache: beside the data level"]);
    let server = c.hover_name(&uri, CAPACITY, "server", "auth1");
    assert!(!server.contains("down "), "{server}");
    c.finish();
}
