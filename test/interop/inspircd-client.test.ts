// The extension's IRC client core against a stock IRCv3 server: Debian's InspIRCd 3, over real
// TCP. It has echo-message, labeled-response, away-notify, MONITOR, WHOX and message-tags, but no
// chathistory or multiline, so this checks those features and the fallbacks for the rest.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { IrcClient, type ClientOptions } from '../../src/extension/client/ircClient.ts';
import { inspircdPath, startInspircd, type Inspircd } from '../extension/client/support/inspircd.ts';
import { joined, nextEvent, seesMember, until } from '../extension/client/support/wait.ts';

const skip = inspircdPath() ? false : 'inspircd is not installed (test/setup/apt-packages.txt)';

describe('IrcClient against InspIRCd', { skip }, () => {
  let irc: Inspircd;
  const clients: IrcClient[] = [];
  let n = 0;
  const client = (base: string, extra: Partial<ClientOptions> = {}) => {
    const c = new IrcClient({ host: '127.0.0.1', port: irc.port, nick: `${base}${++n}`, backoff: { baseMs: 100, capMs: 1000 }, ...extra });
    clients.push(c);
    return c;
  };

  before(async () => {
    irc = await startInspircd();
  });
  after(async () => {
    for (const c of clients) c.dispose();
    await irc?.stop();
  });

  test('negotiates what InspIRCd offers and degrades for the rest', async () => {
    const c = client('caps');
    await c.connect();
    for (const cap of ['echo-message', 'labeled-response', 'away-notify', 'message-tags', 'server-time', 'batch']) assert.ok(c.capabilities.has(cap), cap);
    assert.equal(c.supports('history'), false);
    assert.equal(c.supports('multiline'), false);
    assert.equal(c.supports('monitor'), true);
    // Issue 13: no deletion or search here (those actions are hidden); reactions and replies are
    // client tags, which InspIRCd relays with message-tags (live only: it keeps no history).
    assert.equal(c.supports('redaction'), false);
    assert.equal(c.supports('search'), false);
    assert.equal(c.supports('reactions'), c.capabilities.has('message-tags'));
    await joined(c, '#nohistory');
    assert.deepEqual(await c.loadOlder('#nohistory'), []);
  });

  test('labeled echo delivers with the msgid the receiver sees; a labeled 401 fails', async () => {
    const a = client('amy');
    const b = client('ben');
    await a.connect();
    await b.connect();
    await joined(a, '#lobby');
    await joined(b, '#lobby');
    await seesMember(a, '#lobby', b.nick);
    const got = nextEvent(b.onDidMessage, (m) => m.text === 'hello', 'message at b');
    const delivered = nextEvent(a.onDidChangeMessageState, (c) => c.state === 'delivered', 'delivered');
    a.sendMessage('#lobby', 'hello');
    const d = await delivered;
    assert.equal((await got).msgid, d.msgid);
    assert.equal(a.messages('#lobby').filter((m) => m.text === 'hello').length, 1);

    const failed = nextEvent(a.onDidChangeMessageState, (c) => c.state === 'failed', 'failed');
    a.sendMessage('no-such-person', 'hi');
    assert.match((await failed).reason ?? '', /no such nick/i);
  });

  test('multi-line text falls back to separate PRIVMSGs', async () => {
    const a = client('cat');
    const b = client('dan');
    await a.connect();
    await b.connect();
    const lines: string[] = [];
    b.onDidMessage((m) => lines.push(m.text));
    const delivered = nextEvent(a.onDidChangeMessageState, (c) => c.state === 'delivered', 'delivered');
    a.sendMessage(b.nick, 'first\nsecond');
    await delivered;
    await until(b.onDidMessage, () => lines.length === 2, 'two lines');
    assert.deepEqual(lines, ['first', 'second']);
  });

  test('away-notify: room members see online -> busy -> away -> online', async () => {
    const a = client('eve');
    const b = client('fay');
    await a.connect();
    await b.connect();
    await joined(a, '#presence');
    await joined(b, '#presence');
    await seesMember(b, '#presence', a.nick);
    const seen: string[] = [];
    b.onDidChangeUser((u) => {
      if (u.nick === a.nick) seen.push(`${u.presence}${u.awayMessage ? `:${u.awayMessage}` : ''}`);
    });
    const busy = nextEvent(b.onDidChangeUser, (u) => u.nick === a.nick && u.presence === 'busy', 'busy');
    a.setStatus('busy', 'deploying');
    await busy;
    const away = nextEvent(b.onDidChangeUser, (u) => u.nick === a.nick && u.presence === 'away', 'away');
    a.setStatus('away', 'lunch');
    await away;
    const back = nextEvent(b.onDidChangeUser, (u) => u.nick === a.nick && u.presence === 'online', 'online');
    a.setStatus('online');
    await back;
    assert.deepEqual(seen.slice(-3), ['busy:deploying', 'away:lunch', 'online']);
  });

  test('WHOX on join tells who was already away', async () => {
    const a = client('gus');
    await a.connect();
    await joined(a, '#whox');
    a.setStatus('busy', 'heads down');
    await until(a.onDidChangeUser, () => a.user(a.nick)?.presence === 'busy', 'own busy');
    const b = client('hal');
    await b.connect();
    await joined(b, '#whox');
    // WHO only has the G flag (not the text): away, until a message or away-notify says more.
    await until(b.onDidChangeUser, () => b.user(a.nick)?.presence === 'away', 'away via WHOX');
    assert.equal(b.user(a.nick)?.account, null, 'WHOX account 0 = not logged in');
  });

  test('MONITOR follows a DM partner going offline and online', async () => {
    const a = client('ida');
    const b = client('jon');
    await a.connect();
    await b.connect();
    const delivered = nextEvent(a.onDidChangeMessageState, (c) => c.state === 'delivered', 'delivered');
    a.sendMessage(b.nick, 'hi');
    await delivered;
    await until(a.onDidChangeUser, () => a.user(b.nick)?.presence === 'online', 'partner online');
    const offline = nextEvent(a.onDidChangeUser, (u) => u.nick === b.nick && u.presence === 'offline', 'offline');
    const partner = b.nick;
    await b.quit();
    await offline;
    const c = new IrcClient({ host: '127.0.0.1', port: irc.port, nick: partner });
    clients.push(c);
    const online = nextEvent(a.onDidChangeUser, (u) => u.nick === partner && u.presence === 'online', 'back online');
    await c.connect();
    await online;
  });

  test('typing: +typing is relayed by TAGMSG and cleared by the message', async () => {
    const a = client('kim');
    const b = client('lou');
    await a.connect();
    await b.connect();
    await joined(a, '#typing');
    await joined(b, '#typing');
    await seesMember(a, '#typing', b.nick);
    const active = nextEvent(b.onDidChangeTyping, (t) => t.nick === a.nick && t.state === 'active', 'active');
    a.sendTyping('#typing', 'active');
    assert.equal((await active).target, '#typing');
    const done = nextEvent(b.onDidChangeTyping, (t) => t.nick === a.nick && t.state === 'done', 'done');
    a.sendMessage('#typing', 'typed it');
    await done;
  });
});
