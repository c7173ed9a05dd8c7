//! The language server's project-wide requests, driven over stdio as an
//! editor would: workspace symbols, rename across includes, references
//! from an included file, quick fixes, go-to on an `include` path.

use serde_json::{json, Value};

mod support;
use support::lsp::{file_uri, Lsp};

const MODELS: &str = "model box { size 1U; draw 200W }\n";

const MAIN: &str = "include \"models.topo\"
site dc
feed a { site dc; circuit 30A at 208V }
rack r1 { site dc; feeds a }
server web1 : box { rack r1 at U1 }
server app[1..2] : box { rack r1 at U3 }
service shop on web1 app[1..2] { tier front }
tier front { role presentation }
";

/// A server with `main.topo` (which includes `models.topo`) and
/// `models.topo` open, both checked.
struct Session {
    _dir: tempfile::TempDir,
    c: Lsp,
    main: String,
    models: String,
}

fn session() -> Session {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.topo"), MAIN).unwrap();
    std::fs::write(dir.path().join("models.topo"), MODELS).unwrap();
    let main = file_uri(&dir.path().join("main.topo"));
    let models = file_uri(&dir.path().join("models.topo"));
    let mut c = Lsp::start();
    c.initialize_in(dir.path());
    c.open(&main, MAIN);
    assert_eq!(c.diagnostics_for(&main), Vec::<Value>::new());
    c.open(&models, MODELS);
    assert_eq!(c.diagnostics_for(&models), Vec::<Value>::new());
    Session {
        _dir: dir,
        c,
        main,
        models,
    }
}

fn range(l0: u32, c0: u32, l1: u32, c1: u32) -> Value {
    json!({"start": {"line": l0, "character": c0}, "end": {"line": l1, "character": c1}})
}

fn at(uri: &str, line: u32, character: u32) -> Value {
    json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}})
}

#[test]
fn capabilities_announce_the_new_requests() {
    let mut c = Lsp::start();
    let init = c.initialize();
    let caps = &init["result"]["capabilities"];
    assert_eq!(caps["workspaceSymbolProvider"], true);
    assert_eq!(caps["renameProvider"], json!({"prepareProvider": true}));
    assert_eq!(
        caps["codeActionProvider"],
        json!({"codeActionKinds": ["quickfix"]})
    );
    c.finish();
}

#[test]
fn workspace_symbols_match_a_subsequence_with_kind_and_container() {
    let Session {
        mut c, main, _dir, ..
    } = session();
    let found = c.request("workspace/symbol", json!({"query": "WB"}));
    assert_eq!(
        found["result"],
        json!([{"name": "web1", "kind": 19, "containerName": "r1",
                "location": {"uri": main, "range": range(4, 7, 4, 11)}}])
    );
    let found = c.request("workspace/symbol", json!({"query": "r1"}));
    assert_eq!(
        found["result"],
        json!([{"name": "r1", "kind": 23, "containerName": "dc",
                "location": {"uri": main, "range": range(3, 5, 3, 7)}}])
    );
    // Every element once, though two open documents hold the models.
    let all = c.request("workspace/symbol", json!({"query": ""}));
    let names: Vec<&str> = all["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["a", "app1", "app2", "box", "dc", "front", "r1", "shop", "web1"]
    );
    let model = &all["result"][3];
    assert_eq!(model["kind"], 5, "a model is a class");
    c.finish();
}

#[test]
fn references_on_a_model_in_an_included_file_find_the_includers_uses() {
    let Session {
        mut c,
        main,
        models,
        _dir,
    } = session();
    let refs = c.request(
        "textDocument/references",
        json!({"textDocument": {"uri": models}, "position": {"line": 0, "character": 7},
               "context": {"includeDeclaration": true}}),
    );
    assert_eq!(
        refs["result"],
        json!([
            {"uri": main, "range": range(4, 14, 4, 17)},
            {"uri": main, "range": range(5, 19, 5, 22)},
            {"uri": models, "range": range(0, 6, 0, 9)},
        ])
    );
    let refs = c.request(
        "textDocument/references",
        json!({"textDocument": {"uri": models}, "position": {"line": 0, "character": 7},
               "context": {"includeDeclaration": false}}),
    );
    assert_eq!(refs["result"].as_array().unwrap().len(), 2, "{refs:#}");
    c.finish();
}

#[test]
fn rename_across_files_from_a_use_or_the_declaration() {
    let Session {
        mut c,
        main,
        models,
        _dir,
    } = session();
    let prepared = c.request("textDocument/prepareRename", at(&main, 4, 15));
    assert_eq!(
        prepared["result"],
        json!({"range": range(4, 14, 4, 17), "placeholder": "box"})
    );
    let expected = json!({"changes": {
        main.clone(): [
            {"range": range(4, 14, 4, 17), "newText": "chassis"},
            {"range": range(5, 19, 5, 22), "newText": "chassis"},
        ],
        models.clone(): [{"range": range(0, 6, 0, 9), "newText": "chassis"}],
    }});
    for (uri, line, character) in [(&main, 4, 15), (&models, 0, 7)] {
        let mut params = at(uri, line, character);
        params["newName"] = json!("chassis");
        let edit = c.request("textDocument/rename", params);
        assert_eq!(edit["result"], expected, "from {uri}:{line}");
    }
    let mut params = at(&main, 6, 17);
    params["newName"] = json!("frontend-1");
    let edit = c.request("textDocument/rename", params);
    assert_eq!(
        edit["result"],
        json!({"changes": {main.clone(): [
            {"range": range(4, 7, 4, 11), "newText": "frontend-1"},
            {"range": range(6, 16, 6, 20), "newText": "frontend-1"},
        ]}})
    );
    c.finish();
}

#[test]
fn rename_refuses_what_it_cannot_write() {
    let Session {
        mut c, main, _dir, ..
    } = session();
    let refusal = |c: &mut Lsp, line: u32, character: u32, new: &str| -> String {
        let mut params = at(&main, line, character);
        params["newName"] = json!(new);
        let answer = c.request("textDocument/rename", params);
        assert!(answer["result"].is_null(), "{answer:#}");
        answer["error"]["message"].as_str().unwrap().to_string()
    };
    // A name that exists only through a range expansion.
    let m = refusal(&mut c, 6, 22, "api1");
    assert!(
        m.starts_with("`app1` is written as part of the range `app[1..2]`"),
        "{m}"
    );
    let prepared = c.request("textDocument/prepareRename", at(&main, 5, 8));
    assert!(prepared["error"]["message"]
        .as_str()
        .unwrap()
        .contains("part of the range"));
    // Not a declared element: a schema word, a keyword.
    let m = refusal(&mut c, 7, 20, "x");
    assert_eq!(
        m,
        "`presentation` is not an element declared at top level; only those can be renamed"
    );
    let m = refusal(&mut c, 7, 1, "x");
    assert_eq!(m, "there is no name here to rename");
    // An invalid name, and one the project already declares.
    let m = refusal(&mut c, 4, 8, "2web");
    assert!(m.starts_with("`2web` is not a name"), "{m}");
    let m = refusal(&mut c, 4, 8, "app2");
    assert!(
        m.starts_with("`app2` is already declared in the project (a server at "),
        "{m}"
    );
    let m = refusal(&mut c, 4, 8, "box");
    assert!(m.starts_with("`box` is already declared"), "{m}");
    c.finish();
}

#[test]
fn definition_on_an_include_path_opens_the_file() {
    let Session {
        mut c,
        main,
        models,
        _dir,
    } = session();
    let def = c.request("textDocument/definition", at(&main, 0, 12));
    assert_eq!(
        def["result"],
        json!({"uri": models, "range": range(0, 0, 0, 0)})
    );
    c.finish();
}

/// Applies single-line edits to `text`.
fn apply(text: &str, edits: &[Value]) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut edits = edits.to_vec();
    edits.sort_by_key(|e| std::cmp::Reverse(e["range"]["start"]["character"].as_u64()));
    for e in edits {
        let line = e["range"]["start"]["line"].as_u64().unwrap() as usize;
        let start = e["range"]["start"]["character"].as_u64().unwrap() as usize;
        let end = e["range"]["end"]["character"].as_u64().unwrap() as usize;
        lines[line].replace_range(start..end, e["newText"].as_str().unwrap());
    }
    lines.join("\n") + "\n"
}

fn code_actions(c: &mut Lsp, uri: &str, diagnostic: &Value) -> Vec<Value> {
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": diagnostic["range"],
               "context": {"diagnostics": [diagnostic]}}),
    );
    actions["result"].as_array().unwrap().clone()
}

#[test]
fn quick_fix_for_a_did_you_mean_removes_the_error() {
    let Session {
        mut c, main, _dir, ..
    } = session();
    let text = MAIN.replace("tier front }", "tier frnt }");
    c.change(&main, &text);
    let diags = c.diagnostics_for(&main);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    let actions = code_actions(&mut c, &main, &diags[0]);
    assert_eq!(actions.len(), 1, "{actions:#?}");
    assert_eq!(actions[0]["title"], "Replace `frnt` with `front`");
    assert_eq!(actions[0]["kind"], "quickfix");
    assert_eq!(actions[0]["isPreferred"], true);
    let edits = actions[0]["edit"]["changes"][&main].as_array().unwrap();
    assert_eq!(
        edits,
        &vec![json!({"range": range(6, 38, 6, 42), "newText": "front"})]
    );
    let fixed = apply(&text, edits);
    assert_eq!(fixed, MAIN);
    c.change(&main, &fixed);
    assert_eq!(c.diagnostics_for(&main), Vec::<Value>::new());
    c.finish();
}

#[test]
fn quick_fixes_for_a_missing_unit_offer_each_plausible_unit() {
    let Session {
        mut c, main, _dir, ..
    } = session();
    let text = MAIN.replace("at U1 }", "at U1; draw 500 }");
    c.change(&main, &text);
    let diags = c.diagnostics_for(&main);
    let diag = diags
        .iter()
        .find(|d| d["code"] == "unit-mismatch")
        .unwrap_or_else(|| panic!("{diags:#?}"));
    let actions = code_actions(&mut c, &main, diag);
    let titles: Vec<&str> = actions
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "Add the unit `W`: `500W`",
            "Add the unit `kW`: `500kW`",
            "Add the unit `A`: `500A`"
        ]
    );
    assert!(actions.iter().all(|a| a["isPreferred"].is_null()));
    let edits = actions[0]["edit"]["changes"][&main].as_array().unwrap();
    assert_eq!(
        edits,
        &vec![json!({"range": range(4, 43, 4, 43), "newText": "W"})]
    );
    let fixed = apply(&text, edits);
    assert!(fixed.contains("draw 500W }"), "{fixed}");
    c.change(&main, &fixed);
    let diags = c.diagnostics_for(&main);
    assert!(
        diags.iter().all(|d| d["severity"] != 1),
        "no error is left: {diags:#?}"
    );
    c.finish();
}

#[test]
fn completion_after_a_colon_offers_only_models() {
    let Session {
        mut c, main, _dir, ..
    } = session();
    let labels = |c: &mut Lsp, text: &str, line: u32, character: u32| -> Vec<String> {
        c.change(&main, text);
        let answer = c.request("textDocument/completion", at(&main, line, character));
        answer["result"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["label"].as_str().unwrap().to_string())
            .collect()
    };
    // At the end of the file, and in the middle of a statement already
    // written on with a block.
    let cases = [
        (format!("{MAIN}server db1 : "), 8, 13),
        (format!("{MAIN}server db1 :"), 8, 12),
        (format!("{MAIN}server db1 :b"), 8, 13),
        (format!("{MAIN}server db[1..2] : "), 8, 18),
        (format!("{MAIN}vm v1 : "), 8, 8),
        (MAIN.replace("web1 : box {", "web1 :  {"), 4, 14),
        (MAIN.replace("web1 : box {", "web1 : b {"), 4, 15),
    ];
    for (text, line, character) in cases {
        let got = labels(&mut c, &text, line, character);
        assert_eq!(got, ["box"], "at {line}:{character} of\n{text}");
    }
    c.finish();
}

/// The case reported: in the web shop (36 names, 3 of them models from an
/// included file), completion after `:` offers the models alone.
#[test]
fn completion_after_a_colon_in_the_web_shop_offers_its_three_models() {
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let path = examples.join("webshop.topo");
    let text = std::fs::read_to_string(&path).unwrap() + "server web9 : ";
    let uri = file_uri(&path);
    let mut c = Lsp::start();
    c.initialize_in(&examples);
    c.open(&uri, &text);
    c.diagnostics_for(&uri);
    let line = text.lines().count() as u32 - 1;
    let answer = c.request("textDocument/completion", at(&uri, line, 14));
    let labels: Vec<&str> = answer["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["r650", "r750", "s5248f"]);
    c.finish();
}

const TOKENS_DOC: &str = "site dc
rack r1 { site dc; height 42U }
model box {
  size 1U; draw 300W
  cpu c0 { cores 8; memory ddr4-3200 { channels 2; dimms 1 1; dimm-size 32GB } }
  nic n0 { ports 2 x 25GbE; bus pcie4 x8 to c0 }
}
server web[1..2] : box { rack r1 at U1 }
tier front { role presentation }
service shop on web1 web2 { tier front }
link web1.n0 to web2.n0
";

/// Semantic tokens decoded: (line, the text covered, type, declared).
fn decode(result: &Value, text: &str, legend: &Value) -> Vec<(u64, String, String, bool)> {
    let lines: Vec<&str> = text.lines().collect();
    let data: Vec<u64> = result["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    let (mut line, mut start) = (0u64, 0u64);
    let mut out = Vec::new();
    for t in data.chunks(5) {
        if t[0] > 0 {
            start = 0;
        }
        line += t[0];
        start += t[1];
        let l = lines[line as usize];
        let units: Vec<u16> = l.encode_utf16().collect();
        let covered = String::from_utf16(&units[start as usize..(start + t[2]) as usize]).unwrap();
        let kind = legend["tokenTypes"][t[3] as usize]
            .as_str()
            .unwrap()
            .to_string();
        out.push((line, covered, kind, t[4] & 1 == 1));
    }
    out
}

#[test]
fn semantic_tokens_mark_declarations_references_units_and_presets() {
    let (dir, uri) = support::lsp::document("dc.topo", TOKENS_DOC);
    let mut c = Lsp::start();
    let init = c.initialize_in(dir.path());
    let provider = &init["result"]["capabilities"]["semanticTokensProvider"];
    assert_eq!(provider["full"], true);
    let legend = provider["legend"].clone();
    assert_eq!(legend["tokenModifiers"], json!(["declaration"]));
    c.open(&uri, TOKENS_DOC);
    assert_eq!(c.diagnostics_for(&uri), Vec::<Value>::new());
    let answer = c.request(
        "textDocument/semanticTokens/full",
        json!({"textDocument": {"uri": uri}}),
    );
    let got = decode(&answer["result"], TOKENS_DOC, &legend);
    let t = |line: u64, text: &str, kind: &str, declared: bool| {
        (line, text.to_string(), kind.to_string(), declared)
    };
    assert_eq!(
        got,
        [
            t(0, "dc", "namespace", true),
            t(1, "r1", "struct", true),
            t(1, "dc", "namespace", false),
            t(1, "U", "type", false),
            t(2, "box", "class", true),
            t(3, "U", "type", false),
            t(3, "W", "type", false),
            t(4, "c0", "property", true),
            t(4, "ddr4-3200", "enumMember", false),
            t(4, "GB", "type", false),
            t(5, "n0", "property", true),
            t(5, "GbE", "type", false),
            t(5, "pcie4", "enumMember", false),
            t(5, "c0", "property", false),
            t(7, "web[1..2]", "variable", true),
            t(7, "box", "class", false),
            t(7, "r1", "struct", false),
            t(8, "front", "enum", true),
            t(9, "shop", "function", true),
            t(9, "web1", "variable", false),
            t(9, "web2", "variable", false),
            t(9, "front", "enum", false),
            t(10, "web1", "variable", false),
            t(10, "n0", "property", false),
            t(10, "web2", "variable", false),
            t(10, "n0", "property", false),
        ]
    );
    c.finish();
}

/// Each did-you-mean becomes one preferred fix: an unknown keyword, an
/// unknown property, an unknown unit. Applied together, the project is
/// clean again.
#[test]
fn quick_fixes_for_keywords_properties_and_units() {
    let Session {
        mut c, main, _dir, ..
    } = session();
    let text = MAIN
        .replace(
            "rack r1 { site dc; feeds a }",
            "rakc r1 { site dc; feeds a }",
        )
        .replace("tier front { role", "tier front { rloe")
        .replace("circuit 30A at 208V", "circuit 30A at 208v");
    c.change(&main, &text);
    let diags = c.diagnostics_for(&main);
    let mut titles = Vec::new();
    let mut edits = Vec::new();
    for d in &diags {
        for a in code_actions(&mut c, &main, d) {
            assert_eq!(a["isPreferred"], true, "{a:#}");
            titles.push(a["title"].as_str().unwrap().to_string());
            edits.extend(a["edit"]["changes"][&main].as_array().unwrap().clone());
        }
    }
    titles.sort();
    assert_eq!(
        titles,
        [
            "Replace `rakc` with `rack`",
            "Replace `rloe` with `role`",
            "Replace `v` with `V`",
        ],
        "{diags:#?}"
    );
    let fixed = apply(&text, &edits);
    assert_eq!(fixed, MAIN);
    c.change(&main, &fixed);
    assert_eq!(c.diagnostics_for(&main), Vec::<Value>::new());
    c.finish();
}
