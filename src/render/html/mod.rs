//! `topo render FILE --format html`: one self-contained page with every
//! view inline (SVG), the findings beside them, and links both ways —
//! click a finding and the element it is about is highlighted in the view
//! that draws it; click an element and its findings are picked out. The
//! page makes no network request: its CSS and script are inline, and the
//! views link findings to elements through the `data-element` attribute
//! every drawn element carries. `topo serve` serves the same page with
//! `live` set, which adds the Server-Sent Events client that redraws it in
//! place after each save.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::DeviceKind;
use crate::model::Project;
use crate::render::{bus, escape, network, rack, system};
use crate::source::Sources;
use std::fmt::Write;

/// The views of a project that have something to draw, in the order of
/// the tabs: the system where there are services or clients, racks where
/// there are racks, the network
/// where there are links or network devices, buses where a device or
/// model has parts.
pub fn views(p: &Project, diagnostics: &[Diagnostic]) -> Vec<View> {
    let mut out = Vec::new();
    if !p.services.is_empty() || !p.clients.is_empty() {
        out.push(View {
            id: "system",
            title: "System".into(),
            svg: system::svg(p, diagnostics),
        });
    }
    if !p.racks.is_empty() {
        out.push(View {
            id: "rack",
            title: "Racks".into(),
            svg: rack::svg(p, diagnostics, None),
        });
    }
    let fabric = !p.links.is_empty()
        || p.devices.iter().any(|d| {
            matches!(
                d.kind,
                DeviceKind::Switch | DeviceKind::Router | DeviceKind::Firewall
            )
        });
    if fabric {
        out.push(View {
            id: "network",
            title: "Network".into(),
            svg: network::svg(p, diagnostics),
        });
    }
    let parts = p.devices.iter().any(|d| !d.internals.parts.is_empty())
        || p.models.iter().any(|m| !m.internals.parts.is_empty());
    if parts {
        out.push(View {
            id: "bus",
            title: "Buses".into(),
            svg: bus::svg(p, diagnostics, None),
        });
    }
    if out.is_empty() {
        // An empty project still gets a page: the system view's own note.
        out.push(View {
            id: "system",
            title: "System".into(),
            svg: system::svg(p, diagnostics),
        });
    }
    out
}

/// One tab of the page.
#[derive(Clone)]
pub struct View {
    /// A stable identifier (`system`, `rack`, …), also the tab's anchor.
    pub id: &'static str,
    pub title: String,
    /// A complete SVG document as the view's renderer returns it.
    pub svg: String,
}

/// What the page is of and how it is served.
pub struct Page<'a> {
    /// Shown in the title and the header: the project's file or directory.
    pub title: &'a str,
    pub sources: &'a Sources,
    pub diagnostics: &'a [Diagnostic],
    pub views: Vec<View>,
    /// Served by `topo serve`: listen for changes on `/events`.
    pub live: bool,
    /// A problem that kept the project from being drawn afresh (a syntax
    /// error while serving): shown above the last good views.
    pub problem: Option<String>,
}

const CSS: &str = include_str!("page.css");
const SCRIPT: &str = include_str!("page.js");
const LIVE_SCRIPT: &str = include_str!("live.js");

impl Page<'_> {
    pub fn render(&self) -> String {
        let mut out = String::with_capacity(
            self.views.iter().map(|v| v.svg.len()).sum::<usize>() + 16 * 1024,
        );
        let title = escape(self.title);
        let _ = write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>topo: {title}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n"
        );
        let _ = writeln!(
            out,
            "<header><h1>{title}</h1><p class=\"summary\">{}</p></header>",
            summary(self.diagnostics)
        );
        out.push_str("<div id=\"content\">\n");
        self.content(&mut out);
        out.push_str("</div>\n");
        let _ = writeln!(out, "<script>\n{SCRIPT}</script>");
        if self.live {
            let _ = writeln!(out, "<script>\n{LIVE_SCRIPT}</script>");
        }
        out.push_str("</body>\n</html>\n");
        out
    }

    /// What a live page replaces after a change: the problem, the tabs,
    /// the views and the findings.
    fn content(&self, out: &mut String) {
        if let Some(problem) = &self.problem {
            let _ = writeln!(
                out,
                "<pre id=\"problem\" role=\"alert\">{}</pre>",
                escape(problem)
            );
        }
        out.push_str("<main>\n<nav id=\"tabs\" role=\"tablist\">\n");
        for (i, v) in self.views.iter().enumerate() {
            let _ = writeln!(
                out,
                "<button role=\"tab\" data-view=\"{id}\" aria-selected=\"{sel}\">{}</button>",
                escape(&v.title),
                id = v.id,
                sel = i == 0
            );
        }
        out.push_str(
            "<span class=\"zoom\"><button data-zoom=\"in\" title=\"zoom in\">+</button>\
             <button data-zoom=\"out\" title=\"zoom out\">−</button>\
             <button data-zoom=\"reset\" title=\"fit\">fit</button></span>\n</nav>\n",
        );
        for (i, v) in self.views.iter().enumerate() {
            let _ = writeln!(
                out,
                "<section class=\"view\" id=\"view-{id}\" data-view=\"{id}\"{hidden}>\n\
                 <div class=\"viewport\"><div class=\"canvas\">{}</div></div>\n</section>",
                inline_svg(&v.svg),
                id = v.id,
                hidden = if i == 0 { "" } else { " hidden" }
            );
        }
        out.push_str("</main>\n");
        out.push_str(&findings(self.sources, self.diagnostics));
    }
}

/// "2 errors, 1 warning, 0 infos".
fn summary(diagnostics: &[Diagnostic]) -> String {
    let count = |s: Severity| diagnostics.iter().filter(|d| d.severity == s).count();
    let word = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    format!(
        "{}, {}, {}",
        word(count(Severity::Error), "error", "errors"),
        word(count(Severity::Warning), "warning", "warnings"),
        word(count(Severity::Info), "info", "infos")
    )
}

/// An SVG document as an element of the page: the XML declaration, if
/// any, dropped.
fn inline_svg(svg: &str) -> &str {
    match svg.find("<svg") {
        Some(i) => svg[i..].trim_end(),
        None => svg.trim_end(),
    }
}

/// The findings as a list; each item names its element so the script can
/// find it in the views.
fn findings(sources: &Sources, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::from("<aside id=\"findings\">\n<h2>Findings</h2>\n");
    if diagnostics.is_empty() {
        out.push_str("<p class=\"none\">No findings.</p>\n</aside>\n");
        return out;
    }
    out.push_str("<ol>\n");
    for (i, d) in diagnostics.iter().enumerate() {
        let file = sources.get(d.span.file);
        let (line, column) = file.line_col(d.span.start);
        // A part's finding names the part (the bus view draws it) and its
        // device (the views that draw only the device).
        let element = d
            .subject
            .as_deref()
            .map(|s| {
                let mut attrs = format!(" data-element=\"{}\"", escape(s));
                if let Some((owner, _)) = s.split_once('.') {
                    attrs.push_str(&format!(" data-owner=\"{}\"", escape(owner)));
                }
                attrs
            })
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "<li id=\"finding-{i}\" class=\"finding {sev}\" data-severity=\"{sev}\" data-rule=\"{rule}\"{element} tabindex=\"0\">\
             <span class=\"mark\" aria-label=\"{sev}\"></span>\
             <span class=\"rule\">{rule}</span> \
             <span class=\"where\">{}:{line}:{column}</span>\
             <span class=\"message\">{}</span></li>",
            escape(&file.name),
            escape(&d.message),
            sev = d.severity,
            rule = d.rule,
        );
    }
    out.push_str("</ol>\n</aside>\n");
    out
}

#[cfg(test)]
mod tests;
