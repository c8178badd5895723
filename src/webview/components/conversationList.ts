// Rooms and direct messages: unread counts, mention badges, the other party's presence for DMs.
// A click (or Enter) opens one; "+" joins a room or starts a DM through the extension's commands.
import { conversationLabel, presenceLabel } from '../logic/labels.ts';
import type { ConversationView, WebviewCommand } from '../messages.ts';
import { createBadge } from './badge.ts';
import { createButton } from './button.ts';
import { setChildren } from './dom.ts';
import { makeRoving } from './roving.ts';

export interface ConversationList {
  readonly element: HTMLElement;
  update(conversations: readonly ConversationView[], active: string | undefined): void;
}

interface Section {
  readonly element: HTMLElement;
  readonly list: HTMLElement;
  readonly roving: { refresh(): void };
}

export function createConversationList(open: (id: string) => void, run: (command: WebviewCommand) => void): ConversationList {
  const nav = document.createElement('nav');
  nav.className = 'conversations';
  nav.setAttribute('aria-label', 'Conversations');

  const section = (title: string, addLabel: string, command: WebviewCommand): Section => {
    const element = document.createElement('div');
    element.className = 'conversation-section';
    const head = document.createElement('div');
    head.className = 'section-head';
    const h = document.createElement('h2');
    h.textContent = title;
    head.append(h, createButton('+', () => run(command), { appearance: 'icon', ariaLabel: addLabel, className: 'add' }));
    const list = document.createElement('ul');
    list.className = 'conversation-list';
    list.setAttribute('aria-label', title);
    element.append(head, list);
    const roving = makeRoving(list, '.conversation', (item) => {
      const id = item.dataset['conversation'];
      if (id) open(id);
    });
    return { element, list, roving };
  };
  const rooms = section('Rooms', 'Join a room', 'joinRoom');
  const dms = section('Direct Messages', 'Message a user', 'messageUser');
  nav.append(rooms.element, dms.element);

  const rows = new Map<string, { readonly el: HTMLElement; readonly name: HTMLElement; readonly dot: HTMLElement; readonly unread: ReturnType<typeof createBadge>; readonly mentions: HTMLElement }>();

  const rowFor = (c: ConversationView) => {
    let r = rows.get(c.id);
    if (!r) {
      const el = document.createElement('li');
      el.className = 'conversation';
      el.dataset['conversation'] = c.id;
      el.tabIndex = -1;
      const dot = document.createElement('span');
      dot.className = 'dot';
      const name = document.createElement('span');
      name.className = 'name';
      const mentions = document.createElement('span');
      mentions.className = 'mention-badge';
      const unread = createBadge('unread');
      el.append(dot, name, mentions, unread.element);
      r = { el, name, dot, unread, mentions };
      rows.set(c.id, r);
    }
    return r;
  };

  return {
    element: nav,
    update(conversations, active) {
      const seen = new Set<string>();
      const byKind = { room: [] as HTMLElement[], dm: [] as HTMLElement[] };
      for (const c of conversations) {
        seen.add(c.id);
        const r = rowFor(c);
        r.name.textContent = c.name;
        r.el.classList.toggle('left', c.kind === 'room' && !c.joined);
        r.el.classList.toggle('has-unread', c.unread > 0);
        r.el.dataset['kind'] = c.kind;
        if (c.id === active) r.el.setAttribute('aria-current', 'true');
        else r.el.removeAttribute('aria-current');
        r.el.setAttribute('aria-label', conversationLabel(c.name, c.unread, c.mentions, c.kind === 'dm' ? c.presence : undefined));
        r.el.title = c.topic ? `${c.name}: ${c.topic}` : c.name;
        if (c.kind === 'dm') {
          r.dot.hidden = false;
          r.dot.dataset['presence'] = c.presence ?? 'offline';
          r.dot.title = presenceLabel(c.presence ?? 'offline');
        } else r.dot.hidden = true;
        r.unread.set(c.unread, `${c.unread} unread`);
        r.mentions.hidden = c.mentions <= 0;
        r.mentions.textContent = `@${c.mentions > 99 ? '99+' : c.mentions}`;
        r.mentions.title = `${c.mentions} ${c.mentions === 1 ? 'mention' : 'mentions'}`;
        byKind[c.kind === 'dm' ? 'dm' : 'room'].push(r.el);
      }
      for (const [id, r] of rows) {
        if (!seen.has(id)) {
          r.el.remove();
          rows.delete(id);
        }
      }
      setChildren(rooms.list, byKind.room);
      setChildren(dms.list, byKind.dm);
      rooms.element.classList.toggle('empty', byKind.room.length === 0);
      dms.element.classList.toggle('empty', byKind.dm.length === 0);
      rooms.roving.refresh();
      dms.roving.refresh();
    },
  };
}
