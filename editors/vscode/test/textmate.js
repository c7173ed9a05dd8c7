'use strict';
// The grammar as VS Code runs it: vscode-textmate with the vscode-oniguruma
// regex engine, optionally with a colour theme, so that a token's colour is
// resolved by the same matcher (scope prefixes, parent scopes, specificity)
// that VS Code applies to a theme's token rules.

const fs = require('node:fs');
const path = require('node:path');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const EXTENSION = path.resolve(__dirname, '..');
const REPO = path.resolve(EXTENSION, '..', '..');
const GRAMMAR = path.join(EXTENSION, 'syntaxes', 'topo.tmLanguage.json');

let onigLib;
function loadOniguruma() {
  if (!onigLib) {
    const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    onigLib = oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength)).then(() => ({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }));
  }
  return onigLib;
}

/**
 * A VS Code colour theme ({ colors, tokenColors }, as shiki ships Dark+ and
 * Light+) as vscode-textmate's raw theme. VS Code puts the editor's
 * foreground and background first, as the rule without a scope; every token
 * that no rule matches gets them.
 */
function rawTheme(theme) {
  return {
    name: theme.name,
    settings: [
      { settings: { foreground: theme.colors['editor.foreground'], background: theme.colors['editor.background'] } },
      ...theme.tokenColors,
    ],
  };
}

const loaded = new Map();
/** The grammar, with `theme` applied if one is given; one registry per theme. */
function loadGrammar(theme) {
  const key = theme ? theme.name : '';
  if (!loaded.has(key)) {
    const registry = new vsctm.Registry({
      onigLib: loadOniguruma(),
      theme: theme ? rawTheme(theme) : undefined,
      loadGrammar: async (scopeName) => {
        if (scopeName !== 'source.topo') return null;
        return vsctm.parseRawGrammar(fs.readFileSync(GRAMMAR, 'utf8'), GRAMMAR);
      },
    });
    loaded.set(key, registry.loadGrammar('source.topo').then((grammar) => ({ grammar, colorMap: registry.getColorMap() })));
  }
  return loaded.get(key);
}

// vscode-textmate's encoded token metadata: bits 15..23 hold the foreground's
// index into the colour map (it does not export its decoder).
const foregroundOf = (metadata) => (metadata >>> 15) & 0x1ff;

/**
 * Every token of a text: { line, col (both 1-based), text, scopes (without
 * the root) }, plus `color` (upper-case #RRGGBB) when a theme is given.
 */
async function tokenize(text, theme) {
  const { grammar, colorMap } = await loadGrammar(theme);
  const out = [];
  let stack = vsctm.INITIAL;
  text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\n|\r/)
    .forEach((line, i) => {
      const r = grammar.tokenizeLine(line, stack);
      // tokenizeLine2 merges neighbours of one colour, so each scoped token
      // lies inside one of its (start, metadata) pairs.
      const encoded = theme ? grammar.tokenizeLine2(line, stack).tokens : null;
      let k = 0;
      for (const t of r.tokens) {
        const token = {
          line: i + 1,
          col: t.startIndex + 1,
          text: line.slice(t.startIndex, t.endIndex),
          scopes: t.scopes.filter((s) => s !== 'source.topo'),
        };
        if (encoded) {
          while (k + 2 < encoded.length && encoded[k + 2] <= t.startIndex) k += 2;
          token.color = colorMap[foregroundOf(encoded[k + 1])].toUpperCase();
        }
        out.push(token);
      }
      stack = r.ruleStack;
    });
  return out;
}

/** Every .topo file under the given folders of the repository, relative to it, sorted. */
function topoFiles(roots) {
  const files = [];
  const walk = (rel) => {
    for (const e of fs.readdirSync(path.join(REPO, rel), { withFileTypes: true })) {
      const r = path.join(rel, e.name);
      if (e.isDirectory()) walk(r);
      else if (e.isFile() && e.name.endsWith('.topo')) files.push(r);
    }
  };
  for (const root of roots) if (fs.existsSync(path.join(REPO, root))) walk(root);
  return files.sort();
}

module.exports = { EXTENSION, REPO, GRAMMAR, tokenize, topoFiles };
