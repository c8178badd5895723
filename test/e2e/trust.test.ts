// What the extension trusts, in a real VS Code (code-server) with the installed .vsix: a cloned
// repository's .vscode/settings.json cannot choose where the chat connects or where Chat: Host
// listens; text from the network never becomes a link or an icon in VS Code's own UI; a direct
// conversation's transcript goes into the workspace only after a question, asked once.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Frame } from 'playwright-core';
import { freePort } from '../extension/client/support/ngircd.ts';
import { IrcTestClient } from '../helpers/ircClient.ts';
import { tempDir } from '../helpers/index.ts';
import { processesRunning, suiteSteps, VsCode } from './harness.ts';

const NICK = 'e2e-trust';
const COMMAND_LINK = '[Open Chat](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22id%5Cn%22%7D)';
const ROOM = '#$(bell)ops';
const TOPIC = '$(gear) [Settings](command:workbench.action.openSettings)';


/** What a reader sees: the zero-width spaces that break links are invisible. */
const seen = (text: string) => text.replaceAll('\u200B', '');

describe('What the extension trusts, in VS Code (code-server)', { timeout: 420_000 }, () => {
  let vsc: VsCode;
  let view: Frame;
  let chatPort: number;
  let deadPort: number;
  let evilPort: number;
  let bob: IrcTestClient | undefined;
  const home = tempDir();
  const { step, finish } = suiteSteps(() => vsc, 'trust-');

  before(async () => {
    chatPort = await freePort();
    deadPort = await freePort();
    evilPort = await freePort();
    vsc = await VsCode.start({
      env: { HOME: home.path },
      settings: { 'chatroom.nickname': NICK, 'chatroom.host': '127.0.0.1', 'chatroom.port': deadPort, 'chatroom.server.port': chatPort },
      // A cloned repository's workspace settings, trying to take over.
      files: {
        '.vscode/settings.json': JSON.stringify({
          'chatroom.host': 'evil.example',
          'chatroom.port': evilPort,
          'chatroom.tls': true,
          'chatroom.server.host': '0.0.0.0',
          'chatroom.servers': [`evil.example:${evilPort}`],
          'chatroom.tlsFingerprint': 'AB'.repeat(32),
        }),
      },
    });
  });

  after(async () => {
    await bob?.close().catch(() => undefined);
    await finish('e2e-trust-final');
    home.remove();
  });

  it("a workspace's settings do not choose where Chat: Connect goes nor where Chat: Host listens", () =>
    step('settings', async () => {
      await vsc.openView('Chat Room');
      view = await vsc.webviewFrame('.status .connection', 60_000);
      await vsc.waitForText(view.locator('.status .connection-target'), `127.0.0.1:${deadPort}`);
      await vsc.runCommand('Chat: Connect');
      // The view is on screen: the refusal is said there (once), not in a toast as well.
      await vsc.waitForText(view.locator('.status .error-text'), /Could not connect/);
      const text = (await view.locator('.status .error-text').textContent()) ?? '';
      assert.match(text, new RegExp(`127\\.0\\.0\\.1:${deadPort}`), text);
      assert.doesNotMatch(text, /evil\.example|TLS/, text);

      await vsc.runCommand('Chat: Host');
      await vsc.waitForText(view.locator('.status .connection'), `Connected as ${NICK}`, 60_000);
      const running = processesRunning(join(vsc.extensionsDir, 'chatroom.chatroom-')).filter((c) => c.includes('dist/server.mjs'));
      assert.equal(running.length, 1, running.join('\n'));
      assert.match(running[0]!, new RegExp(`--host 127\\.0\\.0\\.1 --port ${chatPort} `), 'hosting stays on this machine');
    }));

  it('a direct message with a command link shows as text in the notification: no link', () =>
    step('dm-link', async () => {
      bob = await IrcTestClient.connect(chatPort);
      await bob.register('bob');
      await vsc.openView('Explorer'); // the Chat view is hidden now...
      // ...but the extension host hears of it on another channel than bob's message: a DM that
      // arrives first is read on screen (no toast). Bob writes again until one arrives after.
      const toast = vsc.page.locator('.notifications-toasts .notification-toast', { hasText: 'bob (direct message)' }).first();
      const deadline = Date.now() + 30_000;
      for (;;) {
        bob.send(`PRIVMSG ${NICK} :${COMMAND_LINK}`);
        try {
          await toast.waitFor({ timeout: 2_000 });
          break;
        } catch (e) {
          if (Date.now() > deadline) throw e;
        }
      }
      const text = await toast.innerText();
      const links = await toast.locator('.notification-list-item-message a').count();
      await vsc.screenshot('e2e-trust-dm-toast');
      // The button still opens the conversation (and the next steps need the view open).
      await toast.locator('.monaco-button', { hasText: 'Open Chat' }).click();
      view = await vsc.webviewFrame('.messages', 15_000).catch(async () => {
        // The click can land as the toast is drawn again (another of bob's lines arrived; seen once
        // in a CI-style run): open the view and the conversation as a user would.
        await vsc.openView('Chat Room');
        const frame = await vsc.webviewFrame('.messages', 30_000);
        await frame.locator('.conversation[data-conversation="bob"]').click();
        return frame;
      });
      assert.ok(seen(text).includes(COMMAND_LINK), `the text as bob wrote it: ${text}`);
      assert.equal(links, 0, 'no link in the message');
      await vsc.waitForText(view.locator('.messages'), 'Open Chat');
    }));

  it('a room name and topic with $(icon) and link syntax show as text in a quick pick', () =>
    step('quick-pick', async () => {
      bob!.send(`JOIN ${ROOM}`);
      await bob!.waitFor((m) => m.command === 'JOIN' && m.params[0] === ROOM);
      bob!.send(`TOPIC ${ROOM} :${TOPIC}`);
      await bob!.waitFor((m) => m.command === 'TOPIC');
      await vsc.runCommand('Chat: Join Room', 60_000, { opensInput: true });
      const input = vsc.page.locator('.quick-input-widget input');
      await input.fill(ROOM);
      await input.press('Enter');
      await view.locator(`.conversation[data-conversation="${ROOM}"]`).waitFor();

      await vsc.runCommand('Chat: Leave Room', 60_000, { opensInput: true });
      const row = vsc.page.locator('.quick-input-list .monaco-list-row', { hasText: 'ops' }).first();
      await row.waitFor();
      const text = seen(await row.innerText());
      assert.ok(text.includes(ROOM), `the room name as text: ${text}`);
      assert.ok(text.includes(TOPIC), `the topic as text: ${text}`);
      assert.equal(await row.locator('.codicon, a[href]').count(), 0, `no icon, no link: ${await row.innerHTML()}`);
      await vsc.screenshot('e2e-trust-quick-pick');
      await vsc.page.keyboard.press('Escape');
      await vsc.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    }));

  it("a direct conversation's transcript goes into the workspace only after a question, asked once", () =>
    step('dm-transcript', async () => {
      await view.locator('.conversation[data-conversation="bob"]').click();
      const dialog = vsc.page.locator('.monaco-dialog-box', { hasText: 'direct messages with bob' });

      // Cancel: nothing written, and the question comes again.
      await vsc.runCommand('Chat: Save Transcript');
      await dialog.waitFor();
      assert.match(await dialog.innerText(), /often shared/);
      await vsc.clickDialogButton('Cancel');
      assert.equal(existsSync(join(vsc.workspace, '.chat')), false, 'nothing saved');

      // Another place: the save dialog, outside the workspace.
      await vsc.runCommand('Chat: Save Transcript');
      await dialog.waitFor();
      await vsc.clickDialogButton('Choose Another Place');
      const input = vsc.page.locator('.quick-input-widget input');
      const proposedFile = /^(.*)\/(bob-\d{4}-\d{2}-\d{2}\.md)$/;
      let proposed = '';
      for (const until = Date.now() + 30_000; !proposedFile.test(proposed); ) {
        if (Date.now() > until) throw new Error(`the save dialog never proposed bob-<date>.md: ${proposed}`);
        await vsc.page.waitForTimeout(100); // polling the input
        proposed = await input.inputValue();
      }
      await input.press('Enter');
      const [, , name] = proposedFile.exec(proposed)!;
      await vsc.page.locator('.tabs-container .tab', { hasText: name! }).first().waitFor();
      assert.ok(existsSync(join(home.path, name!)), 'saved in the home folder');
      assert.equal(existsSync(join(vsc.workspace, '.chat')), false, 'not in the workspace');

      // Save in Workspace: asked this once, then remembered for this conversation.
      await view.locator('.conversation[data-conversation="bob"]').click();
      await vsc.runCommand('Chat: Save Transcript');
      await dialog.waitFor();
      await vsc.clickDialogButton('Save in Workspace');
      const [first] = await vsc.filesIn('.chat');
      assert.match(first ?? '', /^bob-\d{4}-\d{2}-\d{2}\.md$/);
      await view.locator('.conversation[data-conversation="bob"]').click();
      await vsc.runCommand('Chat: Save Transcript');
      await vsc.page.locator('.tabs-container .tab', { hasText: /bob-\d{4}-\d{2}-\d{2}-2\.md/ }).first().waitFor();
      assert.equal(await dialog.count(), 0, 'not asked again');
      assert.equal(readdirSync(join(vsc.workspace, '.chat')).length, 2);
    }));
});
