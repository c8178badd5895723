// A small linked IRC network on loopback, for the client core's interop tests:
//
//     hub.net.test (InspIRCd 3) ───spanningtree─── leaf.net.test (InspIRCd 3)
//          │
//     services.net.test (atheme-services 7.2: NickServ, SaslServ)
//
// Every piece gets a generated config in a temp folder and free ports; nothing is a fixed sleep:
// each step waits for its signal. A control client, an IRC operator on the hub with the link
// server notices (MODE +s +lL), links the servers with CONNECT and reads "end of netburst" for each
// link; NickServ answering across the link says the services are usable.
//
//   const net = await startNetwork();
//   ... new IrcClient({ host: '127.0.0.1', port: net.hub.port | net.leaf.port, nick, sasl }) ...
//   await net.split();   // stop the leaf (a netsplit for the hub's users)
//   await net.rejoin();  // start the leaf again and link it back
//   await net.stop();
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lineListener } from '../../helpers/lines.ts';
import { IrcTestClient } from '../../helpers/ircClient.ts';
import { inspircdPath, startInspircd, type Inspircd } from '../../extension/client/support/inspircd.ts';
import { freePort } from '../../extension/client/support/ngircd.ts';

const ATHEME = ['/usr/bin/atheme-services', '/usr/sbin/atheme-services'].find((p) => existsSync(p));

/** Why the network cannot run here, or undefined when it can. */
export function networkMissing(): string | undefined {
  if (!inspircdPath()) return 'inspircd is not installed (test/setup/apt-packages.txt)';
  if (!ATHEME) return 'atheme-services is not installed (test/setup/apt-packages.txt)';
  return undefined;
}

export const HUB = 'hub.net.test';
export const LEAF = 'leaf.net.test';
export const SERVICES = 'services.net.test';
const LINK_PASSWORD = 'link-secret';
const SERVICES_PASSWORD = 'services-secret';
const OPER = { name: 'netctl', password: 'netctl-secret' };

export interface Network {
  hub: Inspircd;
  leaf: Inspircd;
  /** The hub's oper connection (link notices arrive here). */
  control: IrcTestClient;
  /** What atheme printed so far. */
  servicesOutput(): string;
  /** Milliseconds each start step took (hub+leaf, services link, leaf link, NickServ answer). */
  timings: Record<string, number>;
  /** Stops the leaf server: a netsplit for the hub's users. */
  split(): Promise<void>;
  /** Starts the leaf again and links it to the hub; resolves at the end of its burst. */
  rejoin(): Promise<void>;
  /** Links the (running) leaf to the hub again: rejoin() is leaf.start() then relink(). */
  relink(): Promise<void>;
  stop(): Promise<void>;
}

/** The InspIRCd lines that make a server part of the network (both servers get the same shape). */
function linkConfig(self: string, peer: { name: string; linkPort: number }, ownLinkPort: number): string[] {
  return [
    `<bind address="127.0.0.1" port="${ownLinkPort}" type="servers">`,
    `<link name="${peer.name}" ipaddr="127.0.0.1" port="${peer.linkPort}" allowmask="127.0.0.0/8" timeout="10s" sendpass="${LINK_PASSWORD}" recvpass="${LINK_PASSWORD}">`,
    // Services connect in (to the hub; the leaf has the same block so they could use it as uplink).
    `<link name="${SERVICES}" ipaddr="127.0.0.1" port="${ownLinkPort}" allowmask="127.0.0.0/8" timeout="10s" sendpass="${SERVICES_PASSWORD}" recvpass="${SERVICES_PASSWORD}">`,
    `<uline server="${SERVICES}" silent="yes">`,
    `<sasl target="${SERVICES}" requiressl="no">`,
    // An operator for the control connection: CONNECT and the link server notices.
    '<class name="netctl" commands="*" privs="*" usermodes="*" chanmodes="*" snomasks="*">',
    '<type name="NetControl" classes="netctl">',
    `<oper name="${OPER.name}" password="${OPER.password}" host="*@*" type="NetControl">`,
    `# ${self} links to ${peer.name}`,
  ];
}

const NETWORK_MODULES = ['spanningtree', 'services_account', 'sasl', 'ircv3_capnotify', 'chghost', 'svshold'];

function athemeConfig(dataDir: string, hubLinkPort: number, leafLinkPort: number): string {
  const service = (block: string, nick: string, real: string) =>
    `${block} {\n  nick = "${nick}";\n  user = "${nick}";\n  host = "${SERVICES}";\n  real = "${real}";\n};`;
  return [
    ...[
      'backend/opensex', 'crypto/pbkdf2v2',
      'nickserv/main', 'nickserv/help', 'nickserv/register', 'nickserv/identify', 'nickserv/info', 'nickserv/logout',
      'nickserv/set_core', 'nickserv/set_password', 'nickserv/status',
      'saslserv/main', 'saslserv/plain',
    ].map((m) => `loadmodule "modules/${m}";`),
    'loadmodule "modules/protocol/inspircd";',
    'serverinfo {',
    `  name = "${SERVICES}";`,
    '  desc = "Chat Room test services";',
    '  numeric = "42S";',
    '  recontime = 1;',
    '  netname = "ChatRoomNet";',
    '  hidehostsuffix = "users.net.test";',
    '  adminname = "tests";',
    '  adminemail = "tests@example.com";',
    '  registeremail = "noreply@example.com";',
    '  loglevel = { error; info; admin; network; register; };',
    // Tests register many accounts from one address and one email domain in a minute.
    '  maxlogins = 50;',
    '  maxusers = 1000;',
    '  mdlimit = 30;',
    '  emaillimit = 1000;',
    '  emailtime = 300;',
    '  auth = none;',
    '  casemapping = rfc1459;',
    '};',
    `uplink "${HUB}" {\n  host = "127.0.0.1";\n  password = "${SERVICES_PASSWORD}";\n  port = ${hubLinkPort};\n};`,
    `uplink "${LEAF}" {\n  host = "127.0.0.1";\n  password = "${SERVICES_PASSWORD}";\n  port = ${leafLinkPort};\n};`,
    'nickserv {\n  nick = "NickServ";\n  user = "NickServ";\n  host = "' + SERVICES + '";\n  real = "Nickname Services";\n  maxnicks = 5;\n  expire = 30;\n};',
    service('saslserv', 'SaslServ', 'SASL Authentication Agent'),
    `logfile "${join(dataDir, 'services.log')}" { error; info; admin; network; register; };`,
    'general {',
    '  flood_msgs = 1000;',
    '  flood_time = 10;',
    '  ratelimit_uses = 1000;',
    '  ratelimit_period = 60;',
    '  kline_time = 7;',
    '  commit_interval = 5;',
    '  default_clone_allowed = 1000;',
    '  default_clone_warn = 1000;',
    '  uplink_sendq_limit = 1048576;',
    '  immune_level = immune;',
    '  show_entity_id;',
    '  load_database_mdeps;',
    '  hide_opers;',
    '};',
    '',
  ].join('\n');
}

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const p of live) p.kill('SIGKILL');
});

/** Starts atheme in the foreground; resolves once the process is running (the link is awaited by the caller). */
function startAtheme(conf: string, dataDir: string): { proc: ChildProcess; output(): string; exited: Promise<void> } {
  let out = '';
  // -n: foreground, logging to stdout as well; -D: the database (services.db) goes to the temp folder.
  const args = ['-n', '-c', conf, '-D', dataDir, '-l', join(dataDir, 'atheme.log'), '-p', join(dataDir, 'atheme.pid')];
  const proc = spawn(ATHEME!, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(proc);
  for (const stream of [proc.stdout!, proc.stderr!]) stream.on('data', (c: Buffer) => (out += c.toString('utf8')));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => (live.delete(proc), resolve())));
  return { proc, output: () => out, exited };
}

/** A notice's text without IRC formatting (InspIRCd bolds server names: \x02leaf.net.test\x02). */
const plain = (text: string | undefined) => (text ?? '').replace(/[\x02\x0f\x16\x1d\x1f]/g, '');

/** Resolves at the hub's "end of netburst" notice for `server`. */
function endOfBurst(control: IrcTestClient, server: string, timeoutMs = 30_000) {
  return control.waitFor((m) => m.command === 'NOTICE' && /end of netburst/i.test(plain(m.params.at(-1))) && plain(m.params.at(-1)).includes(server), timeoutMs);
}

export async function startNetwork(): Promise<Network> {
  const missing = networkMissing();
  if (missing) throw new Error(missing);
  const timings: Record<string, number> = {};
  let t = Date.now();
  const step = (name: string) => {
    const now = Date.now();
    timings[name] = now - t;
    t = now;
  };

  let hub: Inspircd, leaf: Inspircd, control: IrcTestClient, dataDir: string;
  let atheme: ReturnType<typeof startAtheme>;
  let link: () => Promise<void>;
  // What is running so far, stopped in reverse order if a later step fails.
  const cleanups: Array<() => Promise<void>> = [];
  const undo = async () => {
    for (const c of cleanups.reverse()) await c().catch(() => {});
  };
  try {
    const [hubLink, leafLink] = [await freePort(), await freePort()];
    const started = await Promise.allSettled([
      startInspircd({ name: HUB, sid: '1HB', network: 'ChatRoomNet', defaultModes: 'not', modules: NETWORK_MODULES, config: () => linkConfig(HUB, { name: LEAF, linkPort: leafLink }, hubLink) }),
      startInspircd({ name: LEAF, sid: '2LF', network: 'ChatRoomNet', defaultModes: 'not', modules: NETWORK_MODULES, config: () => linkConfig(LEAF, { name: HUB, linkPort: hubLink }, leafLink) }),
    ]);
    for (const r of started) if (r.status === 'fulfilled') cleanups.push(r.value.stop);
    for (const r of started) if (r.status === 'rejected') throw r.reason;
    hub = (started[0] as PromiseFulfilledResult<Inspircd>).value;
    leaf = (started[1] as PromiseFulfilledResult<Inspircd>).value;
    step('servers');

    control = await IrcTestClient.connect(hub.port);
    const ctl = control;
    cleanups.push(() => ctl.close());
    await control.register('netctl', { noCap: true });
    control.send(`OPER ${OPER.name} ${OPER.password}`);
    await control.waitFor('381');
    control.send('MODE netctl +s +lL');
    await control.sync();

    dataDir = mkdtempSync(join(tmpdir(), 'chatroom-atheme-'));
    const data = dataDir;
    cleanups.push(async () => rmSync(data, { recursive: true, force: true }));
    const conf = join(dataDir, 'atheme.conf');
    writeFileSync(conf, athemeConfig(dataDir, hubLink, leafLink), { mode: 0o644 });
    const servicesLinked = endOfBurst(control, SERVICES);
    atheme = startAtheme(conf, dataDir);
    const services = atheme;
    cleanups.push(async () => {
      services.proc.kill('SIGTERM');
      await services.exited;
    });
    try {
      await Promise.race([
        servicesLinked,
        atheme.exited.then(() => {
          throw new Error(`atheme exited (${services.proc.exitCode ?? services.proc.signalCode}) before linking`);
        }),
      ]);
    } catch (err) {
      throw new Error(`${(err as Error).message}\n--- atheme output:\n${atheme.output()}\n--- hub output:\n${hub.output()}`);
    }
    step('services');

    // A CONNECT sent on a loaded machine is sometimes never followed by the link (seen once in a
    // full CI-style run): try again, a few times, before giving up.
    link = async () => {
      for (let attempt = 1; ; attempt++) {
        const burst = endOfBurst(ctl, LEAF, 10_000);
        ctl.send(`CONNECT ${LEAF}`);
        try {
          await burst;
          return;
        } catch (err) {
          if (attempt === 4) throw err;
        }
      }
    };
    await link();
    step('link');

    // Services answer from the leaf too: a NickServ round trip across the link.
    const probe = await IrcTestClient.connect(leaf.port);
    await probe.register('netprobe', { noCap: true });
    probe.send('PRIVMSG NickServ :HELP');
    await probe.waitFor((m) => m.command === 'NOTICE' && (m.source ?? '').startsWith('NickServ'), 15_000);
    await probe.close();
    step('nickserv');
  } catch (err) {
    await undo();
    throw err;
  }

  return {
    hub,
    leaf,
    control,
    timings,
    servicesOutput: atheme.output,
    split: async () => {
      const gone = control.waitFor((m) => m.command === 'NOTICE' && plain(m.params.at(-1)).includes(`Server ${LEAF} split`), 15_000);
      await leaf.kill();
      await gone;
    },
    rejoin: async () => {
      await leaf.start();
      await link();
    },
    relink: link,
    stop: async () => {
      await control.close().catch(() => {});
      if (atheme.proc.exitCode === null && atheme.proc.signalCode === null) atheme.proc.kill('SIGTERM');
      await atheme.exited;
      await Promise.all([hub.stop(), leaf.stop()]);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
