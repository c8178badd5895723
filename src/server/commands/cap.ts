// CAP: IRCv3 capability negotiation, https://ircv3.net/specs/extensions/capability-negotiation
// LS [302] / LIST / REQ / END. LS or REQ before registration suspends it until CAP END.
// What is offered comes from the capability registry (../caps.ts).
import { CAP } from '../../protocol/caps.ts';
import { ERR_INVALIDCAPCMD } from '../../protocol/numerics.ts';
import type { CommandContext, CommandSpec } from '../context.ts';
import { tryCompleteRegistration } from './registration.ts';

/** Bytes of capability tokens per CAP line, leaving room for the prefix and nick (512-byte lines). */
const CAP_LINE_BYTES = 380;

function capHandler(ctx: CommandContext): void {
  const { server, client, msg, reply } = ctx;
  const sub = (msg.params[0] ?? '').toUpperCase();
  const target = client.registered ? client.nick : '*';
  switch (sub) {
    case 'LS': {
      if (!client.registered) client.capNegotiating = true;
      const version = Number.parseInt(msg.params[1] ?? '0', 10) || 0;
      if (version >= 302) {
        client.capVersion = Math.max(client.capVersion, version);
        // CAP LS 302 implies cap-notify (spec: "Cap-notify" section).
        if (server.caps.has(CAP.capNotify)) client.caps.add(CAP.capNotify);
      }
      sendList(ctx, target, 'LS', server.caps.lsTokens(client, client.capVersion >= 302));
      return;
    }
    case 'LIST':
      sendList(ctx, target, 'LIST', [...client.caps]);
      return;
    case 'REQ': {
      if (!client.registered) client.capNegotiating = true;
      const text = msg.params[1] ?? '';
      const items = text.split(' ').filter((s) => s !== '');
      // All or nothing: one unknown capability NAKs the whole request.
      const ok =
        items.length > 0 &&
        items.every((item) => {
          const name = item.startsWith('-') ? item.slice(1) : item;
          return server.caps.has(name);
        });
      if (!ok) {
        reply.server('CAP', target, 'NAK', text);
        return;
      }
      for (const item of items) {
        const off = item.startsWith('-');
        const name = off ? item.slice(1) : item;
        if (off ? client.caps.delete(name) : !client.caps.has(name) && client.caps.add(name)) {
          server.caps.get(name)?.onChange?.(client, !off);
        }
      }
      reply.server('CAP', target, 'ACK', text);
      return;
    }
    case 'END':
      if (client.registered || !client.capNegotiating) return;
      client.capNegotiating = false;
      // A SASL exchange still open when registration completes is aborted there (906).
      tryCompleteRegistration(server, client, reply);
      return;
    default:
      reply.numeric(ERR_INVALIDCAPCMD, sub === '' ? '*' : sub, 'Invalid CAP command');
  }
}

/** Sends a list, split over several lines with the `*` continuation marker when long. */
function sendList({ client, reply }: CommandContext, target: string, sub: string, tokens: string[]): void {
  // Only CAP 302 clients understand the `*` continuation; older ones get one line (no values, so it
  // stays short).
  if (client.capVersion < 302) return reply.server('CAP', target, sub, tokens.join(' '));
  const lines: string[] = [];
  let cur = '';
  for (const t of tokens) {
    if (cur !== '' && Buffer.byteLength(cur) + 1 + Buffer.byteLength(t) > CAP_LINE_BYTES) {
      lines.push(cur);
      cur = t;
    } else cur = cur === '' ? t : `${cur} ${t}`;
  }
  lines.push(cur);
  lines.forEach((line, i) => {
    if (i < lines.length - 1) reply.server('CAP', target, sub, '*', line);
    else reply.server('CAP', target, sub, line);
  });
}

export const capCommands: Record<string, CommandSpec> = {
  CAP: { handler: capHandler, minParams: 1, preRegistration: true },
};
