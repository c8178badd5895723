// The words of event lines ("alice joined"), in one place: the view model decides when a line is
// due (roomEvents.ts), this file how it reads.

const why = (reason: string | undefined): string => (reason ? ` (${reason})` : '');

export const EVENT_TEXT = {
  youJoined: (room: string) => `You joined ${room}`,
  youLeft: (room: string) => `You left ${room}`,
  youWereRemoved: (room: string, by: string | undefined, reason?: string) => `You were removed from ${room} by ${by ?? 'the server'}${why(reason)}`,
  joined: (nick: string) => `${nick} joined`,
  left: (nick: string, reason?: string) => `${nick} left${why(reason)}`,
  removed: (nick: string, by: string, reason?: string) => `${nick} was removed by ${by}${why(reason)}`,
  renamed: (from: string, to: string) => `${from} is now known as ${to}`,
  topicChanged: (by: string, topic: string) => `${by} changed the topic to: ${topic}`,
  topicCleared: (by: string) => `${by} cleared the topic`,
} as const;
