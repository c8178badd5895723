// The Chat view in a real browser (headless Chromium through playwright-core): the bundle from
// src/webview/main.ts, served with the same kind of strict CSP the extension uses, a stub
// acquireVsCodeApi that records what the view posts, and --vscode-* theme variables for dark and light.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { ChatLine, Snapshot, ToWebview } from '../../src/webview/messages.ts';
import { busySnapshot, HOSTILE, manyLines } from './fixtures.ts';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const results = join(repo, 'test-results');
const CHROMIUM = process.env['CHROMIUM'] ?? '/usr/bin/chromium';
const NONCE = 'dGVzdG5vbmNl';

const THEMES = {
  dark: {
    'font-family': 'system-ui, sans-serif', 'font-size': '13px', 'editor-font-family': 'monospace', 'editor-font-size': '12px',
    foreground: '#cccccc', 'sideBar-background': '#181818', descriptionForeground: '#9d9d9d', disabledForeground: '#6b6b6b',
    focusBorder: '#0078d4', errorForeground: '#f85149', 'textLink-foreground': '#4daafc', 'textLink-activeForeground': '#4daafc',
    'badge-background': '#616161', 'badge-foreground': '#f8f8f8', 'activityBarBadge-background': '#0078d4', 'activityBarBadge-foreground': '#ffffff',
    'charts-green': '#89d185', 'charts-yellow': '#cca700', 'charts-red': '#f14c4c',
    'list-hoverBackground': '#2a2d2e', 'list-inactiveSelectionBackground': '#37373d', 'widget-border': '#313131',
    'input-background': '#313131', 'input-foreground': '#cccccc', 'input-border': '#3c3c3c', 'input-placeholderForeground': '#989898',
    'button-background': '#0078d4', 'button-foreground': '#ffffff', 'button-hoverBackground': '#026ec1',
    'button-secondaryBackground': '#313131', 'button-secondaryForeground': '#cccccc', 'button-secondaryHoverBackground': '#3c3c3c',
    'textCodeBlock-background': '#2b2b2b', 'editor-foreground': '#cccccc', 'editorGroupHeader-tabsBackground': '#1f1f1f',
    'editor-findMatchHighlightBackground': 'rgba(234, 92, 0, 0.33)', 'inputValidation-errorBackground': '#5a1d1d', 'inputValidation-errorBorder': '#be1100',
    'sideBarSectionHeader-foreground': '#cccccc', 'sideBarSectionHeader-border': '#2b2b2b', 'toolbar-hoverBackground': 'rgba(90, 93, 94, 0.31)',
  },
  light: {
    'font-family': 'system-ui, sans-serif', 'font-size': '13px', 'editor-font-family': 'monospace', 'editor-font-size': '12px',
    foreground: '#3b3b3b', 'sideBar-background': '#f8f8f8', descriptionForeground: '#717171', disabledForeground: '#a0a0a0',
    focusBorder: '#005fb8', errorForeground: '#f85149', 'textLink-foreground': '#005fb8', 'textLink-activeForeground': '#005fb8',
    'badge-background': '#cccccc', 'badge-foreground': '#3b3b3b', 'activityBarBadge-background': '#005fb8', 'activityBarBadge-foreground': '#ffffff',
    'charts-green': '#388a34', 'charts-yellow': '#bf8803', 'charts-red': '#e51400',
    'list-hoverBackground': '#f2f2f2', 'list-inactiveSelectionBackground': '#e4e6f1', 'widget-border': '#e5e5e5',
    'input-background': '#ffffff', 'input-foreground': '#3b3b3b', 'input-border': '#cecece', 'input-placeholderForeground': '#767676',
    'button-background': '#005fb8', 'button-foreground': '#ffffff', 'button-hoverBackground': '#0258a8',
    'button-secondaryBackground': '#e5e5e5', 'button-secondaryForeground': '#3b3b3b', 'button-secondaryHoverBackground': '#cccccc',
    'textCodeBlock-background': '#f0f0f0', 'editor-foreground': '#3b3b3b', 'editorGroupHeader-tabsBackground': '#f8f8f8',
    'editor-findMatchHighlightBackground': 'rgba(234, 92, 0, 0.2)', 'inputValidation-errorBackground': '#f2dede', 'inputValidation-errorBorder': '#be1100',
    'sideBarSectionHeader-foreground': '#3b3b3b', 'sideBarSectionHeader-border': '#e5e5e5', 'toolbar-hoverBackground': 'rgba(184, 184, 184, 0.31)',
  },
} as const;
type Theme = keyof typeof THEMES;

function themeCss(theme: Theme): string {
  const vars = Object.entries(THEMES[theme]).map(([k, v]) => `  --vscode-${k}: ${v};`);
  return `html {\n${vars.join('\n')}\n}\n`;
}

// The stub VS Code API: posts are recorded; saved state round-trips through sessionStorage so a
// reload (the view hidden and shown) finds it, as VS Code's getState would.
const STUB = `
window.__posts = [];
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(
  { directive: e.violatedDirective, sample: e.sample, line: e.lineNumber, column: e.columnNumber }));
window.acquireVsCodeApi = () => ({
  postMessage: (m) => window.__posts.push(JSON.parse(JSON.stringify(m))),
  getState: () => { const s = sessionStorage.getItem('state'); return s ? JSON.parse(s) : undefined; },
  setState: (s) => sessionStorage.setItem('state', JSON.stringify(s)),
});`;

function page(theme: Theme): string {
  const csp = `default-src 'none'; style-src 'self'; font-src 'self'; img-src 'self'; script-src 'nonce-${NONCE}'`;
  return `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<link rel="stylesheet" href="/theme-${theme}.css"><link rel="stylesheet" href="/chat.css"><title>Chat</title></head>
<body><div id="app"></div><script nonce="${NONCE}" src="/stub.js"></script><script nonce="${NONCE}" src="/webview.js"></script></body></html>`;
}

const skip = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (Debian package "chromium")`;

describe('the Chat view in a browser', { skip, timeout: 120_000 }, () => {
  let server: Server;
  let base: string;
  let browser: Browser;
  let tab: Page;
  const problems: string[] = [];

  before(async () => {
    const bundle = await esbuild.build({
      entryPoints: [join(repo, 'src/webview/main.ts')], bundle: true, write: false, format: 'iife', platform: 'browser', target: 'es2022', logLevel: 'silent',
    });
    const js = bundle.outputFiles[0]?.text ?? '';
    const files: Record<string, [string, string]> = {
      '/webview.js': ['text/javascript', js],
      '/stub.js': ['text/javascript', STUB],
      '/chat.css': ['text/css', readFileSync(join(repo, 'media/chat.css'), 'utf8')],
      '/theme-dark.css': ['text/css', themeCss('dark')],
      '/theme-light.css': ['text/css', themeCss('light')],
    };
    server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const theme = /^\/(dark|light)$/.exec(path)?.[1] as Theme | undefined;
      const file = theme ? (['text/html', page(theme)] as const) : files[path];
      if (!file) return void res.writeHead(path === '/favicon.ico' ? 204 : 404).end();
      res.writeHead(200, { 'content-type': file[0] }).end(file[1]);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const addr = server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--headless'] });
    tab = await browser.newPage({ viewport: { width: 320, height: 760 } });
    tab.on('console', (m) => {
      // CSP reports are checked through securitypolicyviolation events (cspViolations) instead.
      if (m.type() === 'error' && !/Content Security Policy/.test(m.text())) problems.push(m.text());
    });
    tab.on('pageerror', (e) => problems.push(String(e)));
    mkdirSync(results, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await new Promise((r) => server?.close(r));
  });

  async function open(theme: Theme, fresh = true): Promise<void> {
    if (fresh) await tab.goto(`${base}/${theme}`).then(() => tab.evaluate('sessionStorage.clear()'));
    await tab.goto(`${base}/${theme}`);
    await tab.waitForFunction('window.__posts.some((m) => m.type === "ready")');
  }
  const send = (m: ToWebview): Promise<unknown> =>
    tab.evaluate((msg) => (globalThis as unknown as { postMessage(m: unknown, origin: string): void }).postMessage(msg, '*'), m as unknown);
  const posts = async (type?: string): Promise<Array<Record<string, unknown>>> => {
    const all = (await tab.evaluate('window.__posts')) as Array<Record<string, unknown>>;
    return type ? all.filter((m) => m['type'] === type) : all;
  };
  /**
   * CSP violations, except the one the toolkit causes on purpose: FAST appends an empty <style> to
   * test :focus-visible support and falls back when the CSP refuses it (harmless, also in VS Code).
   */
  const cspViolations = async (): Promise<unknown[]> => {
    const all = (await tab.evaluate('window.__violations')) as Array<{ directive: string; sample: string }>;
    return all.filter((v) => !(v.directive === 'style-src-elem' && v.sample === ''));
  };
  const count = async (selector: string): Promise<number> => tab.locator(selector).count();
  const frames = (n = 3): Promise<unknown> =>
    tab.evaluate(`new Promise((r) => { let i = ${n}; const f = () => (--i ? requestAnimationFrame(f) : r()); requestAnimationFrame(f); })`);
  const snapshot = async (s: Snapshot): Promise<void> => {
    await send({ type: 'snapshot', snapshot: s });
    await frames();
  };

  it('renders 10,000 lines with a bounded DOM, hostile text as text, and no HTML from the network', async () => {
    await open('dark');
    const snap = busySnapshot(10_000);
    // Timed inside the page: from the message to the end of the next frame (a figure, not an assertion).
    const ms = await tab.evaluate(`new Promise((resolve) => {
      const msg = { type: 'snapshot', snapshot: JSON.parse(${JSON.stringify(JSON.stringify(snap))}) };
      const t0 = performance.now();
      window.addEventListener('message', () => requestAnimationFrame(() => resolve(performance.now() - t0)), { once: true });
      window.postMessage(msg, '*');
    })`);
    console.log(`10,000-line snapshot drawn in ${Number(ms).toFixed(0)} ms`);
    await frames();
    await tab.locator('.line[data-id="own4"]').waitFor();
    const lines = await count('.line');
    assert.ok(lines > 5 && lines < 200, `rendered line elements stay bounded: ${lines}`);
    const hostile = await tab.locator('.line[data-id="hostile"] .text').textContent();
    assert.equal(hostile, `look: ${HOSTILE} and <b>bold</b>`);
    assert.equal(await count('img'), 0, 'no <img> from message text');
    assert.equal(await count('.messages b'), 0, 'no <b> from message text');
    assert.equal(await count('script:not([nonce])'), 0, 'no script from the topic');
    assert.match((await tab.locator('.topic').textContent()) ?? '', /<script>alert\(1\)<\/script>/);
    assert.equal(await tab.evaluate('window.__alerted === true'), false);
    await tab.screenshot({ path: join(results, 'webview-dark.png') });
  });

  it('exposes the stable hooks the e2e tests use', async () => {
    assert.equal(await tab.locator('.connection').getAttribute('data-state'), 'connected');
    assert.match((await tab.locator('.status .connection').textContent()) ?? '', /Connected as alice/);
    assert.equal(await tab.locator('.conversation[aria-current="true"]').getAttribute('data-conversation'), '#general');
    assert.equal(await count('.conversation'), 5);
    assert.equal(await tab.locator('[data-nick="carol"]').getAttribute('data-presence'), 'busy');
    assert.equal(await tab.locator('[data-nick="carol"] .member-nick').textContent(), 'carol');
    // Busy in words beside the nick, not only the dot's colour (WCAG 1.4.1); the dot has its own shape.
    assert.equal(await tab.locator('[data-nick="carol"] .member-status').textContent(), 'busy: in a meeting');
    const shape = (nick: string) => tab.locator(`[data-nick="${nick}"]`).evaluate((e) => e.ownerDocument.defaultView!.getComputedStyle(e, "::before").backgroundImage);
    assert.notEqual(await shape('carol'), 'none', 'busy has a bar across its dot');
    assert.match((await tab.locator('[data-nick="carol"]').getAttribute('aria-label')) ?? '', /busy: in a meeting/);
    for (const [id, state] of [['own1', 'delivered'], ['own2', 'stored'], ['own3', 'failed'], ['own4', 'pending']]) {
      assert.equal(await tab.locator(`.line[data-id="${id}"]`).getAttribute('data-state'), state, id);
    }
    assert.equal(await tab.locator('.line[data-id="own1"]').getAttribute('data-from'), 'alice');
    assert.match((await tab.locator('.line[data-id="own2"]').textContent()) ?? '', /will be delivered when they're back/i);
    assert.match((await tab.locator('.line[data-id="own3"]').textContent()) ?? '', /Cannot send to channel \(\+m\)/);
    assert.equal(await tab.locator('.line[data-id="snip"] .snippet .snippet-open').textContent(), 'src/server/main.ts:10-12');
    assert.match((await tab.locator('.typing').textContent()) ?? '', /bob is typing…/);
    assert.equal(await tab.locator('.messages').getAttribute('aria-live'), 'polite');
    assert.equal(await count('.composer-input'), 1);
    // The member list collapses (and says so to screen readers); more of the chat shows.
    await tab.locator('.members-toggle').click();
    assert.equal(await tab.locator('.members-toggle').getAttribute('aria-expanded'), 'false');
    assert.equal(await tab.locator('.member-list').isVisible(), false);
    await frames();
    await tab.screenshot({ path: join(results, 'webview-dark-members-collapsed.png') });
    await tab.locator('.members-toggle').click();
    assert.equal(await tab.locator('.member-list').isVisible(), true);
  });

  it('posts the right messages for clicks: links, snippets, retry, members, conversations, status', async () => {
    const links = tab.locator('.line[data-id="js"] .link');
    assert.equal(await links.count(), 1, 'only the https URL is a link, not javascript:');
    await links.click();
    await tab.locator('.line[data-id="snip"] .snippet-open').click();
    await tab.locator('.line[data-id="own3"] .retry').click();
    await tab.locator('[data-nick="bob"]').click();
    await tab.locator('.conversation[data-conversation="#random"]').click();
    await tab.locator('.self-status').click();
    assert.deepEqual(await posts('openLink'), [{ type: 'openLink', url: 'https://example.com/docs?q=1' }]);
    assert.deepEqual(await posts('openSnippet'), [{ type: 'openSnippet', path: 'src/server/main.ts', line: 10, conversation: '#general', id: 'snip' }]);
    assert.deepEqual(await posts('retry'), [{ type: 'retry', conversation: '#general', id: 'own3' }]);
    assert.deepEqual(await posts('openDm'), [{ type: 'openDm', nick: 'bob' }]);
    assert.deepEqual(await posts('open'), [{ type: 'open', conversation: '#random' }]);
    assert.deepEqual(await posts('run'), [{ type: 'run', command: 'setStatus' }]);
    // Keyboard: arrow down from the active conversation, Enter opens the next one.
    await tab.locator('.conversation[data-conversation="#general"]').focus();
    await tab.keyboard.press('ArrowDown');
    await tab.keyboard.press('Enter');
    assert.deepEqual((await posts('open')).at(-1), { type: 'open', conversation: '#random' });
    // Members too: the list is one Tab stop; arrows move, Enter opens a DM.
    await tab.locator('.member[tabindex="0"]').focus();
    await tab.keyboard.press('End');
    await tab.keyboard.press('ArrowUp');
    await tab.keyboard.press('Enter');
    assert.deepEqual((await posts('openDm')).at(-1), { type: 'openDm', nick: 'bob' }, 'sorted online, busy, away, offline: bob (away) is second to last');
    assert.equal(await count('.member[tabindex="0"]'), 1);
  });

  it('the composer: Enter sends, Shift+Enter a new line, Escape clears, typing notifications', async () => {
    const input = tab.locator('.composer-input');
    await input.click();
    await input.pressSequentially('hello');
    await tab.keyboard.press('Shift+Enter');
    await input.pressSequentially('world');
    assert.equal(await input.inputValue(), 'hello\nworld');
    await tab.keyboard.press('Enter');
    assert.equal(await input.inputValue(), '');
    assert.deepEqual(await posts('send'), [{ type: 'send', conversation: '#general', text: 'hello\nworld' }]);
    const typing = (await posts('typing')).map((m) => m['state']);
    assert.deepEqual(typing, ['active', 'done'], 'one active while typing (throttled), done on send');
    await input.pressSequentially('draft');
    await tab.keyboard.press('Escape');
    assert.equal(await input.inputValue(), '');
    assert.deepEqual((await posts('typing')).map((m) => m['state']).slice(-2), ['active', 'done']);
  });

  it('scrolling to the top posts loadOlder once, and a prepended page keeps the scroll position', async () => {
    await tab.evaluate(`(() => { const s = document.querySelector('.messages'); s.scrollTop = 0; s.dispatchEvent(new Event('scroll')); })()`);
    await frames(4);
    for (let i = 0; i < 3; i++) {
      await tab.evaluate(`(() => { const s = document.querySelector('.messages'); s.scrollTop = 0; s.dispatchEvent(new Event('scroll')); })()`);
      await frames(2);
    }
    assert.deepEqual(await posts('loadOlder'), [{ type: 'loadOlder', conversation: '#general' }]);
    // Rows drawn by scrolling are not announced as new messages; the live region comes back after.
    assert.equal(await tab.locator('.messages').getAttribute('aria-live'), 'off');
    await tab.locator('.messages[aria-live="polite"]').waitFor();
    const lines = await count('.line');
    assert.ok(lines < 200, `still bounded at the top: ${lines}`);
    // The first line drawn in the viewport, and where it is on screen.
    const where = `(() => { const s = document.querySelector('.messages').getBoundingClientRect();
      const l = [...document.querySelectorAll('.line')].find((e) => e.getBoundingClientRect().bottom > s.top + 40);
      return { id: l.dataset.id, top: Math.round(l.getBoundingClientRect().top) }; })()`;
    const beforePrepend = (await tab.evaluate(where)) as { id: string; top: number };
    const older = manyLines(300, Date.UTC(2026, 10, 20, 12, 0, 0), 'old');
    await send({ type: 'lines', conversation: '#general', lines: older, position: 'prepend', hasOlder: false });
    await frames(4);
    const top = await tab.locator(`.line[data-id="${beforePrepend.id}"]`).evaluate((e) => Math.round(e.getBoundingClientRect().top));
    assert.ok(Math.abs(top - beforePrepend.top) <= 2, `line ${beforePrepend.id} stays put: ${beforePrepend.top} → ${top}`);
    assert.equal((await posts('loadOlder')).length, 1, 'no second loadOlder without scrolling');
  });

  it('new lines while scrolled up show the jump button; at the bottom they are followed', async () => {
    await send({ type: 'lines', conversation: '#general', lines: [{ id: 'n1', from: 'bob', text: 'new one', time: Date.UTC(2026, 10, 30, 15, 1), self: false, kind: 'privmsg' }], position: 'append' });
    await frames();
    assert.equal(await tab.locator('.jump-new').isVisible(), true, 'jump button shown');
    await tab.locator('.jump-new').click();
    await frames(4);
    await tab.locator('.line[data-id="n1"]').waitFor();
    await send({ type: 'lines', conversation: '#general', lines: [{ id: 'n2', from: 'bob', text: 'another', time: Date.UTC(2026, 10, 30, 15, 2), self: false, kind: 'privmsg' }], position: 'append' });
    await frames(4);
    assert.equal(await tab.locator('.line[data-id="n2"]').isVisible(), true, 'followed at the bottom');
    assert.equal(await tab.locator('.jump-new').isVisible(), false);
    await send({ type: 'lineState', conversation: '#general', id: 'own4', newId: 'srv-4', state: 'delivered' });
    await frames();
    assert.equal(await tab.locator('.line[data-id="srv-4"]').getAttribute('data-state'), 'delivered');
    assert.equal(await count('.line[data-id="own4"]'), 0);
    // Unread lines in the open conversation while it is visible at the bottom: read.
    const convs = busySnapshot(0).conversations.map((c) => (c.id === '#general' ? { ...c, unread: 2, mentions: 1 } : c));
    await send({ type: 'conversations', conversations: convs });
    await frames();
    assert.deepEqual(await posts('markRead'), [{ type: 'markRead', conversation: '#general' }]);
    assert.equal(await tab.locator('.conversation[data-conversation="#general"] .mention-badge').textContent(), '@1');
  });

  it('keeps its state across hide/show (reload with the saved state, before any snapshot)', async () => {
    await frames(2);
    await tab.waitForTimeout(300); // the view coalesces setState calls for 200 ms
    await tab.reload();
    await tab.locator('.line[data-id="n2"]').waitFor();
    assert.match((await tab.locator('.status .connection').textContent()) ?? '', /Connected as alice/);
    const saved = (await tab.evaluate('JSON.parse(sessionStorage.getItem("state"))')) as { snapshot: Snapshot };
    assert.ok(saved.snapshot.lines.length <= 200, `bounded saved state: ${saved.snapshot.lines.length}`);
    assert.deepEqual(problems, [], 'no errors');
    assert.deepEqual(await cspViolations(), [], 'nothing the CSP refuses');
  });

  it('comes back scrolled where it was (saved anchor), also after the fresh snapshot', async () => {
    await snapshot(busySnapshot(10_000));
    await tab.evaluate(`(() => { const s = document.querySelector('.messages'); s.scrollTop = s.scrollHeight - s.clientHeight - 1500; })()`);
    await frames(3);
    const where = `(() => { const s = document.querySelector('.messages').getBoundingClientRect();
      const l = [...document.querySelectorAll('.line')].find((e) => e.getBoundingClientRect().top >= s.top);
      return { id: l.dataset.id, top: Math.round(l.getBoundingClientRect().top) }; })()`;
    const before = (await tab.evaluate(where)) as { id: string; top: number };
    await tab.waitForTimeout(300); // the view coalesces setState calls for 200 ms
    await tab.reload();
    await frames(3);
    const line = tab.locator(`.line[data-id="${before.id}"]`);
    const topOf = () => line.evaluate((e) => Math.round(e.getBoundingClientRect().top));
    assert.ok(Math.abs((await topOf()) - before.top) <= 2, `restored from the saved state: ${before.top} vs ${await topOf()}`);
    await snapshot(busySnapshot(10_000));
    assert.ok(Math.abs((await topOf()) - before.top) <= 2, `kept after the snapshot: ${before.top} vs ${await topOf()}`);
  });

  it('message actions: hover or keyboard shows React, Reply, Copy, Delete; reactions with who; a reply quotes and jumps', async () => {
    await open('dark');
    const t = Date.UTC(2026, 10, 30, 15, 0, 0);
    const base = busySnapshot(0);
    const lines: ChatLine[] = [
      { id: 'p1', msgid: 'p1', from: 'bob', text: 'the deploy is at noon', time: t - 60_000, self: false, kind: 'privmsg',
        reactions: [{ reaction: '👍', nicks: ['carol', 'alice'], mine: true }, { reaction: '🎉', nicks: ['bob'], mine: false }] },
      { id: 'r1', msgid: 'r1', from: 'carol', text: 'ok', time: t - 30_000, self: false, kind: 'privmsg', replyTo: { id: 'p1', from: 'bob', text: 'the deploy is at noon' } },
      { id: 'r2', msgid: 'r2', from: 'carol', text: 'and this?', time: t - 20_000, self: false, kind: 'privmsg', replyTo: { id: 'gone' } },
      { id: 'own', msgid: 'own', from: 'alice', text: 'mine', time: t - 10_000, self: true, kind: 'privmsg', state: 'delivered' },
      { id: 'd1', msgid: 'd1', from: 'bob', text: 'This message was deleted.', time: t - 5_000, self: false, kind: 'privmsg', deleted: true },
      { id: 'code', msgid: 'code', from: 'carol', text: 'run `npm test` on https://ci.example.com\n```ts\nconst b = "<b>x</b>";\n```', time: t - 1_000, self: false, kind: 'privmsg' },
    ];
    const connected = { state: 'connected', server: '127.0.0.1:6667', nick: 'alice', features: ['react', 'reply', 'delete'] } as const;
    // As a plain member (no @): Delete only on my own message.
    await snapshot({ ...base, connection: connected, members: base.members.map((m) => (m.nick === 'alice' ? { ...m, prefix: '' } : m)), lines, typing: [] });
    await tab.locator('.line[data-id="p1"]').hover();
    assert.equal(await tab.locator('.line[data-id="p1"] .line-actions').evaluate((e) => e.ownerDocument.defaultView!.getComputedStyle(e).opacity), '1', 'hover shows the actions');
    const names = (id: string) => tab.locator(`.line[data-id="${id}"] .line-action`).evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    assert.deepEqual(await names('p1'), ['React', 'Reply', 'Copy text']);
    assert.deepEqual(await names('own'), ['React', 'Reply', 'Copy text', 'Delete message']);
    assert.deepEqual(await names('d1'), [], 'a deleted message offers nothing');
    assert.equal(await tab.locator('.line[data-id="p1"] .line-actions').getAttribute('role'), 'toolbar');
    // Reactions: count, who (tooltip and accessible name), mine pressed; a click toggles mine.
    const thumbs = tab.locator('.line[data-id="p1"] .reaction[data-reaction="👍"]');
    assert.equal(await thumbs.textContent(), '👍2');
    assert.equal(await thumbs.getAttribute('title'), 'carol and you');
    assert.equal(await thumbs.getAttribute('aria-pressed'), 'true');
    assert.match((await thumbs.getAttribute('aria-label')) ?? '', /👍 2 reactions from carol and you\. Click to take yours back/);
    await thumbs.click();
    await tab.locator('.line[data-id="p1"]').hover();
    await tab.locator('.line[data-id="p1"] .line-action[aria-label="React"]').click();
    await tab.locator('.message-bar .reaction-choice', { hasText: '🎉' }).click();
    await tab.locator('.line[data-id="own"]').hover();
    await tab.locator('.line[data-id="own"] .line-action[aria-label="React"]').click();
    await tab.locator('.message-bar .reaction-other').fill('🦀');
    await tab.keyboard.press('Enter');
    assert.deepEqual((await posts('react')).map((m) => [m['id'], m['reaction']]), [['p1', '👍'], ['p1', '🎉'], ['own', '🦀']]);
    // Copy and Delete ask the extension (it has the text, and asks before deleting).
    await tab.locator('.line[data-id="own"]').hover();
    await tab.locator('.line[data-id="own"] .line-action[aria-label="Copy text"]').click();
    await tab.locator('.line[data-id="own"] .line-action[aria-label="Delete message"]').click();
    assert.deepEqual(await posts('copyLine'), [{ type: 'copyLine', conversation: '#general', id: 'own' }]);
    assert.deepEqual(await posts('deleteLine'), [{ type: 'deleteLine', conversation: '#general', id: 'own' }]);
    // A reply quotes its parent; a click shows the parent (here on screen), else asks the extension.
    assert.equal(await tab.locator('.line[data-id="r1"] .reply-quote').textContent(), 'bob: the deploy is at noon');
    await tab.locator('.line[data-id="r1"] .reply-quote').click();
    assert.equal(await tab.locator('.line[data-id="p1"]').evaluate((e) => e.classList.contains('highlight')), true);
    await tab.locator('.line[data-id="r2"] .reply-quote').click();
    assert.deepEqual(await posts('jumpTo'), [{ type: 'jumpTo', conversation: '#general', id: 'gone' }]);
    // Keyboard only: Enter on the list picks the last message, arrows move, Tab reaches its actions.
    await tab.locator('.messages').focus();
    await tab.keyboard.press('Enter');
    assert.equal(await tab.evaluate('document.activeElement?.getAttribute("data-id")'), 'code');
    await tab.keyboard.press('ArrowUp');
    await tab.keyboard.press('ArrowUp');
    await tab.keyboard.press('ArrowUp');
    await tab.keyboard.press('ArrowUp');
    assert.equal(await tab.evaluate('document.activeElement?.getAttribute("data-id")'), 'r1');
    assert.equal(await tab.locator('.line[data-id="r1"] .line-actions').evaluate((e) => e.ownerDocument.defaultView!.getComputedStyle(e).opacity), '1', 'focus shows the actions');
    await tab.keyboard.press('Tab');
    await tab.keyboard.press('Tab');
    await tab.keyboard.press('Tab');
    assert.equal(await tab.evaluate('document.activeElement?.getAttribute("aria-label")'), 'Reply');
    await tab.keyboard.press('Enter');
    assert.match((await tab.locator('.message-bar').innerText()) ?? '', /Replying to carol: ok/);
    await tab.keyboard.type('sure');
    await tab.keyboard.press('Enter');
    assert.deepEqual((await posts('send')).at(-1), { type: 'send', conversation: '#general', text: 'sure', replyTo: 'r1' });
    assert.equal(await tab.locator('.message-bar').isVisible(), false, 'the reply bar goes once sent');
    // Code as code: the editor's font, text only (the <b> stays text), links still links outside code.
    assert.equal(await tab.locator('.line[data-id="code"] .inline-code').textContent(), 'npm test');
    assert.equal(await tab.locator('.line[data-id="code"] .code-block').textContent(), 'const b = "<b>x</b>";');
    assert.equal(await tab.locator('.line[data-id="code"] .code-block').getAttribute('data-language'), 'ts');
    assert.equal(await count('.line[data-id="code"] b'), 0);
    assert.equal(await count('.line[data-id="code"] .link'), 1);
    assert.equal(await tab.locator('.line[data-id="code"] .inline-code').evaluate((e) => e.ownerDocument.defaultView!.getComputedStyle(e).fontFamily), 'monospace');
    // A reaction arrives: the line is redrawn with it.
    await send({ type: 'lineUpdate', conversation: '#general', line: { ...lines[3]!, reactions: [{ reaction: '✅', nicks: ['bob'], mine: false }] } });
    await frames();
    assert.equal(await tab.locator('.line[data-id="own"] .reaction').textContent(), '✅1');
    // As the room's operator: Delete on everyone's messages.
    await snapshot({ ...base, connection: connected, lines, typing: [] });
    assert.deepEqual(await names('p1'), ['React', 'Reply', 'Copy text', 'Delete message']);
    // A server without the capabilities (ngircd): only Copy.
    await snapshot({ ...base, lines, typing: [] });
    assert.deepEqual(await names('p1'), ['Copy text']);
    assert.equal(await tab.locator('.line[data-id="p1"] .reaction').first().isDisabled(), true);
    await tab.screenshot({ path: join(results, 'webview-dark-actions.png') });
    assert.deepEqual(problems, [], 'no errors');
  });

  it('looks right in a light theme, and disconnected shows the empty state with an error and actions', async () => {
    await open('light');
    await snapshot({ ...busySnapshot(60), typing: ['bob', 'carol'] });
    await tab.screenshot({ path: join(results, 'webview-light.png') });
    await snapshot({
      ...busySnapshot(0),
      connection: { state: 'disconnected', target: '127.0.0.1:6667', hostPort: 7000, error: { message: 'Could not connect to 127.0.0.1:6667: nothing is listening there.', actions: ['retry', 'host', 'openSettings'] } },
      self: undefined, conversations: [], active: undefined, members: [], lines: [], typing: [],
    });
    assert.equal(await tab.locator('.connection').getAttribute('data-state'), 'disconnected');
    assert.equal(await tab.locator('.status .connection').innerText(), 'Not connected');
    // Where Connect goes and the port Host would use, on a line of its own that wraps (never cut off).
    assert.equal(await tab.locator('.status .connection-target').innerText(), 'Connect goes to 127.0.0.1:6667 · Host uses port 7000');
    const cut = await tab.locator('.status .connection-target').evaluate((e) => e.scrollWidth > e.clientWidth);
    assert.equal(cut, false, 'the offline status line is not cut off');
    await snapshot({ ...busySnapshot(5), connection: { state: 'reconnecting', server: '127.0.0.1:6667', nick: 'alice' } });
    assert.equal(await tab.locator('.composer-input').isDisabled(), true, 'no sending while reconnecting');
    assert.match((await tab.locator('.composer-hint').textContent()) ?? '', /Reconnecting/);
    await snapshot({
      ...busySnapshot(0),
      connection: { state: 'disconnected', error: { message: 'Could not connect to 127.0.0.1:6667: nothing is listening there.', actions: ['retry', 'host', 'openSettings'] } },
      self: undefined, conversations: [], active: undefined, members: [], lines: [], typing: [],
    });
    assert.equal(await tab.locator('.empty-state').isVisible(), true);
    assert.equal(await tab.locator('.composer-input').count(), 1);
    // One set of buttons: the error's (Retry, Host...); the empty state's Connect/Host step aside.
    assert.equal(await tab.locator('.empty-state .actions').isVisible(), false, 'no second Connect beside Retry');
    assert.equal(await tab.locator('vscode-button:visible', { hasText: 'Retry' }).count(), 1);
    await tab.locator('.error-actions vscode-button', { hasText: 'Retry' }).click();
    await tab.locator('.error-actions vscode-button', { hasText: 'Host' }).click();
    assert.deepEqual((await posts('run')).map((m) => m['command']), ['retry', 'host']);
    await tab.screenshot({ path: join(results, 'webview-light-disconnected.png') });
    await open('dark');
    await snapshot({ ...busySnapshot(0), connection: { state: 'disconnected' }, self: undefined, conversations: [], active: undefined, members: [], lines: [], typing: [] });
    await tab.screenshot({ path: join(results, 'webview-dark-disconnected.png') });
    assert.deepEqual(problems, [], 'no errors');
    assert.deepEqual(await cspViolations(), [], 'nothing the CSP refuses');
  });
});
