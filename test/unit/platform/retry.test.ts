import {
  conditionFailedAt,
  isConditionFailure,
  isMissingObject,
} from '../../../functions/platform/conditions.js';
import { backoffDelay, retrying } from '../../../functions/platform/retry.js';

const cancelled = (...codes: string[]) =>
  Object.assign(new Error('cancelled'), {
    name: 'TransactionCanceledException',
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

describe('the one retry policy', () => {
  it('tries again only what is retryable, and gives up after the retries with the policy’s error', async () => {
    // Arrange
    let calls = 0;
    const work = async () => {
      calls += 1;
      throw new Error('busy');
    };
    // Act
    const outcome = retrying(
      {
        retryable: (e) => (e as Error).message === 'busy',
        retries: 2,
        exhausted: () => new Error('gave up'),
      },
      work,
    );
    // Assert
    await expect(outcome).rejects.toThrow('gave up');
    expect(calls).toBe(3);
  });

  it('passes a failure that is not retryable straight through, after one attempt', async () => {
    let calls = 0;
    const outcome = retrying({ retryable: () => false, retries: 5 }, async () => {
      calls += 1;
      throw new Error('bad request');
    });
    await expect(outcome).rejects.toThrow('bad request');
    expect(calls).toBe(1);
  });

  it('tells the work its attempt number and returns the first success', async () => {
    const seen: number[] = [];
    const value = await retrying({ retryable: () => true, retries: 5 }, async (attempt) => {
      seen.push(attempt);
      if (attempt < 2) throw new Error('again');
      return 'done';
    });
    expect(value).toBe('done');
    expect(seen).toEqual([0, 1, 2]);
  });

  it('pauses up to 10 ms doubling per attempt, never more than 500 ms', () => {
    expect(backoffDelay(0, () => 0.999)).toBeCloseTo(9.99);
    expect(backoffDelay(3, () => 0.5)).toBe(40);
    expect(backoffDelay(20, () => 1)).toBe(500);
  });
});

describe('the one reading of a failed condition', () => {
  it('names which item of a cancelled transaction failed its condition', () => {
    const error = cancelled('None', 'ConditionalCheckFailed');
    expect(conditionFailedAt(error, 1)).toBe(true);
    expect(conditionFailedAt(error, 0)).toBe(false);
    expect(isConditionFailure(error)).toBe(true);
    expect(isConditionFailure(cancelled('TransactionConflict'))).toBe(false);
  });

  it('knows a single write’s failed condition and S3’s missing object by name', () => {
    expect(
      isConditionFailure(Object.assign(new Error('x'), { name: 'ConditionalCheckFailedException' })),
    ).toBe(true);
    expect(isMissingObject(Object.assign(new Error('x'), { name: 'NoSuchVersion' }))).toBe(true);
    expect(isMissingObject(Object.assign(new Error('x'), { $metadata: { httpStatusCode: 404 } }))).toBe(true);
    expect(isMissingObject(new Error('AccessDenied'))).toBe(false);
  });
});
