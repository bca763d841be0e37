/**
 * Opaque pagination cursors: base64url of DynamoDB's LastEvaluatedKey. A cursor coming back is checked
 * against the query it continues — exactly the key attributes of that table or index, scalar values, and
 * the same partition — so a forged or stale cursor is a 400, never a DynamoDB error (500) and never a way
 * to page into another partition (e.g. another service area).
 */
import { ValidationError } from '../domain/errors.js';

export interface CursorShape {
  /** The partition the query reads: [attribute name, value, or a test of the value]. */
  readonly partition: readonly [string, string | ((value: unknown) => boolean)];
  /** Every attribute LastEvaluatedKey holds for this table or index. */
  readonly keys: readonly string[];
}

const MAX_CURSOR_LENGTH = 2048;
const FIELD = 'query.cursor';
const EXPECTED = 'a cursor returned by the previous page of this same query';

const partitionFits = (shape: CursorShape, value: unknown): boolean => {
  const wanted = shape.partition[1];
  return typeof wanted === 'function' ? wanted(value) : value === wanted;
};

export const encodeCursor = (key: Record<string, unknown>): string =>
  Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');

export const decodeCursor = (cursor: string, shape: CursorShape): Record<string, unknown> => {
  if (cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) {
    throw new ValidationError(FIELD, EXPECTED);
  }
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new ValidationError(FIELD, EXPECTED);
  }
  if (key === null || typeof key !== 'object' || Array.isArray(key))
    throw new ValidationError(FIELD, EXPECTED);
  const entries = Object.entries(key as Record<string, unknown>);
  const wanted = [...new Set([shape.partition[0], ...shape.keys])].sort();
  const names = entries.map(([k]) => k).sort();
  const scalar = (v: unknown) =>
    (typeof v === 'string' && v.length > 0 && v.length <= 512) ||
    (typeof v === 'number' && Number.isFinite(v));
  if (
    names.length !== wanted.length ||
    names.some((n, i) => n !== wanted[i]) ||
    !entries.every(([, v]) => scalar(v)) ||
    !partitionFits(shape, (key as Record<string, unknown>)[shape.partition[0]])
  ) {
    throw new ValidationError(FIELD, EXPECTED);
  }
  return key as Record<string, unknown>;
};
