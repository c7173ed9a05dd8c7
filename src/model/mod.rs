//! The semantic model: every element of a project, resolved and typed, with
//! the relations between them held in a petgraph graph ([`graph`]).
//!
//! Analyzers and renderers read only this. It is built in this order:
//! [`load`] reads files and includes; [`schema`] says what each statement
//! takes; [`names`] expands ranges; [`lower`] checks every statement against
//! the schema and builds the elements ([`physical`], [`internals`],
//! [`services`], held by the [`project`]); [`graph`] joins them.

pub mod graph;
pub mod internals;
pub mod load;
pub mod lower;
pub mod names;
pub mod physical;
pub mod presets;
pub mod project;
pub mod schema;
pub mod services;
pub mod units;

use crate::source::{FileId, Span};
use petgraph::graph::NodeIndex;

pub use internals::*;
pub use load::{load_files, load_sources, Loaded};
pub use physical::*;
pub use project::*;
pub use services::*;

/// A value and where it was written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

macro_rules! ids {
    ($($name:ident),* $(,)?) => {$(
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub u32);
        impl $name {
            pub fn index(self) -> usize { self.0 as usize }
        }
    )*};
}

ids!(
    SiteId,
    PowerId,
    FeedId,
    RackId,
    ModelId,
    DeviceId,
    VmId,
    TierId,
    ServiceId,
    ClientId,
    CdnId,
    FlowId,
    PartitionId,
    ReplicationId,
    LinkId,
    FaultDomainId,
    AllowId
);
