// ADMIN, INFO, HELP/HELPOP and the server targets of VERSION, TIME, MOTD and LUSERS against the real
// server (what irssi's /admin, /info, /version and /quote help show).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ERR_HELPNOTFOUND,
  ERR_NOMOTD,
  ERR_NOSUCHSERVER,
  RPL_ADMINEMAIL,
  RPL_ADMINLOC1,
  RPL_ADMINLOC2,
  RPL_ADMINME,
  RPL_ENDOFHELP,
  RPL_ENDOFINFO,
  RPL_ENDOFMOTD,
  RPL_GLOBALUSERS,
  RPL_HELPSTART,
  RPL_HELPTXT,
  RPL_INFO,
  RPL_TIME,
  RPL_VERSION,
} from '../../../src/protocol/numerics.ts';
import type { IrcMessage } from '../../../src/protocol/message.ts';
import type { IrcTestClient } from '../../helpers/index.ts';
import { harness, type Harness } from '../helpers.ts';

const numerics = (lines: IrcMessage[]) => lines.map((m) => m.command);
const texts = (lines: IrcMessage[]) => lines.map((m) => m.params.at(-1) ?? '');

describe('ADMIN, INFO, HELP', () => {
  let h: Harness;
  let c: IrcTestClient;
  before(async () => {
    // Flood control off: the drift check below asks HELP for every command in a row.
    h = await harness({ args: ['--server-name', 'chat.example.org', '--admin-contact', 'Ops team <ops@example.org>', '--flood-control', 'off'] });
    c = await h.user('infouser');
    c.skipAll();
  });
  after(async () => {
    await h.stop();
  });

  it('ADMIN answers 256-259 with the server, what it is and the --admin-contact', async () => {
    c.send('ADMIN');
    const lines = await c.collectUntil(RPL_ADMINEMAIL);
    assert.deepEqual(numerics(lines), [RPL_ADMINME, RPL_ADMINLOC1, RPL_ADMINLOC2, RPL_ADMINEMAIL]);
    assert.equal(lines[0]?.params[1], 'chat.example.org');
    assert.match(lines[1]?.params[1] ?? '', /chat\.example\.org.*Chat Room server/);
    assert.equal(lines[3]?.params[1], 'Ops team <ops@example.org>');
  });

  it('ADMIN takes our server name, a mask of it or a user as target; another server gets 402', async () => {
    for (const target of ['chat.example.org', 'CHAT.example.org', '*.example.org', 'infouser']) {
      c.send(`ADMIN ${target}`);
      const lines = await c.collectUntil(RPL_ADMINEMAIL);
      assert.equal(lines[0]?.command, RPL_ADMINME, target);
    }
    c.send('ADMIN other.server');
    const r = await c.waitFor(ERR_NOSUCHSERVER);
    assert.equal(r.params[1], 'other.server');
    await c.sync();
    assert.deepEqual(c.unreturned((m) => m.command === RPL_ADMINME), []);
  });

  it('VERSION, TIME, MOTD and LUSERS answer for this server and give 402 for another', async () => {
    // [command line, the numeric that ends its answer]
    const cases: Array<[string, (m: IrcMessage) => boolean]> = [
      ['VERSION chat.example.org', (m) => m.command === RPL_VERSION],
      ['TIME *.example.org', (m) => m.command === RPL_TIME],
      ['MOTD chat.example.org', (m) => m.command === RPL_ENDOFMOTD || m.command === ERR_NOMOTD],
      ['LUSERS * chat.example.org', (m) => m.command === RPL_GLOBALUSERS],
    ];
    for (const [line, isEnd] of cases) {
      c.send(line);
      const answer = await c.collectUntil((m) => isEnd(m) || m.command === ERR_NOSUCHSERVER);
      assert.notEqual(answer.at(-1)?.command, ERR_NOSUCHSERVER, line);
      const foreign = line.replace(/\S+$/, 'elsewhere.example.net');
      c.send(foreign);
      const refused = await c.collectUntil((m) => isEnd(m) || m.command === ERR_NOSUCHSERVER);
      assert.deepEqual(refused.map((m) => m.command), [ERR_NOSUCHSERVER], foreign);
      assert.equal(refused[0]?.params[1], 'elsewhere.example.net');
    }
  });

  it('INFO gives name and version, Node and SQLite versions and the start time, then 374', async () => {
    c.send('INFO');
    const lines = await c.collectUntil(RPL_ENDOFINFO);
    const info = lines.filter((m) => m.command === RPL_INFO);
    assert.equal(info.length + 1, lines.length, 'only 371 lines before 374');
    const text = texts(info).join('\n');
    assert.match(text, /Chat Room server chatroom-\S+ \(chat\.example\.org\)/);
    assert.ok(text.includes(`Node.js ${process.version}`), text);
    assert.match(text, /SQLite \d+\.\d+/);
    assert.match(text, /Started .* GMT, up \d+d \d+h \d+m \d+s/);
    c.send('INFO other.server');
    await c.waitFor(ERR_NOSUCHSERVER);
  });

  it('HELP without a subject lists the commands, PRIVMSG, JOIN and CHATHISTORY among them', async () => {
    c.send('HELP');
    const lines = await c.collectUntil(RPL_ENDOFHELP);
    assert.equal(lines[0]?.command, RPL_HELPSTART);
    assert.ok(lines.slice(1, -1).every((m) => m.command === RPL_HELPTXT));
    const words = new Set(texts(lines).join(' ').split(/\s+/));
    for (const verb of ['PRIVMSG', 'JOIN', 'CHATHISTORY', 'WHOWAS', 'ADMIN', 'INFO', 'HELP', 'MONITOR']) assert.ok(words.has(verb), verb);
    assert.match(texts(lines).join('\n'), /HELP <command>/);
  });

  it('HELP privmsg (any case) gives its syntax and text between 704 and 706; HELPOP is the same', async () => {
    c.send('HELP privmsg');
    const lines = await c.collectUntil(RPL_ENDOFHELP);
    assert.equal(lines[0]?.command, RPL_HELPSTART);
    assert.equal(lines.at(-1)?.command, RPL_ENDOFHELP);
    assert.equal(lines[0]?.params[1], 'privmsg');
    const body = texts(lines.filter((m) => m.command === RPL_HELPTXT));
    assert.equal(body[0], 'Syntax: PRIVMSG <target>{,<target>} :<text>');
    assert.ok(body.length >= 2);
    c.send('HELPOP PrivMsg');
    const again = await c.collectUntil(RPL_ENDOFHELP);
    assert.deepEqual(texts(again.filter((m) => m.command === RPL_HELPTXT)), body);
  });

  it('HELP for an unknown subject gets 524 and nothing else', async () => {
    c.send('HELP nosuch');
    const r = await c.waitFor(ERR_HELPNOTFOUND);
    assert.equal(r.params[1], 'nosuch');
    c.send('HELP :two words');
    const r2 = await c.waitFor(ERR_HELPNOTFOUND);
    assert.equal(r2.params[1], 'two_words');
    await c.sync();
    assert.deepEqual(c.unreturned((m) => m.command === RPL_HELPSTART), []);
  });

  it('every command in the index has help (no 524): the index and the texts cannot drift apart', async () => {
    c.send('HELP');
    const index = await c.collectUntil(RPL_ENDOFHELP);
    const verbs = texts(index)
      .flatMap((t) => t.replace(/^Server operators only:/, '').split(/\s+/))
      .filter((w) => /^[A-Z]{3,}$/.test(w));
    assert.ok(verbs.length > 30, verbs.join(' '));
    for (const verb of verbs) {
      c.send(`HELP ${verb}`);
      const lines = await c.collectUntil((m) => m.command === RPL_ENDOFHELP || m.command === ERR_HELPNOTFOUND);
      assert.equal(lines.at(-1)?.command, RPL_ENDOFHELP, verb);
      const syntax = texts(lines)[1] ?? '';
      assert.ok(syntax.startsWith('Syntax: ') && syntax.includes(verb), `${verb}: ${syntax}`);
      // A derived syntax line alone means the command has no entry in HELP_TEXTS.
      assert.ok(lines.length >= 4, `add a help text for ${verb} in src/server/commands/helpTexts.ts`);
    }
  });
});

describe('ADMIN without --admin-contact', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
  });
  after(async () => {
    await h.stop();
  });

  it('says that no contact is configured and how to set one', async () => {
    const c = await h.user('noadmin');
    c.send('ADMIN');
    const r = await c.waitFor(RPL_ADMINEMAIL);
    assert.match(r.params[1] ?? '', /--admin-contact/);
  });
});
