//! Scale benchmarks on generated, healthy data centres
//! (`topo::generate::data_centre`): 26, 260 and 2,600 racks, that is about
//! 1,000, 10,000 and 100,000 devices. Each size is generated, loaded, lowered
//! and checked once, outside the timed part; each benchmark then times one
//! stage alone.
//!
//! ```text
//! cargo bench --bench check
//! ```
//!
//! Results and the machine they ran on: BENCHMARKS.md.

use std::collections::HashMap;
use std::sync::Mutex;
use topo::analyze::failure::{Failures, Universe};
use topo::diagnostic::Diagnostic;
use topo::model::{Loaded, Project};
use topo::source::FileId;

/// The allocator of the `topo` binary, so the figures are the CLI's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Racks: ~1k, ~10k and ~100k devices.
const SIZES: [usize; 3] = [26, 260, 2600];

fn main() {
    divan::main();
}

/// One generated data centre at every stage of the pipeline.
struct Prepared {
    text: String,
    loaded: Loaded,
    project: Project,
    diagnostics: Vec<Diagnostic>,
}

/// The prepared data centre of `racks` racks, built on first use.
fn prepared(racks: usize) -> &'static Prepared {
    static CACHE: Mutex<Option<HashMap<usize, &'static Prepared>>> = Mutex::new(None);
    let mut cache = CACHE.lock().unwrap();
    cache
        .get_or_insert_with(HashMap::new)
        .entry(racks)
        .or_insert_with(|| {
            let text = topo::generate::data_centre(racks);
            let loaded = topo::model::load_sources(&[("dc.topo", &text)]);
            let (project, mut diagnostics) = topo::model::lower::lower(&loaded);
            diagnostics.extend(topo::analyze::analyze(&project));
            assert!(
                diagnostics.is_empty(),
                "the generated data centre of {racks} racks has findings"
            );
            Box::leak(Box::new(Prepared {
                text,
                loaded,
                project,
                diagnostics,
            }))
        })
}

// Each benchmark stops sampling after 5 s: 20 samples at the small sizes,
// a handful at 2,600 racks, so the whole run takes a few minutes on 2 cores.

/// Text to syntax tree (`topo::syntax::parse`).
#[divan::bench(args = SIZES, sample_count = 20, max_time = 5)]
fn parse(bencher: divan::Bencher, racks: usize) {
    let text = &prepared(racks).text;
    bencher.bench(|| topo::syntax::parse(FileId(0), divan::black_box(text)));
}

/// Syntax tree to model: names, ranges, models, units, placement, graph.
#[divan::bench(args = SIZES, sample_count = 20, max_time = 5)]
fn lower(bencher: divan::Bencher, racks: usize) {
    let loaded = &prepared(racks).loaded;
    bencher.bench(|| topo::model::lower::lower(divan::black_box(loaded)));
}

/// Every analyzer, the failure model included.
#[divan::bench(args = SIZES, sample_count = 20, max_time = 5)]
fn analyze(bencher: divan::Bencher, racks: usize) {
    let project = &prepared(racks).project;
    bencher.bench(|| topo::analyze::analyze(divan::black_box(project)));
}

/// `topo check` as a library call: load (parse), lower, analyze, sort.
#[divan::bench(args = SIZES, sample_count = 20, max_time = 5)]
fn check(bencher: divan::Bencher, racks: usize) {
    let text = prepared(racks).text.as_str();
    bencher.bench(|| topo::check::check_sources(&[("dc.topo", divan::black_box(text))]));
}

/// The failure model alone: kill sets and the two-path network check.
#[divan::bench(args = SIZES, sample_count = 20, max_time = 5)]
fn failure_model(bencher: divan::Bencher, racks: usize) {
    let project = &prepared(racks).project;
    bencher.bench(|| {
        let p = divan::black_box(project);
        Failures::compute(p, &Universe::spof(p))
    });
}

/// The power chain alone: the load model (groups of devices on the same
/// feeds, normal loads) and the worst single failure of every feed and
/// source, what `rack-power` and `power-capacity` read.
#[divan::bench(args = SIZES, sample_count = 20, max_time = 5)]
fn power_model(bencher: divan::Bencher, racks: usize) {
    let project = &prepared(racks).project;
    bencher.bench(|| {
        let model = topo::analyze::power::PowerModel::new(divan::black_box(project));
        let worst = model.worst();
        let racks: usize = (0..project.racks.len())
            .map(|r| model.rack_feeds(topo::model::RackId(r as u32)).len())
            .sum();
        (worst.map(|w| w.len()), racks)
    });
}

/// The rack view as SVG, every rack.
#[divan::bench(args = SIZES, sample_count = 20, max_time = 5)]
fn render_rack(bencher: divan::Bencher, racks: usize) {
    let prepared = prepared(racks);
    bencher.bench(|| {
        topo::render::rack::svg(
            divan::black_box(&prepared.project),
            &prepared.diagnostics,
            None,
        )
    });
}

/// The system view as SVG.
#[divan::bench(args = SIZES, sample_count = 20, max_time = 5)]
fn render_system(bencher: divan::Bencher, racks: usize) {
    let prepared = prepared(racks);
    bencher.bench(|| {
        topo::render::system::svg(divan::black_box(&prepared.project), &prepared.diagnostics)
    });
}
