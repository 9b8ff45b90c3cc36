// A join code is short (31^5), so guessing one must be slow: an address that sent JOIN_FAILURE_LIMIT
// wrong codes within JOIN_FAILURE_WINDOW_MS is refused (429) until the window passes. Pure, in memory:
// a restarted server starts counting again, which costs a guesser a restart they cannot cause.
export const JOIN_FAILURE_LIMIT = 10;
export const JOIN_FAILURE_WINDOW_MS = 10 * 60 * 1000;

export class JoinThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limit = JOIN_FAILURE_LIMIT,
    private readonly windowMs = JOIN_FAILURE_WINDOW_MS,
  ) {}

  private recent(address: string, now: number): number[] {
    const list = (this.failures.get(address) ?? []).filter((t) => now - t < this.windowMs);
    if (list.length === 0) this.failures.delete(address);
    else this.failures.set(address, list);
    return list;
  }

  /** ms until this address may try again, or 0 */
  blockedFor(address: string, now: number): number {
    const list = this.recent(address, now);
    return list.length >= this.limit ? this.windowMs - (now - list[0]) : 0;
  }

  fail(address: string, now: number): void {
    this.failures.set(address, [...this.recent(address, now), now]);
  }
}
