// Passwords live only in SecretStorage (context.secrets), one per server and account; settings,
// logs and the webview never see them. Which account to log in with on a server is remembered in
// globalState (a name, not a secret).
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

  async forget(server: string): Promise<string | undefined> {
    const account = this.account(server);
    if (account !== undefined) await this.#secrets.delete(secretKey(server, account));
    await this.#state.update(accountKey(server), undefined);
    return account;
  }
}
