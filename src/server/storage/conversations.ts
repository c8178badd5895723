// Which dm_conversations upserts a batch of DMs really needs. Every DM used to upsert two rows
// (party->peer and peer->party), each also moving its entry in dm_conversations_by_time: about
// three 4 KiB pages per DM committed alone (bench/storage-cost.ts). Those rows only serve CHATHISTORY
// TARGETS, as a pre-filter: history.ts then checks each candidate against the messages themselves.
//
// So a row's last_time may lag behind its newest message by up to GRANULARITY_MS, and TARGETS asks
// for `last_time > from - GRANULARITY_MS`: the same candidates survive the exact check, the results
// are identical. A row is written when this process has not written it yet, when the time moves on
// by more than GRANULARITY_MS, or when peer_display changes (it must always be the newest one).
//
// The memory only holds what is known to be committed: a lower bound of each row's last_time and
// its exact peer_display. Updated after the COMMIT succeeded; forgotten whenever a commit's outcome
// is unclear (a failed batch, a writer that died); empty after a restart (every row is then written
// once more). Forgetting is always safe: it only means more writes.

/** How far a dm_conversations.last_time may lag behind its conversation's newest message. */
export const GRANULARITY_MS = 10 * 60_000;
/** A bound on the memory: past it, start over (more writes, never wrong results). */
const MAX_ENTRIES = 100_000;

/** [party, peer, peerDisplay], casefolded party and peer. */
export type ConversationRow = readonly [string, string, string];

interface Known {
  time: number;
  display: string;
}

/** The upserts one batch needs, and what the memory learns once that batch is committed. */
export interface ConversationPlan {
  /** Per message, per row of its `convs`: write it in the batch? */
  readonly write: boolean[][];
  readonly learned: Map<string, Known>;
  readonly generation: number;
}

export class ConversationCache {
  #known = new Map<string, Known>();
  #generation = 0;

  /** Decides, message by message in commit order, which rows must be written. */
  plan(messages: readonly { msg: { time: number }; convs: readonly ConversationRow[] }[]): ConversationPlan {
    const learned = new Map<string, Known>();
    const write = messages.map(({ msg: { time }, convs }) =>
      convs.map(([party, peer, display]) => {
        const key = `${party} ${peer}`; // casefolded names contain no space
        const k = learned.get(key) ?? this.#known.get(key);
        if (k !== undefined && k.display === display && time <= k.time + GRANULARITY_MS) return false;
        // The upsert keeps max(last_time, time): a lower bound stays one.
        learned.set(key, { time: k === undefined ? time : Math.max(k.time, time), display });
        return true;
      }),
    );
    return { write, learned, generation: this.#generation };
  }

  /** The plan's batch is committed, every message of it. */
  committed(plan: ConversationPlan): void {
    if (plan.generation !== this.#generation) return; // forgotten meanwhile: its knowledge may be stale
    if (this.#known.size + plan.learned.size > MAX_ENTRIES) this.#known.clear();
    for (const [key, k] of plan.learned) this.#known.set(key, k);
  }

  /** Some commit's outcome is unclear: forget everything, including plans not applied yet. */
  forget(): void {
    this.#known.clear();
    this.#generation++;
  }

  /** Rows known (for tests). */
  get size(): number {
    return this.#known.size;
  }
}
