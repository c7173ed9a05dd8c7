'use strict';
// The scopes the grammar gives must be ones VS Code's default themes colour:
// a scope that no rule of Dark+ or Light+ matches (`entity.name.rack`,
// `keyword.operator.arrow`, plain `support.constant`) shows as plain text.
// Every example is tokenised with each theme's own token rules (as shiki
// ships them, taken from VS Code), resolved by vscode-textmate as VS Code
// resolves them, and each kind of token must come out in a colour other than
// the theme's default foreground.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { REPO, tokenize, topoFiles } = require('./textmate');

const THEMES = ['dark-plus', 'light-plus'];
const loadTheme = async (name) => (await import(`@shikijs/themes/${name}`)).default;

// The kinds of token the issue names, each found by its scope or its text.
// `min` guards against a grammar change that makes a kind vanish from the
// examples, which would let the colour check pass on nothing.
const has = (prefix) => (t) => t.scopes.some((s) => s === prefix || s.startsWith(prefix + '.'));
const KINDS = [
  { kind: 'declaration keyword', is: has('storage.type'), min: 100 },
  { kind: 'property keyword', is: has('keyword.other.property'), min: 100 },
  { kind: 'include keyword', is: has('keyword.control.import'), min: 2 },
  { kind: 'declared name', is: (t) => has('entity.name.type')(t) && t.prev !== ':', min: 100 },
  { kind: 'model after `:`', is: (t) => t.prev === ':' && /\S/.test(t.text), min: 10 },
  { kind: 'reference', is: has('variable.other.reference'), min: 100 },
  { kind: '`->`', is: (t) => t.text === '->', min: 10 },
  { kind: '`:`', is: (t) => t.text === ':', min: 10 },
  { kind: 'connective (to, at, on, by, x)', is: has('keyword.operator.wordlike'), min: 20 },
  { kind: 'preset', is: has('support.type.preset'), min: 10 },
  { kind: 'enumerated value', is: has('support.constant.property-value'), min: 10 },
  { kind: 'unit', is: has('keyword.other.unit'), min: 100 },
  { kind: 'number', is: has('constant.numeric'), min: 100 },
  { kind: 'string', is: has('string.quoted.double'), min: 3 },
  { kind: 'comment', is: has('comment.line.number-sign'), min: 20 },
];

const files = topoFiles(['examples']);

// The tokens of a file, each with its file and the text of the token before
// it on its line (blanks skipped): a model's name after `:` is told from a
// declared one by that.
async function tokensOf(rel, theme) {
  const out = [];
  let prev;
  for (const t of await tokenize(fs.readFileSync(path.join(REPO, rel), 'utf8'), theme)) {
    if (!out.length || out[out.length - 1].line !== t.line) prev = undefined;
    out.push({ ...t, rel, prev });
    if (!/^\s*$/.test(t.text)) prev = t.text;
  }
  return out;
}

async function allTokens(theme) {
  const out = [];
  for (const rel of files) out.push(...(await tokensOf(rel, theme)));
  return out;
}

const where = (t) => `${t.rel}:${t.line}:${t.col} ${JSON.stringify(t.text)} (${t.scopes.join(' ')})`;

test('the examples are there to tokenise', () => {
  assert.ok(files.length >= 10, `found only ${files.length} .topo files under examples/`);
});

for (const name of THEMES) {
  test(`${name}: every kind of token is coloured`, async () => {
    const theme = await loadTheme(name);
    const plain = theme.colors['editor.foreground'].toUpperCase();
    const tokens = await allTokens(theme);
    const problems = [];
    for (const { kind, is, min } of KINDS) {
      const found = tokens.filter(is);
      if (found.length < min) problems.push(`${kind}: only ${found.length} tokens in the examples (expected at least ${min})`);
      const uncoloured = found.filter((t) => t.color === plain);
      if (uncoloured.length) {
        problems.push(`${kind}: ${uncoloured.length} of ${found.length} in the default foreground ${plain}, e.g. ${where(uncoloured[0])}`);
      }
    }
    assert.deepEqual(problems, [], `${name}:\n${problems.join('\n')}`);
  });

  test(`${name}: no word, number, \`->\` or \`:\` is plain text`, async () => {
    // Independent of how the kinds above are told apart: only punctuation
    // ({ } ; . [ ]) and blanks may keep the default colour.
    const theme = await loadTheme(name);
    const plain = theme.colors['editor.foreground'].toUpperCase();
    const tokens = await allTokens(theme);
    const bare = tokens.filter((t) => /[A-Za-z0-9]|->|:/.test(t.text) && t.color === plain);
    assert.deepEqual(bare.slice(0, 10).map(where), [], `${bare.length} tokens in the default foreground ${plain}`);
  });
}

// The colours themselves, so that a theme update or a wrong decoding of
// vscode-textmate's token metadata shows up as an exact difference; and the
// pairs that must look different do.
const EXPECTED = {
  'dark-plus': {
    'declaration keyword': '#569CD6',
    'declared name': '#4EC9B0',
    reference: '#9CDCFE',
    '`->`': '#569CD6',
    preset: '#4EC9B0',
    'enumerated value': '#CE9178',
    unit: '#B5CEA8',
    number: '#B5CEA8',
    comment: '#6A9955',
  },
  'light-plus': {
    'declaration keyword': '#0000FF',
    'declared name': '#267F99',
    reference: '#001080',
    '`->`': '#0000FF',
    preset: '#267F99',
    'enumerated value': '#0451A5',
    unit: '#098658',
    number: '#098658',
    comment: '#008000',
  },
};

for (const name of THEMES) {
  test(`${name}: the exact colours of each kind`, async () => {
    const theme = await loadTheme(name);
    const tokens = await allTokens(theme);
    const colours = {};
    for (const kind of Object.keys(EXPECTED[name])) {
      const { is } = KINDS.find((k) => k.kind === kind);
      const seen = [...new Set(tokens.filter(is).map((t) => t.color))];
      colours[kind] = seen.length === 1 ? seen[0] : seen;
    }
    assert.deepEqual(colours, EXPECTED[name]);
    // The comment colour is the one the theme's own `comment` rule gives.
    const commentRule = theme.tokenColors.find((r) => [].concat(r.scope).includes('comment'));
    assert.equal(colours.comment, commentRule.settings.foreground.toUpperCase());
    assert.notEqual(colours['declared name'], colours.reference, 'a declared name and a reference look alike');
    assert.notEqual(colours.number, colours['declaration keyword']);
  });
}
