// One row of the message list: a day separator or a chat line. Everything from the network (nick,
// text, reason, snippet path and code) is set as textContent / text nodes only.
import { LINE_STATE_LABELS } from '../logic/labels.ts';
import { quoteText, reactionLabel, reactors, type LineActionsAllowed } from '../logic/reactions.ts';
import type { Row } from '../logic/rows.ts';
import { segments } from '../logic/segments.ts';
import { codeBlocks, inlineCode } from '../logic/code.ts';
import type { ChatLine, SnippetView } from '../messages.ts';

export interface LineActions {
  openLink(url: string): void;
  /** `lineId`: the line holding the snippet (the extension finds where its code is now). */
  openSnippet(path: string, line: number, lineId: string): void;
  retry(id: string): void;
  /** Which actions this line offers (capabilities, own message, operator). */
  allowed(line: ChatLine): LineActionsAllowed;
  /** Toggle my `reaction` on the line. */
  react(line: ChatLine, reaction: string): void;
  /** Open the reaction picker for the line (`from`: the button, focus returns there). */
  pickReaction(line: ChatLine, from: HTMLElement): void;
  reply(line: ChatLine): void;
  copy(line: ChatLine): void;
  remove(line: ChatLine): void;
  /** Show the message a reply answers. */
  jumpTo(id: string): void;
}

/** Snippet code shown in the view; longer ones say how many lines are left out (the file has them). */
const MAX_SNIPPET_LINES = 60;

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'medium' });

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

export function renderRow(row: Row, myNick: string | undefined, actions: LineActions): HTMLElement {
  if (row.kind === 'day') {
    // A list item holding a heading (not role=separator, which an <ol> may not contain): screen
    // readers can jump from day to day by heading.
    const li = el('li', 'day-separator');
    li.dataset['day'] = row.day;
    li.append(el('h3', 'day-label', row.label));
    return li;
  }
  return renderLine(row.line, row.grouped, myNick, actions);
}

/** Message text: fenced code blocks and inline `code` in the editor's font, the rest with links and mentions. */
function renderText(text: string, myNick: string | undefined, actions: LineActions): HTMLElement {
  const span = el('span', 'text');
  for (const block of codeBlocks(text)) {
    if (block.kind === 'code') {
      const pre = el('pre', 'code-block');
      if (block.language) pre.dataset['language'] = block.language;
      pre.append(el('code', '', block.code));
      span.append(pre);
      continue;
    }
    for (const part of inlineCode(block.text)) {
      if (part.kind === 'code') span.append(el('code', 'inline-code', part.code));
      else appendSegments(span, part.text, myNick, actions);
    }
  }
  return span;
}

function appendSegments(span: HTMLElement, text: string, myNick: string | undefined, actions: LineActions): void {
  for (const s of segments(text, myNick)) {
    if (s.kind === 'text') span.append(document.createTextNode(s.text));
    else if (s.kind === 'mention') span.append(el('mark', 'mention-nick', s.text));
    else {
      // A button, not an <a href>: the webview never navigates; the extension validates and opens.
      const link = el('button', 'link', s.text);
      link.type = 'button';
      link.title = `Open ${s.url}`;
      link.addEventListener('click', () => actions.openLink(s.url));
      span.append(link);
    }
  }
}

function renderSnippet(snippet: SnippetView, lineId: string, actions: LineActions): HTMLElement {
  const box = el('figure', 'snippet');
  const head = el('figcaption', 'snippet-head');
  const range = snippet.endLine > snippet.startLine ? `${snippet.startLine}-${snippet.endLine}` : String(snippet.startLine);
  const open = el('button', 'snippet-open', `${snippet.path}:${range}`);
  open.type = 'button';
  open.title = `Open ${snippet.path} at line ${snippet.startLine}`;
  open.addEventListener('click', () => actions.openSnippet(snippet.path, snippet.startLine, lineId));
  head.append(open);
  if (snippet.commit) {
    const at = el('span', 'snippet-commit', `@${snippet.commit.slice(0, 7)}${snippet.dirty ? '*' : ''}`);
    at.title = `Shared at commit ${snippet.commit}${snippet.dirty ? ', with changes not committed' : ''}: a click opens the lines where this code is now`;
    head.append(at);
  }
  if (snippet.language) head.append(el('span', 'snippet-lang', snippet.language));
  const lines = snippet.code.split('\n');
  const shown = lines.length > MAX_SNIPPET_LINES ? lines.slice(0, MAX_SNIPPET_LINES).join('\n') : snippet.code;
  const pre = el('pre', 'snippet-code');
  pre.append(el('code', '', shown));
  box.append(head, pre);
  if (lines.length > MAX_SNIPPET_LINES) box.append(el('div', 'snippet-more', `… ${lines.length - MAX_SNIPPET_LINES} more lines in the file`));
  return box;
}

function renderState(line: ChatLine, actions: LineActions): HTMLElement | undefined {
  if (!line.self || !line.state) return undefined;
  const box = el('span', `line-state ${line.state}`);
  const label = LINE_STATE_LABELS[line.state] ?? line.state;
  box.title = line.state === 'failed' && line.reason ? `${label}: ${line.reason}` : label;
  if (line.state === 'pending') {
    box.append(el('span', 'spinner'));
    box.setAttribute('aria-label', label);
  } else if (line.state === 'delivered') {
    box.textContent = '✓';
    box.setAttribute('aria-label', label);
  } else if (line.state === 'stored') {
    box.textContent = label;
  } else {
    box.append(el('span', 'failed-label', line.reason ? `${label}: ${line.reason}` : label));
    const retry = el('button', 'retry', 'Retry');
    retry.type = 'button';
    retry.addEventListener('click', () => actions.retry(line.id));
    box.append(retry);
  }
  return box;
}

function renderLine(line: ChatLine, grouped: boolean, myNick: string | undefined, actions: LineActions): HTMLElement {
  // My own lines never highlight my own nick.
  if (line.self) myNick = undefined;
  const kind = line.kind === 'notice' || line.kind === 'action' || line.kind === 'event' ? line.kind : 'privmsg';
  const li = el('li', `line message ${kind}`);
  if (line.self) li.classList.add('self');
  if (grouped) li.classList.add('grouped');
  if (line.mention && !line.self) li.classList.add('mention');
  li.dataset['id'] = line.id;
  li.dataset['from'] = line.from;
  if (line.self && line.state) li.dataset['state'] = line.state;
  const date = new Date(line.time);
  const valid = Number.isFinite(date.getTime());
  li.title = valid ? fullFormat.format(date) : '';
  const time = el('time', 'time', valid ? timeFormat.format(date) : '');
  if (valid) time.dateTime = date.toISOString();

  if (kind === 'event') {
    li.append(renderText(line.text, undefined, actions), time);
    return li;
  }
  // Keyboard: the message list moves focus from line to line; Tab goes on into its actions.
  li.tabIndex = -1;
  if (line.deleted) li.classList.add('deleted');

  if (kind === 'action') {
    li.append(el('span', 'nick', `* ${line.from}`), document.createTextNode(' '), renderText(line.text, myNick, actions), time);
  } else {
    if (!grouped) {
      const head = el('div', 'line-head');
      head.append(el('span', 'nick', line.from), time);
      li.append(head);
    }
    if (line.replyTo) li.append(renderQuote(line.replyTo.id, quoteText(line.replyTo), actions));
    if (line.snippet) li.append(renderSnippet(line.snippet, line.id, actions));
    else li.append(renderText(line.text, myNick, actions));
  }
  const state = renderState(line, actions);
  if (state) li.append(state);
  if (line.reactions && line.reactions.length > 0) li.append(renderReactions(line, myNickOf(line, myNick), actions));
  const toolbar = renderToolbar(line, actions);
  if (toolbar) li.append(toolbar);
  return li;
}

/** My nick for "you" in reaction labels (`myNick` is cleared on my own lines for mentions). */
function myNickOf(line: ChatLine, myNick: string | undefined): string | undefined {
  return line.self ? line.from : myNick;
}

function renderQuote(id: string, text: string, actions: LineActions): HTMLElement {
  const quote = el('button', 'reply-quote', text);
  quote.type = 'button';
  quote.tabIndex = -1;
  quote.title = 'Show the message this answers';
  quote.setAttribute('aria-label', `In reply to ${text}. Show that message`);
  quote.addEventListener('click', () => actions.jumpTo(id));
  return quote;
}

function renderReactions(line: ChatLine, myNick: string | undefined, actions: LineActions): HTMLElement {
  const box = el('div', 'reactions');
  box.setAttribute('role', 'group');
  box.setAttribute('aria-label', 'Reactions');
  const canReact = actions.allowed(line).react;
  for (const r of line.reactions ?? []) {
    const b = el('button', 'reaction');
    b.type = 'button';
    b.tabIndex = -1;
    b.dataset['reaction'] = r.reaction;
    b.setAttribute('aria-pressed', String(r.mine));
    b.append(el('span', 'reaction-emoji', r.reaction), el('span', 'reaction-count', String(r.nicks.length)));
    b.title = reactors(r, myNick);
    b.setAttribute('aria-label', reactionLabel(r, myNick));
    if (canReact) b.addEventListener('click', () => actions.react(line, r.reaction));
    else b.disabled = true;
    box.append(b);
  }
  return box;
}

/** Hover or keyboard focus on a message shows its actions (role=toolbar, buttons with names). */
function renderToolbar(line: ChatLine, actions: LineActions): HTMLElement | undefined {
  const allowed = actions.allowed(line);
  const buttons: HTMLButtonElement[] = [];
  const add = (className: string, icon: string, label: string, run: (b: HTMLButtonElement) => void): void => {
    const b = el('button', `line-action ${className}`, icon);
    b.type = 'button';
    b.tabIndex = -1;
    b.title = label;
    b.setAttribute('aria-label', label);
    b.addEventListener('click', (e) => {
      e.stopPropagation();
      run(b);
    });
    buttons.push(b);
  };
  if (allowed.react) add('action-react', '☺', 'React', (b) => actions.pickReaction(line, b));
  if (allowed.reply) add('action-reply', '↩', 'Reply', () => actions.reply(line));
  if (allowed.copy) add('action-copy', '⧉', 'Copy text', () => actions.copy(line));
  if (allowed.delete) add('action-delete', '🗑', 'Delete message', () => actions.remove(line));
  if (buttons.length === 0) return undefined;
  const bar = el('div', 'line-actions');
  bar.setAttribute('role', 'toolbar');
  bar.setAttribute('aria-label', `Actions for the message from ${line.from}`);
  bar.append(...buttons);
  return bar;
}

/** A guess of a row's height before it is drawn (then it is measured); `chars` fit on one text line. */
export function estimateHeight(row: Row, chars: number): number {
  if (row.kind === 'day') return 28;
  const line = row.line;
  if (line.kind === 'event') return 20;
  const head = row.grouped || line.kind === 'action' ? 0 : 20;
  if (line.snippet) return head + 34 + Math.min(line.snippet.code.split('\n').length, 18) * 16;
  let textLines = 0;
  for (const part of line.text.split('\n')) textLines += Math.max(1, Math.ceil(part.length / Math.max(10, chars)));
  const extra = (line.replyTo ? 18 : 0) + (line.reactions && line.reactions.length > 0 ? 24 : 0);
  return head + 4 + extra + textLines * 19 + (line.state === 'failed' || line.state === 'stored' ? 18 : 0);
}
