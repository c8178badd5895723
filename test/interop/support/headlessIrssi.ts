// irssi (Debian's stock client) run headless inside its own tmux server (socket in a temp folder,
// so nothing else is touched): we type with send-keys and read the screen with capture-pane.
// Needs the Debian packages irssi and tmux (test/setup/apt-packages.txt).
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

/** A skip reason for describe() when irssi or tmux is missing, else false. */
export function irssiMissing(): string | false {
  const missing = ['irssi', 'tmux'].filter((c) => !has(c));
  return missing.length > 0 ? `not installed: ${missing.join(', ')} (see test/setup/apt-packages.txt)` : false;
}

export class HeadlessIrssi {
  private readonly sock: string;
  private readonly env: NodeJS.ProcessEnv;

  constructor(dir: string) {
    this.sock = join(dir, 'tmux.sock');
    this.env = { ...process.env, TERM: 'xterm-256color', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', HOME: dir };
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-S', this.sock, ...args], { env: this.env, encoding: 'utf8' });
  }

  /** Starts irssi with `home`/config (written by the test). */
  start(home: string): void {
    this.tmux('-u', 'new-session', '-d', '-s', 'irssi', '-x', '200', '-y', '50', `irssi --home=${home} --config=${join(home, 'config')}`);
  }

  /** Types a line into irssi and presses Enter (-l: the text is literal, not key names). */
  type(line: string): void {
    this.tmux('send-keys', '-t', 'irssi', '-l', line);
    this.tmux('send-keys', '-t', 'irssi', 'Enter');
  }

  /** The visible screen plus scrollback of the active window. */
  screen(): string {
    return this.tmux('capture-pane', '-p', '-J', '-S', '-1000', '-t', 'irssi');
  }

  /** Re-reads the screen until `text` shows up (irssi has no other output channel to wait on). */
  async waitForScreen(text: string | RegExp, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = this.screen();
      if (typeof text === 'string' ? s.includes(text) : text.test(s)) return s;
      if (Date.now() > deadline) throw new Error(`irssi never showed ${String(text)}; screen:\n${s}`);
      await new Promise((r) => setTimeout(r, 100)); // polling the screen
    }
  }

  stop(): void {
    spawnSync('tmux', ['-S', this.sock, 'kill-server'], { env: this.env });
  }
}
