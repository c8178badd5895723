// Small helpers shared by the server tests: a server per suite and registered clients that are
// cleaned up with it.
import { IrcTestClient, startServer, type RegisterOptions, type RunningServer, type StartServerOptions } from '../helpers/index.ts';

export interface Harness {
  srv: RunningServer;
  /** Connects and registers a client (destroyed at stop()). */
  user(nick: string, opts?: RegisterOptions): Promise<IrcTestClient>;
  /** Connects without registering. */
  connect(): Promise<IrcTestClient>;
  stop(): Promise<number>;
}

export async function harness(opts: StartServerOptions = {}): Promise<Harness> {
  const srv = await startServer(opts);
  const clients: IrcTestClient[] = [];
  const connect = async () => {
    const c = await IrcTestClient.connect(srv.port);
    clients.push(c);
    return c;
  };
  return {
    srv,
    connect,
    async user(nick, ropts = {}) {
      const c = await connect();
      await c.register(nick, ropts);
      return c;
    },
    async stop() {
      for (const c of clients) c.destroy();
      return srv.stop();
    },
  };
}

/** JOINs and waits for the end of NAMES. */
export async function joinRoom(c: IrcTestClient, room: string, key?: string): Promise<void> {
  c.send(key === undefined ? `JOIN ${room}` : `JOIN ${room} ${key}`);
  await c.waitFor((m) => m.command === '366' && m.params[1]?.toLowerCase() === room.toLowerCase());
}
