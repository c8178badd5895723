// draft/multiline (https://ircv3.net/specs/extensions/multiline): a client sends a snippet as
//
//   BATCH +id draft/multiline <target>          (client-only tags of the message go here)
//   @batch=id PRIVMSG <target> :line             (one per line; draft/multiline-concat = no line break)
//   BATCH -id
//
// and the server stores it as ONE message (one msgid, the lines joined by '\n') and relays it as a
// multiline batch to receivers with the capability, as separate PRIVMSGs to the others (the spec's
// fallback: no blank lines, msgid on the first). History replays it the same way (replay.ts).
//
// Limits (capability value `max-bytes=…,max-lines=…`): exceeding one answers the spec's
// FAIL BATCH MULTILINE_MAX_BYTES/MULTILINE_MAX_LINES and drops the batch; a wrong target
// MULTILINE_INVALID_TARGET; anything else malformed MULTILINE_INVALID. A client has at most one open
// batch; an open batch holds at most max-bytes of text, and is dropped (FAIL … MULTILINE_INVALID)
// if not closed within BATCH_TIMEOUT_MS, or when the client leaves. With labeled-response the
// label of `BATCH +` goes on the echo's opening BATCH (spec), not on an ACK.
import { BATCH_TYPE, CAP } from '../../protocol/caps.ts';
import {
  ERR_CANNOTSENDTOCHAN,
  ERR_NEEDREGGEDNICK,
  ERR_NOSUCHCHANNEL,
  ERR_NOSUCHNICK,
  RPL_AWAY,
} from '../../protocol/numerics.ts';
import { isClientTag } from '../../protocol/tags.ts';
import { isChannelName } from '../../protocol/validate.ts';
import type { Channel } from '../channel.ts';
import { uptimeSec, type Client } from '../client.ts';
import { cannotSendReason } from '../commands/messaging.ts';
import { tagsTooLong } from '../msgtags.ts';
import type { CommandContext, ServerContext } from '../context.ts';
import { dmBetween, dmToAccount } from '../dmParties.ts';
import { Reply } from '../reply.ts';
import type { MessageKind, NewMessage, StoredMessage } from '../storage/types.ts';
import { BOT_MODE } from './bot.ts';
import { tellSender } from './offlineDelivery.ts';
import { joinMultiline, MULTILINE_CONCAT_TAG } from '../../protocol/multiline.ts';
import { linesFor, renderMessage, writeRendered, type MessageLine } from './replay.ts';

/** Bytes of text in one multiline message, line feeds included (the spec's max-bytes). */
export const MULTILINE_MAX_BYTES = 8192;
/** Lines in one multiline batch (max-lines). */
export const MULTILINE_MAX_LINES = 100;
/** An open batch not closed within this is dropped: its memory is not held forever. */
export const BATCH_TIMEOUT_MS = 30_000;
const REF = /^[A-Za-z0-9._~-]{1,64}$/;

interface OpenBatch {
  ref: string;
  target: string;
  /** Label of the `BATCH +` (labeled-response), for the echo and errors. */
  label: string | undefined;
  clientTags: Record<string, string>;
  kind: 'PRIVMSG' | 'NOTICE' | null;
  lines: MessageLine[];
  bytes: number;
  /** A batch that already failed: its remaining lines are dropped silently until `BATCH -`. */
  failed: boolean;
  timer: NodeJS.Timeout;
}

export function installMultiline(server: ServerContext): void {
  const open = new WeakMap<Client, OpenBatch>();
  server.caps.register({ name: CAP.multiline, value: () => `max-bytes=${MULTILINE_MAX_BYTES},max-lines=${MULTILINE_MAX_LINES}` });
  server.commands.add('BATCH', { handler: (ctx) => batchHandler(ctx, open), minParams: 1 });
  server.interceptors.push((ctx) => intercept(ctx, open));
  server.hooks.on('quit', (c) => drop(open, c));
}

function drop(open: WeakMap<Client, OpenBatch>, c: Client): void {
  const b = open.get(c);
  if (b) clearTimeout(b.timer);
  open.delete(c);
}

/** A FAIL BATCH carrying the batch's label (the command it answers is the labeled `BATCH +`). */
function failBatch(server: ServerContext, client: Client, b: OpenBatch | null, code: string, text: string, ...context: string[]): void {
  const r = new Reply(client, server.name, b?.label);
  r.fail('BATCH', code, text, ...context);
  r.flush();
}

function batchHandler(ctx: CommandContext, open: WeakMap<Client, OpenBatch>): Promise<void> | void {
  const { server, client, msg } = ctx;
  const refParam = msg.params[0]!;
  const sign = refParam[0];
  const ref = refParam.slice(1);
  if (sign === '+') {
    const type = msg.params[1];
    if (type !== BATCH_TYPE.multiline) return ctx.reply.fail('BATCH', 'MULTILINE_INVALID', 'Only draft/multiline batches can be sent to this server', refParam);
    if (!client.has(CAP.multiline) || !client.has(CAP.batch)) {
      return ctx.reply.fail('BATCH', 'MULTILINE_INVALID', 'Negotiate draft/multiline and batch before sending a multiline batch', refParam);
    }
    const target = msg.params[2];
    if (target === undefined || target === '') return ctx.reply.fail('BATCH', 'MULTILINE_INVALID', 'A multiline batch needs a target', refParam);
    if (!REF.test(ref)) return ctx.reply.fail('BATCH', 'MULTILINE_INVALID', 'Invalid batch reference', refParam);
    if (open.has(client)) {
      drop(open, client);
      return ctx.reply.fail('BATCH', 'MULTILINE_INVALID', 'Only one multiline batch may be open at a time; the open one was dropped', refParam);
    }
    const clientTags: Record<string, string> = {};
    for (const [k, v] of Object.entries(msg.tags)) if (isClientTag(k)) clientTags[k] = v;
    const tagProblem = tagsTooLong(server, clientTags);
    if (tagProblem !== null) return ctx.reply.fail('BATCH', 'MULTILINE_INVALID', tagProblem, refParam);
    const b: OpenBatch = {
      ref,
      target,
      label: ctx.reply.deferLabel(),
      clientTags,
      kind: null,
      lines: [],
      bytes: 0,
      failed: false,
      timer: setTimeout(() => {
        if (open.get(client) !== b) return;
        open.delete(client);
        if (!b.failed && !client.conn.isClosing) failBatch(server, client, b, 'MULTILINE_INVALID', `The batch was not closed within ${BATCH_TIMEOUT_MS / 1000} s and was dropped`, ref);
      }, BATCH_TIMEOUT_MS),
    };
    b.timer.unref();
    open.set(client, b);
    return;
  }
  if (sign === '-') {
    const b = open.get(client);
    if (!b || b.ref !== ref) return ctx.reply.fail('BATCH', 'MULTILINE_INVALID', 'No open batch with this reference', refParam);
    drop(open, client);
    if (b.failed) return;
    return finish(ctx, b);
  }
  return ctx.reply.fail('BATCH', 'MULTILINE_INVALID', 'A batch reference starts with + or -', refParam);
}

/** Lines tagged `batch=<ref>` go into the open batch instead of being relayed one by one. */
function intercept(ctx: CommandContext, open: WeakMap<Client, OpenBatch>): boolean {
  const ref = ctx.msg.tags['batch'];
  if (ref === undefined) return false;
  const { server, client, msg } = ctx;
  const b = open.get(client);
  if (!b || b.ref !== ref) {
    failBatch(server, client, null, 'MULTILINE_INVALID', 'No open batch with this reference', ref === '' ? '*' : ref);
    return true;
  }
  if (b.failed) return true;
  const fail = (code: string, text: string, ...context: string[]) => {
    b.failed = true;
    failBatch(server, client, b, code, text, ...context);
  };
  const kind = msg.command.toUpperCase();
  if (kind !== 'PRIVMSG' && kind !== 'NOTICE') {
    fail('MULTILINE_INVALID', 'A multiline batch holds only PRIVMSG or NOTICE lines');
    return true;
  }
  if (b.kind !== null && b.kind !== kind) {
    fail('MULTILINE_INVALID', 'A multiline batch cannot mix PRIVMSG and NOTICE');
    return true;
  }
  b.kind = kind;
  const target = msg.params[0] ?? '';
  if (server.registry.fold(target) !== server.registry.fold(b.target)) {
    fail('MULTILINE_INVALID_TARGET', 'Invalid multiline target', b.target, target === '' ? '*' : target);
    return true;
  }
  const text = msg.params[1] ?? '';
  const concat = msg.tags[MULTILINE_CONCAT_TAG] !== undefined;
  if (concat && text === '') {
    fail('MULTILINE_INVALID', 'Invalid multiline batch with concatenated blank line');
    return true;
  }
  if (b.lines.length >= MULTILINE_MAX_LINES) {
    fail('MULTILINE_MAX_LINES', 'Multiline batch max-lines exceeded', String(MULTILINE_MAX_LINES));
    return true;
  }
  // Each line feed joining two lines counts one byte (spec).
  b.bytes += Buffer.byteLength(text) + (b.lines.length > 0 && !concat ? 1 : 0);
  if (b.bytes > MULTILINE_MAX_BYTES) {
    fail('MULTILINE_MAX_BYTES', 'Multiline batch max-bytes exceeded', String(MULTILINE_MAX_BYTES));
    return true;
  }
  b.lines.push({ text, concat });
  return true;
}

interface Destination {
  shown: string;
  channel: Channel | null;
  user: Client | null;
  stored: NewMessage['target'];
  offline: boolean;
}

async function finish(ctx: CommandContext, b: OpenBatch): Promise<void> {
  const { server, client } = ctx;
  const reply = b.label !== undefined ? new Reply(client, server.name, b.label) : ctx.reply;
  try {
    await deliver(ctx, b, reply);
  } finally {
    if (reply !== ctx.reply) reply.flush();
  }
}

async function deliver(ctx: CommandContext, b: OpenBatch, reply: Reply): Promise<void> {
  const { server, client } = ctx;
  const kind = b.kind;
  if (kind === null || b.lines.every((l) => l.text === '')) {
    return reply.fail('BATCH', 'MULTILINE_INVALID', 'Invalid multiline batch with blank lines only', b.ref);
  }
  client.lastActive = uptimeSec();
  if (server.config.requireLogin && client.account === null) {
    return reply.numeric(ERR_NEEDREGGEDNICK, b.target, 'You must be logged in to an account to send messages (SASL or REGISTER)');
  }
  const dest = destination(server, client, b.target, reply);
  if (!dest) return;
  let stored: StoredMessage;
  try {
    stored = await server.store.messages.enqueue({
      target: dest.stored,
      kind: kind as MessageKind,
      source: client.hostmask,
      senderNick: client.nick,
      senderAccount: client.account,
      text: joinMultiline(b.lines),
      tags: b.clientTags,
      multiline: true,
      ...(dest.channel ? { time: dest.channel.messageTime() } : {}),
    });
  } catch (err) {
    server.log.error(`storing a multiline message to ${b.target} failed`, err);
    return reply.fail(kind, 'MESSAGE_NOT_STORED', 'Message not delivered: the server could not store it', b.target);
  }
  if (dest.offline) tellSender(server, reply, client, kind, dest.shown);
  if (dest.user && kind === 'PRIVMSG' && dest.user.away !== null) reply.numeric(RPL_AWAY, dest.user.nick, dest.user.away);
  const bot = client.modes.has(BOT_MODE) ? [{ key: 'bot', value: '', cap: CAP.messageTags }] : [];
  const rendered = renderMessage(stored, dest.shown, { lines: b.lines, extraTags: bot });
  const echo = client.has(CAP.echoMessage);
  const receivers: Client[] = dest.channel ? [...dest.channel.members.keys()] : dest.user ? [dest.user] : [];
  for (const r of receivers) {
    if (r === client) continue;
    for (const line of linesFor(rendered, r)) r.send(line);
  }
  // To oneself: the delivery (unlabeled) and, with echo-message, the labeled echo, as for PRIVMSG.
  if (dest.user === client) for (const line of linesFor(rendered, client)) client.send(line);
  if (echo) writeRendered(rendered, client, reply);
  server.hooks.emit('message', client, dest.shown, stored);
}

/** Where the batch goes, or null after answering why it cannot (403/404/401, as for PRIVMSG). */
function destination(server: ServerContext, client: Client, target: string, reply: Reply): Destination | null {
  if (isChannelName(target)) {
    const ch = server.registry.findChannel(target);
    if (!ch) {
      reply.numeric(ERR_NOSUCHCHANNEL, target, 'No such channel');
      return null;
    }
    const why = cannotSendReason(server, client, ch);
    if (why !== null) {
      reply.numeric(ERR_CANNOTSENDTOCHAN, ch.name, why);
      return null;
    }
    return { shown: ch.name, channel: ch, user: null, stored: { type: 'channel', name: ch.name }, offline: false };
  }
  const user = server.registry.findNick(target);
  if (user?.registered) {
    return { shown: user.nick, channel: null, user, stored: dmBetween(client, user), offline: false };
  }
  const account = server.offlineDelivery?.recipientFor(target) ?? null;
  if (account === null) {
    reply.numeric(ERR_NOSUCHNICK, target, 'No such nick/channel');
    return null;
  }
  return { shown: target, channel: null, user: null, stored: dmToAccount(client, account), offline: true };
}
