// Chat: Search Messages: a quick pick whose box is the query (words, and `from:`, `in:`, `after:`,
// `before:` to narrow it), answered by the server's search (soju.im/search); choosing a result
// opens its conversation scrolled to the message, with its neighbours. Results come from the
// network: shown as plain text (no `$(icon)` syntax, one line), never as markup.
import * as vscode from 'vscode';
import type { SearchHit } from '../client/types.ts';
import { conversationOfHit, jumpTo, parseSearchInput, search } from '../chat/messageActions.ts';
import { plainLabel } from '../plainText.ts';
import { requireConnection, type CommandDeps } from './deps.ts';


const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

interface HitItem extends vscode.QuickPickItem {
  readonly hit?: SearchHit;
}

function itemOf(hit: SearchHit): HitItem {
  return {
    label: plainLabel(hit.text, 200),
    description: plainLabel(`${hit.from} in ${hit.target}`, 80),
    detail: timeFormat.format(hit.time),
    hit,
  };
}

export async function searchMessages(deps: CommandDeps): Promise<void> {
  if (!requireConnection(deps)) return;
  const client = deps.connection.client;
  if (!client || !client.supports('search')) {
    void vscode.window.showInformationMessage('Chat: this server does not offer search.');
    return;
  }
  const pick = vscode.window.createQuickPick<HitItem>();
  pick.title = 'Chat: Search Messages';
  pick.placeholder = 'Words to find; narrow with from:nick in:#room after:2026-12-01 before:…';
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  let seq = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = (value: string): void => {
    const query = parseSearchInput(value);
    if (query.text === undefined && query.from === undefined && query.in === undefined) {
      pick.items = [];
      return;
    }
    const mine = ++seq;
    pick.busy = true;
    search(client, query).then(
      (hits) => {
        if (mine !== seq) return;
        pick.busy = false;
        // The server already matched: keep every result shown whatever the box says.
        pick.items = hits.length > 0 ? hits.map(itemOf).map((i) => ({ ...i, alwaysShow: true })) : [{ label: 'No messages found', alwaysShow: true }];
      },
      (err: unknown) => {
        if (mine !== seq) return;
        pick.busy = false;
        pick.items = [{ label: plainLabel(err instanceof Error ? err.message : 'Search failed', 200), alwaysShow: true }];
      },
    );
  };
  const done = new Promise<SearchHit | undefined>((resolve) => {
    pick.onDidChangeValue((value) => {
      clearTimeout(timer);
      timer = setTimeout(() => run(value), 300);
    });
    pick.onDidAccept(() => {
      const hit = pick.selectedItems[0]?.hit;
      if (!hit) {
        clearTimeout(timer);
        run(pick.value);
        return;
      }
      resolve(hit);
      pick.hide();
    });
    pick.onDidHide(() => resolve(undefined));
  });
  pick.show();
  const hit = await done;
  clearTimeout(timer);
  pick.dispose();
  if (!hit) return;
  const conversation = conversationOfHit(deps.model, hit);
  if (!conversation) {
    void vscode.window.showInformationMessage(`Chat: join ${hit.target} to read that message in its room.`);
    return;
  }
  await deps.view.reveal(false);
  if (hit.msgid === undefined || !(await jumpTo(client, deps.model, conversation, hit.msgid))) {
    deps.model.open(conversation);
    void vscode.window.showInformationMessage('Chat: that message is no longer in the history.');
  }
}
