// msgids: 22 base64url characters, all distinct (also across refills of the random pool and within
// one millisecond), and in creation order when compared as bytes (as SQLite compares TEXT), so the
// UNIQUE index on messages.msgid is appended to rather than written at random places.
import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { newMsgid } from '../../../src/server/storage/msgid.ts';

const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

describe('newMsgid', () => {
  it('gives distinct 22-character base64url ids, across many refills of its random pool', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const id = newMsgid();
      assert.match(id, /^[A-Za-z0-9_-]{22}$/);
      seen.add(id);
    }
    assert.equal(seen.size, 5000);
  });

  it('gives ids in increasing byte order, many within one millisecond', () => {
    const ids = Array.from({ length: 20_000 }, () => newMsgid());
    for (let i = 1; i < ids.length; i++) assert.ok(byteOrder(ids[i - 1]!, ids[i]!) < 0, `${ids[i - 1]} < ${ids[i]}`);
  });

  it('stays increasing and distinct when the clock stands still or steps back', () => {
    const first = newMsgid();
    mock.timers.enable({ apis: ['Date'], now: Date.now() - 60_000 }); // the clock stepped back a minute
    try {
      const ids = [first];
      for (let i = 0; i < 1000; i++) ids.push(newMsgid()); // Date.now() is frozen: one "millisecond"
      for (let i = 1; i < ids.length; i++) assert.ok(byteOrder(ids[i - 1]!, ids[i]!) < 0);
      assert.equal(new Set(ids).size, ids.length);
    } finally {
      mock.timers.reset();
    }
  });

  it('ends in 72 random bits, so ids made by two processes in the same millisecond still differ', () => {
    // The tails (after time and counter) of many ids are all distinct.
    const tails = new Set(Array.from({ length: 1000 }, () => newMsgid().slice(10)));
    assert.equal(tails.size, 1000);
  });

  it('sorts later times after earlier ones', () => {
    const now = Date.now();
    const ids: string[] = [];
    for (const t of [now + 1, now + 1000, now + 86_400_000, now + 10 * 365 * 86_400_000]) {
      mock.timers.enable({ apis: ['Date'], now: t });
      try {
        ids.push(newMsgid());
      } finally {
        mock.timers.reset();
      }
    }
    for (let i = 1; i < ids.length; i++) assert.ok(byteOrder(ids[i - 1]!, ids[i]!) < 0);
    assert.notEqual(ids[0]!.slice(0, 7), ids[1]!.slice(0, 7), 'the time prefix moves with the clock');
  });
});
