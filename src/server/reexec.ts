// Imported first by main.ts, so it runs before any other module of the bundle is evaluated and
// before anything is opened: a server started without its runtime flags re-executes itself here
// (runtime.ts) and the rest of this process never starts.
import { ensureRuntimeFlags, type RuntimeState } from './runtime.ts';

export const runtimeState: RuntimeState = ensureRuntimeFlags();
