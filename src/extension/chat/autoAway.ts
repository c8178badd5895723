// Presence follows the editor (issue 13): after `chatroom.autoAway` minutes without editor activity
// the status becomes Away, and the next activity brings it back to Online. Only a status this set
// is undone: if the user chose Away or Busy themselves (or changed it meanwhile), it stays. Pure:
// the clock, the timer and the status are given (extension.ts wires VS Code's activity events).

/** The away message auto-away sets; what it recognises as its own to undo. */
export const AUTO_AWAY_MESSAGE = 'Away from the editor';

export interface AutoAwayHost {
  /** Minutes without activity before Away; 0 = off. */
  minutes(): number;
  /** The status now, or undefined when not connected. */
  status(): { status: 'online' | 'away' | 'busy'; message?: string } | undefined;
  setStatus(status: 'online' | 'away', message?: string): void;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

export class AutoAway {
  readonly #host: AutoAwayHost;
  #timer: unknown;
  /** We set Away: the next activity sets Online again (if it is still our Away). */
  #wentAway = false;

  constructor(host: AutoAwayHost) {
    this.#host = host;
    this.#arm();
  }

  /** The user did something in the editor. */
  activity(): void {
    if (this.#wentAway) {
      this.#wentAway = false;
      const now = this.#host.status();
      if (now?.status === 'away' && now.message === AUTO_AWAY_MESSAGE) this.#host.setStatus('online');
    }
    this.#arm();
  }

  /** The setting changed: start counting again with the new value. */
  reconfigure(): void {
    this.#arm();
  }

  #arm(): void {
    if (this.#timer !== undefined) this.#host.clearTimer(this.#timer);
    this.#timer = undefined;
    const minutes = this.#host.minutes();
    if (!(minutes > 0)) return;
    this.#timer = this.#host.setTimer(() => this.#idle(), minutes * 60_000);
  }

  #idle(): void {
    this.#timer = undefined;
    // Only from Online: a chosen Away or Busy is the user's, and not connected there is nobody to tell.
    if (this.#host.status()?.status !== 'online') return;
    this.#host.setStatus('away', AUTO_AWAY_MESSAGE);
    this.#wentAway = true;
  }

  dispose(): void {
    if (this.#timer !== undefined) this.#host.clearTimer(this.#timer);
    this.#timer = undefined;
  }
}
