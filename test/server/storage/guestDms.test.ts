// A guest who logs in keeps its DMs (storage/guestDms.ts): the conversations keyed by its token move
// to the account, those already in the CHATHISTORY and search indexes as well as the newest
// (the tail), with both sides' conversation lists and its reactions; other conversations of the
// token's peers stay where they are. Real SQLite file, no server.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { INDEX_EVERY } from '../../../src/server/storage/historyIndex.ts';
import { dmKey, openStore } from '../../../src/server/storage/index.ts';
import { tempDir } from '../../helpers/tmp.ts';

const FAST = { scrypt: { N: 1024, r: 8, p: 1 } };
const TOKEN = '!00112233445566778899aabb';

describe('storage: a guest logging in keeps its DMs', () => {
  it('moves the whole conversation, indexed part and tail, to the account, for history, search and TARGETS', () => {
    const t = tempDir();
    const store = openStore(t.path, { ...FAST, writerThread: false });
    try {
      const dm = (from: string, to: string, fromName: string, toName: string, text: string, time: number) =>
        store.messages.appendSync({ target: { type: 'dm', from, to, fromName, toName }, kind: 'PRIVMSG', source: `${fromName}!u@h`, senderNick: fromName, senderAccount: from.startsWith('!') ? null : from, text, time });
      const n = INDEX_EVERY + 40; // past one bulk fill of the indexes: some indexed, some in the tail
      const first = dm(TOKEN, 'alice', 'gina', 'alice', 'a first word from the guest', 1_000);
      for (let i = 1; i < n; i++) dm(i % 2 ? 'alice' : TOKEN, i % 2 ? TOKEN : 'alice', i % 2 ? 'alice' : 'gina', i % 2 ? 'gina' : 'alice', `line ${i}`, 1_000 + i);
      const last = dm(TOKEN, 'alice', 'gina', 'alice', 'the newest word from the guest', 1_000 + n);
      dm('alice', 'bob', 'alice', 'bob', 'alice and bob, not ours', 1_000 + n + 1);
      assert.equal(store.annotations.react({ messageId: first.id, party: TOKEN, reaction: '👍', msgid: 'r1', source: 'gina!u@h', senderNick: 'gina', senderAccount: null, time: 5_000 }, 20), 'added');

      const moved = store.guestDms.adopt(TOKEN, 'Gina', 'Gina', [{ party: 'alice', display: 'alice' }]);
      assert.equal(moved, n + 1);

      const page = (key: string) => {
        const r = store.history.query(key, { kind: 'LATEST', limit: 100 });
        assert.ok(r.ok);
        return r.messages;
      };
      assert.deepEqual(page(dmKey(TOKEN, 'alice')), [], 'nothing left under the token');
      const latest = page(dmKey('gina', 'alice'));
      assert.equal(latest.length, 100);
      assert.equal(latest.at(-1)!.text, 'the newest word from the guest');
      const oldest = store.history.query(dmKey('gina', 'alice'), { kind: 'AFTER', point: { time: 0 }, limit: 1 });
      assert.ok(oldest.ok);
      assert.equal(oldest.messages[0]!.text, 'a first word from the guest', 'the indexed start of it too');
      assert.equal(page(dmKey('alice', 'bob')).length, 1, "the peer's other conversations stay");

      const search = (text: string) => store.search.search({ targets: [{ key: dmKey('gina', 'alice'), since: 0 }], text, limit: 10 }).map((m) => m.text);
      assert.deepEqual(search('word guest'), ['the newest word from the guest', 'a first word from the guest'], 'found in the index and in the tail');
      assert.deepEqual(store.search.search({ targets: [{ key: dmKey(TOKEN, 'alice'), since: 0 }], text: 'word', limit: 10 }), []);

      const targets = (party: string) => store.history.targets({ party, channels: [], from: 0, to: 10_000_000, limit: 10 }).map((x) => x.name);
      assert.deepEqual(targets('gina'), ['alice']);
      assert.ok(targets('alice').includes('Gina'), 'alice lists the account, by its display name');
      assert.equal(store.guestDms.listedBy(TOKEN).length, 0, 'and no longer the token');
      assert.deepEqual(store.annotations.reactionsOf([first.id]).map((r) => [r.party, r.reaction]), [['gina', '👍']]);
      assert.equal(last.id > first.id, true);
      assert.equal(store.integrityCheck(), 'ok');
    } finally {
      store.close();
      t.remove();
    }
  });
});
