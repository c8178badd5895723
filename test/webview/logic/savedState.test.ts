// The view's saved state (src/webview/logic/savedState.ts): bounded, and restored only if well-formed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_UI, EMPTY_SNAPSHOT, restoreSaved, SAVED_LINES, toSaved } from '../../../src/webview/logic/savedState.ts';
import { busySnapshot } from '../fixtures.ts';

test('the saved snapshot keeps the last 200 lines and says older ones exist', () => {
  const snap = { ...busySnapshot(10_000), hasOlder: false };
  const saved = toSaved(snap, { ...DEFAULT_UI, membersCollapsed: true, drafts: { '#general': 'half a thought', '#x': '' } });
  assert.equal(saved.snapshot.lines.length, SAVED_LINES);
  assert.equal(saved.snapshot.lines.at(-1)?.id, snap.lines.at(-1)?.id);
  assert.equal(saved.snapshot.hasOlder, true);
  assert.deepEqual(saved.snapshot.typing, [], 'typing is momentary');
  assert.deepEqual(saved.ui.drafts, { '#general': 'half a thought' });
  assert.ok(JSON.stringify(saved).length < 200_000, 'small enough for setState');
  const back = restoreSaved(JSON.parse(JSON.stringify(saved)));
  assert.equal(back.snapshot.active, '#general');
  assert.equal(back.snapshot.lines.length, SAVED_LINES);
  assert.equal(back.ui.membersCollapsed, true);
  assert.equal(back.ui.drafts['#general'], 'half a thought');
});

test('anything malformed restores a clean start', () => {
  for (const bad of [undefined, null, 42, 'x', [], {}, { version: 2, snapshot: {}, ui: {} }, { version: 1, snapshot: [], ui: {} }]) {
    assert.deepEqual(restoreSaved(bad), { snapshot: EMPTY_SNAPSHOT, ui: DEFAULT_UI });
  }
  const odd = restoreSaved({ version: 1, snapshot: { lines: [{ id: 1 }, null, { id: 'a', from: 'b', text: 'c', time: 1 }], conversations: 'no', connection: 7 }, ui: { drafts: { a: 5, b: 'x' } } });
  assert.deepEqual(odd.snapshot.lines.map((l) => l.id), ['a']);
  assert.deepEqual(odd.snapshot.conversations, []);
  assert.equal(odd.snapshot.connection.state, 'disconnected');
  assert.deepEqual(odd.ui.drafts, { b: 'x' });
});
