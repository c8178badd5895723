// The client core (src/extension/client) has no import cycles, type-only imports included: each
// file can be read, and tested, knowing only what it imports. A cycle fails here with its path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const DIR = join(import.meta.dirname, '../../../src/extension/client');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every module a file names: `import … from`, `export … from`, `import type`, and `import('…')` in types. */
export function importsOf(text: string): string[] {
  const specs: string[] = [];
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|\s)\/\/.*$/gm, '$1');
  for (const m of code.matchAll(/\b(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g)) specs.push(m[1]!);
  for (const m of code.matchAll(/\bimport\s*['"]([^'"]+)['"]/g)) specs.push(m[1]!);
  for (const m of code.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g)) specs.push(m[1]!);
  return specs;
}

/** The import graph of the folder: file → files of the folder it imports. */
function graph(): Map<string, string[]> {
  const files = sources(DIR);
  const inside = new Set(files);
  const g = new Map<string, string[]>();
  for (const file of files) {
    const deps = importsOf(readFileSync(file, 'utf8'))
      .filter((s) => s.startsWith('.'))
      .map((s) => resolve(dirname(file), s))
      .filter((p) => inside.has(p));
    g.set(file, [...new Set(deps)]);
  }
  return g;
}

/** One cycle, as a path of files that ends where it starts, or undefined. */
function findCycle(g: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of g.get(node) ?? []) {
      if (state.get(next) === 'open') return [...stack.slice(stack.indexOf(next)), next];
      if (state.get(next) === undefined) {
        const found = visit(next);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of [...g.keys()].sort()) {
    if (state.get(node) !== undefined) continue;
    const found = visit(node);
    if (found) return found;
  }
  return undefined;
}

test('the import parser sees every kind of import', () => {
  const text = [
    "import { a } from './a.ts';",
    "import type { B } from './b.ts';",
    "import {\n  c,\n  type D,\n} from './c.ts';",
    "export * from './e.ts';",
    "export type { F } from './f.ts';",
    "import './g.ts';",
    "let x: import('./h.ts').H;",
    "// import { no } from './comment.ts';",
  ].join('\n');
  assert.deepEqual(importsOf(text).sort(), ['./a.ts', './b.ts', './c.ts', './e.ts', './f.ts', './g.ts', './h.ts']);
});

test('src/extension/client has no import cycle (type-only imports count)', () => {
  const cycle = findCycle(graph());
  assert.equal(cycle, undefined, cycle && `import cycle: ${cycle.map((f) => relative(DIR, f)).join(' → ')}`);
});
