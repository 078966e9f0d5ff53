// @ts-check
// The mirage4j VS Code extension: starts the mirage4j language server (a Java jar) over stdio with
// the user's Java, and restarts it when the settings or the project's class path change.
'use strict';

const fs = require('fs');
const path = require('path');
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

/** @type {LanguageClient | undefined} */
let client;
/** @type {NodeJS.Timeout | undefined} */
let restartTimer;

/** The java executable: the setting (a JDK directory or the executable itself), JAVA_HOME, or java on the PATH. */
function javaExecutable(config) {
  const exe = process.platform === 'win32' ? 'java.exe' : 'java';
  const configured = config.get('java.home');
  if (configured) {
    if (fs.existsSync(configured) && fs.statSync(configured).isFile()) {
      return configured;
    }
    return path.join(configured, 'bin', exe);
  }
  if (process.env.JAVA_HOME) {
    return path.join(process.env.JAVA_HOME, 'bin', exe);
  }
  return exe;
}

/** The server jar: the setting, else the one bundled in the extension. */
function serverJar(context, config) {
  const configured = config.get('server.jar');
  return configured ? configured : context.asAbsolutePath(path.join('server', 'mirage4j-ls.jar'));
}

/** @param {vscode.ExtensionContext} context */
async function startClient(context) {
  const config = vscode.workspace.getConfiguration('mirage4j');
  const java = javaExecutable(config);
  const jar = serverJar(context, config);
  if (!fs.existsSync(jar)) {
    vscode.window.showErrorMessage(
      `mirage4j: the language server jar ${jar} does not exist; set "mirage4j.server.jar" ` +
        '(build it with ./mvnw -pl dsl,dsl-ide install: dsl-ide/target/mirage4j-dsl-ide-<version>-ls.jar).'
    );
    return;
  }
  const vmargs = config.get('server.vmargs') || [];
  const executable = { command: java, args: [...vmargs, '-jar', jar] };
  /** @type {import('vscode-languageclient/node').ServerOptions} */
  const serverOptions = { run: executable, debug: executable };
  /** @type {import('vscode-languageclient/node').LanguageClientOptions} */
  const clientOptions = {
    documentSelector: [{ scheme: 'file', language: 'mirage' }],
    synchronize: {
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*.mirage'),
    },
    outputChannelName: 'mirage4j',
  };
  client = new LanguageClient('mirage4j', 'mirage4j language server', serverOptions, clientOptions);
  try {
    await client.start();
  } catch (e) {
    vscode.window.showErrorMessage(
      `mirage4j: the language server did not start with ${java} (Java 17 or newer is needed; set "mirage4j.java.home"): ${e}`
    );
  }
}

async function stopClient() {
  const c = client;
  client = undefined;
  if (c) {
    try {
      await c.stop();
    } catch (e) {
      // already gone
    }
  }
}

/** @param {vscode.ExtensionContext} context */
function scheduleRestart(context) {
  if (restartTimer) {
    clearTimeout(restartTimer);
  }
  restartTimer = setTimeout(async () => {
    restartTimer = undefined;
    await stopClient();
    await startClient(context);
  }, 1000);
}

/** @param {vscode.ExtensionContext} context */
async function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand('mirage4j.restartServer', async () => {
      await stopClient();
      await startClient(context);
    })
  );
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (
        e.affectsConfiguration('mirage4j.java.home') ||
        e.affectsConfiguration('mirage4j.server.jar') ||
        e.affectsConfiguration('mirage4j.server.vmargs')
      ) {
        scheduleRestart(context);
      }
    })
  );
  // the server reads the project's class path when it starts: restart when the build rewrites it
  const classpath = vscode.workspace.createFileSystemWatcher('**/target/mirage/classpath.txt');
  classpath.onDidCreate(() => scheduleRestart(context));
  classpath.onDidChange(() => scheduleRestart(context));
  classpath.onDidDelete(() => scheduleRestart(context));
  context.subscriptions.push(classpath);
  await startClient(context);
}

function deactivate() {
  return stopClient();
}

module.exports = { activate, deactivate };
