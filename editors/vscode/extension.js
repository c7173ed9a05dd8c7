'use strict';
// The topo extension: the TextMate grammar (syntaxes/topo.tmLanguage.json)
// highlights .topo files on its own; when a `topo` executable is available,
// this also starts `topo lsp` over stdio as a language server (diagnostics and
// whatever else the server offers).

const { spawnSync } = require('child_process');
const vscode = require('vscode');

/** @type {import('vscode-languageclient/node').LanguageClient | undefined} */
let client;
let output;

/** The configured executable (`topo.path`, default `topo`). */
function topoCommand() {
  const configured = vscode.workspace.getConfiguration('topo').get('path');
  return typeof configured === 'string' && configured.trim() !== '' ? configured.trim() : 'topo';
}

/**
 * Whether `command` runs: `command --version` must start and exit 0.
 * spawnSync looks the name up on PATH the way the language client will.
 */
function probe(command) {
  try {
    const r = spawnSync(command, ['--version'], { encoding: 'utf8', timeout: 10000, windowsHide: true });
    if (r.error) return { ok: false, reason: r.error.code === 'ENOENT' ? 'not found' : r.error.message };
    if (r.status !== 0) return { ok: false, reason: `\`${command} --version\` exited with ${r.status ?? r.signal}` };
    return { ok: true, version: (r.stdout || '').trim() };
  } catch (e) {
    return { ok: false, reason: String(e && e.message ? e.message : e) };
  }
}

async function startClient(context) {
  const command = topoCommand();
  const found = probe(command);
  if (!found.ok) {
    vscode.window.showInformationMessage(
      `topo: the \`${command}\` executable is not available (${found.reason}), so only syntax highlighting is provided. ` +
        'Put `topo` on your PATH or set the `topo.path` setting to enable diagnostics.',
    );
    return;
  }

  const { LanguageClient, TransportKind } = require('vscode-languageclient/node');
  const executable = { command, args: ['lsp'], transport: TransportKind.stdio };
  /** @type {import('vscode-languageclient/node').ServerOptions} */
  const serverOptions = { run: executable, debug: executable };
  /** @type {import('vscode-languageclient/node').LanguageClientOptions} */
  const clientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'topo' },
      { scheme: 'untitled', language: 'topo' },
    ],
    synchronize: {
      // Included files and the project's topo.toml change what a file means.
      fileEvents: vscode.workspace.createFileSystemWatcher('**/{*.topo,topo.toml}'),
    },
    outputChannel: output,
  };
  client = new LanguageClient('topo', 'topo language server', serverOptions, clientOptions);
  try {
    await client.start();
    output.appendLine(`started \`${command} lsp\` (${found.version || 'unknown version'})`);
  } catch (e) {
    const message = String(e && e.message ? e.message : e);
    output.appendLine(`\`${command} lsp\` failed to start: ${message}`);
    vscode.window.showWarningMessage(`topo: \`${command} lsp\` failed to start (${message}); only syntax highlighting is provided.`);
    client = undefined;
  }
}

async function stopClient() {
  if (!client) return;
  const c = client;
  client = undefined;
  try {
    await c.stop();
  } catch {
    // It may have died already; nothing left to stop.
  }
}

async function restart(context) {
  await stopClient();
  await startClient(context);
}

async function activate(context) {
  output = vscode.window.createOutputChannel('topo');
  context.subscriptions.push(output);
  context.subscriptions.push(vscode.commands.registerCommand('topo.restartServer', () => restart(context)));
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('topo.path')) restart(context);
    }),
  );
  await startClient(context);
}

function deactivate() {
  return stopClient();
}

module.exports = { activate, deactivate, probe, topoCommand };
