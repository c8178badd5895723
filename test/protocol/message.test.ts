import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseMessage, serializeMessage, truncateUtf8, IrcParseError, IrcSerializeError, type IrcMessage } from '../../src/protocol/message.ts';

// Vectors in the style of the ircdocs parser tests: what deployed servers actually send.
const splitCases: Array<[string, Partial<IrcMessage>]> = [
  ['foo bar baz asdf', { command: 'foo', params: ['bar', 'baz', 'asdf'] }],
  [':coolguy foo bar baz asdf', { source: 'coolguy', command: 'foo', params: ['bar', 'baz', 'asdf'] }],
  ['foo bar baz :asdf quux', { command: 'foo', params: ['bar', 'baz', 'asdf quux'] }],
  ['foo bar baz :', { command: 'foo', params: ['bar', 'baz', ''] }],
  ['foo bar baz ::asdf', { command: 'foo', params: ['bar', 'baz', ':asdf'] }],
  [':coolguy foo bar baz :  asdf quux ', { source: 'coolguy', command: 'foo', params: ['bar', 'baz', '  asdf quux '] }],
  ['@a=b;c=32;k;rt=ql7 foo', { tags: { a: 'b', c: '32', k: '', rt: 'ql7' }, command: 'foo', params: [] }],
  ['@a=b\\\\and\\nk;c=72\\s45;d=gh\\:764 foo', { tags: { a: 'b\\and\nk', c: '72 45', d: 'gh;764' }, command: 'foo', params: [] }],
  ['@c;h=;a=b :quux ab cd', { tags: { c: '', h: '', a: 'b' }, source: 'quux', command: 'ab', params: ['cd'] }],
  [':src JOIN :#chan', { source: 'src', command: 'JOIN', params: ['#chan'] }],
  [':src AWAY ', { source: 'src', command: 'AWAY', params: [] }],
  [':cool\tguy foo bar', { source: 'cool\tguy', command: 'foo', params: ['bar'] }],
  [':srv 432  #momo :Erroneous Nickname', { source: 'srv', command: '432', params: ['#momo', 'Erroneous Nickname'] }],
  [':srv MODE #foo-bar +o foobar  ', { source: 'srv', command: 'MODE', params: ['#foo-bar', '+o', 'foobar'] }],
  ['@tag1=value\\\\ntest COMMAND', { tags: { tag1: 'value\\ntest' }, command: 'COMMAND', params: [] }],
  ['@tag1=value\\1 COMMAND', { tags: { tag1: 'value1' }, command: 'COMMAND', params: [] }],
  ['@tag1=value1\\ COMMAND', { tags: { tag1: 'value1' }, command: 'COMMAND', params: [] }],
  ['@t=1;u=3;t=5;vendor.example/u=8 COMMAND', { tags: { t: '5', u: '3', 'vendor.example/u': '8' }, command: 'COMMAND', params: [] }],
  ['@+draft/reply=abc;+typing=active TAGMSG #c', { tags: { '+draft/reply': 'abc', '+typing': 'active' }, command: 'TAGMSG', params: ['#c'] }],
];

test('parses the message shapes deployed servers send', () => {
  for (const [input, expected] of splitCases) {
    const msg = parseMessage(input);
    assert.deepEqual(msg, { tags: {}, params: [], ...expected }, input);
  }
});

test('refuses lines that are not IRC messages', () => {
  for (const bad of ['', '   ', ':onlysource', '@a=b', 'PRIV MSG\0x', 'a\r\nQUIT', '12 foo', 'FOO1 bar', '@=x CMD']) {
    assert.throws(() => parseMessage(bad), (e: unknown) => e instanceof Error && /Irc(Parse|Tag)Error/.test(e.name), JSON.stringify(bad));
  }
});

test('serialises with a trailing colon only when the last parameter needs one', () => {
  assert.equal(serializeMessage({ tags: {}, command: 'PRIVMSG', params: ['#a', 'hi'] }), 'PRIVMSG #a hi');
  assert.equal(serializeMessage({ tags: {}, command: 'PRIVMSG', params: ['#a', 'hi there'] }), 'PRIVMSG #a :hi there');
  assert.equal(serializeMessage({ tags: {}, command: 'PRIVMSG', params: ['#a', ''] }), 'PRIVMSG #a :');
  assert.equal(serializeMessage({ tags: {}, command: 'PRIVMSG', params: ['#a', ':)'] }), 'PRIVMSG #a ::)');
  assert.equal(
    serializeMessage({ tags: { time: '2026-01-01T00:00:00.000Z', '+x': 'a;b c' }, source: 'n!u@h', command: 'PRIVMSG', params: ['#a', 'x'] }),
    '@time=2026-01-01T00:00:00.000Z;+x=a\\:b\\sc :n!u@h PRIVMSG #a x',
  );
});

test('the serialiser refuses anything that would inject a second command', () => {
  const bad: IrcMessage[] = [
    { tags: {}, command: 'PRIVMSG', params: ['#a', 'hi\r\nQUIT'] },
    { tags: {}, command: 'PRIVMSG', params: ['#a b', 'hi'] },
    { tags: {}, command: 'PRIVMSG', params: [':x', 'hi'] },
    { tags: {}, command: 'PRIVMSG', params: ['', 'hi'] },
    { tags: {}, source: 'a b', command: 'PRIVMSG', params: ['#a', 'hi'] },
    { tags: {}, command: 'PRIV MSG', params: [] },
  ];
  for (const msg of bad) assert.throws(() => serializeMessage(msg), IrcSerializeError, JSON.stringify(msg));
});

test('truncateUtf8 never splits a character', () => {
  assert.equal(truncateUtf8('héllo', 2), 'h');
  assert.equal(truncateUtf8('héllo', 3), 'hé');
  assert.equal(truncateUtf8('a😀b', 4), 'a');
  assert.equal(truncateUtf8('a😀b', 5), 'a😀');
  assert.equal(truncateUtf8('short', 100), 'short');
});

// Property: anything the serialiser accepts parses back to the same message, and the parser
// never throws anything but its own errors, whatever the input.
const word = fc.stringMatching(/^[^\0\r\n :][^\0\r\n ]{0,15}$/);
const text = fc.string({ maxLength: 40 }).filter((s) => !/[\0\r\n]/.test(s));
const tagKey = fc.stringMatching(/^\+?([a-z0-9]{1,6}\.[a-z]{2,3}\/)?[A-Za-z0-9-]{1,10}$/);
const arbMessage = fc.record({
  tags: fc.dictionary(tagKey, text, { maxKeys: 4 }),
  source: fc.option(fc.stringMatching(/^[^\0\r\n :][^\0\r\n ]{0,20}$/), { nil: undefined }),
  command: fc.oneof(fc.stringMatching(/^[A-Za-z]{1,12}$/), fc.stringMatching(/^[0-9]{3}$/)),
  params: fc.tuple(fc.array(word, { maxLength: 5 }), fc.option(text, { nil: undefined })).map(([mid, last]) =>
    last === undefined ? mid : [...mid, last],
  ),
});

test('property: serialise then parse round-trips', () => {
  fc.assert(
    fc.property(arbMessage, (m) => {
      const base = { tags: { ...m.tags }, command: m.command, params: m.params };
      const msg: IrcMessage = m.source === undefined ? base : { ...base, source: m.source };
      const back = parseMessage(serializeMessage(msg));
      assert.deepEqual(back, msg);
    }),
    { numRuns: 2000 },
  );
});

test('property: the parser only ever throws its own errors', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 200, unit: 'binary' }), (s) => {
      try {
        parseMessage(s);
      } catch (e) {
        assert.ok(e instanceof IrcParseError || (e instanceof Error && e.name === 'IrcTagError'), String(e));
      }
    }),
    { numRuns: 5000 },
  );
});
