/**
 * The one retry policy for storage calls: full-jitter exponential backoff (10 ms doubling, capped at
 * 500 ms), a bounded number of attempts, and a test of which failures are worth another attempt.
 * (The audit writer keeps its own budgets on purpose: lost races and store failures are counted apart,
 * see audit-writer.ts; it pauses with `backoff` too.)
 */
export const backoff = (attempt: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(500, 10 * 2 ** attempt)));

export interface RetryPolicy {
  /** Which failures are worth another attempt. */
  readonly retryable: (error: unknown) => boolean;
  /** Attempts after the first. */
  readonly retries: number;
}

export const retrying = async <T>(policy: RetryPolicy, work: () => Promise<T>): Promise<T> => {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= policy.retries || !policy.retryable(error)) throw error;
      await backoff(attempt);
    }
  }
};
