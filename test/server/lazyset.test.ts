// LazySet behaves as a Set whether or not its table has been allocated yet.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LazySet } from '../../src/server/lazyset.ts';

describe('LazySet', () => {
  it('is an empty set before the first add', () => {
    const s = new LazySet<string>();
    assert.equal(s.size, 0);
    assert.equal(s.has('a'), false);
    assert.equal(s.delete('a'), false);
    assert.deepEqual([...s], []);
    assert.deepEqual([...s.entries()], []);
    let calls = 0;
    s.forEach(() => calls++);
    assert.equal(calls, 0);
  });

  it('adds, finds, deletes and iterates in insertion order', () => {
    const s = new LazySet<string>();
    assert.equal(s.add('b').add('a').add('b'), s);
    assert.equal(s.size, 2);
    assert.ok(s.has('a') && s.has('b'));
    assert.deepEqual([...s], ['b', 'a']);
    assert.deepEqual([...s.keys()], ['b', 'a']);
    assert.deepEqual([...s.values()], ['b', 'a']);
    assert.deepEqual([...s.entries()], [['b', 'b'], ['a', 'a']]);
    const seen: string[] = [];
    s.forEach((v, v2, set) => {
      assert.equal(v, v2);
      assert.equal(set, s);
      seen.push(v);
    });
    assert.deepEqual(seen, ['b', 'a']);
    assert.equal(s.delete('b'), true);
    assert.equal(s.delete('b'), false);
    assert.deepEqual([...s], ['a']);
    s.clear();
    assert.equal(s.size, 0);
    assert.equal(s.has('a'), false);
    s.add('c');
    assert.deepEqual([...s], ['c']);
  });
});
