//! The parser: any text gives statements and diagnostics, never a panic,
//! and every span lies inside the text.
#![no_main]
use libfuzzer_sys::fuzz_target;
use topo::source::FileId;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (ast, errors) = topo::syntax::parse(FileId(0), text);
    for e in &errors {
        assert!(e.span.end as usize <= text.len());
    }
    for s in &ast.statements {
        assert!(s.span.start <= s.span.end && s.span.end as usize <= text.len());
    }
});
