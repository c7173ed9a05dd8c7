// A second, independent rendering of the line hash GitHub's upload action
// computes (github/codeql-action, src/fingerprints.ts), for tests/sarif_v2.rs.
// It works as the action does: reads the file as UTF-8 into a JavaScript
// string, walks its UTF-16 code units, and keeps 64-bit arithmetic with
// BigInt.asIntN where the action uses the `long` package.
// Usage: node line_hash.js FILE  → one "LINE HASH" per line of FILE.
"use strict";
const fs = require("fs");

const WIDTH = 100;
const M = 37n;
const wrap = (x) => BigInt.asIntN(64, x);
let top = 1n;
for (let i = 0; i < WIDTH; i++) top = wrap(top * M);

const text = fs.readFileSync(process.argv[2], "utf8");
const ring = new Array(WIDTH).fill(0n);
const owner = new Array(WIDTH).fill(-1);
let h = 0n;
let slot = 0;
let line = 0;
let fresh = true;
let sawCR = false;
const tally = new Map();
const out = [];

function flushSlot() {
  if (owner[slot] === -1) return;
  const hex = BigInt.asUintN(64, h).toString(16);
  const n = (tally.get(hex) || 0) + 1;
  tally.set(hex, n);
  out.push(`${owner[slot]} ${hex}:${n}`);
  owner[slot] = -1;
}

function push(code) {
  const gone = ring[slot];
  ring[slot] = BigInt(code);
  h = wrap(wrap(wrap(M * h) + BigInt(code)) - wrap(top * gone));
  slot = (slot + 1) % WIDTH;
}

function take(code) {
  if (code === 32 || code === 9 || (sawCR && code === 10)) {
    sawCR = false;
    return;
  }
  sawCR = code === 13;
  if (sawCR) code = 10;
  flushSlot();
  if (fresh) {
    fresh = false;
    line += 1;
    owner[slot] = line;
  }
  if (code === 10) fresh = true;
  push(code);
}

for (let i = 0; i < text.length; i++) take(text.charCodeAt(i));
take(0xffff);
for (let i = 0; i < WIDTH; i++) {
  flushSlot();
  push(0);
}
process.stdout.write(out.join("\n") + "\n");
