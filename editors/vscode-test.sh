#!/usr/bin/env bash
# Tests of the VS Code extension: TextMate grammar snapshots of every .topo
# file in examples/ and tests/fixtures/, explicit token checks, and the
# language-client wiring. Needs node (18 or newer) and npm.
#   UPDATE_SNAPSHOTS=1 editors/vscode-test.sh   # rewrite the snapshots
set -euo pipefail
cd "$(dirname "$0")/vscode"
npm ci --no-audit --no-fund
node --test test/
