'use strict';
// Tokenizes every .topo file of the repository (examples/ and tests/fixtures/)
// with the TextMate grammar and compares a readable listing of the tokens with
// a snapshot in test/snapshots/<path relative to the repository>.txt.
//
//   node --test test/*.test.js                      # compare
//   UPDATE_SNAPSHOTS=1 node --test test/*.test.js   # rewrite the snapshots
//
// It also checks a handful of tokens explicitly, so that a broken grammar
// cannot be accepted by regenerating the snapshots without looking.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { EXTENSION, REPO, tokenize, topoFiles } = require('./textmate');

const SNAPSHOTS = path.join(__dirname, 'snapshots');
const ROOTS = ['examples', path.join('tests', 'fixtures')];
const UPDATE = process.env.UPDATE_SNAPSHOTS === '1';

// One line per token; whitespace that carries no scope is left out.
function listing(tokens) {
  return tokens
    .filter((t) => !(t.scopes.length === 0 && /^\s*$/.test(t.text)))
    .map((t) => `${t.line}:${t.col} ${JSON.stringify(t.text)} -> ${t.scopes.join(' ') || '(none)'}`)
    .join('\n') + '\n';
}

const snapshotOf = (rel) => path.join(SNAPSHOTS, rel + '.txt');
const files = topoFiles(ROOTS);

test('there are .topo files to tokenize', () => {
  assert.ok(files.length >= 10, `found only ${files.length} .topo files under ${ROOTS.join(', ')}`);
  assert.ok(files.includes(path.join('examples', 'webshop.topo')));
});

for (const rel of files) {
  test(`snapshot: ${rel}`, async () => {
    const tokens = await tokenize(fs.readFileSync(path.join(REPO, rel), 'utf8'));
    // Every visible character has a scope, and nothing in the examples is illegal.
    for (const t of tokens) {
      const where = `${rel}:${t.line}:${t.col} ${JSON.stringify(t.text)}`;
      assert.ok(t.scopes.length > 0 || /^\s*$/.test(t.text), `unscoped token ${where}`);
      assert.ok(!t.scopes.some((s) => s.startsWith('invalid.')), `illegal token ${where}: ${t.scopes.join(' ')}`);
    }
    const actual = listing(tokens);
    const file = snapshotOf(rel);
    if (UPDATE) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, actual);
      return;
    }
    assert.ok(fs.existsSync(file), `no snapshot ${path.relative(EXTENSION, file)}: run with UPDATE_SNAPSHOTS=1`);
    assert.equal(actual, fs.readFileSync(file, 'utf8'), `tokens of ${rel} differ from the snapshot (UPDATE_SNAPSHOTS=1 rewrites it)`);
  });
}

test('no snapshot without its .topo file', () => {
  const wanted = new Set(files.map(snapshotOf));
  const orphans = [];
  const walk = (dir) => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (!wanted.has(p)) orphans.push(p);
    }
  };
  walk(SNAPSHOTS);
  if (UPDATE) {
    for (const p of orphans) fs.unlinkSync(p);
    return;
  }
  assert.deepEqual(orphans.map((p) => path.relative(EXTENSION, p)), []);
});

// ---- explicit token checks --------------------------------------------------

// The scopes of the `nth` token whose text is `text` on the first line containing `lineContains`.
function scopesOf(tokens, source, lineContains, text, nth = 0) {
  const lines = source.split(/\r\n|\n|\r/);
  const lineNo = lines.findIndex((l) => l.includes(lineContains)) + 1;
  assert.ok(lineNo > 0, `no line contains ${JSON.stringify(lineContains)}`);
  const found = tokens.filter((t) => t.line === lineNo && t.text === text);
  assert.ok(found.length > nth, `no token ${JSON.stringify(text)} on line ${lineNo}: ${lines[lineNo - 1]}`);
  return found[nth].scopes;
}

function expectScope(tokens, source, lineContains, text, scope, nth = 0) {
  const scopes = scopesOf(tokens, source, lineContains, text, nth);
  assert.ok(
    scopes.some((s) => s === scope || s.startsWith(scope + '.')),
    `${JSON.stringify(text)} in ${JSON.stringify(lineContains)}: expected ${scope}, got ${scopes.join(' ') || '(none)'}`,
  );
}

test('webshop.topo: key tokens', async () => {
  const source = fs.readFileSync(path.join(REPO, 'examples', 'webshop.topo'), 'utf8');
  const tokens = await tokenize(source);
  const rack = 'rack shop-r1 {';
  expectScope(tokens, source, rack, 'rack', 'storage.type.rack');
  expectScope(tokens, source, rack, 'shop-r1', 'entity.name.type.rack');
  expectScope(tokens, source, rack, 'site', 'keyword.other.property');
  expectScope(tokens, source, rack, 'iad1', 'variable.other.reference');
  expectScope(tokens, source, rack, '42', 'constant.numeric');
  expectScope(tokens, source, rack, 'U', 'keyword.other.unit');
  expectScope(tokens, source, rack, '1360', 'constant.numeric');
  expectScope(tokens, source, rack, 'kg', 'keyword.other.unit');
  expectScope(tokens, source, rack, ';', 'punctuation.terminator');
  expectScope(tokens, source, rack, '{', 'punctuation.section.block.begin');
  expectScope(tokens, source, rack, '}', 'punctuation.section.block.end');
  expectScope(tokens, source, 'include "models/dell.topo"', 'include', 'keyword.control.import');
  expectScope(tokens, source, 'include "models/dell.topo"', 'models/dell.topo', 'string.quoted.double');
  expectScope(tokens, source, 'include "models/dell.topo"', '# r650, r750, s5248f', 'comment.line.number-sign');
  expectScope(tokens, source, '# webshop.topo', '# webshop.topo: a 3-tier web shop and its request paths, browser to database.', 'comment.line.number-sign');
  const web = 'server web[1..2] : r650';
  expectScope(tokens, source, web, 'server', 'storage.type.server');
  expectScope(tokens, source, web, 'web', 'entity.name.type.server');
  expectScope(tokens, source, web, '[1..2]', 'constant.numeric.range');
  expectScope(tokens, source, web, ':', 'keyword.operator.expression.colon');
  expectScope(tokens, source, web, 'r650', 'entity.name.type.model');
  expectScope(tokens, source, web, 'rack', 'keyword.other.property');
  expectScope(tokens, source, web, 'at', 'keyword.operator.wordlike');
  expectScope(tokens, source, web, 'U1', 'constant.numeric.position');
  expectScope(tokens, source, 'link tor1 to tor2', 'link', 'storage.type.link');
  expectScope(tokens, source, 'link tor1 to tor2', 'to', 'keyword.operator.wordlike');
  expectScope(tokens, source, 'link tor1 to tor2', '100', 'constant.numeric');
  expectScope(tokens, source, 'link tor1 to tor2', 'GbE', 'keyword.other.unit');
  expectScope(tokens, source, 'service shop-db on db1 db2', 'on', 'keyword.operator.wordlike');
  expectScope(tokens, source, 'service shop-db on db1 db2', 'shop-db', 'entity.name.type.service');
  expectScope(tokens, source, 'service shop-db on db1 db2', 'db2', 'variable.other.reference');
  expectScope(tokens, source, 'ha active-standby', 'active-standby', 'support.constant.property-value');
  expectScope(tokens, source, 'tier web { role presentation }', 'tier', 'storage.type.tier');
  expectScope(tokens, source, 'tier web { role presentation }', 'presentation', 'support.constant.property-value');
  expectScope(tokens, source, '  tier web', 'tier', 'keyword.other.property');
  expectScope(tokens, source, 'pool shop-db 40', '40', 'constant.numeric');
  const flow = 'flow checkout {';
  expectScope(tokens, source, flow, 'flow', 'storage.type.flow');
  expectScope(tokens, source, flow, 'checkout', 'entity.name.type.flow');
  expectScope(tokens, source, flow, 'browser', 'variable.other.reference');
  expectScope(tokens, source, flow, '->', 'keyword.operator.expression.arrow');
  expectScope(tokens, source, flow, 'shop-web', 'variable.other.reference');
  expectScope(tokens, source, flow, 'content', 'keyword.other.property');
  expectScope(tokens, source, flow, 'dynamic', 'support.constant.property-value');
  expectScope(tokens, source, flow, 'rps', 'keyword.other.unit');
});

test('models/dell.topo: parts and buses', async () => {
  const source = fs.readFileSync(path.join(REPO, 'examples', 'models', 'dell.topo'), 'utf8');
  const tokens = await tokenize(source);
  expectScope(tokens, source, 'model r650 {', 'model', 'storage.type.model');
  expectScope(tokens, source, 'model r650 {', 'r650', 'entity.name.type.model');
  const nic = 'nic nic0 { ports 2 x 25GbE; bus pcie4 x8 to cpu0 }';
  expectScope(tokens, source, nic, 'nic', 'storage.type.part');
  expectScope(tokens, source, nic, 'nic0', 'entity.name.type.part');
  expectScope(tokens, source, nic, 'ports', 'keyword.other.property');
  expectScope(tokens, source, nic, 'x', 'keyword.operator.wordlike');
  expectScope(tokens, source, nic, 'bus', 'keyword.other.property');
  expectScope(tokens, source, nic, 'pcie4', 'support.type.preset');
  expectScope(tokens, source, nic, 'x8', 'support.type.preset');
  expectScope(tokens, source, nic, 'to', 'keyword.operator.wordlike');
  expectScope(tokens, source, nic, 'cpu0', 'variable.other.reference');
  expectScope(tokens, source, 'cpu cpu[0..1] {', 'cpu', 'entity.name.type.part', 1);
  expectScope(tokens, source, 'cpu cpu[0..1] {', '[0..1]', 'constant.numeric.range');
  expectScope(tokens, source, 'memory ddr4-3200', 'ddr4-3200', 'support.type.preset');
  expectScope(tokens, source, 'memory ddr4-3200', 'dimm-size', 'keyword.other.property');
  expectScope(tokens, source, 'cache 8GB write-back', 'write-back', 'support.constant.property-value');
  expectScope(tokens, source, 'cache 8GB write-back', 'battery', 'support.constant.property-value');
  expectScope(tokens, source, 'throughput 7GB/s', 'GB/s', 'keyword.other.unit');
});

test('small cases: strings, escapes, dotted names, explicit buses, allow', async () => {
  const source = [
    'client pos { software pos-terminal "4.2 \\"beta\\" # not a comment" }  # a comment',
    'link zprod.ficon0 to ds8k1.ha0 { speed 32GFC }',
    'server s { card tpm0 { bus width 4bit period 30ns to pch }; allow bus-bottleneck }',
    'allow spof',
    'flow f { a->b; rate 40Mb/s }',
    'server s1-[1..8]a { rack r1 at U1 }',
    'replicate a to b { mode async; rpo 5m; rto 1.5h }',
  ].join('\n');
  const tokens = await tokenize(source);
  expectScope(tokens, source, 'client pos', '\\"', 'constant.character.escape');
  expectScope(tokens, source, 'client pos', ' # not a comment', 'string.quoted.double');
  expectScope(tokens, source, 'client pos', '# a comment', 'comment.line.number-sign');
  expectScope(tokens, source, 'link zprod', '.', 'punctuation.accessor');
  expectScope(tokens, source, 'link zprod', 'ficon0', 'variable.other.reference');
  expectScope(tokens, source, 'link zprod', 'GFC', 'keyword.other.unit');
  expectScope(tokens, source, 'card tpm0', 'width', 'keyword.other.bus');
  expectScope(tokens, source, 'card tpm0', 'bit', 'keyword.other.unit');
  expectScope(tokens, source, 'card tpm0', 'ns', 'keyword.other.unit');
  expectScope(tokens, source, 'card tpm0', 'allow', 'keyword.other.property');
  expectScope(tokens, source, 'card tpm0', 'bus-bottleneck', 'support.constant.property-value.rule');
  expectScope(tokens, source, 'allow spof', 'allow', 'keyword.other.allow');
  expectScope(tokens, source, 'flow f', 'a', 'variable.other.reference');
  expectScope(tokens, source, 'flow f', '->', 'keyword.operator.expression.arrow');
  expectScope(tokens, source, 'flow f', 'Mb/s', 'keyword.other.unit');
  expectScope(tokens, source, 's1-[1..8]a', 's1-', 'entity.name.type.server');
  expectScope(tokens, source, 's1-[1..8]a', '[1..8]', 'constant.numeric.range');
  expectScope(tokens, source, 's1-[1..8]a', 'a', 'entity.name.type.server');
  expectScope(tokens, source, 'replicate a', 'replicate', 'storage.type.replicate');
  expectScope(tokens, source, 'replicate a', 'async', 'support.constant.property-value');
  expectScope(tokens, source, 'replicate a', 'm', 'keyword.other.unit');
  expectScope(tokens, source, 'replicate a', '1.5', 'constant.numeric');
});

test('version 2: power sources, fault domains, faces and the new properties and units', async () => {
  const source = [
    'power util-a { site tokyo; kind utility; capacity 2MVA }',
    'power ups-a { site tokyo; kind ups; capacity 500kVA; phases 3; from util-a }',
    'feed tokyo-c { site tokyo; circuit 32A at 400V; phases 3; rated 100%; from ups-a }',
    'rack t1 { site tokyo; feeds tokyo-c; cooling 12kW }',
    'fault-domain stack1 { members tor1 tor2 }',
    'site iad1 { role primary; entry fw1 fw2 }',
    'server db1 { rack t1 at U20 rear; depth half; power-factor 0.95; feeds tokyo-c; bridge plx0 { bus pcie4 x16 to cpu0 } }',
    'switch tor1 { ports 48 x 25GbE 8 x 100GbE; oversubscription 5 }',
    'link tor1 to wan1 { speed 10GbE; count 2; distance 400km }',
    'link wan1 to wan2 { distance 30mi }',
    'service db-dr on db2 { takes-over db; ha quorum }',
    'replicate db to db-dr { mode async; write-rate 200MB/s }',
    'server s2 { rack dr at U1 }',
  ].join('\n');
  const tokens = await tokenize(source);
  for (const t of tokens) {
    assert.ok(!t.scopes.some((s) => s.startsWith('invalid.')), `illegal token ${JSON.stringify(t.text)}: ${t.scopes.join(' ')}`);
  }
  const util = 'power util-a';
  expectScope(tokens, source, util, 'power', 'storage.type.power');
  expectScope(tokens, source, util, 'util-a', 'entity.name.type.power');
  expectScope(tokens, source, util, 'kind', 'keyword.other.property');
  expectScope(tokens, source, util, 'utility', 'support.constant.property-value');
  expectScope(tokens, source, util, 'MVA', 'keyword.other.unit');
  expectScope(tokens, source, 'power ups-a', 'kVA', 'keyword.other.unit');
  expectScope(tokens, source, 'power ups-a', 'phases', 'keyword.other.property');
  expectScope(tokens, source, 'power ups-a', 'from', 'keyword.other.property');
  expectScope(tokens, source, 'feed tokyo-c', 'rated', 'keyword.other.property');
  expectScope(tokens, source, 'feed tokyo-c', '%', 'keyword.other.unit');
  expectScope(tokens, source, 'rack t1', 'cooling', 'keyword.other.property');
  expectScope(tokens, source, 'fault-domain', 'fault-domain', 'storage.type.fault-domain');
  expectScope(tokens, source, 'fault-domain', 'stack1', 'entity.name.type.fault-domain');
  expectScope(tokens, source, 'fault-domain', 'members', 'keyword.other.property');
  expectScope(tokens, source, 'site iad1', 'entry', 'keyword.other.property');
  const db1 = 'server db1';
  expectScope(tokens, source, db1, 'rear', 'support.constant.property-value');
  expectScope(tokens, source, db1, 'U20', 'constant.numeric.position');
  expectScope(tokens, source, db1, 'depth', 'keyword.other.property');
  expectScope(tokens, source, db1, 'half', 'support.constant.property-value');
  expectScope(tokens, source, db1, 'power-factor', 'keyword.other.property');
  expectScope(tokens, source, db1, 'feeds', 'keyword.other.property');
  expectScope(tokens, source, db1, 'bridge', 'storage.type.part');
  expectScope(tokens, source, db1, 'plx0', 'entity.name.type.part');
  expectScope(tokens, source, db1, 'x16', 'support.type.preset');
  expectScope(tokens, source, 'switch tor1', 'oversubscription', 'keyword.other.property');
  expectScope(tokens, source, 'switch tor1', '100', 'constant.numeric');
  expectScope(tokens, source, 'link tor1', 'count', 'keyword.other.property');
  expectScope(tokens, source, 'link tor1', 'km', 'keyword.other.unit');
  expectScope(tokens, source, 'link wan1', 'mi', 'keyword.other.unit');
  expectScope(tokens, source, 'service db-dr', 'takes-over', 'keyword.other.property');
  expectScope(tokens, source, 'service db-dr', 'quorum', 'support.constant.property-value');
  expectScope(tokens, source, 'replicate db', 'write-rate', 'keyword.other.property');
  // A rack named like a site role stays a name: each property has its own words.
  expectScope(tokens, source, 'server s2', 'dr', 'variable.other.reference');
});
