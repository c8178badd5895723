// Outgoing: one line serialised once per capability variant, shared by every receiver of that
// variant; tags only for receivers that negotiated their capability.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Outgoing } from '../../src/server/outgoing.ts';

const holder = (...caps: string[]) => ({ caps: new Set(caps) });

describe('Outgoing', () => {
  it('gives each receiver only the tags it asked for, and the same string to the same variant', () => {
    const out = new Outgoing({ tags: {}, source: 'a!a@h', command: 'PRIVMSG', params: ['#r', 'hi there'] }, [
      { key: 'time', value: '2026-01-01T00:00:00.000Z', cap: 'server-time' },
      { key: 'msgid', value: 'abc', cap: 'message-tags' },
      { key: '+draft/reply', value: 'x;y z', cap: 'message-tags' },
    ]);
    assert.equal(out.lineFor(holder()), ':a!a@h PRIVMSG #r :hi there\r\n');
    assert.equal(out.lineFor(holder('server-time')), '@time=2026-01-01T00:00:00.000Z :a!a@h PRIVMSG #r :hi there\r\n');
    const full = out.lineFor(holder('server-time', 'message-tags'));
    assert.equal(full, '@time=2026-01-01T00:00:00.000Z;msgid=abc;+draft/reply=x\\:y\\sz :a!a@h PRIVMSG #r :hi there\r\n');
    assert.equal(out.lineFor(holder('message-tags', 'server-time', 'other')), full);
  });

  it('encodes each variant once: receivers of the same variant share one Buffer with the line\'s UTF-8 bytes', () => {
    const out = new Outgoing({ tags: {}, source: 'a!a@h', command: 'PRIVMSG', params: ['#r', 'héllo ✓'] }, [
      { key: 'time', value: '2026-01-01T00:00:00.000Z', cap: 'server-time' },
    ]);
    const plain = out.bytesFor(holder());
    const timed = out.bytesFor(holder('server-time'));
    assert.equal(plain.toString('utf8'), out.lineFor(holder()));
    assert.equal(timed.toString('utf8'), out.lineFor(holder('server-time')));
    assert.equal(plain.length, Buffer.byteLength(':a!a@h PRIVMSG #r :héllo ✓\r\n'));
    assert.equal(out.bytesFor(holder()), plain, 'the same Buffer for the same variant');
    assert.equal(out.bytesFor(holder('server-time', 'other')), timed);
  });

  it('refuses to build a line that would inject a command', () => {
    assert.throws(() => new Outgoing({ tags: {}, command: 'PRIVMSG', params: ['a b', 'x'] }));
    assert.throws(() => new Outgoing({ tags: {}, command: 'PRIVMSG', params: ['#r', 'x\r\nQUIT'] }));
  });
});
