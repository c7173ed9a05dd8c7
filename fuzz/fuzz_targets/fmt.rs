//! The formatter: what it accepts it formats idempotently, and the result
//! parses to the same statements and comments.
#![no_main]
use libfuzzer_sys::fuzz_target;
use topo::source::FileId;
use topo::syntax::ast::Statement;

fn shape(statements: &[Statement], text: &str, out: &mut Vec<String>) {
    for s in statements {
        out.push(s.items.iter().map(|i| &text[i.span.range()]).collect::<Vec<_>>().join(" "));
        if let Some(b) = &s.block {
            out.push("{".into());
            shape(&b.statements, text, out);
            out.push("}".into());
        }
    }
}

fn parsed(text: &str) -> Vec<String> {
    let (ast, errors) = topo::syntax::parse(FileId(0), text);
    assert!(errors.is_empty(), "formatted text must parse: {errors:?}");
    let mut out = Vec::new();
    shape(&ast.statements, text, &mut out);
    out.extend(ast.comments.iter().map(|c| text[c.range()].trim_end().to_string()));
    out
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(once) = topo::fmt::format(text) else { return };
    let twice = topo::fmt::format(&once).expect("formatted text formats again");
    assert_eq!(once, twice, "formatting is idempotent");
    assert_eq!(parsed(text), parsed(&once), "formatting keeps meaning");
});
