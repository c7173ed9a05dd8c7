//! Lowering: syntax trees to the semantic model.
//!
//! Two passes. The first declares every top-level name (expanding ranges)
//! so that references resolve in any order and across files. The second
//! lowers each declaration's properties, resolving references, units and
//! presets, and reports every error it meets rather than stopping.
//!
//! What a block may hold and how each property's arguments are written comes
//! from the [schema]: `args` reads and checks every property
//! by its shape, and each kind's code (one file per group of kinds) only
//! builds its element from the typed values.

mod args;
mod device;
mod flow;
mod parts;
mod plausible;
mod power;
mod resolve;
mod second_pass;
mod service;
mod sizing;
#[cfg(test)]
mod tests;

use super::load::Loaded;
use super::names::{each_name, segment_count, word_count, ElementBudget, MAX_ELEMENTS};
use super::schema;
use super::*;
use crate::diagnostic::{closest, rule, thousands, Diagnostic};
use crate::source::{FileId, Span};
use crate::syntax::ast::{Ast, Item, ItemKind, Statement};
use crate::text::echo;
use compact_str::CompactString;
use device::Draft;
use rustc_hash::FxHashMap;
use second_pass::{TreeAt, Trees};
use sizing::{declared, links_declared, Declared};
use std::collections::hash_map::Entry;
use std::sync::Arc;

/// How many candidate names "did you mean" may compare in one project:
/// suggestions stay cheap however many unknown names a file holds.
const SUGGESTION_WORK: u64 = 1_000_000;
/// The tallest rack accepted; anything taller is a typo.
pub const MAX_RACK_HEIGHT: u32 = 100;
/// The most feeds a rack may list: real racks have two to eight; the bound
/// keeps the per-rack failure sums small for any input.
pub const MAX_RACK_FEEDS: usize = 64;
/// The most power sources in one chain from a root (utility, switchgear,
/// UPS, PDU, panel ... are a handful).
pub const MAX_POWER_DEPTH: usize = 64;

/// Lowers a loaded project. Returns the model and every diagnostic found
/// while loading and lowering, sorted.
pub fn lower(loaded: &Loaded) -> (Project, Vec<Diagnostic>) {
    lower_until(loaded, &|| false).expect("never cancelled")
}

/// `lower`, asking `cancelled` every `CANCEL_EVERY` statements: None once
/// it says yes. An editor's newer keystroke must not wait for the model of
/// an older text.
pub fn lower_until(
    loaded: &Loaded,
    cancelled: &dyn Fn() -> bool,
) -> Option<(Project, Vec<Diagnostic>)> {
    let (mut project, diagnostics) = lower_without_graph_until(loaded, cancelled)?;
    graph::build(&mut project);
    Some((project, diagnostics))
}

/// `lower_until` without the project's graph, which nothing in lowering
/// reads: [`graph::build`] it before analysis. `topo check` builds it after
/// freeing the syntax trees, so that the graph takes their memory rather
/// than adding to the peak (the trees of a large project are its largest
/// allocation).
pub fn lower_without_graph_until(
    loaded: &Loaded,
    cancelled: &dyn Fn() -> bool,
) -> Option<(Project, Vec<Diagnostic>)> {
    let declared = declared(&loaded.files);
    let trees = loaded
        .files
        .iter()
        .map(|(file, ast)| (*file, &ast.statements[..]));
    lower_trees(
        &loaded.diagnostics,
        declared,
        &mut Trees::Borrowed(trees.collect()),
        None,
        cancelled,
    )
}

/// What [`lower_consuming`] leaves: the model without its graph, every
/// diagnostic, and the span of every top-level statement (all that is left
/// of the trees).
pub struct Consumed {
    pub project: Project,
    pub diagnostics: Vec<Diagnostic>,
    pub statements: Vec<Span>,
}

/// [`lower_without_graph_until`] on syntax trees it takes, never cancelled:
/// each declaration's tree is freed as soon as it is lowered, and `release`
/// is called after every few thousand so that the freed pages can be handed
/// back. The trees are a large project's largest allocation, and at their
/// largest when lowering starts; freed as it goes, the model grows into
/// their room. `topo check` lowers this way; editors keep their trees.
pub fn lower_consuming(
    diagnostics: &[Diagnostic],
    files: Vec<(FileId, Arc<Ast>)>,
    release: &dyn Fn(),
) -> Consumed {
    let declared = declared(&files);
    let trees = files
        .into_iter()
        .map(|(file, ast)| (file, Arc::unwrap_or_clone(ast).statements));
    let mut trees = Trees::Owned(trees.collect());
    let (project, diagnostics) =
        lower_trees(diagnostics, declared, &mut trees, Some(release), &|| false)
            .expect("never cancelled");
    Consumed {
        project,
        diagnostics,
        statements: trees.spans(),
    }
}

fn lower_trees(
    diagnostics: &[Diagnostic],
    mut declared: Declared,
    trees: &mut Trees<'_>,
    release: Option<&dyn Fn()>,
    cancelled: &dyn Fn() -> bool,
) -> Option<(Project, Vec<Diagnostic>)> {
    let mut l = Lowerer {
        p: Project::default(),
        diags: diagnostics.to_vec(),
        decls: Vec::new(),
        release,
        model_drafts: Vec::new(),
        budget: ElementBudget::default(),
        copies: 1,
        statement: None,
        refused: None,
        spent: None,
        spent_later: 0,
        expected: FxHashMap::default(),
        refusals: 0,
        suggestion_work: 0,
    };
    let devices = DeviceKind::ALL
        .iter()
        .filter_map(|(keyword, _)| declared.per_keyword.get(keyword))
        .fold(0usize, |sum, n| sum.saturating_add(*n));
    l.p.devices.reserve(devices.min(MAX_ELEMENTS as usize));
    l.p.names.reserve(declared.names);
    l.decls.reserve_exact(declared.statements);
    l.expected = std::mem::take(&mut declared.per_keyword);
    let mut n = 0;
    for slot in 0..trees.files() {
        let (file, statements) = trees.of_file(slot);
        for (index, statement) in statements.iter().enumerate() {
            if n % CANCEL_EVERY == 0 && cancelled() {
                return None;
            }
            n += 1;
            l.statement = Some(statement.span);
            l.declare(file, statement, TreeAt::new(slot, index));
        }
    }
    if !l.lower_all(trees, cancelled) {
        return None;
    }
    l.count_spent_later();
    l.check_power_tree();
    l.check_consistency();
    if l.p.names.is_empty() && l.diags.is_empty() && trees.files() > 0 {
        let (file, _) = trees.of_file(0);
        l.invalid(
            Span::new(file, 0, 0),
            "nothing to check: the project declares no elements",
        )
        .help =
            Some("declare a site, rack, device or service; see the README's language tour".into());
    }
    if cancelled() {
        return None;
    }
    let mut diags = l.diags;
    crate::diagnostic::sort(&mut diags);
    diags.dedup();
    Some((l.p, diags))
}

/// How many statements lowering takes between two questions whether the
/// work is still wanted: a few milliseconds' worth on a large project.
const CANCEL_EVERY: usize = 1024;

/// What a declaration declares: nearly always one element, kept inline
/// (a file of a hundred thousand devices would otherwise allocate each).
type Elements = smallvec::SmallVec<[Element; 1]>;

/// A top-level declaration waiting for its second pass.
struct Pending {
    tree: TreeAt,
    kind: &'static schema::Kind,
    /// The elements it declared (several for a range), with their names.
    elements: Elements,
}

impl Pending {
    fn keyword(&self) -> &'static str {
        self.kind.keyword
    }
}

/// A declaration as its kind's code lowers it.
struct Decl<'t> {
    statement: &'t Statement,
    kind: &'static schema::Kind,
    elements: &'t [Element],
}

impl Decl<'_> {
    fn keyword(&self) -> &'static str {
        self.kind.keyword
    }
}

struct Lowerer<'a> {
    p: Project,
    diags: Vec<Diagnostic>,
    decls: Vec<Pending>,
    /// Hands freed trees' pages back, when lowering owns them.
    release: Option<&'a dyn Fn()>,
    /// Indexed by ModelId; None until resolved.
    model_drafts: Vec<Option<Draft>>,
    /// Everything expansion has created so far (README, "Limits").
    budget: ElementBudget,
    /// How many elements the statement being lowered declares: each list
    /// entry and part it holds is copied into every one of them.
    copies: u64,
    /// The statement being lowered, and the last one refused for passing the
    /// element limit (one error per statement).
    statement: Option<Span>,
    refused: Option<Span>,
    /// The error of the first statement refused because the project had
    /// used up the limit (not because it alone passes it), and how many
    /// later statements were refused for the same reason: they are counted
    /// in that error rather than reported one by one, which at 26,000 racks
    /// was 140,000 errors and two minutes.
    spent: Option<usize>,
    spent_later: u64,
    /// How many elements each top-level keyword declares (see [`declared`]).
    expected: FxHashMap<&'static str, usize>,
    /// Every refusal, reported or not: a property whose reference was
    /// refused says nothing more about the rest of its line.
    refusals: u64,
    /// Candidates compared for suggestions so far, against [`SUGGESTION_WORK`].
    suggestion_work: u64,
}

impl<'a> Lowerer<'a> {
    fn error(
        &mut self,
        rule: &'static str,
        span: Span,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.diags.push(Diagnostic::error(rule, span, message));
        self.diags.last_mut().expect("just pushed")
    }

    fn invalid(&mut self, span: Span, message: impl Into<String>) -> &mut Diagnostic {
        self.error(rule::INVALID_VALUE, span, message)
    }

    /// Takes `count` elements (times the copies of the statement) from the
    /// project's budget; past it, one error per statement. `subject` names
    /// what asked, and is only worked out for that error.
    fn reserve(
        &mut self,
        count: u64,
        span: Span,
        subject: impl FnOnce(&Self) -> String,
        noun: &str,
    ) -> bool {
        let total = count.saturating_mul(self.copies);
        let Err(exceeded) = self.budget.reserve(total) else {
            return true;
        };
        self.refusals += 1;
        if self.refused.is_none() || self.refused != self.statement {
            self.refused = self.statement;
            let alone_fits = total <= MAX_ELEMENTS;
            if alone_fits && self.spent.is_some() {
                self.spent_later += 1;
                return false;
            }
            if alone_fits {
                self.spent = Some(self.diags.len());
            }
            let subject = subject(self);
            let mut message = exceeded.message(&subject, noun);
            if self.copies > 1 {
                message.push_str(&format!(
                    " ({} for each of the {} elements this statement declares)",
                    thousands(count),
                    thousands(self.copies)
                ));
            }
            let d = self.invalid(span, message);
            d.label = Some("too many elements".into());
            d.data.insert("wanted", total.into());
            d.data.insert("created", exceeded.used.into());
            d.data.insert("limit", MAX_ELEMENTS.into());
        }
        false
    }

    /// Names, in the first error of a used-up limit, how many later
    /// statements were refused with it.
    fn count_spent_later(&mut self) {
        let (Some(first), n @ 1..) = (self.spent, self.spent_later) else {
            return;
        };
        let statements = if n == 1 { "statement" } else { "statements" };
        let d = &mut self.diags[first];
        d.message.push_str(&format!(
            "; {} later {statements} would pass it too and are not lowered",
            thousands(n)
        ));
        d.data.insert("later_statements", n.into());
    }

    /// The closest of `candidates` to `word`, while the project's budget for
    /// suggestions lasts; `count` is how many candidates there are.
    fn suggest<'c>(
        &mut self,
        word: &str,
        count: usize,
        candidates: impl IntoIterator<Item = &'c str>,
    ) -> Option<String> {
        self.suggestion_work = self.suggestion_work.saturating_add(count as u64);
        if self.suggestion_work > SUGGESTION_WORK {
            return None;
        }
        closest(word, candidates).map(str::to_string)
    }

    // ----------------------------------------------------------------------
    // Pass 1: declarations
    // ----------------------------------------------------------------------

    fn declare(&mut self, file: FileId, statement: &Statement, tree: TreeAt) {
        let Some(keyword) = statement.keyword() else {
            let first = &statement.items[0];
            if statement.has_arrow() {
                self.error(
                    rule::SYNTAX,
                    statement.span,
                    "a request path must be inside a `flow`",
                )
                .label = Some("write `flow NAME { a -> b }`".into());
            } else {
                self.error(
                    rule::SYNTAX,
                    first.span,
                    format!(
                        "a statement starts with a keyword, found {}",
                        first.kind.describe()
                    ),
                );
            }
            return;
        };
        let Some(kind) = schema::top_level(keyword) else {
            self.unknown_keyword(statement, keyword);
            return;
        };
        let elements = match keyword {
            "include" => {
                self.check_include(statement);
                return;
            }
            "allow" => {
                if let Some(b) = &statement.block {
                    self.error(rule::SYNTAX, b.span, "`allow` takes no block");
                }
                self.allows(statement, AllowScope::File(file));
                return;
            }
            // Their header names other elements rather than declaring one.
            "link" | "replicate" => Elements::new(),
            _ => self.declare_names(statement, keyword),
        };
        self.decls.push(Pending {
            tree,
            kind,
            elements,
        });
    }

    /// An unknown keyword: the closest statement, and every kind of
    /// statement, since a newcomer may not know any of them yet.
    fn unknown_keyword(&mut self, statement: &Statement, keyword: &str) {
        let all: Vec<&str> = schema::statement_keywords().collect();
        let list = format!("expected a statement: {}", all.join(", "));
        let help = match schema::statement_for(keyword) {
            Some(c) => format!("did you mean `{c}`? {list}"),
            None => list,
        };
        let d = Diagnostic::error(
            rule::SYNTAX,
            statement.keyword_span(),
            format!("unknown keyword `{}`", echo(keyword)),
        )
        .with_label("not a statement of the topo language")
        .with_help(help);
        let d = match schema::statement_for(keyword) {
            Some(c) => d.with_fix(statement.keyword_span(), c),
            None => d,
        };
        self.diags.push(d);
    }

    fn check_include(&mut self, statement: &Statement) {
        let ok = matches!(
            statement.args(),
            [Item {
                kind: ItemKind::Str(_),
                ..
            }]
        ) && statement.block.is_none();
        if !ok {
            self.error(
                rule::SYNTAX,
                statement.span,
                "`include` takes one quoted path",
            )
            .help = Some("write `include \"models/dell.topo\"`".into());
        }
    }

    /// Records `allow RULE...`; the rule names are checked by the analyzers,
    /// which own the rule table.
    fn allows(&mut self, statement: &Statement, scope: AllowScope) -> Vec<AllowId> {
        let mut ids = Vec::new();
        if statement.args().is_empty() {
            self.invalid(statement.span, "`allow` needs a rule name")
                .help = Some("write `allow bus-bottleneck`".into());
        }
        for item in statement.args() {
            match item.plain() {
                Some(name) => {
                    ids.push(AllowId(self.p.allows.len() as u32));
                    self.p.allows.push(Allow {
                        rule: name.to_string(),
                        span: item.span,
                        scope,
                    });
                }
                None => {
                    self.invalid(
                        item.span,
                        format!("expected a rule name, found {}", item.kind.describe()),
                    );
                }
            }
        }
        ids
    }

    /// `allow` inside a declaration: every element of a range holds the list.
    fn element_allows(&mut self, statement: &Statement) -> Vec<AllowId> {
        let count = statement.args().len() as u64;
        if !self.reserve(count, statement.span, |_| "this `allow`".into(), "allows") {
            return Vec::new();
        }
        self.allows(statement, AllowScope::Local)
    }

    fn declare_names(&mut self, statement: &Statement, keyword: &str) -> Elements {
        let Some(item) = statement.args().first() else {
            self.error(
                rule::SYNTAX,
                statement.span,
                format!("`{keyword}` needs a name"),
            )
            .label = Some("a name goes here".into());
            return Elements::new();
        };
        let word = item.word();
        let segment = match word.as_deref() {
            Some(w) if !w.is_dotted() => &w.segments()[0],
            _ => {
                self.error(
                    rule::SYNTAX,
                    item.span,
                    format!("`{keyword}` needs a name, found {}", item.kind.describe()),
                );
                return Elements::new();
            }
        };
        let count = match segment_count(segment) {
            Ok(count) => count,
            Err(d) => {
                self.diags.push(d);
                return Elements::new();
            }
        };
        let subject = |_: &Self| format!("`{}`", echo(&item.text()));
        if !self.reserve(count, item.span, subject, "names") {
            return Elements::new();
        }
        let span = item.span;
        let mut out = Elements::with_capacity(count as usize);
        // Out of the project while its names are added, so that each name
        // is looked up once: elements are created with the entry open.
        let mut map = std::mem::take(&mut self.p.names);
        let walked = each_name(segment, |name| {
            let entry = match map.entry(CompactString::from(name)) {
                Entry::Vacant(entry) => entry,
                Entry::Occupied(entry) => {
                    let (name, existing) = (entry.key(), *entry.get());
                    self.duplicate(name, existing, span);
                    return;
                }
            };
            let element = self.create(keyword, name.to_owned(), span);
            entry.insert(element);
            out.push(element);
        });
        self.p.names = map;
        if let Err(d) = walked {
            self.diags.push(d);
        }
        out
    }

    /// `name` declared again at `span`: it already names `existing`.
    fn duplicate(&mut self, name: &str, existing: Element, span: Span) {
        let first = self.p.span_of(existing);
        let kind = self.p.kind_of(existing);
        let d = Diagnostic::error(
            rule::DUPLICATE_NAME,
            span,
            format!("`{}` is declared twice", echo(name)),
        )
        .with_label(format!("`{}` declared again here", echo(name)))
        .with_related(first, format!("first declared here, as a {kind}"));
        self.diags.push(d);
    }

    /// Creates an element with defaults; pass 2 fills it in.
    fn create(&mut self, keyword: &str, name: String, span: Span) -> Element {
        let p = &mut self.p;
        let expected = &self.expected;
        macro_rules! push {
            ($vec:ident, $id:ident, $variant:ident, $value:expr) => {{
                // The first of a kind makes room for all of them (looked up
                // once a kind, not once an element).
                if p.$vec.capacity() == 0 {
                    p.$vec
                        .reserve_exact(expected.get(keyword).copied().unwrap_or(0));
                }
                let id = $id(p.$vec.len() as u32);
                p.$vec.push($value);
                Element::$variant(id)
            }};
        }
        match keyword {
            "site" => push!(sites, SiteId, Site, Site::new(name, span)),
            "power" => push!(powers, PowerId, Power, Power::new(name, span)),
            "feed" => push!(feeds, FeedId, Feed, Feed::new(name, span)),
            "rack" => push!(racks, RackId, Rack, Rack::new(name, span)),
            "model" => {
                self.model_drafts.push(None);
                push!(models, ModelId, Model, DeviceModel::new(name, span))
            }
            "vm" => push!(vms, VmId, Vm, Vm::new(name, span)),
            "tier" => {
                let level = p.tiers.len();
                push!(tiers, TierId, Tier, Tier::new(name, span, level))
            }
            "service" => push!(
                services,
                ServiceId,
                Service,
                Service::new(name, span, ServiceKind::Service)
            ),
            "dns" => push!(
                services,
                ServiceId,
                Service,
                Service::new(name, span, ServiceKind::Dns)
            ),
            "client" => push!(clients, ClientId, Client, Client::new(name, span)),
            "cdn" => push!(cdns, CdnId, Cdn, Cdn::new(name, span)),
            "flow" => push!(flows, FlowId, Flow, Flow::new(name, span)),
            "partition" => push!(
                partitions,
                PartitionId,
                Partition,
                Partition::new(name, span)
            ),
            "fault-domain" => push!(
                fault_domains,
                FaultDomainId,
                FaultDomain,
                FaultDomain::new(name, span)
            ),
            device_kind => {
                let kind = DeviceKind::from_keyword(device_kind).unwrap_or(DeviceKind::Device);
                push!(devices, DeviceId, Device, Device::new(name, span, kind))
            }
        }
    }

    /// Checks the header `KEYWORD NAME [: MODEL] [on HOSTS]`; returns the
    /// model reference and the `on` items.
    fn header<'s>(
        &mut self,
        statement: &'s Statement,
        allow_model: bool,
        allow_on: bool,
    ) -> (Option<&'s Item>, &'s [Item]) {
        let args = statement.args();
        let mut i = 1;
        let mut model = None;
        if args.get(i).map(|a| &a.kind) == Some(&ItemKind::Colon) {
            if !allow_model {
                self.error(
                    rule::SYNTAX,
                    args[i].span,
                    format!("`{}` takes no model", statement.keyword().unwrap_or("")),
                );
            }
            match args.get(i + 1) {
                Some(m) => model = Some(m),
                None => {
                    self.error(
                        rule::SYNTAX,
                        args[i].span,
                        "`:` must be followed by a model name",
                    );
                }
            }
            i += 2;
        }
        let mut on: &[Item] = &[];
        if args.get(i).and_then(Item::plain) == Some("on") {
            if !allow_on {
                self.error(
                    rule::SYNTAX,
                    args[i].span,
                    format!(
                        "`{}` does not run on hosts",
                        statement.keyword().unwrap_or("")
                    ),
                );
            }
            on = &args[(i + 1).min(args.len())..];
            if on.is_empty() {
                self.error(rule::SYNTAX, args[i].span, "`on` must be followed by hosts");
            }
            i = args.len();
        }
        if let Some(extra) = args.get(i) {
            let expected = match (allow_model, allow_on) {
                (true, _) => "`:` MODEL or `{`",
                (false, true) => "`on` HOSTS or `{`",
                _ => "`{` or the end of the statement",
            };
            self.error(
                rule::SYNTAX,
                extra.span,
                format!(
                    "unexpected `{}` after the name: expected {expected}",
                    echo(&extra.text())
                ),
            );
        }
        (model, on)
    }

    /// Cross-element checks that need the whole model.
    fn check_consistency(&mut self) {
        // A draw in A needs one voltage (`docs/reference.md`, `rack`).
        for i in 0..self.p.devices.len() {
            let d = &self.p.devices[i];
            let (Some(draw), Some(pl)) = (d.props.draw, d.placement) else {
                continue;
            };
            if !matches!(draw.value, units::Draw::Current(_)) {
                continue;
            }
            let Err(problem) = self.p.device_voltage(DeviceId(i as u32)) else {
                continue;
            };
            let rack = &self.p.racks[pl.rack.index()];
            let feed = |f: FeedId| echo(&self.p.feeds[f.index()].name);
            let why = match problem {
                VoltageProblem::Unknown => format!("rack `{}` has no known voltage", echo(&rack.name)),
                VoltageProblem::ThreePhase(f) => format!(
                    "feed `{}` of rack `{}` is three-phase: the voltage at the device's supply (line-to-line or line-to-neutral) is not stated",
                    feed(f),
                    echo(&rack.name)
                ),
                VoltageProblem::Mixed(a, b) => format!(
                    "rack `{}` has feeds of different voltages (`{}` and `{}`)",
                    echo(&rack.name),
                    feed(a),
                    feed(b)
                ),
            };
            let mut diag = Diagnostic::error(
                rule::INVALID_VALUE,
                draw.span,
                format!(
                    "`{}` draws {}, but {why} to convert it to VA",
                    echo(&d.name),
                    draw.value
                ),
            )
            .with_related(
                rack.span,
                "give this rack `voltage 230V` (the voltage at the devices' supplies)",
            );
            diag.help = Some("or give the draw in W or VA".into());
            self.diags.push(diag);
        }
    }
}

/// "unknown host `h1` (and 99,999 more names of this range)": one message
/// for the misses of a range.
fn and_more(message: String, others: usize) -> String {
    if others == 0 {
        message
    } else {
        format!(
            "{message} (and {} more names of this range)",
            thousands(others as u64)
        )
    }
}
