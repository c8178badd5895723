// `npm start`: builds and packages the extension (prints the .vsix path and the install line), then
// runs the chat server in the foreground on 127.0.0.1:6667 with its data in ./.data. Ctrl+C stops it.
import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageExtension } from './package.mjs';

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

// Run as a team would run it: the bundle's first line gives Node its flags (scripts/build.mjs), and
// npm puts this project's Node 24 first on PATH.
const server = spawn(resolve(root, 'dist', 'server.mjs'), ['--host', '127.0.0.1', '--port', '6667', '--data-dir', '.data'], {
  cwd: root,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (server.exitCode === null) server.kill(signal);
  });
}
server.on('exit', (code, signal) => {
  process.exit(code ?? (signal ? 128 + (signal === 'SIGINT' ? 2 : 15) : 1));
});
