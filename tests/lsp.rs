//! `topo lsp` spoken to over JSON-RPC, as an editor would.

use serde_json::{json, Value};

mod support;
use support::lsp::{file_uri, Lsp};

const TEXT: &str = "site dc
feed a { site dc; circuit 30A at 208V }
rack r1 { site dc; feeds a }
server web[1..2] { rack r1 at U1; size 1U; draw 2A }
service shop on web1 web2 { tier wbe }
tier web { role presentation }
";

#[test]
fn diagnostics_definition_hover_and_more() {
    let dir = std::env::temp_dir().join(format!("topo-lsp-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("dc.topo");
    std::fs::write(&path, TEXT).unwrap();
    let uri = file_uri(&path);
    let mut c = Lsp::start();
    let init = c.initialize();
    let caps = &init["result"]["capabilities"];
    assert_eq!(caps["hoverProvider"], true);
    assert_eq!(caps["definitionProvider"], true);
    c.open(&uri, TEXT);
    // The unknown tier `wbe` on line 5 (0-based 4), column of `wbe`.
    let diags = c.diagnostics_for(&uri);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0]["code"], "unknown-name");
    assert_eq!(
        diags[0]["range"]["start"],
        json!({"line": 4, "character": 33})
    );
    assert!(diags[0]["message"]
        .as_str()
        .unwrap()
        .contains("did you mean `web`?"));

    // Definition of `r1` in `rack r1 at U1` goes to the rack's declaration.
    let def = c.request_at("textDocument/definition", &uri, 3, 25);
    assert_eq!(def["result"]["uri"], uri);
    assert_eq!(
        def["result"]["range"]["start"],
        json!({"line": 2, "character": 5})
    );
    // A name inside a range: web1 in `web[1..2]` is declared by the range.
    let def = c.request_at("textDocument/definition", &uri, 4, 17);
    assert_eq!(
        def["result"]["range"]["start"],
        json!({"line": 3, "character": 7})
    );

    // Hover on the rack: its power figures.
    let hover = c.request_at("textDocument/hover", &uri, 2, 5);
    let text = hover["result"]["contents"]["value"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(text.contains("**rack** `r1`"), "{text}");
    assert!(
        text.contains("power: 832 VA of 6.24 kVA, 13 % (feed `a`)"),
        "{text}"
    );

    // References of r1: its declaration and the placement.
    let refs = c.request(
        "textDocument/references",
        json!({"textDocument": {"uri": uri}, "position": {"line": 2, "character": 5}, "context": {"includeDeclaration": true}}),
    );
    assert_eq!(refs["result"].as_array().unwrap().len(), 2);

    // Outline, formatting and completion.
    let symbols = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    let names: Vec<&str> = symbols["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["dc", "a", "r1", "web[1..2]", "shop", "web"]);
    let edits = c.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    assert_eq!(edits["result"], json!([]), "the text is already formatted");
    let completion = c.request_at("textDocument/completion", &uri, 2, 10);
    let labels: Vec<&str> = completion["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert!(
        labels.contains(&"height") && labels.contains(&"max-weight"),
        "rack properties: {labels:?}"
    );

    // A fix clears the diagnostic.
    let fixed = TEXT.replace("wbe", "web");
    c.change(&uri, &fixed);
    assert_eq!(c.diagnostics_for(&uri), Vec::<Value>::new());

    c.finish();
}
