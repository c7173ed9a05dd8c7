#!/usr/bin/env bash
# Tests the tree-sitter grammar (editors/tree-sitter-topo) without the
# tree-sitter CLI: its Rust crate compiles the committed src/parser.c, parses
# every .topo file under examples/ and tests/fixtures/, and checks that
# queries/highlights.scm compiles. The crate is standalone (its own [workspace]
# and Cargo.lock) and builds into editors/tree-sitter-topo/target.
set -euo pipefail
cd "$(dirname "$0")/tree-sitter-topo" && cargo test --locked
