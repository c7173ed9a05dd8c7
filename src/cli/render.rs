//! `topo render`: one view of the design, as SVG, DOT or one HTML page.

use super::output::{emit, error};
use super::project::Inputs;
use crate::config::Levels;
use crate::diagnostic::closest;
use crate::input::Root;
use crate::model::Element;
use crate::progress::Progress;
use crate::render;
use crate::write::{Durability, Existing};
use clap::ValueEnum;
use std::path::Path;
use std::process::ExitCode;

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub(super) enum View {
    System,
    Rack,
    Bus,
    Network,
}

impl View {
    fn name(self) -> &'static str {
        match self {
            View::System => "system",
            View::Rack => "rack",
            View::Bus => "bus",
            View::Network => "network",
        }
    }
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub(super) enum Drawing {
    Svg,
    Dot,
    /// One self-contained page: every view, the findings, links between them
    Html,
}

#[allow(clippy::too_many_arguments)]
pub(super) fn render(
    inputs: Inputs,
    root: &Root,
    levels: &Levels,
    view: View,
    rack: Option<&str>,
    device: Option<&str>,
    format: Drawing,
    output: Option<&Path>,
) -> ExitCode {
    let title = inputs.shown.clone();
    let progress = Progress::start(inputs.checking());
    let mut checked = match inputs.check(root) {
        Ok(c) => c,
        Err(code) => return code,
    };
    // The findings exactly as `check` reports them: the marks follow.
    checked.diagnostics = levels.apply(std::mem::take(&mut checked.diagnostics));
    let p = &checked.project;
    let d = &checked.diagnostics;
    let pick = |name: Option<&str>,
                kind: &str,
                ok: fn(Element) -> bool|
     -> Result<Option<Element>, ExitCode> {
        let Some(name) = name else { return Ok(None) };
        match p.element(name) {
            Some(e) if ok(e) => Ok(Some(e)),
            Some(e) => {
                error(format_args!("`{name}` is a {}, not a {kind}", p.kind_of(e)));
                Err(ExitCode::from(2))
            }
            None => {
                let mut names: Vec<&str> = p
                    .names
                    .iter()
                    .filter(|(_, e)| ok(**e))
                    .map(|(n, _)| n.as_str())
                    .collect();
                names.sort_unstable();
                match closest(name, names) {
                    Some(s) => error(format_args!(
                        "no {kind} is called `{name}`; did you mean `{s}`?"
                    )),
                    None => error(format_args!("no {kind} is called `{name}`")),
                }
                Err(ExitCode::from(2))
            }
        }
    };
    let rack = match pick(rack, "rack", |e| matches!(e, Element::Rack(_))) {
        Ok(r) => r.map(|e| match e {
            Element::Rack(r) => r,
            _ => unreachable!("picked a rack"),
        }),
        Err(code) => return code,
    };
    let device = match pick(device, "device", |e| matches!(e, Element::Device(_))) {
        Ok(r) => r.map(|e| match e {
            Element::Device(d) => d,
            _ => unreachable!("picked a device"),
        }),
        Err(code) => return code,
    };
    progress.stage(format!("drawing the {} view", view.name()));
    let text = match (view, format) {
        (View::System, Drawing::Svg) => render::system::svg(p, d),
        (View::System, Drawing::Dot) => render::system::dot(p, d),
        (View::Rack, Drawing::Svg) => render::rack::svg(p, d, rack),
        (View::Rack, Drawing::Dot) => render::rack::dot(p, d, rack),
        (View::Bus, Drawing::Svg) => render::bus::svg(p, d, device),
        (View::Bus, Drawing::Dot) => render::bus::dot(p, d, device),
        (View::Network, Drawing::Svg) => render::network::svg(p, d),
        (View::Network, Drawing::Dot) => render::network::dot(p, d),
        (_, Drawing::Html) => render::html::Page {
            title: &title,
            sources: &checked.sources,
            diagnostics: d,
            views: render::html::views(p, d),
            live: false,
            problem: None,
        }
        .render(),
    };
    drop(progress);
    emit(&text, output, Existing::Replace, Durability::Rebuilt)
}
