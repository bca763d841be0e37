import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from '@jest/globals';
import { ClockBackwardsError, parseClockBody, stackClock } from '../../../local/clock.js';

const REAL = Date.parse('2026-12-02T10:00:00.000Z');

describe('stack clock body (POST /_local/run/{job})', () => {
  it.each([
    ['', undefined],
    ['{}', undefined],
    ['{"now":"2028-12-31T00:00:00Z"}', '2028-12-31T00:00:00.000Z'],
    ['{"now":"2028-12-31T01:00:00+01:00"}', '2028-12-31T00:00:00.000Z'],
    ['{"now":"2028-12-31"}', '2028-12-31T00:00:00.000Z'],
  ])('accepts %s', (raw, expected) => {
    const parsed = parseClockBody(raw);
    expect(parsed.ok).toBe(true);
    expect(parsed.ok ? parsed.now?.toISOString() : 'refused').toBe(expected);
  });

  it.each([
    ['{"now":"tomorrow"}'],
    ['{"now":"2028-12-31T00:00:00"}'], // no zone: ambiguous
    ['{"now":"2028-13-45"}'],
    ['{"now":1893456000000}'],
    ['{"now":null}'],
  ])('refuses %s naming body.now', (raw) => {
    const parsed = parseClockBody(raw);
    expect(parsed).toMatchObject({ ok: false, field: 'body.now' });
    expect(!parsed.ok && parsed.message).toMatch(/^body\.now: /);
  });

  it('refuses a body that is not JSON, or carries other fields, naming them', () => {
    expect(parseClockBody('now=2028')).toMatchObject({ ok: false, field: 'body' });
    expect(parseClockBody('{"when":"2028-12-31"}')).toMatchObject({ ok: false, field: 'body' });
  });
});

describe('stack clock', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('is the real time until moved, then runs on from where it was set', () => {
    let real = REAL;
    const clock = stackClock(undefined, () => real);
    expect(clock.now().toISOString()).toBe(new Date(REAL).toISOString());
    clock.moveTo(new Date('2028-12-31T00:00:00Z'));
    real += 60_000;
    expect(clock.now().toISOString()).toBe('2028-12-31T00:01:00.000Z');
  });

  it('moves forward only: an earlier time is refused naming body.now and leaves the clock alone', () => {
    const clock = stackClock(undefined, () => REAL);
    clock.moveTo(new Date('2028-12-31T00:00:00Z'));
    expect(() => clock.moveTo(new Date('2027-12-31T00:00:00Z'))).toThrow(ClockBackwardsError);
    expect(() => clock.moveTo(new Date('2027-12-31T00:00:00Z'))).toThrow(/body\.now: .*only moves forward/);
    expect(() => clock.moveTo(new Date(REAL - 1000))).toThrow(ClockBackwardsError);
    expect(clock.now().toISOString()).toBe('2028-12-31T00:00:00.000Z');
    clock.moveTo(new Date('2028-12-31T00:00:00Z')); // the same instant again is fine
  });

  it('persists its offset, so a restarted stack keeps the time it was moved to', () => {
    dir = mkdtempSync(join(tmpdir(), 'crs-clock-'));
    const path = join(dir, 'clock.json');
    let real = REAL;
    stackClock(path, () => real).moveTo(new Date('2028-12-31T00:00:00Z'));
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ now: '2028-12-31T00:00:00.000Z' });
    real += 3_600_000;
    const restarted = stackClock(path, () => real);
    expect(restarted.now().toISOString()).toBe('2028-12-31T01:00:00.000Z');
    expect(() => restarted.moveTo(new Date('2028-06-01T00:00:00Z'))).toThrow(ClockBackwardsError);
  });
});
