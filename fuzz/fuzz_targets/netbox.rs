//! The NetBox import: any YAML gives models or an error; imported models
//! always parse and lower without language errors.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(imported) = topo::netbox::convert(text, topo::netbox::Draw::Maximum) else { return };
    let c = topo::check::check_sources(&[("imported.topo", &imported.text)]);
    let language: Vec<_> = c
        .diagnostics
        .iter()
        .filter(|d| ["syntax", "unknown-name", "duplicate-name", "unit-mismatch", "invalid-value"].contains(&d.rule))
        .collect();
    assert!(language.is_empty(), "imported text is valid topo: {language:?}\n{}", imported.text);
});
