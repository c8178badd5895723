// msgids: 22 base64url characters (16 random bytes), all distinct, also across refills of the pool.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newMsgid } from '../../src/server/storage/msgid.ts';

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
});
