'use strict';
// extension.js against a stand-in for the `vscode` API and the language
// client: it starts `<topo.path> lsp` over stdio when the executable runs, and
// only tells the user (highlighting stays) when it does not.

const test = require('node:test');
const assert = require('node:assert/strict');
const Module = require('node:module');
const path = require('node:path');

function withFakes(settings) {
  const log = { info: [], warnings: [], clients: [], commands: [] };
  const vscode = {
    workspace: {
      getConfiguration: (section) => ({ get: (key) => settings[`${section}.${key}`] }),
      createFileSystemWatcher: (glob) => ({ glob, dispose() {} }),
      onDidChangeConfiguration: () => ({ dispose() {} }),
    },
    window: {
      showInformationMessage: (m) => log.info.push(m),
      showWarningMessage: (m) => log.warnings.push(m),
      createOutputChannel: () => ({ appendLine() {}, dispose() {} }),
    },
    commands: {
      registerCommand: (id) => {
        log.commands.push(id);
        return { dispose() {} };
      },
    },
  };
  class LanguageClient {
    constructor(id, name, serverOptions, clientOptions) {
      Object.assign(this, { id, name, serverOptions, clientOptions, started: false });
      log.clients.push(this);
    }
    async start() {
      this.started = true;
    }
    async stop() {
      this.started = false;
    }
  }
  const languageClient = { LanguageClient, TransportKind: { stdio: 0, ipc: 1, pipe: 2, socket: 3 } };

  // extension.js loads the client lazily, so the stand-ins stay in place
  // (node --test runs each test file in a process of its own).
  fakes = { vscode, languageClient };
  const file = require.resolve(path.join('..', 'extension.js'));
  delete require.cache[file];
  return { extension: require(file), log };
}

let fakes;
const originalLoad = Module._load;
Module._load = function (request, parent, isMain) {
  if (fakes && request === 'vscode') return fakes.vscode;
  if (fakes && request === 'vscode-languageclient/node') return fakes.languageClient;
  return originalLoad.call(this, request, parent, isMain);
};

test('starts `topo lsp` over stdio when the executable runs', async () => {
  // `node --version` exits 0, so node stands in for a topo binary here.
  const { extension, log } = withFakes({ 'topo.path': process.execPath });
  await extension.activate({ subscriptions: [] });
  assert.deepEqual(log.info, []);
  assert.equal(log.clients.length, 1);
  const client = log.clients[0];
  assert.ok(client.started);
  assert.equal(client.serverOptions.run.command, process.execPath);
  assert.deepEqual(client.serverOptions.run.args, ['lsp']);
  assert.equal(client.serverOptions.run.transport, 0);
  assert.deepEqual(client.clientOptions.documentSelector.map((s) => s.language), ['topo', 'topo']);
  assert.ok(log.commands.includes('topo.restartServer'));
  await extension.deactivate();
  assert.ok(!client.started);
});

test('only highlights, with a message, when topo is missing', async () => {
  const { extension, log } = withFakes({ 'topo.path': 'topo-does-not-exist-anywhere' });
  await extension.activate({ subscriptions: [] });
  assert.equal(log.clients.length, 0);
  assert.equal(log.info.length, 1);
  assert.match(log.info[0], /topo-does-not-exist-anywhere/);
  assert.match(log.info[0], /topo\.path/);
  await extension.deactivate();
});

test('topo.path defaults to `topo`', () => {
  const { extension } = withFakes({});
  assert.equal(extension.topoCommand(), 'topo');
});

test('package.json wires the language, grammar and client together', () => {
  const pkg = require('../package.json');
  assert.equal(pkg.main, './extension.js');
  assert.ok(pkg.activationEvents.includes('onLanguage:topo'));
  const lang = pkg.contributes.languages.find((l) => l.id === 'topo');
  assert.deepEqual(lang.extensions, ['.topo']);
  assert.deepEqual(lang.aliases, ['Topo', 'topo']);
  assert.equal(lang.configuration, './language-configuration.json');
  const grammar = pkg.contributes.grammars.find((g) => g.language === 'topo');
  assert.equal(grammar.scopeName, 'source.topo');
  assert.equal(require(path.join('..', grammar.path)).scopeName, 'source.topo');
  assert.equal(pkg.contributes.configuration.properties['topo.path'].default, 'topo');
  assert.match(pkg.dependencies['vscode-languageclient'], /^\^9\./);
  assert.match(pkg.engines.vscode, /^\^1\.82/);
  const config = require('../language-configuration.json');
  assert.equal(config.comments.lineComment, '#');
  const word = new RegExp(config.wordPattern);
  assert.equal('web[1..4] x'.match(word)[0], 'web[1..4]');
  assert.equal('shop-web'.match(word)[0], 'shop-web');
});
