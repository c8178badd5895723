// VS Code with no folder open (a plain window): Chat: Save Transcript has no workspace to write
// into, so it asks where with VS Code's save dialog (in code-server, the simple dialog: a path in
// a quick input), proposing <home>/<room>-<date>.md, and writes the Markdown there.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Frame } from 'playwright-core';
import { freePort } from '../extension/client/support/ngircd.ts';
import { IrcTestClient } from '../helpers/ircClient.ts';
import { tempDir } from '../helpers/index.ts';
import { suiteSteps, VsCode } from './harness.ts';

describe('Chat in a VS Code window with no folder (code-server)', { timeout: 240_000 }, () => {
  let vsc: VsCode;
  let view: Frame;
  let chatPort: number;
  let bob: IrcTestClient | undefined;
  const home = tempDir();
  const { step, finish } = suiteSteps(() => vsc, 'nofolder-');

  before(async () => {
    chatPort = await freePort();
    // The extension host inherits HOME: the dialog proposes a file there, not in the real home.
    vsc = await VsCode.start({ folder: false, env: { HOME: home.path }, settings: { 'chatroom.nickname': 'solo', 'chatroom.server.port': chatPort } });
  });

  after(async () => {
    await bob?.close().catch(() => undefined);
    await finish('e2e-nofolder-final');
    home.remove();
  });

  it('Save Transcript asks where (the save dialog, proposing <home>/general-<date>.md) and writes the Markdown there', () =>
    step('save-dialog', async () => {
      await vsc.openView('Chat Room');
      view = await vsc.webviewFrame('.status .connection', 60_000);
      await vsc.runCommand('Chat: Host');
      await vsc.waitForText(view.locator('.status .connection'), 'Connected as solo', 60_000);
      bob = await IrcTestClient.connect(chatPort);
      await bob.register('bob');
      bob.send('JOIN #general');
      bob.send('PRIVMSG #general :notes for the record');
      await vsc.waitForText(view.locator('.messages'), 'notes for the record');

      await vsc.runCommand('Chat: Save Transcript', 60_000, { opensInput: true });
      // The simple dialog fills its path in two goes (the folder, then the file name).
      const input = vsc.page.locator('.quick-input-widget input');
      const proposedFile = /^(.*)\/(general-\d{4}-\d{2}-\d{2}\.md)$/;
      let proposed = '';
      for (const until = Date.now() + 30_000; !proposedFile.test(proposed); ) {
        if (Date.now() > until) throw new Error(`the dialog never proposed general-<date>.md: ${proposed}`);
        await vsc.page.waitForTimeout(100); // polling the input
        proposed = await input.inputValue();
      }
      const [, folder, name] = proposedFile.exec(proposed)!;
      assert.equal(folder, home.path, 'in the home folder');
      await input.press('Enter');

      // The file is opened once it is written whole: read it then, not as soon as it exists.
      await vsc.page.locator('.tabs-container .tab', { hasText: name! }).first().waitFor();
      const text = readFileSync(join(home.path, name!), 'utf8');
      assert.match(text, /^# #general — \d{4}-\d{2}-\d{2}$/m);
      assert.match(text, /`bob`: notes for the record/);
      await vsc.screenshot('e2e-nofolder-saved');
    }));
});
