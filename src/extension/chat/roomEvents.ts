// What each room event from the client core (client/chatEvents.ts) does to the view: the member
// list, joined or not, the topic, and the event line that says so. One entry per event type; the
// client says what happened, nothing here infers it.
import type { ChatEventOf } from '../client/chatEvents.ts';
import type { Conversation } from './conversations.ts';
import { EVENT_TEXT } from './eventTexts.ts';
import type { ModelScope as RoomScope } from './scope.ts';

export type RoomEventType = 'joined' | 'names' | 'parted' | 'kicked' | 'quit' | 'renamed' | 'topic' | 'mode' | 'disconnected';

export type RoomHandlers = { readonly [K in RoomEventType]: (scope: RoomScope, e: ChatEventOf<K>) => void };

/** We are out of a room: parted, kicked, or the link dropped (the client rejoins then). */
function weLeft(scope: RoomScope, c: Conversation, line: string | undefined): void {
  c.joined = false;
  c.members.clear();
  c.typing.clear();
  if (line !== undefined) scope.eventLine(c, line);
  scope.membersChanged(c);
  scope.posts.conversationsDue();
}

/** Someone else left a room we are in. */
function theyLeft(scope: RoomScope, c: Conversation | undefined, nick: string, line: string): void {
  if (!c) return;
  scope.people.removeMember(c, nick);
  scope.eventLine(c, line, nick);
  scope.membersChanged(c);
}

export const ROOM_EVENTS: RoomHandlers = {
  joined: (scope, e) => {
    const c = scope.ensure(e.room, 'room');
    if (!e.self) {
      scope.people.addMember(c, e.nick);
      scope.eventLine(c, EVENT_TEXT.joined(e.nick), e.nick);
      scope.membersChanged(c);
      return;
    }
    c.name = e.room;
    scope.people.setMembers(c, [{ nick: e.nick, prefixes: '' }]);
    const wasJoined = c.joined;
    c.joined = true;
    if (!wasJoined) scope.eventLine(c, EVENT_TEXT.youJoined(e.room));
    const { conversations } = scope;
    if (conversations.openOnJoin.delete(c.id)) scope.open(c.id);
    else if (conversations.active === undefined) {
      conversations.active = c.id;
      scope.posts.snapshotDue();
    }
    scope.posts.conversationsDue();
  },
  names: (scope, e) => {
    const c = scope.ensure(e.room, 'room');
    scope.people.setMembers(c, e.members);
    scope.membersChanged(c);
  },
  parted: (scope, e) => {
    const c = scope.conversations.byName(e.room);
    if (!c) return;
    if (e.self) weLeft(scope, c, c.joined ? EVENT_TEXT.youLeft(c.name) : undefined);
    else theyLeft(scope, c, e.nick, EVENT_TEXT.left(e.nick, e.reason));
  },
  kicked: (scope, e) => {
    const c = scope.conversations.byName(e.room);
    if (!c) return;
    if (e.self) weLeft(scope, c, EVENT_TEXT.youWereRemoved(c.name, e.by, e.reason));
    else theyLeft(scope, c, e.nick, EVENT_TEXT.removed(e.nick, e.by, e.reason));
  },
  quit: (scope, e) => {
    for (const room of e.rooms) theyLeft(scope, scope.conversations.byName(room), e.nick, EVENT_TEXT.left(e.nick, e.reason));
  },
  renamed: (scope, e) => {
    scope.people.rename(e.from, e.to);
    for (const room of e.rooms) {
      const c = scope.conversations.byName(room);
      if (!c || !scope.people.renameMember(c, e.from, e.to)) continue;
      scope.eventLine(c, EVENT_TEXT.renamed(e.from, e.to), e.from);
      scope.membersChanged(c);
    }
  },
  topic: (scope, e) => {
    const c = scope.ensure(e.room, 'room');
    const changed = (c.topic ?? '') !== (e.topic ?? '');
    if (e.topic === undefined || e.topic === '') delete c.topic;
    else c.topic = e.topic;
    if (!changed) return;
    if (e.by !== undefined) scope.eventLine(c, e.topic ? EVENT_TEXT.topicChanged(e.by, e.topic) : EVENT_TEXT.topicCleared(e.by), e.by);
    scope.posts.conversationsDue();
  },
  mode: (scope, e) => {
    const c = scope.ensure(e.room, 'room');
    scope.people.updateMembers(c, e.members);
    scope.membersChanged(c);
  },
  disconnected: (scope, e) => {
    const c = scope.conversations.byName(e.room);
    if (c) weLeft(scope, c, undefined);
  },
};
