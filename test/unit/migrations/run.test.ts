/** The migrations function's run: each backfill in turn, what it updated logged and returned. */
import { jest } from '@jest/globals';
import type { Backfill } from '../../../functions/migrations/deps.js';
import { runBackfills } from '../../../functions/migrations/run.js';

const captured: string[] = [];
beforeEach(() => {
  captured.length = 0;
  delete process.env.LOG_LEVEL;
  jest.spyOn(console, 'log').mockImplementation((line: string) => void captured.push(line));
});
afterEach(() => jest.restoreAllMocks());

const backfill = (name: string, run: () => Promise<number>): Backfill => ({ name, table: `t-${name}`, run });

describe('runBackfills', () => {
  it('runs every backfill in order and logs how many items each updated', async () => {
    // Arrange
    const order: string[] = [];
    const counting = (name: string, count: number) =>
      backfill(name, async () => {
        order.push(name);
        return count;
      });
    const backfills = [counting('first', 3), counting('second', 0)];

    // Act
    const updated = await runBackfills(backfills);

    // Assert
    expect(updated).toEqual({ first: 3, second: 0 });
    expect(order).toEqual(['first', 'second']);
    const lines = captured.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l.message, l.backfill, l.table, l.updated])).toEqual([
      ['index backfill done', 'first', 't-first', 3],
      ['index backfill done', 'second', 't-second', 0],
    ]);
  });

  it('stops at a failing backfill and fails the run, so the deploy fails', async () => {
    // Arrange
    const later = jest.fn(async () => 0);
    const backfills = [
      backfill('broken', async () => {
        throw new Error('AccessDeniedException');
      }),
      backfill('later', later),
    ];

    // Act / Assert
    await expect(runBackfills(backfills)).rejects.toThrow('AccessDeniedException');
    expect(later).not.toHaveBeenCalled();
  });
});
