// What is said about messages after they were sent, kept per conversation by msgid: reactions (who
// gave which) and deletions. Kept apart from the lines because they may come before the message
// they are about (a history page, a reaction to a line not loaded yet); a line takes them when it
// is made (decorate) and again when they change. Bounded: a hostile server cannot grow it forever.
import type { Reaction, Redaction } from '../client/types.ts';
import type { ChatLine, ReactionView, ReplyView } from '../../webview/messages.ts';

/** Messages remembered per conversation (the oldest forgotten first). */
export const MAX_ANNOTATED_PER_CONVERSATION = 2000;
/** Different reactions kept on one message. */
export const MAX_REACTIONS_PER_MESSAGE = 50;
/** How much of a parent's text a reply quotes. */
export const QUOTE_CHARS = 80;

interface Annotation {
  /** reaction → nicks, in the order given. */
  reactions: Map<string, string[]>;
  deleted?: { by: string; reason?: string };
}

export class Annotations {
  readonly #byConversation = new Map<string, Map<string, Annotation>>();
  readonly #fold: (nick: string) => string;

  constructor(fold: (nick: string) => string) {
    this.#fold = fold;
  }

  #get(conversation: string, msgid: string, create: true): Annotation;
  #get(conversation: string, msgid: string, create: false): Annotation | undefined;
  #get(conversation: string, msgid: string, create: boolean): Annotation | undefined {
    let all = this.#byConversation.get(conversation);
    if (!all) {
      if (!create) return undefined;
      all = new Map();
      this.#byConversation.set(conversation, all);
    }
    let a = all.get(msgid);
    if (!a && create) {
      a = { reactions: new Map() };
      all.set(msgid, a);
      if (all.size > MAX_ANNOTATED_PER_CONVERSATION) all.delete(all.keys().next().value!);
    }
    return a;
  }

  /** A reaction given or taken back; false when nothing changed. */
  react(conversation: string, r: Reaction): boolean {
    const a = this.#get(conversation, r.msgid, true);
    const nicks = a.reactions.get(r.reaction) ?? [];
    const who = this.#fold(r.nick);
    const at = nicks.findIndex((n) => this.#fold(n) === who);
    if (r.remove) {
      if (at < 0) return false;
      nicks.splice(at, 1);
      if (nicks.length === 0) a.reactions.delete(r.reaction);
      return true;
    }
    if (at >= 0) return false;
    if (!a.reactions.has(r.reaction) && a.reactions.size >= MAX_REACTIONS_PER_MESSAGE) return false;
    nicks.push(r.nick);
    a.reactions.set(r.reaction, nicks);
    return true;
  }

  /** A message deleted; false if it already was. */
  redact(conversation: string, r: Redaction): boolean {
    const a = this.#get(conversation, r.msgid, true);
    if (a.deleted) return false;
    a.deleted = r.reason !== undefined ? { by: r.by, reason: r.reason } : { by: r.by };
    a.reactions.clear();
    return true;
  }

  /** Whether `nick` gave `reaction` to the message. */
  gave(conversation: string, msgid: string, reaction: string, nick: string): boolean {
    const who = this.#fold(nick);
    return this.#get(conversation, msgid, false)?.reactions.get(reaction)?.some((n) => this.#fold(n) === who) ?? false;
  }

  /**
   * The line as it should look now: its reactions and deleted state, and the quote of the message it
   * answers (`parent`, when the conversation holds it).
   */
  decorate(conversation: string, line: ChatLine, myNick: string | undefined, parent?: ChatLine): ChatLine {
    const { reactions: _r, deleted: _d, ...rest } = line;
    let out: ChatLine = rest;
    const a = line.msgid !== undefined ? this.#get(conversation, line.msgid, false) : undefined;
    if (a?.deleted) {
      const { snippet: _s, replyTo: _q, ...bare } = out;
      return { ...bare, text: deletedText(line, a.deleted.by), deleted: true, mention: false };
    }
    if (a && a.reactions.size > 0) {
      const me = myNick !== undefined ? this.#fold(myNick) : undefined;
      const reactions: ReactionView[] = [...a.reactions].map(([reaction, nicks]) => ({ reaction, nicks: [...nicks], mine: nicks.some((n) => this.#fold(n) === me) }));
      out = { ...out, reactions };
    }
    if (line.replyTo !== undefined && parent) out = { ...out, replyTo: quoteOf(parent, this.isDeleted(conversation, parent.msgid)) };
    return out;
  }

  isDeleted(conversation: string, msgid: string | undefined): boolean {
    return msgid !== undefined && this.#get(conversation, msgid, false)?.deleted !== undefined;
  }

  forget(conversation: string): void {
    this.#byConversation.delete(conversation);
  }

  clear(): void {
    this.#byConversation.clear();
  }

  /** Conversation ids changed (another CASEMAPPING). */
  rekey(ids: ReadonlyMap<string, string>): void {
    const all = [...this.#byConversation];
    this.#byConversation.clear();
    for (const [id, a] of all) this.#byConversation.set(ids.get(id) ?? id, a);
  }
}

function deletedText(line: ChatLine, by: string): string {
  return by === '' || by === line.from ? 'This message was deleted.' : `This message was deleted by ${by}.`;
}

/** A reply's quote of its parent: author and the start of the text, on one line. */
export function quoteOf(parent: ChatLine, deleted = false): ReplyView {
  if (deleted || parent.deleted) return { id: parent.msgid ?? parent.id, from: parent.from, text: 'deleted message' };
  const flat = (parent.snippet ? `${parent.snippet.path}:${parent.snippet.startLine}` : parent.text).replace(/\s+/g, ' ').trim();
  const text = flat.length > QUOTE_CHARS ? `${flat.slice(0, QUOTE_CHARS - 1)}…` : flat;
  return { id: parent.msgid ?? parent.id, from: parent.from, text };
}
