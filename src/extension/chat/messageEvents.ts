// What the client core's non-room events do to the view: messages (unread and mention counts),
// our messages' delivery states, presence, typing. With ROOM_EVENTS, the table apply() uses.
import type { ChatEvent, ChatEventOf } from '../client/chatEvents.ts';
import type { ChatMessage, MessageStateChange, Reaction, Redaction, TypingChange, UserInfo } from '../client/types.ts';
import { countLine } from './conversations.ts';
import { toChatLine } from './lines.ts';
import type { ChatLine } from '../../webview/messages.ts';
import { ROOM_EVENTS, type RoomHandlers } from './roomEvents.ts';
import type { ModelScope } from './scope.ts';

/** What a received message meant, for notifications. */
export interface IncomingInfo {
  readonly conversation: string;
  readonly name: string;
  readonly kind: 'room' | 'dm';
  readonly from: string;
  readonly text: string;
  /** Counted as unread (not ours, not history, not read on screen). */
  readonly unread: boolean;
  readonly mention: boolean;
}

/** A chat message: received, replayed from history, or our own at send time. */
export function onMessage(scope: ModelScope, m: ChatMessage, isChannel: boolean): IncomingInfo | undefined {
  const { conversations, lines, posts } = scope;
  const kind = isChannel ? 'room' : 'dm';
  const c = scope.ensure(m.target, kind);
  if (c.name !== m.target && kind === 'dm') c.name = m.target;
  const line = afterShownEvents(c.lines, scope.decorate(c, toChatLine(m, scope.selfNick() ?? '', () => lines.newId('m'))), m.history === true);
  if (m.self && m.localId !== undefined) lines.track(m.localId, c.id, line.id);
  if (c.typing.delete(m.from) && c.id === conversations.active) posts.send({ type: 'typing', conversation: c.id, nicks: [...c.typing] });
  if (conversations.active === undefined) {
    conversations.active = c.id;
    posts.snapshotDue();
  }
  if (!scope.addLine(c, line)) return undefined;
  const readOnScreen = scope.visible() && conversations.active === c.id;
  const counted = countLine(c, { self: m.self, history: m.history === true, mention: line.mention === true }, readOnScreen);
  if (counted.changed) posts.conversationsDue();
  return { conversation: c.id, name: c.name, kind, from: m.from, text: m.text, unread: counted.unread, mention: line.mention === true };
}

/**
 * A live message arrives after the event lines already shown ("bob joined"): those are stamped
 * with our clock as they arrive, the message with the server's, which may lag ours (another
 * server of a network, a clock a second behind, a server stamping whole seconds). Its time is
 * moved up to the latest such event so the view keeps the order things happened in. History keeps
 * its own times.
 */
function afterShownEvents(shown: readonly ChatLine[], line: ChatLine, history: boolean): ChatLine {
  if (history) return line;
  let latest = line.time;
  for (let i = shown.length - 1; i >= 0 && shown[i]!.time > line.time; i--) {
    if (shown[i]!.kind === 'event') latest = Math.max(latest, shown[i]!.time);
  }
  return latest === line.time ? line : { ...line, time: latest };
}

/** Our message's delivery state changed (and maybe its id: the server's msgid). */
export function onDelivery(scope: ModelScope, change: MessageStateChange): void {
  const update = scope.lines.deliveryChanged(change, (id) => scope.conversations.get(id));
  if (update && update.conversation === scope.conversations.active) scope.posts.send({ type: 'lineState', ...update });
}

/** A user's presence (or account) changed: their member row, or their DM in the list. */
export function onPresence(scope: ModelScope, u: UserInfo): void {
  scope.people.set(u);
  const active = scope.conversations.activeConversation;
  if (active?.kind === 'room' && scope.people.hasMember(active, u.nick)) scope.membersChanged(active);
  if (scope.conversations.byName(u.nick)?.kind === 'dm') scope.posts.conversationsDue();
}

export function onTyping(scope: ModelScope, change: TypingChange): void {
  const { conversations } = scope;
  const c = conversations.byName(change.target);
  const me = scope.selfNick();
  if (!c || (me !== undefined && conversations.fold(change.nick) === conversations.fold(me))) return;
  const had = c.typing.has(change.nick);
  if (change.state === 'done') c.typing.delete(change.nick);
  else c.typing.add(change.nick);
  if (had !== c.typing.has(change.nick) && c.id === conversations.active) scope.posts.send({ type: 'typing', conversation: c.id, nicks: [...c.typing] });
}

/** A reaction given or taken back: kept by msgid, its line redrawn if shown. */
export function onReaction(scope: ModelScope, r: Reaction): void {
  const id = scope.conversations.fold(r.target);
  if (!scope.annotations.react(id, r)) return;
  const c = scope.conversations.get(id);
  if (c) scope.annotated(c, r.msgid);
}

/** A message deleted: its text goes, the line says who deleted it. */
export function onRedaction(scope: ModelScope, r: Redaction): void {
  const id = scope.conversations.fold(r.target);
  if (!scope.annotations.redact(id, r)) return;
  const c = scope.conversations.get(id);
  if (c) scope.annotated(c, r.msgid);
}

type EventHandlers = RoomHandlers & {
  readonly [K in 'message' | 'delivery' | 'presence' | 'typing' | 'historyPage' | 'reaction' | 'redaction']: (scope: ModelScope, e: ChatEventOf<K>, isChannel: (name: string) => boolean) => IncomingInfo | void;
};

/** One entry per event type the client core emits: the compiler says when one is missing. */
const EVENTS: EventHandlers = {
  ...ROOM_EVENTS,
  message: (scope, e, isChannel) => onMessage(scope, e.message, isChannel(e.message.target)),
  delivery: (scope, e) => onDelivery(scope, e.change),
  presence: (scope, e) => onPresence(scope, e.user),
  typing: (scope, e) => onTyping(scope, e.typing),
  reaction: (scope, e) => onReaction(scope, e.reaction),
  redaction: (scope, e) => onRedaction(scope, e.redaction),
  // Its messages came as `message` events (LATEST) or go to loadOlder()'s caller (BEFORE).
  historyPage: () => undefined,
};

/** Applies one client event; a message returns what it meant (for notifications). */
export function applyEvent(scope: ModelScope, e: ChatEvent, isChannel: (name: string) => boolean): IncomingInfo | undefined {
  // The table is keyed by `type`, so this entry takes this event (TypeScript cannot see it through the union).
  const handler = EVENTS[e.type] as (scope: ModelScope, e: ChatEvent, isChannel: (name: string) => boolean) => IncomingInfo | void;
  return handler(scope, e, isChannel) ?? undefined;
}
