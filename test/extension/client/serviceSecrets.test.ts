// Passwords we give to services are masked in what services say back (serviceSecrets.ts): atheme's
// REGISTER reply repeats the password. Through a Session fed with lines (fakeSession), as in production.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IrcClient } from '../../../src/extension/client/ircClient.ts';
import { ircMessage } from '../../../src/protocol/message.ts';
import { MASK, ServiceSecrets, serviceCommandSecret } from '../../../src/extension/client/serviceSecrets.ts';
import type { ChatMessage } from '../../../src/extension/client/types.ts';
import { IrcTestClient, startServer } from '../../helpers/index.ts';
import { registered } from './support/fakeSession.ts';
import { nextEvent } from './support/wait.ts';

test('the password of each command to services', () => {
  assert.equal(serviceCommandSecret('REGISTER hunter22 ann@example.com'), 'hunter22');
  assert.equal(serviceCommandSecret('identify hunter22'), 'hunter22');
  assert.equal(serviceCommandSecret('IDENTIFY ann hunter22'), 'hunter22');
  assert.equal(serviceCommandSecret('SET PASSWORD n3w-pass'), 'n3w-pass');
  assert.equal(serviceCommandSecret('GHOST ann hunter22'), 'hunter22');
  assert.equal(serviceCommandSecret('INFO ann'), undefined);
  assert.equal(serviceCommandSecret(''), undefined);
});

test('a word that is a password is masked, formatting and punctuation around it too; other words stay', () => {
  const secrets = new ServiceSecrets(['hunter22', undefined]);
  assert.equal(secrets.mask('ann is now registered to ann@example.com, with the password \x02hunter22\x02.'), `ann is now registered to ann@example.com, with the password ${MASK}.`);
  assert.equal(secrets.mask('Your password is "hunter22" - remember it'), `Your password is "${MASK}" - remember it`);
  // A word that merely contains it is someone else's word.
  assert.equal(secrets.mask('hunter222 and xhunter22'), 'hunter222 and xhunter22');
  assert.equal(secrets.mask('nothing here'), 'nothing here');
});

test('NickServ repeating the REGISTER password, and our echoed REGISTER: masked in the raw log, the message and the client’s memory; a user saying it is not services', () => {
  const f = registered({}, 'echo-message');
  const raw: string[] = [];
  const messages: ChatMessage[] = [];
  f.events.raw.event((l) => raw.push(l.line));
  f.events.message.event((m) => messages.push(m));
  f.s.send(ircMessage('PRIVMSG', ['NickServ', 'REGISTER s3cret-word me@example.com']));
  f.feed(':me!me@host PRIVMSG NickServ :REGISTER s3cret-word me@example.com'); // echo-message
  f.feed(':NickServ!NickServ@services.example NOTICE me :\x02me\x02 is now registered to \x02me@example.com\x02, with the password \x02s3cret-word\x02.');
  f.feed(':ann!ann@host PRIVMSG me :is s3cret-word your password?');
  const fromServices = messages.find((m) => m.from === 'NickServ');
  assert.equal(fromServices?.text, `me is now registered to me@example.com, with the password ${MASK}.`);
  const toOrFromServices = raw.filter((l) => /NickServ/.test(l));
  assert.ok(toOrFromServices.length === 3 && !toOrFromServices.some((l) => l.includes('s3cret-word')), raw.join('\n'));
  const held = f.state.conversations.get(f.state.fold('NickServ'))?.messages ?? [];
  assert.ok(held.length > 0 && !held.some((m) => m.text.includes('s3cret-word')), JSON.stringify(held));
  assert.equal(messages.find((m) => m.from === 'ann')?.text, 'is s3cret-word your password?');
});

test('the SASL password is masked too, from the first line', () => {
  const f = registered({ sasl: { account: 'me', password: 'sasl-pass-1' } });
  const messages: ChatMessage[] = [];
  f.events.message.event((m) => messages.push(m));
  f.feed(':NickServ!NickServ@services.example NOTICE me :Your password is sasl-pass-1');
  assert.equal(messages[0]?.text, `Your password is ${MASK}`);
});

test('a password typed to services in their conversation (IDENTIFY): shown masked at once, delivered by its echo, masked in the answer (our server, a plain client as the service)', async () => {
  const srv = await startServer();
  const service = await IrcTestClient.connect(srv.port);
  const c = new IrcClient({ host: '127.0.0.1', port: srv.port, nick: 'typist', reconnect: false });
  try {
    await service.register('TestServ');
    await c.connect();
    const shown: ChatMessage[] = [];
    c.onDidMessage((m) => shown.push(m));
    const delivered = nextEvent(c.onDidChangeMessageState, (x) => x.state === 'delivered', 'our line delivered');
    c.sendMessage('TestServ', 'IDENTIFY typist typed-pass-9');
    const got = await service.waitFor((m) => m.command === 'PRIVMSG');
    assert.equal(got.params[1], 'IDENTIFY typist typed-pass-9', 'the service gets the real password');
    await delivered;
    service.send('NOTICE typist :You are now identified; your password is typed-pass-9.');
    const answer = await nextEvent(c.onDidMessage, (m) => m.from === 'TestServ', 'the answer');
    assert.equal(answer.text, `You are now identified; your password is ${MASK}.`);
    assert.deepEqual(shown.filter((m) => m.self).map((m) => m.text), [`IDENTIFY typist ${MASK}`], 'our line, once, masked');
    assert.ok(!c.messages('TestServ').some((m) => m.text.includes('typed-pass-9')));
  } finally {
    await c.quit().catch(() => undefined);
    c.dispose();
    await service.close();
    await srv.stop();
  }
});
