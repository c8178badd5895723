// The active room's members with presence dots, collapsible. A click (or Enter) on a member opens
// a direct conversation. Hooks for tests: `[data-nick][data-presence]` rows whose text is the nick.
import { presenceLabel } from '../logic/labels.ts';
import type { MemberView } from '../messages.ts';
import { setChildren } from './dom.ts';
import { makeRoving } from './roving.ts';

export interface MemberList {
  readonly element: HTMLElement;
  update(members: readonly MemberView[], collapsed: boolean): void;
}

const PRESENCE_ORDER = { online: 0, busy: 1, away: 2, offline: 3 } as const;

/** Online first, then busy, away, offline; operators before voiced before others; then by nick. */
export function sortMembers(members: readonly MemberView[]): MemberView[] {
  const rank = (p: string): number => (p === '@' ? 0 : p === '+' ? 1 : 2);
  return [...members].sort(
    (a, b) =>
      (PRESENCE_ORDER[a.presence] ?? 3) - (PRESENCE_ORDER[b.presence] ?? 3) ||
      rank(a.prefix) - rank(b.prefix) ||
      a.nick.localeCompare(b.nick, undefined, { sensitivity: 'base' }),
  );
}

export function createMemberList(openDm: (nick: string) => void, onToggle: (collapsed: boolean) => void): MemberList {
  const box = document.createElement('section');
  box.className = 'members';
  const toggle = document.createElement('button');
  toggle.type = 'button';
  toggle.className = 'members-toggle';
  toggle.setAttribute('aria-controls', 'member-list');
  const list = document.createElement('ul');
  list.className = 'member-list';
  list.id = 'member-list';
  list.setAttribute('aria-label', 'Members');
  box.append(toggle, list);
  const roving = makeRoving(list, '.member', (item) => {
    const nick = item.dataset['nick'];
    if (nick) openDm(nick);
  });
  let collapsedNow = false;
  toggle.addEventListener('click', () => onToggle(!collapsedNow));

  const rows = new Map<string, HTMLElement>();
  return {
    element: box,
    update(members, collapsed) {
      collapsedNow = collapsed;
      box.hidden = members.length === 0;
      // "here" = connected (online, away or busy); "online" alone would miscount the away ones.
      const here = members.filter((m) => m.presence !== 'offline').length;
      toggle.textContent = here === members.length ? `Members — ${members.length}` : `Members — ${here} here of ${members.length}`;
      toggle.setAttribute('aria-expanded', String(!collapsed));
      list.hidden = collapsed;
      const seen = new Set<string>();
      const els: HTMLElement[] = [];
      for (const m of sortMembers(members)) {
        if (seen.has(m.nick)) continue;
        seen.add(m.nick);
        let el = rows.get(m.nick);
        if (!el) {
          el = document.createElement('li');
          el.className = 'member';
          el.tabIndex = -1;
          el.dataset['nick'] = m.nick;
          const nickEl = document.createElement('span');
          nickEl.className = 'member-nick';
          nickEl.textContent = m.nick;
          // Away / busy in words beside the nick, not only as the dot's colour (WCAG 1.4.1).
          const statusEl = document.createElement('span');
          statusEl.className = 'member-status';
          statusEl.setAttribute('aria-hidden', 'true');
          el.append(nickEl, statusEl);
          rows.set(m.nick, el);
        }
        el.dataset['presence'] = m.presence;
        const statusEl = el.querySelector('.member-status');
        if (statusEl) statusEl.textContent = m.presence === 'away' || m.presence === 'busy' ? presenceLabel(m.presence, m.statusMessage) : '';
        // The prefix and bot mark are drawn by CSS from these attributes, so the row's text stays the nick.
        el.dataset['prefix'] = m.prefix === '@' || m.prefix === '+' ? m.prefix : '';
        el.classList.toggle('bot', m.bot === true);
        const label = presenceLabel(m.presence, m.statusMessage);
        const role = m.prefix === '@' ? ', operator' : m.prefix === '+' ? ', voice' : '';
        el.title = `${m.nick} — ${label}${m.account ? ` (account ${m.account})` : ''}${m.bot ? ', bot' : ''}`;
        el.setAttribute('aria-label', `${m.nick}, ${label}${role}${m.bot ? ', bot' : ''}. Send a direct message`);
        els.push(el);
      }
      for (const [nick, el] of rows) if (!seen.has(nick)) rows.delete(nick) && el.remove();
      setChildren(list, els);
      roving.refresh();
    },
  };
}
