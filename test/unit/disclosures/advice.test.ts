/**
 * IG advice as a record (policy s.6: "advice must be sought from the Corporate Information Governance
 * Unit"): only IG writes it, and a use is allowed only by advice that exists, is in force and covers
 * that recording, purpose and kind of use. The table below is written from the policy, not the code.
 */
import { disclosuresRoutes } from '../../../functions/disclosures/routes.js';
import { type AdviceQuestion, checkAdvice, type IgAdvice } from '../../../functions/domain/ig-advice.js';
import { invoke } from '../support/http.js';
import { testDisclosuresDeps } from './fakes.js';
import { testSarDeps } from './sar-fakes.js';

process.env.LOG_LEVEL = 'silent';

const IG = { staffId: 'ig-1', groups: ['role:ig-officer'] };
const SIRO = { staffId: 'siro-1', groups: ['role:siro'] };
const LISTENER = { staffId: 'lena', groups: ['area:revenues:listener'] };

const BODY = {
  recordings: { kind: 'ids', recordingIds: ['rec-1'] },
  purposes: ['other'],
  uses: ['use'],
  advice: 'May be played to the standards committee hearing on 12 December.',
  conditions: ['only the hearing panel listens', 'no copy is kept'],
  expiresAt: '2026-12-31T23:59:59Z',
};

const setup = () => {
  const t = testDisclosuresDeps();
  const handler = disclosuresRoutes(t.deps, testSarDeps().deps);
  return { ...t, handler };
};

describe('POST /ig-advice', () => {
  it('records advice written by an IG officer, with who issued it and when', async () => {
    // Arrange
    const { handler, advice } = setup();
    // Act
    const reply = await invoke<IgAdvice>(handler, 'POST /ig-advice', { ...IG, body: BODY });
    // Assert
    expect(reply.status).toBe(201);
    expect(reply.headers?.location).toBe(`/ig-advice/${reply.json.adviceId}`);
    expect(advice.items.get(reply.json.adviceId)).toMatchObject({
      ...BODY,
      expiresAt: BODY.expiresAt,
      issuedBy: 'ig-1',
      issuedAt: '2026-11-01T10:00:00.000Z',
    });
  });

  it.each([
    ['a listener', LISTENER],
    ['the SIRO', SIRO],
  ])('refuses advice written by %s (403 naming the rule), storing nothing', async (_who, who) => {
    const { handler, advice } = setup();
    const reply = await invoke(handler, 'POST /ig-advice', { ...who, body: BODY });
    expect(reply.status).toBe(403);
    expect(reply.json.rule).toBe('s6.ig-advice-by-ig');
    expect(advice.items.size).toBe(0);
  });

  it.each([
    ['body.expiresAt', { expiresAt: '2026-10-01T00:00:00Z' }],
    ['body.purposes', { purposes: [] }],
    ['body.purposes.0', { purposes: ['gossip'] }],
    ['body.uses.0', { uses: ['publish'] }],
    ['body.advice', { advice: '  ' }],
    ['body.recordings.recordingIds', { recordings: { kind: 'ids', recordingIds: [] } }],
    [
      'body.recordings.to',
      {
        recordings: {
          kind: 'query',
          serviceArea: 'revenues',
          from: '2026-10-02T00:00:00Z',
          to: '2026-10-01T00:00:00Z',
        },
      },
    ],
  ])('refuses bad input naming %s (400)', async (field, change) => {
    const { handler, advice } = setup();
    const reply = await invoke(handler, 'POST /ig-advice', { ...IG, body: { ...BODY, ...change } });
    expect(reply.status).toBe(400);
    expect(reply.json.field).toBe(field);
    expect(advice.items.size).toBe(0);
  });
});

describe('GET /ig-advice/{id}', () => {
  it('lets IG and the officers who approve releases read advice; not a listener', async () => {
    const { handler } = setup();
    const created = await invoke<IgAdvice>(handler, 'POST /ig-advice', { ...IG, body: BODY });
    const params = { id: created.json.adviceId };
    expect((await invoke(handler, 'GET /ig-advice/{id}', { ...IG, params })).json).toEqual(created.json);
    expect((await invoke(handler, 'GET /ig-advice/{id}', { ...SIRO, params })).status).toBe(200);
    const refused = await invoke(handler, 'GET /ig-advice/{id}', { ...LISTENER, params });
    expect(refused.status).toBe(403);
    expect(refused.json.rule).toBe('s6.ig-advice-readers');
  });

  it('answers 404 for advice not on record', async () => {
    const { handler } = setup();
    expect((await invoke(handler, 'GET /ig-advice/{id}', { ...IG, params: { id: 'adv-none' } })).status).toBe(
      404,
    );
  });
});

describe('checkAdvice: the one decision for every use that needs advice', () => {
  const NOW = new Date('2026-11-15T12:00:00.000Z');
  const REC = { recordingId: 'rec-1', serviceArea: 'revenues', startedAt: '2026-11-03T09:00:00.000Z' };
  const ADVICE: IgAdvice = {
    adviceId: 'adv-1',
    recordings: { kind: 'ids', recordingIds: ['rec-1'] },
    purposes: ['other'],
    uses: ['use'],
    advice: 'text',
    conditions: [],
    issuedBy: 'ig-1',
    issuedAt: '2026-11-01T00:00:00.000Z',
    expiresAt: '2026-12-01T00:00:00.000Z',
  };
  const Q: AdviceQuestion = { recording: REC, purpose: 'other', use: 'use' };
  const QUERY_SCOPE = {
    kind: 'query',
    serviceArea: 'revenues',
    from: '2026-11-01T00:00:00Z',
    to: '2026-11-30T23:59:59Z',
  } as const;

  it.each<[string, string | undefined, IgAdvice | undefined, AdviceQuestion, Date, string | undefined]>([
    ['advice covering exactly this use', 'adv-1', ADVICE, Q, NOW, undefined],
    ['no advice cited', undefined, undefined, Q, NOW, 's6.ig-advice-required'],
    ['advice cited but not on record', 'made-up', undefined, Q, NOW, 's6.ig-advice-required'],
    [
      'advice past its expiry',
      'adv-1',
      ADVICE,
      Q,
      new Date('2026-12-01T00:00:00.000Z'),
      's6.ig-advice-expired',
    ],
    [
      'advice not yet issued at that time',
      'adv-1',
      ADVICE,
      Q,
      new Date('2026-10-31T23:59:59.000Z'),
      's6.ig-advice-expired',
    ],
    [
      'advice for another recording',
      'adv-1',
      ADVICE,
      { ...Q, recording: { ...REC, recordingId: 'rec-2' } },
      NOW,
      's6.ig-advice-not-covering',
    ],
    [
      'advice for another purpose',
      'adv-1',
      ADVICE,
      { ...Q, purpose: 'training' },
      NOW,
      's6.ig-advice-not-covering',
    ],
    [
      'advice for use, asked for external release',
      'adv-1',
      ADVICE,
      { ...Q, use: 'external-release' },
      NOW,
      's6.ig-advice-not-covering',
    ],
    [
      'query advice over the area and month of the call',
      'adv-1',
      { ...ADVICE, recordings: QUERY_SCOPE },
      Q,
      NOW,
      undefined,
    ],
    [
      'query advice, call in another area',
      'adv-1',
      { ...ADVICE, recordings: QUERY_SCOPE },
      { ...Q, recording: { ...REC, serviceArea: 'housing' } },
      NOW,
      's6.ig-advice-not-covering',
    ],
    [
      'query advice, call after its window',
      'adv-1',
      { ...ADVICE, recordings: QUERY_SCOPE },
      { ...Q, recording: { ...REC, startedAt: '2026-12-01T00:00:00Z' } },
      NOW,
      's6.ig-advice-not-covering',
    ],
    [
      'external advice for another agency',
      'adv-1',
      { ...ADVICE, uses: ['external-release'], agency: 'Avon Police' },
      { ...Q, use: 'external-release', agency: 'HMRC' },
      NOW,
      's6.ig-advice-not-covering',
    ],
    [
      'external advice for this agency, any case',
      'adv-1',
      { ...ADVICE, uses: ['external-release'], agency: 'Avon Police' },
      { ...Q, use: 'external-release', agency: 'avon police' },
      NOW,
      undefined,
    ],
  ])('%s', (_case, cited, advice, question, now, rule) => {
    const decision = checkAdvice(cited, advice, question, now);
    if (rule === undefined) expect(decision).toEqual({ ok: true, advice });
    else expect(decision).toMatchObject({ ok: false, rule });
  });
});
