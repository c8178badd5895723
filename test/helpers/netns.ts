// A second machine for tests that need a peer that is not loopback: a network namespace joined to
// this one by a veth pair, addresses from 192.0.2.0/24 (TEST-NET-1, RFC 5737: never routed), and
// a TCP relay inside it. A client that connects to `relayHost:relayPort` reaches `target` from
// `peerAddress` as the server sees it. Needs root (CAP_NET_ADMIN) and iproute2; `unavailable()`
// says why not, for the test to skip with that reason. remove() deletes everything it made.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { lineListener } from './lines.ts';

export interface NetnsPeer {
  /** The address this side of the pair has (listen here to be reachable from the namespace). */
  hostAddress: string;
  /** The address connections from the namespace come from. */
  peerAddress: string;
  /** Starts a relay in the namespace to `host:port`; connect to the returned port on `peerAddress`. */
  relay(host: string, port: number): Promise<number>;
  remove(): void;
}

function ip(...args: string[]): { ok: boolean; err: string } {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  return { ok: r.status === 0, err: (r.stderr || r.error?.message || '').trim() };
}

/** Why a namespace cannot be made here, or null when it can. */
export function netnsUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'needs root to create a network namespace';
  const r = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  if (r.error) return `iproute2's ip is not available: ${r.error.message}`;
  return null;
}

const RELAY = `
const net = require('node:net');
const [listenHost, host, port] = process.argv.slice(1);
const srv = net.createServer((c) => {
  const u = net.connect(Number(port), host);
  c.pipe(u).pipe(c);
  c.on('error', () => u.destroy());
  u.on('error', () => c.destroy());
});
srv.listen(0, listenHost, () => console.log('relay ' + srv.address().port));
`;

export function makeNetnsPeer(): NetnsPeer {
  const id = process.pid % 60000;
  const ns = `chatroom-t${id}`;
  const outer = `crt${id}a`;
  const inner = `crt${id}b`;
  // A /30 of TEST-NET-1 chosen by pid, so two test processes do not share addresses.
  const base = (process.pid % 63) * 4;
  const hostAddress = `192.0.2.${base + 1}`;
  const peerAddress = `192.0.2.${base + 2}`;
  const relays: ChildProcess[] = [];
  const remove = () => {
    for (const r of relays) r.kill('SIGKILL');
    ip('link', 'del', outer); // deletes its peer too
    ip('netns', 'del', ns);
  };
  const steps: string[][] = [
    ['netns', 'add', ns],
    ['link', 'add', outer, 'type', 'veth', 'peer', 'name', inner],
    ['link', 'set', inner, 'netns', ns],
    ['addr', 'add', `${hostAddress}/30`, 'dev', outer],
    ['link', 'set', outer, 'up'],
    ['netns', 'exec', ns, 'ip', 'addr', 'add', `${peerAddress}/30`, 'dev', inner],
    ['netns', 'exec', ns, 'ip', 'link', 'set', inner, 'up'],
    ['netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up'],
  ];
  for (const s of steps) {
    const r = ip(...s);
    if (!r.ok) {
      remove();
      throw new Error(`ip ${s.join(' ')} failed: ${r.err}`);
    }
  }
  process.once('exit', remove);
  return {
    hostAddress,
    peerAddress,
    relay(host, port) {
      const p = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', RELAY, peerAddress, host, String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
      relays.push(p);
      return new Promise((resolve, reject) => {
        let err = '';
        p.stderr!.on('data', (c: Buffer) => (err += c.toString()));
        p.stdout!.on('data', lineListener((line) => {
          const m = /^relay (\d+)$/.exec(line);
          if (m) resolve(Number(m[1]));
        }));
        p.once('exit', (code) => reject(new Error(`relay exited (${code}): ${err}`)));
      });
    },
    remove,
  };
}
