// The extension's IRC client core on a linked network: two InspIRCd 3 servers joined by
// spanningtree, and atheme-services for accounts (test/interop/support/network.ts has the layout).
// What an organisation gets when it outgrows one box: a room spanning both servers, presence and
// DMs across the link, accounts through NickServ and SASL, and a netsplit with the rejoin.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { IrcClient, type ClientOptions } from '../../src/extension/client/ircClient.ts';
import { ClientError } from '../../src/extension/client/errors.ts';
import { hasNickServ, registerWithNickServ } from '../../src/extension/client/nickserv.ts';
import { MASK } from '../../src/extension/client/serviceSecrets.ts';
import { IrcTestClient } from '../helpers/ircClient.ts';
import { joined, nextEvent, record, seesMember, until } from '../extension/client/support/wait.ts';
import { HUB, LEAF, networkMissing, startNetwork, type Network } from './support/network.ts';

const skip = networkMissing() ?? false;

describe('IrcClient on a linked InspIRCd network with atheme services', { skip }, () => {
  let net: Network;
  const clients: IrcClient[] = [];
  let n = 0;
  /** The account test 2 registers, for later tests. */
  const registered = { account: '', password: '' };
  const client = (server: 'hub' | 'leaf', base: string, extra: Partial<ClientOptions> = {}) => {
    const c = new IrcClient({ host: '127.0.0.1', port: net[server].port, nick: `${base}${++n}`, backoff: { baseMs: 100, capMs: 1000 }, ...extra });
    clients.push(c);
    return c;
  };

  before(async () => {
    const t0 = Date.now();
    net = await startNetwork();
    console.log(`# network up in ${Date.now() - t0} ms: ${JSON.stringify(net.timings)}`);
  });
  after(async () => {
    for (const c of clients) c.dispose();
    await net?.stop();
  });

  test('either server takes clients; SASL is offered on both once services are linked', async () => {
    const h = client('hub', 'hub');
    const l = client('leaf', 'leaf');
    await h.connect();
    await l.connect();
    for (const c of [h, l]) {
      for (const cap of ['echo-message', 'away-notify', 'account-notify', 'extended-join']) assert.ok(c.capabilities.has(cap), `${cap} on ${c === h ? HUB : LEAF}`);
      assert.equal(c.supports('history'), false);
      assert.equal(c.supports('account-registration'), false, 'no draft/account-registration: registration goes through NickServ');
    }
    // The sasl capability is offered (only while the services are linked).
    for (const server of [net.hub, net.leaf]) {
      const raw = await IrcTestClient.connect(server.port);
      await raw.register(`capls${++n}`);
      assert.equal(raw.serverCaps.get('sasl'), 'PLAIN', `sasl on ${server.name}`);
      await raw.close();
    }
  });

  test('register through NickServ on one server, log in with SASL PLAIN on the other', async () => {
    const r = client('hub', 'reg');
    await r.connect();
    const account = r.nick;
    const password = 'correct-horse-battery';  // one word: NickServ REGISTER <password> <email>
    const answer = nextEvent(r.onDidMessage, (m) => m.from === 'NickServ' && /registered/i.test(m.text), 'NickServ REGISTER answer');
    const loggedIn = until(r.onDidChangeAccount, () => r.account?.toLowerCase() === account.toLowerCase(), 'account after REGISTER');
    r.sendMessage('NickServ', `REGISTER ${password} ${account}@example.com`);
    assert.match((await answer).text, new RegExp(account, 'i'));
    await loggedIn;
    await r.quit();
    Object.assign(registered, { account, password });

    // A room-mate on the hub sees the account of someone logging in on the leaf.
    const w = client('hub', 'watch');
    await w.connect();
    await joined(w, '#accounts');
    const s = client('leaf', 'sasl', { sasl: { account, password } });
    await s.connect();
    assert.equal(s.account?.toLowerCase(), account.toLowerCase());
    await joined(s, '#accounts');
    await seesMember(w, '#accounts', s.nick);
    await until(w.onDidChangeUser, () => w.user(s.nick)?.account?.toLowerCase() === account.toLowerCase(), 'account via extended-join');

    // A wrong password is refused by SaslServ through the link, as a bad-password error.
    const bad = client('leaf', 'bad', { sasl: { account, password: 'wrong' }, reconnect: false });
    await assert.rejects(bad.connect(), (err: unknown) => err instanceof ClientError && err.code === 'bad-password');
  });

  test('a room spanning both servers: members on each, messages both ways', async () => {
    const a = client('hub', 'amy');
    const b = client('leaf', 'ben');
    const c = client('leaf', 'cal');
    await Promise.all([a.connect(), b.connect(), c.connect()]);
    for (const x of [a, b, c]) await joined(x, '#span');
    for (const x of [a, b, c]) for (const y of [a, b, c]) await seesMember(x, '#span', y.nick);

    const atB = nextEvent(b.onDidMessage, (m) => m.text === 'from the hub', 'message at ben');
    const atC = nextEvent(c.onDidMessage, (m) => m.text === 'from the hub', 'message at cal');
    const delivered = nextEvent(a.onDidChangeMessageState, (s) => s.state === 'delivered', 'delivered at amy');
    a.sendMessage('#span', 'from the hub');
    const d = await delivered;
    assert.equal((await atB).msgid, d.msgid, 'one msgid network-wide');
    assert.equal((await atC).from, a.nick);

    const atA = nextEvent(a.onDidMessage, (m) => m.text === 'from the leaf', 'message at amy');
    b.sendMessage('#span', 'from the leaf');
    const got = await atA;
    assert.equal(got.from, b.nick);
    assert.equal(got.target, '#span');

    const typing = nextEvent(a.onDidChangeTyping, (t) => t.nick === c.nick && t.state === 'active', 'typing across the link');
    c.sendTyping('#span', 'active');
    assert.equal((await typing).target, '#span');

    const topic = until(b.onDidChangeRoom, () => b.room('#span')?.topic === 'linked', 'topic at ben');
    a.setTopic('#span', 'linked');
    await topic;
  });

  test('presence and DMs across the link', async () => {
    const a = client('hub', 'dee');
    const b = client('leaf', 'eli');
    await a.connect();
    await b.connect();
    await joined(a, '#presence');
    await joined(b, '#presence');
    await seesMember(a, '#presence', b.nick);

    const busy = nextEvent(a.onDidChangeUser, (u) => u.nick === b.nick && u.presence === 'busy', 'busy across the link');
    b.setStatus('busy', 'deploying');
    assert.equal((await busy).awayMessage, 'deploying');
    const away = nextEvent(a.onDidChangeUser, (u) => u.nick === b.nick && u.presence === 'away', 'away across the link');
    b.setStatus('away', 'lunch');
    await away;

    // A DM to someone away on the other server: delivered, with their away message (301).
    const dm = nextEvent(b.onDidMessage, (m) => m.text === 'lunch already?' && m.target === a.nick, 'DM at eli');
    const delivered = nextEvent(a.onDidChangeMessageState, (s) => s.state === 'delivered', 'DM delivered');
    a.sendMessage(b.nick, 'lunch already?');
    await dm;
    await delivered;
    const back = nextEvent(a.onDidChangeUser, (u) => u.nick === b.nick && u.presence === 'online', 'online across the link');
    b.setStatus('online');
    await back;

    const reply = nextEvent(a.onDidMessage, (m) => m.text === 'yes' && m.target === b.nick, 'DM reply at dee');
    b.sendMessage(a.nick, 'yes');
    assert.equal((await reply).from, b.nick);

    // MONITOR follows a DM partner on the other server going offline.
    await until(a.onDidChangeUser, () => a.user(b.nick)?.presence === 'online', 'partner watched');
    const offline = nextEvent(a.onDidChangeUser, (u) => u.nick === b.nick && u.presence === 'offline', 'partner offline');
    await b.quit();
    await offline;
  });

  test('NickServ answers arrive as plain text (IRC formatting codes stripped)', async () => {
    const r = client('hub', 'fmt');
    await r.connect();
    const answer = nextEvent(r.onDidMessage, (m) => m.from === 'NickServ', 'NickServ answer');
    r.sendMessage('NickServ', `REGISTER plain-text-please ${r.nick}@example.com`);
    const text = (await answer).text;
    assert.doesNotMatch(text, /[\x02\x03\x0f\x11\x16\x1d\x1e\x1f]/);
    assert.match(text, new RegExp(`${r.nick} is now registered to ${r.nick}@example\\.com`));
  });

  test('Chat: Register without draft/account-registration: NickServ found, asks for an e-mail, registers; SASL logs in on the other server', async () => {
    const r = client('leaf', 'ns');
    const out: string[] = [];
    r.onDidRawLine((l) => l.direction === 'out' && out.push(l.line));
    const shown: string[] = [];
    r.onDidMessage((m) => m.self && shown.push(m.text));
    const fromNickServ: string[] = [];
    r.onDidMessage((m) => m.from === 'NickServ' && fromNickServ.push(m.text));
    const rawIn: string[] = [];
    r.onDidRawLine((l) => l.direction === 'in' && rawIn.push(l.line));
    await r.connect();
    assert.equal(r.supports('account-registration'), false);
    assert.equal(await hasNickServ(r), true, 'NickServ answers WHOIS');
    // One word: refused before anything goes to NickServ.
    await assert.rejects(registerWithNickServ(r, 'two words'), (e: unknown) => e instanceof ClientError && e.code === 'bad-password' && /one word/.test(e.message));
    assert.ok(!out.some((l) => /NickServ/i.test(l) && /REGISTER/i.test(l)), 'nothing sent');
    const password = 'nickserv-pass-1';
    const first = await registerWithNickServ(r, password);
    assert.equal(first.registered, false);
    assert.equal(first.needsEmail, true, `atheme asks for an e-mail: ${JSON.stringify(first.lines)}`);
    const second = await registerWithNickServ(r, password, `${r.nick}@example.com`);
    assert.equal(second.registered, true, JSON.stringify(second.lines));
    assert.equal(second.account, r.nick);
    assert.ok(second.lines.every((l) => !/[\x02\x03\x0f\x1f]/.test(l)), 'plain text');
    // The password is neither logged nor shown (echo-message brings our own line back).
    assert.ok(!out.some((l) => l.includes(password)), `log redacted: ${out.filter((l) => /NickServ/.test(l)).join(' | ')}`);
    assert.ok(!shown.some((t) => t.includes(password)), 'our REGISTER line is not shown in a conversation');
    // atheme's answer repeats the password ("... with the password <password>."): masked.
    assert.ok(fromNickServ.some((t) => t.includes(`with the password ${MASK}`)), JSON.stringify(fromNickServ));
    assert.ok(![...fromNickServ, ...second.lines, ...rawIn].some((t) => t.includes(password)), 'NickServ’s words never carry the password');
    await until(r.onDidChangeAccount, () => r.account?.toLowerCase() === second.account.toLowerCase(), 'logged in by NickServ after REGISTER');
    // Then log in with SASL on the hub, as Chat: Register does by connecting again.
    const again = client('hub', 'nsb', { sasl: { account: second.account, password }, reconnect: false });
    await again.connect();
    assert.equal(again.account?.toLowerCase(), second.account.toLowerCase());
    await again.quit();
  });

  // Next to last: it restarts the leaf.
  test('netsplit: the hub sees the leaf users quit with a split reason, then come back', async () => {
    const h = client('hub', 'hana');
    const l = client('leaf', 'lars');
    await h.connect();
    await l.connect();
    await joined(h, '#split');
    await joined(l, '#split');
    await seesMember(h, '#split', l.nick);
    const said = nextEvent(l.onDidMessage, (m) => m.text === 'before the split', 'before the split');
    h.sendMessage('#split', 'before the split');
    await said;
    // A DM makes the hub client watch its partner (MONITOR) as well.
    const dm = nextEvent(l.onDidMessage, (m) => m.text === 'a DM before the split', 'DM before the split');
    h.sendMessage(l.nick, 'a DM before the split');
    await dm;
    await until(h.onDidChangeUser, () => h.user(l.nick)?.presence === 'online', 'partner watched');
    const leaving = record(h.onDidChangeRoom);
    const presence = record(h.onDidChangeUser);
    const quit = nextEvent(h.onDidChangeRoom, (r) => r.room === '#split' && r.reason === 'members' && r.by === l.nick, 'leaf user quits');
    const leafDown = nextEvent(l.onDidChangeState, (s) => s !== 'registered', 'leaf client loses its server');

    await net.split();
    const q = await quit;
    assert.equal(q.message, `${HUB} ${LEAF}`, 'the netsplit quit reason names both servers');
    assert.ok(presence.values.some((u) => u.nick === l.nick && u.presence === 'offline'), 'shown offline');
    assert.ok(!h.room('#split')!.members.some((m) => m.nick === l.nick));
    await leafDown;

    const back = seesMember(h, '#split', l.nick);
    const online = nextEvent(h.onDidChangeUser, (u) => u.nick === l.nick && u.presence === 'online', 'partner online again (MONITOR)', 30_000);
    await net.leaf.start();
    // The leaf client reconnects to its restarted server by itself and rejoins, before the link is back.
    await until(l.onDidChangeState, () => l.state === 'registered', 'leaf client reconnected', 30_000);

    // Services are on the other side of the split: the leaf alone offers no SASL, and a client
    // set up to log in connects without it and says so.
    const lone = client('leaf', 'lone', { sasl: registered, reconnect: false });
    const warned = nextEvent(lone.onDidNotice, (w) => w.kind === 'warn' && /SASL/.test(w.text), 'no-SASL warning');
    await lone.connect();
    await warned;
    assert.notEqual(lone.account?.toLowerCase(), registered.account.toLowerCase());
    await lone.quit();

    await net.relink();
    await back;
    await online;
    // And the other way: the leaf client sees the hub's members again (the burst), and kept what it had.
    await seesMember(l, '#split', h.nick);
    assert.ok(l.messages('#split').some((m) => m.text === 'before the split'), 'the leaf client kept the room');
    leaving.dispose();
    presence.dispose();
    assert.ok(leaving.values.some((r) => r.reason === 'members' && r.message === `${HUB} ${LEAF}`));
    assert.ok(h.messages('#split').some((m) => m.text === 'before the split'), 'what the hub client had shown is kept');
    assert.ok(h.messages(l.nick).some((m) => m.text === 'a DM before the split'), 'and the DM');

    const after = nextEvent(h.onDidMessage, (m) => m.text === 'after the rejoin', 'after the rejoin');
    l.sendMessage('#split', 'after the rejoin');
    assert.equal((await after).from, l.nick);
  });

  // After the netsplit (it stops the hub for good): the fallback of chatroom.servers.
  test('the hub stopped: a client listing hub then leaf moves to the leaf, keeps its room, and says why the hub failed', async () => {
    const servers = [
      { host: '127.0.0.1', port: net.hub.port },
      { host: '127.0.0.1', port: net.leaf.port },
    ];
    const f = client('hub', 'fall', { servers });
    const failures: string[] = [];
    f.onDidFailServer((x) => failures.push(`${x.server.port}: ${x.error.message}`));
    const mate = client('leaf', 'mate');
    await f.connect();
    await mate.connect();
    assert.equal(f.server?.port, net.hub.port, 'the first of the list');
    await joined(f, '#fallback');
    await joined(mate, '#fallback');
    await seesMember(f, '#fallback', mate.nick);
    const said = nextEvent(mate.onDidMessage, (m) => m.text === 'from the hub', 'from the hub');
    f.sendMessage('#fallback', 'from the hub');
    await said;

    const moved = until(f.onDidChangeState, () => f.state === 'registered' && f.server?.port === net.leaf.port, 'on the leaf', 30_000);
    await net.hub.kill();
    await moved;
    assert.ok(
      failures.some((x) => x.startsWith(`${net.hub.port}: `) && /refused/.test(x)),
      `the hub's failure is kept with its reason: ${JSON.stringify(failures)}`,
    );
    // Rejoined on the leaf: the room-mate there sees it, and it kept what it had shown.
    await seesMember(mate, '#fallback', f.nick);
    await seesMember(f, '#fallback', mate.nick);
    assert.ok(f.messages('#fallback').some((m) => m.text === 'from the hub'), 'what it had shown is kept');
    const back = nextEvent(mate.onDidMessage, (m) => m.text === 'from the leaf', 'from the leaf');
    f.sendMessage('#fallback', 'from the leaf');
    assert.equal((await back).from, f.nick);
  });
});
