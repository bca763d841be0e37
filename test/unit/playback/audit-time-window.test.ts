/**
 * A GET /audit cursor for a time window (the month index walk) is the index key of the last entry
 * returned; auditQuery checks it against the window before anything is read, so a forged or stale cursor
 * is a 400 naming `query.cursor`. auditQuery does no I/O: a refusal here is a refusal before any read.
 * What a window returns and what it costs are proved against DynamoDB Local
 * (test/integration/log-stores.test.ts).
 */
import { auditQuery } from '../../../functions/adapters/audit-log.js';
import { ValidationError } from '../../../functions/domain/errors.js';
import { encodeCursor } from '../../../functions/platform/page-cursor.js';

const AUDIT = 'audit-table';
const NOW = new Date('2026-04-25T12:00:00.000Z');
const WINDOW = { from: '2026-02-01T00:00:00.000Z', to: '2026-04-10T00:00:00.000Z' };

const key = (over: Record<string, unknown> = {}) =>
  encodeCursor({
    chain: 'audit',
    seq: 4,
    gsi3pk: 'AUDIT#2026-02',
    gsi3sk: `2026-02-15T08:30:00.000Z#${'4'.padStart(12, '0')}`,
    ...over,
  });

const BAD: Record<string, string> = {
  garbage: '!!not-a-cursor!!',
  'a recording-index cursor': encodeCursor({
    chain: 'audit',
    seq: 4,
    gsi1pk: 'REC#rec-1',
    gsi1sk: '2026-02-15T08:30:00.000Z#000000000004',
  }),
  'a whole-log cursor': encodeCursor({ chain: 'audit', seq: 4 }),
  'another chain': key({ chain: 'release' }),
  'a month before `from`': key({
    gsi3pk: 'AUDIT#2026-01',
    gsi3sk: '2026-01-31T23:59:59.999Z#000000000002',
  }),
  'a month after `to`': key({ gsi3pk: 'AUDIT#2026-05', gsi3sk: '2026-05-01T00:00:00.000Z#000000000004' }),
  'a month that is no month': key({
    gsi3pk: 'AUDIT#2026-13',
    gsi3sk: '2026-13-01T00:00:00.000Z#000000000004',
  }),
  'a sort key outside its month': key({ gsi3sk: '2026-03-01T00:00:00.000Z#000000000004' }),
  'a sort key naming another seq': key({ seq: 5 }),
  'a sort key outside the window': key({
    gsi3pk: 'AUDIT#2026-04',
    gsi3sk: '2026-04-20T16:45:00.000Z#000000000004',
  }),
};

describe('a time-window cursor', () => {
  it('is accepted when it is the key of an entry inside the window', () => {
    expect(() => auditQuery(AUDIT, { ...WINDOW, limit: 1, cursor: key() }, NOW)).not.toThrow();
  });

  it.each(Object.keys(BAD))('refuses %s before any read, naming query.cursor', (name) => {
    const plan = () => auditQuery(AUDIT, { ...WINDOW, limit: 5, cursor: BAD[name] }, NOW);
    expect(plan).toThrow(ValidationError);
    expect(plan).toThrow(/^query\.cursor: /);
  });
});
