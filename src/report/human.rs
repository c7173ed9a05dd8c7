//! Human output: miette code frames with labeled spans.

use super::Summary;
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::SourceFile;
use crate::source::{Sources, Span};
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};
use std::borrow::Cow;
use std::fmt;
use std::ops::Range;
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
        .with_context_lines(CONTEXT_LINES)
        .with_width(style.width)
        .with_links(false);
    let report = Report::new(sources, diagnostic);
    let mut out = String::new();
    // Rendering into a String cannot fail for a well-formed report.
    let _ = handler.render_report(&mut out, &report);
    out.push('\n');
    out
}

/// Lines longer than this are not drawn in a code frame.
const MAX_FRAME_LINE: usize = 400;
/// Lines drawn around a label; the handler is set to the same.
const CONTEXT_LINES: usize = 1;
/// Frames this many lines apart or closer are drawn as one, with the lines
/// between. miette merges two frames when the first's line plus its line
/// count reaches the second's line (the count serves nothing else), so the
/// count reported is the frame's lines plus this gap.
const MERGE_GAP: usize = 4;

/// A file as miette reads it, using the file's line index so that drawing
/// a frame costs the lines shown, not the whole file. The lines a report
/// can show are copied made inert (see `inert_source`) where they need it.
struct FileSource {
    file: Arc<SourceFile>,
    name: String,
    windows: Vec<Window>,
    /// Where the file starts among the files of one report (see `Sources`).
    base: usize,
}

/// A run of whole lines (byte range), with its inert copy if it differs.
struct Window {
    range: Range<usize>,
    inert: Option<String>,
}

/// What miette asks for when it reads `span` with context lines: the byte
/// range, the first and last line, and the column of the start.
struct Extent {
    data: Range<usize>,
    from: usize,
    to: usize,
    column: usize,
}

fn extent(file: &SourceFile, start: usize, end: usize, before: usize, after: usize) -> Extent {
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
    Extent {
        data: data_start..data_end,
        from,
        to,
        column,
    }
}

impl FileSource {
    /// The source for labels at `spans`. miette reads each label with its
    /// context and merges contexts up to MERGE_GAP lines apart, so the
    /// windows are the labels' context lines, merged the same way.
    fn new(file: &Arc<SourceFile>, spans: &[Span]) -> FileSource {
        let mut lines: Vec<(usize, usize)> = spans
            .iter()
            .map(|s| {
                let e = extent(
                    file,
                    s.start as usize,
                    s.end as usize,
                    CONTEXT_LINES,
                    CONTEXT_LINES,
                );
                (e.from, e.to)
            })
            .collect();
        lines.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::new();
        for (from, to) in lines {
            match merged.last_mut() {
                Some(last) if from <= last.1 + 1 + MERGE_GAP => last.1 = last.1.max(to),
                _ => merged.push((from, to)),
            }
        }
        let windows = merged
            .into_iter()
            .map(|(from, to)| {
                let range = file.line_range(from).start..file.line_range(to).end;
                let inert = match crate::text::inert_source(&file.text[range.clone()]) {
                    Cow::Borrowed(_) => None,
                    Cow::Owned(text) => Some(text),
                };
                Window { range, inert }
            })
            .collect();
        FileSource {
            file: file.clone(),
            name: crate::text::printable(&file.name).into_owned(),
            windows,
            base: 0,
        }
    }

    /// The bytes of `range` as shown: from an inert copy where one exists.
    fn shown(&self, range: Range<usize>) -> Option<&[u8]> {
        let window = self
            .windows
            .iter()
            .find(|w| w.range.start <= range.start && range.end <= w.range.end);
        match window.and_then(|w| w.inert.as_deref().map(|t| (w.range.start, t))) {
            Some((base, inert)) => Some(&inert.as_bytes()[range.start - base..range.end - base]),
            // Outside the windows (miette asked for more than expected),
            // the text is shown only if nothing in it needs escaping.
            None if window.is_none() => {
                let text = &self.file.text[range];
                matches!(crate::text::inert_source(text), Cow::Borrowed(_))
                    .then_some(text.as_bytes())
            }
            None => Some(&self.file.text.as_bytes()[range]),
        }
    }
}

impl FileSource {
    /// `span` is in the report's offsets: this file's start at `base`.
    fn read<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let file = &self.file;
        let start = span
            .offset()
            .checked_sub(self.base)
            .ok_or(MietteError::OutOfBounds)?;
        let end = start + span.len();
        if end > file.text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let e = extent(file, start, end, before, after);
        let data = self.shown(e.data.clone()).ok_or(MietteError::OutOfBounds)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            data,
            (self.base + e.data.start, e.data.len()).into(),
            e.from,
            e.column,
            e.to + 1 - e.from + MERGE_GAP,
        )))
    }
}

/// The files one report shows, one after the other in a single range of
/// offsets, so that a related location in another file is drawn as a
/// frame of the same finding (miette draws one source per report; a
/// frame never spans two files, since reading across them fails and
/// miette then keeps the frames apart).
struct ReportSources {
    files: Vec<FileSource>,
}

impl ReportSources {
    /// The files of `spans` (the primary's first) with each span's offset
    /// in the report's range.
    fn new(sources: &Sources, spans: &[Span]) -> (ReportSources, Vec<SourceSpan>) {
        let mut order: Vec<crate::source::FileId> = Vec::new();
        for s in spans {
            if !order.contains(&s.file) {
                order.push(s.file);
            }
        }
        let mut files = Vec::new();
        let mut base = 0;
        for id in &order {
            let file = sources.get(*id);
            let mine: Vec<Span> = spans.iter().filter(|s| s.file == *id).copied().collect();
            let mut source = FileSource::new(file, &mine);
            source.base = base;
            // One byte past the end keeps an empty span at the end of a
            // file apart from the next file's first.
            base += file.text.len() + 1;
            files.push(source);
        }
        let shifted = spans
            .iter()
            .map(|s| {
                let at = order.iter().position(|f| *f == s.file).unwrap_or(0);
                SourceSpan::new((files[at].base + s.start as usize).into(), s.len())
            })
            .collect();
        (ReportSources { files }, shifted)
    }
}

impl SourceCode for ReportSources {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let file = self
            .files
            .iter()
            .rev()
            .find(|f| f.base <= span.offset())
            .ok_or(MietteError::OutOfBounds)?;
        file.read(span, before, after)
    }
}

/// A diagnostic with its source, in the shape miette draws.
struct Report {
    rule: &'static str,
    severity: miette::Severity,
    message: String,
    help: Option<String>,
    source: Option<ReportSources>,
    labels: Vec<LabeledSpan>,
}

/// Whether the span's lines are short enough to draw.
fn drawable(file: &SourceFile, span: Span) -> bool {
    let first = file.line_index(span.start);
    let last = file.line_index(span.end);
    (first..=last).all(|l| file.line_range(l).len() <= MAX_FRAME_LINE)
}

/// Text from a diagnostic, made safe to print (see `text::printable`).
fn inert(text: &str) -> String {
    crate::text::printable(text).into_owned()
}

impl Report {
    fn new(sources: &Sources, d: &Diagnostic) -> Report {
        let file = sources.get(d.span.file);
        let message = inert(&d.message);
        let help = d.help.as_deref().map(inert);
        if !drawable(file, d.span) {
            let (line, column) = file.line_col(d.span.start);
            let at = format!(
                "at {}:{line}:{column} (the line is too long to show)",
                inert(&file.name)
            );
            return Report {
                rule: d.rule,
                severity: severity(d.severity),
                message,
                help: Some(match help {
                    Some(h) => format!("{h}\n{at}"),
                    None => at,
                }),
                source: None,
                labels: Vec::new(),
            };
        }
        let mut spans = vec![d.span];
        let mut texts = vec![d.label.as_deref().map(inert)];
        for r in &d.related {
            if drawable(sources.get(r.span.file), r.span) {
                spans.push(r.span);
                texts.push(Some(inert(&r.message)));
            }
        }
        let (source, shifted) = ReportSources::new(sources, &spans);
        let labels = shifted
            .into_iter()
            .zip(texts)
            .enumerate()
            .map(|(i, (span, text))| match i {
                0 => LabeledSpan::new_primary_with_span(text, span),
                _ => LabeledSpan::new_with_span(text, span),
            })
            .collect();
        Report {
            rule: d.rule,
            severity: severity(d.severity),
            message,
            help,
            source: Some(source),
            labels,
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
}
