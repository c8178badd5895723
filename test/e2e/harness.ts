// A real VS Code for end-to-end tests: code-server (VS Code's server build) with the packaged .vsix
// installed into throwaway folders, driven by playwright-core and Chromium. Everything it needs was
// installed (once, cached) by test/setup/prepare.mjs. How it works and how to debug it: README.md here.
//
// Usage: const vsc = await VsCode.start({ settings }); await vsc.runCommand('Chat: Host'); ... await vsc.close();
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, Frame, Locator, Page } from 'playwright-core';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const resultsDir = join(repoRoot, 'test-results');

const DEFAULT_TIMEOUT_MS = 30_000;

interface PreparedEnv {
  codeServerEntry: string;
  node: string;
  chromium: string | null;
  codeServerVersion: string;
}

function cacheDir(): string {
  return process.env['CHATROOM_E2E_CACHE'] || join(homedir(), '.cache', 'chatroom-e2e');
}

/** What prepare.mjs installed, or a sentence saying what is missing. */
export function preparedEnv(): PreparedEnv | string {
  const file = join(cacheDir(), 'env.json');
  if (!existsSync(file)) return `${file} not found: run node test/setup/prepare.mjs (npm test does)`;
  const env = JSON.parse(readFileSync(file, 'utf8')) as PreparedEnv;
  if (!existsSync(env.codeServerEntry)) return `code-server missing at ${env.codeServerEntry}: run test/setup/prepare.mjs`;
  if (!env.chromium || !existsSync(env.chromium)) return 'no Chromium: install the Debian package "chromium" (prepare.mjs does, as root)';
  return env;
}

function log(message: string): void {
  if (process.env['CHATROOM_E2E_VERBOSE']) console.error(`[e2e] ${message}`);
}

/**
 * Builds the .vsix the way users get it (npm run package: production bundles, vsce, content checks),
 * in a staging folder so the dist/ other tests run from is left alone. Returns the .vsix path.
 */
export function packageVsix(stagingParent: string): string {
  const staging = join(stagingParent, 'package');
  mkdirSync(staging, { recursive: true });
  for (const name of ['src', 'scripts']) symlinkSync(join(repoRoot, name), join(staging, name));
  for (const name of ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', '.vscodeignore', 'media']) {
    if (existsSync(join(repoRoot, name))) cpSync(join(repoRoot, name), join(staging, name), { recursive: true });
  }
  const r = spawnSync(process.execPath, [join(repoRoot, 'scripts/package.mjs'), '--root', staging], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`npm run package failed:\n${r.stdout}\n${r.stderr}`);
  const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
  return join(staging, `chatroom-${version}.vsix`);
}

export interface StartOptions {
  /** User settings merged over the harness defaults. */
  readonly settings?: Record<string, unknown>;
  /** Files to create in the workspace (relative path -> content). */
  readonly files?: Record<string, string>;
  /** false: open an empty window, no folder (as VS Code started without one). Default true. */
  readonly folder?: boolean;
  /** Extra environment for code-server (the extension host inherits it). */
  readonly env?: Record<string, string>;
  /**
   * Runs an extension-host test suite (a module exporting run(), as @vscode/test-electron loads it)
   * from this absolute path, through the web workbench's `payload` (extensionTestsPath).
   */
  readonly extensionTestsPath?: string;
}

/** A running code-server with our extension installed, and a browser page on its workbench. */
export class VsCode {
  readonly page: Page;
  readonly runDir: string;
  readonly workspace: string;
  readonly extensionsDir: string;
  readonly #browser: Browser;
  readonly #server: ChildProcess;
  readonly #serverLog: string[];
  readonly #browserLog: string[];

  private constructor(
    init: { page: Page; browser: Browser; server: ChildProcess; serverLog: string[]; browserLog: string[]; runDir: string },
  ) {
    this.#browserLog = init.browserLog;
    this.page = init.page;
    this.#browser = init.browser;
    this.#server = init.server;
    this.#serverLog = init.serverLog;
    this.runDir = init.runDir;
    this.workspace = join(init.runDir, 'workspace');
    this.extensionsDir = join(init.runDir, 'ext');
  }

  static async start(options: StartOptions = {}): Promise<VsCode> {
    const env = preparedEnv();
    if (typeof env === 'string') throw new Error(env);
    const runDir = mkdtempSync(join(tmpdir(), 'chatroom-e2e-'));
    const dirs = { ud: join(runDir, 'ud'), ext: join(runDir, 'ext'), ws: join(runDir, 'workspace'), tmp: join(runDir, 'tmp') };
    for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
    mkdirSync(join(dirs.ud, 'User'), { recursive: true });
    const settings = {
      'workbench.startupEditor': 'none',
      'security.workspace.trust.enabled': false,
      'telemetry.telemetryLevel': 'off',
      'update.mode': 'none',
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'chat.disableAIFeatures': true,
      // Else our own chat server's port raises "port forwarded" toasts.
      'remote.autoForwardPorts': false,
      'workbench.tips.enabled': false,
      ...options.settings,
    };
    writeFileSync(join(dirs.ud, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
    for (const [rel, content] of Object.entries(options.files ?? {})) {
      mkdirSync(dirname(join(dirs.ws, rel)), { recursive: true });
      writeFileSync(join(dirs.ws, rel), content);
    }

    const t0 = Date.now();
    const vsix = packageVsix(runDir);
    log(`packaged ${vsix} in ${Date.now() - t0} ms`);

    const csEnv: NodeJS.ProcessEnv = {
      ...process.env,
      CODE_SERVER_CONFIG: join(runDir, 'config.yaml'),
      XDG_DATA_HOME: join(runDir, 'xdg'),
      XDG_CONFIG_HOME: join(runDir, 'xdg-config'),
      TMPDIR: dirs.tmp,
      // The default gallery is a public host: point it at a dead loopback port so nothing leaves the machine.
      ...options.env,
      EXTENSIONS_GALLERY: JSON.stringify({
        serviceUrl: 'http://127.0.0.1:9/gallery',
        itemUrl: 'http://127.0.0.1:9/item',
        resourceUrlTemplate: 'http://127.0.0.1:9/{publisher}/{name}/{version}/{path}',
      }),
    };
    const common = ['--user-data-dir', dirs.ud, '--extensions-dir', dirs.ext];
    const install = spawnSync(env.node, [env.codeServerEntry, ...common, '--install-extension', vsix], {
      env: csEnv,
      encoding: 'utf8',
    });
    if (install.status !== 0) {
      const why = install.error ? `could not run it: ${install.error.message}` : `exit ${install.status ?? install.signal}:\n${install.stdout}\n${install.stderr}`;
      throw new Error(`--install-extension failed (${why})`);
    }
    log(`installed in ${Date.now() - t0} ms`);

    const serverLog: string[] = [];
    const browserLog: string[] = [];
    const server = spawn(
      env.node,
      [
        env.codeServerEntry,
        ...common,
        '--auth', 'none',
        '--bind-addr', '127.0.0.1:0',
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-workspace-trust',
        '--disable-getting-started-override',
        '--ignore-last-opened',
        dirs.ws,
      ],
      // Its own process group, so close() takes the extension host and our chat server with it.
      { env: csEnv, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let browser: Browser | undefined;
    try {
      const port = await new Promise<number>((resolvePort, reject) => {
        const onData = (chunk: Buffer): void => {
          const text = chunk.toString('utf8');
          serverLog.push(text);
          const m = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(serverLog.join(''));
          if (m?.[1]) resolvePort(Number(m[1]));
        };
        server.stdout?.on('data', onData);
        server.stderr?.on('data', onData);
        server.once('exit', (code) => reject(new Error(`code-server exited (${code}):\n${serverLog.join('')}`)));
      });
      log(`code-server on port ${port} after ${Date.now() - t0} ms`);
      browser = await chromium.launch({
        executablePath: env.chromium ?? undefined,
        headless: true,
        args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
      });
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      page.on('console', (m) => browserLog.push(`[${m.type()}] ${m.text()}`));
      page.on('pageerror', (e) => browserLog.push(`[pageerror] ${e.message}`));
      page.setDefaultTimeout(DEFAULT_TIMEOUT_MS);
      // ew=true is code-server's empty window (else it opens the folder given on its command line).
      let url = options.folder === false ? `http://127.0.0.1:${port}/?ew=true` : `http://127.0.0.1:${port}/?folder=${encodeURIComponent(dirs.ws)}`;
      if (options.extensionTestsPath) {
        // The extension host runs tests only in extension-development mode: "develop" the installed
        // copy of the .vsix, so the suite still runs against exactly what users install.
        const installed = readdirSync(dirs.ext).find((n) => n.startsWith('chatroom.chatroom-'));
        if (!installed) throw new Error(`the .vsix is not in ${dirs.ext}`);
        const remote = (path: string): string => `vscode-remote://127.0.0.1:${port}${path}`;
        const payload = [
          ['extensionDevelopmentPath', remote(join(dirs.ext, installed))],
          ['extensionTestsPath', remote(options.extensionTestsPath)],
        ];
        url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
      }
      if (options.extensionTestsPath) {
        // A built VS Code honours the payload only with its smoke-test driver on, and code-server has
        // no flag for that: switch it on where the workbench reads its configuration.
        await page.addInitScript(`(() => {
          const getAttribute = Element.prototype.getAttribute;
          Element.prototype.getAttribute = function (name) {
            const value = getAttribute.call(this, name);
            if (name !== 'data-settings' || this.id !== 'vscode-workbench-web-configuration' || !value) return value;
            const config = JSON.parse(value);
            config.developmentOptions = { ...config.developmentOptions, enableSmokeTestDriver: true };
            return JSON.stringify(config);
          };
        })();`);
      }
      await page.goto(url);
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      await page.locator('#workbench\\.parts\\.statusbar').waitFor({ timeout: 60_000 });
      log(`workbench visible after ${Date.now() - t0} ms`);
      return new VsCode({ page, browser, server, serverLog, browserLog, runDir });
    } catch (e) {
      await browser?.close().catch(() => undefined);
      killGroup(server);
      throw e;
    }
  }

  /** Runs a command from the palette by its title (e.g. "Chat: Host"). */
  async runCommand(
    title: string,
    timeoutMs = 60_000,
    options: { keepEditorSelection?: boolean; /** The command shows a quick pick or input box of its own. */ opensInput?: boolean } = {},
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const input = this.page.locator('.quick-input-widget input');
    // Exactly this command: the aria-label is "<title>" or "<title>, <group>" ("recently used"...);
    // fuzzy matching also lists others ("Chat: Host" finds "Chat: Stop Hosting"), maybe first.
    const quoted = JSON.stringify(title);
    const row = this.page
      .locator(`.quick-input-list .monaco-list-row[aria-label=${quoted}], .quick-input-list .monaco-list-row[aria-label^=${JSON.stringify(`${title}, `)}]`)
      .first();
    // The palette filters once: commands registered after it opened (extension host still
    // starting) never appear, so reopen and retype until the row is there.
    // Escape closes what is open, but in an editor it also drops the selection: keepEditorSelection skips it once.
    let escape = options.keepEditorSelection !== true;
    for (;;) {
      if (escape) await this.page.keyboard.press('Escape');
      escape = true;
      await this.page.keyboard.press('F1');
      await input.waitFor();
      await input.fill(`>${title}`);
      try {
        await row.waitFor({ timeout: 2_000 });
        break;
      } catch (e) {
        if (Date.now() > deadline) throw new Error(`command "${title}" never appeared in the palette`, { cause: e });
      }
    }
    await row.click();
    if (options.opensInput) {
      // The palette's own text is gone once the command's quick pick / input box replaced it.
      await this.page.waitForFunction(
        `(() => { const i = document.querySelector('.quick-input-widget:not(.quick-input-widget-closing) input'); return i !== null && !i.value.startsWith('>'); })()`,
      );
      return;
    }
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  /** Opens the "Chat Room" container in the activity bar. */
  async openView(containerTitle = 'Chat Room'): Promise<void> {
    const item = this.page.locator(`.activitybar [aria-label^="${containerTitle}"]`).first();
    await item.waitFor({ timeout: 60_000 });
    const checked = await item.getAttribute('aria-pressed').catch(() => null);
    if (checked !== 'true') await item.click();
    await this.page.locator('.sidebar .title-label, .sidebar .composite.title', { hasText: containerTitle }).first().waitFor();
  }

  /** The webview frame (nested iframes) in which `selector` exists. */
  async webviewFrame(selector: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const frame of this.page.frames()) {
        if (frame.isDetached()) continue;
        const count = await frame.locator(selector).count().catch(() => 0);
        if (count > 0) return frame;
      }
      if (Date.now() > deadline) throw new Error(`no webview frame contains ${selector}`);
      await this.page.waitForTimeout(200); // polling interval between frame scans, not a wait for an outcome
    }
  }

  /**
   * Opens a workspace file through Quick Open (Ctrl+P), as a user would; `file:line` puts the cursor
   * on that line. Resolves when the editor has focus.
   */
  async openFile(pathAndLine: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget input');
    const name = pathAndLine.replace(/:\d+$/, '').split('/').pop() ?? pathAndLine;
    const row = this.page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first();
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press('Control+P');
    await input.waitFor();
    await input.fill(pathAndLine);
    await row.waitFor();
    await input.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    await this.page.locator('.tabs-container .tab.active', { hasText: name }).waitFor();
    await this.page.locator('.editor-instance .monaco-editor.focused').waitFor();
  }

  /**
   * Changes user settings as a user does: Preferences: Open User Settings (JSON), replace the text,
   * save, close. Resolves once the file on disk holds the new values (VS Code then applies them).
   */
  async editUserSettings(patch: Record<string, unknown>): Promise<void> {
    const file = join(this.runDir, 'ud', 'User', 'settings.json');
    const before = readFileSync(file, 'utf8');
    let current: Record<string, unknown>;
    try {
      current = JSON.parse(before) as Record<string, unknown>;
    } catch (e) {
      throw new Error(`settings.json is not JSON (${(e as Error).message}):\n${before}`);
    }
    const settings = { ...current, ...patch };
    await this.runCommand('Preferences: Open User Settings (JSON)');
    // (VS Code 1.139 shows it in a modal editor, not a tab.)
    const editor = this.page.locator('.monaco-editor.focused', { hasText: 'workbench.startupEditor' });
    await editor.waitFor();
    await this.page.keyboard.press('Control+A');
    await this.page.keyboard.press('Delete');
    // One line: typed newlines get auto-indented. The editor closes the brace it sees typed; what
    // it added after the cursor is removed.
    await this.page.keyboard.insertText(JSON.stringify(settings));
    await this.page.keyboard.press('Shift+Control+End');
    await this.page.keyboard.press('Delete');
    await this.page.keyboard.press('Control+S');
    const deadline = Date.now() + DEFAULT_TIMEOUT_MS;
    while (!sameJson(readFileSync(file, 'utf8'), settings)) {
      if (Date.now() > deadline) throw new Error(`settings.json was not saved with ${JSON.stringify(patch)}`);
      await new Promise((r) => setTimeout(r, 50)); // polling the file for the save
    }
    await this.page.keyboard.press('Control+W'); // close the (modal) settings editor
    await editor.waitFor({ state: 'detached' });
  }

  /**
   * The Output panel on channel `name`, as a user gets there (Output: Show Output Channels..., the
   * channel picked); resolves with its text once it contains `text`.
   */
  async outputChannel(name: string, text: string | RegExp, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<string> {
    await this.runCommand('Output: Show Output Channels...', 60_000, { opensInput: true });
    await this.page.locator('.quick-input-widget input').fill(name);
    // Exactly this channel ("Chat Room", not "Chat Room Server").
    const row = this.page.locator(`.quick-input-list .monaco-list-row[aria-label=${JSON.stringify(name)}], .quick-input-list .monaco-list-row[aria-label^=${JSON.stringify(`${name},`)}]`).first();
    await row.click();
    // Monaco draws spaces as no-break spaces.
    const lines = this.page.locator('.part.panel .monaco-editor .view-lines');
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const shown = ((await lines.innerText().catch(() => '')) ?? '').replace(/\u00a0/g, ' ');
      if (typeof text === 'string' ? shown.includes(text) : text.test(shown)) return shown;
      if (Date.now() > deadline) throw new Error(`the Output channel ${name} never showed ${String(text)}; it shows: ${JSON.stringify(shown)}`);
      await this.page.waitForTimeout(100); // polling interval
    }
  }

  /** The files in a workspace folder once there is at least one (a command that writes files, e.g. Save Transcript). */
  async filesIn(relativeDir: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<string[]> {
    const dir = join(this.workspace, relativeDir);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const files = existsSync(dir) ? readdirSync(dir) : [];
      if (files.length > 0) return files;
      if (Date.now() > deadline) throw new Error(`no file appeared in ${dir}`);
      await this.page.waitForTimeout(100); // polling the folder
    }
  }

  /** The modal dialog's button with this title (e.g. a confirmation), clicked. */
  async clickDialogButton(title: string): Promise<void> {
    await this.page.locator('.monaco-dialog-box .monaco-button', { hasText: title }).first().click();
    await this.page.locator('.monaco-dialog-box').waitFor({ state: 'hidden' });
  }

  /** Waits until the locator's text contains `text`. */
  async waitForText(locator: Locator, text: string | RegExp, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    for (;;) {
      last = (await locator.innerText().catch(() => '')) ?? '';
      if (typeof text === 'string' ? last.includes(text) : text.test(last)) return last;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(text)}; last text: ${JSON.stringify(last)}`);
      await this.page.waitForTimeout(100); // polling interval
    }
  }

  /** A notification toast whose text matches; returns its text. */
  async notification(text: string | RegExp, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<string> {
    const toast = this.page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
    await toast.waitFor({ timeout: timeoutMs });
    return toast.innerText();
  }

  async screenshot(name: string): Promise<string> {
    mkdirSync(resultsDir, { recursive: true });
    const file = join(resultsDir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
    await this.page.screenshot({ path: file }).catch(() => undefined);
    return file;
  }

  /** code-server's own output so far (for failure messages). */
  serverOutput(): string {
    return this.#serverLog.join('');
  }

  /** The workbench page's console so far (for failure messages). */
  browserOutput(): string {
    return this.#browserLog.join('\n');
  }

  async close(): Promise<void> {
    await this.#browser.close().catch(() => undefined);
    killGroup(this.#server, 'SIGTERM');
    if (this.#server.exitCode === null && this.#server.signalCode === null) {
      await new Promise<void>((r) => {
        const timer = setTimeout(r, 10_000);
        this.#server.once('exit', () => {
          clearTimeout(timer);
          r();
        });
      });
    }
    // Whatever is left in its process group (extension host, our chat server) goes now.
    killGroup(this.#server, 'SIGKILL');
    if (process.env['CHATROOM_E2E_KEEP']) console.error(`[e2e] kept ${this.runDir}`);
    else rmSync(this.runDir, { recursive: true, force: true });
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

function sameJson(text: string, value: unknown): boolean {
  try {
    return JSON.stringify(JSON.parse(text)) === JSON.stringify(value);
  } catch {
    return false; // half written
  }
}

// What a screen reader is given: axe-core's WCAG 2.1 A/AA rules over a webview as it is at that
// moment. No screen reader runs here; this is the automated part of accessibility.
let axeSource: string | undefined;

/** Fails with axe-core's findings when the document in `frame` breaks a WCAG 2.1 A/AA rule. */
export async function assertNoA11yViolations(frame: Frame, state: string): Promise<void> {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await frame.evaluate(axeSource);
  const violations = await frame.evaluate(async () => {
    type AxeViolation = { id: string; impact: string; help: string; nodes: { target: string[]; failureSummary: string }[] };
    // Runs in the webview (no DOM types in the tests' tsconfig): axe and document are its globals.
    const { axe, document } = globalThis as unknown as { axe: { run(ctx: unknown, opts: object): Promise<{ violations: AxeViolation[] }> }; document: unknown };
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary}`) }));
  });
  if (violations.length > 0) throw new Error(`accessibility (${state}): ${JSON.stringify(violations, null, 2)}`);
}

/**
 * A suite's steps: `step()` runs one and, if it fails, keeps a screenshot named for it;
 * `finish()` takes the final screenshot, prints VS Code's and the browser's output when a step
 * failed, and closes VS Code.
 */
export function suiteSteps(vsc: () => VsCode | undefined, prefix: string) {
  let failed = false;
  return {
    async step(name: string, body: () => Promise<void>): Promise<void> {
      try {
        await body();
      } catch (e) {
        failed = true;
        await vsc()?.screenshot(`e2e-failure-${prefix}${name}`);
        throw e;
      }
    },
    async finish(finalScreenshot: string): Promise<void> {
      const v = vsc();
      if (!v) return;
      await v.screenshot(finalScreenshot);
      if (failed) console.error(`code-server output:\n${v.serverOutput().slice(-4000)}\nbrowser:\n${v.browserOutput().slice(-3000)}`);
      await v.close();
    },
  };
}

/** Command lines of processes running `file` (Linux /proc). */
export function processesRunning(file: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const cmd = readFileSync(join('/proc', pid, 'cmdline'), 'utf8').split('\0').join(' ');
      if (cmd.includes(file)) found.push(cmd);
    } catch {
      // process ended meanwhile
    }
  }
  return found;
}
