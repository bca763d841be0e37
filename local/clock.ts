/**
 * The stack clock: the time the scheduled jobs and the S3 Object Lock emulator share, so a user can
 * watch the 12- and 24-month rules act without waiting (`POST /_local/run/{job}` with
 * `{"now": "2028-12-31T00:00:00Z"}`, or `crs local-job <job> --now 2028-12-31`).
 *
 * It is the real time plus an offset. Setting it moves the offset; it only moves forward (data the jobs
 * changed at a later time must never meet an earlier one: a recording deleted "in 2028" cannot be back
 * under lock "in 2027"), and time keeps running from there. The offset is kept in `.local/clock.json`,
 * so it survives a restart; `npm run reset` wipes it with the data. The API's handlers keep the real
 * time: only the jobs (through `now` in their event) and the Object Lock checks follow the stack clock.
 */
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { readJsonState, writeJsonAtomicSync } from './files.js';

export interface StackClock {
  now(): Date;
  /** Milliseconds ahead of the real time (0 until first moved). */
  offsetMs(): number;
  /** Moves the clock to `at`; refuses to move it back. Persists before returning. */
  moveTo(at: Date): void;
}

export class ClockBackwardsError extends Error {}

/** A day (taken as 00:00Z) or an ISO 8601 date-time with a zone (`Z` or an offset). */
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const nowField = z.union([
  z
    .string()
    .regex(DAY, 'a day YYYY-MM-DD')
    .transform((d) => `${d}T00:00:00Z`),
  z.iso.datetime({ offset: true }),
]);
export const clockBody = z.object({ now: nowField.optional() }).strict();

export type ClockBodyResult =
  | { readonly ok: true; readonly now?: Date }
  | { readonly ok: false; readonly field: string; readonly message: string };

/** The body of `POST /_local/run/{job}`: empty, or `{ "now": <day | date-time> }`. */
export const parseClockBody = (raw: string): ClockBodyResult => {
  let json: unknown = {};
  if (raw.trim()) {
    try {
      json = JSON.parse(raw);
    } catch {
      return {
        ok: false,
        field: 'body',
        message: 'body: not JSON (expected {"now": "2028-12-31T00:00:00Z"})',
      };
    }
  }
  const parsed = clockBody.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = ['body', ...(issue?.path ?? []).map(String)].join('.');
    const message =
      field === 'body.now'
        ? `body.now: expected a day (YYYY-MM-DD) or an ISO 8601 date-time with a zone (2028-12-31T00:00:00Z), got ${JSON.stringify((json as { now?: unknown }).now)}`
        : `${field}: ${issue?.message ?? 'invalid'} (the body is {"now": "<day | date-time>"} or empty)`;
    return { ok: false, field, message };
  }
  const { now } = parsed.data;
  if (now === undefined) return { ok: true };
  const at = new Date(now);
  if (Number.isNaN(at.getTime()))
    return { ok: false, field: 'body.now', message: `body.now: ${JSON.stringify(now)} is not a real date` };
  return { ok: true, now: at };
};

const isClockFile = (v: unknown): v is { offsetMs: number } =>
  typeof v === 'object' && v !== null && Number.isFinite((v as { offsetMs?: unknown }).offsetMs);

/** A stack clock kept in `path` (undefined: in memory only, for tests). */
export const stackClock = (path?: string, real: () => number = Date.now): StackClock => {
  let offset = path && existsSync(path) ? (readJsonState(path, isClockFile)?.offsetMs ?? 0) : 0;
  const now = () => new Date(real() + offset);
  return {
    now,
    offsetMs: () => offset,
    moveTo(at) {
      const current = now();
      if (at.getTime() < current.getTime())
        throw new ClockBackwardsError(
          `body.now: the stack clock is already at ${current.toISOString()} and only moves forward (npm run reset starts over)`,
        );
      const next = Math.max(0, at.getTime() - real());
      if (next === offset) return;
      offset = next;
      if (path) writeJsonAtomicSync(path, { offsetMs: offset, now: at.toISOString() });
    },
  };
};
