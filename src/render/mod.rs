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
    // Names are nearly always plain and come back as they are; otherwise
    // the runs that need nothing are copied whole, between the characters
    // that do. Only non-ASCII bytes are decoded.
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut i = 0;
    while i < text.len() {
        let b = text.as_bytes()[i];
        let (c, width) = if b < 0x80 {
            if (0x20..0x7f).contains(&b) && !matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'') {
                i += 1;
                continue;
            }
            (b as char, 1)
        } else {
            let c = text[i..].chars().next().unwrap_or('\u{fffd}');
            if visible(c) == c {
                i += c.len_utf8();
                continue;
            }
            (c, c.len_utf8())
        };
        let o = out.get_or_insert_with(|| String::with_capacity(text.len() + 8));
        o.push_str(&text[copied..i]);
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            '\t' => o.push_str("&#9;"),
            '\n' => o.push_str("&#10;"),
            '\r' => o.push_str("&#13;"),
            c => o.push(visible(c)),
        }
        i += width;
        copied = i;
    }
    match out {
        None => std::borrow::Cow::Borrowed(text),
        Some(mut o) => {
            o.push_str(&text[copied..]);
            std::borrow::Cow::Owned(o)
        }
    }
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

impl Tenths {
    /// The text, in `buffer`: integer digits for every coordinate a drawing
    /// holds; `None` for what no drawing reaches (|v| ≥ 10¹⁴).
    fn digits(self, buffer: &mut [u8; 20]) -> Option<&str> {
        let tenths = (self.0 * 10.0).round();
        // Also NaN: it is not below the bound.
        if tenths.is_nan() || tenths.abs() >= 1e15 {
            return None;
        }
        let t = tenths as i64;
        let (mut whole, tenth) = (t.unsigned_abs() / 10, t.unsigned_abs() % 10);
        let mut at = buffer.len();
        if tenth != 0 {
            at -= 2;
            buffer[at] = b'.';
            buffer[at + 1] = b'0' + tenth as u8;
        }
        loop {
            at -= 1;
            buffer[at] = b'0' + (whole % 10) as u8;
            whole /= 10;
            if whole == 0 {
                break;
            }
        }
        if t < 0 {
            at -= 1;
            buffer[at] = b'-';
        }
        std::str::from_utf8(&buffer[at..]).ok()
    }

    /// Appended to `out` without the formatting machinery: a rack view of
    /// a large data centre writes tens of millions of them.
    fn push_to(self, out: &mut String) {
        match self.digits(&mut [0; 20]) {
            Some(text) => out.push_str(text),
            None => {
                let _ = write!(out, "{self}");
            }
        }
    }
}

impl std::fmt::Display for Tenths {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(text) = self.digits(&mut [0; 20]) {
            return f.write_str(text);
        }
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
        Svg::with_capacity(1 << 16)
    }

    /// A document expected to grow to about `bytes`: reserving is cheap
    /// (untouched memory costs nothing), growing by doubling copies it all.
    pub fn with_capacity(bytes: usize) -> Svg {
        Svg {
            body: String::with_capacity(bytes),
        }
    }

    pub fn rect(
        &mut self,
        x: f64,
        y: f64,
        w: f64,
        h: f64,
        radius: f64,
        style: impl std::fmt::Display,
    ) {
        self.attributes(
            "<rect",
            &[
                ("x", x),
                ("y", y),
                ("width", w.max(0.0)),
                ("height", h.max(0.0)),
                ("rx", radius),
            ],
        );
        self.style_and_close(style, "/>\n");
    }

    pub fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, style: impl std::fmt::Display) {
        self.attributes("<line", &[("x1", x1), ("y1", y1), ("x2", x2), ("y2", y2)]);
        self.style_and_close(style, "/>\n");
    }

    /// `<tag name="v" …` with each number in tenths.
    fn attributes(&mut self, tag: &str, numbers: &[(&str, f64)]) {
        self.body.push_str(tag);
        for &(name, value) in numbers {
            self.body.push(' ');
            self.body.push_str(name);
            self.body.push_str("=\"");
            n(value).push_to(&mut self.body);
            self.body.push('"');
        }
    }

    /// ` style="…"` and the rest of the tag.
    fn style_and_close(&mut self, style: impl std::fmt::Display, close: &str) {
        self.body.push_str(" style=\"");
        let _ = write!(self.body, "{style}");
        self.body.push('"');
        self.body.push_str(close);
    }

    pub fn path(&mut self, d: &str, style: &str) {
        let _ = writeln!(self.body, r#"<path d="{d}" style="{style}"/>"#);
    }

    /// A cubic curve from (x1, y1) to (x2, y2) with vertical tangents.
    pub fn curve(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, style: &str) {
        self.path(&vertical_cubic(x1, y1, x2, y2), style);
    }

    /// Text; `anchor` is start, middle or end.
    pub fn text(
        &mut self,
        x: f64,
        y: f64,
        size: f64,
        anchor: &str,
        style: impl std::fmt::Display,
        content: &str,
    ) {
        self.attributes("<text", &[("x", x), ("y", y)]);
        self.body.push_str(" style=\"font-size:");
        n(size).push_to(&mut self.body);
        self.body.push_str("px;text-anchor:");
        self.body.push_str(anchor);
        self.body.push(';');
        let _ = write!(self.body, "{style}");
        self.body.push_str("\">");
        self.body.push_str(&escape(content));
        self.body.push_str("</text>\n");
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
            format_args!("font-weight:bold;fill:{INK}"),
            title,
        );
    }

    pub fn raw(&mut self, text: &str) {
        self.body.push_str(text);
    }

    /// The finished document, with a white background and a title. The
    /// head goes in front of the body in place: a rack view of a large
    /// data centre is a hundred megabytes, not worth a second copy.
    pub fn finish(self, width: f64, height: f64, title: &str) -> String {
        let mut head = String::with_capacity(512);
        let _ = writeln!(
            head,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" style="font-family:{FONT}">"#,
            w = n(width),
            h = n(height)
        );
        let _ = writeln!(head, "<title>{}</title>", escape(title));
        let _ = writeln!(
            head,
            r#"<rect x="0" y="0" width="{}" height="{}" style="fill:#ffffff"/>"#,
            n(width),
            n(height)
        );
        let mut out = self.body;
        out.reserve(head.len() + 8);
        out.insert_str(0, &head);
        out.push_str("</svg>\n");
        out
    }
}

/// Parts of elements (a group's opening tag, its title) written straight
/// into the document.
impl Write for Svg {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.body.push_str(s);
        Ok(())
    }
}

pub use crate::model::names::collapse;

#[cfg(test)]
mod tests {
    use super::*;

    /// The text tenths had when they went through the float formatter.
    fn tenths_by_float(v: f64) -> String {
        let r = (v * 10.0).round() / 10.0;
        if r == r.trunc() {
            format!("{}", r as i64)
        } else {
            format!("{r:.1}")
        }
    }

    #[test]
    fn tenths_are_written_as_the_float_formatter_wrote_them() {
        let mut values = vec![
            0.0,
            -0.0,
            0.04,
            -0.04,
            0.05,
            -0.05,
            0.5,
            -0.5,
            1.25,
            -1.25,
            9.95,
            -9.95,
            99.99,
            1e13,
            -1e13,
            123456789012.3,
            1e14,
            1e15,
            -1e16,
            1e300,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            f64::MAX,
            f64::MIN_POSITIVE,
        ];
        values.extend((-30_000..30_000).map(|i| i as f64 * 0.037));
        for v in values {
            let mut pushed = String::new();
            n(v).push_to(&mut pushed);
            assert_eq!(pushed, tenths_by_float(v), "{v}");
            assert_eq!(n(v).to_string(), tenths_by_float(v), "{v}");
        }
    }

    #[test]
    fn escape_copies_plain_runs_around_what_it_replaces() {
        assert_eq!(escape("web1 · U3–U4"), "web1 · U3–U4");
        assert_eq!(escape("a·<b>·c\u{85}"), "a·&lt;b&gt;·c\u{fffd}");
    }

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
