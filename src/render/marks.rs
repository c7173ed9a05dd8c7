//! What the findings say about each drawn element, so every view colours
//! from the same findings `check` reports (after `allow`, `topo.toml` and
//! severity flags) and marks the element a finding is about: its highest
//! severity, its rules and their messages.
//!
//! Severities differ in colour *and* in the shape of their marker (an
//! octagon for an error, a triangle for a warning, a circle for an info),
//! so a reader who cannot tell red from orange still can.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Element, Project};
use crate::render::{dot_string, escape, n, text_width, FONT, INK, MUTED};
use std::collections::BTreeMap;

/// The findings about one element.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    /// The highest severity among them.
    pub severity: Severity,
    /// Their rules, each once, in the order first reported.
    pub rules: Vec<&'static str>,
    /// "rule: message", one per finding, in report order.
    pub lines: Vec<String>,
}

/// The marks of every element some finding is about.
#[derive(Debug, Clone, Default)]
pub struct Marks {
    by_element: BTreeMap<Element, Mark>,
    /// The same findings by their subject as written (`web1.nic0`), for
    /// views that draw parts, which are no elements of their own.
    by_subject: BTreeMap<String, Mark>,
}

/// Adds one finding to the mark of what it is about.
fn add<K: Ord>(map: &mut BTreeMap<K, Mark>, key: K, d: &Diagnostic) {
    let line = format!("{}: {}", d.rule, d.message);
    match map.get_mut(&key) {
        Some(m) => {
            if rank(d.severity) < rank(m.severity) {
                m.severity = d.severity;
            }
            if !m.rules.contains(&d.rule) {
                m.rules.push(d.rule);
            }
            m.lines.push(line);
        }
        None => {
            map.insert(
                key,
                Mark {
                    severity: d.severity,
                    rules: vec![d.rule],
                    lines: vec![line],
                },
            );
        }
    }
}

/// Most severe first, so the lowest rank wins.
pub fn rank(s: Severity) -> u8 {
    match s {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    }
}

impl Marks {
    /// From the findings as reported. A finding about a part (`web1.nic0`)
    /// marks its device; one about no declared element marks nothing.
    pub fn new(p: &Project, diagnostics: &[Diagnostic]) -> Marks {
        let mut by_element: BTreeMap<Element, Mark> = BTreeMap::new();
        let mut by_subject: BTreeMap<String, Mark> = BTreeMap::new();
        for d in diagnostics {
            let Some(subject) = d.subject.as_deref() else {
                continue;
            };
            add(&mut by_subject, subject.to_string(), d);
            let element = p.element(subject).or_else(|| {
                let (device, _) = subject.split_once('.')?;
                p.element(device)
            });
            let Some(element) = element else { continue };
            add(&mut by_element, element, d);
        }
        Marks {
            by_element,
            by_subject,
        }
    }

    pub fn get(&self, e: Element) -> Option<&Mark> {
        self.by_element.get(&e)
    }

    pub fn severity(&self, e: Element) -> Option<Severity> {
        self.get(e).map(|m| m.severity)
    }

    /// The findings whose subject is exactly `subject` (a part:
    /// `web1.nic0`, `model r650.nic0`'s `r650.nic0`).
    pub fn subject(&self, subject: &str) -> Option<&Mark> {
        self.by_subject.get(subject)
    }

    /// [`Marks::attributes`] for a drawn thing named by its subject (a
    /// part), which is no element of its own.
    pub fn subject_attributes(&self, subject: &str) -> String {
        let mut out = format!(" data-element=\"{}\"", escape(subject));
        if let Some(m) = self.subject(subject) {
            out.push_str(&format!(
                " data-severity=\"{}\" data-rules=\"{}\"",
                m.severity,
                escape(&m.rules.join(" "))
            ));
        }
        out
    }

    /// [`Marks::title`] for a drawn thing named by its subject, `what`
    /// saying what it is ("nic web1.nic0").
    pub fn subject_title(&self, what: &str, subject: &str) -> String {
        let mut text = what.to_string();
        if let Some(m) = self.subject(subject) {
            for line in &m.lines {
                text.push('\n');
                text.push_str(line);
            }
        }
        format!("<title>{}</title>", escape(&text))
    }

    /// Every marked element with its mark, in element order.
    pub fn iter(&self) -> impl Iterator<Item = (Element, &Mark)> {
        self.by_element.iter().map(|(e, m)| (*e, m))
    }

    /// The attributes of an element's SVG group: ` data-element="NAME"`,
    /// and where findings concern it ` data-severity="…" data-rules="…"`.
    pub fn attributes(&self, p: &Project, e: Element) -> String {
        let mut out = format!(" data-element=\"{}\"", escape(p.name_of(e)));
        if let Some(m) = self.get(e) {
            out.push_str(&format!(
                " data-severity=\"{}\" data-rules=\"{}\"",
                m.severity,
                escape(&m.rules.join(" "))
            ));
        }
        out
    }

    /// The `<title>` of an element's group: its kind and name, then each
    /// finding about it on its own line.
    pub fn title(&self, p: &Project, e: Element) -> String {
        let mut text = format!("{} {}", p.kind_of(e), p.name_of(e));
        if let Some(m) = self.get(e) {
            for line in &m.lines {
                text.push('\n');
                text.push_str(line);
            }
        }
        format!("<title>{}</title>", escape(&text))
    }

    /// The DOT attributes of an element's node (`sep` ", ") or cluster
    /// (`sep` "; "), each after `sep`: its severity's colour with a
    /// heavier outline, and a tooltip of its kind, name and findings
    /// (Graphviz puts it into SVG and HTML output). Empty for an element
    /// no finding concerns, so it stays plain.
    pub fn dot_attributes(&self, p: &Project, e: Element, penwidth: f64, sep: &str) -> String {
        let Some(m) = self.get(e) else {
            return String::new();
        };
        let mut tip = format!("{} {}", p.kind_of(e), p.name_of(e));
        for line in &m.lines {
            tip.push('\n');
            tip.push_str(line);
        }
        format!(
            "{sep}color=\"{}\"{sep}penwidth={penwidth}{sep}tooltip={}",
            colour(m.severity),
            dot_string(&tip)
        )
    }
}

/// A DOT note saying what the outline colours mean, for a view that draws
/// findings: "error", "warning", "info", each in its colour on a line of
/// its own (Graphviz's text widths differ from the renderer's, so words
/// sharing a line can collide). A statement on its own line.
pub fn dot_legend() -> String {
    let words = [Severity::Error, Severity::Warning, Severity::Info]
        .map(|s| format!("<FONT COLOR=\"{}\">{s}</FONT>", colour(s)))
        .join("<BR/>");
    format!(
        "  legend [shape=note, style=filled, fillcolor=\"#ffffff\", color=\"#9aa5b1\", penwidth=1, fontsize=10, tooltip=\"what the outline colours mean\", label=<<B>findings</B><BR/>{words}<BR/><FONT COLOR=\"{MUTED}\">outline: the worst one<BR/>tooltip: each one</FONT>>];\n"
    )
}

/// The colour of a severity (Okabe–Ito vermilion, orange and blue: told
/// apart by most colour-blind readers too).
pub fn colour(s: Severity) -> &'static str {
    match s {
        Severity::Error => "#d55e00",
        Severity::Warning => "#e69f00",
        Severity::Info => "#0072b2",
    }
}

/// The word a legend uses for a severity's marker.
pub fn shape_name(s: Severity) -> &'static str {
    match s {
        Severity::Error => "octagon",
        Severity::Warning => "triangle",
        Severity::Info => "circle",
    }
}

/// The severity part of a view's legend, its left end at `x` and its text
/// baseline at `y`: each marker with what it means. Returns the markup and
/// the width it takes.
pub fn legend(x: f64, y: f64) -> (String, f64) {
    let mut out = String::new();
    let mut cx = x;
    for (s, text) in [
        (Severity::Error, "error"),
        (Severity::Warning, "warning"),
        (Severity::Info, "info"),
    ] {
        out.push_str(&marker(s, cx + 7.0, y - 4.0, 13.0));
        let label = format!("{text} ({})", shape_name(s));
        out.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" style=\"font-size:11px;text-anchor:start;fill:{INK}\">{}</text>\n",
            n(cx + 18.0),
            n(y),
            escape(&label)
        ));
        cx += 18.0 + text_width(&label, 11.0) + 14.0;
    }
    let tail = "a finding about the element (its tooltip names the rule)";
    out.push_str(&format!(
        "<text x=\"{}\" y=\"{}\" style=\"font-size:11px;text-anchor:start;fill:{MUTED}\">{}</text>\n",
        n(cx),
        n(y),
        escape(tail)
    ));
    cx += text_width(tail, 11.0);
    (out, cx - x)
}

/// A severity's marker, `size` wide, centred on (`x`, `y`): an octagon
/// with `×`, a triangle with `!`, a circle with `i`.
pub fn marker(s: Severity, x: f64, y: f64, size: f64) -> String {
    let r = size / 2.0;
    let fill = colour(s);
    let (shape, glyph) = match s {
        Severity::Error => {
            let k = r * 0.4142;
            let points = [
                (-k, -r),
                (k, -r),
                (r, -k),
                (r, k),
                (k, r),
                (-k, r),
                (-r, k),
                (-r, -k),
            ]
            .iter()
            .map(|(dx, dy)| format!("{},{}", n(x + dx), n(y + dy)))
            .collect::<Vec<_>>()
            .join(" ");
            (
                format!("<polygon points=\"{points}\" fill=\"{fill}\"/>"),
                "×",
            )
        }
        Severity::Warning => {
            let points = format!(
                "{},{} {},{} {},{}",
                n(x),
                n(y - r),
                n(x + r),
                n(y + r * 0.8),
                n(x - r),
                n(y + r * 0.8)
            );
            (
                format!("<polygon points=\"{points}\" fill=\"{fill}\"/>"),
                "!",
            )
        }
        Severity::Info => (
            format!(
                "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{fill}\"/>",
                n(x),
                n(y),
                n(r)
            ),
            "i",
        ),
    };
    format!(
        "<g class=\"marker marker-{s}\">{shape}<text x=\"{}\" y=\"{}\" font-family=\"{FONT}\" font-size=\"{}\" font-weight=\"bold\" text-anchor=\"middle\" fill=\"#ffffff\">{glyph}</text></g>",
        n(x),
        n(y + r * 0.4),
        n(size * 0.7)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::check_sources;

    const TEXT: &str = "\
site dc {}
rack r1 { site dc; height 3U }
server a { rack r1 at U1; size 2U }
server b { rack r1 at U3; size 2U }
server c { rack r1 at U3; size 1U }
";

    #[test]
    fn an_element_takes_its_highest_severity_and_every_rule_once() {
        let checked = check_sources(&[("t.topo", TEXT)]);
        let p = &checked.project;
        let marks = Marks::new(p, &checked.diagnostics);
        // b reaches above the rack; c overlaps b: each marks its subject.
        let b = p.element("b").unwrap();
        let m = marks.get(b).expect("b is marked");
        assert_eq!(m.severity, Severity::Error);
        assert_eq!(m.rules, vec!["rack-overflow"]);
        assert_eq!(
            marks.attributes(p, b),
            " data-element=\"b\" data-severity=\"error\" data-rules=\"rack-overflow\""
        );
        assert!(marks
            .title(p, b)
            .starts_with("<title>server b&#10;rack-overflow: "));
        let c = p.element("c").unwrap();
        assert_eq!(
            marks.get(c).map(|m| m.rules.clone()),
            Some(vec!["rack-overlap"])
        );
        assert_eq!(marks.get(p.element("a").unwrap()), None);
        let dc = p.element("dc").unwrap();
        assert_eq!(marks.get(dc), None);
        assert_eq!(marks.attributes(p, dc), " data-element=\"dc\"");
    }

    #[test]
    fn markers_differ_in_shape_not_only_in_colour() {
        let e = marker(Severity::Error, 10.0, 10.0, 12.0);
        let w = marker(Severity::Warning, 10.0, 10.0, 12.0);
        let i = marker(Severity::Info, 10.0, 10.0, 12.0);
        assert!(e.contains("<polygon") && e.contains(">×<"));
        assert!(w.contains("<polygon") && w.contains(">!<"));
        assert!(i.contains("<circle") && i.contains(">i<"));
        assert_ne!(colour(Severity::Error), colour(Severity::Warning));
    }
}
