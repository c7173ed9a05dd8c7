//! A finding: the one data type that parsing, lowering and the analyzers
//! produce and that every report format reads.

use crate::source::Span;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        })
    }
}

/// A secondary location with its own note.
#[derive(Debug, Clone, PartialEq)]
pub struct Related {
    pub span: Span,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    pub span: Span,
    /// Text under the primary caret; the message is used when absent.
    pub label: Option<String>,
    pub related: Vec<Related>,
    pub help: Option<String>,
    /// The element the finding is about (`r1`, `web1.nic0`), for tools
    /// that key findings by element rather than by line.
    pub subject: Option<String>,
    /// The figures the finding compared, for tools: numbers in SI base
    /// units (W, VA, kg, B/s, rps, s, B), names as strings or lists of
    /// strings, `null` for a figure the project does not state. Keyed in
    /// sorted order so every report prints it the same way on every run;
    /// empty for a finding with no figures (language errors).
    pub data: BTreeMap<&'static str, serde_json::Value>,
    /// Edits that would each fix the finding on their own (a did-you-mean,
    /// a missing unit), for editors' quick fixes. Empty for most findings.
    pub fixes: Vec<Fix>,
}

/// One way to fix a finding: replace the text of `span` by `text` (an
/// empty span inserts).
#[derive(Debug, Clone, PartialEq)]
pub struct Fix {
    pub span: Span,
    pub text: String,
}

impl Diagnostic {
    pub fn new(
        rule: &'static str,
        severity: Severity,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            rule,
            severity,
            message: message.into(),
            span,
            label: None,
            related: Vec::new(),
            help: None,
            subject: None,
            data: BTreeMap::new(),
            fixes: Vec::new(),
        }
    }

    pub fn error(rule: &'static str, span: Span, message: impl Into<String>) -> Self {
        Diagnostic::new(rule, Severity::Error, span, message)
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn with_related(mut self, span: Span, message: impl Into<String>) -> Self {
        self.related.push(Related {
            span,
            message: message.into(),
        });
        self
    }

    pub fn with_subject(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into());
        self
    }

    /// Adds one figure to [`Diagnostic::data`]; a second value for the same
    /// key replaces the first.
    pub fn with_data(mut self, key: &'static str, value: impl Into<serde_json::Value>) -> Self {
        self.data.insert(key, tidy(value.into()));
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds "did you mean `x`?" when there is a suggestion, and the fix
    /// that writes `x` over the finding's span.
    pub fn with_suggestion(self, suggestion: Option<&str>) -> Self {
        match suggestion {
            Some(s) => {
                let span = self.span;
                self.with_help(format!("did you mean `{}`?", crate::text::echo(s)))
                    .with_fix(span, s)
            }
            None => self,
        }
    }

    pub fn with_fix(mut self, span: Span, text: impl Into<String>) -> Self {
        self.fixes.push(Fix {
            span,
            text: text.into(),
        });
        self
    }
}

/// A figure as `data` gives it: rounded to 12 significant digits, so that
/// the noise of adding up binary fractions (5491.199999999999 for 26.4 A at
/// 208 V) does not reach tools; far below any precision a topology states.
/// A figure that is not finite is `null` (serde_json's own rule).
fn tidy(value: serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Number(n) if n.is_f64() => {
            let v = n.as_f64().unwrap_or(f64::NAN);
            let rounded: f64 = format!("{v:.11e}").parse().unwrap_or(v);
            serde_json::Value::from(rounded)
        }
        other => other,
    }
}

/// A count with thousands separators: `10,000,000,000`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Language rules: the ones lowering reports, before any analyzer runs.
pub mod rule {
    pub const SYNTAX: &str = "syntax";
    pub const UNKNOWN_NAME: &str = "unknown-name";
    pub const DUPLICATE_NAME: &str = "duplicate-name";
    pub const UNIT_MISMATCH: &str = "unit-mismatch";
    pub const INVALID_VALUE: &str = "invalid-value";
}

/// Sorts into the order reports print: by file, position, rule, message.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (a.span.file, a.span.start, a.span.end, a.rule, &a.message).cmp(&(
            b.span.file,
            b.span.start,
            b.span.end,
            b.rule,
            &b.message,
        ))
    });
}

/// Words people write for a word of the language that spells differently:
/// a guess must keep their meaning. `active-pasive` means a standby, so
/// the guess is `active-standby`, never the `active-active` its letters
/// are closer to.
const SYNONYMS: [(&str, &str); 7] = [
    ("passive", "standby"),
    ("secondary", "standby"),
    ("slave", "standby"),
    ("backup", "standby"),
    ("replica", "standby"),
    ("primary", "active"),
    ("master", "active"),
];

/// The word each `-`-separated part of `word` means, where a part is (or
/// is one slip from) a synonym that is no word of `vocabulary` itself:
/// `active-pasive` → `active-standby`; among site roles `primari` stays.
fn meant(word: &str, vocabulary: &[&str]) -> Option<String> {
    let mut changed = false;
    let own = |said: &str| vocabulary.iter().any(|w| w.split('-').any(|p| p == said));
    let parts: Vec<&str> = word
        .split('-')
        .map(|part| {
            let found = SYNONYMS.iter().find(|(said, _)| {
                !own(said)
                    && (part == *said
                        || (part.len() >= 5 && strsim::damerau_levenshtein(part, said) <= 1))
            });
            match found {
                Some((_, means)) => {
                    changed = true;
                    *means
                }
                None => part,
            }
        })
        .collect();
    changed.then(|| parts.join("-"))
}

/// The closest candidate to `word`, if any is close enough to be a useful
/// guess and means what `word` means (see `SYNONYMS`).
pub fn closest<'a, I>(word: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let candidates: Vec<&'a str> = candidates.into_iter().collect();
    let meaning = meant(word, &candidates);
    let mut best: Option<(f64, &'a str)> = None;
    for candidate in candidates {
        if let Some(m) = &meaning {
            if candidate == m {
                return Some(candidate);
            }
            // A guess that drops the meaning a synonym carries is wrong,
            // however close its letters.
            let kept = m.split('-').all(|part| {
                !SYNONYMS.iter().any(|(_, means)| *means == part) || candidate.contains(part)
            });
            if !kept {
                continue;
            }
        }
        let score = strsim::jaro_winkler(word, candidate);
        let edits = strsim::damerau_levenshtein(word, candidate);
        let close = score >= 0.8 || edits <= (word.len().max(candidate.len()) / 3).max(1);
        if !close {
            continue;
        }
        if best.is_none_or(|(s, c)| score > s || (score == s && candidate < c)) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guesses_keep_the_meaning_of_synonyms() {
        let modes = ["active-standby", "active-active", "quorum"];
        assert_eq!(closest("active-pasive", modes), Some("active-standby"));
        assert_eq!(closest("active-passive", modes), Some("active-standby"));
        assert_eq!(closest("primary-backup", modes), Some("active-standby"));
        assert_eq!(closest("active-activ", modes), Some("active-active"));
        // Only the opposite is close: no guess at all.
        assert_eq!(closest("active-pasive", ["active-active", "quorum"]), None);
        let roles = ["primary", "dr", "edge"];
        assert_eq!(closest("primari", roles), Some("primary"));
    }

    #[test]
    fn closest_finds_typos() {
        let words = ["height", "feeds", "max-weight", "weight", "site"];
        assert_eq!(closest("hieght", words), Some("height"));
        assert_eq!(closest("feed", words), Some("feeds"));
        assert_eq!(closest("max_weight", words), Some("max-weight"));
        assert_eq!(closest("zzzzzz", words), None);
    }

    #[test]
    fn thousands_separates_groups_of_three() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(2_000_000), "2,000,000");
        assert_eq!(thousands(10_000_000_000), "10,000,000,000");
        assert_eq!(thousands(u64::MAX), "18,446,744,073,709,551,615");
    }

    #[test]
    fn data_figures_drop_float_noise_and_keep_counts() {
        let d = Diagnostic::error("x", Span::default(), "m")
            .with_data("load", 0.1 + 0.2)
            .with_data("percent", 87.999_999_999_999_97)
            .with_data("count", 3usize)
            .with_data("huge", 1.0e300)
            .with_data("nan", f64::NAN)
            .with_data("rto", None::<f64>);
        let text = serde_json::to_string(&d.data).unwrap();
        assert_eq!(
            text,
            r#"{"count":3,"huge":1e+300,"load":0.3,"nan":null,"percent":88.0,"rto":null}"#
        );
    }
}
