// What HELP <command> says (help.ts): the syntax, then a line or two. Keyed by verb in upper case.
// A verb in the command table without an entry here still gets a syntax line (help.ts), so a new
// command is never unanswered; add its text here to say more.

export interface HelpText {
  /** `VERB <required> [<optional>]`, as the specs write it. */
  syntax: string;
  /** Short description lines (each well under one IRC line). */
  lines: readonly string[];
}

export const HELP_TEXTS: Readonly<Record<string, HelpText>> = {
  // Connection
  CAP: { syntax: 'CAP LS [302] | CAP LIST | CAP REQ :<capabilities> | CAP END', lines: ['Negotiates IRCv3 capabilities (server-time, echo-message, draft/chathistory...).'] },
  AUTHENTICATE: { syntax: 'AUTHENTICATE PLAIN | AUTHENTICATE <base64>', lines: ['SASL PLAIN login to an account, during CAP negotiation.'] },
  PASS: { syntax: 'PASS <password>', lines: ['The server password (--server-password), sent before NICK and USER.'] },
  NICK: { syntax: 'NICK <nickname>', lines: ['Sets or changes your nick. A nick equal to an account name belongs to that account.'] },
  USER: { syntax: 'USER <username> 0 * :<realname>', lines: ['Sent once when connecting; the realname is shown by WHOIS.'] },
  PING: { syntax: 'PING <token>', lines: ['The server answers PONG <token>.'] },
  PONG: { syntax: 'PONG <token>', lines: ["The answer to the server's PING; idle clients that do not answer are dropped."] },
  QUIT: { syntax: 'QUIT [:<message>]', lines: ['Disconnects; your rooms see the message.'] },
  // Accounts
  REGISTER: { syntax: 'REGISTER <account> <email|*> <password>', lines: ['Creates an account named after your current nick (`*` = your nick);', 'passwords need {minPasswordLength} characters or more. Log in later with SASL PLAIN.'] },
  VERIFY: { syntax: 'VERIFY <account> <code>', lines: ['Accounts here need no verification; VERIFY always fails.'] },
  OPER: { syntax: 'OPER <name> <password>', lines: ['Become a server operator (admin) with credentials from --oper.'] },
  KILL: { syntax: 'KILL <nick> [:<reason>]', lines: ['Server operators only: disconnects a user.'] },
  // Rooms
  JOIN: { syntax: 'JOIN <room>{,<room>} [<key>{,<key>}]', lines: ['Joins rooms (names start with #), creating them if needed;', 'the first member of a new room becomes its operator. JOIN 0 leaves every room.'] },
  PART: { syntax: 'PART <room>{,<room>} [:<reason>]', lines: ['Leaves rooms.'] },
  TOPIC: { syntax: 'TOPIC <room> [:<topic>]', lines: ['Shows the topic, or sets it (room operators only when the room is +t).'] },
  NAMES: { syntax: 'NAMES [<room>{,<room>}]', lines: ["Lists a room's members (@ operator, + voice)."] },
  LIST: { syntax: 'LIST [<room>{,<room>}]', lines: ['Lists rooms with their member count and topic (secret +s rooms only to members).'] },
  INVITE: { syntax: 'INVITE <nick> <room> | INVITE', lines: ['Invites a user into a room (needed for +i rooms);', 'without parameters lists the rooms you are invited to.'] },
  KICK: { syntax: 'KICK <room> <nick>{,<nick>} [:<reason>]', lines: ['Room operators: removes users from the room.'] },
  MODE: { syntax: 'MODE <room> [<modes> [<params>]] | MODE <nick> [<modes>]', lines: ['Rooms: +o +v (operator, voice), +b <mask>, +k <key>, +l <limit>, +i +m +n +s +t.', 'You: +i (invisible), +B (bot).'] },
  // Messages
  PRIVMSG: { syntax: 'PRIVMSG <target>{,<target>} :<text>', lines: ['Sends a message to rooms or users. Every message is stored before it is relayed;', 'a user who is offline but has an account gets it when they return.'] },
  NOTICE: { syntax: 'NOTICE <target>{,<target>} :<text>', lines: ['Like PRIVMSG, but never answered automatically.'] },
  TAGMSG: { syntax: '@<tags> TAGMSG <target>', lines: ['A message with only client tags (typing, reactions); needs message-tags.', 'Reactions (+draft/react with +draft/reply) are stored and come back with history.'] },
  REDACT: { syntax: 'REDACT <target> <msgid> [:<reason>]', lines: ['Deletes a message or reaction: your own, any in a room you operate (draft/message-redaction).'] },
  SEARCH: { syntax: 'SEARCH text=<words>[;in=<target>][;from=<nick>][;after=<time>][;before=<time>][;limit=<n>]', lines: ['Finds messages in your rooms and your conversations (soju.im/search).'] },
  BATCH: { syntax: 'BATCH +<id> draft/multiline <target> | BATCH -<id>', lines: ['Sends several lines as one message (draft/multiline).'] },
  CHATHISTORY: { syntax: 'CHATHISTORY LATEST|BEFORE|AFTER|AROUND <target> <reference> <limit>', lines: ['Also BETWEEN <target> <ref> <ref> <limit> and TARGETS <ref> <ref> <limit>;', 'a reference is msgid=<id>, timestamp=<time> or *. Needs draft/chathistory.'] },
  MARKREAD: { syntax: 'MARKREAD <target> [timestamp=<time>]', lines: ['Gets or sets your read marker for a room or conversation (draft/read-marker).'] },
  AWAY: { syntax: 'AWAY [:<message>]', lines: ['Marks you away (a message starting with [busy] means busy); AWAY alone returns.'] },
  MONITOR: { syntax: 'MONITOR +|- <nick>{,<nick>} | MONITOR C|L|S', lines: ['Tells you when the listed nicks come online or leave.'] },
  // Queries
  WHO: { syntax: 'WHO <mask> [%<fields>[,<token>]]', lines: ['Lists the members of a room, or users matching a mask (WHOX fields after %).'] },
  WHOIS: { syntax: 'WHOIS <nick>', lines: ["Shows a user's name, rooms, account, away message and idle time."] },
  WHOWAS: { syntax: 'WHOWAS <nick>{,<nick>} [<count>]', lines: ['Shows who last used a nick that is no longer in use (newest first).'] },
  ISON: { syntax: 'ISON <nick>{ <nick>}', lines: ['Which of the nicks are online.'] },
  USERHOST: { syntax: 'USERHOST <nick>{ <nick>}', lines: ['nick=+user@host of up to 5 users (- when away, * for operators).'] },
  MOTD: { syntax: 'MOTD [<server>]', lines: ['The message of the day.'] },
  LUSERS: { syntax: 'LUSERS [<mask> [<server>]]', lines: ['How many users and rooms there are.'] },
  VERSION: { syntax: 'VERSION [<server>]', lines: ["The server's name and version."] },
  TIME: { syntax: 'TIME [<server>]', lines: ["The server's time."] },
  ADMIN: { syntax: 'ADMIN [<server>]', lines: ['Who runs this server and how to reach them.'] },
  INFO: { syntax: 'INFO [<server>]', lines: ['Server version, Node.js and SQLite versions, start time.'] },
  HELP: { syntax: 'HELP [<command>]', lines: ['Lists the commands, or explains one. HELPOP is the same.'] },
  HELPOP: { syntax: 'HELPOP [<command>]', lines: ['Same as HELP.'] },
};
