// Bundles the three programs: the server (plain Node), the extension (VS Code's extension host)
// and the webview (a browser). Nothing is needed from node_modules at run time.
import * as esbuild from 'esbuild';
import { chmod, mkdir } from 'node:fs/promises';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

// `./dist/server.mjs` runs with the `node` on the PATH; the server adds the runtime flags it needs
// itself (src/server/runtime.ts), so the first line names none (no `env -S`, which busybox lacks).
const serverShebang = '#!/usr/bin/env node';

/** @type {esbuild.BuildOptions[]} */
const targets = [
  {
    entryPoints: ['src/server/main.ts'],
    outfile: 'dist/server.mjs',
    platform: 'node',
    format: 'esm',
    target: 'node22',
    banner: { js: serverShebang },
  },
  {
    entryPoints: ['src/extension/extension.ts'],
    outfile: 'dist/extension.cjs',
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    external: ['vscode'],
  },
  {
    entryPoints: ['src/webview/main.ts'],
    outfile: 'dist/webview.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
];

await mkdir('dist', { recursive: true });
const common = { bundle: true, sourcemap: production ? false : 'linked', minify: production, logLevel: 'warning' };
if (watch) {
  for (const t of targets) await (await esbuild.context({ ...common, ...t })).watch();
  console.log('watching…');
} else {
  await Promise.all(targets.map((t) => esbuild.build({ ...common, ...t })));
  await chmod('dist/server.mjs', 0o755);
}
