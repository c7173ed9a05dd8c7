//! Diagrams: one module per view, each drawing SVG itself (no Graphviz at
//! run time) and writing DOT for those who want Graphviz's layout.
//!
//! Renderers read the model and the findings; they compute nothing that an
//! analyzer owns. Output is deterministic: the same input gives the same
//! bytes, with coordinates rounded to tenths.

pub mod bus;
pub mod html;
pub mod kinds;
pub mod marks;
pub mod network;
pub mod rack;
pub mod system;

use std::fmt::Write;

pub const FONT: &str = "DejaVu Sans, Verdana, Helvetica, Arial, sans-serif";
pub const INK: &str = "#1f2933";
pub const MUTED: &str = "#616e7c";
pub const LINE: &str = "#9aa5b1";

/// Width of a text in pixels, estimated generously so that labels fit
/// their boxes in common sans-serif fonts.
pub fn text_width(text: &str, size: f64) -> f64 {
    text.chars()
        .map(|c| match c {
            'i' | 'l' | 'j' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | ' ' => 0.34,
            'm' | 'w' | 'M' | 'W' | '@' => 0.92,
            'A'..='Z' => 0.72,
            '0'..='9' => 0.64,
            '×' | '→' | '·' | '…' => 0.8,
            _ => 0.6,
        })
        .sum::<f64>()
        * size
}

/// Text for SVG, in an element or an attribute: markup escaped, tab and
/// line breaks as character references (so attribute normalisation keeps
/// them), and what XML 1.0 forbids or discourages replaced (see
/// `visible`), so that the document is well-formed whatever a file holds.
pub fn escape(text: &str) -> std::borrow::Cow<'_, str> {
    // Names are nearly always plain: hand them back as they are.
    let plain = text
        .bytes()
        .all(|b| (0x20..0x7f).contains(&b) && !matches!(b, b'&' | b'<' | b'>' | b'"' | b'\''));
    if plain {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(visible(c)),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A character any output can carry: C0 controls become their pictures
/// (`␛`), DEL `␡`, C1 controls and non-characters U+FFFD.
fn visible(c: char) -> char {
    match c {
        '\0'..='\x1f' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
        '\x7f' => '\u{2421}',
        '\u{80}'..='\u{9f}' | '\u{fdd0}'..='\u{fdef}' => '\u{fffd}',
        c if (c as u32) & 0xfffe == 0xfffe => '\u{fffd}',
        c => c,
    }
}

/// Graphviz refuses a quoted string over 16 KB; texts are cut well below.
pub const MAX_DOT_TEXT: usize = 1000;

/// A DOT string literal. Quotes and backslashes are escaped (so `\N` and
/// its kin stay literal), line breaks are label breaks, `&` is `&amp;` (so
/// Graphviz decodes no entity from a file), other controls are shown as
/// their pictures, and a text over MAX_DOT_TEXT characters is cut (see
/// `shorten`).
pub fn dot_string(text: &str) -> String {
    let text = shorten(text, MAX_DOT_TEXT);
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '&' => out.push_str("&amp;"),
            c => out.push(visible(c)),
        }
    }
    out.push('"');
    out
}

/// `text` shortened to `max` characters, its end a hash (see
/// [`crate::text::shorten`]).
pub fn shorten(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    crate::text::shorten(text, max, '…')
}

/// Path data of a cubic curve from (x1, y1) to (x2, y2) that leaves and
/// arrives vertically, bending half-way.
pub(crate) fn vertical_cubic(x1: f64, y1: f64, x2: f64, y2: f64) -> String {
    let mid = (y1 + y2) / 2.0;
    format!(
        "M{} {} C{} {} {} {} {} {}",
        n(x1),
        n(y1),
        n(x1),
        n(mid),
        n(x2),
        n(mid),
        n(x2),
        n(y2)
    )
}

/// A growing SVG document.
pub struct Svg {
    body: String,
}

/// Numbers as tenths, so output is stable across platforms.
pub(crate) fn n(v: f64) -> Tenths {
    Tenths(v)
}

/// A coordinate written as tenths, straight into the document: a view of
/// a large data centre writes millions of them.
#[derive(Clone, Copy)]
pub(crate) struct Tenths(f64);

impl std::fmt::Display for Tenths {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let r = (self.0 * 10.0).round() / 10.0;
        if r == r.trunc() {
            write!(f, "{}", r as i64)
        } else {
            write!(f, "{r:.1}")
        }
    }
}

impl Default for Svg {
    fn default() -> Self {
        Svg::new()
    }
}

impl Svg {
    pub fn new() -> Svg {
        Svg {
            body: String::with_capacity(1 << 16),
        }
    }

    pub fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, radius: f64, style: &str) {
        let _ = writeln!(
            self.body,
            r#"<rect x="{}" y="{}" width="{}" height="{}" rx="{}" style="{style}"/>"#,
            n(x),
            n(y),
            n(w.max(0.0)),
            n(h.max(0.0)),
            n(radius)
        );
    }

    pub fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, style: &str) {
        let _ = writeln!(
            self.body,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}" style="{style}"/>"#,
            n(x1),
            n(y1),
            n(x2),
            n(y2)
        );
    }

    pub fn path(&mut self, d: &str, style: &str) {
        let _ = writeln!(self.body, r#"<path d="{d}" style="{style}"/>"#);
    }

    /// A cubic curve from (x1, y1) to (x2, y2) with vertical tangents.
    pub fn curve(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, style: &str) {
        self.path(&vertical_cubic(x1, y1, x2, y2), style);
    }

    /// Text; `anchor` is start, middle or end.
    pub fn text(&mut self, x: f64, y: f64, size: f64, anchor: &str, style: &str, content: &str) {
        let _ = writeln!(
            self.body,
            r#"<text x="{}" y="{}" style="font-size:{}px;text-anchor:{anchor};{style}">{}</text>"#,
            n(x),
            n(y),
            n(size),
            escape(content)
        );
    }

    /// A label on a white background, centred at (x, y).
    pub fn label(&mut self, x: f64, y: f64, size: f64, style: &str, lines: &[String]) {
        let w = lines
            .iter()
            .map(|l| text_width(l, size))
            .fold(0.0, f64::max)
            + 8.0;
        let h = lines.len() as f64 * (size + 3.0) + 4.0;
        self.rect(
            x - w / 2.0,
            y - h / 2.0,
            w,
            h,
            3.0,
            "fill:#ffffff;fill-opacity:0.92;stroke:none",
        );
        for (i, l) in lines.iter().enumerate() {
            let ly = y - h / 2.0 + 2.0 + (i as f64 + 1.0) * (size + 3.0) - 3.0;
            self.text(x, ly, size, "middle", style, l);
        }
    }

    /// A view's title at the top left, where the system, rack and bus
    /// views put it.
    pub fn view_title(&mut self, title: &str) {
        self.text(
            20.0,
            28.0,
            16.0,
            "start",
            &format!("font-weight:bold;fill:{INK}"),
            title,
        );
    }

    pub fn raw(&mut self, text: &str) {
        self.body.push_str(text);
    }

    /// The finished document, with a white background and a title.
    pub fn finish(self, width: f64, height: f64, title: &str) -> String {
        let mut out = String::with_capacity(self.body.len() + 512);
        let _ = writeln!(
            out,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" style="font-family:{FONT}">"#,
            w = n(width),
            h = n(height)
        );
        let _ = writeln!(out, "<title>{}</title>", escape(title));
        let _ = writeln!(
            out,
            r#"<rect x="0" y="0" width="{}" height="{}" style="fill:#ffffff"/>"#,
            n(width),
            n(height)
        );
        out.push_str(&self.body);
        out.push_str("</svg>\n");
        out
    }
}

pub use crate::model::names::collapse;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(escape("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
        assert_eq!(dot_string("say \"hi\"\n"), "\"say \\\"hi\\\"\\n\"");
    }

    #[test]
    fn controls_and_non_characters_become_visible() {
        assert_eq!(
            escape("a\x1b[2J\t\0\x7f\u{85}\u{fffe}\u{ffff}\u{fdd0}\u{1fffe}b"),
            "a\u{241b}[2J&#9;\u{2400}\u{2421}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}b"
        );
        assert_eq!(dot_string("a\\N&#1;\x07"), "\"a\\\\N&amp;#1;\u{2407}\"");
    }

    #[test]
    fn long_dot_texts_are_cut_and_stay_distinct() {
        let a = format!("{}a", "x".repeat(2000));
        let b = format!("{}b", "x".repeat(2000));
        let (da, db) = (dot_string(&a), dot_string(&b));
        assert_ne!(da, db);
        assert_eq!(da.chars().count(), MAX_DOT_TEXT + 2);
        assert!(da.starts_with(&format!("\"{}…", "x".repeat(MAX_DOT_TEXT - 17))));
        let exact = "y".repeat(MAX_DOT_TEXT);
        assert_eq!(dot_string(&exact), format!("\"{exact}\""));
    }
}
