// Snapshots for the view's tests: a busy room with 10,000 lines over several days, hostile text,
// a snippet, links, mentions, actions, events and own lines in every delivery state.
import type { ChatLine, Snapshot } from '../../src/webview/messages.ts';

export const HOSTILE = '<img src=x onerror=alert(1)>';

export function manyLines(count: number, end: number, idPrefix = 'm'): ChatLine[] {
  const nicks = ['bob', 'carol', 'dave', 'alice'];
  const lines: ChatLine[] = [];
  // Spread over ~4 days, a line every ~40 s, so there are day separators and groups.
  for (let i = 0; i < count; i++) {
    const from = nicks[Math.floor(i / 3) % nicks.length] ?? 'bob';
    const time = end - (count - i) * 37_000;
    const kind: ChatLine['kind'] = i % 97 === 0 ? 'event' : i % 89 === 0 ? 'action' : 'privmsg';
    const text = kind === 'event' ? `${from} joined` : kind === 'action' ? 'waves' : `message number ${i} from ${from}${i % 7 === 0 ? ' with a longer tail that wraps onto the next line in a narrow sidebar' : ''}`;
    lines.push({ id: `${idPrefix}${i}`, from, text, time, self: from === 'alice', kind, ...(from === 'alice' ? { state: 'delivered' as const } : {}) });
  }
  return lines;
}

export function tailLines(end: number): ChatLine[] {
  const t = (s: number): number => end - s * 1000;
  return [
    { id: 'hostile', from: 'mallory', text: `look: ${HOSTILE} and <b>bold</b>`, time: t(300), self: false, kind: 'privmsg' },
    { id: 'js', from: 'mallory', text: 'click javascript:alert(1) or https://example.com/docs?q=1.', time: t(290), self: false, kind: 'privmsg' },
    { id: 'mention', from: 'bob', text: 'alice, can you review the PR?', time: t(200), self: false, kind: 'privmsg', mention: true },
    { id: 'snip', from: 'bob', text: '```ts\nconst x = 1;\n```', time: t(150), self: false, kind: 'privmsg',
      snippet: { path: 'src/server/main.ts', startLine: 10, endLine: 12, language: 'ts', code: 'const server = listen(port);\nserver.on("error", fail);\nawait ready;' } },
    { id: 'act', from: 'carol', text: 'is deploying', time: t(120), self: false, kind: 'action' },
    { id: 'ev', from: 'dave', text: 'dave left (see you)', time: t(110), self: false, kind: 'event' },
    { id: 'own1', from: 'alice', text: 'sure, on it', time: t(100), self: true, kind: 'privmsg', state: 'delivered' },
    { id: 'own2', from: 'alice', text: 'first\nsecond line', time: t(90), self: true, kind: 'privmsg', state: 'stored' },
    { id: 'own3', from: 'alice', text: 'this one failed', time: t(80), self: true, kind: 'privmsg', state: 'failed', reason: 'Cannot send to channel (+m)' },
    { id: 'own4', from: 'alice', text: 'sending…', time: t(70), self: true, kind: 'privmsg', state: 'pending' },
  ];
}

export function busySnapshot(lineCount: number, end = Date.UTC(2026, 10, 30, 15, 0, 0)): Snapshot {
  return {
    connection: { state: 'connected', server: '127.0.0.1:6667', nick: 'alice' },
    self: { nick: 'alice', status: 'online' },
    conversations: [
      { id: '#general', name: '#general', kind: 'room', joined: true, unread: 0, mentions: 0, topic: 'Release 0.2 on Friday — <script>alert(1)</script>' },
      { id: '#random', name: '#random', kind: 'room', joined: true, unread: 12, mentions: 2 },
      { id: '#old', name: '#old', kind: 'room', joined: false, unread: 0, mentions: 0 },
      { id: 'bob', name: 'bob', kind: 'dm', joined: true, unread: 1, mentions: 0, presence: 'away' },
      { id: 'carol', name: 'carol', kind: 'dm', joined: true, unread: 0, mentions: 0, presence: 'busy' },
    ],
    active: '#general',
    members: [
      { nick: 'alice', prefix: '@', presence: 'online' },
      { nick: 'bob', prefix: '+', presence: 'away', statusMessage: 'lunch' },
      { nick: 'carol', prefix: '', presence: 'busy', statusMessage: 'in a meeting' },
      { nick: 'dave', prefix: '', presence: 'offline' },
      { nick: 'mallory', prefix: '', presence: 'online' },
      { nick: 'ci-bot', prefix: '', presence: 'online', bot: true },
    ],
    lines: [...manyLines(lineCount, end - 400_000), ...tailLines(end)],
    hasOlder: true,
    typing: ['bob'],
  };
}
