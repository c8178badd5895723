// Hostile or broken server input: any command with any parameters must leave the client working —
// no exception out of receive(), no handler failure reported.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { HANDLERS } from '../../../src/extension/client/handlers/index.ts';
import type { ClientError } from '../../../src/extension/client/errors.ts';
import { ircMessage } from '../../../src/protocol/message.ts';
import { registered } from './support/fakeSession.ts';

const commands = [...Object.keys(HANDLERS), 'BATCH'];
const word = fc.oneof(
  fc.constantFrom('', '*', '#dev', 'me', 'amy', '+', '-', '+b1', '-b1', 'chathistory', 'draft/multiline', 'labeled-response', '@', '0', 'H', 'G@', 'timestamp=x', 'LS', 'ACK', 'NEW', 'DEL'),
  fc.string({ maxLength: 12 }).filter((x) => !/[\0\r\n ]/.test(x)),
);
const tagKey = fc.constantFrom('batch', 'label', 'msgid', 'time', 'account', '+typing', 'draft/multiline-concat');

test('random server lines never throw and never break a handler', () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.record({
          command: fc.constantFrom(...commands),
          params: fc.array(word, { maxLength: 7 }),
          source: fc.option(fc.constantFrom('srv', 'amy!a@x', 'me!u@h', 'x', '!@'), { nil: undefined }),
          tags: fc.dictionary(tagKey, word, { maxKeys: 3 }),
        }),
        { maxLength: 30 },
      ),
      (lines) => {
        const f = registered({}, 'echo-message labeled-response batch message-tags server-time draft/chathistory draft/multiline=max-bytes=100 away-notify extended-join account-notify');
        const errors: ClientError[] = [];
        f.events.error.event((e) => errors.push(e));
        for (const l of lines) {
          const params = l.params.map((p, i) => (i < l.params.length - 1 && (p === '' || p.startsWith(':')) ? 'x' : p));
          f.s.receive(ircMessage(l.command, params, l.source, l.tags));
        }
        assert.deepEqual(errors.map((e) => e.message), []);
      },
    ),
    { numRuns: 3000 },
  );
});
