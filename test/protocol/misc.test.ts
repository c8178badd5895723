import { test } from 'node:test';
import assert from 'node:assert/strict';
import { casefold, sameName } from '../../src/protocol/casemap.ts';
import { isValidNick, isValidChannelName } from '../../src/protocol/validate.ts';
import { parseSource, matchMask } from '../../src/protocol/source.ts';
import { applyIsupportTokens, buildIsupportLines, parsePrefix, type IsupportValue } from '../../src/protocol/isupport.ts';
import { parseCapList } from '../../src/protocol/caps.ts';

test('rfc1459 casemapping folds []\\~ with their lower-case forms', () => {
  assert.equal(casefold('Nick[A]\\~'), 'nick{a}|^');
  assert.ok(sameName('#Room', '#room'));
  assert.equal(casefold('Ä'), 'Ä');
  for (const [name, strict, ascii] of [['a~', 'a~', 'a~'], ['A[]\\', 'a{}|', 'a[]\\'], ['x^{}|', 'x^{}|', 'x^{}|']]) {
    assert.equal(casefold(name!, 'strict-rfc1459'), strict, name);
    assert.equal(casefold(name!, 'ascii'), ascii, name);
  }
});

test('casefold: a name folded already comes back as it is; the first character to fold may be anywhere', () => {
  for (const folded of ['', 'alice', '!0a1b2c', '#room{a}|^']) assert.equal(casefold(folded), folded);
  assert.equal(casefold('alicE'), 'alice');
  assert.equal(casefold('ab~[C'), 'ab^{c');
  assert.equal(casefold('ab~[C', 'strict-rfc1459'), 'ab~{c');
  assert.equal(casefold('ab~[C', 'ascii'), 'ab~[c');
});

test('nick and channel validity', () => {
  for (const ok of ['alice', 'Bob_', '[x]', 'a-1', '`q']) assert.ok(isValidNick(ok), ok);
  for (const bad of ['', '1abc', '-a', 'a b', 'a,b', 'a!b', 'a@b', 'a.b', '#a', 'x'.repeat(31), 'é']) assert.ok(!isValidNick(bad), bad);
  for (const ok of ['#a', '#room-1', '#é']) assert.ok(isValidChannelName(ok), ok);
  for (const bad of ['#', 'room', '#a b', '#a,b', '#a\x07', '#:x', '#' + 'x'.repeat(64)]) assert.ok(!isValidChannelName(bad), bad);
});

test('sources and ban masks', () => {
  assert.deepEqual(parseSource('nick!user@host'), { nick: 'nick', user: 'user', host: 'host' });
  assert.deepEqual(parseSource('irc.example.com'), { nick: 'irc.example.com' });
  assert.deepEqual(parseSource('nick@host'), { nick: 'nick', host: 'host' });
  assert.ok(matchMask('*!*@127.0.0.1', 'Alice!a@127.0.0.1', casefold));
  assert.ok(matchMask('ALICE!*@*', 'alice!x@y', casefold));
  assert.ok(!matchMask('bob!*@*', 'alice!x@y', casefold));
  assert.ok(matchMask('a?c*', 'abcdef', casefold));
  // Pathological masks stay fast (no regex backtracking blow-up).
  assert.ok(!matchMask('*a*a*a*a*a*a*a*a*b', 'a'.repeat(5000), casefold));
});

test('ISUPPORT tokens round-trip and negate', () => {
  const map = new Map<string, IsupportValue>();
  const [line] = buildIsupportLines([['NETWORK', 'My Net'], ['UTF8ONLY', true], ['PREFIX', '(ov)@+']]);
  applyIsupportTokens(map, line!);
  assert.equal(map.get('NETWORK'), 'My Net');
  assert.equal(map.get('UTF8ONLY'), true);
  applyIsupportTokens(map, ['-UTF8ONLY']);
  assert.equal(map.has('UTF8ONLY'), false);
  assert.deepEqual(parsePrefix('(qaohv)~&@%+').map(([m]) => m).join(''), 'qaohv');
  assert.equal(buildIsupportLines(Array.from({ length: 30 }, (_, i) => [`K${i}`, true] as const)).length, 3);
});

test('CAP LS lists with values', () => {
  const caps = parseCapList('sasl=PLAIN,EXTERNAL server-time draft/multiline=max-bytes=4096,max-lines=100 ');
  assert.equal(caps.get('sasl'), 'PLAIN,EXTERNAL');
  assert.equal(caps.get('server-time'), '');
  assert.equal(caps.get('draft/multiline'), 'max-bytes=4096,max-lines=100');
});
