//! Lowering: syntax trees to the semantic model.
//!
//! Two passes. The first declares every top-level name (expanding ranges)
//! so that references resolve in any order and across files. The second
//! lowers each declaration's properties, resolving references, units and
//! presets, and reports every error it meets rather than stopping.

use super::load::Loaded;
use super::names::{
    each_name, expand_segment, expand_word, segment_count, word_count, ElementBudget,
};
use super::presets;
use super::units::{self, Dimension, Draw, Quantity, QuantityError};
use super::*;
use crate::diagnostic::{closest, rule, thousands, Diagnostic};
use crate::source::{FileId, Span};
use crate::syntax::ast::{Item, ItemKind, Statement, Word};
use crate::syntax::TOP_LEVEL_KEYWORDS;
use crate::text::echo;
use petgraph::graph::NodeIndex;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// How many candidate names "did you mean" may compare in one project:
/// suggestions stay cheap however many unknown names a file holds.
const SUGGESTION_WORK: u64 = 1_000_000;
/// The tallest rack accepted; anything taller is a typo.
pub const MAX_RACK_HEIGHT: u32 = 100;

/// Lowers a loaded project. Returns the model and every diagnostic found
/// while loading and lowering, sorted.
pub fn lower(loaded: &Loaded) -> (Project, Vec<Diagnostic>) {
    let mut l = Lowerer {
        p: Project::default(),
        diags: loaded.diagnostics.clone(),
        decls: Vec::new(),
        model_drafts: Vec::new(),
        budget: ElementBudget::default(),
        copies: 1,
        statement: None,
        refused: None,
        suggestion_work: 0,
    };
    for (file, ast) in &loaded.files {
        for statement in &ast.statements {
            l.statement = Some(statement.span);
            l.declare(*file, statement);
        }
    }
    l.lower_all();
    l.check_consistency();
    if l.p.names.is_empty() && l.diags.is_empty() {
        if let Some((file, _)) = loaded.files.first() {
            l.invalid(
                Span::new(*file, 0, 0),
                "nothing to check: the project declares no elements",
            )
            .help = Some(
                "declare a site, rack, device or service; see the README's language tour".into(),
            );
        }
    }
    graph::build(&mut l.p);
    let mut diags = l.diags;
    crate::diagnostic::sort(&mut diags);
    diags.dedup();
    (l.p, diags)
}

/// Properties whose statement has a block of its own.
const TAKES_BLOCK: &[&str] = &[
    "cpu",
    "chipset",
    "nic",
    "disk",
    "controller",
    "hba",
    "card",
    "memory",
    "shard",
];

/// What a reference may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Site,
    Feed,
    Rack,
    Model,
    Device,
    Host,
    Tier,
    Service,
    Hop,
    /// What a `dns` may resolve: a service or a CDN.
    Resolvable,
}

impl Kind {
    fn accepts(self, e: Element) -> bool {
        matches!(
            (self, e),
            (Kind::Site, Element::Site(_))
                | (Kind::Feed, Element::Feed(_))
                | (Kind::Rack, Element::Rack(_))
                | (Kind::Model, Element::Model(_))
                | (Kind::Device, Element::Device(_))
                | (Kind::Host, Element::Device(_) | Element::Vm(_))
                | (Kind::Tier, Element::Tier(_))
                | (Kind::Service, Element::Service(_))
                | (
                    Kind::Hop,
                    Element::Client(_) | Element::Service(_) | Element::Cdn(_)
                )
                | (Kind::Resolvable, Element::Service(_) | Element::Cdn(_))
        )
    }

    fn noun(self) -> &'static str {
        match self {
            Kind::Site => "site",
            Kind::Feed => "feed",
            Kind::Rack => "rack",
            Kind::Model => "model",
            Kind::Device => "device",
            Kind::Host => "host (device or vm)",
            Kind::Tier => "tier",
            Kind::Service => "service",
            Kind::Hop => "client, service or cdn",
            Kind::Resolvable => "service or cdn",
        }
    }
}

/// A top-level declaration waiting for its second pass.
struct Decl<'a> {
    statement: &'a Statement,
    keyword: &'a str,
    /// The elements it declared (several for a range), with their names.
    elements: Vec<Element>,
}

/// A model's resolved properties and part drafts, which devices start from.
#[derive(Clone, Default)]
struct Draft {
    props: DeviceProps,
    /// Shared until a device adds or changes a part: devices of a model do
    /// not copy its parts.
    parts: Arc<PartDrafts>,
    allows: Vec<AllowId>,
    internals: Arc<Internals>,
}

/// Parts in declaration order, with an index by name (models may hold
/// hundreds of thousands of parts).
#[derive(Clone, Default)]
struct PartDrafts {
    list: Vec<PartDraft>,
    index: HashMap<String, usize>,
}

#[derive(Clone)]
struct PartDraft {
    name: String,
    span: Span,
    kind: PartKind,
    bus: Option<(Bus, Spanned<String>)>,
    allows: Vec<AllowId>,
}

struct Lowerer<'a> {
    p: Project,
    diags: Vec<Diagnostic>,
    decls: Vec<Decl<'a>>,
    /// Indexed by ModelId; None until resolved.
    model_drafts: Vec<Option<Draft>>,
    /// Everything expansion has created so far (LANGUAGE.md §5).
    budget: ElementBudget,
    /// How many elements the statement being lowered declares: each list
    /// entry and part it holds is copied into every one of them.
    copies: u64,
    /// The statement being lowered, and the last one refused for passing the
    /// element limit (one error per statement).
    statement: Option<Span>,
    refused: Option<Span>,
    /// Candidates compared for suggestions so far, against [`SUGGESTION_WORK`].
    suggestion_work: u64,
}

/// A cursor over a statement's arguments.
struct Args<'s> {
    items: &'s [Item],
    pos: usize,
    /// Where to point when an argument is missing: the end of what was read.
    after: Span,
    keyword: &'s str,
}

impl<'s> Args<'s> {
    fn of(statement: &'s Statement) -> Args<'s> {
        Args {
            items: statement.args(),
            pos: 0,
            after: statement.keyword_span(),
            keyword: statement.keyword().unwrap_or(""),
        }
    }

    fn peek(&self) -> Option<&'s Item> {
        self.items.get(self.pos)
    }

    fn next(&mut self) -> Option<&'s Item> {
        let item = self.items.get(self.pos)?;
        self.pos += 1;
        self.after = item.span;
        Some(item)
    }

    fn peek_word(&self) -> Option<&'s str> {
        match &self.peek()?.kind {
            ItemKind::Word(w) => w.plain(),
            _ => None,
        }
    }

    /// Consumes `word` if it comes next.
    fn eat(&mut self, word: &str) -> bool {
        if self.peek_word() == Some(word) {
            self.next();
            true
        } else {
            false
        }
    }

    /// Marks every argument read (by a caller that reads the items itself).
    fn skip_rest(&mut self) {
        self.pos = self.items.len();
    }

    fn is_done(&self) -> bool {
        self.pos >= self.items.len()
    }

    fn missing_span(&self) -> Span {
        Span {
            start: self.after.end,
            end: self.after.end,
            ..self.after
        }
    }
}

fn word_of(item: &Item) -> Option<&Word> {
    match &item.kind {
        ItemKind::Word(w) => Some(w),
        _ => None,
    }
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

    /// Reserves `count` elements for each copy the current statement makes,
    /// before they are allocated. On refusal, reports the statement once
    /// (at `span`, naming `subject` and the figures) and returns false.
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
        if self.refused.is_none() || self.refused != self.statement {
            self.refused = self.statement;
            let subject = subject(self);
            let mut message = exceeded.message(&subject, noun);
            if self.copies > 1 {
                message.push_str(&format!(
                    " ({} for each of the {} elements this statement declares)",
                    thousands(count),
                    thousands(self.copies)
                ));
            }
            self.invalid(span, message).label = Some("too many elements".into());
        }
        false
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

    fn declare(&mut self, file: FileId, statement: &'a Statement) {
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
        match keyword {
            "include" => self.check_include(statement),
            "allow" => {
                if let Some(b) = &statement.block {
                    self.error(rule::SYNTAX, b.span, "`allow` takes no block");
                }
                let ids = self.allows(statement, AllowScope::File(file));
                let _ = ids;
            }
            "link" | "replicate" => self.decls.push(Decl {
                statement,
                keyword,
                elements: Vec::new(),
            }),
            _ if TOP_LEVEL_KEYWORDS.contains(&keyword) => {
                let elements = self.declare_names(statement, keyword);
                self.decls.push(Decl {
                    statement,
                    keyword,
                    elements,
                });
            }
            _ => {
                let d = Diagnostic::error(
                    rule::SYNTAX,
                    statement.keyword_span(),
                    format!("unknown keyword `{}`", echo(keyword)),
                )
                .with_label("not a statement of the topo language")
                .with_suggestion(closest(keyword, TOP_LEVEL_KEYWORDS.iter().copied()));
                self.diags.push(d);
            }
        }
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
            match word_of(item).and_then(Word::plain) {
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

    fn declare_names(&mut self, statement: &'a Statement, keyword: &str) -> Vec<Element> {
        let Some(item) = statement.args().first() else {
            self.error(
                rule::SYNTAX,
                statement.span,
                format!("`{keyword}` needs a name"),
            )
            .label = Some("a name goes here".into());
            return Vec::new();
        };
        let segment = match &item.kind {
            ItemKind::Word(w) if !w.is_dotted() => &w.segments[0],
            other => {
                self.error(
                    rule::SYNTAX,
                    item.span,
                    format!("`{keyword}` needs a name, found {}", other.describe()),
                );
                return Vec::new();
            }
        };
        let names = match segment_count(segment) {
            Ok(count)
                if !self.reserve(
                    count,
                    item.span,
                    |_| format!("`{}`", echo(&item.text())),
                    "names",
                ) =>
            {
                return Vec::new()
            }
            Ok(_) => expand_segment(segment),
            Err(d) => Err(d),
        };
        let names = match names {
            Ok(names) => names,
            Err(d) => {
                self.diags.push(d);
                return Vec::new();
            }
        };
        let span = item.span;
        let mut out = Vec::with_capacity(names.len());
        for name in names {
            if let Some(&existing) = self.p.names.get(&name) {
                let first = self.p.span_of(existing);
                let kind = self.p.kind_of(existing);
                let d = Diagnostic::error(
                    rule::DUPLICATE_NAME,
                    span,
                    format!("`{}` is declared twice", echo(&name)),
                )
                .with_label(format!("`{}` declared again here", echo(&name)))
                .with_related(first, format!("first declared here, as a {kind}"));
                self.diags.push(d);
                continue;
            }
            let element = self.create(keyword, name.clone(), span);
            self.p.names.insert(name, element);
            out.push(element);
        }
        out
    }

    /// Creates an element with defaults; pass 2 fills it in.
    fn create(&mut self, keyword: &str, name: String, span: Span) -> Element {
        let node = NodeIndex::end();
        let p = &mut self.p;
        macro_rules! push {
            ($vec:ident, $id:ident, $variant:ident, $value:expr) => {{
                let id = $id(p.$vec.len() as u32);
                p.$vec.push($value);
                Element::$variant(id)
            }};
        }
        match keyword {
            "site" => push!(
                sites,
                SiteId,
                Site,
                Site {
                    name,
                    span,
                    role: None,
                    backs: None,
                    upstream: None,
                    uplink: None,
                    allows: vec![],
                    node
                }
            ),
            "feed" => push!(
                feeds,
                FeedId,
                Feed,
                Feed {
                    name,
                    span,
                    site: None,
                    circuit: None,
                    allows: vec![],
                    node
                }
            ),
            "rack" => push!(
                racks,
                RackId,
                Rack,
                Rack {
                    name,
                    span,
                    site: None,
                    height: Spanned::new(42, span),
                    feeds: vec![],
                    max_weight: None,
                    weight: None,
                    power: None,
                    voltage: None,
                    airflow: None,
                    devices: vec![],
                    allows: vec![],
                    node,
                }
            ),
            "model" => {
                self.model_drafts.push(None);
                push!(
                    models,
                    ModelId,
                    Model,
                    DeviceModel {
                        name,
                        span,
                        parent: None,
                        props: DeviceProps::default(),
                        internals: Arc::default(),
                        allows: vec![]
                    }
                )
            }
            "vm" => push!(
                vms,
                VmId,
                Vm,
                Vm {
                    name,
                    span,
                    host: None,
                    failover: None,
                    ram: None,
                    allows: vec![],
                    node
                }
            ),
            "tier" => {
                let level = p.tiers.len();
                push!(
                    tiers,
                    TierId,
                    Tier,
                    Tier {
                        name,
                        span,
                        level,
                        role: None,
                        allows: vec![],
                        node
                    }
                )
            }
            "service" | "dns" => {
                let kind = if keyword == "dns" {
                    ServiceKind::Dns
                } else {
                    ServiceKind::Service
                };
                push!(
                    services,
                    ServiceId,
                    Service,
                    blank_service(name, span, kind)
                )
            }
            "client" => push!(
                clients,
                ClientId,
                Client,
                Client {
                    name,
                    span,
                    kind: None,
                    allows: vec![],
                    node
                }
            ),
            "cdn" => push!(
                cdns,
                CdnId,
                Cdn,
                Cdn {
                    name,
                    span,
                    origin: None,
                    pops: None,
                    allows: vec![],
                    node
                }
            ),
            "flow" => push!(
                flows,
                FlowId,
                Flow,
                Flow {
                    name,
                    span,
                    paths: vec![],
                    content: None,
                    rate: None,
                    allows: vec![],
                    node
                }
            ),
            "partition" => push!(
                partitions,
                PartitionId,
                Partition,
                Partition {
                    name,
                    span,
                    services: vec![],
                    allows: vec![],
                    node
                }
            ),
            device_kind => {
                let kind = DeviceKind::from_keyword(device_kind).unwrap_or(DeviceKind::Device);
                push!(
                    devices,
                    DeviceId,
                    Device,
                    Device {
                        name,
                        span,
                        kind,
                        model: None,
                        props: DeviceProps::default(),
                        placement: None,
                        site: None,
                        internals: Arc::default(),
                        allows: vec![],
                        node,
                    }
                )
            }
        }
    }

    // ----------------------------------------------------------------------
    // Pass 2
    // ----------------------------------------------------------------------

    fn lower_all(&mut self) {
        let decls = std::mem::take(&mut self.decls);
        let order = |k: &str| match k {
            "site" | "feed" | "rack" | "tier" => 0,
            "model" => 1,
            "vm" => 3,
            "service" | "dns" => 4,
            "client" | "cdn" => 5,
            "flow" | "partition" | "replicate" | "link" => 6,
            _ => 2, // devices
        };
        let mut model_decls = vec![None; self.p.models.len()];
        for (i, d) in decls.iter().enumerate() {
            if let ("model", Some(Element::Model(m))) = (d.keyword, d.elements.first()) {
                model_decls[m.index()] = Some(i);
            }
        }
        let mut sorted: Vec<&Decl> = decls.iter().collect();
        sorted.sort_by_key(|d| order(d.keyword));
        for decl in sorted {
            self.statement = Some(decl.statement.span);
            self.copies = decl.elements.len().max(1) as u64;
            match decl.keyword {
                "site" => self.lower_site(decl),
                "feed" => self.lower_feed(decl),
                "rack" => self.lower_rack(decl),
                "tier" => self.lower_tier(decl),
                "model" => {
                    if let Some(&Element::Model(id)) = decl.elements.first() {
                        self.resolve_model(id, &decls, &model_decls);
                    }
                }
                "vm" => self.lower_vm(decl),
                "service" | "dns" => self.lower_service(decl),
                "client" => self.lower_client(decl),
                "cdn" => self.lower_cdn(decl),
                "flow" => self.lower_flow(decl),
                "partition" => self.lower_partition(decl),
                "replicate" => self.lower_replicate(decl),
                "link" => self.lower_link(decl),
                _ => self.lower_device(decl),
            }
        }
        self.decls = decls;
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
        if args.get(i).and_then(word_of).and_then(Word::plain) == Some("on") {
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

    /// The block's statements, each checked against `properties`.
    fn body<'s>(
        &mut self,
        statement: &'s Statement,
        context: &str,
        properties: &[&str],
    ) -> Vec<(&'s str, &'s Statement)> {
        let Some(block) = &statement.block else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for s in &block.statements {
            if s.has_arrow() && context == "a flow" {
                out.push(("->", s));
                continue;
            }
            match s.keyword() {
                Some(k) if properties.contains(&k) => out.push((k, s)),
                Some(k) => {
                    let d = Diagnostic::error(
                        rule::SYNTAX,
                        s.keyword_span(),
                        format!("unknown property `{}` in {context}", echo(k)),
                    )
                    .with_label(format!("{context} has no `{}`", echo(k)))
                    .with_help(match closest(k, properties.iter().copied()) {
                        Some(c) => format!("did you mean `{c}`?"),
                        None => format!("{context} takes: {}", properties.join(", ")),
                    });
                    self.diags.push(d);
                }
                None => {
                    self.error(
                        rule::SYNTAX,
                        s.items[0].span,
                        format!("expected a property, found {}", s.items[0].kind.describe()),
                    );
                }
            }
        }
        out
    }

    /// Lowers a declaration's block. `allow` is recorded for the element;
    /// every other property goes to `apply`, which reads its arguments from
    /// the cursor. Arguments left unread, and a block on a property that
    /// takes none, are reported. Returns the element's allows.
    fn properties<'s>(
        &mut self,
        statement: &'s Statement,
        context: &str,
        props: &[&str],
        mut apply: impl FnMut(&mut Self, &'s str, &mut Args<'s>, &'s Statement),
    ) -> Vec<AllowId> {
        let mut all = props.to_vec();
        all.push("allow");
        let mut allows = Vec::new();
        for (k, s) in self.body(statement, context, &all) {
            if k == "allow" {
                allows.extend(self.element_allows(s));
                continue;
            }
            let mut a = Args::of(s);
            let errors_before = self.diags.len();
            apply(self, k, &mut a, s);
            // After an error the rest of the line is not worth a second one.
            if self.diags.len() == errors_before {
                self.end(&a);
            }
            if !TAKES_BLOCK.contains(&k) {
                self.no_block(s);
            }
        }
        allows
    }

    fn no_block(&mut self, statement: &Statement) {
        if let Some(b) = &statement.block {
            self.error(
                rule::SYNTAX,
                b.span,
                format!("`{}` takes no block", statement.keyword().unwrap_or("")),
            );
        }
    }

    // ---- argument helpers -------------------------------------------------

    fn need<'s>(&mut self, args: &mut Args<'s>, what: &str) -> Option<&'s Item> {
        let item = args.next();
        if item.is_none() {
            let span = args.missing_span();
            self.invalid(span, format!("`{}` needs {what}", args.keyword))
                .label = Some(format!("{what} expected here"));
        }
        item
    }

    fn end(&mut self, args: &Args) {
        if let Some(extra) = args.peek() {
            let span = extra
                .span
                .to(args.items.last().map_or(extra.span, |i| i.span));
            self.error(
                rule::SYNTAX,
                span,
                format!(
                    "unexpected `{}` after `{}`",
                    echo(&extra.text()),
                    args.keyword
                ),
            )
            .label = Some("not expected here".into());
        }
    }

    fn quantity_of(&mut self, item: &Item) -> Option<Quantity> {
        match &item.kind {
            ItemKind::Quantity {
                value,
                unit,
                unit_span,
            } => match units::quantity_from_parts(*value, unit) {
                Ok(q) => Some(q),
                Err(e) => {
                    let d = Diagnostic::error(
                        rule::UNIT_MISMATCH,
                        *unit_span,
                        format!("unknown unit `{}`", echo(unit)),
                    )
                    .with_label("not a unit of the language")
                    .with_suggestion(e.suggestion);
                    self.diags.push(d);
                    None
                }
            },
            ItemKind::Number(v) => Some(Quantity::bare(*v)),
            other => {
                self.invalid(
                    item.span,
                    format!("expected a number, found {}", other.describe()),
                );
                None
            }
        }
    }

    fn convert<T>(
        &mut self,
        item: &Item,
        convert: fn(&Quantity) -> Result<T, QuantityError>,
    ) -> Option<Spanned<T>> {
        let q = self.quantity_of(item)?;
        match convert(&q) {
            Ok(v) => Some(Spanned::new(v, item.span)),
            Err(e) => {
                self.quantity_error(item.span, e);
                None
            }
        }
    }

    fn quantity_error(&mut self, span: Span, e: QuantityError) {
        let d = match e {
            QuantityError::Mismatch { expected, found } => {
                let d = Diagnostic::error(
                    rule::UNIT_MISMATCH,
                    span,
                    format!("expected {expected}, found {found}"),
                )
                .with_label(format!("this is {}", found.phrase()));
                if found == Dimension::Count {
                    d.with_help("write the unit right after the number, e.g. `30A`, `42U`, `25GbE`")
                } else {
                    d
                }
            }
            QuantityError::NotWhole => {
                Diagnostic::error(rule::INVALID_VALUE, span, "expected a whole number")
            }
            QuantityError::Negative => Diagnostic::error(
                rule::INVALID_VALUE,
                span,
                "a negative value makes no sense here",
            ),
            QuantityError::OutOfRange { what } => {
                Diagnostic::error(rule::INVALID_VALUE, span, what)
            }
        };
        self.diags.push(d);
    }

    fn take<T>(
        &mut self,
        args: &mut Args,
        what: &str,
        convert: fn(&Quantity) -> Result<T, QuantityError>,
    ) -> Option<Spanned<T>> {
        let item = self.need(args, what)?;
        self.convert(item, convert)
    }

    /// A whole number in 0..=max.
    fn take_count(&mut self, args: &mut Args, what: &str, max: u64) -> Option<Spanned<u64>> {
        let item = self.need(args, what)?;
        let n = self.convert(item, Quantity::as_count)?;
        if n.value > max {
            self.invalid(
                item.span,
                format!("{} is too large for {what} (at most {max})", n.value),
            );
            return None;
        }
        Some(n)
    }

    fn take_u32(&mut self, args: &mut Args, what: &str, min: u64) -> Option<Spanned<u32>> {
        let n = self.take_count(args, what, u32::MAX as u64)?;
        if n.value < min {
            self.invalid(n.span, format!("{what} must be at least {min}"));
            return None;
        }
        Some(Spanned::new(n.value as u32, n.span))
    }

    /// One of a fixed set of words.
    fn take_choice<T: Copy>(
        &mut self,
        args: &mut Args,
        what: &str,
        choices: &[(&str, T)],
    ) -> Option<Spanned<T>> {
        let item = self.need(args, what)?;
        self.choice(item, what, choices)
    }

    fn choice<T: Copy>(
        &mut self,
        item: &Item,
        what: &str,
        choices: &[(&str, T)],
    ) -> Option<Spanned<T>> {
        let names = || choices.iter().map(|(n, _)| *n);
        let word = word_of(item).and_then(Word::plain);
        if let Some(w) = word {
            if let Some((_, v)) = choices.iter().find(|(n, _)| *n == w) {
                return Some(Spanned::new(*v, item.span));
            }
        }
        let found = word.map_or_else(
            || item.kind.describe().to_string(),
            |w| format!("`{}`", echo(w)),
        );
        let list = names()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let d = Diagnostic::error(
            rule::INVALID_VALUE,
            item.span,
            format!("{found} is not {what}: expected one of {list}"),
        )
        .with_suggestion(word.and_then(|w| closest(w, names())));
        self.diags.push(d);
        None
    }

    fn take_word<'s>(&mut self, args: &mut Args<'s>, what: &str) -> Option<Spanned<&'s str>> {
        let item = self.need(args, what)?;
        match word_of(item).and_then(Word::plain) {
            Some(w) => Some(Spanned::new(w, item.span)),
            None => {
                self.invalid(
                    item.span,
                    format!("expected {what}, found {}", item.kind.describe()),
                );
                None
            }
        }
    }

    fn take_keyword(&mut self, args: &mut Args, keyword: &str) -> bool {
        if args.eat(keyword) {
            return true;
        }
        let span = args.peek().map_or_else(|| args.missing_span(), |i| i.span);
        self.error(rule::SYNTAX, span, format!("expected `{keyword}`"));
        false
    }

    // ---- name resolution --------------------------------------------------

    fn wrong_kind(&mut self, name: &str, e: Element, span: Span, kind: Kind, others: usize) {
        let found = self.p.kind_of(e);
        let message = and_more(
            format!("`{}` is a {found}, not a {}", echo(name), kind.noun()),
            others,
        );
        let d = Diagnostic::error(rule::INVALID_VALUE, span, message)
            .with_label(format!("expected a {}", kind.noun()))
            .with_related(
                self.p.span_of(e),
                format!("`{}` is declared here", echo(name)),
            );
        self.diags.push(d);
    }

    fn unknown(&mut self, name: &str, span: Span, kind: Kind, others: usize) {
        let count = self.p.names.len();
        let names = &self.p.names;
        let candidates: Vec<&str> =
            if self.suggestion_work.saturating_add(count as u64) <= SUGGESTION_WORK {
                names
                    .iter()
                    .filter(|(_, e)| kind.accepts(**e))
                    .map(|(n, _)| n.as_str())
                    .collect()
            } else {
                Vec::new()
            };
        let suggestion = closest(name, candidates.iter().copied()).map(str::to_string);
        drop(candidates);
        self.suggestion_work = self.suggestion_work.saturating_add(count as u64);
        let message = and_more(format!("unknown {} `{}`", kind.noun(), echo(name)), others);
        let d = Diagnostic::error(rule::UNKNOWN_NAME, span, message)
            .with_label(format!("no {} is called `{}`", kind.noun(), echo(name)))
            .with_suggestion(suggestion.as_deref());
        self.diags.push(d);
    }

    /// Resolves one item that may be a range; returns every element. Misses
    /// of a range are reported once, with their count, rather than once per
    /// name; names are looked up without allocating one string each.
    fn resolve_item(&mut self, item: &Item, kind: Kind) -> Vec<Spanned<Element>> {
        let Some(word) = word_of(item) else {
            self.invalid(
                item.span,
                format!(
                    "expected a {} name, found {}",
                    kind.noun(),
                    item.kind.describe()
                ),
            );
            return Vec::new();
        };
        if word.is_dotted() {
            self.invalid(
                item.span,
                format!("expected a {} name, found a dotted reference", kind.noun()),
            );
            return Vec::new();
        }
        let segment = &word.segments[0];
        let count = match segment_count(segment) {
            Ok(count) => count,
            Err(d) => {
                self.diags.push(d);
                return Vec::new();
            }
        };
        let subject = |_: &Self| format!("`{}`", echo(&item.text()));
        if !self.reserve(count, item.span, subject, "references") {
            return Vec::new();
        }
        let mut found = Vec::with_capacity(count as usize);
        let mut unknown: Option<(String, usize)> = None;
        let mut wrong: Option<(String, Element, usize)> = None;
        let names = &self.p.names;
        let walked = each_name(segment, |name| match names.get(name) {
            Some(&e) if kind.accepts(e) => found.push(Spanned::new(e, item.span)),
            Some(&e) => match &mut wrong {
                Some((_, _, n)) => *n += 1,
                None => wrong = Some((name.to_string(), e, 0)),
            },
            None => match &mut unknown {
                Some((_, n)) => *n += 1,
                None => unknown = Some((name.to_string(), 0)),
            },
        });
        if let Err(d) = walked {
            self.diags.push(d);
            return Vec::new();
        }
        if let Some((name, e, others)) = wrong {
            self.wrong_kind(&name, e, item.span, kind, others);
        }
        if let Some((name, others)) = unknown {
            self.unknown(&name, item.span, kind, others);
        }
        found
    }

    /// Resolves one item naming exactly one element.
    fn resolve_one(&mut self, item: &Item, kind: Kind) -> Option<Spanned<Element>> {
        let all = self.resolve_item(item, kind);
        if all.len() > 1 {
            self.invalid(
                item.span,
                format!(
                    "expected one {}, found a range of {}",
                    kind.noun(),
                    all.len()
                ),
            );
            return None;
        }
        all.into_iter().next()
    }

    fn take_one(&mut self, args: &mut Args, kind: Kind) -> Option<Spanned<Element>> {
        let what = format!("a {}", kind.noun());
        let item = self.need(args, &what)?;
        self.resolve_one(item, kind)
    }

    /// The rest of the arguments as a list of names (ranges expanded).
    fn take_list(&mut self, args: &mut Args, kind: Kind) -> Vec<Spanned<Element>> {
        if args.is_done() {
            let span = args.missing_span();
            self.invalid(
                span,
                format!("`{}` needs at least one {}", args.keyword, kind.noun()),
            );
        }
        let mut out = Vec::new();
        while let Some(item) = args.next() {
            out.extend(self.resolve_item(item, kind));
        }
        out
    }

    // ---- sites, power, racks, tiers ---------------------------------------

    fn element_allows(&mut self, statement: &Statement) -> Vec<AllowId> {
        // Every element of a range holds the list.
        let count = statement.args().len() as u64;
        if !self.reserve(count, statement.span, |_| "this `allow`".into(), "allows") {
            return Vec::new();
        }
        self.allows(statement, AllowScope::Local)
    }

    fn lower_site(&mut self, decl: &Decl) {
        self.header(decl.statement, false, false);
        let mut role = None;
        let mut backs = None;
        let mut upstream = None;
        let mut uplink = None;
        let allows = self.properties(
            decl.statement,
            "a site",
            &["role", "backs", "upstream", "uplink"],
            |l, k, a, _| match k {
                "role" => {
                    role = l.take_choice(
                        a,
                        "a site role",
                        &[
                            ("primary", SiteRole::Primary),
                            ("secondary", SiteRole::Secondary),
                            ("dr", SiteRole::Dr),
                            ("edge", SiteRole::Edge),
                        ],
                    )
                }
                "backs" => backs = l.take_one(a, Kind::Site).map(site_id),
                "upstream" => upstream = l.take_one(a, Kind::Site).map(site_id),
                "uplink" => uplink = l.take(a, "a bandwidth", Quantity::as_bandwidth),
                _ => {}
            },
        );
        for e in &decl.elements {
            if let Element::Site(id) = *e {
                let s = &mut self.p.sites[id.index()];
                s.role = role;
                s.backs = backs;
                s.upstream = upstream;
                s.uplink = uplink;
                s.allows = allows.clone();
                if backs.is_some_and(|b| b.value == id) {
                    self.invalid(backs.unwrap().span, "a site cannot back itself");
                }
            }
        }
    }

    fn circuit(&mut self, args: &mut Args) -> Option<Spanned<Circuit>> {
        let limit = self.take(
            args,
            "a current or power (`30A at 208V`, `5kW`)",
            Quantity::as_draw,
        )?;
        let mut span = limit.span;
        let voltage = if args.eat("at") {
            let v = self.take(args, "a voltage", Quantity::as_voltage)?;
            span = span.to(v.span);
            Some(v.value)
        } else {
            None
        };
        if matches!(limit.value, Draw::Current(_)) && voltage.is_none() {
            self.invalid(
                span,
                "a circuit in A needs its voltage to give a power budget",
            )
            .help = Some("add the voltage: `circuit 30A at 208V`".into());
            return None;
        }
        if let Some(v) = voltage {
            if v.get() <= 0.0 {
                self.invalid(span, "a circuit's voltage must be above 0 V");
                return None;
            }
        }
        Some(Spanned::new(
            Circuit {
                limit: limit.value,
                voltage,
            },
            span,
        ))
    }

    fn lower_feed(&mut self, decl: &Decl) {
        self.header(decl.statement, false, false);
        let (mut site, mut circuit) = (None, None);
        let allows = self.properties(
            decl.statement,
            "a feed",
            &["site", "circuit"],
            |l, k, a, _| match k {
                "site" => site = l.take_one(a, Kind::Site).map(site_id),
                "circuit" => circuit = l.circuit(a),
                _ => {}
            },
        );
        for e in &decl.elements {
            if let Element::Feed(id) = *e {
                let f = &mut self.p.feeds[id.index()];
                f.site = site;
                f.circuit = circuit;
                f.allows = allows.clone();
            }
        }
    }

    fn lower_rack(&mut self, decl: &Decl) {
        self.header(decl.statement, false, false);
        let mut r = Rack {
            name: String::new(),
            span: decl.statement.span,
            site: None,
            height: Spanned::new(42, decl.statement.span),
            feeds: vec![],
            max_weight: None,
            weight: None,
            power: None,
            voltage: None,
            airflow: None,
            devices: vec![],
            allows: vec![],
            node: NodeIndex::end(),
        };
        let props = [
            "site",
            "height",
            "feeds",
            "max-weight",
            "weight",
            "power",
            "voltage",
            "airflow",
        ];
        let allows = self.properties(decl.statement, "a rack", &props, |l, k, a, _| match k {
                "site" => r.site = l.take_one(a, Kind::Site).map(site_id),
                "height" => {
                    if let Some(h) = l.take(a, "a height in U", Quantity::as_rack_units) {
                        if h.value.get() == 0 || h.value.get() > MAX_RACK_HEIGHT {
                            l.invalid(h.span, format!("a rack of {}U is not a rack: heights run from 1U to {MAX_RACK_HEIGHT}U (common: 42U, 45U, 47U, 48U)", h.value.get()));
                        } else {
                            r.height = Spanned::new(h.value.get(), h.span);
                        }
                    }
                }
                "feeds" => {
                    r.feeds = l
                        .take_list(a, Kind::Feed)
                        .into_iter()
                        .map(|e| match e.value {
                            Element::Feed(f) => Spanned::new(f, e.span),
                            _ => unreachable!("resolved as a feed"),
                        })
                        .collect();
                }
                "max-weight" => r.max_weight = l.take(a, "a mass", Quantity::as_mass),
                "weight" => r.weight = l.take(a, "a mass", Quantity::as_mass),
                "power" => r.power = l.circuit(a),
                "voltage" => r.voltage = l.take(a, "a voltage", Quantity::as_voltage),
                "airflow" => {
                    r.airflow = l.take_choice(a, "a rack airflow", &[("front-to-rear", Airflow::FrontToRear), ("rear-to-front", Airflow::RearToFront)])
                }
            _ => {}
        });
        r.allows.extend(allows);
        let mut seen = HashSet::new();
        for f in &r.feeds {
            if !seen.insert(f.value) {
                self.invalid(
                    f.span,
                    format!(
                        "feed `{}` is listed twice",
                        echo(&self.p.feeds[f.value.index()].name)
                    ),
                );
            }
        }
        for e in &decl.elements {
            if let Element::Rack(id) = *e {
                let rack = &mut self.p.racks[id.index()];
                let (name, span) = (std::mem::take(&mut rack.name), rack.span);
                *rack = Rack {
                    name,
                    span,
                    ..r.clone()
                };
            }
        }
    }

    fn lower_tier(&mut self, decl: &Decl) {
        self.header(decl.statement, false, false);
        let mut role = None;
        let allows = self.properties(decl.statement, "a tier", &["role"], |l, _, a, _| {
            role = l.take_choice(
                a,
                "a tier role",
                &[
                    ("presentation", TierRole::Presentation),
                    ("application", TierRole::Application),
                    ("cache", TierRole::Cache),
                    ("data", TierRole::Data),
                ],
            )
        });
        for e in &decl.elements {
            if let Element::Tier(id) = *e {
                self.p.tiers[id.index()].role = role;
                self.p.tiers[id.index()].allows = allows.clone();
            }
        }
    }

    // ---- models and devices -----------------------------------------------

    /// Resolves a model and the models it inherits from, in chain order,
    /// without recursion (chains may be long in generated files).
    fn resolve_model(&mut self, id: ModelId, decls: &[Decl], model_decls: &[Option<usize>]) {
        let model_decl = |m: ModelId| model_decls[m.index()].map(|i| &decls[i]);
        let mut chain = vec![id];
        loop {
            let current = *chain.last().expect("chain is never empty");
            if self.model_drafts[current.index()].is_some() {
                break;
            }
            let Some(decl) = model_decl(current) else {
                break;
            };
            let (parent, _) = self.header(decl.statement, true, false);
            let Some(parent_item) = parent else { break };
            let Some(pe) = self.resolve_one(parent_item, Kind::Model) else {
                break;
            };
            let Element::Model(parent_id) = pe.value else {
                break;
            };
            self.p.models[current.index()].parent = Some(Spanned::new(parent_id, pe.span));
            if let Some(pos) = chain.iter().position(|m| *m == parent_id) {
                let names: Vec<&str> = chain[pos..]
                    .iter()
                    .chain(std::iter::once(&parent_id))
                    .map(|m| self.p.models[m.index()].name.as_str())
                    .collect();
                let message = format!("model inheritance cycle: {}", names.join(" → "));
                self.invalid(pe.span, message).label =
                    Some("this model inherits from itself through this chain".into());
                self.p.models[current.index()].parent = None;
                break;
            }
            chain.push(parent_id);
        }
        // Resolve from the base down.
        while let Some(m) = chain.pop() {
            if self.model_drafts[m.index()].is_some() {
                continue;
            }
            let parent = self.p.models[m.index()].parent;
            let mut base = parent
                .and_then(|p| self.model_drafts[p.value.index()].clone())
                .unwrap_or_default();
            let Some(decl) = model_decl(m) else { continue };
            self.statement = Some(decl.statement.span);
            self.copies = 1;
            if let Some(parent) = parent {
                // A model holds the parts it inherits.
                let model = parent.value.index();
                let subject = move |l: &Self| {
                    format!("the parts of model `{}`", echo(&l.p.models[model].name))
                };
                if !self.reserve(base.parts.list.len() as u64, parent.span, subject, "parts") {
                    base.parts = Arc::default();
                    base.internals = Arc::default();
                }
            }
            let draft =
                self.apply_device_body(decl.statement, base, true, &mut Placement0::default());
            let model = &mut self.p.models[m.index()];
            model.props = draft.props.clone();
            model.internals = draft.internals.clone();
            model.allows = draft.allows.clone();
            self.model_drafts[m.index()] = Some(draft);
        }
    }

    /// Applies a model's or device's block to a starting draft.
    fn apply_device_body(
        &mut self,
        statement: &Statement,
        mut draft: Draft,
        is_model: bool,
        placement: &mut Placement0,
    ) -> Draft {
        let mut props: Vec<&str> = vec![
            "size",
            "draw",
            "weight",
            "psu",
            "fan",
            "redundant",
            "ports",
            "airflow",
            "cpu",
            "chipset",
            "nic",
            "disk",
            "controller",
            "hba",
            "card",
        ];
        if !is_model {
            props.extend(["rack", "site"]);
        }
        let context = if is_model { "a model" } else { "a device" };
        let mut parts_changed = false;
        let allows = self.properties(statement, context, &props, |l, k, a, s| match k {
            "size" => {
                if let Some(v) = l.take(a, "a size in U", Quantity::as_rack_units) {
                    if v.value.get() > MAX_RACK_HEIGHT {
                        l.invalid(
                            v.span,
                            format!("a device of {}U is taller than any rack", v.value.get()),
                        );
                    } else {
                        draft.props.size = Some(Spanned::new(v.value.get(), v.span));
                    }
                }
            }
            "draw" => {
                draft.props.draw = l
                    .take(a, "a power or current", Quantity::as_draw)
                    .or(draft.props.draw)
            }
            "weight" => {
                draft.props.weight = l
                    .take(a, "a mass", Quantity::as_mass)
                    .or(draft.props.weight)
            }
            "psu" => {
                draft.props.psu = l
                    .take_u32(a, "a number of power supplies", 1)
                    .or(draft.props.psu)
            }
            "fan" => draft.props.fans = l.take_u32(a, "a number of fans", 0).or(draft.props.fans),
            "redundant" => draft.props.redundant = Some(s.keyword_span()),
            "airflow" => {
                draft.props.airflow = l
                    .take_choice(a, "an airflow", &Airflow::ALL)
                    .or(draft.props.airflow)
            }
            "ports" => draft.props.ports = l.ports(a).or(draft.props.ports),
            "rack" => {
                // Read the whole `rack R at Un` even when R is unknown,
                // so one mistake gives one error.
                let rack = l.take_one(a, Kind::Rack);
                let position = if l.take_keyword(a, "at") {
                    l.position(a)
                } else {
                    None
                };
                if let (
                    Some(Spanned {
                        value: Element::Rack(rack),
                        ..
                    }),
                    Some(pos),
                ) = (rack, position)
                {
                    placement.rack = Some((rack, pos.value, s.span));
                }
            }
            "site" => placement.site = l.take_one(a, Kind::Site).map(site_id),
            part => {
                a.skip_rest();
                l.part(part, s, &mut draft.parts);
                parts_changed = true;
            }
        });
        draft.allows.extend(allows);
        if parts_changed {
            draft.internals = Arc::new(self.finish_internals(&draft.parts.list));
        }
        draft
    }

    /// `U10`: a position in a rack.
    fn position(&mut self, args: &mut Args) -> Option<Spanned<u32>> {
        let item = self.need(args, "a position like `U10`")?;
        if let Some(w) = word_of(item).and_then(Word::plain) {
            if let Some(n) = w
                .strip_prefix('U')
                .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            {
                return match n.parse::<u32>() {
                    Ok(n) if n <= 10_000 => Some(Spanned::new(n, item.span)),
                    _ => {
                        self.invalid(
                            item.span,
                            format!("position `{}` is far beyond any rack", echo(w)),
                        );
                        None
                    }
                };
            }
        }
        let d = Diagnostic::error(
            rule::INVALID_VALUE,
            item.span,
            format!(
                "expected a position like `U10`, found {}",
                item.kind.describe()
            ),
        );
        let d =
            d.with_help("a position puts the `U` first: `at U10`; a size puts it last: `size 2U`");
        self.diags.push(d);
        None
    }

    /// `ports N x SPEED`.
    fn ports(&mut self, args: &mut Args) -> Option<Spanned<Ports>> {
        let count = self.take_u32(args, "a number of ports", 1)?;
        if !self.take_keyword(args, "x") {
            return None;
        }
        let speed = self.take(
            args,
            "a port speed (`25GbE`, `32GFC`)",
            Quantity::as_bandwidth,
        )?;
        Some(Spanned::new(
            Ports {
                count: count.value,
                speed: speed.value,
            },
            count.span.to(speed.span),
        ))
    }

    /// A part declaration (`nic nic0 { ... }`), merged into the drafts: a
    /// part of the same name overrides the model's, property by property.
    fn part(&mut self, keyword: &str, statement: &Statement, parts: &mut Arc<PartDrafts>) {
        let Some(item) = statement.args().first() else {
            self.error(
                rule::SYNTAX,
                statement.span,
                format!("`{keyword}` needs a name"),
            );
            return;
        };
        let names = match &item.kind {
            ItemKind::Word(w) if !w.is_dotted() => {
                let segment = &w.segments[0];
                let names = match segment_count(segment) {
                    Ok(count) => {
                        let subject = |_: &Self| format!("`{keyword} {}`", echo(&item.text()));
                        if !self.reserve(count, item.span, subject, "parts") {
                            return;
                        }
                        expand_segment(segment)
                    }
                    Err(d) => Err(d),
                };
                match names {
                    Ok(n) => n,
                    Err(d) => {
                        self.diags.push(d);
                        return;
                    }
                }
            }
            other => {
                self.error(
                    rule::SYNTAX,
                    item.span,
                    format!("`{keyword}` needs a name, found {}", other.describe()),
                );
                return;
            }
        };
        if let Some(extra) = statement.args().get(1) {
            self.error(
                rule::SYNTAX,
                extra.span,
                format!("unexpected `{}` after the part name", echo(&extra.text())),
            );
        }
        let fresh = match keyword {
            "cpu" => PartKind::Cpu(Cpu::default()),
            "chipset" => PartKind::Chipset,
            "nic" => PartKind::Nic { ports: None },
            "disk" => PartKind::Disk(Disk::default()),
            "controller" => PartKind::Controller(Controller::default()),
            "hba" => PartKind::Hba { ports: None },
            _ => PartKind::Card { throughput: None },
        };
        // Lower the body once, against a fresh draft, then apply it to each name.
        let mut template = PartDraft {
            name: String::new(),
            span: item.span,
            kind: fresh.clone(),
            bus: None,
            allows: vec![],
        };
        let written = self.part_body(statement, &mut template);
        let parts = Arc::make_mut(parts);
        for name in names {
            match parts.index.get(&name).map(|&i| &mut parts.list[i]) {
                Some(existing) => {
                    if std::mem::discriminant(&existing.kind) != std::mem::discriminant(&fresh) {
                        let d = Diagnostic::error(
                            rule::INVALID_VALUE,
                            item.span,
                            format!(
                                "`{}` is a {} in the model, not a {keyword}",
                                echo(&name),
                                existing.kind.keyword()
                            ),
                        )
                        .with_related(existing.span, "declared here");
                        self.diags.push(d);
                        continue;
                    }
                    merge_part(existing, &template, &written);
                    existing.allows.extend(template.allows.iter().copied());
                }
                None => {
                    parts.index.insert(name.clone(), parts.list.len());
                    parts.list.push(PartDraft {
                        name,
                        ..template.clone()
                    });
                }
            }
        }
    }

    /// Lowers a part's block into `draft`; returns which properties were written.
    fn part_body<'s>(
        &mut self,
        statement: &'s Statement,
        draft: &mut PartDraft,
    ) -> HashSet<&'s str> {
        let mut written = HashSet::new();
        let props: &[&str] = match draft.kind {
            PartKind::Cpu(_) => &["cores", "memory", "bus"],
            PartKind::Chipset => &["bus"],
            PartKind::Nic { .. } | PartKind::Hba { .. } => &["ports", "bus"],
            PartKind::Disk(_) => &["hdd", "ssd", "nvme", "throughput", "iops", "bus"],
            PartKind::Controller(_) => &["cache", "protection", "bus"],
            PartKind::Card { .. } => &["throughput", "bus"],
        };
        let context = format!("a {}", draft.kind.keyword());
        let allows = self.properties(statement, &context, props, |l, k, a, s| {
            written.insert(k);
            match (k, &mut draft.kind) {
                ("cores", PartKind::Cpu(cpu)) => cpu.cores = l.take_u32(a, "a number of cores", 1),
                ("memory", PartKind::Cpu(cpu)) => {
                    a.skip_rest();
                    cpu.memory = l.memory(s);
                }
                ("ports", PartKind::Nic { ports } | PartKind::Hba { ports }) => *ports = l.ports(a),
                ("hdd" | "ssd" | "nvme", PartKind::Disk(disk)) => {
                    let medium = match k {
                        "hdd" => Medium::Hdd,
                        "ssd" => Medium::Ssd,
                        _ => Medium::Nvme,
                    };
                    disk.medium = Some(Spanned::new(medium, s.keyword_span()));
                    written.insert("medium");
                }
                ("throughput", PartKind::Disk(disk)) => {
                    disk.throughput = l.take(a, "a bandwidth", Quantity::as_bandwidth)
                }
                ("throughput", PartKind::Card { throughput }) => {
                    *throughput = l.take(a, "a bandwidth", Quantity::as_bandwidth)
                }
                ("iops", PartKind::Disk(disk)) => {
                    disk.iops = l.take_count(a, "a number of I/O operations per second", u64::MAX)
                }
                ("cache", PartKind::Controller(c)) => {
                    let size = l.take(a, "a cache size", Quantity::as_size);
                    let mode = l.take_choice(
                        a,
                        "a cache mode",
                        &[
                            ("write-back", CacheMode::WriteBack),
                            ("write-through", CacheMode::WriteThrough),
                        ],
                    );
                    if let (Some(size), Some(mode)) = (size, mode) {
                        c.cache = Some(Spanned::new(
                            (size.value, mode.value),
                            size.span.to(mode.span),
                        ));
                    }
                }
                ("protection", PartKind::Controller(c)) => {
                    c.protection = l.take_choice(
                        a,
                        "a cache protection",
                        &[
                            ("battery", Protection::Battery),
                            ("flash", Protection::Flash),
                            ("none", Protection::None),
                        ],
                    )
                }
                ("bus", _) => draft.bus = l.bus(a, s.span),
                _ => {}
            }
        });
        draft.allows.extend(allows);
        written
    }

    /// `memory ddr4-3200 { channels 8; dimms 1 1 1 1 1 1 1 1; dimm-size 32GB }`
    fn memory(&mut self, statement: &Statement) -> Option<Memory> {
        let mut a = Args::of(statement);
        let preset_word = self.take_word(&mut a, "a memory type like `ddr4-3200`")?;
        self.end(&a);
        let Some(preset) = presets::memory_preset(preset_word.value) else {
            let d = Diagnostic::error(
                rule::INVALID_VALUE,
                preset_word.span,
                format!("unknown memory type `{}`", echo(preset_word.value)),
            )
            .with_suggestion(closest(preset_word.value, presets::memory_preset_names()));
            self.diags.push(d);
            return None;
        };
        let mut m = Memory {
            preset,
            span: statement.span,
            channels: None,
            dimms: None,
            dimm_size: None,
        };
        for (k, s) in self.body(statement, "memory", &["channels", "dimms", "dimm-size"]) {
            let mut a = Args::of(s);
            self.no_block(s);
            match k {
                "channels" => m.channels = self.take_u32(&mut a, "a number of channels", 1),
                "dimms" => {
                    let mut counts = Vec::new();
                    let first = a.peek().map(|i| i.span);
                    while !a.is_done() {
                        match self.take_u32(&mut a, "DIMMs per channel", 0) {
                            Some(n) => counts.push(n.value),
                            None => break,
                        }
                    }
                    match first {
                        Some(first) => m.dimms = Some(Spanned::new(counts, first.to(a.after))),
                        None => {
                            self.invalid(s.span, "`dimms` needs the DIMM count of each channel, e.g. `dimms 1 1 1 1`");
                        }
                    }
                }
                _ => m.dimm_size = self.take(&mut a, "a DIMM size", Quantity::as_size),
            }
            self.end(&a);
        }
        if let (Some(size), Some(dimms)) = (&m.dimm_size, &m.dimms) {
            let count: u64 = dimms.value.iter().map(|&d| u64::from(d)).sum();
            if !(size.value * count as f64).get().is_finite() {
                self.invalid(
                    size.span,
                    format!(
                        "{} DIMMs of this size hold more memory than can be added up",
                        thousands(count)
                    ),
                );
                m.dimm_size = None;
            }
        }
        if let (Some(c), Some(d)) = (&m.channels, &m.dimms) {
            if c.value as usize != d.value.len() {
                let msg = format!(
                    "`dimms` lists {} channels but the memory has {} channels",
                    d.value.len(),
                    c.value
                );
                self.invalid(d.span, msg)
                    .related
                    .push(crate::diagnostic::Related {
                        span: c.span,
                        message: "channels declared here".into(),
                    });
            }
        }
        Some(m)
    }

    /// `bus PRESET [xN | RATE] to PARENT`, `bus width W rate R to P`,
    /// `bus width W period T to P`, `bus bandwidth B to P`.
    fn bus(&mut self, args: &mut Args, span: Span) -> Option<(Bus, Spanned<String>)> {
        let first = self.take_word(
            args,
            "a bus: a preset like `pcie4 x8`, `width`, or `bandwidth`",
        )?;
        let spec = match first.value {
            "width" => {
                let width = self.take(args, "a width (`64bit`, `8B`)", Quantity::as_width)?;
                let rate = if args.eat("rate") {
                    self.take(
                        args,
                        "a transfer rate (`100MT/s`)",
                        Quantity::as_transfer_rate,
                    )?
                    .value
                } else if args.eat("period") {
                    let period =
                        self.take(args, "a transfer period (`10ns`)", Quantity::as_duration)?;
                    if period.value.get() <= 0.0 {
                        self.invalid(period.span, "a transfer period must be above 0");
                        return None;
                    }
                    units::TransfersPerSecond::from_period(period.value)
                } else {
                    let span = args.peek().map_or_else(|| args.missing_span(), |i| i.span);
                    self.error(
                        rule::SYNTAX,
                        span,
                        "expected `rate` or `period` after the bus width",
                    );
                    return None;
                };
                BusSpec {
                    label: format!("{} × {}", width.value, rate),
                    bandwidth: units::BytesPerSecond::from_width_and_rate(width.value, rate),
                    preset: None,
                    lanes: None,
                }
            }
            "bandwidth" => {
                let bw = self.take(args, "a bandwidth", Quantity::as_bandwidth)?;
                BusSpec {
                    label: bw.value.to_string(),
                    bandwidth: bw.value,
                    preset: None,
                    lanes: None,
                }
            }
            name => {
                let Some(preset) = presets::bus_preset(name) else {
                    let d = Diagnostic::error(rule::INVALID_VALUE, first.span, format!("unknown bus `{}`", echo(name)))
                        .with_label("not a bus preset")
                        .with_help(match closest(name, presets::bus_preset_names()) {
                            Some(s) => format!("did you mean `{s}`? (or give `width ... rate ...` or `bandwidth ...`)"),
                            None => "use a preset (pcie1..pcie6, dmi2..dmi4, sata1..sata3, sas1..sas4, fc8..fc64, upi) or `width ... rate ...` or `bandwidth ...`".into(),
                        });
                    self.diags.push(d);
                    return None;
                };
                let mut lanes = None;
                let mut rate = None;
                let mut extra_span = first.span;
                if let Some(w) = args.peek_word() {
                    if let Some(n) = w
                        .strip_prefix('x')
                        .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
                    {
                        let item = args.next().expect("peeked");
                        extra_span = item.span;
                        lanes = Some(n.parse::<u32>().unwrap_or(u32::MAX));
                    }
                }
                if let Some(Item {
                    kind: ItemKind::Quantity { .. } | ItemKind::Number(_),
                    ..
                }) = args.peek()
                {
                    let item = args.next().expect("peeked");
                    extra_span = item.span;
                    rate = Some(self.convert(item, Quantity::as_transfer_rate)?.value);
                }
                match presets::bus_bandwidth(preset, lanes, rate) {
                    Ok(bandwidth) => BusSpec {
                        label: presets::label_with_rate(preset, lanes, rate),
                        bandwidth,
                        preset: Some(preset),
                        lanes,
                    },
                    Err(e) => {
                        self.invalid(first.span.to(extra_span), e.to_string());
                        return None;
                    }
                }
            }
        };
        if !self.take_keyword(args, "to") {
            return None;
        }
        let parent = self.take_word(args, "the part it hangs off (`cpu0`, `pch`)")?;
        Some((
            Bus { spec, span },
            Spanned::new(parent.value.to_string(), parent.span),
        ))
    }

    /// Resolves parents, defaults and cycles of a part list.
    fn finish_internals(&mut self, drafts: &[PartDraft]) -> Internals {
        let index: HashMap<&str, usize> = drafts
            .iter()
            .enumerate()
            .map(|(i, p)| (p.name.as_str(), i))
            .collect();
        let first_cpu = drafts
            .iter()
            .position(|p| matches!(p.kind, PartKind::Cpu(_)));
        let mut parts: Vec<Part> = Vec::with_capacity(drafts.len());
        for (i, d) in drafts.iter().enumerate() {
            let mut part = Part {
                name: d.name.clone(),
                span: d.span,
                kind: d.kind.clone(),
                bus: None,
                parent: None,
                allows: d.allows.clone(),
            };
            match (&d.bus, &mut part.kind) {
                (Some((bus, to)), PartKind::Cpu(cpu)) => {
                    // A CPU's only bus is the socket link to another CPU.
                    let target = index.get(to.value.as_str()).copied();
                    let is_upi = bus.spec.preset.is_some_and(|p| p.name == "upi");
                    match target {
                        Some(t)
                            if t != i && matches!(drafts[t].kind, PartKind::Cpu(_)) && is_upi =>
                        {
                            cpu.socket_link = Some(SocketLink {
                                spec: bus.spec.clone(),
                                to: t,
                                span: bus.span,
                            });
                        }
                        _ => {
                            self.invalid(bus.span, "a cpu hangs off nothing: its only bus is `bus upi to cpuN`, the link to another socket");
                        }
                    }
                }
                (Some((bus, to)), _) => match index.get(to.value.as_str()) {
                    Some(&t) if t == i => {
                        self.invalid(
                            to.span,
                            format!("`{}` cannot hang off itself", echo(&d.name)),
                        );
                    }
                    Some(&t)
                        if matches!(drafts[t].kind, PartKind::Nic { .. } | PartKind::Disk(_)) =>
                    {
                        self.invalid(
                            to.span,
                            format!(
                                "`{}` is a {}: nothing hangs off it",
                                echo(&to.value),
                                drafts[t].kind.keyword()
                            ),
                        );
                    }
                    Some(&t) => {
                        part.bus = Some(bus.clone());
                        part.parent = Some(t);
                    }
                    None => {
                        let suggestion = self.suggest(
                            &to.value,
                            drafts.len(),
                            drafts.iter().map(|p| p.name.as_str()),
                        );
                        let d = Diagnostic::error(
                            rule::UNKNOWN_NAME,
                            to.span,
                            format!("unknown part `{}`", echo(&to.value)),
                        )
                        .with_label("no part of this device has this name")
                        .with_suggestion(suggestion.as_deref());
                        self.diags.push(d);
                    }
                },
                (None, PartKind::Cpu(_)) => {}
                (None, _) => part.parent = first_cpu,
            }
            parts.push(part);
        }
        let mut tree = petgraph::graph::DiGraph::with_capacity(parts.len(), parts.len());
        let nodes: Vec<_> = (0..parts.len()).map(|i| tree.add_node(i)).collect();
        for (i, p) in parts.iter().enumerate() {
            if let Some(parent) = p.parent {
                tree.add_edge(nodes[i], nodes[parent], i);
            }
        }
        // A cycle makes every part in it float: report it and cut it.
        for component in petgraph::algo::tarjan_scc(&tree) {
            if component.len() < 2 {
                continue;
            }
            let mut members: Vec<usize> = component.iter().map(|n| tree[*n]).collect();
            members.sort_unstable();
            let first = members[0];
            let mut path = vec![parts[first].name.clone()];
            let mut at = first;
            while let Some(next) = parts[at].parent {
                path.push(parts[next].name.clone());
                if next == first || path.len() > members.len() + 1 {
                    break;
                }
                at = next;
            }
            let span = parts[first]
                .bus
                .as_ref()
                .map_or(parts[first].span, |b| b.span);
            let mut d = Diagnostic::error(
                rule::INVALID_VALUE,
                span,
                format!("bus cycle: {}", path.join(" → ")),
            )
            .with_label("buses must form a tree rooted at the CPUs");
            for &m in &members[1..] {
                if let Some(b) = &parts[m].bus {
                    d = d.with_related(
                        b.span,
                        format!(
                            "`{}` hangs off `{}` here",
                            parts[m].name,
                            parts[parts[m].parent.unwrap_or(m)].name
                        ),
                    );
                }
            }
            self.diags.push(d);
            for &m in &members {
                parts[m].parent = None;
                parts[m].bus = None;
            }
        }
        tree.clear_edges();
        for (i, p) in parts.iter().enumerate() {
            if let Some(parent) = p.parent {
                tree.add_edge(nodes[i], nodes[parent], i);
            }
        }
        Internals {
            by_name: index.into_iter().map(|(n, i)| (n.to_string(), i)).collect(),
            parts,
            bus_tree: tree,
        }
    }

    fn lower_device(&mut self, decl: &Decl) {
        let (model_item, _) = self.header(decl.statement, true, false);
        let mut model = None;
        let mut base = Draft::default();
        if let Some(item) = model_item {
            if let Some(Spanned {
                value: Element::Model(m),
                span,
            }) = self.resolve_one(item, Kind::Model)
            {
                model = Some(Spanned::new(m, span));
                base = self.model_drafts[m.index()].clone().unwrap_or_default();
                // Each device holds the model's parts.
                let model = m.index();
                let subject = move |l: &Self| {
                    format!("the parts of model `{}`", echo(&l.p.models[model].name))
                };
                if !self.reserve(base.parts.list.len() as u64, span, subject, "parts") {
                    base.parts = Arc::default();
                    base.internals = Arc::default();
                }
            }
        }
        let mut placement = Placement0::default();
        let draft = self.apply_device_body(decl.statement, base, false, &mut placement);
        let size = draft.props.size.map_or(1, |s| s.value);
        if placement.rack.is_some() && draft.props.size.is_none() {
            let span = placement.rack.map_or(decl.statement.span, |r| r.2);
            self.invalid(
                span,
                "a device placed in a rack needs a `size` (in U), on itself or its model",
            )
            .help = Some("add `size 1U`".into());
        }
        let site = placement.site.map(|s| s.value);
        for (i, e) in decl.elements.iter().enumerate() {
            let Element::Device(id) = *e else { continue };
            let placed = placement.rack.map(|(rack, at, span)| Placement {
                rack,
                position: at + i as u32 * size,
                span,
            });
            if let Some(p) = placed {
                self.p.racks[p.rack.index()].devices.push(id);
            }
            let rack_site = placed.and_then(|p| self.p.racks[p.rack.index()].site.map(|s| s.value));
            if let (Some(explicit), Some(from_rack)) = (placement.site, rack_site) {
                if explicit.value != from_rack {
                    self.invalid(
                        explicit.span,
                        "the device's `site` differs from its rack's site",
                    );
                }
            }
            let d = &mut self.p.devices[id.index()];
            d.model = model;
            d.props = draft.props.clone();
            d.placement = placed;
            d.site = site.or(rack_site);
            d.internals = draft.internals.clone();
            d.allows = draft.allows.clone();
        }
    }

    // ---- virtual machines and services ------------------------------------

    fn lower_vm(&mut self, decl: &Decl) {
        let (_, on) = self.header(decl.statement, false, true);
        let host = match on {
            [] => {
                self.invalid(
                    decl.statement.span,
                    "a vm needs its host: `vm NAME on HOST`",
                );
                None
            }
            [item] => self.resolve_one(item, Kind::Device),
            [_, second, ..] => {
                self.invalid(
                    second.span,
                    "a vm runs on one host; name other hosts with `failover`",
                );
                None
            }
        };
        let (mut failover, mut ram) = (None, None);
        let allows = self.properties(
            decl.statement,
            "a vm",
            &["failover", "ram"],
            |l, k, a, _| match k {
                "failover" => failover = l.take_one(a, Kind::Device).map(device_id),
                "ram" => ram = l.take(a, "a memory size", Quantity::as_size),
                _ => {}
            },
        );
        let host = host.map(device_id);
        for e in &decl.elements {
            if let Element::Vm(id) = *e {
                let v = &mut self.p.vms[id.index()];
                v.host = host;
                v.failover = failover;
                v.ram = ram;
                v.allows = allows.clone();
            }
        }
    }

    fn lower_service(&mut self, decl: &Decl) {
        let (_, on) = self.header(decl.statement, false, true);
        let mut hosts: Vec<Spanned<Host>> = Vec::new();
        let mut listed = HashSet::new();
        for item in on {
            // One error per item: a range listed again repeats every name.
            let mut repeated: Option<(Host, usize)> = None;
            for h in self.resolve_item(item, Kind::Host) {
                let host = match h.value {
                    Element::Device(d) => Host::Device(d),
                    Element::Vm(v) => Host::Vm(v),
                    _ => unreachable!("resolved as a host"),
                };
                if !listed.insert(host) {
                    match &mut repeated {
                        Some((_, n)) => *n += 1,
                        None => repeated = Some((host, 0)),
                    }
                    continue;
                }
                hosts.push(Spanned::new(host, h.span));
            }
            if let Some((host, others)) = repeated {
                let message = format!("host `{}` is listed twice", echo(self.p.host_name(host)));
                self.invalid(item.span, and_more(message, others));
            }
        }
        let is_dns = decl.keyword == "dns";
        if on.is_empty() {
            let what = if is_dns { "dns" } else { "service" };
            self.invalid(
                decl.statement
                    .args()
                    .first()
                    .map_or(decl.statement.span, |i| i.span),
                format!("a {what} needs the hosts it runs on: `{what} NAME on HOST...`"),
            );
        }
        let mut props = vec![
            "tier",
            "calls",
            "load",
            "capacity",
            "pool",
            "stateful",
            "ha",
            "max-connections",
            "cache",
            "storage",
            "shard",
            "process-model",
            "workers",
            "threads",
        ];
        if is_dns {
            props.push("resolves");
        }
        let context = if is_dns { "a dns" } else { "a service" };
        let mut s = blank_service(String::new(), decl.statement.span, ServiceKind::Service);
        s.hosts = hosts;
        s.allows = self.properties(decl.statement, context, &props, |l, k, a, st| match k {
            "tier" => {
                s.tier = l.take_one(a, Kind::Tier).map(|e| match e.value {
                    Element::Tier(t) => Spanned::new(t, e.span),
                    _ => unreachable!(),
                })
            }
            "calls" => s
                .calls
                .extend(l.take_list(a, Kind::Service).into_iter().map(service_id)),
            "resolves" => s
                .resolves
                .extend(l.take_list(a, Kind::Resolvable).into_iter().map(hop)),
            "load" => s.load = l.take(a, "a request rate (`3000rps`)", Quantity::as_request_rate),
            "capacity" => {
                s.capacity = l.take(
                    a,
                    "a request rate per instance (`1000rps`)",
                    Quantity::as_request_rate,
                )
            }
            "pool" => {
                if let Some(target) = l.take_one(a, Kind::Service).map(service_id) {
                    if let Some(n) = l.take_u32(a, "a pool size", 1) {
                        s.pools.push(Spanned::new(
                            (target.value, n.value),
                            target.span.to(n.span),
                        ));
                    }
                }
            }
            "stateful" => s.stateful = Some(st.keyword_span()),
            "ha" => {
                s.ha = l.take_choice(
                    a,
                    "an HA mode",
                    &[
                        ("active-standby", HaMode::ActiveStandby),
                        ("active-active", HaMode::ActiveActive),
                    ],
                )
            }
            "max-connections" => s.max_connections = l.take_u32(a, "a connection limit", 1),
            "cache" => s.cache = l.take(a, "a cache size", Quantity::as_size),
            "storage" => s.storage = l.take_one(a, Kind::Device).map(device_id),
            "shard" => s.shard = l.shard(st, a),
            "process-model" => {
                s.process_model = l
                    .take_word(a, "a process model (`prefork`, `threaded`, `event`)")
                    .map(|w| Spanned::new(w.value.to_string(), w.span))
            }
            "workers" => s.workers = l.take_u32(a, "a number of workers", 1),
            "threads" => s.threads = l.take_u32(a, "a number of threads", 1),
            _ => {}
        });
        for e in &decl.elements {
            if let Element::Service(id) = *e {
                let target = &mut self.p.services[id.index()];
                let (name, span, kind, node) = (
                    std::mem::take(&mut target.name),
                    target.span,
                    target.kind,
                    target.node,
                );
                *target = Service {
                    name,
                    span,
                    kind,
                    node,
                    ..s.clone()
                };
            }
        }
    }

    /// `shard by KEY { weights 25% 25% ... }`
    fn shard(&mut self, statement: &Statement, args: &mut Args) -> Option<Shard> {
        if !self.take_keyword(args, "by") {
            return None;
        }
        let key = self.take_word(args, "a shard key")?;
        self.end(args);
        let mut shard = Shard {
            key: key.value.to_string(),
            span: statement.span,
            weights: None,
        };
        for (_, s) in self.body(statement, "a shard", &["weights"]) {
            let mut a = Args::of(s);
            let mut weights = Vec::new();
            let start = a.peek().map(|i| i.span);
            while !a.is_done() {
                match self.take(&mut a, "a weight in %", Quantity::as_percent) {
                    Some(w) => weights.push(w),
                    None => break,
                }
            }
            let Some(start) = start else {
                self.invalid(
                    s.span,
                    "`weights` needs one percentage per shard, e.g. `weights 25% 25% 50%`",
                );
                continue;
            };
            let span = start.to(a.after);
            if !self.reserve(
                weights.len() as u64,
                span,
                |_| "these weights".into(),
                "weights",
            ) {
                continue;
            }
            let sum: f64 = weights.iter().map(|w| w.value.get()).sum();
            if !sum.is_finite() {
                self.invalid(span, "shard weights are too large to add up");
            } else if !weights.is_empty() && (sum - 100.0).abs() > 0.01 {
                self.invalid(
                    span,
                    format!(
                        "shard weights sum to {} %, not 100 %",
                        units::format_sig3(sum)
                    ),
                );
            }
            shard.weights = Some(Spanned::new(weights, span));
        }
        Some(shard)
    }

    fn lower_client(&mut self, decl: &Decl) {
        self.header(decl.statement, false, false);
        let mut kind = None;
        let allows = self.properties(
            decl.statement,
            "a client",
            &["browser", "software"],
            |l, k, a, s| match k {
                "browser" => kind = Some(Spanned::new(ClientKind::Browser, s.span)),
                "software" => {
                    if let Some(name) = l.take_word(a, "the name of the installed software") {
                        let version = match a.peek().map(|i| &i.kind) {
                            Some(ItemKind::Str(v)) => {
                                a.next();
                                Some(v.clone())
                            }
                            _ => None,
                        };
                        kind = Some(Spanned::new(
                            ClientKind::Software {
                                name: name.value.to_string(),
                                version,
                            },
                            s.span,
                        ));
                    }
                }
                _ => {}
            },
        );
        for e in &decl.elements {
            if let Element::Client(id) = *e {
                self.p.clients[id.index()].kind = kind.clone();
                self.p.clients[id.index()].allows = allows.clone();
            }
        }
    }

    fn lower_cdn(&mut self, decl: &Decl) {
        self.header(decl.statement, false, false);
        let (mut origin, mut pops) = (None, None);
        let allows = self.properties(
            decl.statement,
            "a cdn",
            &["origin", "pops"],
            |l, k, a, _| match k {
                "origin" => origin = l.take_one(a, Kind::Service).map(service_id),
                "pops" => pops = l.take_u32(a, "a number of points of presence", 1),
                _ => {}
            },
        );
        for e in &decl.elements {
            if let Element::Cdn(id) = *e {
                let c = &mut self.p.cdns[id.index()];
                c.origin = origin;
                c.pops = pops;
                c.allows = allows.clone();
            }
        }
    }

    fn lower_flow(&mut self, decl: &Decl) {
        self.header(decl.statement, false, false);
        let (mut paths, mut content, mut rate) = (Vec::new(), None, None);
        let mut wrote_path = false;
        let allows = self.properties(
            decl.statement,
            "a flow",
            &["content", "rate"],
            |l, k, a, s| match k {
                "->" => {
                    a.skip_rest();
                    wrote_path = true;
                    if let Some(path) = l.path(s) {
                        paths.push(path);
                    }
                }
                "content" => {
                    content = l.take_choice(
                        a,
                        "a content class",
                        &[
                            ("static", Content::Static),
                            ("dynamic", Content::Dynamic),
                            ("results", Content::Results),
                            ("raw", Content::Raw),
                        ],
                    )
                }
                "rate" => {
                    rate = l.take(
                        a,
                        "a request rate or bandwidth",
                        Quantity::as_rate_or_bandwidth,
                    )
                }
                _ => {}
            },
        );
        if !wrote_path {
            let span = decl
                .statement
                .args()
                .first()
                .map_or(decl.statement.span, |i| i.span);
            self.invalid(
                span,
                "a flow needs at least one request path, e.g. `browser -> shop-web`",
            );
        }
        for e in &decl.elements {
            if let Element::Flow(id) = *e {
                let f = &mut self.p.flows[id.index()];
                f.paths = paths.clone();
                f.content = content;
                f.rate = rate;
                f.allows = allows.clone();
            }
        }
    }

    /// `a -> b -> c`
    fn path(&mut self, statement: &Statement) -> Option<Vec<Spanned<Hop>>> {
        let mut hops = Vec::new();
        let mut expect_hop = true;
        let mut ok = true;
        for item in &statement.items {
            match (&item.kind, expect_hop) {
                (ItemKind::Arrow, false) => expect_hop = true,
                (ItemKind::Arrow, true) => {
                    self.error(rule::SYNTAX, item.span, "expected a hop before `->`");
                    ok = false;
                }
                (_, true) => {
                    expect_hop = false;
                    match self.resolve_one(item, Kind::Hop) {
                        Some(e) => hops.push(hop(e)),
                        None => ok = false,
                    }
                }
                (_, false) => {
                    self.error(rule::SYNTAX, item.span, "expected `->` between hops");
                    ok = false;
                    break;
                }
            }
        }
        if expect_hop {
            self.error(
                rule::SYNTAX,
                statement.span,
                "a request path cannot end with `->`",
            );
            ok = false;
        }
        (ok && hops.len() >= 2).then_some(hops)
    }

    fn lower_partition(&mut self, decl: &Decl) {
        self.header(decl.statement, false, false);
        let mut services = Vec::new();
        let allows = self.properties(
            decl.statement,
            "a partition",
            &["services"],
            |l, _, a, _| services.extend(l.take_list(a, Kind::Service).into_iter().map(service_id)),
        );
        for e in &decl.elements {
            if let Element::Partition(id) = *e {
                self.p.partitions[id.index()].services = services.clone();
                self.p.partitions[id.index()].allows = allows.clone();
            }
        }
    }

    fn lower_replicate(&mut self, decl: &Decl) {
        let statement = decl.statement;
        let mut a = Args::of(statement);
        let from = self.take_one(&mut a, Kind::Service).map(service_id);
        let to = if self.take_keyword(&mut a, "to") {
            self.take_one(&mut a, Kind::Service).map(service_id)
        } else {
            None
        };
        self.end(&a);
        let (mut mode, mut rpo, mut rto) = (None, None, None);
        let allows = self.properties(
            statement,
            "a replication",
            &["mode", "rpo", "rto"],
            |l, k, a, _| match k {
                "mode" => {
                    mode = l.take_choice(
                        a,
                        "a replication mode",
                        &[
                            ("sync", ReplicationMode::Sync),
                            ("async", ReplicationMode::Async),
                        ],
                    )
                }
                "rpo" => {
                    rpo = l.take(
                        a,
                        "a recovery point objective (a duration)",
                        Quantity::as_duration,
                    )
                }
                "rto" => {
                    rto = l.take(
                        a,
                        "a recovery time objective (a duration)",
                        Quantity::as_duration,
                    )
                }
                _ => {}
            },
        );
        let (Some(from), Some(to)) = (from, to) else {
            return;
        };
        if from.value == to.value {
            self.invalid(to.span, "a service cannot replicate to itself");
            return;
        }
        self.p.replications.push(Replication {
            span: statement.span,
            from,
            to,
            mode,
            rpo,
            rto,
            allows,
        });
    }

    fn lower_link(&mut self, decl: &Decl) {
        let statement = decl.statement;
        let args = statement.args();
        let Some(split) = args
            .iter()
            .position(|i| word_of(i).and_then(Word::plain) == Some("to"))
        else {
            self.error(
                rule::SYNTAX,
                statement.span,
                "a link joins two ends: `link A... to B...`",
            );
            return;
        };
        let left = self.endpoints(&args[..split], statement.keyword_span());
        let right = self.endpoints(&args[split + 1..], args[split].span);
        let mut speed = None;
        let allows = self.properties(statement, "a link", &["speed"], |l, _, a, _| {
            speed = l.take(a, "a port speed (`25GbE`)", Quantity::as_bandwidth)
        });
        let links = (left.len() as u64).saturating_mul(right.len() as u64);
        if !self.reserve(links, statement.span, |_| "this link".into(), "links") {
            return;
        }
        for l in &left {
            for r in &right {
                if l.value.device == r.value.device {
                    let name = &self.p.devices[l.value.device.index()].name;
                    let message = format!("a link from `{}` to itself", echo(name));
                    self.invalid(r.span, message);
                    continue;
                }
                self.p.links.push(Link {
                    span: statement.span,
                    from: *l,
                    to: *r,
                    speed,
                    allows: allows.clone(),
                });
            }
        }
    }

    fn endpoints(&mut self, items: &[Item], before: Span) -> Vec<Spanned<Endpoint>> {
        if items.is_empty() {
            self.invalid(before, "a link end needs at least one device");
        }
        let mut out = Vec::new();
        for item in items {
            let Some(word) = word_of(item) else {
                self.invalid(
                    item.span,
                    format!("expected a device, found {}", item.kind.describe()),
                );
                continue;
            };
            if word.segments.len() > 2 {
                self.invalid(item.span, "a link end is `device` or `device.part`");
                continue;
            }
            let names = match word_count(word) {
                Ok(count) => {
                    let subject = |_: &Self| format!("`{}`", echo(&item.text()));
                    if !self.reserve(count, item.span, subject, "link ends") {
                        continue;
                    }
                    expand_word(word)
                }
                Err(d) => Err(d),
            };
            let names = match names {
                Ok(n) => n,
                Err(d) => {
                    self.diags.push(d);
                    continue;
                }
            };
            if names.first().is_some_and(|n| n.len() > 2) {
                self.invalid(item.span, "a link end is `device` or `device.part`");
                continue;
            }
            // A range of unknown devices or missing parts is one error each.
            let mut unknown: Option<(&str, usize)> = None;
            let mut wrong: Option<(&str, Element, usize)> = None;
            let mut missing: Option<(DeviceId, &str, usize)> = None;
            for name in &names {
                let device = match self.p.names.get(&name[0]) {
                    Some(&Element::Device(d)) => d,
                    Some(&e) => {
                        match &mut wrong {
                            Some((_, _, n)) => *n += 1,
                            None => wrong = Some((&name[0], e, 0)),
                        }
                        continue;
                    }
                    None => {
                        match &mut unknown {
                            Some((_, n)) => *n += 1,
                            None => unknown = Some((&name[0], 0)),
                        }
                        continue;
                    }
                };
                let part = match name.get(1) {
                    None => None,
                    Some(part_name) => {
                        match self.p.devices[device.index()].internals.part(part_name) {
                            Some(i) => Some(i),
                            None => {
                                match &mut missing {
                                    Some((_, _, n)) => *n += 1,
                                    None => missing = Some((device, part_name, 0)),
                                }
                                continue;
                            }
                        }
                    }
                };
                out.push(Spanned::new(Endpoint { device, part }, item.span));
            }
            if let Some((name, e, others)) = wrong {
                self.wrong_kind(name, e, item.span, Kind::Device, others);
            }
            if let Some((name, others)) = unknown {
                self.unknown(name, item.span, Kind::Device, others);
            }
            if let Some((device, part_name, others)) = missing {
                let internals = self.p.devices[device.index()].internals.clone();
                let suggestion = self.suggest(
                    part_name,
                    internals.parts.len(),
                    internals.parts.iter().map(|p| p.name.as_str()),
                );
                let message = format!(
                    "`{}` has no part `{}`",
                    echo(&self.p.devices[device.index()].name),
                    echo(part_name)
                );
                let d = Diagnostic::error(rule::UNKNOWN_NAME, item.span, and_more(message, others))
                    .with_suggestion(suggestion.as_deref());
                self.diags.push(d);
            }
        }
        out
    }

    /// Cross-element checks that need the whole model.
    fn check_consistency(&mut self) {
        // A draw in A needs the rack's voltage (LANGUAGE.md §2).
        for i in 0..self.p.devices.len() {
            let d = &self.p.devices[i];
            let (Some(draw), Some(pl)) = (d.props.draw, d.placement) else {
                continue;
            };
            if matches!(draw.value, Draw::Current(_)) && self.p.rack_voltage(pl.rack).is_none() {
                let rack = &self.p.racks[pl.rack.index()];
                let d = Diagnostic::error(
                    rule::INVALID_VALUE,
                    draw.span,
                    format!("`{}` draws {} but rack `{}` has no known voltage to convert it to watts", d.name, draw.value, rack.name),
                )
                .with_related(rack.span, "give this rack `voltage 230V`, `power ... at V`, or feeds with `circuit ... at V`");
                self.diags.push(d);
            }
        }
    }
}

/// Where a device declaration places its devices.
#[derive(Default)]
struct Placement0 {
    rack: Option<(RackId, u32, Span)>,
    site: Option<Spanned<SiteId>>,
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

fn blank_service(name: String, span: Span, kind: ServiceKind) -> Service {
    Service {
        name,
        span,
        kind,
        hosts: vec![],
        tier: None,
        calls: vec![],
        pools: vec![],
        load: None,
        capacity: None,
        stateful: None,
        ha: None,
        max_connections: None,
        cache: None,
        storage: None,
        shard: None,
        process_model: None,
        workers: None,
        threads: None,
        resolves: vec![],
        allows: vec![],
        node: NodeIndex::end(),
    }
}

fn site_id(e: Spanned<Element>) -> Spanned<SiteId> {
    match e.value {
        Element::Site(s) => Spanned::new(s, e.span),
        _ => unreachable!("resolved as a site"),
    }
}

fn device_id(e: Spanned<Element>) -> Spanned<DeviceId> {
    match e.value {
        Element::Device(d) => Spanned::new(d, e.span),
        _ => unreachable!("resolved as a device"),
    }
}

fn service_id(e: Spanned<Element>) -> Spanned<ServiceId> {
    match e.value {
        Element::Service(s) => Spanned::new(s, e.span),
        _ => unreachable!("resolved as a service"),
    }
}

fn hop(e: Spanned<Element>) -> Spanned<Hop> {
    let h = match e.value {
        Element::Client(c) => Hop::Client(c),
        Element::Service(s) => Hop::Service(s),
        Element::Cdn(c) => Hop::Cdn(c),
        _ => unreachable!("resolved as a hop"),
    };
    Spanned::new(h, e.span)
}

/// Overrides `existing` with what the new declaration wrote.
fn merge_part(existing: &mut PartDraft, new: &PartDraft, written: &HashSet<&str>) {
    if written.contains("bus") {
        existing.bus = new.bus.clone();
    }
    match (&mut existing.kind, &new.kind) {
        (PartKind::Cpu(a), PartKind::Cpu(b)) => {
            if written.contains("cores") {
                a.cores = b.cores;
            }
            if written.contains("memory") {
                a.memory = b.memory.clone();
            }
        }
        (PartKind::Nic { ports: a }, PartKind::Nic { ports: b })
        | (PartKind::Hba { ports: a }, PartKind::Hba { ports: b })
            if written.contains("ports") =>
        {
            *a = *b;
        }
        (PartKind::Disk(a), PartKind::Disk(b)) => {
            if written.contains("medium") {
                a.medium = b.medium;
            }
            if written.contains("throughput") {
                a.throughput = b.throughput;
            }
            if written.contains("iops") {
                a.iops = b.iops;
            }
        }
        (PartKind::Controller(a), PartKind::Controller(b)) => {
            if written.contains("cache") {
                a.cache = b.cache;
            }
            if written.contains("protection") {
                a.protection = b.protection;
            }
        }
        (PartKind::Card { throughput: a }, PartKind::Card { throughput: b })
            if written.contains("throughput") =>
        {
            *a = *b;
        }
        _ => {}
    }
}

/// The properties each kind of block takes, for editors' completion. A test
/// checks that lowering accepts exactly these.
pub const PROPERTIES: &[(&str, &[&str])] = &[
    ("site", &["role", "backs", "upstream", "uplink", "allow"]),
    ("feed", &["site", "circuit", "allow"]),
    (
        "rack",
        &[
            "site",
            "height",
            "feeds",
            "max-weight",
            "weight",
            "power",
            "voltage",
            "airflow",
            "allow",
        ],
    ),
    (
        "model",
        &[
            "size",
            "draw",
            "weight",
            "psu",
            "fan",
            "redundant",
            "ports",
            "airflow",
            "allow",
            "cpu",
            "chipset",
            "nic",
            "disk",
            "controller",
            "hba",
            "card",
        ],
    ),
    (
        "device",
        &[
            "size",
            "draw",
            "weight",
            "psu",
            "fan",
            "redundant",
            "ports",
            "airflow",
            "allow",
            "cpu",
            "chipset",
            "nic",
            "disk",
            "controller",
            "hba",
            "card",
            "rack",
            "site",
        ],
    ),
    ("vm", &["failover", "ram", "allow"]),
    ("tier", &["role", "allow"]),
    (
        "service",
        &[
            "tier",
            "calls",
            "load",
            "capacity",
            "pool",
            "stateful",
            "ha",
            "max-connections",
            "cache",
            "storage",
            "shard",
            "process-model",
            "workers",
            "threads",
            "allow",
        ],
    ),
    (
        "dns",
        &[
            "tier",
            "calls",
            "load",
            "capacity",
            "pool",
            "stateful",
            "ha",
            "max-connections",
            "cache",
            "storage",
            "shard",
            "process-model",
            "workers",
            "threads",
            "allow",
            "resolves",
        ],
    ),
    ("client", &["browser", "software", "allow"]),
    ("cdn", &["origin", "pops", "allow"]),
    ("flow", &["content", "rate", "allow"]),
    ("partition", &["services", "allow"]),
    ("replicate", &["mode", "rpo", "rto", "allow"]),
    ("link", &["speed", "allow"]),
    ("cpu", &["cores", "memory", "bus", "allow"]),
    ("chipset", &["bus", "allow"]),
    ("nic", &["ports", "bus", "allow"]),
    ("hba", &["ports", "bus", "allow"]),
    (
        "disk",
        &["hdd", "ssd", "nvme", "throughput", "iops", "bus", "allow"],
    ),
    ("controller", &["cache", "protection", "bus", "allow"]),
    ("card", &["throughput", "bus", "allow"]),
    ("memory", &["channels", "dimms", "dimm-size"]),
    ("shard", &["weights"]),
];

/// The properties of the block opened by `keyword`.
pub fn properties_of(keyword: &str) -> &'static [&'static str] {
    let key = if DeviceKind::from_keyword(keyword).is_some() {
        "device"
    } else {
        keyword
    };
    PROPERTIES
        .iter()
        .find(|(k, _)| *k == key)
        .map_or(&[], |(_, p)| p)
}

#[cfg(test)]
mod property_table {
    use super::*;

    /// Every listed property is accepted where it is listed, and a property
    /// of another block is not: the table and lowering agree.
    #[test]
    fn the_table_matches_what_lowering_accepts() {
        let wrap = |keyword: &str, body: &str| -> String {
            match keyword {
                "cpu" | "chipset" | "nic" | "hba" | "disk" | "controller" | "card" => {
                    format!("model m {{\n{keyword} p {{\n{body}\n}}\n}}\n")
                }
                "memory" => {
                    format!("model m {{\ncpu c {{\nmemory ddr4-3200 {{\n{body}\n}}\n}}\n}}\n")
                }
                "shard" => format!("service s on h {{\nshard by k {{\n{body}\n}}\n}}\nserver h\n"),
                "link" => format!("server a\nserver b\nlink a to b {{\n{body}\n}}\n"),
                "replicate" => format!(
                    "server h\nservice a on h\nservice b on h\nreplicate a to b {{\n{body}\n}}\n"
                ),
                "vm" => format!("server h\nvm v on h {{\n{body}\n}}\n"),
                "service" | "dns" => format!("server h\n{keyword} s on h {{\n{body}\n}}\n"),
                _ => format!("{keyword} x {{\n{body}\n}}\n"),
            }
        };
        let unknown = |text: &str| -> Vec<String> {
            let loaded = crate::model::load_sources(&[("t.topo", text)]);
            let (_, diags) = lower(&loaded);
            diags
                .into_iter()
                .filter(|d| d.message.starts_with("unknown property"))
                .map(|d| d.message)
                .collect()
        };
        for (keyword, props) in PROPERTIES {
            let keyword = if *keyword == "device" {
                "server"
            } else {
                keyword
            };
            for prop in *props {
                assert!(
                    unknown(&wrap(keyword, prop)).is_empty(),
                    "{keyword} should take {prop}"
                );
            }
            assert_eq!(
                unknown(&wrap(keyword, "frobnicate")).len(),
                1,
                "{keyword} refuses others"
            );
        }
    }
}
