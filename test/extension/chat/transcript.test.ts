// Chat: Save Transcript's Markdown (src/extension/chat/transcript.ts): network text stays text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import MarkdownIt from 'markdown-it';
import { codeSpan, escapeMarkdown, mergeLines, numberedFileName, renderTranscript, transcriptFileName, withEarlierMessages } from '../../../src/extension/chat/transcript.ts';
import type { ChatLine } from '../../../src/webview/messages.ts';

const at = new Date(2026, 10, 30, 17, 5).getTime();
let n = 0;
const line = (from: string, text: string, over: Partial<ChatLine> = {}): ChatLine => ({ id: `l${++n}`, from, text, time: at, self: false, kind: 'privmsg', ...over });

test('markup in chat text is escaped with backslashes: no HTML, entities, links, images or emphasis', () => {
  assert.equal(escapeMarkdown('<img src=x onerror=alert(1)>'), '\\<img src=x onerror=alert(1)>');
  assert.equal(escapeMarkdown('[click](http://evil) ![i](x) *a* _b_ `c` ~~d~~ a|b \\'), '\\[click\\](http://evil) !\\[i\\](x) \\*a\\* \\_b\\_ \\`c\\` \\~\\~d\\~\\~ a\\|b \\\\');
  assert.equal(escapeMarkdown('&amp; stays literal'), '\\&amp; stays literal');
});

// What a reader sees: the transcript rendered by markdown-it (VS Code's Markdown preview), HTML on.
test('rendered, hostile chat text is exactly the text that was typed, and no markup of its own', () => {
  const hostile = [
    '<img src=x onerror=alert(1)> <b>bold</b> <https://evil.example> &amp; &#60;script&#62;',
    '[click](http://evil) ![i](x) *a* __b__ `c` ~~d~~ a|b \\ | x |',
    'first\n# heading\n> quote\n===\n- item\n1. one\n<div>block</div>\n```\nfence',
  ];
  const md = new MarkdownIt({ html: true, linkify: false });
  const html = md.render(renderTranscript('#g', hostile.map((t) => line('eve', t)), new Date(at)));
  const tags = new Set([...html.matchAll(/<\/?([a-z0-9]+)/g)].map((m) => m[1]));
  assert.deepEqual([...tags].sort(), ['br', 'code', 'h1', 'li', 'strong', 'ul'], html);
  assert.equal((html.match(/<h1>/g) ?? []).length, 1, 'only the transcript title is a heading');
  const decode = (s: string) => s.replace(/<br>\n?/g, '\n').replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  for (const text of hostile) assert.ok(decode(html).includes(`eve: ${text}`), `${text}\nnot found in:\n${decode(html)}`);
});

test('nicks are code spans, even with backticks in them', () => {
  assert.equal(codeSpan('bob'), '`bob`');
  assert.equal(codeSpan('a`b'), '`` a`b ``');
  assert.equal(codeSpan('`x'), '`` `x ``');
});

test('one list item per message: time, nick, escaped text; events in italics; continuation lines cannot start blocks', () => {
  const md = renderTranscript('#general', [
    line('bob', 'hi *all*\n# title\n1. item\n- dash'),
    line('al_ice', 'waves', { kind: 'action' }),
    line('', 'carol joined', { kind: 'event' }),
    line('me', 'lost', { self: true, state: 'failed' }),
  ], new Date(at), '127.0.0.1:6667');
  const lines = md.split('\n');
  assert.equal(lines[0], '# #general — 2026-11-30');
  assert.ok(lines.includes('Saved from 127.0.0.1:6667 at 17:05.'), md);
  assert.ok(lines.includes('- **17:05** `bob`: hi \\*all\\*  '), md);
  assert.ok(lines.includes('  \\# title  '), md);
  assert.ok(lines.includes('  1\\. item  '), md);
  assert.ok(lines.includes('  \\- dash'), md);
  assert.ok(lines.includes('- **17:05** \\* `al_ice` waves'), md);
  assert.ok(lines.includes('- **17:05** _carol joined_'), md);
  assert.ok(lines.includes('- **17:05** `me`: lost _(not delivered)_'), md);
});

test('snippets become fenced code with their file and lines; fences inside cannot close the block', () => {
  const snippet = { path: 'src/a.ts', startLine: 3, endLine: 5, language: 'ts', code: 'a\n```\nb' };
  const md = renderTranscript('#g', [line('bob', 'wire form', { snippet })], new Date(at));
  assert.ok(md.includes('- **17:05** `bob`: `src/a.ts:3-5`\n  ````ts\n  a\n  ```\n  b\n  ````\n'), md);
});

test('a transcript spanning days gets a heading per day', () => {
  const yesterday = at - 86_400_000;
  const md = renderTranscript('#g', [line('a', 'old', { time: yesterday }), line('b', 'new')], new Date(at));
  assert.match(md, /## 2026-11-29\n\n- \*\*17:05\*\* `a`: old\n\n## 2026-11-30\n\n- \*\*17:05\*\* `b`: new/);
});

test('file names come from the conversation and the day, cannot leave the folder, and never overwrite', () => {
  const day = new Date(2026, 10, 30);
  assert.equal(transcriptFileName('#general', day), 'general-2026-11-30.md');
  assert.equal(transcriptFileName('#../../etc/passwd', day), 'etc-passwd-2026-11-30.md');
  assert.equal(transcriptFileName('#..', day), 'room-2026-11-30.md');
  assert.equal(transcriptFileName('#café', day), 'café-2026-11-30.md');
  assert.equal(transcriptFileName('bob', day), 'bob-2026-11-30.md');
  assert.equal(numberedFileName('g-2026-11-30.md', 1), 'g-2026-11-30.md');
  assert.equal(numberedFileName('g-2026-11-30.md', 3), 'g-2026-11-30-3.md');
});

test('history and the view merge by id in time order', () => {
  const a = line('a', '1', { id: 'x', time: 1 });
  const b = line('b', '2', { id: 'y', time: 2 });
  const c = line('c', '3', { id: 'z', time: 3 });
  assert.deepEqual(mergeLines([a, c], [b, c]).map((l) => l.id), ['x', 'y', 'z']);
});

test('the transcript adds the day\'s earlier messages the client holds, not those before the day or a clear', () => {
  const msg = (id: string, time: number) => ({ target: '#g', from: 'al', text: id, time: new Date(time), self: false, kind: 'privmsg' as const, msgid: id });
  const view = [line('al', 'shown', { id: 'v', time: at })];
  const held = [msg('yesterday', at - 86_400_000), msg('morning', at - 3_600_000), msg('v', at)];
  const dayStart = at - 17 * 3_600_000;
  assert.deepEqual(withEarlierMessages(view, held, dayStart, 'me').map((l) => l.text), ['morning', 'shown']);
  assert.deepEqual(withEarlierMessages(view, held, at - 60_000, 'me').map((l) => l.text), ['shown'], 'cleared a minute ago');
});
