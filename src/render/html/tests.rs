use super::*;
use crate::check::check_sources;

const TEXT: &str = "\
site dc {}
rack r1 { site dc; height 3U }
server a { rack r1 at U1; size 2U }
server b { rack r1 at U2; size 1U }
tier web { role presentation }
service shop on a { tier web }
";

fn page(text: &str, live: bool) -> String {
    let checked = check_sources(&[("shop & co.topo", text)]);
    Page {
        title: "shop & co.topo",
        sources: &checked.sources,
        diagnostics: &checked.diagnostics,
        views: views(&checked.project, &checked.diagnostics),
        live,
        problem: None,
    }
    .render()
}

#[test]
fn the_page_stands_alone() {
    let html = page(TEXT, false);
    assert!(html.starts_with("<!DOCTYPE html>"));
    // No resource is fetched: no external script, style, image or font.
    for needle in [
        "<link",
        " src=",
        "@import",
        "url(",
        "https://",
        "EventSource",
    ] {
        assert!(!html.contains(needle), "the page holds {needle:?}");
    }
    // The one http: URL is the SVG namespace, which is a name, not a fetch.
    assert_eq!(
        html.matches("http://").count(),
        html.matches("http://www.w3.org/2000/svg").count()
    );
    assert!(html.contains("<title>topo: shop &amp; co.topo</title>"));
}

#[test]
fn every_view_is_a_tab_and_every_finding_a_linked_item() {
    let checked = check_sources(&[("t.topo", TEXT)]);
    let html = page(TEXT, false);
    assert!(html.contains("data-view=\"system\" aria-selected=\"true\""));
    assert!(html.contains("data-view=\"rack\" aria-selected=\"false\""));
    assert!(!html.contains("data-view=\"bus\""), "no parts, no bus tab");
    assert!(html.contains("<section class=\"view\" id=\"view-rack\" data-view=\"rack\" hidden>"));
    let items = html.matches("<li id=\"finding-").count();
    assert_eq!(items, checked.diagnostics.len());
    assert!(items > 0);
    assert!(html.contains("data-rule=\"rack-overlap\" data-element=\"b\""));
    assert!(!html.contains("<?xml"));
}

#[test]
fn a_live_page_listens_and_shows_its_problem() {
    let checked = check_sources(&[("t.topo", TEXT)]);
    let html = Page {
        title: "t.topo",
        sources: &checked.sources,
        diagnostics: &checked.diagnostics,
        views: Vec::new(),
        live: true,
        problem: Some("syntax <error>".into()),
    }
    .render();
    assert!(html.contains("new EventSource(\"/events\")"));
    assert!(html.contains("<pre id=\"problem\" role=\"alert\">syntax &lt;error&gt;</pre>"));
}

#[test]
fn the_same_project_gives_the_same_page() {
    assert_eq!(page(TEXT, false), page(TEXT, false));
    let clean = page("site dc {}\n", false);
    assert!(clean.contains("No findings."));
    assert!(clean.contains("0 errors, 0 warnings, 0 infos"));
}
