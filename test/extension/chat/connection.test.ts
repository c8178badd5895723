// The view model fed by the real client core over real TCP from our real server (dist/server.mjs,
// `npm run build` first): ChatConnection + bindClient + ChatViewModel, no VS Code.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { IrcClient } from '../../../src/extension/client/ircClient.ts';
import { ChatConnection, ConnectCancelled, ConnectError } from '../../../src/extension/chat/connection.ts';
import { PasswordConsent } from '../../../src/extension/chat/passwordConsent.ts';
import { ChatViewModel } from '../../../src/extension/chat/viewModel.ts';
import type { ToWebview } from '../../../src/webview/messages.ts';
import { IrcTestClient, startServer, type RunningServer } from '../../helpers/index.ts';

let srv: RunningServer;
before(async () => {
  srv = await startServer();
});
after(async () => {
  await srv?.stop();
});

/** Resolves when `condition` holds, re-checked after each post to the view (the model's own signal). */
function setup() {
  const posts: ToWebview[] = [];
  const waiters = new Set<() => void>();
  const model = new ChatViewModel((m) => {
    posts.push(m);
    for (const w of [...waiters]) w();
  });
  const until = (condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> =>
    new Promise((resolve, reject) => {
      if (condition()) return resolve();
      const check = () => {
        if (!condition()) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`timed out waiting for ${what}; posts: ${posts.map((p) => p.type).join(',')}`));
      }, timeoutMs);
      waiters.add(check);
    });
  // As the extension's factory does: SASL when the request carries an account and password.
  const failed: string[] = [];
  const connection = new ChatConnection(
    model,
    (r) =>
      new IrcClient({ host: r.host, port: r.port, nick: r.nick, reconnect: false, ...(r.servers ? { servers: r.servers } : {}), ...(r.account && r.password ? { sasl: { account: r.account, password: r.password } } : {}) }),
    { onServerFailed: (where, reason) => failed.push(`${where}: ${reason}`) },
  );
  return { model, posts, until, connection, failed };
}

test('join, members with presence (busy from AWAY [busy]), messages both ways with delivery states', async () => {
  const { model, until, connection } = setup();
  const bob = await IrcTestClient.connect(srv.port);
  try {
    await connection.connect({ host: '127.0.0.1', port: srv.port, nick: 'me', rooms: ['#team'] });
    await until(() => model.joined('#team'), 'joined #team');
    await bob.register('bob');
    bob.send('JOIN #team');
    await until(() => model.snapshot().members.some((m) => m.nick === 'bob'), 'bob in the member list');
    assert.ok(model.lines('#team').some((l) => l.kind === 'event' && l.text === 'bob joined'));

    bob.send('AWAY :[busy] meeting');
    await until(() => model.snapshot().members.find((m) => m.nick === 'bob')?.presence === 'busy', 'bob busy');
    assert.equal(model.snapshot().members.find((m) => m.nick === 'bob')?.statusMessage, 'meeting');

    assert.equal(connection.send('#team', 'hello bob'), true);
    const got = await bob.waitFor((m) => m.command === 'PRIVMSG' && m.params[1] === 'hello bob');
    assert.equal(got.params[0], '#team');
    await until(() => model.lines('#team').some((l) => l.text === 'hello bob' && l.state === 'delivered'), 'our line delivered');

    bob.send('PRIVMSG #team :me: are you there?');
    await until(() => model.lines('#team').some((l) => l.text === 'me: are you there?'), 'bob’s line');
    const line = model.lines('#team').find((l) => l.text === 'me: are you there?');
    assert.equal(line?.mention, true);
    assert.equal(model.conversations().find((c) => c.id === '#team')?.mentions, 1, 'the view is not visible: unread with a mention');

    bob.send('PART #team :lunch');
    await until(() => model.lines('#team').some((l) => l.text === 'bob left (lunch)'), 'bob left');
  } finally {
    await bob.close();
    await connection.disconnect();
  }
});

test('a closed port fails with a sentence and actions', async () => {
  const { model, connection } = setup();
  const probe = await startServer();
  const port = probe.port;
  await probe.stop();
  await assert.rejects(connection.connect({ host: '127.0.0.1', port, nick: 'me', rooms: [] }), (e: unknown) => {
    assert.ok(e instanceof ConnectError);
    assert.match(e.message, new RegExp(`Could not connect to 127\\.0\\.0\\.1:${port}`));
    assert.ok(e.view.actions.includes('host'));
    return true;
  });
  const c = model.connection;
  assert.equal(c.state, 'disconnected');
  assert.ok(c.state === 'disconnected' && c.error?.actions.includes('retry'));
});

test('chatroom.servers: a dead server first, then ours: the view says which one it is on, the failure is logged with its reason', async () => {
  const { model, connection, failed } = setup();
  const probe = await startServer();
  const dead = probe.port;
  await probe.stop();
  const servers = [{ host: '127.0.0.1', port: dead }, { host: '127.0.0.1', port: srv.port }];
  await connection.connect({ host: '127.0.0.1', port: dead, servers, nick: 'walker', rooms: [] });
  const c = model.connection;
  assert.equal(c.state, 'connected');
  assert.ok(c.state === 'connected' && c.server === `127.0.0.1:${srv.port}`, JSON.stringify(c));
  assert.ok(c.state === 'connected' && c.fromList === true, 'the header names the server of the list');
  assert.ok(c.state === 'connected' && c.limits === undefined, `our server lacks nothing the view would mention: ${JSON.stringify(c)}`);
  assert.equal(failed.length, 1);
  assert.match(failed[0]!, new RegExp(`^127\\.0\\.0\\.1:${dead}: Connection to 127\\.0\\.0\\.1:${dead} was refused`));
  await connection.disconnect();
});

test('register an account, then connect again logged in (SASL); a wrong password is a clear error', async () => {
  const { model, until, connection } = setup();
  try {
    await connection.connect({ host: '127.0.0.1', port: srv.port, nick: 'reggie', rooms: [] });
    const client = connection.client!;
    assert.equal(client.supports('account-registration'), true);
    const result = await client.registerAccount('reggie', 'correct horse battery');
    assert.equal(result.account.toLowerCase(), 'reggie');
    await until(() => model.connection.state === 'connected' && model.connection.account !== undefined, 'logged in after REGISTER');

    await connection.connect({ host: '127.0.0.1', port: srv.port, nick: 'reggie', rooms: [], account: 'reggie', password: 'correct horse battery' });
    const c = model.connection;
    assert.ok(c.state === 'connected' && c.account?.toLowerCase() === 'reggie', JSON.stringify(c));

    await assert.rejects(
      connection.connect({ host: '127.0.0.1', port: srv.port, nick: 'reggie', rooms: [], account: 'reggie', password: 'wrong password' }),
      (e: unknown) => e instanceof ConnectError && e.code === 'bad-password' && /did not accept the password for account "reggie"/.test(e.message) && e.view.actions.includes('login'),
    );
  } finally {
    await connection.disconnect();
  }
});

test('a password for another machine over plain text: sent only once the user agreed, and asked once per host', async () => {
  const reg = setup();
  await reg.connection.connect({ host: '127.0.0.1', port: srv.port, nick: 'lanuser', rooms: [] });
  await reg.connection.client!.registerAccount('lanuser', 'correct horse battery');
  await reg.until(() => reg.model.connection.state === 'connected' && reg.model.connection.account !== undefined, 'registered');
  await reg.connection.disconnect();

  // "team.lan" stands for a server on another machine; this factory dials our loopback server for it.
  const dialled: string[] = [];
  const asked: string[] = [];
  const answers = [false, true];
  const state = new Map<string, unknown>();
  const consent = new PasswordConsent({ get: <T>(k: string) => state.get(k) as T | undefined, update: async (k, v) => void state.set(k, v) }, async (host) => {
    asked.push(host);
    return answers.shift() ?? assert.fail('asked twice after a yes');
  });
  const model = new ChatViewModel(() => {});
  const connection = new ChatConnection(
    model,
    (r) => {
      dialled.push(r.host);
      return new IrcClient({ host: '127.0.0.1', port: r.port, nick: r.nick, reconnect: false, ...(r.account && r.password ? { sasl: { account: r.account, password: r.password } } : {}) });
    },
    { allowPassword: (t) => consent.allow(t) },
  );
  const request = { host: 'team.lan', port: srv.port, nick: 'lanuser', rooms: [], account: 'lanuser', password: 'correct horse battery' };
  try {
    await assert.rejects(connection.connect(request), ConnectCancelled);
    assert.deepEqual(dialled, [], 'declined: nothing was dialled, so no password left');
    assert.equal(await connection.allowPassword(), false, 'not connected: no password goes anywhere');

    await connection.connect(request);
    assert.equal(connection.client?.account?.toLowerCase(), 'lanuser', 'agreed: logged in with SASL');
    assert.equal(await connection.allowPassword(), true, 'Chat: Register / Log In on it: not asked again');
    await connection.connect(request);
    assert.equal(connection.client?.account?.toLowerCase(), 'lanuser');

    await connection.connect({ ...request, host: '127.0.0.1' });
    await connection.connect({ host: 'other.lan', port: srv.port, nick: 'nopassword', rooms: [] });
    assert.deepEqual(asked, ['team.lan', 'team.lan'], 'loopback and a connect without a password never ask; a yes is remembered');
    assert.deepEqual(dialled, ['team.lan', 'team.lan', '127.0.0.1', 'other.lan']);
  } finally {
    await connection.disconnect();
  }
});

test('scroll-back: history on join, then older pages from the server until there are none', async () => {
  const { model, until } = setup();
  const connection = new ChatConnection(model, (r) => new IrcClient({ host: r.host, port: r.port, nick: r.nick, reconnect: false, historyOnJoin: 20, historyPageSize: 20 }));
  const bob = await IrcTestClient.connect(srv.port);
  try {
    await bob.register('histbob');
    bob.send('JOIN #hist');
    await bob.waitFor((m) => m.command === 'JOIN');
    for (let i = 1; i <= 30; i++) bob.send(`PRIVMSG #hist :old ${i}`);
    await bob.sync();
    await connection.connect({ host: '127.0.0.1', port: srv.port, nick: 'reader', rooms: ['#hist'] });
    const texts = () => model.lines('#hist').filter((l) => l.kind !== 'event').map((l) => l.text);
    await until(() => texts().length === 20, 'the latest 20 on join');
    assert.equal(texts()[0], 'old 11');
    assert.equal(model.snapshot().hasOlder, true);
    await connection.loadOlder('#hist');
    assert.deepEqual(texts().slice(0, 2), ['old 1', 'old 2']);
    assert.equal(texts().length, 30);
    await connection.loadOlder('#hist');
    assert.equal(model.snapshot().hasOlder, false, 'nothing older: the view stops asking');
  } finally {
    await bob.close();
    await connection.disconnect();
  }
});

test('a reconnect we start (Log In / Log Out) rejoins the rooms we were in; a disconnect shows none joined, no members', async () => {
  const { model, until, connection } = setup();
  try {
    await connection.connect({ host: '127.0.0.1', port: srv.port, nick: 'rejoiner', rooms: ['#home'] });
    await until(() => model.joined('#home'), 'joined #home');
    assert.ok(connection.join('#extra'));
    await until(() => model.joined('#extra'), 'joined #extra');
    await connection.connect({ host: '127.0.0.1', port: srv.port, nick: 'rejoiner', rooms: ['#home'] });
    await until(() => model.joined('#home') && model.joined('#extra'), 'both rooms again after the reconnect');
    await connection.disconnect();
    assert.equal(model.joined('#home'), false);
    assert.equal(model.joined('#extra'), false);
    assert.deepEqual(model.snapshot().members, []);
    assert.deepEqual(model.knownNicks(), []);
  } finally {
    await connection.disconnect();
  }
});

test('another server of the same network (the new chatroom.servers shares one with the old) keeps the view and rejoins its rooms; another network starts afresh', async () => {
  const { model, until, connection } = setup();
  const other = await startServer();
  const elsewhere = await startServer();
  const bob = await IrcTestClient.connect(srv.port);
  try {
    await connection.connect({ host: '127.0.0.1', port: srv.port, nick: 'mover', rooms: ['#kept'] });
    await until(() => model.joined('#kept'), 'joined #kept');
    await bob.register('bob');
    bob.send('JOIN #kept');
    await bob.waitFor('366');
    bob.send('PRIVMSG #kept :said before the move');
    await until(() => model.lines('#kept').some((l) => l.text === 'said before the move'), 'bob’s line');
    assert.ok(connection.join('#joined-later'));
    await until(() => model.joined('#joined-later'), 'joined #joined-later');

    // The list now puts another server first and keeps ours: the same network.
    const servers = [{ host: '127.0.0.1', port: other.port }, { host: '127.0.0.1', port: srv.port }];
    await connection.connect({ host: '127.0.0.1', port: other.port, servers, nick: 'mover', rooms: ['#kept'] });
    assert.ok(model.connection.state === 'connected' && model.connection.server === `127.0.0.1:${other.port}`, JSON.stringify(model.connection));
    await until(() => model.joined('#kept') && model.joined('#joined-later'), 'both rooms joined on the new server');
    assert.ok(model.lines('#kept').some((l) => l.text === 'said before the move'), 'the line shown before the move is still there');

    // A server named by no list so far: another network, the view starts afresh.
    await connection.connect({ host: '127.0.0.1', port: elsewhere.port, nick: 'mover', rooms: ['#fresh'] });
    await until(() => model.joined('#fresh'), 'joined #fresh');
    assert.deepEqual(model.conversations().map((c) => c.name), ['#fresh']);
  } finally {
    await bob.close();
    await connection.disconnect();
    await other.stop();
    await elsewhere.stop();
  }
});

test('issue 13 through the real client and server: a reaction and a reply from a plain client show on their lines', async () => {
  const { model, until, connection } = setup();
  const bob = await IrcTestClient.connect(srv.port);
  try {
    await connection.connect({ host: '127.0.0.1', port: srv.port, nick: 'reactme', rooms: ['#react'] });
    await until(() => model.joined('#react'), 'joined #react');
    await bob.register('rbob', { caps: ['message-tags', 'echo-message'] });
    bob.send('JOIN #react');
    await until(() => model.snapshot().members.some((m) => m.nick === 'rbob'), 'rbob in the room');
    assert.ok(connection.send('#react', 'pizza?'));
    await until(() => model.lines('#react').some((l) => l.text === 'pizza?' && l.msgid !== undefined), 'our line has its msgid');
    const msgid = model.lines('#react').find((l) => l.text === 'pizza?')!.msgid!;
    bob.send(`@+draft/react=🍕;+draft/reply=${msgid} TAGMSG #react`);
    await until(() => model.lines('#react').find((l) => l.msgid === msgid)?.reactions?.[0]?.nicks.includes('rbob') === true, 'the reaction on our line');
    bob.send(`@+draft/reply=${msgid} PRIVMSG #react :yes please`);
    await until(() => model.lines('#react').some((l) => l.text === 'yes please'), 'the reply');
    const reply = model.lines('#react').find((l) => l.text === 'yes please')!;
    assert.deepEqual(reply.replyTo, { id: msgid, from: 'reactme', text: 'pizza?' });
  } finally {
    await bob.close();
    await connection.disconnect();
  }
});
