// From an incoming line to a handler, with the checks every command shares done ONCE here:
// 421 unknown command, 451 not registered, 461 missing parameters, 481 not an operator, invalid
// UTF-8, flood control, and a catch so a throwing handler is a logged error, never a crash.
//
// Each client's lines run in order. A handler may be async (SASL hashing, storage commits): the
// next line waits for it, except after a `pipelined` command (PRIVMSG/NOTICE), whose relay waits
// for its storage commit while the client's following messages are already being stored.
import { MAX_CLIENT_TAG_BYTES, MAX_LINE_BYTES } from '../protocol/limits.ts';
import { decodeUtf8Strict } from '../protocol/linereader.ts';
import { IrcParseError, parseMessage, type IrcMessage } from '../protocol/message.ts';
import {
  ERR_INPUTTOOLONG,
  ERR_NEEDMOREPARAMS,
  ERR_NOPRIVILEGES,
  ERR_NOTREGISTERED,
  ERR_UNKNOWNCOMMAND,
} from '../protocol/numerics.ts';
import { uptimeSec, type Client } from './client.ts';
import type { FloodLimiter } from './limits/index.ts';
import type { CommandContext, ServerContext } from './context.ts';
import { Reply } from './reply.ts';

/** Lines queued behind a slow command before we stop reading the socket (TCP then pushes back). */
const PAUSE_AT = 64;
/**
 * Messages of one client being stored or relayed (PRIVMSG/NOTICE run pipelined: the next line runs
 * while the previous waits for its commit) before its next line waits for a slot; its lines then
 * queue up to PAUSE_AT and its socket is no longer read. Without it a client sending flat out has
 * every line it sent in flight at once (a socket read is up to 64 KiB: ~700 messages), all waiting
 * in memory for their commit and relay; a group commit fills a transaction with far fewer.
 */
const MAX_PIPELINED = 32;

/** Why a client's socket is not read (bits of Inbox.held): it reads while none holds. */
const HOLD = {
  /** `lines` is long (a slow command). */
  backlog: 1,
  /** Flood control holds a tenth of --flood-queue lines. */
  flood: 2,
  /** A room it sends to is behind on its output (roomBackpressure.ts). */
  room: 4,
} as const;
export type HoldReason = keyof typeof HOLD;
/**
 * Flood control stops reading a client once a tenth of --flood-queue lines are held, so a paste
 * only slows down (TCP keeps the rest in the client's own buffers). Held lines can then pile up
 * only from what was already read (one socket read, at most 64 KiB): a client must send the whole
 * --flood-queue at once to be dropped with "Excess Flood".
 */
const HOLD_READING_FRACTION = 10;

interface Inbox {
  /** Lines cleared by flood control, waiting for the previous command to finish. */
  lines: Buffer[];
  running: boolean;
  /** Reasons reading is stopped (HOLD bits); the socket reads while this is 0. */
  held: number;
  /** Pipelined messages not finished yet (see MAX_PIPELINED). */
  pipelined: number;
  /** Wakes `drain` waiting for a pipeline slot. */
  slotFree: (() => void) | null;
  /** Fakelag (src/server/limits): lines beyond the burst are held and released at the flood rate. */
  flood: FloodLimiter<Buffer> | null;
  floodTimer: NodeJS.Timeout | null;
}

const inboxes = new WeakMap<Client, Inbox>();

function inboxOf(server: ServerContext, client: Client): Inbox {
  let box = inboxes.get(client);
  if (!box) {
    box = { lines: [], running: false, held: 0, pipelined: 0, slotFree: null, flood: server.newFloodLimiter(), floodTimer: null };
    inboxes.set(client, box);
  }
  return box;
}

/** Called by the connection for every complete line. */
export function enqueueLine(server: ServerContext, client: Client, bytes: Buffer): void {
  const box = inboxOf(server, client);
  if (box.flood && !client.isOper) {
    const decision = box.flood.submit(bytes, floodCost(bytes));
    if (decision === 'excess') {
      server.disconnect(client, 'Excess Flood');
      return;
    }
    if (decision === 'queued') {
      if (box.flood.queued() >= holdAt(server)) hold(client, box, 'flood', true);
      scheduleFloodDrain(server, client, box);
      return;
    }
  }
  accept(server, client, box, bytes);
}

/**
 * draft/multiline: a client sends a whole batch at once (the spec warns servers about this), so a
 * line tagged `batch=` costs a fifth; a batch is bounded by max-lines, and a tagged line outside an
 * open batch is refused (features/multiline.ts).
 */
function floodCost(bytes: Buffer): number {
  if (bytes[0] !== 0x40 /* @ */) return 1;
  const space = bytes.indexOf(0x20);
  const tags = bytes.subarray(1, space === -1 ? bytes.length : space).toString('latin1');
  return /(?:^|;)batch=/.test(tags) ? 0.2 : 1;
}

/** Stops the flood timer of a closed client. */
export function releaseInbox(client: Client): void {
  const box = inboxes.get(client);
  if (!box) return;
  if (box.floodTimer) clearTimeout(box.floodTimer);
  box.flood?.clear();
  box.lines = [];
}

/**
 * Forgets the inbox of a client with nothing in flight whose flood bucket is full again (a new
 * inbox is the same state), so an idle connection holds none. The liveness sweep calls it.
 */
export function releaseIdleInbox(client: Client): void {
  const box = inboxes.get(client);
  if (box === undefined || box.running || box.held !== 0 || box.pipelined !== 0 || box.lines.length > 0 || box.floodTimer !== null) return;
  if (box.flood === null || box.flood.atRest()) inboxes.delete(client);
}

function scheduleFloodDrain(server: ServerContext, client: Client, box: Inbox): void {
  if (box.floodTimer || !box.flood) return;
  const ms = box.flood.nextDelayMs();
  if (ms === Infinity) return;
  box.floodTimer = setTimeout(() => {
    box.floodTimer = null;
    if (client.conn.isClosing || !box.flood) return;
    if (client.isOper) box.flood.setExempt(true);
    for (const line of box.flood.drain()) accept(server, client, box, line);
    if (box.flood.queued() <= holdAt(server) / 4) hold(client, box, 'flood', false);
    scheduleFloodDrain(server, client, box);
  }, Math.max(1, Math.ceil(ms)));
}

function accept(server: ServerContext, client: Client, box: Inbox, bytes: Buffer): void {
  box.lines.push(bytes);
  if (box.lines.length >= PAUSE_AT) hold(client, box, 'backlog', true);
  if (!box.running) void drain(server, client, box);
}

function holdAt(server: ServerContext): number {
  return Math.max(1, Math.floor(server.config.limits.floodMaxQueued / HOLD_READING_FRACTION));
}

/** Stops or restarts reading the client's socket for one reason; it reads while no reason holds. */
function hold(client: Client, box: Inbox, reason: HoldReason, on: boolean): void {
  const before = box.held;
  box.held = on ? before | HOLD[reason] : before & ~HOLD[reason];
  if ((before === 0) === (box.held === 0) || client.conn.isClosing) return;
  if (box.held !== 0) client.conn.socket.pause();
  else client.conn.socket.resume();
}

/** Stops or restarts reading a client for a reason found outside this module (HOLD.room). */
export function holdReading(server: ServerContext, client: Client, reason: HoldReason, on: boolean): void {
  if (!on && !inboxes.has(client)) return;
  hold(client, inboxOf(server, client), reason, on);
}

/** 417 ERR_INPUTTOOLONG (modern.ircdocs.horse): the line was dropped, the connection stays. */
export function lineTooLong(server: ServerContext, client: Client): void {
  const r = new Reply(client, server.name);
  r.numeric(ERR_INPUTTOOLONG, 'Input line was too long');
  r.flush();
}

async function drain(server: ServerContext, client: Client, box: Inbox): Promise<void> {
  box.running = true;
  try {
    while (box.lines.length > 0 && !client.conn.isClosing) {
      const bytes = box.lines.shift()!;
      if (box.held & HOLD.backlog && box.lines.length < PAUSE_AT / 4) hold(client, box, 'backlog', false);
      if (box.pipelined >= MAX_PIPELINED) await new Promise<void>((wake) => (box.slotFree = wake));
      try {
        await runLine(server, client, box, bytes);
      } catch (err) {
        server.log.error(`line from ${client.nick} failed`, err); // never stop the client's queue
      }
    }
  } finally {
    box.running = false;
  }
}

/**
 * RFC 1459 §2.3: the message without tags is at most 512 bytes including CR LF (510 without);
 * message-tags: the tag section a client sends is at most 4096 bytes including '@' and the space.
 */
function tooLong(bytes: Buffer): boolean {
  let body = bytes.length;
  if (bytes[0] === 0x40 /* @ */) {
    const space = bytes.indexOf(0x20);
    if (space === -1) return false; // no command at all: the parser answers
    if (space + 1 > MAX_CLIENT_TAG_BYTES) return true;
    body = bytes.length - space - 1;
  }
  return body > MAX_LINE_BYTES - 2;
}

async function runLine(server: ServerContext, client: Client, box: Inbox, bytes: Buffer): Promise<void> {
  client.lastInput = uptimeSec();
  client.pingPending = null; // any input proves the client is alive
  if (tooLong(bytes)) return lineTooLong(server, client);
  let text = decodeUtf8Strict(bytes);
  let badUtf8 = false;
  if (text === null) {
    // UTF8ONLY (https://ircv3.net/specs/extensions/utf8-only): refuse the line with
    // FAIL <command> INVALID_UTF8, decoding lossily only to learn the command's name.
    badUtf8 = true;
    text = bytes.toString('utf8');
  }
  let msg: IrcMessage;
  try {
    msg = parseMessage(text);
  } catch (err) {
    // A word in the command's place that is no verb (NONEXISTENT_COMMAND) is an unknown command,
    // answered with its label like any other reply. Garbage that is not a message at all (no
    // command, bad tags): RFC 1459 says ignore silently, but the sender must learn something was
    // dropped, so it is answered as an unknown command '*'.
    const partial = err instanceof IrcParseError ? err.partial : undefined;
    const r = new Reply(client, server.name, partial?.tags['label']);
    if (partial) r.numeric(ERR_UNKNOWNCOMMAND, printableWord(partial.command), 'Unknown command');
    else r.numeric(ERR_UNKNOWNCOMMAND, '*', 'Malformed message');
    r.flush();
    return;
  }
  // RFC 1459 §2.3: commands are case-insensitive (irssi sends verbs it does not know, e.g. /admin,
  // in lower case). Everything after this point sees the upper-case verb.
  const verb = msg.command.toUpperCase();
  if (verb !== msg.command) msg = { ...msg, command: verb };
  const reply = new Reply(client, server.name, msg.tags['label']);
  if (badUtf8) {
    reply.fail(msg.command, 'INVALID_UTF8', 'Message rejected: it is not valid UTF-8');
    reply.flush();
    return;
  }
  if (client.registered && server.interceptors.length > 0) {
    const ctx: CommandContext = { server, client, msg, reply };
    try {
      if (server.interceptors.some((intercept) => intercept(ctx))) return reply.flush();
    } catch (err) {
      return handlerFailed(server, ctx, err);
    }
  }
  const spec = server.commands.get(msg.command);
  if (!spec) {
    // Numerics from a client and unknown verbs alike, registered or not.
    reply.numeric(ERR_UNKNOWNCOMMAND, msg.command, 'Unknown command');
    reply.flush();
    return;
  }
  if (!client.registered && !spec.preRegistration) {
    reply.numeric(ERR_NOTREGISTERED, 'You have not registered');
    reply.flush();
    return;
  }
  if (msg.params.length < spec.minParams) {
    reply.numeric(ERR_NEEDMOREPARAMS, msg.command, 'Not enough parameters');
    reply.flush();
    return;
  }
  if (spec.operOnly && !client.isOper) {
    reply.numeric(ERR_NOPRIVILEGES, "Permission Denied- You're not an IRC operator");
    reply.flush();
    return;
  }
  // A non-message command waits for the client's messages still being stored (ordering).
  if (!spec.pipelined && client.outstanding) await settle(client);
  if (client.conn.isClosing) return;
  const ctx: CommandContext = { server, client, msg, reply };
  try {
    const result = spec.handler(ctx);
    if (result instanceof Promise) {
      if (spec.pipelined) {
        box.pipelined++;
        const finished = (): void => {
          if (--box.pipelined > MAX_PIPELINED / 2 || box.slotFree === null) return;
          const wake = box.slotFree;
          box.slotFree = null;
          wake();
        };
        const done = result.then(
          () => {
            finished();
            reply.flush();
          },
          (err: unknown) => {
            finished();
            handlerFailed(server, ctx, err);
          },
        );
        client.outstanding = done;
        return;
      }
      await result;
    }
    reply.flush();
  } catch (err) {
    handlerFailed(server, ctx, err);
  }
}

/** A client's word echoed in a reply: at most 32 characters, never a trailing-parameter colon. */
function printableWord(word: string): string {
  const w = word.slice(0, 32);
  return w.startsWith(':') || w === '' ? '*' : w;
}

/** Waits for the client's messages still being stored and relayed. */
async function settle(client: Client): Promise<void> {
  const pending = client.outstanding;
  if (!pending) return;
  await pending.catch(() => undefined);
  if (client.outstanding === pending) client.outstanding = null;
}

function handlerFailed(server: ServerContext, ctx: CommandContext, err: unknown): void {
  server.log.error(`handler ${ctx.msg.command} failed for ${ctx.client.nick}`, err);
  ctx.reply.fail(ctx.msg.command, 'INTERNAL_ERROR', 'The server could not process this command');
  ctx.reply.flush();
}
