//! Lowering and the schema agree: every property the schema lists is
//! accepted where it lists it, with the arguments its example shows, and a
//! misspelt one is refused with the right suggestion.

use super::lower;
use crate::diagnostic::Diagnostic;
use crate::model::schema::{self, Kind, Place, Property, Shape};
use crate::model::DeviceKind;

/// The names the schema's examples refer to.
const PRELUDE: &str = "
site tokyo
power util-a { site tokyo }
power panel-a { site tokyo; from util-a }
feed tokyo-a { site tokyo; circuit 30A at 208V }
feed tokyo-b { site tokyo; circuit 30A at 208V }
rack t1 { site tokyo; feeds tokyo-a tokyo-b }
server host1 { site tokyo }
server host2 { site tokyo }
server host[3..4] { site tokyo }
switch tor1 { site tokyo }
switch tor2 { site tokyo }
firewall fw1 { site tokyo }
firewall fw2 { site tokyo }
storage san-array1 { site tokyo }
tier web
client browser { browser }
service shop-web on host1
service shop-ap on host1
service shop-db on host1
service web-e on host1
service ap-e on host1
service db-e on host1
service shop-db-dr on host2
";

/// A project where `body` is the block of a statement of `kind`.
fn snippet(kind: &Kind, property: &str, body: &str) -> String {
    let k = kind.keyword;
    let required: String = kind
        .properties
        .iter()
        .filter(|p| p.required && p.name != property)
        .map(|p| format!("{}\n", p.example))
        .collect();
    let body = format!("{required}{body}");
    let cpus = "cpu cpu[0..1] {}";
    let statement = match (kind.place, k) {
        (Place::Nested, "memory") => {
            format!("model x {{\ncpu c {{\nmemory ddr4-3200 {{\n{body}\n}}\n}}\n}}")
        }
        // Four hosts: a multiple of the examples' shard counts.
        (Place::Nested, _) => {
            format!("service x on host[1..4] {{\nshard by k {{\n{body}\n}}\n}}")
        }
        (Place::Part, _) => format!("model x {{\n{cpus}\n{k} p {{\n{body}\n}}\n}}"),
        (_, "vm") => format!("vm x on host1 {{\n{body}\n}}"),
        (_, "service" | "dns") => format!("{k} x on host[1..4] {{\n{body}\n}}"),
        (_, "replicate") => format!("replicate shop-db to shop-db-dr {{\n{body}\n}}"),
        (_, "link") => format!("link host1 to tor1 {{\n{body}\n}}"),
        (_, "flow") => format!("flow x {{\nbrowser -> shop-web\n{body}\n}}"),
        (_, "model") => format!("model x {{\n{cpus}\n{body}\n}}"),
        _ if DeviceKind::from_keyword(k).is_some() => {
            // A device in a rack, as `feeds` needs; the property itself may
            // be the size or the placement.
            let size = if property == "size" { "" } else { "size 1U" };
            let rack = if property == "rack" {
                ""
            } else {
                "rack t1 at U30"
            };
            format!("{k} x {{\n{size}\n{rack}\n{cpus}\n{body}\n}}")
        }
        _ => format!("{k} x {{\n{body}\n}}"),
    };
    format!("{PRELUDE}\n{statement}\n")
}

fn diagnostics(text: &str) -> Vec<Diagnostic> {
    let loaded = crate::model::load_sources(&[("t.topo", text)]);
    lower(&loaded).1
}

fn messages(diags: &[Diagnostic]) -> Vec<String> {
    diags
        .iter()
        .map(|d| format!("{}: {} ({:?})", d.rule, d.message, d.help))
        .collect()
}

fn every_property() -> impl Iterator<Item = (&'static Kind, &'static Property)> {
    schema::kinds().flat_map(|k| k.properties.iter().map(move |p| (k, p)))
}

#[test]
fn the_prelude_lowers_clean() {
    assert_eq!(messages(&diagnostics(PRELUDE)), Vec::<String>::new());
}

/// Each property's example, in a block of each kind that takes it, lowers
/// without a single diagnostic: the shape the schema gives is the one
/// lowering reads.
#[test]
fn every_property_lowers_its_example_in_its_block() {
    for (kind, property) in every_property() {
        // A socket's only bus is the link to another socket; the example
        // is shared with the parts that hang off a CPU.
        if (kind.keyword, property.name) == ("cpu", "bus") {
            continue;
        }
        let text = snippet(kind, property.name, property.example);
        assert_eq!(
            messages(&diagnostics(&text)),
            Vec::<String>::new(),
            "{} takes `{}`",
            kind.keyword,
            property.example
        );
    }
}

/// Every word of every choice is understood: the schema's words and the
/// model's enums agree.
#[test]
fn every_choice_word_lowers() {
    for (kind, property) in every_property() {
        let Shape::Choice { words, .. } = property.shape else {
            continue;
        };
        for word in words {
            let body = format!("{} {word}", property.name);
            let text = snippet(kind, property.name, &body);
            assert_eq!(
                messages(&diagnostics(&text)),
                Vec::<String>::new(),
                "{}: {body}",
                kind.keyword
            );
        }
    }
}

/// A misspelt property is refused, in every kind, with the property it
/// resembles as the suggestion; a word like no property lists them all.
#[test]
fn an_unknown_property_is_refused_with_a_suggestion() {
    for kind in schema::kinds() {
        let Some(property) = kind.properties.iter().find(|p| p.name.len() > 3) else {
            continue;
        };
        let typo = format!("{}x", property.name);
        let diags = diagnostics(&snippet(kind, "", &typo));
        let unknown: Vec<&Diagnostic> = diags
            .iter()
            .filter(|d| d.message.starts_with("unknown property"))
            .collect();
        assert_eq!(unknown.len(), 1, "{}: {:?}", kind.keyword, messages(&diags));
        assert_eq!(
            unknown[0].help.as_deref(),
            Some(format!("did you mean `{}`?", property.name).as_str()),
            "{}",
            kind.keyword
        );
        let diags = diagnostics(&snippet(kind, "", "frobnicate"));
        let help = diags
            .iter()
            .find(|d| d.message.starts_with("unknown property"))
            .and_then(|d| d.help.clone())
            .unwrap_or_default();
        assert!(
            help.contains(" takes: ") && help.contains(property.name),
            "{}: {help}",
            kind.keyword
        );
    }
}

#[test]
fn a_property_given_twice_is_refused_unless_it_repeats() {
    let diags = diagnostics(&format!(
        "{PRELUDE}\nrack r {{ height 42U; height 45U }}\nservice s on host1 {{ calls shop-ap; calls shop-db }}\n"
    ));
    assert_eq!(
        messages(&diags),
        ["invalid-value: `height` is given twice in a rack (Some(\"give it once: a property that is not a list takes one value\"))"]
    );
}

#[test]
fn the_parser_knows_every_statement_of_the_schema() {
    let mut from_schema: Vec<&str> = schema::statement_keywords().collect();
    let mut parser = crate::syntax::TOP_LEVEL_KEYWORDS.to_vec();
    assert_eq!(parser, from_schema, "in the same order");
    from_schema.sort_unstable();
    parser.sort_unstable();
    assert_eq!(parser, from_schema);
}
