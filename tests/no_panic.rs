//! Mutated examples never panic the checker: every mutation ends in a
//! result, with every diagnostic pointing inside its file.

use topo::check::check_sources;

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const FRAGMENTS: &[&str] = &[
    "{",
    "}",
    ";",
    "\n",
    "->",
    ":",
    "\"",
    "[1..3]",
    "[9..1]",
    ".",
    " x ",
    "U0",
    "at",
    "to",
    "on",
    "0U",
    "-1",
    "1e999",
    "9999999999999999999999",
    "bus",
    "upi",
    "pcie3 x8",
    "cpu0",
    "#",
    "\r\n",
    "\u{feff}",
    "é",
    "allow",
    "include \"x.topo\"",
    "model",
    "rack",
    "server",
    "flow",
    "%",
    "GbE",
];

fn mutate(rng: &mut Rng, text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(chars.len() + 1);
        match rng.below(3) {
            0 if !chars.is_empty() => {
                let end = (at + 1 + rng.below(20)).min(chars.len());
                chars.drain(at.min(end)..end);
            }
            1 => {
                let f = FRAGMENTS[rng.below(FRAGMENTS.len())];
                chars.splice(at..at, f.chars());
            }
            _ => {
                if let (Some(_), true) = (chars.get(at), !chars.is_empty()) {
                    let from = rng.below(chars.len());
                    let len = rng.below(30).min(chars.len() - from);
                    let piece: Vec<char> = chars[from..from + len].to_vec();
                    chars.splice(at..at, piece);
                }
            }
        }
    }
    chars.into_iter().collect()
}

#[test]
fn mutated_examples_never_panic() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples");
    let mut examples: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| {
            let path = e.unwrap().path();
            (path.extension()? == "topo").then(|| {
                (
                    path.file_name().unwrap().to_string_lossy().to_string(),
                    std::fs::read_to_string(&path).unwrap(),
                )
            })
        })
        .collect();
    examples.sort();
    let models = std::fs::read_to_string(format!("{dir}/models/dell.topo")).unwrap();
    let mut rng = Rng(0x5eed_7090);
    for round in 0..200 {
        for (name, text) in &examples {
            let mutated = mutate(&mut rng, text);
            let checked = check_sources(&[
                (name.as_str(), mutated.as_str()),
                ("models/dell.topo", models.as_str()),
            ]);
            for d in &checked.diagnostics {
                let len = checked.sources.get(d.span.file).text.len() as u32;
                assert!(
                    d.span.start <= d.span.end && d.span.end <= len,
                    "round {round} {name}: {d:?}"
                );
            }
            let _ = topo::report::human::render(
                &checked.sources,
                &checked.diagnostics,
                topo::report::human::Style::plain(),
            );
            let _ = topo::report::json::render(&checked.sources, &checked.diagnostics);
        }
    }
}
