// HELP [<subject>] and its alias HELPOP (https://modern.ircdocs.horse/#help-message):
//   704 RPL_HELPSTART <subject> :<title>, 705 RPL_HELPTXT <subject> :<line>..., 706 RPL_ENDOFHELP,
//   or 524 ERR_HELPNOTFOUND <subject> for a subject that is not a command of this server.
// Without a subject (or with `index`): every verb in the command table — read at request time, so
// the index lists what the server really accepts, feature modules' commands included. With one:
// the entry from helpTexts.ts, or a syntax line derived from the table for a verb without one.
// Subjects are case-insensitive.
import { ERR_HELPNOTFOUND, RPL_ENDOFHELP, RPL_HELPSTART, RPL_HELPTXT } from '../../protocol/numerics.ts';
import type { CommandContext, CommandSpec, CommandTable } from '../context.ts';
import type { Reply } from '../reply.ts';
import { HELP_TEXTS, type HelpText } from './helpTexts.ts';

/** Verbs per index line: 10 of up to 12 characters keep a 705 line far below 512 bytes. */
const VERBS_PER_LINE = 10;
/** A subject is echoed back as a parameter: keep a hostile one short. */
const SUBJECT_ECHO_MAX = 32;
const INDEX_SUBJECT = '*';

/** The help for `verb`: its entry in HELP_TEXTS, else a syntax line derived from its spec; null if not a command here. */
export function helpFor(commands: CommandTable, verb: string): HelpText | null {
  const upper = verb.toUpperCase();
  const spec = commands.get(upper);
  if (!spec) return null;
  const text = HELP_TEXTS[upper];
  if (text) return text;
  const params = Array.from({ length: spec.minParams }, (_, i) => `<param${i + 1}>`);
  return { syntax: [upper, ...params, '...'].join(' '), lines: [] };
}

/** The index: the command table's verbs, sorted, operator-only ones on their own line. */
export function helpIndex(commands: CommandTable): string[] {
  const verbs = commands.verbs().sort();
  const operOnly = verbs.filter((v) => commands.get(v)?.operOnly === true);
  const everyone = verbs.filter((v) => !operOnly.includes(v));
  const lines = ['Commands:'];
  for (let i = 0; i < everyone.length; i += VERBS_PER_LINE) lines.push(`  ${everyone.slice(i, i + VERBS_PER_LINE).join(' ')}`);
  if (operOnly.length > 0) lines.push(`Server operators only: ${operOnly.join(' ')}`);
  lines.push('', 'HELP <command> explains one, e.g. HELP PRIVMSG.');
  return lines;
}

function send(reply: Reply, subject: string, title: string, body: readonly string[]): void {
  reply.numeric(RPL_HELPSTART, subject, title);
  // 705 lines may be empty (a blank line between paragraphs), the trailing parameter allows it.
  for (const line of body) reply.numeric(RPL_HELPTXT, subject, line);
  reply.numeric(RPL_ENDOFHELP, subject, 'End of /HELP');
}

function helpHandler({ server, msg, reply }: CommandContext): void {
  const asked = (msg.params[0] ?? '').trim();
  if (asked === '' || asked.toLowerCase() === 'index') {
    send(reply, INDEX_SUBJECT, `** Help for ${server.name} **`, helpIndex(server.commands));
    return;
  }
  const echo = asked.length > SUBJECT_ECHO_MAX ? `${asked.slice(0, SUBJECT_ECHO_MAX)}...` : asked;
  const help = /^[A-Za-z]{1,32}$/.test(asked) ? helpFor(server.commands, asked) : null;
  if (!help) return reply.numeric(ERR_HELPNOTFOUND, echo, 'No help available on this topic (HELP lists the commands)');
  // Texts name this server's settings where they depend on them ({minPasswordLength}).
  const lines = help.lines.map((l) => l.replaceAll('{minPasswordLength}', String(server.config.minPasswordLength)));
  send(reply, echo, `** ${asked.toUpperCase()} **`, [`Syntax: ${help.syntax}`, ...lines]);
}

export const helpCommands: Record<string, CommandSpec> = {
  HELP: { handler: helpHandler, minParams: 0 },
  HELPOP: { handler: helpHandler, minParams: 0 },
};
