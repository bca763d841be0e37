/**
 * The one retry policy for storage and queue calls: full-jitter exponential backoff (10 ms doubling,
 * capped at 500 ms), a bounded number of attempts, and a test of which failures are worth another attempt.
 * Every store retries through `retrying` (or, for a batch's unprocessed part, pauses with `backoff`).
 * The audit writer keeps its own budgets on purpose (lost races and store failures are counted apart, see
 * adapters/audit-writer.ts) but pauses with the same `backoffDelay`.
 */

export interface Backoff {
  /** The first pause's upper bound; it doubles per attempt. */
  readonly baseMs: number;
  /** No pause is longer than this. */
  readonly capMs: number;
}

export const STORE_BACKOFF: Backoff = { baseMs: 10, capMs: 500 };

/** How long to pause before attempt `attempt + 1`: uniform in [0, min(cap, base·2^attempt)). */
export const backoffDelay = (
  attempt: number,
  random: () => number = Math.random,
  shape: Backoff = STORE_BACKOFF,
): number => random() * Math.min(shape.capMs, shape.baseMs * 2 ** attempt);

export const backoff = (attempt: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, backoffDelay(attempt)));

export interface RetryPolicy {
  /** Which failures are worth another attempt. */
  readonly retryable: (error: unknown) => boolean;
  /** Attempts after the first. */
  readonly retries: number;
  /** What to throw when a retryable failure is still there after the last attempt (default: that failure). */
  readonly exhausted?: (error: unknown) => Error;
}

/** Runs `work` (told its attempt number, 0 first) until it succeeds, fails for good, or the retries run out. */
export const retrying = async <T>(policy: RetryPolicy, work: (attempt: number) => Promise<T>): Promise<T> => {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await work(attempt);
    } catch (error) {
      if (!policy.retryable(error)) throw error;
      if (attempt >= policy.retries) throw policy.exhausted ? policy.exhausted(error) : error;
      await backoff(attempt);
    }
  }
};
