//! The whole pipeline: every analyzer, every report format, every view.
#![no_main]
use libfuzzer_sys::fuzz_target;
use topo::report::human::Style;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let c = topo::check::check_sources(&[("fuzz.topo", text)]);
    let _ = topo::report::human::render(&c.sources, &c.diagnostics, Style::plain());
    let _ = topo::report::json::render(&c.sources, &c.diagnostics);
    let _ = topo::report::sarif::render(&c.sources, &c.diagnostics);
    let _ = topo::report::github::render(&c.sources, &c.diagnostics);
    let p = &c.project;
    let _ = topo::render::system::svg(p, &c.diagnostics);
    let _ = topo::render::system::dot(p, &c.diagnostics);
    let _ = topo::render::rack::svg(p, &c.diagnostics, None);
    let _ = topo::render::rack::dot(p, &c.diagnostics, None);
    let _ = topo::render::bus::svg(p, &c.diagnostics, None);
    let _ = topo::render::bus::dot(p, &c.diagnostics, None);
    if !p.devices.is_empty() {
        let first = topo::analyze::failure::Candidate::Device(topo::model::DeviceId(0));
        let _ = topo::analyze::failure::impact(p, first);
    }
});
