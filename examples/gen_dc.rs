//! Writes a generated, healthy data centre (see `topo::generate`).
//!
//! ```text
//! cargo run --release --example gen_dc -- --racks N [-o OUT]
//! ```
//!
//! The text goes to stdout unless `-o` names a file.

use std::io::Write;
use std::process::ExitCode;

const USAGE: &str = "usage: gen_dc --racks N [-o OUT]   (N >= 2)";

fn usage(problem: &str) -> ExitCode {
    eprintln!("gen_dc: {problem}\n{USAGE}");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let mut racks: Option<usize> = None;
    let mut output: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--racks" | "-n" => {
                let Some(value) = args.next() else {
                    return usage("--racks needs a number");
                };
                match value.parse::<usize>() {
                    Ok(n) if n >= 2 => racks = Some(n),
                    _ => return usage(&format!("bad number of racks `{value}`")),
                }
            }
            "-o" | "--output" => {
                let Some(value) = args.next() else {
                    return usage("-o needs a file name");
                };
                output = Some(value);
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other => return usage(&format!("unexpected argument `{other}`")),
        }
    }
    let Some(racks) = racks else {
        return usage("--racks is required");
    };
    let text = topo::generate::data_centre(racks);
    let written = match &output {
        Some(path) => std::fs::write(path, &text),
        None => std::io::stdout().lock().write_all(text.as_bytes()),
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!(
                "gen_dc: cannot write {}: {e}",
                output.as_deref().unwrap_or("stdout")
            );
            ExitCode::FAILURE
        }
    }
}
