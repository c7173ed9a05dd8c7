#!/usr/bin/env bash
# Seeds each fuzz target's corpus from the examples and fixtures. Fixture
# files share names (fires.topo, clean.topo), so each copy is named after
# its rule.
set -euo pipefail
cd "$(dirname "$0")"
root=..
for target in parse parse_agrees lower check fmt; do
    mkdir -p "corpus/$target"
    cp "$root"/examples/*.topo "corpus/$target/"
    for f in "$root"/tests/fixtures/*/*.topo; do
        rule=$(basename "$(dirname "$f")")
        cp "$f" "corpus/$target/$rule-$(basename "$f")"
    done
done
mkdir -p corpus/netbox
cp "$root"/tests/fixtures/netbox/*.yaml corpus/netbox/
mkdir -p corpus/lsp_frames
printf 'Content-Length: 75\r\n\r\n{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}' > corpus/lsp_frames/initialize
