//! Loading and lowering: names, ranges, models, units and presets.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let loaded = topo::model::load_sources(&[("fuzz.topo", text)]);
    let (_project, diagnostics) = topo::model::lower::lower(&loaded);
    for d in &diagnostics {
        assert!(d.span.end as usize <= loaded.sources.get(d.span.file).text.len());
    }
});
