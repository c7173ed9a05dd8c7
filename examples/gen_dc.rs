//! Writes a generated, healthy data centre (see `topo::generate`).
//!
//! ```text
//! cargo run --release --example gen_dc -- (--racks N | --devices N) [--style ranges|expanded] [-o OUT]
//! ```
//!
//! `--devices N` takes the fewest racks that hold N devices (40 per rack
//! and 4 spines: 100,000 devices are 2,500 racks, 1,000,000 are 25,000).
//! `--style expanded` writes one statement per server and per server's
//! cable instead of a range per rack. The text goes to stdout unless `-o`
//! names a file.

use std::io::Write;
use std::process::ExitCode;

const USAGE: &str =
    "usage: gen_dc (--racks N | --devices N) [--style ranges|expanded] [-o OUT]   (racks >= 2)";

fn usage(problem: &str) -> ExitCode {
    eprintln!("gen_dc: {problem}\n{USAGE}");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let mut racks: Option<usize> = None;
    let mut output: Option<String> = None;
    let mut style = topo::generate::Style::Ranges;
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
            "--devices" => {
                let Some(value) = args.next() else {
                    return usage("--devices needs a number");
                };
                match value.parse::<usize>() {
                    Ok(n) => racks = Some(topo::generate::racks_for_devices(n)),
                    _ => return usage(&format!("bad number of devices `{value}`")),
                }
            }
            "--style" => {
                let Some(value) = args.next() else {
                    return usage("--style needs ranges or expanded");
                };
                match topo::generate::Style::from_name(&value) {
                    Some(s) => style = s,
                    None => return usage(&format!("unknown style `{value}`")),
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
    let text = topo::generate::data_centre_in(racks, style);
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
