//! The rack view's tints per kind of device, and its legend: what each
//! tint and each mark means.

use super::{marks, text_width, Svg, INK};
use crate::model::DeviceKind;

/// Soft tints per kind of device, none of them near the severities' red,
/// orange or blue (a pink firewall would read as a warning).
pub fn fill(kind: DeviceKind) -> &'static str {
    match kind {
        DeviceKind::Server => "#e4ebf2",
        DeviceKind::Switch | DeviceKind::Router => "#dcefe4",
        DeviceKind::Storage => "#e8e2f4",
        DeviceKind::Pdu => "#ecebdf",
        DeviceKind::Firewall | DeviceKind::Lb => "#d6eeee",
        DeviceKind::Device => "#f0f1f3",
    }
}

/// What the rack legend says each tint is.
const KINDS: [(DeviceKind, &str); 6] = [
    (DeviceKind::Server, "server"),
    (DeviceKind::Switch, "switch, router"),
    (DeviceKind::Storage, "storage"),
    (DeviceKind::Firewall, "firewall, load balancer"),
    (DeviceKind::Pdu, "pdu"),
    (DeviceKind::Device, "other device"),
];

/// A legend swatch at (`x`, `y`) in `style` with its text; returns where
/// the text ends.
fn swatch(s: &mut Svg, x: f64, y: f64, style: &str, text: &str) -> f64 {
    s.rect(x, y, 22.0, 13.0, 2.0, style);
    s.text(
        x + 28.0,
        y + 10.5,
        11.0,
        "start",
        format_args!("fill:{INK}"),
        text,
    );
    x + 28.0 + text_width(text, 11.0)
}

/// The legend at `y`: the tints on one line, the marks on the next.
/// Returns the height and the width it takes.
pub fn legend(s: &mut Svg, y: f64) -> (f64, f64) {
    let mut lx = 20.0;
    for (kind, text) in KINDS {
        let style = format!("fill:{};stroke:#52606d;stroke-width:1", fill(kind));
        lx = swatch(s, lx, y, &style, text) + 16.0;
    }
    let behind = "fill:none;stroke:#b8c2cc;stroke-width:1;stroke-dasharray:3 3";
    let tints_w = swatch(s, lx, y, behind, "half depth, on the other face") + 20.0;
    let (legend, marks_w) = marks::legend(20.0, y + 32.0);
    s.raw(&legend);
    (46.0, tints_w.max(marks_w + 40.0))
}
