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
  let leafUser: IrcTestClient | undefined;
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
    await leafUser?.close().catch(() => undefined);
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

  // network.ts can split only the leaf, so the extension moves to the hub (chatroom.servers edited as a
  // user does, Reconnect from the offer) and a plain client on the leaf is the one the split takes away.
  // (Connecting to another first server starts the view afresh, by design: connection.ts resets the
  // model when the target changes; so "nothing lost" is about what was shown after the move.)
  it('a netsplit and the rejoin, seen in the view: who left (the split reason) and came back; nothing on screen lost', () =>
    step('netsplit', async () => {
      const member = (nick: string) => view.locator(`.member[data-nick="${nick}"]`);
      await vsc.editUserSettings({ 'chatroom.servers': [{ host: '127.0.0.1', port: net.hub.port }, { host: '127.0.0.1', port: net.leaf.port }] });
      const offer = vsc.page.locator('.notifications-toasts .notification-toast', { hasText: 'Reconnect with the new settings' }).first();
      await offer.locator('.monaco-button', { hasText: 'Reconnect' }).click();
      await vsc.waitForText(view.locator('.status .connection-target'), `On 127.0.0.1:${net.hub.port}`, 60_000);
      await vsc.waitForText(view.locator('.status .connection'), 'Connected as netuser', 60_000);
      await hubUser!.waitFor((m) => m.command === 'JOIN' && (m.source ?? '').startsWith('netuser!') && m.params[0] === '#net', 30_000);

      // (After the fresh start the NickServ notice may have opened its DM: #net is picked, as a user does.)
      await view.locator('.conversation[data-conversation="#net"]').click();
      await vsc.waitForText(view.locator('.messages'), 'You joined #net', 30_000);
      hubUser!.send('PRIVMSG #net :said on the hub before the split');
      await vsc.waitForText(view.locator('.messages'), 'said on the hub before the split', 30_000);
      leafUser = await IrcTestClient.connect(net.leaf.port);
      await leafUser.register('leafuser');
      leafUser.send('JOIN #net');
      await leafUser.waitFor((m) => m.command === '366');
      leafUser.send('PRIVMSG #net :said on the leaf before the split');
      await vsc.waitForText(view.locator('.messages'), 'said on the leaf before the split', 30_000);
      await member('leafuser').waitFor({ state: 'attached', timeout: 30_000 });

      await net.split();
      await leafUser.close().catch(() => undefined);
      leafUser = undefined;
      await vsc.waitForText(view.locator('.messages'), `leafuser left (hub.net.test leaf.net.test)`, 30_000);
      await member('leafuser').waitFor({ state: 'detached', timeout: 30_000 });
      await member('hubuser').waitFor({ state: 'attached' });
      await vsc.screenshot('e2e-network-split');

      await net.rejoin();
      leafUser = await IrcTestClient.connect(net.leaf.port);
      await leafUser.register('leafuser');
      leafUser.send('JOIN #net');
      await leafUser.waitFor((m) => m.command === '366');
      await vsc.waitForText(view.locator('.messages'), 'leafuser joined', 30_000);
      await member('leafuser').waitFor({ state: 'attached', timeout: 30_000 });
      leafUser.send('PRIVMSG #net :back after the rejoin');
      const shown = await vsc.waitForText(view.locator('.messages'), 'back after the rejoin', 30_000);
      for (const before of ['said on the hub before the split', 'said on the leaf before the split', 'leafuser left (hub.net.test leaf.net.test)'])
        assert.ok(shown.includes(before), `still on screen after the split and rejoin: ${before}`);
      await vsc.screenshot('e2e-network-rejoin');
    }));
});
