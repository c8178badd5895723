// --history-days over the real server and a real SQLite file: a message older than the retention,
// stored with an old server time through the storage API, is no longer served by CHATHISTORY and
// is deleted from the file in the background; a recent one stays. Without the flag both are served.
import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { describe, it } from 'node:test';
import { openStore } from '../../src/server/storage/index.ts';
import { IrcTestClient, startServer, tempDir, type RunningServer } from '../helpers/index.ts';
import { joinRoom, type Harness } from './helpers.ts';
import { collectBatch, login, texts } from './features/helpers.ts';

const DAY = 24 * 60 * 60 * 1000;

/** Resolves when the server has printed a line matching `re` (now or later). */
function printed(srv: RunningServer, re: RegExp): Promise<void> {
  return new Promise((resolve) => {
    if (re.test(srv.output())) return resolve();
    const check = () => {
      if (!re.test(srv.output())) return;
      srv.proc.stdout!.off('data', check);
      srv.proc.stderr!.off('data', check);
      resolve();
    };
    // The harness collects output in its own 'data' listener, registered before ours.
    srv.proc.stdout!.on('data', check);
    srv.proc.stderr!.on('data', check);
  });
}

/** A Harness over a server started here (on a data folder that outlives it). */
function harnessFor(srv: RunningServer): Harness {
  const connect = () => IrcTestClient.connect(srv.port);
  return {
    srv,
    connect,
    async user(nick, opts = {}) {
      const c = await connect();
      await c.register(nick, opts);
      return c;
    },
    stop: () => srv.stop(),
  };
}

async function roomHistory(srv: RunningServer): Promise<string[]> {
  const h = harnessFor(srv);
  const alice = await login(h, 'alice', 'alice-password');
  await joinRoom(alice, '#keep');
  alice.send('CHATHISTORY LATEST #keep * 100');
  const batch = await collectBatch(alice, 'chathistory');
  alice.destroy();
  return texts(batch.lines);
}

describe('history retention (--history-days)', () => {
  it('stops serving and deletes messages older than N days, keeps the recent ones', async () => {
    const t = tempDir();
    try {
      // A registered room of alice's with one message from 3 days ago and one from an hour ago.
      const store = openStore(t.path, { scrypt: { N: 1024, r: 8, p: 1 } });
      assert.equal((await store.accounts.createAccount('alice', 'alice-password')).ok, true);
      // Registered before both messages: a registered room serves its history from its registration on.
      store.channels.saveChannel({ name: '#keep', founder: 'alice', topic: null, topicSetBy: null, topicTime: null, modes: 'nt', key: null, limit: null, createdAt: Date.now() - 4 * DAY });
      const base = { target: { type: 'channel', name: '#keep' }, kind: 'PRIVMSG', source: 'alice!alice@127.0.0.1', senderNick: 'alice', senderAccount: 'alice' } as const;
      store.messages.appendSync({ ...base, text: 'old news', time: Date.now() - 3 * DAY });
      store.messages.appendSync({ ...base, text: 'recent news', time: Date.now() - 60 * 60 * 1000 });
      store.close();

      const keepAll = await startServer({ dataDir: t.path });
      try {
        assert.deepEqual(await roomHistory(keepAll), ['old news', 'recent news'], 'by default everything is kept');
      } finally {
        await keepAll.stop();
      }

      const srv = await startServer({ dataDir: t.path, args: ['--history-days', '1'] });
      try {
        await printed(srv, /history retention: deleted 1 message\(s\) older than 1 day\(s\)/);
        assert.deepEqual(await roomHistory(srv), ['recent news']);
      } finally {
        await srv.stop();
      }
      const db = new DatabaseSync(`${t.path}/chatroom.sqlite`, { readOnly: true });
      try {
        assert.deepEqual(db.prepare('SELECT text FROM messages').all().map((r) => r['text']), ['recent news'], 'the old message is gone from the file');
      } finally {
        db.close();
      }
    } finally {
      t.remove();
    }
  });
});
