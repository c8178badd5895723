// Extension-host suite: runs INSIDE VS Code's extension host, loaded by @vscode/test-electron
// (test/vscode/runTest.mjs) or by code-server (test/e2e/vscodeSuite.test.ts). It exports run(), which
// resolves when every check passed and rejects with the first failure. Plain CommonJS with no
// dependencies (no mocha), so any host can load it as it is.
const assert = require('node:assert/strict');
const net = require('node:net');
const vscode = require('vscode');

const EXTENSION_ID = 'chatroom.chatroom';

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Connects to port, registers as `nick`, resolves with the first line holding 001 (RPL_WELCOME). */
function registerOn(port, nick) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let buffer = '';
    const timer = setTimeout(() => fail(new Error(`no 001 from 127.0.0.1:${port}; got ${JSON.stringify(buffer)}`)), 15_000);
    const fail = (e) => {
      clearTimeout(timer);
      socket.destroy();
      reject(e);
    };
    socket.setEncoding('utf8');
    socket.on('error', fail);
    socket.on('connect', () => socket.write(`NICK ${nick}\r\nUSER ${nick} 0 * :${nick}\r\n`));
    socket.on('data', (chunk) => {
      buffer += chunk;
      const line = buffer.split(/\r?\n/).find((l) => / 001 /.test(l));
      if (line) {
        clearTimeout(timer);
        socket.end('QUIT\r\n');
        resolve(line);
      }
    });
  });
}

function refused(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', () => resolve(true));
  });
}

const tests = [
  ['the extension is installed and activates', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is installed`);
    await ext.activate();
    assert.equal(ext.isActive, true);
  }],
  ['every command the manifest contributes is registered, in the Chat category', async () => {
    const all = await vscode.commands.getCommands(true);
    const contributed = vscode.extensions.getExtension(EXTENSION_ID).packageJSON.contributes.commands;
    assert.ok(contributed.length >= 14, `the manifest lists ${contributed.length} commands`);
    for (const { command, category } of contributed) {
      assert.ok(all.includes(command), `${command} is registered`);
      assert.equal(category, 'Chat', `${command} is in the Chat category`);
    }
  }],
  ['the settings have their documented defaults', async () => {
    const c = vscode.workspace.getConfiguration('chatroom');
    assert.equal(c.inspect('host')?.defaultValue, '127.0.0.1');
    assert.equal(c.inspect('port')?.defaultValue, 6667);
    assert.equal(c.inspect('nickname')?.defaultValue, '');
    assert.equal(c.inspect('server.port')?.defaultValue, 6667);
    assert.equal(c.inspect('autoAway')?.defaultValue, 15);
  }],
  ['the Chat view opens', async () => {
    await vscode.commands.executeCommand('chatroom.chat.focus');
  }],
  ['Chat: Host runs the bundled server (it answers IRC) and Chat: Stop Hosting stops it', async () => {
    const port = await freePort();
    const c = vscode.workspace.getConfiguration('chatroom');
    await c.update('server.port', port, vscode.ConfigurationTarget.Global);
    await c.update('nickname', 'suite-user', vscode.ConfigurationTarget.Global);
    try {
      await vscode.commands.executeCommand('chatroom.host');
      const welcome = await registerOn(port, 'suite-peer');
      assert.match(welcome, / 001 suite-peer /);
      await vscode.commands.executeCommand('chatroom.stopHosting');
      // Stop Hosting kills the process; poll until its port refuses (the process may take a moment to exit).
      const deadline = Date.now() + 15_000;
      while (!(await refused(port))) {
        assert.ok(Date.now() < deadline, `port ${port} still open after Stop Hosting`);
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await c.update('server.port', undefined, vscode.ConfigurationTarget.Global);
      await c.update('nickname', undefined, vscode.ConfigurationTarget.Global);
    }
  }],
];

async function run() {
  const failures = [];
  const lines = [];
  const log = (line) => {
    lines.push(line);
    console.log(line);
  };
  for (const [name, body] of tests) {
    try {
      await body();
      log(`ok - ${name}`);
    } catch (e) {
      log(`not ok - ${name}\n  ${String(e && e.stack ? e.stack : e).split('\n').join('\n  ')}`);
      failures.push(name);
    }
  }
  const summary = `${tests.length - failures.length}/${tests.length} passed`;
  console.log(summary);
  // code-server (npm test) cannot hand an exit code back from the web workbench: it reads this file.
  const resultFile = process.env.CHATROOM_SUITE_RESULT;
  if (resultFile) {
    require('node:fs').writeFileSync(resultFile, JSON.stringify({ passed: tests.length - failures.length, failures, log: lines }));
  }
  if (failures.length) throw new Error(`${failures.length} failed: ${failures.join('; ')}`);
}

module.exports = { run };
