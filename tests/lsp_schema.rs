//! Completion and hover read the language schema: driven over stdio as an
//! editor would, against a small project.

use serde_json::Value;

mod support;
use support::lsp::{self, Lsp};

/// A server that offers completion, with `PROJECT` open at `uri`.
fn start(uri: &str) -> Lsp {
    let mut c = Lsp::start();
    let init = c.initialize();
    assert!(init["result"]["capabilities"]["completionProvider"].is_object());
    c.open(uri, PROJECT);
    c
}

impl Lsp {
    /// Replaces the document's text with `text`, `|` marking the cursor,
    /// and asks for completion there.
    fn complete_at(&mut self, uri: &str, text: &str) -> Vec<Value> {
        let (before, after) = text.split_once('|').expect("a cursor");
        self.change(uri, &format!("{before}{after}"));
        // Requests are answered from the last analysis; wait for the one of
        // this text, so names of an earlier text cannot be offered.
        self.diagnostics_for(uri);
        let line = before.matches('\n').count();
        let character = before.rsplit('\n').next().unwrap().encode_utf16().count();
        let reply = self.request_at("textDocument/completion", uri, line, character);
        reply["result"].as_array().expect("a list of items").clone()
    }

    fn hover(&mut self, uri: &str, line: usize, character: usize) -> Value {
        self.request_at("textDocument/hover", uri, line, character)["result"].clone()
    }
}

/// A small project: each completion appends one unfinished line to it.
const PROJECT: &str = "site dc
feed fa { site dc; circuit 30A at 208V }
feed fb { site dc; circuit 30A at 208V }
rack r1 { site dc; feeds fa fb }
rack r2 { site dc; feeds fa }
model m1 { size 1U; cpu c[0..1] { cores 8 }; nic n1 { bus pcie4 x8 to c0 } }
server web[1..2] : m1 { rack r1 at U1 }
server db1 { rack r2 at U1; size 1U }
vm v1 on db1 { ram 4GB }
tier t { role presentation }
service shop on web1 web2 { tier t; calls api }
service api on db1 { tier t }
dns ns on db1 { resolves shop }
client browser { browser }
flow f { browser -> shop -> api; rate 10rps }
power ups { site dc; kind ups; capacity 160kW }
";

fn labels(items: &[Value]) -> Vec<&str> {
    items.iter().map(|i| i["label"].as_str().unwrap()).collect()
}

fn document(name: &str) -> (tempfile::TempDir, String) {
    lsp::document(name, PROJECT)
}

#[test]
fn keywords_valid_where_the_cursor_is() {
    let (_dir, uri) = document("keywords.topo");
    let mut c = start(&uri);

    let top = c.complete_at(&uri, &format!("{PROJECT}|"));
    assert_eq!(
        labels(&top),
        [
            "site",
            "feed",
            "power",
            "rack",
            "model",
            "server",
            "switch",
            "router",
            "firewall",
            "lb",
            "storage",
            "pdu",
            "device",
            "vm",
            "tier",
            "service",
            "dns",
            "client",
            "cdn",
            "flow",
            "partition",
            "replicate",
            "link",
            "fault-domain",
            "allow",
            "include"
        ]
    );
    // A word being typed does not change the list: the editor filters it.
    let typing = c.complete_at(&uri, &format!("{PROJECT}fa|"));
    assert_eq!(labels(&typing), labels(&top));

    let rack = c.complete_at(&uri, &format!("{PROJECT}rack r3 {{ |"));
    assert_eq!(
        labels(&rack),
        [
            "site",
            "height",
            "feeds",
            "max-weight",
            "weight",
            "power",
            "voltage",
            "airflow",
            "cooling",
            "allow"
        ]
    );
    let height = &rack[1];
    assert_eq!(height["detail"], "height RACK-UNITS");
    assert_eq!(
        height["documentation"]["value"],
        "The rack's height in rack units.\n\nDefault: 42U.\n\nExample: `height 42U`"
    );

    let memory = c.complete_at(
        &uri,
        &format!("{PROJECT}server x {{ cpu c {{ memory ddr4-3200 {{ |"),
    );
    assert_eq!(labels(&memory), ["channels", "dimms", "dimm-size"]);
    // On a new line of the block, after statements already written.
    let memory = c.complete_at(
        &uri,
        &format!(
            "{PROJECT}server x {{\n  cpu c {{\n    memory ddr4-3200 {{\n      channels 8\n      |"
        ),
    );
    assert_eq!(labels(&memory), ["channels", "dimms", "dimm-size"]);

    let cpu = c.complete_at(&uri, &format!("{PROJECT}model m2 {{ cpu c {{ cores 8; |"));
    assert_eq!(labels(&cpu), ["cores", "memory", "bus", "allow"]);

    // Back at top level after the blocks close.
    let closed = c.complete_at(&uri, &format!("{PROJECT}rack r3 {{ height 42U }}\n|"));
    assert_eq!(labels(&closed), labels(&top));

    // Inside a flow a statement is a property or a request path's first hop.
    let flow = c.complete_at(&uri, &format!("{PROJECT}flow g {{ |"));
    assert_eq!(
        labels(&flow),
        ["content", "rate", "allow", "api", "browser", "ns", "shop"]
    );

    // An unknown block, a comment, a string: nothing to offer.
    let unknown = c.complete_at(&uri, &format!("{PROJECT}loadbalancer lb1 {{ |"));
    assert_eq!(labels(&unknown), Vec::<&str>::new());
    let comment = c.complete_at(&uri, &format!("{PROJECT}rack r3 {{ # |"));
    assert_eq!(labels(&comment), Vec::<&str>::new());
    let string = c.complete_at(&uri, &format!("{PROJECT}client c2 {{ software pos \"4.|"));
    assert_eq!(labels(&string), Vec::<&str>::new());
    c.finish();
}

#[test]
fn values_valid_after_a_keyword() {
    let (_dir, uri) = document("values.topo");
    let mut c = start(&uri);
    let mut after = |tail: &str| -> Vec<String> {
        let items = c.complete_at(&uri, &format!("{PROJECT}{tail}|"));
        labels(&items).iter().map(|l| l.to_string()).collect()
    };

    // References: only names of the kind the property takes.
    assert_eq!(after("server x { rack "), ["r1", "r2"]);
    assert_eq!(after("rack r3 { feeds "), ["fa", "fb"]);
    assert_eq!(after("rack r3 { feeds fa "), ["fa", "fb"]);
    assert_eq!(after("rack r3 { site "), ["dc"]);
    assert_eq!(after("service s2 on db1 { calls "), ["api", "ns", "shop"]);
    assert_eq!(after("service s2 on db1 { tier "), ["t"]);
    assert_eq!(after("service s2 on "), ["db1", "v1", "web1", "web2"]);
    assert_eq!(after("service s2 on db1 "), ["db1", "v1", "web1", "web2"]);
    assert_eq!(after("vm v2 on "), ["db1", "v1", "web1", "web2"]);
    assert_eq!(after("vm v2 on db1 "), Vec::<String>::new());
    assert_eq!(after("server y : "), ["m1"]);
    assert_eq!(after("model m3 : "), ["m1"]);
    assert_eq!(after("link "), ["db1", "web1", "web2"]);
    assert_eq!(after("link web1 "), ["db1", "web1", "web2", "to"]);
    assert_eq!(after("link web1 to "), ["db1", "web1", "web2"]);
    assert_eq!(after("replicate api to "), ["api", "ns", "shop"]);
    assert_eq!(
        after("fault-domain fd { members "),
        ["db1", "r1", "r2", "v1", "web1", "web2"]
    );
    assert_eq!(
        after("flow g { browser -> "),
        ["api", "browser", "ns", "shop"]
    );
    assert_eq!(after("server x { vm "), Vec::<String>::new());

    // Choices of words.
    assert_eq!(
        after("site s2 { role "),
        ["primary", "secondary", "dr", "edge"]
    );
    assert_eq!(
        after("service s3 on db1 { ha "),
        ["active-standby", "active-active", "quorum"]
    );
    assert_eq!(
        after("power p1 { kind "),
        ["utility", "generator", "ups", "panel"]
    );
    assert_eq!(after("server x { depth "), ["full", "half"]);
    assert_eq!(after("server x { rack r1 "), ["at"]);
    assert_eq!(after("server x { rack r1 at U3 "), ["front", "rear"]);
    assert_eq!(
        after("service s3 on db1 { process-model "),
        ["prefork", "threaded", "event"]
    );
    assert_eq!(
        after("model m2 { controller r { cache 8GB "),
        ["write-back", "write-through"]
    );
    assert_eq!(after("service s3 on db1 { shard "), ["by"]);
    // Quantities and counts take no names.
    assert_eq!(after("rack r3 { height "), Vec::<String>::new());
    assert_eq!(after("server x { psu "), Vec::<String>::new());

    // Presets: the buses a part hangs off, the memory types of a CPU.
    let buses: Vec<String> = topo::model::presets::bus_presets()
        .map(|p| p.name)
        .filter(|n| topo::model::presets::memory_preset(n).is_none())
        .map(String::from)
        .chain(["width".into(), "bandwidth".into()])
        .collect();
    assert!(buses.contains(&"pcie4".to_string()) && buses.contains(&"upi".to_string()));
    assert_eq!(after("model m2 { nic n2 { bus "), buses);
    let memories: Vec<String> = topo::model::presets::memory_preset_names()
        .map(String::from)
        .collect();
    assert!(memories.contains(&"ddr4-3200".to_string()));
    assert_eq!(after("model m2 { cpu c { memory "), memories);

    // Rules, after `allow` at top level and inside a block.
    let rules: Vec<String> = topo::analyze::RULES
        .iter()
        .filter(|r| r.check.is_some())
        .map(|r| r.name.to_string())
        .collect();
    assert!(rules.contains(&"spof".to_string()));
    assert!(!rules.contains(&"syntax".to_string()));
    assert_eq!(after("allow "), rules);
    assert_eq!(after("rack r3 { allow spof "), rules);
    c.finish();
}

#[test]
fn a_bus_goes_to_a_part_of_its_own_model() {
    let (_dir, uri) = document("parts.topo");
    let mut c = start(&uri);
    // The cursor just after `to` in m1's complete, analysed text.
    let text = PROJECT.replacen("bus pcie4 x8 to c0", "bus pcie4 x8 to |c0", 1);
    let items = c.complete_at(&uri, &text);
    assert_eq!(labels(&items), ["c0", "c1", "n1"]);
    assert_eq!(items[0]["detail"], "cpu");
    c.finish();
}

#[test]
fn hover_on_keywords_shows_the_schema() {
    let (_dir, uri) = document("hover.topo");
    let mut c = start(&uri);
    // Any request waits for the analysis of the opened text.
    let text = |h: Value| h["contents"]["value"].as_str().unwrap_or("").to_string();

    // `feeds` in `rack r1 { site dc; feeds fa fb }` (line 3).
    assert_eq!(
        text(c.hover(&uri, 3, 20)),
        "**property** `feeds` of `rack`\n\n`feeds FEED...`\n\nThe power feeds the rack draws from.\n\nExample: `feeds tokyo-a tokyo-b`"
    );
    // `cores` inside `cpu c[0..1]` of model m1 (line 5), with its part's kind.
    assert_eq!(
        text(c.hover(&uri, 5, 37)),
        "**property** `cores` of `cpu`\n\n`cores N`\n\nThe number of cores.\n\nExample: `cores 32`"
    );
    // A statement keyword: what it declares.
    let rack = text(c.hover(&uri, 3, 1));
    assert_eq!(
        rack,
        "**statement** `rack`\n\n`rack NAME { … }`\n\nA rack: its height, its feeds, its weight rating and power limit.\n\nExample: `rack t1 { site tokyo; height 42U; feeds tokyo-a tokyo-b; max-weight 1000kg }`"
    );
    let server = text(c.hover(&uri, 6, 2));
    assert!(
        server.starts_with("**device** `server`\n\n`server NAME [: MODEL] { … }`"),
        "{server}"
    );
    // `role` of a tier, and `site` of a feed: the property of *this* kind.
    assert!(text(c.hover(&uri, 9, 11)).starts_with("**property** `role` of `tier`"));
    assert!(text(c.hover(&uri, 1, 11)).starts_with("**property** `site` of `feed`"));
    // A name keeps its figures; the first hop of a path is a name, not a
    // keyword.
    assert!(text(c.hover(&uri, 3, 6)).starts_with("**rack** `r1`"));
    assert!(text(c.hover(&uri, 14, 10)).starts_with("**client** `browser`"));
    c.finish();
}
