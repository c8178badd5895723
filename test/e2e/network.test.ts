// The extension in VS Code on a linked IRC network (two InspIRCd servers + atheme, started here:
// test/interop/support/network.ts): chatroom.servers lists a dead port first, then the leaf; Chat:
// Connect passes over the dead one and connects to the leaf, the header says which server it is on
// and, once, what the network lacks, the Output panel's Chat Room channel why the dead one failed; a
// room spans the link (a plain client on the hub). Chat: Register through NickServ (its answer's
// password masked); the list edited to put the hub first: the view stays, SASL logs in; presence
// and DMs with a user on the other server; a netsplit and the rejoin.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Frame } from 'playwright-core';
import { IrcTestClient } from '../helpers/ircClient.ts';
import { freePort } from '../helpers/ports.ts';
import { networkMissing, startNetwork, type Network } from '../interop/support/network.ts';
import { suiteSteps, VsCode } from './harness.ts';

const skip = networkMissing() ?? false;

describe('Chat in VS Code on a linked InspIRCd network (code-server)', { skip, timeout: 300_000 }, () => {
  let vsc: VsCode;
  let view: Frame;
  let net: Network;
  let dead: number;
  let hubUser: IrcTestClient | undefined;
  let leafUser: IrcTestClient | undefined;
  const { step, finish } = suiteSteps(() => vsc, 'network-');

  /** The account `nick` is logged in to, as the hub's WHOIS says (RPL_WHOISACCOUNT), or undefined. */
  async function accountOf(nick: string): Promise<string | undefined> {
    hubUser!.skipAll();
    hubUser!.send(`WHOIS ${nick}`);
    const reply = await hubUser!.collectUntil((m) => m.command === '318', 30_000);
    return reply.find((m) => m.command === '330')?.params[2];
  }

  before(async () => {
    net = await startNetwork();
    dead = await freePort();
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

  it('chatroom.servers with a dead port first: Connect goes on to the leaf, says so (the header; why, in the Output panel), and the room spans the link', () =>
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

      // The Output panel, on the Chat Room channel: why the dead server was passed over.
      const log = await vsc.outputChannel('Chat Room', `connected to 127.0.0.1:${net.leaf.port}`);
      assert.match(log, new RegExp(`127\\.0\\.0\\.1:${dead}: Connection to 127\\.0\\.0\\.1:${dead} was refused[^\\n]*\\n(.*\\n)*.*connected to 127\\.0\\.0\\.1:${net.leaf.port}`), log);
      await vsc.screenshot('e2e-network-output');
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
      assert.equal(await accountOf('netuser'), 'netuser', 'logged in across the link (RPL_WHOISACCOUNT)');

      // atheme's answer repeats the password ("... with the password <password>."): masked on screen.
      await view.locator('.conversation[data-conversation="nickserv" i]').click();
      const said = await vsc.waitForText(view.locator('.messages'), 'with the password ********', 30_000);
      assert.ok(!said.includes('netuser-pass-1'), `the password is not on screen: ${said}`);
      await vsc.screenshot('e2e-network-nickserv');
    }));

  // network.ts can split only the leaf, so the extension moves to the hub (chatroom.servers edited as a
  // user does, Reconnect from the offer) and a plain client on the leaf is the one the split takes away.
  it('chatroom.servers edited to put the hub first: Reconnect moves there, the view keeps what it showed, SASL logs in', () =>
    step('move-to-hub', async () => {
      await vsc.editUserSettings({ 'chatroom.servers': [{ host: '127.0.0.1', port: net.hub.port }, { host: '127.0.0.1', port: net.leaf.port }] });
      const offer = vsc.page.locator('.notifications-toasts .notification-toast', { hasText: 'Reconnect with the new settings' }).first();
      await offer.locator('.monaco-button', { hasText: 'Reconnect' }).click();
      await vsc.waitForText(view.locator('.status .connection-target'), `On 127.0.0.1:${net.hub.port}`, 60_000);
      await vsc.waitForText(view.locator('.status .connection'), 'Connected as netuser', 60_000);
      await hubUser!.waitFor((m) => m.command === 'JOIN' && (m.source ?? '').startsWith('netuser!') && m.params[0] === '#net', 30_000);
      // The same network: the room's lines from the leaf are still on screen, the NickServ conversation still listed.
      await view.locator('.conversation[data-conversation="#net"]').click();
      await vsc.waitForText(view.locator('.messages'), 'hello from the hub', 30_000);
      await view.locator('.conversation[data-conversation="nickserv" i]').waitFor();
      // The account registered on the leaf logs in on the hub (SASL, from the list's remembered account).
      assert.equal(await accountOf('netuser'), 'netuser', 'logged in on the hub (RPL_WHOISACCOUNT)');
      await vsc.screenshot('e2e-network-moved');
    }));

  it('presence and DMs with a user on the other server: away and busy in words in the member list and the DM header; DMs both ways', () =>
    step('presence-dm', async () => {
      const member = (nick: string) => view.locator(`.member[data-nick="${nick}"]`);
      leafUser = await IrcTestClient.connect(net.leaf.port);
      await leafUser.register('leafuser');
      leafUser.send('JOIN #net');
      await leafUser.waitFor((m) => m.command === '366');
      await member('leafuser').waitFor({ state: 'attached', timeout: 30_000 });

      leafUser.send('AWAY :[busy] in a meeting');
      await vsc.waitForText(member('leafuser').locator('.member-status'), 'busy: in a meeting', 30_000);
      leafUser.send('AWAY :lunch');
      await vsc.waitForText(member('leafuser').locator('.member-status'), 'away: lunch', 30_000);
      await vsc.screenshot('e2e-network-presence');
      leafUser.send('AWAY');
      await view.locator('.member[data-nick="leafuser"][data-presence="online"]').waitFor({ state: 'attached', timeout: 30_000 });
      assert.equal(await member('leafuser').locator('.member-status').textContent(), '', 'back: no status words');

      leafUser.send('PRIVMSG netuser :a word across the link');
      await view.locator('.conversation[data-conversation="leafuser"]').click({ timeout: 30_000 });
      await vsc.waitForText(view.locator('.messages'), 'a word across the link', 30_000);
      await vsc.waitForText(view.locator('.topic-bar .topic'), 'online');
      leafUser.send('AWAY :[busy] on a call');
      await vsc.waitForText(view.locator('.topic-bar .topic'), 'busy: on a call', 30_000);
      const composer = view.locator('.composer-input');
      await composer.fill('a reply across the link');
      await composer.press('Enter');
      const got = await leafUser.waitFor((m) => m.command === 'PRIVMSG' && m.params[1] === 'a reply across the link', 30_000);
      assert.equal(got.params[0], 'leafuser');
      leafUser.send('AWAY :gone home');
      await vsc.waitForText(view.locator('.topic-bar .topic'), 'away: gone home', 30_000);
      await vsc.screenshot('e2e-network-dm');
      leafUser.send('AWAY');
      await vsc.waitForText(view.locator('.topic-bar .topic'), /^online$/, 30_000);
    }));

  it('a netsplit and the rejoin, seen in the view: who left (the split reason) and came back; nothing on screen lost', () =>
    step('netsplit', async () => {
      const member = (nick: string) => view.locator(`.member[data-nick="${nick}"]`);
      await view.locator('.conversation[data-conversation="#net"]').click();
      hubUser!.send('PRIVMSG #net :said on the hub before the split');
      await vsc.waitForText(view.locator('.messages'), 'said on the hub before the split', 30_000);
      leafUser!.send('PRIVMSG #net :said on the leaf before the split');
      await vsc.waitForText(view.locator('.messages'), 'said on the leaf before the split', 30_000);
      await member('leafuser').waitFor({ state: 'attached', timeout: 30_000 });

      await net.split();
      await leafUser!.close().catch(() => undefined);
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
      await vsc.waitForText(view.locator('.messages'), /leafuser left \(hub\.net\.test leaf\.net\.test\)[\s\S]*leafuser joined/, 30_000);
      await member('leafuser').waitFor({ state: 'attached', timeout: 30_000 });
      leafUser.send('PRIVMSG #net :back after the rejoin');
      const shown = await vsc.waitForText(view.locator('.messages'), 'back after the rejoin', 30_000);
      for (const before of ['hello from the hub', 'said on the hub before the split', 'said on the leaf before the split', 'leafuser left (hub.net.test leaf.net.test)'])
        assert.ok(shown.includes(before), `still on screen after the split and rejoin: ${before}`);
      await vsc.screenshot('e2e-network-rejoin');
    }));
});
