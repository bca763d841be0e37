/**
 * Property-based tests of every endpoint's input: whatever arrives, no 5xx; and input refused as bad
 * (400) changes nothing — no catalogue update, no object deletion — and leaves at most the one audit
 * entry of the refused attempt (an attempt on a recording is audited even when its input is bad).
 */
import fc from 'fast-check';
import { auditQuery } from '../../../functions/adapters/audit-log.js';
import { recordingQuery } from '../../../functions/adapters/catalogue-store.js';
import { ValidationError } from '../../../functions/domain/errors.js';
import { PURPOSES } from '../../../functions/domain/purposes.js';
import { encodeCursor } from '../../../functions/platform/page-cursor.js';
import { type EventOptions, invoke } from '../support/http.js';
import { type PlaybackWorld, playbackWorld, recording } from './fake-deps.js';

const WHO = {
  staffId: 'ops',
  groups: ['area:revenues:nominated', 'area:housing:listener', 'role:ig-officer'],
};
const RUNS = 150;

let world: PlaybackWorld;

const check = async (routeKey: string, options: EventOptions) => {
  world = playbackWorld();
  world.catalogue.set('rec-a', recording({ recordingId: 'rec-a' }));
  const reply = await invoke(world.handler, routeKey, { ...WHO, ...options });
  expect(reply.status).toBeLessThan(500);
  if (reply.status === 400) {
    expect(world.writes).toBe(0);
    expect(world.registerCalls).toEqual([]);
    expect(world.audit.length).toBeLessThanOrEqual(1);
    for (const entry of world.audit) expect(entry.payload).toMatchObject({ outcome: 'denied' });
  }
};

// Strings that are nearly right as well as junk, so both sides of each check are exercised.
const nearly = fc.oneof(
  fc.string(),
  fc.constantFrom('', 'revenues', 'housing', 'REVENUES', '4001', '+441234567890', '0123', 'agent-1', 'rec-a'),
  fc.constantFrom(
    '2024-01-01T00:00:00Z',
    '2024-13-01T00:00:00Z',
    '2024-01-01',
    'yesterday',
    '2030-01-01T00:00:00+01:00',
  ),
  fc.constantFrom('ARCHIVED', 'DELETED', 'archived', '0', '1', '100', '101', '-1', '1e2', 'eyJ9', '!!'),
  fc.base64String().map((s) => s.replace(/=/g, '')),
  // Month-index cursors of GET /audit by time: one well formed, others a month or a sort key off.
  fc
    .constantFrom(
      ['AUDIT#2024-01', '2024-01-01T00:00:00.000Z#000000000001'],
      ['AUDIT#2024-13', '2024-13-01T00:00:00.000Z#000000000001'],
      ['AUDIT#2024-01', '2024-02-01T00:00:00.000Z#000000000001'],
      ['AUDIT#9999-12', '9999-12-01T00:00:00.000Z#000000000001'],
    )
    .map(([gsi3pk, gsi3sk]) => encodeCursor({ chain: 'audit', seq: 1, gsi3pk, gsi3sk })),
);
const queryOf = (keys: string[]) =>
  fc.dictionary(fc.constantFrom(...keys, 'junk', '__proto__'), nearly, { maxKeys: 6 });
const jsonish = fc.oneof(
  fc.jsonValue(),
  fc.record(
    {
      purpose: fc.oneof(fc.constantFrom(...PURPOSES, 'other', 'Training', ''), fc.string(), fc.integer()),
      igAdviceRef: fc.oneof(fc.string(), fc.constant('   '), fc.integer()),
      note: fc.oneof(fc.string({ maxLength: 600 }), fc.boolean()),
      reason: fc.oneof(fc.string({ maxLength: 1100 }), fc.constant('  ab '), fc.integer()),
      extra: fc.anything(),
    },
    { requiredKeys: [] },
  ),
);
const rawBody = fc.oneof(
  jsonish.map((v) => JSON.stringify(v) ?? ''),
  fc.string(),
  fc.constant('{"purpose":'),
);
const id = fc.oneof(
  fc.constant('rec-a'),
  fc.string({ maxLength: 200 }),
  fc.constantFrom('../etc', 'a/b', ' rec-a'),
);

describe('every endpoint, any input', () => {
  it('GET /recordings: no 5xx, no write on bad input', async () => {
    await fc.assert(
      fc.asyncProperty(
        queryOf(['serviceArea', 'from', 'to', 'extension', 'agent', 'caller', 'status', 'limit', 'cursor']),
        (query) => check('GET /recordings', { query }),
      ),
      { numRuns: RUNS },
    );
  });

  it('GET /recordings/{id}: no 5xx, no write on bad input', async () => {
    await fc.assert(
      fc.asyncProperty(id, (value) => check('GET /recordings/{id}', { params: { id: value } })),
      { numRuns: RUNS },
    );
  });

  it.each(['POST /recordings/{id}/playback', 'POST /recordings/{id}/download', 'DELETE /recordings/{id}'])(
    '%s: no 5xx, no write on bad input',
    async (routeKey) => {
      await fc.assert(
        fc.asyncProperty(id, rawBody, (value, body) =>
          check(routeKey, { params: { id: value }, rawBody: body }),
        ),
        { numRuns: RUNS },
      );
    },
    // A refused attempt on a recording now writes its audit entry: more work per run on a loaded machine.
    60_000,
  );

  it('GET /audit: no 5xx, no write on bad input', async () => {
    await fc.assert(
      fc.asyncProperty(queryOf(['recordingId', 'actor', 'from', 'to', 'limit', 'cursor']), (query) =>
        check('GET /audit', { query }),
      ),
      { numRuns: RUNS },
    );
  });
});

/**
 * The adapters' own query planners (pure: they build the request, nothing is sent) take whatever cursor
 * and bounds reach them: a plan, or a ValidationError naming the field, never another error (a 500).
 */
describe('the query planners, any cursor', () => {
  const plans = (build: () => unknown) => {
    try {
      build();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
    }
  };

  it('audit reads: a plan or a 400', () => {
    fc.assert(
      fc.property(
        // The schema has checked every field but the cursor, whose meaning only the adapter knows.
        fc.record(
          {
            recordingId: fc.constantFrom('rec-a', undefined),
            actor: fc.constantFrom('ops', undefined),
            from: fc.constantFrom('2024-01-01T00:00:00.000Z', undefined),
            to: fc.constantFrom('2026-01-01T00:00:00.000Z', undefined),
            cursor: nearly,
          },
          { requiredKeys: ['cursor'] },
        ),
        (q) => plans(() => auditQuery('audit-table', { ...q, limit: 25 }, new Date('2026-04-25T12:00:00Z'))),
      ),
      { numRuns: RUNS },
    );
  });

  it('catalogue searches: a plan or a 400', () => {
    process.env.TABLE_CATALOGUE ??= 'catalogue-table';
    fc.assert(
      fc.property(
        fc.record(
          {
            serviceArea: fc.constant('revenues'),
            callerHash: fc.constantFrom('hmac', undefined),
            cursor: nearly,
          },
          { requiredKeys: ['serviceArea', 'cursor'] },
        ),
        (q) => plans(() => recordingQuery({ ...q, areas: ['revenues'], limit: 25 })),
      ),
      { numRuns: RUNS },
    );
  });
});
