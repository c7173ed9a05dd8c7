//! `unit-mismatch`: reported by lowering.

use super::Rule;
use crate::diagnostic::Severity;

pub static RULE: Rule = Rule {
    name: "unit-mismatch",
    severity: Severity::Error,
    summary: "a quantity has the wrong dimension",
    doc: r#"## What it checks
Every quantity has a dimension (power, current, mass, bandwidth, size,
duration, ...), and each property takes one. A quantity of another
dimension, a bare number where a unit belongs, or a unit the language does
not know is reported, naming the expected and the found dimension.

## Why
Units are where physical designs go wrong: amps taken for watts, bits for
bytes, pounds for kilograms. topo keeps a type per dimension so that a
figure is never compared with one of another kind.

## Example
```topo
rack r1 { max-weight 30A; height 42 }
```
`max-weight` expects a mass (kg, g, lb) and finds a current; `height`
expects rack units and finds a plain number.

## Fix
Write the unit right after the number: `max-weight 1000kg`, `height 42U`.
"#,
    check: None,
};
