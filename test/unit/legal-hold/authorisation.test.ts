/**
 * Policy s.7 for holds, written out by hand — deliberately NOT derived from functions/legal-hold — and
 * driven through the holds API: every holder × every hold action gets the decision of the table, and a
 * refusal changes nothing (no hold placed, none lifted, no review recorded, the S3 legal hold stays on).
 *
 *  "Legal holds are placed, reviewed and lifted by Information Governance"   → role:ig-officer only.
 *  Nobody else — not a nominated officer of the area, not the SIRO, not the release log keeper — manages
 *  or reads holds; the telephony platform's token is refused by its scope before any use case runs.
 */
import { AREA_GRANTS, CORPORATE_ROLES, principalFrom } from '../../../functions/domain/roles.js';
import { buildHandler } from '../../../functions/legal-hold/api.js';
import { type HoldDeps, placeHold } from '../../../functions/legal-hold/use-cases.js';
import { claimsOf, policyRows } from '../domain/access-policy-table.js';
import { invoke, type Reply } from '../support/http.js';
import {
  FakeFanout,
  FakeHoldCounters,
  FakeHoldsStore,
  FakeObjectLock,
  recordingFacts,
  storePorts,
} from './fakes.js';

process.env.LOG_LEVEL = 'silent';

/** Columns: place list list-due get review review-lift lift. `Y` allowed, `.` refused (403). */
const HOLDS_TABLE = `
holder                           | place list list-due get review review-lift lift
area:listener                    | .     .    .        .   .      .           .
area:nominated                   | .     .    .        .   .      .           .
area:manager                     | .     .    .        .   .      .           .
area:head-of-service             | .     .    .        .   .      .           .
role:siro                        | .     .    .        .   .      .           .
role:internal-audit-manager      | .     .    .        .   .      .           .
role:monitoring-officer          | .     .    .        .   .      .           .
role:director-corporate-services | .     .    .        .   .      .           .
role:chief-executive             | .     .    .        .   .      .           .
role:ig-officer                  | Y     Y    Y        Y   Y      Y           Y
role:release-log-keeper          | .     .    .        .   .      .           .
role:registrar                   | .     .    .        .   .      .           .
scope:crs/ingest                 | .     .    .        .   .      .           .
nobody                           | .     .    .        .   .      .           .
`;

const ACTIONS = ['place', 'list', 'list-due', 'get', 'review', 'review-lift', 'lift'] as const;
type Action = (typeof ACTIONS)[number];

const rows = (): { holder: string; allowed: Record<Action, boolean> }[] =>
  HOLDS_TABLE.trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [holder = '', marks = ''] = line.split('|').map((s) => s.trim());
      const cells = marks.split(/\s+/);
      if (cells.length !== ACTIONS.length || cells.some((c) => c !== 'Y' && c !== '.'))
        throw new Error(`bad holds table line: ${line}`);
      return { holder, allowed: Object.fromEntries(ACTIONS.map((a, i) => [a, cells[i] === 'Y'])) } as {
        holder: string;
        allowed: Record<Action, boolean>;
      };
    });

const NOW = new Date('2026-11-28T08:00:00.000Z');
const ig = principalFrom('ig-1', ['role:ig-officer'], []);

/** A fresh store with one recording under one active hold (placed by IG), due for review today. */
const setup = async () => {
  const store = new FakeHoldsStore();
  const objects = new FakeObjectLock();
  const counters = new FakeHoldCounters();
  let n = 0;
  const deps: HoldDeps = {
    ...storePorts(store),
    counters,
    objects,
    fanout: new FakeFanout(),
    now: () => NOW,
    newId: () => `h${++n}`,
  };
  const rec = recordingFacts('r1', '2026-01-10T10:00:00.000Z');
  store.add(rec, recordingFacts('r2', '2026-01-11T10:00:00.000Z'));
  const held = await placeHold(deps, ig, {
    caseRef: 'CASE-1',
    reason: 'complaint investigation',
    reviewDate: '2026-11-28',
    scope: { recordingIds: ['r1'] },
  });
  const archiveKey = rec.archiveKey as string;
  /** What every refusal must leave as it was. */
  const untouched = () =>
    store.holds.size === 1 &&
    store.holds.get(held.holdId)?.status === 'ACTIVE' &&
    store.reviews.length === 0 &&
    store.recordings.get('r1')?.holdCount === 1 &&
    store.recordings.get('r2')?.holdCount === 0 &&
    objects.legalHold.get(archiveKey) === true;
  const lifted = () =>
    store.holds.get(held.holdId)?.status === 'LIFTED' &&
    store.recordings.get('r1')?.holdCount === 0 &&
    objects.legalHold.get(archiveKey) === false;
  return { store, handler: buildHandler(deps), holdId: held.holdId, untouched, lifted };
};

type Setup = Awaited<ReturnType<typeof setup>>;

/** Each action through its route, and what it must have done when allowed. */
const ACTS: Record<
  Action,
  {
    call: (s: Setup, who: object) => Promise<Reply>;
    done: (s: Setup, reply: Reply) => boolean;
  }
> = {
  place: {
    call: (s, who) =>
      invoke(s.handler, 'POST /holds', {
        ...who,
        body: {
          caseRef: 'CASE-2',
          reason: 'litigation',
          reviewDate: '2027-01-31',
          scope: { recordingIds: ['r2'] },
        },
      }),
    done: (s, reply) =>
      reply.status === 201 && s.store.holds.size === 2 && s.store.recordings.get('r2')?.holdCount === 1,
  },
  list: {
    call: (s, who) => invoke(s.handler, 'GET /holds', { ...who, query: {} }),
    done: (s, reply) =>
      reply.status === 200 && (reply.json.holds as { holdId: string }[]).some((h) => h.holdId === s.holdId),
  },
  'list-due': {
    call: (s, who) => invoke(s.handler, 'GET /holds', { ...who, query: { dueForReview: 'true' } }),
    done: (s, reply) =>
      reply.status === 200 && (reply.json.holds as { holdId: string }[]).some((h) => h.holdId === s.holdId),
  },
  get: {
    call: (s, who) => invoke(s.handler, 'GET /holds/{id}', { ...who, params: { id: s.holdId } }),
    done: (s, reply) => reply.status === 200 && reply.json.holdId === s.holdId,
  },
  review: {
    call: (s, who) =>
      invoke(s.handler, 'POST /holds/{id}/review', {
        ...who,
        params: { id: s.holdId },
        body: { outcome: 'continue', nextReview: '2027-02-28', note: 'case still open' },
      }),
    done: (s, reply) =>
      reply.status === 200 &&
      s.store.reviews.length === 1 &&
      s.store.holds.get(s.holdId)?.reviewDate === '2027-02-28' &&
      s.store.holds.get(s.holdId)?.status === 'ACTIVE',
  },
  'review-lift': {
    call: (s, who) =>
      invoke(s.handler, 'POST /holds/{id}/review', {
        ...who,
        params: { id: s.holdId },
        body: { outcome: 'lift', note: 'case closed' },
      }),
    done: (s, reply) => reply.status === 200 && s.store.reviews.length === 1 && s.lifted(),
  },
  lift: {
    call: (s, who) =>
      invoke(s.handler, 'DELETE /holds/{id}', {
        ...who,
        params: { id: s.holdId },
        body: { reason: 'case closed' },
      }),
    done: (s, reply) => reply.status === 200 && s.lifted(),
  },
};

describe('holds authorisation through the API (policy s.7)', () => {
  it('lists every area grant, every corporate role, the telephony client and nobody in the table', () => {
    // Arrange
    const expected = [
      ...AREA_GRANTS.map((g) => `area:${g}`),
      ...CORPORATE_ROLES.map((r) => `role:${r}`),
      'scope:crs/ingest',
      'nobody',
    ];
    // Act
    const holders = rows().map((r) => r.holder);
    // Assert
    expect([...holders].sort()).toEqual([...expected].sort());
    expect([...holders].sort()).toEqual(
      policyRows()
        .map((r) => r.holder)
        .sort(),
    );
  });

  it('gives every holder × hold action the decision of the table, and a refusal changes nothing', async () => {
    // Arrange
    const disagreements: string[] = [];
    let checked = 0;
    // Act
    for (const row of rows()) {
      const who = { staffId: 'staff-9', ...claimsOf(row.holder) };
      for (const action of ACTIONS) {
        const s = await setup();
        const reply = await ACTS[action].call(s, who);
        checked += 1;
        const expectedRule = row.holder.startsWith('scope:')
          ? 'auth.caller-scope'
          : 's7.holds-by-information-governance';
        const ok = row.allowed[action]
          ? ACTS[action].done(s, reply)
          : reply.status === 403 && reply.json.rule === expectedRule && s.untouched();
        if (!ok)
          disagreements.push(
            `${row.holder} ${action}: table ${row.allowed[action] ? 'allowed' : 'refused'}, API ${reply.status} ${String(reply.json.rule ?? '')}`,
          );
      }
    }
    // Assert
    expect(checked).toBe(rows().length * ACTIONS.length);
    expect(disagreements).toEqual([]);
  });

  it('refuses a holder of every other role and grant together, still naming the IG rule', async () => {
    // Arrange: everything but ig-officer at once, so no check can be passed by another role's grant.
    const s = await setup();
    const groups = [
      ...AREA_GRANTS.map((g) => `area:revenues:${g}`),
      ...CORPORATE_ROLES.filter((r) => r !== 'ig-officer').map((r) => `role:${r}`),
    ];
    // Act
    const replies = [];
    for (const action of ACTIONS) replies.push(await ACTS[action].call(s, { staffId: 'all-but-ig', groups }));
    // Assert
    expect(replies.map((r) => [r.status, r.json.rule])).toEqual(
      ACTIONS.map(() => [403, 's7.holds-by-information-governance']),
    );
    expect(s.untouched()).toBe(true);
  });
});
