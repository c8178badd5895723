// chatroom.* settings (src/extension/chat/settings.ts): defaults, refused values, input validators.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import {
  normalizeRoomName,
  parseServerEntry,
  readChatSettings,
  userOnlyValue,
  USER_ONLY_SETTINGS,
  validateAccount,
  validateHost,
  validateNewPassword,
  validateNick,
  validatePassword,
  validatePort,
  validateRoomName,
} from '../../../src/extension/chat/settings.ts';

const read = (values: Record<string, unknown>, os = 'Jean Dupont') => readChatSettings((k) => values[k], os);

test('nothing set: the documented defaults, the nick from the OS user name', () => {
  const { settings, problems } = read({});
  assert.deepEqual(problems, []);
  assert.deepEqual(settings, {
    host: '127.0.0.1',
    port: 6667,
    tls: false,
    servers: [],
    tlsCertificate: '',
    tlsFingerprint: '',
    nickname: 'JeanDupont',
    autoConnect: false,
    rooms: ['#general'],
    serverHost: '127.0.0.1',
    serverPort: 6667,
    serverTlsPort: 6697,
    transcriptsFolder: ['.chat'],
    notifications: 'mentionsAndDirect',
  });
});

test('valid values are taken as they are', () => {
  const { settings, problems } = read({ host: 'chat.example.com', port: 6697, tls: true, tlsCertificate: ' certs/team.pem ', tlsFingerprint: ' ab:cd ', nickname: 'al[1]', rooms: ['#a', 'b', '#A'], 'transcripts.folder': 'docs/chat', notifications: 'all', autoConnect: true });
  assert.deepEqual(problems, []);
  assert.equal(settings.tlsCertificate, 'certs/team.pem');
  assert.equal(settings.tlsFingerprint, 'ab:cd', 'checked on connect, where a bad one is an error naming it');
  assert.equal(settings.nickname, 'al[1]');
  assert.deepEqual(settings.rooms, ['#A', '#b']);
  assert.deepEqual(settings.transcriptsFolder, ['docs', 'chat']);
  assert.equal(settings.tls && settings.autoConnect, true);
});

test('refused values fall back to defaults, each with a sentence naming the setting', () => {
  const { settings, problems } = read({ port: 70000, 'server.port': 'x', nickname: '1 bad nick', rooms: ['#ok', 'no spaces here', 3], 'transcripts.folder': '../outside', notifications: 'loud', host: 'http://x/y' });
  assert.equal(settings.port, 6667);
  assert.equal(settings.serverPort, 6667);
  assert.equal(settings.nickname, 'JeanDupont');
  assert.deepEqual(settings.rooms, ['#ok']);
  assert.deepEqual(settings.transcriptsFolder, ['.chat']);
  assert.equal(settings.notifications, 'mentionsAndDirect');
  assert.equal(settings.host, '127.0.0.1');
  assert.deepEqual(problems.map((p) => p.setting).sort(), ['chatroom.host', 'chatroom.nickname', 'chatroom.notifications', 'chatroom.port', 'chatroom.rooms', 'chatroom.server.port', 'chatroom.transcripts.folder']);
  for (const p of problems) assert.ok(p.message.startsWith(p.setting), p.message);
});

test('input box validators say what is wrong', () => {
  assert.equal(validateNick('alice'), undefined);
  assert.match(validateNick('') ?? '', /Enter/);
  assert.match(validateNick('9lives') ?? '', /digit/);
  assert.match(validateNick('a b') ?? '', /no spaces/);
  assert.match(validateNick('x'.repeat(31)) ?? '', /30/);
  assert.match(validateAccount('a b') ?? '', /account name/);
  assert.equal(validateRoomName('team'), undefined);
  assert.equal(normalizeRoomName('team'), '#team');
  assert.match(validateRoomName('#a,b') ?? '', /commas/);
  assert.match(validateRoomName('#') ?? '', /Enter/);
  assert.match(validatePassword('') ?? '', /Enter a password/);
  assert.match(validatePassword(' x') ?? '', /space/);
  assert.match(validateNewPassword('short') ?? '', /8/);
  assert.equal(validateNewPassword('long enough'), undefined);
  assert.equal(validatePort('6667'), undefined);
  assert.ok(validatePort('0'));
  assert.ok(validatePort(1.5));
  assert.equal(validateHost('::1'), undefined);
  assert.ok(validateHost('a b'));
});

test('where it connects and what it trusts come from the user settings only, never a workspace', () => {
  for (const key of ['host', 'port', 'tls', 'tlsCertificate', 'tlsFingerprint', 'server.host']) assert.ok(USER_ONLY_SETTINGS.has(key), key);
  assert.equal(USER_ONLY_SETTINGS.has('nickname'), false);
  const inspected = { defaultValue: '127.0.0.1', globalValue: undefined, workspaceValue: 'evil.example', workspaceFolderValue: '0.0.0.0' };
  assert.equal(userOnlyValue(inspected), '127.0.0.1');
  assert.equal(userOnlyValue({ ...inspected, globalValue: 'chat.team.example' }), 'chat.team.example');
  assert.equal(userOnlyValue(undefined), undefined);
});

test('chatroom.servers: "host:port" or { host, port, tls }, tried in order; the first stands for the network; bad entries skipped with a sentence', () => {
  const values: Record<string, unknown> = {
    host: 'ignored.example',
    tls: true,
    servers: ['hub.example:6697', { host: 'leaf.example', port: 6667, tls: false }, '[::1]:7000', 'no-port', { host: 'x y', port: 1 }, { host: 'h', port: 70000 }, 'hub.example:6697'],
  };
  const { settings, problems } = readChatSettings((k) => values[k], 'ann');
  assert.deepEqual(settings.servers, [
    { host: 'hub.example', port: 6697, tls: true },
    { host: 'leaf.example', port: 6667, tls: false },
    { host: '::1', port: 7000, tls: true },
  ]);
  assert.equal(settings.host, 'hub.example');
  assert.equal(settings.port, 6697);
  assert.equal(settings.tls, true);
  assert.equal(problems.length, 1);
  assert.equal(problems[0]!.setting, 'chatroom.servers');
  assert.match(problems[0]!.message, /"no-port" is not "host:port"/);
  assert.match(problems[0]!.message, /a port is a whole number/);
  // Empty: chatroom.host and chatroom.port as before.
  const plain: Record<string, unknown> = { host: 'chat.example', port: 7000, servers: [] };
  const none = readChatSettings((k) => plain[k], 'ann').settings;
  assert.deepEqual([none.host, none.port, none.servers], ['chat.example', 7000, []]);
  assert.equal(readChatSettings((k) => (k === 'servers' ? 'hub:1' : undefined), 'ann').problems[0]?.setting, 'chatroom.servers');
  assert.deepEqual(parseServerEntry('irc.example.com:6697', false), { host: 'irc.example.com', port: 6697, tls: false });
});

test('chatroom.servers is user-only, like chatroom.host: application scope in package.json, read without workspace values', async () => {
  assert.ok(USER_ONLY_SETTINGS.has('servers'));
  const pkg = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')) as { contributes: { configuration: { properties: Record<string, { scope?: string }> } } };
  assert.equal(pkg.contributes.configuration.properties['chatroom.servers']?.scope, 'application');
  for (const key of USER_ONLY_SETTINGS) assert.equal(pkg.contributes.configuration.properties[`chatroom.${key}`]?.scope, 'application', key);
});
