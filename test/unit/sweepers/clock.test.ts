import { ENV } from '../../../declarations/environment.js';
import { JobClockError, jobClock } from '../../../functions/sweepers/clock.js';
import { buildSweeper } from '../../../functions/sweepers/handler.js';

process.env.LOG_LEVEL = 'silent';

const REAL = new Date('2026-12-02T10:00:00.000Z');
const allowed = { [ENV.jobClockOverride]: 'allow' };

describe('job clock', () => {
  it('is the real time when the event carries no now', () => {
    expect(jobClock({}, allowed, () => REAL)()).toBe(REAL);
  });

  it('runs at event.now where the override is allowed (the local stack), time running on from there', () => {
    let real = REAL.getTime();
    const now = jobClock({ now: '2028-12-03T00:00:00Z' }, allowed, () => new Date(real));
    expect(now().toISOString()).toBe('2028-12-03T00:00:00.000Z');
    real += 5000;
    expect(now().toISOString()).toBe('2028-12-03T00:00:05.000Z');
  });

  it('refuses event.now where the override is not allowed: a deployed job always runs at the real time', () => {
    expect(() => jobClock({ now: '2028-12-03T00:00:00Z' }, {}, () => REAL)).toThrow(JobClockError);
    expect(() => jobClock({ now: '2028-12-03T00:00:00Z' }, { [ENV.jobClockOverride]: 'yes' })).toThrow(
      /JOB_CLOCK_OVERRIDE=allow/,
    );
  });

  it('refuses a now that is not a date-time, naming event.now', () => {
    expect(() => jobClock({ now: 'soon' }, allowed)).toThrow(/event\.now/);
    expect(() => jobClock({ now: 1 }, allowed)).toThrow(/event\.now/);
  });

  it('reaches the job through the sweepers handler', async () => {
    const previous = process.env[ENV.jobClockOverride];
    process.env[ENV.jobClockOverride] = 'allow';
    try {
      const handler = buildSweeper({ deletion: async (_event, now) => now().toISOString().slice(0, 10) });
      await expect(handler({ job: 'deletion', now: '2028-12-03T00:00:00Z' })).resolves.toEqual({
        job: 'deletion',
        summary: '2028-12-03',
      });
      delete process.env[ENV.jobClockOverride];
      await expect(handler({ job: 'deletion', now: '2028-12-03T00:00:00Z' })).rejects.toThrow(JobClockError);
    } finally {
      if (previous === undefined) delete process.env[ENV.jobClockOverride];
      else process.env[ENV.jobClockOverride] = previous;
    }
  });
});
