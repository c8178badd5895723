// Chat: Save Transcript's Markdown (src/extension/commands/transcript.ts): network text stays text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeMarkdown, renderTranscript, transcriptFileName } from '../../../src/extension/commands/transcript.ts';
import type { ChatLine } from '../../../src/webview/messages.ts';

const at = new Date(2026, 10, 30, 17, 5).getTime();
const line = (from: string, text: string, kind: ChatLine['kind'] = 'privmsg'): ChatLine => ({ id: from + text, from, text, time: at, self: false, kind });

test('markup in chat text is escaped: no HTML, links, images or emphasis', () => {
  assert.equal(escapeMarkdown('<img src=x onerror=alert(1)>'), '&lt;img src=x onerror=alert(1)&gt;');
  assert.equal(escapeMarkdown('[click](http://evil) ![i](x) *a* _b_ `c` ~~d~~ a|b \\'), '\\[click\\](http://evil) !\\[i\\](x) \\*a\\* \\_b\\_ \\`c\\` \\~\\~d\\~\\~ a\\|b \\\\');
  assert.equal(escapeMarkdown('&amp; stays literal'), '&amp;amp; stays literal');
});

test('a transcript lists each line with time and nick; continuation lines cannot start headings or lists', () => {
  const md = renderTranscript('#general', [line('bob', 'hi *all*\n# title\n1. item\n- dash'), line('al_ice', 'waves', 'action')], '127.0.0.1:6667', new Date(at));
  const lines = md.split('\n');
  assert.equal(lines[0], '# #general');
  assert.ok(lines.includes('- 2026-11-30 17:05 **bob**: hi \\*all\\*  '), md);
  assert.ok(lines.includes('  \\# title  '), md);
  assert.ok(lines.includes('  1\\. item  '), md);
  assert.ok(lines.includes('  \\- dash'), md);
  assert.ok(lines.includes('- 2026-11-30 17:05 \\* al\\_ice: waves'), md);
});

test('file names come from the room and the day, and cannot leave the folder', () => {
  const day = new Date(2026, 10, 30);
  assert.equal(transcriptFileName('#general', day), 'general-2026-11-30.md');
  assert.equal(transcriptFileName('#../../etc/passwd', day), 'etc-passwd-2026-11-30.md');
  assert.equal(transcriptFileName('#..', day), 'room-2026-11-30.md');
  assert.equal(transcriptFileName('#café', day), 'café-2026-11-30.md');
});
