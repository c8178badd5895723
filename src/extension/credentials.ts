// Passwords live only in SecretStorage (context.secrets), one per server and account; settings,
// logs and the webview never see them. Which account to log in with on a server is remembered in
// globalState (a name, not a secret). With chatroom.servers, every server of the list holds the
// account: they are one network (find() takes the first that has one).
import type * as vscode from 'vscode';

const secretKey = (server: string, account: string) => `chatroom.password:${server.toLowerCase()}:${account.toLowerCase()}`;
const accountKey = (server: string) => `chatroom.account:${server.toLowerCase()}`;

export class Credentials {
  readonly #secrets: vscode.SecretStorage;
  readonly #state: vscode.Memento;

  constructor(secrets: vscode.SecretStorage, state: vscode.Memento) {
    this.#secrets = secrets;
    this.#state = state;
  }

  /** The account to log in with on `server` ("host:port"), if the user logged in there. */
  account(server: string): string | undefined {
    return this.#state.get<string>(accountKey(server));
  }

  password(server: string, account: string): Thenable<string | undefined> {
    return this.#secrets.get(secretKey(server, account));
  }

  async remember(server: string, account: string, password: string): Promise<void> {
    await this.#secrets.store(secretKey(server, account), password);
    await this.#state.update(accountKey(server), account);
  }

  /**
   * The first of `servers` (in order) where the user logged in, with the account and its password.
   * The servers of one chatroom.servers list are one network: one account serves them all.
   */
  async find(servers: readonly string[]): Promise<{ server: string; account: string; password: string } | undefined> {
    for (const server of servers) {
      const account = this.account(server);
      const password = account === undefined ? undefined : await this.password(server, account);
      if (account !== undefined && password !== undefined) return { server, account, password };
    }
    return undefined;
  }

  /** remember() on each of `servers` that does not hold it yet. */
  async rememberAll(servers: readonly string[], account: string, password: string): Promise<void> {
    for (const server of servers) {
      if (this.account(server) === account && (await this.password(server, account)) === password) continue;
      await this.remember(server, account, password);
    }
  }

  /** forget() on each of `servers`; the first account forgotten. */
  async forgetAll(servers: readonly string[]): Promise<string | undefined> {
    let first: string | undefined;
    for (const server of servers) {
      const account = await this.forget(server);
      first ??= account;
    }
    return first;
  }

  async forget(server: string): Promise<string | undefined> {
    const account = this.account(server);
    if (account !== undefined) await this.#secrets.delete(secretKey(server, account));
    await this.#state.update(accountKey(server), undefined);
    return account;
  }
}
