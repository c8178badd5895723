// IRC formatting codes (src/protocol/formatting.ts): stripped from message text before display.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stripFormatting } from '../../src/protocol/formatting.ts';

test('bold, colours (with their numbers), hex colours, reset, monospace, reverse, italics, strikethrough, underline are stripped', () => {
  assert.equal(stripFormatting('\x02ann\x02 is now registered'), 'ann is now registered');
  assert.equal(stripFormatting('\x0304red\x03 and \x0312,01blue on black\x0f done'), 'red and blue on black done');
  assert.equal(stripFormatting('\x03,5comma stays'), ',5comma stays');
  assert.equal(stripFormatting('\x031234 keeps the digits after two'), '34 keeps the digits after two');
  assert.equal(stripFormatting('\x04FF0000hex\x04 \x0400FF00,0000FFpair'), 'hex pair');
  assert.equal(stripFormatting('\x11mono\x11 \x16rev\x16 \x1dit\x1d \x1estrike\x1e \x1funder\x1f'), 'mono rev it strike under');
  assert.equal(stripFormatting('plain text, 3 digits 04'), 'plain text, 3 digits 04');
  assert.equal(stripFormatting('\x01ACTION waves\x01'), '\x01ACTION waves\x01', 'CTCP is not formatting');
});
