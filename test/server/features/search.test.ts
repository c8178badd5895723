// SEARCH (soju.im/search) over real TCP and a real SQLite file: the capability, the batch and its
// lines (the newest matches, in ascending order); attributes in=, from=, after=, before=, limit=; who finds what (rooms one
// is in, one's own DMs; never a +s room one is not in, never someone else's DMs, a guest only
// since it connected); redacted messages are not found; FAIL SEARCH codes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { IrcTestClient } from '../../helpers/index.ts';
import { harness, joinRoom, type Harness } from '../helpers.ts';
import { MODERN_CAPS, collectBatch, isFail, newAccount, say, texts } from './helpers.ts';

const CAPS = [...MODERN_CAPS, 'soju.im/search', 'draft/message-redaction'];

describe('SEARCH (soju.im/search)', () => {
  let h: Harness;
  let alice: IrcTestClient;
  let bob: IrcTestClient;
  let carol: IrcTestClient;

  before(async () => {
    h = await harness({ args: ['--flood-control', 'off'] });
    alice = await newAccount(h, 'alice', undefined, { caps: CAPS });
    bob = await newAccount(h, 'bob', undefined, { caps: CAPS });
    carol = await newAccount(h, 'carol', undefined, { caps: CAPS });
    await joinRoom(alice, '#team');
    await joinRoom(bob, '#team');
    await joinRoom(bob, '#secret');
    bob.send('MODE #secret +s');
    await bob.waitFor((m) => m.command === 'MODE' && m.params[0] === '#secret');
    await say(alice, '#team', ['we deploy on friday', 'lunch?']);
    await say(bob, '#team', ['Déploy? no: deploy after the review']);
    await say(bob, '#secret', ['the deploy key is in the vault']);
    await say(alice, 'bob', ['can you deploy my branch']);
    await say(bob, 'carol', ['carol, deploy nothing today']);
  });
  after(async () => {
    await h.stop();
  });

  const search = async (c: IrcTestClient, attrs: string) => {
    c.send(`SEARCH ${attrs}`);
    return collectBatch(c, 'soju.im/search');
  };

  it('is advertised', () => {
    assert.ok(alice.serverCaps.has('soju.im/search'));
  });

  it('finds in the rooms one is in and in one’s own DMs, the newest matches in ascending order, with tags and targets', async () => {
    const b = await search(alice, 'text=deploy');
    assert.deepEqual(texts(b.lines), ['we deploy on friday', 'Déploy? no: deploy after the review', 'can you deploy my branch']);
    const times = b.lines.map((m) => m.tags['time']!);
    assert.deepEqual([...times].sort(), times, 'ascending time order (the search draft: SHOULD)');
    const [room, dm] = b.lines.slice(1);
    assert.deepEqual(dm!.params[0], 'bob', 'her own DM to bob, addressed to bob');
    assert.equal(room!.params[0], '#team');
    assert.match(room!.source!, /^bob!/);
    assert.equal(room!.tags['account'], 'bob');
    assert.ok(room!.tags['msgid'] && room!.tags['time']);
    // bob sees alice's DM addressed to himself, as CHATHISTORY shows it.
    const forBob = await search(bob, 'text=branch');
    assert.equal(forBob.lines[0]!.params[0], 'bob');
    assert.match(forBob.lines[0]!.source!, /^alice!/);
  });

  it('never finds a +s room one is not in, nor other people’s DMs', async () => {
    const b = await search(carol, 'text=deploy');
    assert.deepEqual(texts(b.lines), ['carol, deploy nothing today'], 'only her own DM');
    carol.send('SEARCH text=deploy;in=#secret');
    const f = await carol.waitFor(isFail('SEARCH', 'INVALID_TARGET'));
    assert.equal(f.params[2], '#secret');
    // "in=alice" is carol's conversation with alice (empty), never alice's with bob.
    assert.deepEqual(texts((await search(carol, 'text=deploy;in=alice')).lines), []);
    assert.deepEqual(texts((await search(carol, 'text=deploy;in=bob')).lines), ['carol, deploy nothing today']);
    // A member finds it.
    assert.deepEqual(texts((await search(bob, 'text=vault')).lines), ['the deploy key is in the vault']);
  });

  it('in=, from=, limit=, after=, before=, and accents and case ignored', async () => {
    assert.deepEqual(texts((await search(alice, 'text=DEPLOY;in=#team')).lines), ['we deploy on friday', 'Déploy? no: deploy after the review']);
    assert.deepEqual(texts((await search(alice, 'text=deploy;from=Alice')).lines), ['we deploy on friday', 'can you deploy my branch']);
    assert.deepEqual(texts((await search(alice, 'text=deploy;limit=1')).lines), ['can you deploy my branch'], 'the newest match');
    assert.deepEqual(texts((await search(alice, 'text=deploy;limit=2')).lines), ['Déploy? no: deploy after the review', 'can you deploy my branch']);
    assert.deepEqual(texts((await search(alice, 'text=review\\sdeploy')).lines), ['Déploy? no: deploy after the review'], 'all words, any order');
    assert.deepEqual(texts((await search(alice, ':text=review deploy')).lines), ['Déploy? no: deploy after the review'], 'as a trailing parameter');
    const all = (await search(alice, 'text=deploy')).lines;
    const middle = all[1]!.tags['time']!;
    // Messages sent one after the other may share a millisecond: expect what the times give.
    const expect = (pred: (t: string) => boolean) => texts(all.filter((m) => pred(m.tags['time']!)));
    assert.deepEqual(texts((await search(alice, `text=deploy;before=${middle}`)).lines), expect((t) => t < middle));
    assert.deepEqual(texts((await search(alice, `text=deploy;after=${middle}`)).lines), expect((t) => t > middle));
  });

  it('a redacted message is not found', async () => {
    const [m] = await say(alice, '#team', ['temporary deploy note']);
    assert.ok(texts((await search(bob, 'text=temporary')).lines).length === 1);
    alice.send(`REDACT #team ${m!.tags['msgid']}`);
    await alice.waitFor((x) => x.command === 'REDACT');
    assert.deepEqual(texts((await search(bob, 'text=temporary')).lines), []);
  });

  it('a guest finds only DMs since it connected: not those of an earlier guest with its nick', async () => {
    const g = await h.user('guest', { caps: CAPS });
    await joinRoom(alice, '#lobby'); // so that alice sees the guest leave
    await joinRoom(g, '#lobby');
    await say(alice, 'guest', ['guest, deploy this']);
    assert.deepEqual(texts((await search(g, 'text=deploy')).lines), ['guest, deploy this']);
    g.destroy();
    await alice.waitFor((x) => x.command === 'QUIT' && x.source?.startsWith('guest!') === true);
    const next = await h.user('guest', { caps: CAPS });
    assert.deepEqual(texts((await search(next, 'text=deploy')).lines), []);
    assert.deepEqual(texts((await search(next, 'text=deploy;in=alice')).lines), []);
  });

  it('FAIL SEARCH INVALID_PARAMS for no words, an unknown attribute, a bad time or limit', async () => {
    for (const attrs of ['text=', 'in=#team', 'text=x;colour=red', 'text=x;after=yesterday', 'text=x;limit=0', 'text=x;limit=many']) {
      alice.send(`SEARCH ${attrs}`);
      await alice.waitFor(isFail('SEARCH', 'INVALID_PARAMS'));
    }
  });
});
