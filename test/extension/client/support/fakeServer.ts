// A scripted IRC server on a loopback port, for connection behaviour a real server will not
// show on demand (silence, abrupt close, a dropped link). Every line received is recorded; the
// script answers per line.
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { nextEvent } from './wait.ts';
import { Emitter } from '../../../../src/extension/client/emitter.ts';

export interface FakeConnection {
  socket: Socket;
  lines: string[];
  send(line: string): void;
}

export interface FakeServer {
  port: number;
  connections: FakeConnection[];
  /** Fires each received line with its connection. */
  onLine: Emitter<{ conn: FakeConnection; line: string }>;
  onConnection: Emitter<FakeConnection>;
  /** Waits for a line matching the pattern (from any connection). */
  waitLine(pattern: RegExp, what?: string): Promise<{ conn: FakeConnection; line: string }>;
  close(): Promise<void>;
}

export type Script = (conn: FakeConnection, line: string) => void;

/** Answers the registration burst: 001 and end of MOTD after USER. */
export const welcome: Script = (conn, line) => {
  if (line.startsWith('CAP LS')) conn.send(':fake CAP * LS :');
  if (line.startsWith('USER')) {
    const nick = /NICK (\S+)/.exec(conn.lines.join('\n'))?.[1] ?? 'x';
    conn.send(`:fake 001 ${nick} :Welcome ${nick}!u@127.0.0.1`);
    conn.send(`:fake 376 ${nick} :End of MOTD`);
  }
};

export async function startFakeServer(script: Script, tlsOptions?: { cert: string; key: string }): Promise<FakeServer> {
  const connections: FakeConnection[] = [];
  const sockets = new Set<Socket>();
  const onLine = new Emitter<{ conn: FakeConnection; line: string }>();
  const onConnection = new Emitter<FakeConnection>();
  const handle = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    const conn: FakeConnection = {
      socket,
      lines: [],
      send: (line) => {
        if (!socket.destroyed) socket.write(`${line}\r\n`);
      },
    };
    connections.push(conn);
    onConnection.fire(conn);
    let pending = '';
    socket.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl).replace(/\r$/, '');
        pending = pending.slice(nl + 1);
        conn.lines.push(line);
        script(conn, line);
        onLine.fire({ conn, line });
      }
    });
  };
  const server: Server = tlsOptions ? createTlsServer(tlsOptions, handle) : createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    port,
    connections,
    onLine,
    onConnection,
    waitLine: (pattern, what = String(pattern)) => nextEvent(onLine.event, (e) => pattern.test(e.line), what),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
