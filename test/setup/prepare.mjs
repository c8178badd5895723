// Installs, once, what the slow suites need, and caches it between runs:
//  - the Debian packages listed in test/setup/apt-packages.txt (a browser, stock IRC software);
//  - code-server (VS Code's own server build, from npm) for the extension's end-to-end tests.
// A marker file records what was installed; when it matches, nothing is done. The result is
// described in <cache>/env.json, which test/e2e/harness.ts reads.
//
// Cache folder: $CHATROOM_E2E_CACHE, else ~/.cache/chatroom-e2e.
// code-server needs Node 24 for its install and at run time; the project's own Node 24 (npm package
// "node", with its headers) serves both, so nothing else is downloaded.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.139.1';
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const cache = process.env.CHATROOM_E2E_CACHE || join(homedir(), '.cache', 'chatroom-e2e');
const started = Date.now();

function log(msg) {
  console.log(`[prepare ${((Date.now() - started) / 1000).toFixed(1)}s] ${msg}`);
}

function run(cmd, args, opts = {}) {
  log(`$ ${cmd} ${args.join(' ')}${opts.cwd ? `   (in ${opts.cwd})` : ''}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
}

// ---- Debian packages ---------------------------------------------------------------------------

function aptPackages() {
  return readFileSync(join(root, 'test/setup/apt-packages.txt'), 'utf8')
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim())
    .filter(Boolean);
}

function isInstalled(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

function ensureApt() {
  const missing = aptPackages().filter((p) => !isInstalled(p));
  if (missing.length === 0) return log('Debian packages: all present');
  if (process.getuid?.() !== 0) {
    console.error(
      `[prepare] missing Debian packages: ${missing.join(' ')}\n` +
        `[prepare] not root, so not installing them; run: sudo apt-get install -y --no-install-recommends ${missing.join(' ')}`,
    );
    return;
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // Another process (a parallel test setup) may hold the dpkg lock: wait for it instead of failing.
  const lock = ['-o', 'DPkg::Lock::Timeout=600'];
  run('apt-get', [...lock, 'update'], { env });
  run('apt-get', [...lock, 'install', '-y', '--no-install-recommends', ...missing], { env });
}

// ---- code-server ---------------------------------------------------------------------------------

// The project's Node 24 (devDependency "node"): its bin/ and include/node (headers for node-gyp).
function node24Home() {
  const home = join(root, 'node_modules/node/node_modules', `node-${process.platform}-${process.arch}`);
  // `npm install <pkg>` (npm 11 with install scripts unapproved) can prune this folder; npm ci restores it.
  if (!existsSync(join(home, 'bin/node'))) throw new Error(`Node 24 not found at ${home}: run npm ci (an npm install of a new package can remove it)`);
  return home;
}

// Nested npm runs must not inherit the outer `npm test`'s npm_* settings (prefix, lifecycle...).
function npmEnv(nodeHome) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  env.PATH = `${join(nodeHome, 'bin')}:${process.env.PATH}`; // npm itself runs on Node 24
  env.npm_config_nodedir = nodeHome; // node-gyp must use Node 24's headers (~/.npmrc may say nodedir=/usr)
  env.npm_config_fund = 'false';
  env.npm_config_audit = 'false';
  env.npm_config_update_notifier = 'false';
  return env;
}

function ensureCodeServer() {
  const nodeHome = node24Home();
  const nodeVersion = spawnSync(join(nodeHome, 'bin/node'), ['--version'], { encoding: 'utf8' }).stdout.trim();
  const dir = join(cache, `code-server-${CODE_SERVER_VERSION}`);
  const marker = join(dir, '.installed.json');
  const want = { codeServer: CODE_SERVER_VERSION, node: nodeVersion, platform: `${process.platform}-${process.arch}` };
  const entry = join(dir, 'node_modules/code-server/out/node/entry.js');
  if (existsSync(marker) && existsSync(entry)) {
    try {
      if (JSON.stringify(JSON.parse(readFileSync(marker, 'utf8'))) === JSON.stringify(want)) {
        log(`code-server ${CODE_SERVER_VERSION}: cached in ${dir}`);
        return { entry, node: join(nodeHome, 'bin/node') };
      }
    } catch {
      // unreadable marker: reinstall
    }
  }
  log(`installing code-server ${CODE_SERVER_VERSION} into ${dir} (about 90 s)`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{"name":"chatroom-e2e-code-server","private":true}\n');
  const env = npmEnv(nodeHome);
  // The "fast variant" (shared/notes/vscode-e2e.md): scripts off, then build only the native modules
  // the server needs. Skips @vscode/sqlite3 (AI agent host only) and kerberos (needs libkrb5-dev).
  run('npm', ['install', '--no-save', '--ignore-scripts', `code-server@${CODE_SERVER_VERSION}`], { cwd: dir, env });
  const cs = join(dir, 'node_modules/code-server');
  const vscodeDir = join(cs, 'lib/vscode');
  run('npm', ['install', '--omit=dev', '--ignore-scripts'], { cwd: vscodeDir, env });
  run('npm', ['rebuild', '@vscode/spdlog', '@vscode/native-watchdog', '@vscode/deviceid', '@vscode/fs-copyfile'], {
    cwd: vscodeDir,
    env,
  });
  for (const [link, target] of [
    ['bin/remote-cli/code-server', 'code-linux.sh'],
    ['bin/helpers/browser.sh', 'browser-linux.sh'],
  ]) {
    const p = join(vscodeDir, link);
    if (!existsSync(p)) symlinkSync(target, p);
  }
  run('npm', ['install', '--omit=dev'], { cwd: join(vscodeDir, 'extensions'), env });
  writeFileSync(marker, JSON.stringify(want));
  return { entry, node: join(nodeHome, 'bin/node') };
}

// ---- browser ----------------------------------------------------------------------------------------

function findChromium() {
  for (const p of [process.env.CHATROOM_E2E_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser']) {
    if (p && existsSync(p)) return p;
  }
  return undefined;
}

// ---- main ------------------------------------------------------------------------------------------

mkdirSync(cache, { recursive: true });
ensureApt();
const cs = ensureCodeServer();
const chromium = findChromium();
if (!chromium) console.error('[prepare] no Chromium found (Debian package "chromium"): the VS Code e2e tests will be skipped');
const env = { codeServerEntry: cs.entry, node: cs.node, chromium: chromium ?? null, codeServerVersion: CODE_SERVER_VERSION };
writeFileSync(join(cache, 'env.json'), JSON.stringify(env, null, 2) + '\n');
log(`ready: ${join(cache, 'env.json')}`);
