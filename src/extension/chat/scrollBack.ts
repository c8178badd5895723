// Scroll-back: the view reached the top of a conversation, so the next older page goes in front,
// from what the client still holds (the window keeps fewer lines than the client), else from the
// server (CHATHISTORY BEFORE). One request per conversation at a time.
import type { OlderSource } from './lines.ts';
import { toChatLine } from './lines.ts';
import type { ModelScope } from './scope.ts';

export function loadOlder(scope: ModelScope, id: string, source: OlderSource): Promise<void> {
  const c = scope.conversations.get(id);
  if (!c || !c.hasOlder) return Promise.resolve();
  c.loadingOlder ??= (async () => {
    const lines = await scope.lines.older(c, source, (m) => scope.decorate(c, toChatLine(m, scope.selfNick() ?? '', () => scope.lines.newId('m'))));
    if (c.id === scope.conversations.active) scope.posts.send({ type: 'lines', conversation: c.id, lines, position: 'prepend', hasOlder: c.hasOlder });
  })().finally(() => {
    delete c.loadingOlder;
  });
  return c.loadingOlder;
}
