use super::*;
use std::collections::HashSet;

#[test]
fn keywords_and_property_names_are_unique() {
    let mut keywords = HashSet::new();
    for kind in kinds() {
        assert!(
            keywords.insert((kind.place, kind.keyword)),
            "{} twice",
            kind.keyword
        );
        // Lowering tracks the properties of a block in one 64-bit word.
        assert!(kind.properties.len() <= 64, "{}", kind.keyword);
        let mut names = HashSet::new();
        for p in kind.properties {
            assert!(names.insert(p.name), "{}: `{}` twice", kind.keyword, p.name);
        }
    }
}

#[test]
fn every_entry_is_documented_with_an_example_that_uses_it() {
    for kind in kinds() {
        assert!(!kind.summary.is_empty(), "{}", kind.keyword);
        assert!(
            kind.example.starts_with(kind.keyword)
                || std::ptr::eq(kind.properties, DEVICE_PROPERTIES),
            "{}: {}",
            kind.keyword,
            kind.example
        );
        for p in kind.properties {
            assert!(p.summary.ends_with('.'), "{}.{}", kind.keyword, p.name);
            assert!(
                p.example.starts_with(p.name) || p.name == "->",
                "{}.{}: {}",
                kind.keyword,
                p.name,
                p.example
            );
        }
    }
}

#[test]
fn every_nested_block_names_a_kind() {
    for kind in kinds() {
        for p in kind.properties {
            if let Shape::Block(k) = p.shape {
                assert!(
                    block_kind(Some(kind.keyword), p.name).is_some(),
                    "{}.{} opens `{k}`",
                    kind.keyword,
                    p.name
                );
            }
        }
    }
}

#[test]
fn statements_are_listed_physical_layer_first() {
    let all: Vec<&str> = statement_keywords().collect();
    assert_eq!(
        all.join(", "),
        "site, feed, power, rack, model, server, switch, router, firewall, lb, storage, pdu, \
         device, vm, tier, service, dns, client, cdn, flow, partition, replicate, link, \
         fault-domain, allow, include"
    );
    assert_eq!(all.len(), top_level_keywords().count());
}

#[test]
fn argument_syntax_is_one_placeholder_per_argument() {
    let syntax = |kind: &str, name: &str| {
        block_kind(None, kind)
            .and_then(|k| k.property(name))
            .map(|p| p.shape.syntax())
    };
    assert_eq!(syntax("rack", "site").as_deref(), Some("SITE"));
    assert_eq!(syntax("rack", "feeds").as_deref(), Some("FEED..."));
    assert_eq!(
        syntax("fault-domain", "members").as_deref(),
        Some("MEMBER...")
    );
    assert_eq!(syntax("server", "cpu").as_deref(), Some("NAME { … }"));
    assert_eq!(syntax("service", "shard").as_deref(), Some("by KEY { … }"));
    assert_eq!(syntax("rack", "height").as_deref(), Some("RACK-UNITS"));
    assert_eq!(syntax("server", "power-factor").as_deref(), Some("NUMBER"));
    assert_eq!(
        top_level("server").map(Kind::header).as_deref(),
        Some("server NAME [: MODEL] { … }")
    );
    for kind in kinds() {
        for p in kind.properties {
            let text = p.shape.syntax();
            assert!(
                !text.contains(',') && !text.contains("  "),
                "{}.{}: {text}",
                kind.keyword,
                p.name
            );
        }
    }
}

#[test]
fn synonyms_point_at_statements_and_are_not_keywords_themselves() {
    for (word, keyword) in SYNONYMS {
        assert!(top_level(keyword).is_some(), "{word} -> {keyword}");
        assert!(top_level(word).is_none(), "{word} is a keyword");
    }
    assert_eq!(statement_for("loadbalancer"), Some("lb"));
    assert_eq!(statement_for("LoadBalancer"), Some("lb"));
    assert_eq!(statement_for("rak"), Some("rack"));
    assert_eq!(statement_for("xyzzy-plugh"), None);
}
