/**
 * Releases to external agencies (policy s.6; DPA 2018 Schedule 2): the request carries the Schedule 2
 * form's fields, cites IG advice that is on record, in force and covers it, an officer from the external
 * list approves, and the agency receives a package whose manifest and signed certificate verify.
 */
import { verify } from 'node:crypto';
import { verifyPackage } from '../../../functions/domain/disclosure-package.js';
import type { IgAdvice } from '../../../functions/domain/ig-advice.js';
import type { Release } from '../../../functions/domain/release.js';
import { releaseRoutes } from '../../../functions/release/routes.js';
import { RECORDING, testDeps } from '../release/fakes.js';
import { invoke } from '../support/http.js';
import { adviceFor, SCHEDULE2 } from './fakes.js';

process.env.LOG_LEVEL = 'silent';

const REQUESTER = { staffId: 'req-1', groups: ['area:revenues:listener'] };
const SIRO = { staffId: 'siro-1', groups: ['role:siro'] };
const HOUSING = { staffId: 'hou-1', groups: ['area:housing:listener'] };
const MANAGER = { staffId: 'mgr-1', groups: ['area:revenues:manager'] };

const REQUEST = {
  recordingId: RECORDING.recordingId,
  destination: {
    kind: 'external-agency',
    agency: 'Avon and Somerset Police',
    igAdviceRef: 'IG-1',
    schedule2: SCHEDULE2,
  },
  purpose: 'staff-protection',
  justification: 'Threat to an officer on 1 October',
};

const setup = (advice: IgAdvice | null = adviceFor([RECORDING.recordingId])) => {
  const t = testDeps();
  if (advice) t.advice.items.set(advice.adviceId, advice);
  const handler = releaseRoutes(t.deps);
  const call = <T = Release & { rule?: string; field?: string }>(
    key: string,
    who: { staffId: string; groups: string[] },
    extra = {},
  ) => invoke<T>(handler, key, { ...who, ...extra });
  return { ...t, handler, call };
};

describe('an external-agency release request', () => {
  it('is recorded with its Schedule 2 details and the advice id on the Release of Recording Log', async () => {
    const { call, log } = setup();
    const reply = await call('POST /releases', REQUESTER, { body: REQUEST });
    expect(reply.status).toBe(201);
    expect(reply.json.destination).toEqual(REQUEST.destination);
    const [entry] = await log.entries();
    expect(entry?.payload.destination).toContain('IG advice IG-1');
    expect(entry?.payload.detail).toContain('sch2-part1-para2 ref CRIME-2026-0042');
    expect(entry?.payload.detail).toContain('authorised by Inspector J. Smith');
  });

  it.each([
    ['no advice on record (a made-up reference)', null, 's6.ig-advice-required'],
    [
      'expired advice',
      adviceFor(['rec-1'], { expiresAt: '2026-10-31T00:00:00.000Z' }),
      's6.ig-advice-expired',
    ],
    ['advice for another recording', adviceFor(['rec-9']), 's6.ig-advice-not-covering'],
    [
      'advice for another purpose',
      adviceFor(['rec-1'], { purposes: ['dispute-verification'] }),
      's6.ig-advice-not-covering',
    ],
    [
      'advice for use inside the council only',
      adviceFor(['rec-1'], { uses: ['use'] }),
      's6.ig-advice-not-covering',
    ],
    ['advice for another agency', adviceFor(['rec-1'], { agency: 'HMRC' }), 's6.ig-advice-not-covering'],
  ])('is refused with %s (422 naming the rule), and nothing is logged', async (_case, advice, rule) => {
    const { call, log, releases } = setup(advice);
    const reply = await call('POST /releases', REQUESTER, { body: REQUEST });
    expect(reply.status).toBe(422);
    expect(reply.json.rule).toBe(rule);
    expect(await log.entries()).toEqual([]);
    expect(releases.items.size).toBe(0);
  });

  it.each([
    'agency',
    'schedule2',
    'schedule2.authorisingOfficer',
    'schedule2.authorisingOfficer.rank',
    'schedule2.statutoryBasis',
    'schedule2.reference',
    'schedule2.whyNeeded',
    'schedule2.prejudiceWithout',
    'schedule2.dataSubjectMayBeTold',
    'schedule2.deliveryMethod',
  ])('is refused without destination.%s (400 naming the field)', async (path) => {
    const { call } = setup();
    const body = structuredClone(REQUEST) as unknown as Record<string, Record<string, unknown>>;
    const parts = path.split('.');
    let holder: Record<string, unknown> = body.destination as Record<string, unknown>;
    for (const p of parts.slice(0, -1)) holder = holder[p] as Record<string, unknown>;
    delete holder[parts.at(-1) as string];
    const reply = await call('POST /releases', REQUESTER, { body });
    expect(reply.status).toBe(400);
    expect(reply.json.field).toBe(`body.destination.${path}`);
  });

  it('refuses a statutory basis that is not a Schedule 2 paragraph, and an unknown delivery method', async () => {
    const { call } = setup();
    for (const [field, value] of [
      ['statutoryBasis', 'because-we-asked'],
      ['deliveryMethod', 'fax'],
    ] as const) {
      const body = {
        ...REQUEST,
        destination: { ...REQUEST.destination, schedule2: { ...SCHEDULE2, [field]: value } },
      };
      const reply = await call('POST /releases', REQUESTER, { body });
      expect(reply.status).toBe(400);
      expect(reply.json.field).toBe(`body.destination.schedule2.${field}`);
    }
  });
});

describe('approving an external-agency release', () => {
  const requested = async (t: ReturnType<typeof setup>) => {
    const reply = await t.call('POST /releases', REQUESTER, { body: REQUEST });
    if (reply.status !== 201) throw new Error(reply.text);
    return reply.json.releaseId;
  };

  it('is refused to the area manager: only the external list may approve', async () => {
    const t = setup();
    const id = await requested(t);
    const reply = await t.call('POST /releases/{id}/approve', MANAGER, { params: { id } });
    expect(reply.status).toBe(403);
    expect(reply.json.rule).toBe('s6.external-approvers');
  });

  it('is refused when the advice expired after the request (422), leaving no copy', async () => {
    const t = setup(adviceFor(['rec-1'], { expiresAt: '2026-11-03T00:00:00.000Z' }));
    const id = await requested(t);
    t.advance(3 * 86_400_000);
    const reply = await t.call('POST /releases/{id}/approve', SIRO, { params: { id } });
    expect(reply.status).toBe(422);
    expect(reply.json.rule).toBe('s6.ig-advice-expired');
    expect(t.packages.objects.size).toBe(0);
    expect(t.releases.items.get(id)?.state).toBe('REQUESTED');
  });

  it('issues a package whose manifest and certificate verify with the signing key, with links to each file', async () => {
    // Arrange
    const t = setup();
    const id = await requested(t);
    // Act
    const approved = await t.call('POST /releases/{id}/approve', SIRO, { params: { id } });
    const link = await t.call<{ files: { name: string; url: string }[] }>(
      'GET /releases/{id}/link',
      REQUESTER,
      {
        params: { id },
      },
    );
    // Assert
    expect(approved.status).toBe(200);
    const prefix = `releases/${id}/`;
    expect([...t.packages.objects.keys()].sort()).toEqual(
      [
        `${prefix}rec-1.wav`,
        `${prefix}certificate.json`,
        `${prefix}cover-sheet.txt`,
        `${prefix}manifest.json`,
      ].sort(),
    );
    expect(link.json.files.map((f) => f.name).sort()).toEqual(
      ['certificate.json', 'cover-sheet.txt', 'manifest.json', 'rec-1.wav'].sort(),
    );
    const file = (name: string) => t.packages.objects.get(`${prefix}${name}`) ?? Buffer.alloc(0);
    const { sha256Hex } = await import('../../../functions/domain/disclosure-package.js');
    const verdict = verifyPackage(
      {
        files: new Map(['rec-1.wav', 'cover-sheet.txt'].map((n) => [n, sha256Hex(file(n))])),
        manifest: file('manifest.json').toString('utf8'),
        certificate: file('certificate.json').toString('utf8'),
      },
      (message, signature) => verify('sha256', message, t.signer.keys.publicKey, signature),
    );
    expect(verdict).toMatchObject({ ok: true, problems: [] });
    expect(verdict.manifest?.files[0]).toMatchObject({
      name: 'rec-1.wav',
      recordingId: 'rec-1',
      recordedAt: RECORDING.startedAt,
      serviceArea: 'revenues',
      sha256: sha256Hex('RIFF audio of rec-1'),
    });
    expect(verdict.manifest?.disclosure).toMatchObject({
      authoriser: 'siro-1',
      igAdviceId: 'IG-1',
      reference: 'CRIME-2026-0042',
    });
    expect(file('cover-sheet.txt').toString()).toContain('Avon and Somerset Police');
  });

  it('deletes every file of the package when the requester completes the release', async () => {
    const t = setup();
    const id = await requested(t);
    await t.call('POST /releases/{id}/approve', SIRO, { params: { id } });
    const removed: string[] = [];
    const remove = t.deps.copies.remove;
    (t.deps.copies as { remove: (k: string) => Promise<void> }).remove = async (k) => {
      removed.push(k);
      await remove(k);
    };
    const reply = await t.call('POST /releases/{id}/complete', REQUESTER, { params: { id } });
    expect(reply.status).toBe(200);
    expect(removed.sort()).toEqual(
      ['rec-1.wav', 'cover-sheet.txt', 'manifest.json', 'certificate.json']
        .map((n) => `releases/${id}/${n}`)
        .sort(),
    );
  });
});

describe('a release inside the council for purpose other', () => {
  const OTHER = {
    recordingId: RECORDING.recordingId,
    destination: { kind: 'service-area', serviceArea: 'housing' },
    purpose: 'other',
    igAdviceRef: 'IG-1',
    justification: 'Tenancy fraud investigation',
  };

  it('needs advice covering use of that recording for purpose other', async () => {
    const refused = setup(adviceFor(['rec-1'], { uses: ['use'], purposes: ['training'] }));
    const no = await refused.call('POST /releases', HOUSING, { body: OTHER });
    expect(no.status).toBe(422);
    expect(no.json.rule).toBe('s6.ig-advice-not-covering');
    const allowed = setup(adviceFor(['rec-1'], { uses: ['use'], purposes: ['other'] }));
    const yes = await allowed.call('POST /releases', HOUSING, { body: OTHER });
    expect(yes.status).toBe(201);
  });
});
