// The webview never parses strings as HTML: network text is set with textContent / text nodes only.
// This fails if any HTML-parsing DOM API appears in the webview's sources.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const FORBIDDEN = /\b(innerHTML|outerHTML|insertAdjacentHTML|createContextualFragment|document\.write(ln)?|DOMParser|parseHTMLUnsafe|setHTMLUnsafe|srcdoc)\b/;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : /\.(ts|js|mjs)$/.test(name) ? [p] : [];
  });
}

test('no HTML-parsing APIs in src/webview', () => {
  const files = sources(join(repo, 'src/webview'));
  assert.ok(files.length > 5, 'found the webview sources');
  const hits: string[] = [];
  for (const file of files) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (FORBIDDEN.test(line)) hits.push(`${relative(repo, file)}:${i + 1}: ${line.trim()}`);
      });
  }
  assert.deepEqual(hits, []);
});

test('no inline style attributes built from strings either (the CSP refuses them)', () => {
  const hits = sources(join(repo, 'src/webview')).filter((f) => /setAttribute\(\s*['"]style['"]|\.style\.cssText\s*=/.test(readFileSync(f, 'utf8')));
  assert.deepEqual(hits, []);
});

test('media/chat.css takes every colour from the theme (--vscode-* variables)', () => {
  const css = readFileSync(join(repo, 'media/chat.css'), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
  assert.deepEqual(css.match(/#[0-9a-f]{3,8}\b|\b(rgba?|hsla?)\(/gi) ?? [], [], 'no hard-coded colours');
  const vars = [...css.matchAll(/var\(\s*(--[\w-]+)/g)].map((m) => m[1]);
  assert.ok(vars.length > 20);
  assert.deepEqual(vars.filter((v) => !v?.startsWith('--vscode-')), [], 'only VS Code theme variables');
});
