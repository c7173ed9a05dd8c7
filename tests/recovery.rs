//! Recovery after a slip: a declaration with a syntax error in its block
//! still declares its name and keeps what parsed; findings about a
//! declaration with a language error are held back; language errors print
//! first; a guess never means the opposite.

use topo::check::{check_sources, Checked};
use topo::report::human::{self, Style};

fn check(text: &str) -> Checked {
    check_sources(&[("slip.topo", text)])
}

fn found(c: &Checked) -> Vec<String> {
    c.diagnostics
        .iter()
        .map(|d| {
            let (line, col) = c.sources.get(d.span.file).line_col(d.span.start);
            format!("{} {line}:{col} {}", d.rule, d.message)
        })
        .collect()
}

const POWERED: &str = "site hq { role primary }\n\
    feed hq-a { site hq; circuit 30A at 208V }\n\
    feed hq-b { site hq; circuit 30A at 208V }\n\
    rack r1 { site hq; height 42U; feeds hq-a hq-b }\n";

#[test]
fn a_comma_in_a_block_loses_only_its_own_statement() {
    let text = format!(
        "{POWERED}rack r2 {{ site hq; height 42U; power 1kW; feeds hq-a, hq-b }}\n\
         server a {{ rack r2 at U1; size 1U; draw 3kW; psu 2 }}\n"
    );
    let c = check(&text);
    // One error, at the comma: no "unknown rack `r2`", and the rack's
    // power limit, which parsed, is kept (the rack exists with it).
    assert_eq!(
        found(&c),
        ["syntax 5:53 unexpected `,`: expected `->`, `:`, `{`, a name, a number, a range like `[1..4]`, a string or the end of the statement"],
        "{:#?}",
        found(&c)
    );
    // The hint quotes the line as it should read.
    assert_eq!(
        c.diagnostics[0].help.as_deref(),
        Some("lists are separated by spaces: `feeds hq-a hq-b`")
    );
    let r2 = c.project.element("r2").expect("r2 is declared");
    let topo::model::Element::Rack(id) = r2 else {
        panic!()
    };
    assert!(c.project.racks[id.index()].power.is_some());
    // The 3 kW on a 1 kW rack is held back while the rack's line has an
    // error; fixed, the finding is there.
    let fixed = check(&text.replace("hq-a, hq-b", "hq-a hq-b"));
    assert!(
        fixed.diagnostics.iter().any(|d| d.rule == "rack-power"),
        "{:#?}",
        found(&fixed)
    );
}

#[test]
fn a_missing_brace_keeps_the_declaration_and_what_parsed() {
    let c = check(
        "site hq { role primary }\n\
         rack r1 { site hq; height 42U\n\
         rack r2 { site hq; height 42U }\n\
         server a { rack r1 at U1; size 1U }\n",
    );
    assert_eq!(found(&c), ["syntax 2:9 unclosed `{`"]);
    let topo::model::Element::Rack(id) = c.project.element("r1").unwrap() else {
        panic!()
    };
    let r1 = &c.project.racks[id.index()];
    assert!(
        r1.site.is_some() && r1.height.value == 42,
        "site and height kept"
    );
    assert!(c.project.element("r2").is_some());
}

#[test]
fn two_slips_in_one_block_are_two_errors_and_nested_blocks_recover_too() {
    let c = check(
        "site hq { role primary }\n\
         server a {\n  site hq\n  size 1U,\n  cpu cpu0 { cores 8; bogus = 3 }\n  weight 10kg\n  draw 100W\n}\n",
    );
    let rules: Vec<String> = found(&c);
    assert_eq!(rules.len(), 2, "{rules:#?}");
    assert!(
        rules[0].starts_with("syntax 4:10 unexpected `,`"),
        "{rules:#?}"
    );
    assert!(
        rules[1].starts_with("syntax 5:29 unexpected `=`"),
        "{rules:#?}"
    );
    let topo::model::Element::Device(id) = c.project.element("a").unwrap() else {
        panic!()
    };
    let a = &c.project.devices[id.index()];
    assert!(
        a.props.weight.is_some() && a.props.draw.is_some(),
        "the lines after the slips are kept"
    );
    assert_eq!(a.internals.parts.len(), 1, "cpu0 is kept");
}

#[test]
fn language_errors_print_before_the_findings() {
    let c = check(&format!(
        "{POWERED}rack r3 {{ site hq; height 42U; power 1kW }}\n\
         server a {{ rack r3 at U1; size 1U; draw 3kW }}\n\
         server b {{ rack r9 at U2; size 1U }}\n"
    ));
    // In source order the rack's finding (line 5) comes first ...
    assert_eq!(c.diagnostics[0].rule, "rack-power", "{:#?}", found(&c));
    // ... but the human output starts with the language error.
    let text = human::render(&c.sources, &c.diagnostics, Style::plain());
    let headers: Vec<&str> = text
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with(' ') && !l.contains(" in 1 file"))
        .collect();
    assert_eq!(headers, ["unknown-name", "rack-power"], "{text}");
}

#[test]
fn a_guess_keeps_the_meaning() {
    let c = check(
        "site s { role primary }\nserver a { site s; size 1U }\nserver b { site s; size 1U }\n\
         service x on a b { ha active-pasive }\n",
    );
    let help: Vec<&str> = c
        .diagnostics
        .iter()
        .filter_map(|d| d.help.as_deref())
        .collect();
    assert_eq!(help, ["did you mean `active-standby`?"]);
}
