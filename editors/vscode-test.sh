#!/usr/bin/env bash
# Tests of the VS Code extension: TextMate grammar snapshots of every .topo
# file in examples/ and tests/fixtures/, explicit token checks, the colours
# VS Code's Dark+ and Light+ themes give each kind of token, the
# language-client wiring, and the .vsix package. Needs node (20 or newer),
# npm and unzip.
#   UPDATE_SNAPSHOTS=1 editors/vscode-test.sh   # rewrite the snapshots
set -euo pipefail
cd "$(dirname "$0")/vscode"
npm ci --no-audit --no-fund
node --test test/*.test.js

# The package: `vsce package` must succeed without asking anything. When
# stdout is not a terminal vsce answers its own questions with "yes", so
# every warning that would have been a question fails the step here; only
# its advice to bundle the JavaScript and its notice of a newer vsce (pinned
# here: 4.x needs node 22) are let through.
if ! command -v unzip >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq unzip >/dev/null
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
npx --no-install vsce package --out "$out/topo.vsix" </dev/null >"$out/log" 2>&1 || {
  cat "$out/log"
  echo "vsce package failed" >&2
  exit 1
}
if grep WARNING "$out/log" | grep -v -e 'you should bundle your extension' -e 'The latest version of @vscode/vsce' >&2; then
  echo "vsce package warned (a question when run in a terminal)" >&2
  exit 1
fi
unzip -l "$out/topo.vsix" | awk '{ print $4 }' >"$out/files"
missing=0
for f in extension/package.json extension/extension.js extension/syntaxes/topo.tmLanguage.json \
  extension/language-configuration.json extension/LICENSE.txt extension/readme.md \
  extension/node_modules/vscode-languageclient/node.js; do
  grep -qxF "$f" "$out/files" || { echo "the .vsix lacks $f" >&2; missing=1; }
done
# Tests, snapshots and the test-only packages stay out.
for p in extension/test/ extension/node_modules/@vscode/ extension/node_modules/@shikijs/ \
  extension/node_modules/vscode-textmate/ extension/node_modules/vscode-oniguruma/; do
  if grep -q "^$p" "$out/files"; then echo "the .vsix holds $p" >&2; missing=1; fi
done
[ "$missing" = 0 ]
echo "vsce package: $(wc -l <"$out/files") files, $(du -k "$out/topo.vsix" | cut -f1) KiB; the grammar, extension.js and the language client are in it"
