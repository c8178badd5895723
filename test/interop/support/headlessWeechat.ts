// weechat (Debian's weechat-headless: weechat with no user interface at all) run as a child process
// with its own home folder. We give it commands through its fifo plugin (a named pipe that takes
// lines "<buffer> *<text or /command>") and read what it shows from its logger plugin (one file per
// buffer, written at once with logger.file.flush_delay 0). Nothing touches the user's own weechat.
// Needs the Debian packages weechat-headless and weechat-plugins (the fifo plugin): see
// test/setup/apt-packages.txt.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, constants, existsSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

/** Where distributions put weechat's plugins (Debian: /usr/lib/<triplet>/weechat/plugins). */
const PLUGIN_DIRS = ['/usr/lib/*/weechat/plugins', '/usr/lib/weechat/plugins', '/usr/lib64/weechat/plugins', '/usr/local/lib/weechat/plugins'];

/** A skip reason for describe() when weechat-headless or its fifo plugin is missing, else false. */
export function weechatMissing(): string | false {
  if (!has('weechat-headless')) return 'not installed: weechat-headless (see test/setup/apt-packages.txt)';
  const found = spawnSync('sh', ['-c', `ls ${PLUGIN_DIRS.map((d) => `${d}/fifo.so`).join(' ')} 2>/dev/null`], { encoding: 'utf8' });
  if (!found.stdout.trim()) return "not installed: weechat's fifo plugin, Debian package weechat-plugins (see test/setup/apt-packages.txt)";
  return false;
}

/** The installed weechat's version as [major, minor] ("3.8" on Debian 12, "4.6.3" on Debian 13). */
export function weechatVersion(): [number, number] {
  const out = spawnSync('weechat-headless', ['--version'], { encoding: 'utf8' }).stdout ?? '';
  const m = /(\d+)\.(\d+)/.exec(out);
  if (!m) throw new Error(`cannot read the version from weechat-headless --version: ${JSON.stringify(out)}`);
  return [Number(m[1]), Number(m[2])];
}

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const p of live) p.kill('SIGKILL');
});

export class HeadlessWeechat {
  readonly home: string;
  private readonly dir: string;
  private readonly fifo: string;
  private proc?: ChildProcess;
  private exited?: Promise<void>;

  /** `dir`: a temp folder; weechat's home is `dir`/weechat. */
  constructor(dir: string) {
    this.dir = dir;
    this.home = join(dir, 'weechat');
    this.fifo = join(this.home, 'fifo');
  }

  /**
   * Starts weechat with only the plugins the test uses, its fifo at a known path and buffer logs
   * written at once; resolves when the fifo exists (weechat then reads commands).
   */
  async start(timeoutMs = 30_000): Promise<void> {
    mkdirSync(this.home, { recursive: true });
    // -r commands are evaluated by weechat (${...}): the temp paths contain none.
    const setup = [`/set fifo.file.path ${this.fifo}`, '/set logger.file.flush_delay 0'].join(';');
    const proc = spawn('weechat-headless', ['--dir', this.home, '--no-script', '--plugins', 'irc,logger,fifo', '--run-command', setup], {
      cwd: this.dir,
      env: { ...process.env, HOME: this.dir, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' },
      stdio: 'ignore',
    });
    this.proc = proc;
    live.add(proc);
    let exitCode: number | string | null = null;
    this.exited = new Promise((res) => {
      proc.once('exit', (code, signal) => {
        live.delete(proc);
        exitCode = code ?? signal;
        res();
      });
    });
    proc.once('error', () => {
      /* surfaced below: the fifo never appears */
    });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (existsSync(this.fifo) && statSync(this.fifo).isFIFO()) return;
      if (exitCode !== null) throw new Error(`weechat-headless exited (${exitCode}) before opening its fifo\n${this.log('core.weechat')}`);
      if (Date.now() > deadline) throw new Error(`weechat-headless did not open its fifo ${this.fifo} within ${timeoutMs} ms (is the fifo plugin installed?)\n${this.log('core.weechat')}`);
      await new Promise((r) => setTimeout(r, 50)); // polling for the fifo to appear
    }
  }

  /**
   * Runs a command or sends text in a buffer, as if typed there: `buffer` is weechat's full buffer
   * name (core.weechat, irc.server.team, irc.team.#room, irc.team.nick).
   */
  input(buffer: string, text: string): void {
    if (/[\r\n]/.test(text)) throw new Error('one line at a time');
    // O_NONBLOCK: fails at once (ENXIO) if weechat is not reading, instead of blocking the test.
    const fd = openSync(this.fifo, constants.O_WRONLY | constants.O_NONBLOCK);
    try {
      writeSync(fd, `${buffer} *${text}\n`);
    } finally {
      closeSync(fd);
    }
  }

  /** Everything weechat has shown in a buffer so far (its log file: "date TAB prefix TAB message" lines). */
  log(buffer: string): string {
    const file = join(this.home, 'logs', `${buffer.toLowerCase()}.weechatlog`);
    return existsSync(file) ? readFileSync(file, 'utf8') : '';
  }

  /** Re-reads a buffer's log until `text` shows up. */
  async waitForLog(buffer: string, text: string | RegExp, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = this.log(buffer);
      if (typeof text === 'string' ? s.includes(text) : text.test(s)) return s;
      if (Date.now() > deadline) throw new Error(`weechat never showed ${String(text)} in ${buffer}; its log:\n${s}`);
      await new Promise((r) => setTimeout(r, 100)); // polling the log file
    }
  }

  /** /quit (when still running) and waits for the exit; SIGKILL if it has not exited after 5 s. */
  async stop(): Promise<void> {
    if (!this.proc || !this.exited) return;
    if (this.proc.exitCode === null && this.proc.signalCode === null) {
      try {
        this.input('core.weechat', '/quit');
      } catch {
        this.proc.kill('SIGKILL');
      }
      const t = setTimeout(() => this.proc?.kill('SIGKILL'), 5000);
      await this.exited;
      clearTimeout(t);
    }
  }
}
