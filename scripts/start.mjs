// `npm start`: builds and packages the extension (prints the .vsix path and the install line), then
// runs the chat server in the foreground on 127.0.0.1:6667 with its data in ./.data. Ctrl+C stops it.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageExtension } from './package.mjs';
import { runForeground } from './serverCommand.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

let vsix;
try {
  vsix = packageExtension();
} catch (e) {
  console.error(`start: ${e.message}`);
  process.exit(1);
}
console.log(`\nExtension: ${vsix.file}`);
console.log(`Install it: code --install-extension ${vsix.file}`);
console.log('Then open the Chat Room view and run "Chat: Connect" (127.0.0.1:6667).');
console.log('Any IRC client works too, e.g. irssi -c 127.0.0.1 -p 6667, then /join #general.\n');

// Run as a team would run it (serverCommand.mjs; the server adds its runtime flags itself).
runForeground(root, ['--host', '127.0.0.1', '--port', '6667', '--data-dir', '.data']);
