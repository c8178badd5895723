import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineReader, decodeUtf8Strict, type LineEvent } from '../../src/protocol/linereader.ts';

const lines = (events: LineEvent[]) => events.map((e) => (e.kind === 'line' ? e.bytes.toString() : '<too-long>'));

test('splits CRLF and bare LF lines, across chunk boundaries', () => {
  const r = new LineReader(512);
  assert.deepEqual(lines(r.push(Buffer.from('NICK a\r\nUSER a 0 * :A\nPI'))), ['NICK a', 'USER a 0 * :A']);
  assert.deepEqual(lines(r.push(Buffer.from('NG :x\r'))), []);
  assert.deepEqual(lines(r.push(Buffer.from('\n\r\n\n'))), ['PING :x']);
});

test('a line over the limit is reported once and skipped, without buffering it', () => {
  const r = new LineReader(10);
  assert.deepEqual(lines(r.push(Buffer.from('0123456789\r\n'))), ['0123456789']);
  const events: LineEvent[] = [];
  for (let i = 0; i < 1000; i++) {
    events.push(...r.push(Buffer.alloc(10_000, 0x41)));
    assert.ok(r.bufferedBytes <= 11);
  }
  events.push(...r.push(Buffer.from('\nOK\n')));
  assert.deepEqual(lines(events), ['<too-long>', 'OK']);
  assert.deepEqual(lines(r.push(Buffer.from('01234567890\n'))), ['<too-long>']);
});

test('strict UTF-8 decoding tells invalid bytes apart', () => {
  assert.equal(decodeUtf8Strict(Buffer.from('héllo')), 'héllo');
  assert.equal(decodeUtf8Strict(Buffer.from([0x68, 0xff, 0x69])), null);
  assert.equal(decodeUtf8Strict(Buffer.from([0xed, 0xa0, 0x80])), null); // a lone surrogate
});

test('handOver moves an unfinished line (or an overflow being skipped) to a new reader and leaves the old one idle', () => {
  const shared = new LineReader(10);
  assert.deepEqual(lines(shared.push(Buffer.from('PING :a\r\nPI'))), ['PING :a']);
  assert.equal(shared.idle, false);
  const own = shared.handOver();
  assert.equal(shared.idle, true);
  assert.deepEqual(lines(shared.push(Buffer.from('X\n'))), ['X'], 'the shared reader starts a fresh line');
  assert.deepEqual(lines(own.push(Buffer.from('NG :b\r\n'))), ['PING :b']);
  assert.equal(own.idle, true);
  assert.deepEqual(lines(shared.push(Buffer.alloc(20, 0x41))), ['<too-long>']);
  const skipping = shared.handOver();
  assert.deepEqual(lines(skipping.push(Buffer.from('AAAA\nOK\n'))), ['OK'], 'still skipping the long line to its end');
});
