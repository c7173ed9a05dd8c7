//! Human output: miette code frames with labeled spans.

use super::Summary;
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::SourceFile;
use crate::source::{Sources, Span};
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};
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

/// Lines longer than this are not drawn in a code frame.
const MAX_FRAME_LINE: usize = 400;

/// A file as miette reads it, using the file's line index so that drawing
/// a frame costs the lines shown, not the whole file.
struct FileSource(Arc<SourceFile>);

impl SourceCode for FileSource {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let file = &self.0;
        let text = file.text.as_bytes();
        let (start, end) = (span.offset(), span.offset() + span.len());
        if end > text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let first = file.line_index(start as u32);
        let last = file.line_index(end.saturating_sub(1).max(start) as u32);
        let from = first.saturating_sub(before);
        let to = (last + after).min(file.line_count() - 1);
        let data_start = if before == 0 {
            start
        } else {
            file.line_range(from).start
        };
        let data_end = if after == 0 {
            end.max(start)
        } else {
            file.line_range(to).end
        };
        let column = if before == 0 {
            file.text[file.line_range(first).start..start]
                .chars()
                .count()
        } else {
            0
        };
        Ok(Box::new(MietteSpanContents::new_named(
            file.name.clone(),
            &text[data_start..data_end],
            (data_start, data_end - data_start).into(),
            from,
            column,
            to + 1,
        )))
    }
}

/// A diagnostic with its source, in the shape miette draws.
struct Report {
    rule: &'static str,
    severity: miette::Severity,
    message: String,
    help: Option<String>,
    source: Option<FileSource>,
    labels: Vec<LabeledSpan>,
    related: Vec<Report>,
}

/// Whether the span's lines are short enough to draw.
fn drawable(file: &SourceFile, span: Span) -> bool {
    let first = file.line_index(span.start);
    let last = file.line_index(span.end);
    (first..=last).all(|l| file.line_range(l).len() <= MAX_FRAME_LINE)
}

impl Report {
    fn new(sources: &Sources, d: &Diagnostic) -> Report {
        let file = sources.get(d.span.file);
        if !drawable(file, d.span) {
            let (line, column) = file.line_col(d.span.start);
            let at = format!(
                "at {}:{line}:{column} (the line is too long to show)",
                file.name
            );
            return Report {
                rule: d.rule,
                severity: severity(d.severity),
                message: d.message.clone(),
                help: Some(match &d.help {
                    Some(h) => format!("{h}\n{at}"),
                    None => at,
                }),
                source: None,
                labels: Vec::new(),
                related: Vec::new(),
            };
        }
        let source = Some(FileSource(file.clone()));
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            d.label.clone(),
            source_span(d.span),
        )];
        let mut related = Vec::new();
        for r in &d.related {
            let other = sources.get(r.span.file);
            if !drawable(other, r.span) {
                continue;
            }
            if r.span.file == d.span.file {
                labels.push(LabeledSpan::new_with_span(
                    Some(r.message.clone()),
                    source_span(r.span),
                ));
            } else {
                related.push(Report {
                    rule: d.rule,
                    severity: miette::Severity::Advice,
                    message: r.message.clone(),
                    help: None,
                    source: Some(FileSource(other.clone())),
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
            severity: severity(d.severity),
            message: d.message.clone(),
            help: d.help.clone(),
            source,
            labels,
            related,
        }
    }
}

fn severity(s: Severity) -> miette::Severity {
    match s {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
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
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            return None;
        }
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
