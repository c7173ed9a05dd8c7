//! The language schema: every statement, device kind and part, and for each
//! the properties it takes, as data.
//!
//! Lowering checks arguments against it, the language server completes and
//! hovers from it, `topo explain KEYWORD` prints it, and `docs/reference.md`
//! is generated from it. Adding a property is one entry here plus the code
//! that uses its value.

mod devices;
mod parts;
mod statements;

use super::units::Dimension;

pub use devices::{DEVICE_KINDS, DEVICE_PROPERTIES};
pub use parts::{BLOCKS, PARTS};
pub use statements::STATEMENTS;

/// Where a kind of statement may be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Place {
    /// At the top level of a file.
    TopLevel,
    /// Inside a `model` or a device.
    Part,
    /// Inside another property's block (`memory { … }`, `shard by … { … }`).
    Nested,
}

/// A kind of statement: its keyword, its header and the properties its
/// block takes.
#[derive(Debug)]
pub struct Kind {
    pub keyword: &'static str,
    pub place: Place,
    /// The header as a user writes it: `rack NAME { … }`.
    pub form: &'static str,
    pub summary: &'static str,
    pub example: &'static str,
    pub properties: &'static [Property],
    /// Written by version 2 of the language.
    pub since_v2: bool,
}

/// One property of a block.
#[derive(Debug, Clone, Copy)]
pub struct Property {
    pub name: &'static str,
    pub shape: Shape,
    /// May be written more than once (each adds to the last).
    pub repeats: bool,
    /// Lowering reports a block without it.
    pub required: bool,
    /// What holds when the property is not written.
    pub default: Option<&'static str>,
    pub summary: &'static str,
    pub example: &'static str,
    /// Written by version 2 of the language.
    pub since_v2: bool,
}

/// What a reference may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    Site,
    Feed,
    /// A `power` source.
    Power,
    Rack,
    Model,
    Device,
    /// A device or a vm: what a service runs on.
    Host,
    Tier,
    Service,
    /// A step of a request path: a client, a service or a CDN.
    Hop,
    /// What a `dns` resolves: a service or a CDN.
    Resolvable,
    /// What a `fault-domain` holds: devices, vms and racks.
    Member,
    /// A part inside a device or model (`cpu0`, `pch`).
    Part,
    /// A rule name (`allow`).
    Rule,
}

impl Target {
    /// The noun used in messages: "a site", "a host (device or vm)".
    pub fn noun(self) -> &'static str {
        match self {
            Target::Site => "site",
            Target::Feed => "feed",
            Target::Power => "power source",
            Target::Rack => "rack",
            Target::Model => "model",
            Target::Device => "device",
            Target::Host => "host (device or vm)",
            Target::Tier => "tier",
            Target::Service => "service",
            Target::Hop => "client, service or cdn",
            Target::Resolvable => "service or cdn",
            Target::Member => "device, vm or rack",
            Target::Part => "part",
            Target::Rule => "rule",
        }
    }

    /// The placeholder in a property's syntax: `SITE`, `HOST`, `MEMBER`.
    pub fn placeholder(self) -> &'static str {
        match self {
            Target::Site => "SITE",
            Target::Feed => "FEED",
            Target::Power => "SOURCE",
            Target::Rack => "RACK",
            Target::Model => "MODEL",
            Target::Device => "DEVICE",
            Target::Host => "HOST",
            Target::Tier => "TIER",
            Target::Service => "SERVICE",
            Target::Hop => "HOP",
            Target::Resolvable => "SERVICE-OR-CDN",
            Target::Member => "MEMBER",
            Target::Part => "PART",
            Target::Rule => "RULE",
        }
    }

    /// The statement keywords that declare what this target names, for
    /// completion ("after `rack` only racks").
    pub fn keywords(self) -> &'static [&'static str] {
        const DEVICES: &[&str] = &[
            "server", "switch", "router", "firewall", "lb", "storage", "pdu", "device",
        ];
        match self {
            Target::Site => &["site"],
            Target::Feed => &["feed"],
            Target::Power => &["power"],
            Target::Rack => &["rack"],
            Target::Model => &["model"],
            Target::Device => DEVICES,
            Target::Host => &[
                "server", "switch", "router", "firewall", "lb", "storage", "pdu", "device", "vm",
            ],
            Target::Tier => &["tier"],
            Target::Service => &["service", "dns"],
            Target::Hop => &["client", "service", "dns", "cdn"],
            Target::Resolvable => &["service", "dns", "cdn"],
            Target::Member => &[
                "server", "switch", "router", "firewall", "lb", "storage", "pdu", "device", "vm",
                "rack",
            ],
            Target::Part => &[],
            Target::Rule => &[],
        }
    }
}

/// The shape of a property's arguments.
#[derive(Debug, Clone, Copy)]
pub enum Shape {
    /// No argument: the property's presence is the value (`stateful`).
    Flag,
    /// One reference.
    Ref(Target),
    /// One or more references, ranges allowed.
    Refs(Target),
    /// A quantity of one dimension; `what` names it in messages
    /// ("a height in U").
    Quantity {
        dimension: Dimension,
        what: &'static str,
    },
    /// A whole number in `min..=max`.
    Count {
        what: &'static str,
        min: u64,
        max: u64,
    },
    /// One word of a fixed set.
    Choice {
        what: &'static str,
        words: &'static [&'static str],
    },
    /// A quoted string.
    Text,
    /// A nested block of the kind with this keyword (a part, `memory`,
    /// `shard`).
    Block(&'static str),
    /// A composite form read by the kind's own code; `syntax` is how it is
    /// written (`30A at 208V`, `N x SPEED`).
    Form { syntax: &'static str },
}

impl Shape {
    /// How the arguments are written, for docs and hover: `SITE`,
    /// `FEED...`, `MASS`, `primary|secondary|dr|edge`, `NAME { … }`.
    pub fn syntax(&self) -> String {
        match self {
            Shape::Flag => String::new(),
            Shape::Ref(t) => t.placeholder().into(),
            Shape::Refs(t) => format!("{}...", t.placeholder()),
            // One placeholder per argument: `RACK-UNITS`, and `NUMBER` for a
            // plain figure such as a power factor.
            Shape::Quantity {
                dimension: Dimension::Count,
                ..
            } => "NUMBER".into(),
            Shape::Quantity { dimension, .. } => dimension.name().to_uppercase().replace(' ', "-"),
            Shape::Count { .. } => "N".into(),
            Shape::Choice { words, .. } => words.join("|"),
            Shape::Text => "\"TEXT\"".into(),
            // The block's own header without its keyword: `NAME { … }`,
            // `by KEY { … }`.
            Shape::Block(k) => match block_kind_alone(k) {
                Some(kind) => kind
                    .form
                    .split_once(' ')
                    .map_or(kind.form, |(_, rest)| rest)
                    .into(),
                None => "{ … }".into(),
            },
            Shape::Form { syntax } => (*syntax).into(),
        }
    }
}

// Shorthands for the tables.
pub(super) const fn quantity(dimension: Dimension, what: &'static str) -> Shape {
    Shape::Quantity { dimension, what }
}

pub(super) const fn count(what: &'static str, min: u64, max: u64) -> Shape {
    Shape::Count { what, min, max }
}

pub(super) const fn choice(what: &'static str, words: &'static [&'static str]) -> Shape {
    Shape::Choice { what, words }
}

pub(super) const fn form(syntax: &'static str) -> Shape {
    Shape::Form { syntax }
}

/// Builds a property; the chained `const fn`s below add the rest, so each
/// table entry reads as one sentence.
pub const fn prop(
    name: &'static str,
    shape: Shape,
    summary: &'static str,
    example: &'static str,
) -> Property {
    Property {
        name,
        shape,
        repeats: false,
        required: false,
        default: None,
        summary,
        example,
        since_v2: false,
    }
}

impl Property {
    pub const fn repeats(mut self) -> Self {
        self.repeats = true;
        self
    }
    pub const fn required(mut self) -> Self {
        self.required = true;
        self
    }
    pub const fn default(mut self, default: &'static str) -> Self {
        self.default = Some(default);
        self
    }
    pub const fn v2(mut self) -> Self {
        self.since_v2 = true;
        self
    }
}

/// Every kind of statement, in the order the reference documents them:
/// top-level statements, device kinds, parts, nested blocks.
pub fn kinds() -> impl Iterator<Item = &'static Kind> {
    STATEMENTS
        .iter()
        .chain(DEVICE_KINDS.iter())
        .chain(PARTS.iter())
        .chain(BLOCKS.iter())
}

/// The keywords that may start a statement at the top level.
pub fn top_level_keywords() -> impl Iterator<Item = &'static str> {
    STATEMENTS
        .iter()
        .chain(DEVICE_KINDS.iter())
        .map(|k| k.keyword)
}

/// The keywords that may start a statement, in the order a reader meets
/// them: the physical layer (sites, power, racks, models and the device
/// kinds after `model`), then what runs on it, then files. Messages that
/// list the kinds of statement use this order.
pub fn statement_keywords() -> impl Iterator<Item = &'static str> {
    let after_model = STATEMENTS
        .iter()
        .position(|k| k.keyword == "model")
        .map_or(0, |i| i + 1);
    STATEMENTS[..after_model]
        .iter()
        .chain(DEVICE_KINDS.iter())
        .chain(STATEMENTS[after_model..].iter())
        .map(|k| k.keyword)
}

/// The kind a keyword opens at the top level (a statement or device kind).
pub fn top_level(keyword: &str) -> Option<&'static Kind> {
    STATEMENTS
        .iter()
        .chain(DEVICE_KINDS.iter())
        .find(|k| k.keyword == keyword)
}

/// The kind of a part (`cpu`, `nic` …) inside a model or device.
pub fn part(keyword: &str) -> Option<&'static Kind> {
    PARTS.iter().find(|k| k.keyword == keyword)
}

/// The kind of the block that a statement with `keyword` opens, seen from
/// inside the block opened by `parent` (`None` at top level): `memory`
/// inside a `cpu` is the memory block, `power` at top level is a source.
pub fn block_kind(parent: Option<&str>, keyword: &str) -> Option<&'static Kind> {
    match parent {
        None => top_level(keyword),
        Some(p) => {
            let parent = block_kind_alone(p)?;
            let property = parent.property(keyword)?;
            match property.shape {
                Shape::Block(k) => block_kind_alone(k),
                // `memory PRESET { … }` opens a block only in its preset form.
                _ => BLOCKS.iter().find(|k| k.keyword == property.name),
            }
        }
    }
}

fn block_kind_alone(keyword: &str) -> Option<&'static Kind> {
    top_level(keyword)
        .or_else(|| part(keyword))
        .or_else(|| BLOCKS.iter().find(|k| k.keyword == keyword))
}

impl Kind {
    /// The header with the kind's keyword in it: `server NAME [: MODEL] { … }`
    /// where the form is shared by several kinds (`KIND NAME …`).
    pub fn header(&self) -> String {
        self.form.replacen("KIND", self.keyword, 1)
    }

    /// The property called `name`, including `allow` where the kind takes it.
    pub fn property(&self, name: &str) -> Option<&'static Property> {
        self.properties.iter().find(|p| p.name == name)
    }

    /// Property names, for did-you-mean and completion.
    pub fn property_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.properties.iter().map(|p| p.name)
    }
}

/// Words engineers write for a statement that the language spells
/// otherwise, so that `loadbalancer lb1 { … }` is pointed at `lb`. Edit
/// distance alone cannot find these.
pub const SYNONYMS: &[(&str, &str)] = &[
    ("loadbalancer", "lb"),
    ("load-balancer", "lb"),
    ("load_balancer", "lb"),
    ("balancer", "lb"),
    ("haproxy", "lb"),
    ("fw", "firewall"),
    ("sw", "switch"),
    ("tor", "switch"),
    ("leaf", "switch"),
    ("spine", "switch"),
    ("host", "server"),
    ("node", "server"),
    ("machine", "server"),
    ("san", "storage"),
    ("nas", "storage"),
    ("array", "storage"),
    ("ups", "power"),
    ("panel", "power"),
    ("utility", "power"),
    ("generator", "power"),
    ("circuit", "feed"),
    ("datacenter", "site"),
    ("dc", "site"),
    ("zone", "fault-domain"),
    ("cabinet", "rack"),
    ("app", "service"),
    ("db", "service"),
    ("database", "service"),
    ("user", "client"),
    ("request", "flow"),
    ("replication", "replicate"),
    ("cable", "link"),
    ("import", "include"),
];

/// The statement a user probably meant by an unknown keyword: a known
/// synonym, else the closest spelling.
pub fn statement_for(word: &str) -> Option<&'static str> {
    synonym(word).or_else(|| crate::diagnostic::closest(word, statement_keywords()))
}

/// The statement keyword an engineer's word stands for, in any case.
pub fn synonym(word: &str) -> Option<&'static str> {
    SYNONYMS
        .iter()
        .find(|(w, _)| w.eq_ignore_ascii_case(word))
        .map(|(_, k)| *k)
}

/// The `allow` property every element takes.
pub const ALLOW: Property = prop(
    "allow",
    Shape::Form { syntax: "RULE..." },
    "Silences the named rules' findings about this element.",
    "allow spof single-feed",
)
.repeats();

#[cfg(test)]
mod tests;
