//! `syntax`: reported by the parser and lowering.

use super::Rule;
use crate::diagnostic::Severity;

pub static RULE: Rule = Rule {
    name: "syntax",
    severity: Severity::Error,
    summary: "the text does not parse, or uses a keyword or property the language does not have",
    doc: r#"## What it checks
The text must follow the grammar of the language: statements of names,
numbers, quantities and strings, ended by a newline, `;` or `}`, with blocks
in `{ }` nested at most 32 deep. Every statement starts with a keyword the
language knows, and every property is one its declaration takes.

## Why
A file that does not parse describes nothing; every later check would read
a guess. Unknown keywords are almost always typos, so the closest known one
is suggested.

## Example
```topo
rack r1 { site tokyo; hieght 42U; feeds a, b }
```
`hieght` is not a property of a rack (did you mean `height`?), and lists are
separated by spaces, not commas.

## Fix
Correct the spelling, separate list items with spaces, close every `{`.
"#,
    check: None,
};
