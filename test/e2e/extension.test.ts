// The packaged extension in a real VS Code (code-server): the view, Chat: Connect's error, Chat: Host
// running the bundled server from the installed .vsix, and messages both ways with a plain IRC client.
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Frame } from 'playwright-core';
import { X509Certificate } from 'node:crypto';
import { IrcClient } from '../../src/extension/client/ircClient.ts';
import { IrcTestClient } from '../helpers/ircClient.ts';
import { freePort } from '../helpers/ports.ts';
import { startServer } from '../helpers/server.ts';
import { makeTestCert } from '../helpers/tls.ts';
import { assertNoA11yViolations, processesRunning, suiteSteps, VsCode } from './harness.ts';

const NICK = 'e2e-tester';



describe('Chat Room extension in VS Code (code-server)', { timeout: 600_000 }, () => {
  let vsc: VsCode;
  let chatPort: number;
  let deadPort: number;
  const { step, finish } = suiteSteps(() => vsc, '');
  const peers: IrcTestClient[] = [];

  before(async () => {
    chatPort = await freePort();
    deadPort = await freePort();
    vsc = await VsCode.start({
      settings: {
        'chatroom.nickname': NICK,
        'chatroom.host': '127.0.0.1',
        'chatroom.port': deadPort,
        'chatroom.server.port': chatPort,
      },
    });
  });

  after(async () => {
    for (const p of peers) await p.close().catch(() => undefined);
    await finish('e2e-chat-view');
  });

  let view: Frame;

  it('shows the Chat Room container and renders the view', () =>
    step('view', async () => {
      await vsc.openView('Chat Room');
      view = await vsc.webviewFrame('.status .connection', 60_000);
      await vsc.waitForText(view.locator('.status .connection'), 'Not connected');
      assert.equal(await view.locator('.composer-input').count(), 1, 'the composer is there');
      await assertNoA11yViolations(view, 'the view before connecting');
    }));

  it('Chat: Connect to a closed port shows a clear error, not a stack trace', () =>
    step('connect-error', async () => {
      await vsc.runCommand('Chat: Connect');
      // Said once, in the view with its buttons (no toast saying it again).
      await vsc.waitForText(view.locator('.status .error-text'), `127.0.0.1:${deadPort}`);
      const text = (await view.locator('.status .error-text').textContent()) ?? '';
      assert.match(text, /Could not connect/);
      assert.doesNotMatch(text, /\n\s+at |Error:|ECONNREFUSED/, `no stack trace or raw error code: ${text}`);
      await vsc.waitForText(view.locator('.status'), 'Not connected');
      assert.equal(await view.locator('.error-actions vscode-button', { hasText: 'Retry' }).count(), 1, 'one Retry');
      assert.equal(await view.locator('.empty-state vscode-button:visible', { hasText: 'Connect' }).count(), 0, 'no second Connect beside Retry');
    }));

  it('Chat: Host starts the bundled server from the installed extension; a plain client registers on it', () =>
    step('host', async () => {
      await vsc.runCommand('Chat: Host');
      await vsc.waitForText(view.locator('.status .connection'), `Connected as ${NICK}`, 60_000);
      const running = processesRunning(join(vsc.extensionsDir, 'chatroom.chatroom-'));
      assert.ok(
        running.some((cmd) => cmd.includes('dist/server.mjs') && cmd.includes(`--port ${chatPort}`)),
        `the server runs from the installed extension:\n${running.join('\n')}`,
      );
      const bob = await IrcTestClient.connect(chatPort);
      peers.push(bob);
      await bob.register('bob');
      assert.ok(bob.lines.some((l) => / 001 bob /.test(l)), 'bob got RPL_WELCOME (001)');
    }));

  it('a message typed in the view reaches the plain client, and its reply appears in the view', () =>
    step('messages', async () => {
      const bob = peers[0];
      assert.ok(bob, 'bob is connected');
      bob.send('JOIN #general');
      await bob.waitFor((m) => m.command === 'JOIN' && m.params[0] === '#general' && (m.source ?? '').startsWith('bob'));
      const composer = view.locator('.composer-input');
      await composer.fill('hello from VS Code');
      await composer.press('Enter');
      const got = await bob.waitFor((m) => m.command === 'PRIVMSG' && m.params[1] === 'hello from VS Code');
      assert.equal(got.params[0], '#general');
      assert.ok((got.source ?? '').startsWith(`${NICK}!`) || got.source === NICK, `from ${NICK}: ${got.source}`);
      await vsc.waitForText(view.locator('.messages'), 'hello from VS Code');

      bob.send('PRIVMSG #general :hi <b>there</b> from bob');
      const list = view.locator('.messages');
      await vsc.waitForText(list, 'hi <b>there</b> from bob');
      assert.equal(await list.locator('b').count(), 0, 'chat text is shown as text, never as HTML');
      await vsc.waitForText(list.locator('.message', { hasText: 'from bob' }).locator('.nick'), 'bob');
      assert.equal(await list.locator('.message', { hasText: 'hello from VS Code' }).count(), 1, 'our own line shows once');
      await vsc.screenshot('e2e-chat-view-connected');
    }));

  it('Chat: Save Transcript writes the room as Markdown into the workspace and opens it', () =>
    step('transcript', async () => {
      await vsc.runCommand('Chat: Save Transcript');
      const dir = join(vsc.workspace, '.chat');
      const files = await vsc.filesIn('.chat');
      const [file] = files;
      assert.match(file ?? '', /^general-\d{4}-\d{2}-\d{2}\.md$/);
      // The file is opened once it is written whole: read it then, not as soon as it exists.
      await vsc.page.locator('.tabs-container .tab', { hasText: file ?? '' }).first().waitFor();
      const text = readFileSync(join(dir, file ?? ''), 'utf8');
      assert.match(text, /^# #general — \d{4}-\d{2}-\d{2}$/m);
      assert.match(text, new RegExp(`\`${NICK}\`: hello from VS Code`));
      assert.match(text, /`bob`: hi \\<b>there\\<\/b> from bob/, 'network text is escaped, not HTML');
      await vsc.page.locator('.tabs-container .tab', { hasText: file ?? '' }).first().waitFor();
    }));

  it('the view keeps its state when hidden and shown again', () =>
    step('hide-show', async () => {
      await vsc.openView('Explorer'); // the Chat view is hidden (its webview is destroyed)...
      await vsc.openView('Chat Room'); // ...and shown again: it redraws from its saved state and a fresh snapshot
      view = await vsc.webviewFrame('.messages .message', 30_000);
      await vsc.waitForText(view.locator('.messages'), 'hi <b>there</b> from bob');
      await vsc.waitForText(view.locator('.status .connection'), `Connected as ${NICK}`);
    }));

  it('Chat: Stop Hosting stops the server process', () =>
    step('stop', async () => {
      const bob = peers[0];
      assert.ok(bob);
      await vsc.runCommand('Chat: Stop Hosting');
      await bob.closed;
      await vsc.waitForText(view.locator('.status .connection'), 'Not connected');
      await assert.rejects(IrcTestClient.connect(chatPort, { timeoutMs: 5_000 }), /cannot connect/);
    }));

  it('Chat: Host on a port another program holds says so and offers another port, which then works', () =>
    step('port-in-use', async () => {
      const holder = createServer();
      await new Promise<void>((r) => holder.listen(chatPort, '127.0.0.1', r));
      try {
        await vsc.runCommand('Chat: Host');
        const text = await vsc.notification(`port ${chatPort} is already in use`);
        assert.doesNotMatch(text, /\n\s+at |EADDRINUSE/, text);
        await vsc.page
          .locator('.notifications-toasts .notification-toast', { hasText: `port ${chatPort}` })
          .locator('.monaco-button', { hasText: 'Use Another Port' })
          .click();
        const input = vsc.page.locator('.quick-input-widget input');
        await input.waitFor();
        const offered = Number(await input.inputValue());
        assert.ok(offered > 0 && offered !== chatPort, `a different port is offered: ${offered}`);
        await input.press('Enter');
        await vsc.waitForText(view.locator('.status .connection'), `Connected as ${NICK}`, 60_000);
        const carol = await IrcTestClient.connect(offered);
        peers.push(carol);
        await carol.register('carol');
        await vsc.runCommand('Chat: Stop Hosting');
        await carol.closed;
      } finally {
        await new Promise((r) => holder.close(r));
      }
    }));

  it('Chat: Connect over TLS to a team server with its own certificate: a clear error, then connected with chatroom.tlsCertificate', () =>
    step('tls', async () => {
      const cert = await makeTestCert();
      const srv = await startServer({ args: ['--tls-port', '0', '--tls-cert', cert.certFile, '--tls-key', cert.keyFile] });
      try {
        await vsc.editUserSettings({ 'chatroom.tls': true, 'chatroom.port': srv.tlsPort });
        // The view says where Connect goes: the sign that VS Code has applied the new settings.
        await vsc.waitForText(view.locator('.status .connection-target'), `Connect goes to 127.0.0.1:${srv.tlsPort} with TLS`);
        await vsc.runCommand('Chat: Connect');
        // Said in the view, which is open (no toast repeating it).
        const refused = await vsc.waitForText(view.locator('.status .error-text'), /secure \(TLS\) connection failed/);
        assert.match(refused, /chatroom\.tlsCertificate/, 'the message says how to trust the certificate');
        await vsc.editUserSettings({ 'chatroom.tlsCertificate': cert.certFile });
        await vsc.waitForText(view.locator('.status .connection-target'), `with TLS, trusting ${basename(cert.certFile)}`);
        await vsc.runCommand('Chat: Connect');
        await vsc.waitForText(view.locator('.status .connection'), `Connected as ${NICK}`, 60_000);
        const peer = await IrcTestClient.connect(srv.tlsPort!, { tls: { ca: cert.cert } });
        peers.push(peer);
        await peer.register('tlspeer');
        peer.send(`WHOIS ${NICK}`);
        const secure = await peer.waitFor((m) => m.command === '671' || m.command === '318');
        assert.equal(secure.command, '671', 'the server says our user is on a secure connection (RPL_WHOISSECURE)');
        await vsc.runCommand('Chat: Disconnect');
        await vsc.waitForText(view.locator('.status .connection'), 'Not connected');
      } finally {
        await srv.stop();
        cert.remove();
        await vsc.editUserSettings({ 'chatroom.tls': false, 'chatroom.port': deadPort, 'chatroom.tlsCertificate': '' }).catch((e: unknown) => console.error(`restoring the settings: ${String(e)}`));
      }
    }));

  it('Chat: Connect with chatroom.tlsFingerprint: a malformed pin and a wrong one are clear errors; the right one connects', () =>
    step('tls-pin', async () => {
      const cert = await makeTestCert();
      const srv = await startServer({ args: ['--tls-port', '0', '--tls-cert', cert.certFile, '--tls-key', cert.keyFile] });
      const real = new X509Certificate(cert.cert).fingerprint256;
      const wrong = real.replace(/^../, real.startsWith('00') ? '11' : '00');
      const connection = view.locator('.status .connection');
      const target = view.locator('.status .connection-target');
      const pin = async (value: string) => {
        await vsc.editUserSettings({ 'chatroom.tlsFingerprint': value });
        await vsc.waitForText(target, `pinned to ${value.slice(0, 11)}…`);
      };
      try {
        await vsc.editUserSettings({ 'chatroom.tls': true, 'chatroom.port': srv.tlsPort });
        await vsc.waitForText(target, `Connect goes to 127.0.0.1:${srv.tlsPort} with TLS`);
        // The view is on screen: a refusal is said there, once; a setting's problem may be a toast.
        const said = (text: RegExp) => Promise.any([vsc.notification(text), vsc.waitForText(view.locator('.status .error-text'), text)]);
        await pin('AB:CD:EF');
        await vsc.runCommand('Chat: Connect');
        const malformed = await said(/chatroom\.tlsFingerprint is "AB:CD:EF"/);
        assert.match(malformed, /6 hex digits, not 64/);

        await pin(wrong);
        await vsc.runCommand('Chat: Connect');
        const refused = await said(/not the one chatroom\.tlsFingerprint trusts/);
        assert.ok(refused.includes(`It has the SHA-256 fingerprint ${real}; expected ${wrong}.`), refused);
        await vsc.waitForText(connection, 'Not connected');

        await pin(real.replace(/:/g, '').toLowerCase());
        await vsc.runCommand('Chat: Connect');
        await vsc.waitForText(connection, `Connected as ${NICK}`, 60_000);
        await vsc.runCommand('Chat: Disconnect');
        await vsc.waitForText(connection, 'Not connected');
      } finally {
        await srv.stop();
        cert.remove();
        await vsc.editUserSettings({ 'chatroom.tls': false, 'chatroom.port': deadPort, 'chatroom.tlsFingerprint': '' }).catch((e: unknown) => console.error(`restoring the settings: ${String(e)}`));
      }
    }));

  it('Chat: Host on 0.0.0.0 starts with TLS and says once who can reach it, with the fingerprint a teammate pins', () =>
    step('host-tls', async () => {
      const tlsPort = await freePort();
      const signPort = await freePort();
      try {
        // chatroom.port changes with them only as the view's sign that VS Code applied the file.
        await vsc.editUserSettings({ 'chatroom.server.host': '0.0.0.0', 'chatroom.server.tlsPort': tlsPort, 'chatroom.port': signPort });
        await vsc.waitForText(view.locator('.status .connection-target'), `Connect goes to 127.0.0.1:${signPort}`);
        await vsc.runCommand('Chat: Host');
        const said = await vsc.notification(/open to your network on 0\.0\.0\.0/, 60_000);
        assert.match(said, new RegExp(`with TLS on port ${tlsPort}`));
        const fingerprint = /chatroom\.tlsFingerprint to ((?:[0-9A-F]{2}:){31}[0-9A-F]{2})/.exec(said)?.[1];
        assert.ok(fingerprint, `the fingerprint is shown: ${said}`);
        assert.match(said, /Copy Fingerprint/);
        await vsc.waitForText(view.locator('.status .connection'), `Connected as ${NICK}`, 60_000);

        const server = processesRunning(join(vsc.extensionsDir, 'chatroom.chatroom-')).find((c) => c.includes('dist/server.mjs'));
        assert.ok(server?.includes(`--tls-port ${tlsPort}`), `started with its TLS port: ${server}`);
        const keyFile = /--tls-key (\S+)/.exec(server ?? '')?.[1];
        assert.ok(keyFile, 'started with a key');
        assert.equal(statSync(keyFile).mode & 0o777, 0o600, 'the key is readable by the user only');

        // A teammate with chatroom.tls and chatroom.tlsFingerprint (over loopback here).
        const teammate = new IrcClient({ host: '127.0.0.1', port: tlsPort, tls: true, fingerprint256: fingerprint, nick: 'teammate', reconnect: false });
        try {
          await teammate.connect();
          assert.equal(teammate.state, 'registered');
        } finally {
          await teammate.quit().catch(() => undefined);
          teammate.dispose();
        }
        await vsc.runCommand('Chat: Stop Hosting');
        await vsc.waitForText(view.locator('.status .connection'), 'Not connected');
      } finally {
        await vsc
          .editUserSettings({ 'chatroom.server.host': '127.0.0.1', 'chatroom.server.tlsPort': 6697, 'chatroom.port': deadPort })
          .then(() => vsc.waitForText(view.locator('.status .connection-target'), `Connect goes to 127.0.0.1:${deadPort}`))
          .catch((e: unknown) => console.error(`restoring the settings: ${String(e)}`));
      }
    }));

  it('reloading the window (the extension deactivates) stops the hosted server', () =>
    step('deactivate', async () => {
      await vsc.runCommand('Chat: Host');
      await vsc.waitForText(view.locator('.status .connection'), `Connected as ${NICK}`, 60_000);
      const running = processesRunning(join(vsc.extensionsDir, 'chatroom.chatroom-')).filter((c) => c.includes('dist/server.mjs'));
      const port = Number(/--port (\d+)/.exec(running[0] ?? '')?.[1]);
      assert.ok(port > 0, `the hosted server runs: ${running.join('\n')}`);
      await vsc.runCommand('Developer: Reload Window');
      const deadline = Date.now() + 60_000;
      while (processesRunning(join(vsc.extensionsDir, 'chatroom.chatroom-')).some((c) => c.includes('dist/server.mjs'))) {
        assert.ok(Date.now() < deadline, 'the server process is still running after the window reloaded');
        await new Promise((r) => setTimeout(r, 200)); // polling interval
      }
      await assert.rejects(IrcTestClient.connect(port, { timeoutMs: 5_000 }), /cannot connect/);
    }));
});
