// What the user does to a message (issue 13): react, delete, jump to a reply's parent, and search,
// between the client core and the view model. Pure (no vscode); the commands and the view's
// handlers ask here and show what it says. Every action checks what the server supports first, so
// against a server without these capabilities (ngircd, InspIRCd) the view hides them and nothing is sent.
import { isChannelName } from '../../protocol/validate.ts';
import type { IrcClient } from '../client/ircClient.ts';
import type { SearchHit, SearchQuery } from '../client/types.ts';
import type { MessageFeature } from '../../webview/messages.ts';
import { olderSource } from './bind.ts';
import type { ChatViewModel } from './viewModel.ts';

export type ActionClient = Pick<IrcClient, 'react' | 'redact' | 'loadAround' | 'loadOlder' | 'supports' | 'messages' | 'search'>;

/** Older pages tried (from what the client holds, then the server) before asking for the page around a message. */
const MAX_PAGES_BACK = 10;

/** The message actions the connected server allows, for the view. */
export function messageFeatures(client: Pick<IrcClient, 'supports'>): MessageFeature[] {
  const out: MessageFeature[] = [];
  if (client.supports('reactions')) out.push('react');
  if (client.supports('replies')) out.push('reply');
  if (client.supports('redaction')) out.push('delete');
  if (client.supports('search')) out.push('search');
  if (client.supports('history')) out.push('around');
  return out;
}

/**
 * What this server lacks that Chat would use, in one sentence for the view (said once, in the
 * header, not per action); undefined when it has it all (our server). The features step back by
 * themselves: no scroll-back, read state kept in this window, messages shown as sent.
 */
export function networkLimits(client: Pick<IrcClient, 'supports'>): string | undefined {
  const missing: string[] = [];
  const effects: string[] = [];
  if (!client.supports('history')) {
    missing.push('history');
    effects.push('no scroll-back or messages from while you were away');
  }
  if (!client.supports('read-marker')) {
    missing.push('read markers');
    effects.push('read state stays in this window');
  }
  if (!client.supports('echo')) {
    missing.push('delivery receipts');
    effects.push('your messages show as sent, not delivered');
  } else if (!client.supports('history')) {
    missing.push('offline delivery');
    effects.push('a message to someone offline is not kept for them');
  }
  if (missing.length === 0) return undefined;
  const list = missing.length === 1 ? missing[0]! : `${missing.slice(0, -1).join(', ')} or ${missing.at(-1)!}`;
  return `This server has no ${list}: ${effects.join('; ')}.`;
}

/** Gives my reaction, or takes it back if I gave it. False when it cannot be sent. */
export function toggleReaction(client: ActionClient, model: ChatViewModel, conversation: string, lineId: string, reaction: string): boolean {
  const name = model.nameOf(conversation);
  const msgid = model.line(conversation, lineId)?.msgid;
  if (!name || !msgid || !client.supports('reactions')) return false;
  return client.react(name, msgid, reaction, model.gaveReaction(conversation, msgid, reaction));
}

/** Asks the server to delete a message (it refuses with FAIL REDACT when we may not). */
export function deleteLine(client: ActionClient, model: ChatViewModel, conversation: string, lineId: string): boolean {
  const name = model.nameOf(conversation);
  const msgid = model.line(conversation, lineId)?.msgid;
  if (!name || !msgid || !client.supports('redaction')) return false;
  return client.redact(name, msgid);
}

/**
 * Shows a message (a reply's parent, a search hit): on screen already, else a few older pages
 * (contiguous with what is shown), else the page around it (CHATHISTORY AROUND). False if not found.
 */
export async function jumpTo(client: ActionClient, model: ChatViewModel, conversation: string, msgid: string): Promise<boolean> {
  if (model.reveal(conversation, msgid)) return true;
  const name = model.nameOf(conversation);
  if (!name) return false;
  const held = client.messages(name).some((m) => m.msgid === msgid);
  if (held) {
    for (let i = 0; i < MAX_PAGES_BACK && !model.line(conversation, msgid); i++) {
      const before = model.lines(conversation).length;
      await model.loadOlder(conversation, olderSource(client, name));
      if (model.lines(conversation).length === before) break;
    }
    if (model.reveal(conversation, msgid)) return true;
  }
  if (!client.supports('history')) return false;
  const page = await client.loadAround(name, msgid);
  return model.showAround(conversation, page, msgid);
}

/** The conversation a search hit belongs to, created (a DM) if the list does not have it. */
export function conversationOfHit(model: ChatViewModel, hit: SearchHit): string | undefined {
  const id = model.idOf(hit.target);
  if (model.nameOf(id) !== undefined) return id;
  if (isChannelName(hit.target)) return undefined;
  return model.openDm(hit.target);
}

/** Runs a search; rejects with the server's words (FAIL SEARCH) or when unsupported. */
export function search(client: ActionClient, query: SearchQuery): Promise<SearchHit[]> {
  return client.search(query);
}

/**
 * The query box's text as SEARCH criteria: words are the text; `from:nick`, `in:#room`,
 * `after:2026-12-01` and `before:…` narrow it (the same words as the server's attributes).
 */
export function parseSearchInput(input: string): SearchQuery {
  const q: SearchQuery = {};
  const words: string[] = [];
  for (const part of input.trim().split(/\s+/)) {
    const m = /^(from|in|after|before):(.+)$/i.exec(part);
    if (!m) {
      if (part !== '') words.push(part);
      continue;
    }
    const key = m[1]!.toLowerCase();
    const value = m[2]!;
    if (key === 'from') q.from = value;
    else if (key === 'in') q.in = value;
    else {
      const t = Date.parse(value);
      if (Number.isNaN(t)) words.push(part);
      else q[key as 'after' | 'before'] = new Date(t);
    }
  }
  if (words.length > 0) q.text = words.join(' ');
  return q;
}

