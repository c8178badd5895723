// `npm run server -- <flags>`: the bundled server in the foreground, as a team's launch runs it
// (the bundle's Node flags, see serverCommand.mjs). Signals go to the server; its exit code is ours.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runForeground } from './serverCommand.mjs';

runForeground(resolve(dirname(fileURLToPath(import.meta.url)), '..'), process.argv.slice(2));
