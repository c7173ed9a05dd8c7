use std::process::ExitCode;

// The pipeline makes many small allocations; mimalloc keeps them fast and the
// heap unfragmented (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        let files: Vec<String> = std::env::args()
            .skip(2)
            .filter(|a| !a.starts_with('-'))
            .collect();
        eprintln!(
            "topo: internal error, please report it with the input ({}): {info}",
            files.join(", ")
        );
        std::process::exit(2);
    }));
    topo::cli::run()
}
