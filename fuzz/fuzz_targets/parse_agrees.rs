//! The hand-written recogniser of clean statements and the pest grammar
//! agree: any text gives the same syntax tree and the same errors.
#![no_main]
use libfuzzer_sys::fuzz_target;
use topo::source::FileId;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (fast, fast_errors) = topo::syntax::parse(FileId(0), text);
    let (pest, pest_errors) = topo::syntax::parse_by_grammar(FileId(0), text);
    assert_eq!(fast.statements, pest.statements);
    assert_eq!(fast.comments, pest.comments);
    assert_eq!(format!("{fast_errors:?}"), format!("{pest_errors:?}"));
});
