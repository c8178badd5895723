// PRIVMSG / NOTICE in (live, echoed, or replayed from history) and the replies that settle our
// own messages: echo-message echoes, 401/403/404/412/417 errors, RPL_AWAY.
import { CAP } from '../../../protocol/caps.ts';
import { ircMessage, type IrcMessage } from '../../../protocol/message.ts';
import {
  ERR_CANNOTSENDTOCHAN,
  ERR_INPUTTOOLONG,
  ERR_NOSUCHCHANNEL,
  ERR_NOSUCHNICK,
  ERR_NOTEXTTOSEND,
  RPL_AWAY,
} from '../../../protocol/numerics.ts';
import { isStoredOfflineAway } from '../../../protocol/conventions.ts';
import { REPLY_TAG } from '../../../protocol/clienttags.ts';
import { stripFormatting } from '../../../protocol/formatting.ts';
import { parseSource } from '../../../protocol/source.ts';
import { awayReply, setOffline } from './presence.ts';
import { targetError } from './rooms.ts';
import type { ChatMessage, MessageKind } from '../types.ts';
import type { HandlerContext, HandlerEntry } from './context.ts';
import type { Emits, Fires } from '../link.ts';
import type { LineContext } from '../link.ts';

/** What the chat handlers read and do: chat lines in, our sent messages settled, messages out. */
type ChatContext = Pick<HandlerContext, 'state' | 'outgoing' | 'features' | 'hasCap' | 'isChannel' | 'isMe' | 'isupport' | 'registered' | 'welcomed' | 'send'> &
  Fires<'notice'> &
  Emits<'message' | 'typing' | 'presence'>;


/** A chat line from the wire, or a multiline batch assembled into one. */
export interface ChatLine {
  source?: string;
  command: string;
  target: string;
  text: string;
  tags: Record<string, string>;
}

const CTCP = '\x01';

/** Channel name without STATUSMSG prefixes (`@#room` → `#room`). */
function roomOf(s: ChatContext, target: string): string {
  const statusmsg = typeof s.isupport.get('STATUSMSG') === 'string' ? String(s.isupport.get('STATUSMSG')) : '@+';
  let i = 0;
  while (i < target.length - 1 && statusmsg.includes(target[i]!) && !s.isChannel(target.slice(i))) i++;
  return target.slice(i);
}

/** Builds the ChatMessage a line means, or null for CTCP other than ACTION and server notices. */
export function toChatMessage(s: ChatContext, line: ChatLine, history: boolean, conversation?: string): ChatMessage | null {
  const from = line.source === undefined ? '' : parseSource(line.source).nick;
  const self = from !== '' && s.isMe(from);
  let kind: MessageKind = line.command.toUpperCase() === 'NOTICE' ? 'notice' : 'privmsg';
  let text = line.text;
  if (text.startsWith(CTCP)) {
    const body = text.slice(1).replace(/\x01$/, '');
    const space = body.indexOf(' ');
    const verb = (space === -1 ? body : body.slice(0, space)).toUpperCase();
    if (verb !== 'ACTION') return null;
    kind = 'action';
    text = space === -1 ? '' : body.slice(space + 1);
  }
  const rawTarget = roomOf(s, line.target);
  const target = conversation ?? (s.isChannel(rawTarget) ? rawTarget : self ? rawTarget : from);
  const time = parseTime(line.tags['time']) ?? new Date();
  // Bold, colours... (services bold names): shown as plain text.
  const msg: ChatMessage = { target, from, text: stripFormatting(text), time, self, kind };
  if (line.tags['msgid']) msg.msgid = line.tags['msgid'];
  if (line.tags['account']) msg.account = line.tags['account'];
  if (history) msg.history = true;
  const replyTo = line.tags[REPLY_TAG];
  if (replyTo) msg.replyTo = replyTo;
  return msg;
}

export function parseTime(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : new Date(t);
}

/** A live chat line: settles our echo, answers CTCP, records and announces the message. */
export function handleChatLine(s: ChatContext, line: ChatLine, ctx: LineContext): void {
  const from = line.source === undefined ? '' : parseSource(line.source).nick;
  // Server notices (no user source, or before registration) are not conversations.
  if (line.command.toUpperCase() === 'NOTICE' && (from === '' || !line.source!.includes('!') || !s.registered)) {
    if (!s.isChannel(line.target)) {
      s.events.notice.fire({ kind: 'notice', text: stripFormatting(line.text) });
      return;
    }
  }
  // Our own password to services (NickServ REGISTER/IDENTIFY, echoed by echo-message): never shown;
  // the echo still settles the line typed in the NickServ conversation (shown masked at send time).
  if (from !== '' && s.isMe(from) && /serv$/i.test(line.target) && /^\s*(REGISTER|IDENTIFY|SET\s+PASSWORD)\b/i.test(line.text)) {
    settleEcho(s, line, ctx);
    return;
  }
  if (from !== '' && s.isMe(from) && settleEcho(s, line, ctx)) return;
  if (!s.isMe(from) && line.text.startsWith(CTCP) && line.command.toUpperCase() === 'PRIVMSG') answerCtcp(s, from, line.text);
  const msg = toChatMessage(s, line, false);
  if (!msg) return;
  if (!msg.self) {
    s.features.typing.received(s, msg.target, msg.from, 'done');
    if (!s.isChannel(msg.target)) s.features.watch(s, msg.from);
  }
  if (!s.state.addMessage(msg)) return;
  s.emit({ type: 'message', message: msg });
}

/** Our own message came back (echo-message): confirm it instead of showing it twice. */
function settleEcho(s: ChatContext, line: ChatLine, ctx: LineContext): boolean {
  let hit = ctx.label !== undefined ? s.outgoing.byLabel(ctx.label) : undefined;
  if (!hit && ctx.label === undefined && s.hasCap(CAP.echoMessage)) hit = s.outgoing.oldestOpen(line.target, line.text);
  if (!hit) return false;
  const info: { msgid?: string; time?: Date } = {};
  if (line.tags['msgid']) info.msgid = line.tags['msgid'];
  const time = parseTime(line.tags['time']);
  if (time) info.time = time;
  if (info.msgid !== undefined && hit.msg.chat?.msgid === undefined) {
    s.state.noteMsgid(hit.msg.target, info.msgid);
    if (hit.msg.chat) hit.msg.chat.msgid = info.msgid;
  }
  s.outgoing.confirm(hit, info);
  return true;
}

const CTCP_REPLIES: Record<string, (arg: string) => string | undefined> = {
  VERSION: () => 'VERSION Chat Room (VS Code extension)',
  PING: (arg) => `PING ${arg}`.trimEnd(),
  TIME: () => `TIME ${new Date().toUTCString()}`,
  CLIENTINFO: () => 'CLIENTINFO ACTION CLIENTINFO PING TIME VERSION',
};

function answerCtcp(s: ChatContext, from: string, text: string): void {
  const body = text.slice(1).replace(/\x01$/, '');
  const space = body.indexOf(' ');
  const verb = (space === -1 ? body : body.slice(0, space)).toUpperCase();
  const reply = CTCP_REPLIES[verb]?.(space === -1 ? '' : body.slice(space + 1));
  if (reply !== undefined) s.send(ircMessage('NOTICE', [from, `${CTCP}${reply}${CTCP}`]));
}

function chatHandler(s: ChatContext, msg: IrcMessage, ctx: LineContext): void {
  handleChatLine(s, { source: msg.source, command: msg.command, target: msg.params[0]!, text: msg.params[1]!, tags: msg.tags }, ctx);
}

/** An error about a target: fails our message to it (by label, else the oldest open one). */
function targetErrorHandler(s: ChatContext, msg: IrcMessage, ctx: LineContext): void {
  // <me> <target> :<reason>
  const target = msg.params.length >= 3 ? msg.params[1]! : '';
  const reason = msg.params[msg.params.length - 1] ?? 'refused by the server';
  const hit = ctx.label !== undefined ? s.outgoing.byLabel(ctx.label) : target !== '' ? s.outgoing.oldestOpen(target) : undefined;
  if (hit) {
    s.outgoing.fail(hit, `${target ? `${target}: ` : ''}${reason}`);
    return;
  }
  targetError(s, msg, target, reason);
}

/** RPL_AWAY: for a direct message, "delivered, recipient away" (or stored, if the server says offline). */
function awayReplyHandler(s: ChatContext, msg: IrcMessage, ctx: LineContext): void {
  // <me> <nick> :<away message>
  const nick = msg.params[1]!;
  const text = msg.params[2] ?? '';
  const stored = isStoredOfflineAway(nick, text);
  // "<nick> is offline; your message was stored": the user is offline, not away.
  if (stored) setOffline(s, nick);
  else awayReply(s, nick, text);
  const hit = ctx.label !== undefined ? s.outgoing.byLabel(ctx.label) : undefined;
  const out = hit?.msg ?? s.outgoing.awaySubject(nick);
  if (!out) return;
  if (stored) s.outgoing.markStored(out, text);
  else s.outgoing.noteAway(out, text);
}

export const chatHandlers: Record<string, HandlerEntry> = {
  PRIVMSG: { min: 2, fn: chatHandler },
  NOTICE: { min: 2, fn: chatHandler },
  [ERR_NOSUCHNICK]: { min: 2, fn: targetErrorHandler },
  [ERR_NOSUCHCHANNEL]: { min: 2, fn: targetErrorHandler },
  [ERR_CANNOTSENDTOCHAN]: { min: 2, fn: targetErrorHandler },
  [ERR_NOTEXTTOSEND]: { min: 2, fn: targetErrorHandler },
  [ERR_INPUTTOOLONG]: { min: 2, fn: targetErrorHandler },
  [RPL_AWAY]: { min: 2, fn: awayReplyHandler },
};
