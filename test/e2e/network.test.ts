// The extension in VS Code on a linked IRC network (two InspIRCd servers + atheme, started here:
// test/interop/support/network.ts): chatroom.servers lists a dead port first, then the leaf; Chat:
// Connect passes over the dead one and connects to the leaf, the header says which server it is on
// and, once, what the network lacks; a room spans the link (a plain client on the hub).
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Frame } from 'playwright-core';
import { IrcTestClient } from '../helpers/ircClient.ts';
import { networkMissing, startNetwork, type Network } from '../interop/support/network.ts';
import { suiteSteps, VsCode } from './harness.ts';

const skip = networkMissing() ?? false;

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('Chat in VS Code on a linked InspIRCd network (code-server)', { skip, timeout: 300_000 }, () => {
  let vsc: VsCode;
  let view: Frame;
  let net: Network;
  let dead: number;
  let hubUser: IrcTestClient | undefined;
  const { step, finish } = suiteSteps(() => vsc, 'network-');

  before(async () => {
    net = await startNetwork();
    dead = await closedPort();
    vsc = await VsCode.start({
      folder: false,
      settings: { 'chatroom.nickname': 'netuser', 'chatroom.rooms': ['#net'], 'chatroom.servers': [`127.0.0.1:${dead}`, { host: '127.0.0.1', port: net.leaf.port }] },
    });
  });

  after(async () => {
    await hubUser?.close().catch(() => undefined);
    if (vsc) await finish('e2e-network-final');
    await net?.stop();
  });

  it('chatroom.servers with a dead port first: Connect goes on to the leaf, says so, and the room spans the link', () =>
    step('fallback', async () => {
      await vsc.openView('Chat Room');
      view = await vsc.webviewFrame('.status .connection', 60_000);
      await vsc.waitForText(view.locator('.status .connection-target'), `127.0.0.1:${dead}, then 127.0.0.1:${net.leaf.port}`, 30_000);
      await vsc.runCommand('Chat: Connect');
      await vsc.waitForText(view.locator('.status .connection'), 'Connected as netuser', 60_000);
      await vsc.waitForText(view.locator('.status .connection-target'), `On 127.0.0.1:${net.leaf.port}`);
      await vsc.waitForText(view.locator('.status .connection-target'), 'This server has no history');
      await view.locator('.conversation[data-conversation="#net"]').waitFor();

      hubUser = await IrcTestClient.connect(net.hub.port);
      await hubUser.register('hubuser');
      hubUser.send('JOIN #net');
      await hubUser.waitFor((m) => m.command === '366');
      hubUser.send('PRIVMSG #net :\x02hello\x02 from the hub');
      await vsc.waitForText(view.locator('.messages'), 'hello from the hub', 30_000);
      await vsc.screenshot('e2e-network-fallback');
    }));

  it('Chat: Register without draft/account-registration: through NickServ (one-word password, the e-mail it asks for), then logged in with SASL', () =>
    step('register-nickserv', async () => {
      const input = vsc.page.locator('.quick-input-widget input');
      const message = vsc.page.locator('.quick-input-widget .quick-input-message');
      await vsc.runCommand('Chat: Register', 60_000, { opensInput: true });
      await vsc.page.locator('.quick-input-widget', { hasText: 'through NickServ' }).waitFor();
      await input.fill('two words');
      await message.filter({ hasText: 'one word' }).waitFor();
      await input.fill('netuser-pass-1');
      await input.press('Enter');
      await vsc.page.locator('.quick-input-widget', { hasText: 'The same password again' }).waitFor();
      await input.fill('netuser-pass-1');
      await input.press('Enter');
      await vsc.page.locator('.quick-input-widget', { hasText: 'e-mail address' }).waitFor({ timeout: 30_000 });
      await input.fill('netuser@example.com');
      await input.press('Enter');
      await vsc.notification(/account "netuser" created through NickServ; you are logged in/);
      await vsc.waitForText(view.locator('.status .connection'), 'Connected as netuser', 60_000);
      hubUser!.send('WHOIS netuser');
      const account = await hubUser!.waitFor((m) => m.command === '330', 30_000);
      assert.equal(account.params[2], 'netuser', 'logged in across the link (RPL_WHOISACCOUNT)');
    }));
});
