//! `invalid-value`: reported by loading and lowering.

use super::Rule;
use crate::diagnostic::Severity;

pub static RULE: Rule = Rule {
    name: "invalid-value",
    severity: Severity::Error,
    summary: "a malformed value, bad range, cycle or missing required property",
    doc: r#"## What it checks
Values that have the right shape but cannot be right: a range that runs
backwards or expands to more than 100,000 names, a name longer than 128
characters, a statement that would take the project past 2,000,000 elements
created by expansion (ranges, link and call products, parts copied from
models; once the project has used them up, the first refused statement's
error counts the later ones instead of one error each), a bus cycle inside
a server, a model that inherits from itself, an include cycle, an include
that cannot be read or may not be (an absolute path, a path or symlink out
of the project root, anything but a regular `.topo` file), a name of the
wrong kind, a current in A where no voltage is known to convert it, a
number that is not finite or a sum that overflows, a required property that
is missing (the size of a racked device), or an absurd figure (a 0U rack).

## Why
Each of these leaves the model without a meaning: a bus cycle has no root to
measure against, a draw in A has no watts without a voltage, a racked device
without a size occupies no known U. The limits keep a small file from
asking for unbounded work, and the include rules keep a file from reading
anything outside its project.

## Example
```topo
feed f { site s; circuit 30A }
```
A circuit in A gives no power budget until its voltage is known.

## Fix
Give the missing figure (`circuit 30A at 208V`), turn the range around,
break the cycle, or name an element of the expected kind.
"#,
    check: None,
};
