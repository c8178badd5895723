// Path containment (src/extension/chat/paths.ts): snippet clicks and the transcripts folder.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { folderSetting, isInsideFolder } from '../../../src/extension/chat/paths.ts';
import { cleanRelativePath } from '../../../src/extension/chat/snippets.ts';

test('a resolved path is inside its folder only below it', () => {
  assert.equal(isInsideFolder('/ws', '/ws/src/a.ts'), true);
  assert.equal(isInsideFolder('/ws', '/ws'), true);
  assert.equal(isInsideFolder('/ws', '/ws2/a.ts'), false);
  assert.equal(isInsideFolder('/ws', '/etc/passwd'), false);
  assert.equal(isInsideFolder('/ws', '/ws/../etc'), false);
  assert.equal(isInsideFolder('/ws/a', '/ws'), false);
  assert.equal(isInsideFolder('/ws', '/ws/..foo/x'), true, 'a name starting with two dots is still inside');
});

test('relative paths from the network are refused when they could leave the workspace', () => {
  assert.equal(cleanRelativePath('src/a.ts'), 'src/a.ts');
  for (const bad of ['', '/etc/passwd', '../x', 'a/../../x', 'a/./b', 'a//b', 'C:/x', 'c:x', 'a\\b', 'a\nb', ' a', 'a/ b', 'x'.repeat(401)]) {
    assert.equal(cleanRelativePath(bad), undefined, JSON.stringify(bad));
  }
});

test('the transcripts folder setting stays inside the workspace', () => {
  assert.deepEqual(folderSetting('.chat'), { ok: true, segments: ['.chat'] });
  assert.deepEqual(folderSetting('docs\\chat/'), { ok: true, segments: ['docs', 'chat'] });
  assert.deepEqual(folderSetting('./notes/./chat'), { ok: true, segments: ['notes', 'chat'] });
  assert.deepEqual(folderSetting(''), { ok: true, segments: [] });
  for (const bad of ['../out', 'a/../../b', '/tmp/x', 'C:\\x', '~/x']) assert.equal(folderSetting(bad).ok, false, bad);
});
