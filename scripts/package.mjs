// `npm run package`: a production build, then chatroom-<version>.vsix with @vscode/vsce (offline).
// Checks what went in: only the bundles (no source maps), media, README, CHANGELOG, LICENSE and the
// manifest, and a size under 1 MB.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// The repository (and its tools). `--root <dir>` packages another folder laid out the same way
// (the e2e harness stages one, so the dist/ other tests run from is left alone).
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const rootArg = process.argv.indexOf('--root');
const root = rootArg > 0 && process.argv[rootArg + 1] ? resolve(process.argv[rootArg + 1]) : repo;
const MAX_BYTES = 1024 * 1024;
// Paths inside the .vsix that may ship (vsce adds its own manifest files and renames LICENSE).
const ALLOWED = [
  /^\[Content_Types\]\.xml$/,
  /^extension\.vsixmanifest$/,
  /^extension\/package\.json$/,
  /^extension\/readme\.md$/i,
  /^extension\/changelog\.md$/i,
  /^extension\/LICENSE(\.txt)?$/i,
  /^extension\/dist\/(extension\.cjs|server\.mjs|webview\.js)$/,
  /^extension\/media\/[\w.-]+\.(svg|png|css)$/,
];
const REQUIRED = ['extension/dist/extension.cjs', 'extension/dist/server.mjs', 'extension/dist/webview.js'];

function run(argv, what) {
  const r = spawnSync(process.execPath, argv, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status ?? r.signal})`);
}

/** File names in a zip (the .vsix), from its central directory. */
export function zipEntries(file) {
  const buf = readFileSync(file);
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error(`${file} is not a zip file`);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const names = [];
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`${file}: bad central directory`);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    names.push(buf.toString('utf8', p + 46, p + 46 + nameLen));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

export function checkVsix(file) {
  const names = zipEntries(file);
  const problems = [];
  for (const n of names) if (!n.endsWith('/') && !ALLOWED.some((re) => re.test(n))) problems.push(`unexpected file: ${n}`);
  for (const n of REQUIRED) if (!names.includes(n)) problems.push(`missing: ${n}`);
  const size = statSync(file).size;
  if (size >= MAX_BYTES) problems.push(`too big: ${size} bytes (limit ${MAX_BYTES})`);
  if (problems.length) throw new Error(`${relative(root, file)} failed its checks:\n  ${problems.join('\n  ')}`);
  return { names, size };
}

export function packageExtension() {
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const out = join(root, `chatroom-${version}.vsix`);
  if (!existsSync(join(root, 'README.md'))) {
    writeFileSync(join(root, 'README.md'), '# Chat Room\n\nTeam chat in a VS Code sidebar, with its own chat server.\n');
    console.warn('package: README.md was missing; wrote a minimal one');
  }
  run(['scripts/build.mjs', '--production'], 'build');
  const vsce = join(repo, 'node_modules/@vscode/vsce/vsce');
  // --no-dependencies: the bundles need nothing from node_modules, so vsce need not ask npm.
  // --no-rewrite-relative-links: there is no public repository URL to point README links at yet.
  run(
    [vsce, 'package', '--allow-missing-repository', '--no-dependencies', '--no-rewrite-relative-links', '-o', out],
    'vsce package',
  );
  const { names, size } = checkVsix(out);
  return { file: out, size, files: names.length };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const { file, size, files } = packageExtension();
    console.log(`\nPackaged ${relative(process.cwd(), file)} (${(size / 1024).toFixed(0)} KB, ${files} files).`);
    console.log('Install it with:');
    console.log(`  code --install-extension ${file}`);
  } catch (e) {
    console.error(`package: ${e.message}`);
    process.exit(1);
  }
}
