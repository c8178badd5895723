// The handler table: one entry per incoming command or numeric, grouped by topic in this folder.
import type { HandlerEntry } from './context.ts';
import { chatHandlers } from './chat.ts';
import { modernHandlers } from './modern.ts';
import { annotationHandlers } from './annotations.ts';
import { presenceHandlers } from './presence.ts';
import { registrationHandlers } from './registration.ts';
import { roomHandlers } from './rooms.ts';

export const HANDLERS: Readonly<Record<string, HandlerEntry>> = Object.freeze({
  ...registrationHandlers,
  ...roomHandlers,
  ...chatHandlers,
  ...presenceHandlers,
  ...modernHandlers,
  ...annotationHandlers,
});
