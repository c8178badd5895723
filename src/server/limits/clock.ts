/** Milliseconds from some fixed origin; injectable so tests drive time without sleeping. */
export type Clock = () => number;

export const systemClock: Clock = () => performance.now();
