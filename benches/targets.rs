//! The performance targets: `topo check` as a library call (load, lower,
//! analyze, sort) on generated data centres of 100,000 and 1,000,000
//! devices, written with ranges and with one statement per server and per
//! server's cable (`topo::generate::Style`). Each input is generated once,
//! outside the timed part; each sample checks it from its text.
//!
//! ```text
//! cargo bench --bench targets                  # both sizes, both styles
//! cargo bench --bench targets -- 100000        # the 100k cases only
//! ```
//!
//! The million-device cases take seconds a sample and need several GB of
//! memory for the expanded style. Results and the machine: BENCHMARKS.md.

use std::fmt;
use topo::generate::{data_centre_in, racks_for_devices, Style};

/// The allocator of the `topo` binary, so the figures are the CLI's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

/// A target input: a number of devices and how the text is written.
#[derive(Clone, Copy)]
struct Input {
    devices: usize,
    style: Style,
}

impl fmt::Display for Input {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.devices, self.style.name())
    }
}

const INPUTS: [Input; 4] = [
    Input {
        devices: 100_000,
        style: Style::Ranges,
    },
    Input {
        devices: 100_000,
        style: Style::Expanded,
    },
    Input {
        devices: 1_000_000,
        style: Style::Ranges,
    },
    Input {
        devices: 1_000_000,
        style: Style::Expanded,
    },
];

/// `topo check` of the input's text, as the command line runs it.
#[divan::bench(args = INPUTS, sample_count = 5, max_time = 20)]
fn check(bencher: divan::Bencher, input: Input) {
    let text = data_centre_in(racks_for_devices(input.devices), input.style);
    bencher.bench(|| topo::check::check_sources(&[("dc.topo", divan::black_box(text.as_str()))]));
}

/// Parsing alone: the syntax tree of the input's text.
#[divan::bench(args = INPUTS, sample_count = 5, max_time = 20)]
fn parse(bencher: divan::Bencher, input: Input) {
    let text = data_centre_in(racks_for_devices(input.devices), input.style);
    bencher.bench(|| topo::syntax::parse(topo::source::FileId(0), divan::black_box(text.as_str())));
}
