//! Human output: miette code frames with labeled spans.

use super::Summary;
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{Sources, Span};
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan};
use std::fmt;
use std::sync::Arc;

/// How to draw: colours for a terminal, plain for files and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub color: bool,
    pub width: usize,
}

impl Style {
    pub fn plain() -> Style {
        Style {
            color: false,
            width: 100,
        }
    }
}

/// Renders every diagnostic followed by the summary line.
pub fn render(sources: &Sources, diagnostics: &[Diagnostic], style: Style) -> String {
    let mut out = String::new();
    for d in diagnostics {
        out.push_str(&render_one(sources, d, style));
    }
    let files = sources.len();
    out.push_str(&format!(
        "{} in {}\n",
        Summary::of(diagnostics),
        if files == 1 {
            "1 file".to_string()
        } else {
            format!("{files} files")
        }
    ));
    out
}

pub fn render_one(sources: &Sources, diagnostic: &Diagnostic, style: Style) -> String {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false);
    let report = Report::new(sources, diagnostic);
    let mut out = String::new();
    // Rendering into a String cannot fail for a well-formed report.
    let _ = handler.render_report(&mut out, &report);
    out.push('\n');
    out
}

fn source_span(span: Span) -> SourceSpan {
    SourceSpan::new((span.start as usize).into(), span.len())
}

/// A diagnostic with its source, in the shape miette draws.
struct Report {
    rule: &'static str,
    severity: miette::Severity,
    message: String,
    help: Option<String>,
    source: NamedSource<Arc<str>>,
    labels: Vec<LabeledSpan>,
    related: Vec<Report>,
}

impl Report {
    fn new(sources: &Sources, d: &Diagnostic) -> Report {
        let file = sources.get(d.span.file);
        let source = NamedSource::new(file.name.clone(), file.text.clone()).with_language("topo");
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            Some(d.label.clone().unwrap_or_else(|| d.message.clone())),
            source_span(d.span),
        )];
        let mut related = Vec::new();
        for r in &d.related {
            if r.span.file == d.span.file {
                labels.push(LabeledSpan::new_with_span(
                    Some(r.message.clone()),
                    source_span(r.span),
                ));
            } else {
                let other = sources.get(r.span.file);
                related.push(Report {
                    rule: d.rule,
                    severity: miette::Severity::Advice,
                    message: r.message.clone(),
                    help: None,
                    source: NamedSource::new(other.name.clone(), other.text.clone())
                        .with_language("topo"),
                    labels: vec![LabeledSpan::new_primary_with_span(
                        Some(r.message.clone()),
                        source_span(r.span),
                    )],
                    related: Vec::new(),
                });
            }
        }
        Report {
            rule: d.rule,
            severity: match d.severity {
                Severity::Error => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
                Severity::Info => miette::Severity::Advice,
            },
            message: d.message.clone(),
            help: d.help.clone(),
            source,
            labels,
            related,
        }
    }
}

impl fmt::Debug for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Report {}

impl miette::Diagnostic for Report {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.rule))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(
            self.related.iter().map(|r| r as &dyn miette::Diagnostic),
        ))
    }
}
