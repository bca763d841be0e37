/**
 * Subject access requests through the disclosures routes, from UK GDPR Art. 12/15 and the DPA 2018: only
 * IG handles them; the due date is one calendar month (the ICO's rule) and extensions carry a reason; one
 * search finds the caller's recordings in every area and is audited naming the request; every decision is
 * audited and a withheld recording names its exemption; the package holds exactly the disclosed
 * recordings, verifies with the signing key, and each disclosure is on the Release of Recording Log.
 */
import { createHash, verify } from 'node:crypto';
import { disclosuresRoutes } from '../../../functions/disclosures/routes.js';
import { verifyPackage } from '../../../functions/domain/disclosure-package.js';
import type { SarReport, SubjectAccessRequest } from '../../../functions/domain/subject-access-request.js';
import { invoke } from '../support/http.js';
import { testDisclosuresDeps } from './fakes.js';
import { CALLER, fakeHmac, testSarDeps } from './sar-fakes.js';

process.env.LOG_LEVEL = 'silent';

const IG = { staffId: 'ig-1', groups: ['role:ig-officer'] };
const KEEPER = { staffId: 'keeper-1', groups: ['role:release-log-keeper'] };
const SIRO = { staffId: 'siro-1', groups: ['role:siro'] };
const MANAGER = { staffId: 'mgr-1', groups: ['area:revenues:manager', 'area:housing:manager'] };

const OPEN = {
  requester: { name: 'Alex Example', reference: 'SAR/2026/117' },
  identityChecks: [
    {
      check: 'photo-id',
      detail: 'driving licence seen at the customer service centre, name and photo match',
    },
    { check: 'proof-of-address', detail: 'council tax bill dated September 2026' },
  ],
  callerNumbers: [CALLER],
  from: '2026-01-01T00:00:00Z',
  to: '2026-10-31T23:59:59Z',
  receivedOn: '2026-10-31',
};

const setup = (start?: Date, rows?: Parameters<typeof testSarDeps>[1]) => {
  const t = testSarDeps(start, rows);
  const handler = disclosuresRoutes(testDisclosuresDeps().deps, t.deps);
  const call = <T = SubjectAccessRequest>(
    who: { staffId: string; groups: string[] },
    routeKey: string,
    options: { body?: unknown; params?: Record<string, string>; query?: Record<string, string> } = {},
  ) => invoke<T>(handler, routeKey, { ...who, ...options });
  const open = async (body: unknown = OPEN) =>
    (await call(IG, 'POST /subject-access-requests', { body })).json;
  const search = async (id: string) =>
    (await call(IG, 'POST /subject-access-requests/{id}/search', { params: { id } })).json;
  const mark = (id: string, recordingId: string, body: unknown, who = IG) =>
    call(who, 'PUT /subject-access-requests/{id}/recordings/{recordingId}', {
      params: { id, recordingId },
      body,
    });
  return { ...t, handler, call, open, search, mark };
};

/** A request whose search found nothing, closed with its note. */
const closedEmptyRequest = async () => {
  const t = setup(undefined, []);
  const sar = await t.open();
  await t.search(sar.sarId);
  const closed = (
    await t.call(IG, 'POST /subject-access-requests/{id}/close', {
      params: { id: sar.sarId },
      body: { note: 'no recordings of this number in the period; told the requester' },
    })
  ).json;
  return { ...t, closed };
};

describe('opening a subject access request', () => {
  it('records the identity checks, keeps the caller number only as its HMAC and last three digits, and sets the due date one calendar month on (ICO: 31 October → 30 November)', async () => {
    const { call, sars } = setup();
    const reply = await call(IG, 'POST /subject-access-requests', { body: OPEN });
    expect(reply.status).toBe(201);
    expect(reply.headers.location).toBe(`/subject-access-requests/${reply.json.sarId}`);
    const stored = sars.items.get(reply.json.sarId);
    expect(stored).toMatchObject({
      state: 'OPEN',
      receivedOn: '2026-10-31',
      dueDate: '2026-11-30',
      identityChecks: OPEN.identityChecks,
      callers: [{ hash: fakeHmac(CALLER), last3: '123' }],
      openedBy: 'ig-1',
    });
    expect(JSON.stringify(stored)).not.toContain(CALLER);
  });

  it('keeps the range in UTC as the catalogue stores call times, so an offset range finds the same calls', async () => {
    const { open, search } = setup();
    const sar = await open({ ...OPEN, from: '2026-09-03T10:15:00+01:00', to: '2026-09-03T10:15:00+01:00' });
    expect(sar).toMatchObject({ from: '2026-09-03T09:15:00.000Z', to: '2026-09-03T09:15:00.000Z' });
    expect((await search(sar.sarId)).recordings.map((r) => r.recordingId)).toEqual(['rec-rev']);
  });

  it('counts from today when no day of receipt is given (1 November → 1 December)', async () => {
    const { open } = setup();
    const { receivedOn: _r, ...body } = OPEN;
    expect(await open(body)).toMatchObject({ receivedOn: '2026-11-01', dueDate: '2026-12-01' });
  });

  it.each([
    ['the SIRO', SIRO],
    ['a service area manager', MANAGER],
    ['the log keeper', KEEPER],
  ])('refuses %s (403 dpa.sar-by-ig), storing nothing', async (_who, who) => {
    const { call, sars } = setup();
    const reply = await call(who, 'POST /subject-access-requests', { body: OPEN });
    expect(reply.status).toBe(403);
    expect(reply.json).toMatchObject({ rule: 'dpa.sar-by-ig' });
    expect(sars.items.size).toBe(0);
  });

  it.each([
    ['body.callerNumbers.0', { callerNumbers: ['01632 960123'] }],
    ['body.callerNumbers', { callerNumbers: [] }],
    ['body.identityChecks', { identityChecks: [] }],
    ['body.identityChecks.0.check', { identityChecks: [{ check: 'passport-copy-stored', detail: 'x' }] }],
    ['body.requester.name', { requester: { name: '' } }],
    ['body.from', { from: 'last year' }],
    ['body.to', { from: '2026-10-31T00:00:00Z', to: '2026-01-01T00:00:00Z' }],
    ['body.receivedOn', { receivedOn: '2026-11-02' }],
    ['body.receivedOn', { receivedOn: '2026-02-30' }],
  ])('answers 400 naming %s', async (field, change) => {
    const { call, sars } = setup();
    const reply = await call(IG, 'POST /subject-access-requests', { body: { ...OPEN, ...change } });
    expect(reply.status).toBe(400);
    expect(reply.json).toMatchObject({ field });
    expect(sars.items.size).toBe(0);
  });

  it('shows a request to IG only', async () => {
    const { open, call } = setup();
    const sar = await open();
    const params = { id: sar.sarId };
    expect((await call(IG, 'GET /subject-access-requests/{id}', { params })).json.sarId).toBe(sar.sarId);
    expect((await call(SIRO, 'GET /subject-access-requests/{id}', { params })).status).toBe(403);
    expect((await call(IG, 'GET /subject-access-requests/{id}', { params: { id: 'sar-x' } })).status).toBe(
      404,
    );
  });
});

describe('extending the time limit', () => {
  it('moves the due date with the reason recorded, up to two further months', async () => {
    const { open, call } = setup();
    const sar = await open();
    const reply = await call(IG, 'POST /subject-access-requests/{id}/extend', {
      params: { id: sar.sarId },
      body: { to: '2027-01-31', reason: 'complex: recordings in six service areas need third-party review' },
    });
    expect(reply.status).toBe(200);
    expect(reply.json.dueDate).toBe('2027-01-31');
    expect(reply.json.extensions).toEqual([
      expect.objectContaining({ to: '2027-01-31', by: 'ig-1', reason: expect.stringMatching(/^complex/) }),
    ]);
  });

  it.each([
    ['past three months from receipt', '2027-02-01', 'dpa.sar-extension-limit'],
    ['not beyond the current due date', '2026-11-30', 'dpa.sar-extension-forward'],
  ])('refuses an extension %s (422 naming the rule)', async (_what, to, rule) => {
    const { open, call } = setup();
    const sar = await open();
    const reply = await call(IG, 'POST /subject-access-requests/{id}/extend', {
      params: { id: sar.sarId },
      body: { to, reason: 'complex' },
    });
    expect(reply.status).toBe(422);
    expect(reply.json).toMatchObject({ rule });
  });

  it('refuses an extension decided after the time limit ran out', async () => {
    const { open, call, setNow } = setup();
    const sar = await open();
    setNow('2026-12-01T10:00:00Z');
    const reply = await call(IG, 'POST /subject-access-requests/{id}/extend', {
      params: { id: sar.sarId },
      body: { to: '2027-01-15', reason: 'complex' },
    });
    expect(reply.status).toBe(422);
    expect(reply.json).toMatchObject({ rule: 'dpa.sar-extension-in-time' });
  });

  it('answers 400 naming body.reason for an extension without one', async () => {
    const { open, call } = setup();
    const sar = await open();
    const reply = await call(IG, 'POST /subject-access-requests/{id}/extend', {
      params: { id: sar.sarId },
      body: { to: '2027-01-15', reason: ' ' },
    });
    expect(reply.status).toBe(400);
    expect(reply.json).toMatchObject({ field: 'body.reason' });
  });
});

describe('the SAR search', () => {
  it("finds the caller's recordings in every service area within the range, and nothing else", async () => {
    const { open, search } = setup();
    const sar = await search((await open()).sarId);
    expect(sar.recordings.map((r) => [r.recordingId, r.serviceArea])).toEqual([
      ['rec-rev', 'revenues'],
      ['rec-hou', 'housing'],
    ]);
    expect(sar.search).toMatchObject({ by: 'ig-1', found: 2 });
  });

  it('is one audit entry naming the request, with the number only as its last three digits', async () => {
    const { open, search, audits } = setup();
    const sar = await open();
    await search(sar.sarId);
    expect(audits).toEqual([
      expect.objectContaining({
        actor: 'ig-1',
        action: 'search',
        purpose: 'subject-access',
        outcome: 'allowed',
        rule: 'dpa.sar-search',
        filters: {
          sar: sar.sarId,
          caller: '…123',
          from: '2026-01-01T00:00:00.000Z',
          to: '2026-10-31T23:59:59.000Z',
        },
        note: expect.stringMatching(
          new RegExp(`^SAR ${sar.sarId}: .*found 2 recording\\(s\\) in housing, revenues`),
        ),
      }),
    ]);
    expect(JSON.stringify(audits)).not.toContain(CALLER);
  });

  it('is refused to anyone but IG, unaudited as a SAR search', async () => {
    const { open, call, audits } = setup();
    const sar = await open();
    const reply = await call(MANAGER, 'POST /subject-access-requests/{id}/search', {
      params: { id: sar.sarId },
    });
    expect(reply.status).toBe(403);
    expect(reply.json).toMatchObject({ rule: 'dpa.sar-by-ig' });
    expect(audits).toEqual([]);
  });

  it('is refused on a closed request (409 dpa.sar-closed), unaudited and the request unchanged', async () => {
    // Arrange
    const { call, closed, audits } = await closedEmptyRequest();
    const audited = audits.length;
    // Act
    const reply = await call(IG, 'POST /subject-access-requests/{id}/search', {
      params: { id: closed.sarId },
    });
    // Assert
    expect(reply.status).toBe(409);
    expect(reply.json).toMatchObject({ rule: 'dpa.sar-closed' });
    expect(audits).toHaveLength(audited);
    const after = await call(IG, 'GET /subject-access-requests/{id}', { params: { id: closed.sarId } });
    expect(after.json).toEqual(closed);
  });
});

describe('playing a recording within the request', () => {
  it('gives IG a short-lived link to a recording the search found, audited as subject-access playback', async () => {
    const { open, search, call, audits, presigned } = setup();
    const sar = await open();
    await search(sar.sarId);
    const reply = await call<{ url: string }>(
      IG,
      'POST /subject-access-requests/{id}/recordings/{recordingId}/playback',
      {
        params: { id: sar.sarId, recordingId: 'rec-hou' },
      },
    );
    expect(reply.status).toBe(200);
    expect(presigned).toEqual([{ kind: 'play', key: 'housing/2026/10/12/rec-hou.wav', ttl: 300 }]);
    expect(audits.at(-1)).toMatchObject({
      action: 'playback',
      recordingId: 'rec-hou',
      serviceArea: 'housing',
      purpose: 'subject-access',
      outcome: 'allowed',
      rule: 'dpa.sar-playback',
    });
  });

  it('refuses (422, audited as denied) a recording the search did not find, with no link', async () => {
    const { open, search, call, audits, presigned } = setup();
    const sar = await open();
    await search(sar.sarId);
    const reply = await call(IG, 'POST /subject-access-requests/{id}/recordings/{recordingId}/playback', {
      params: { id: sar.sarId, recordingId: 'rec-other' },
    });
    expect(reply.status).toBe(422);
    expect(reply.json).toMatchObject({ rule: 'dpa.sar-not-in-results' });
    expect(presigned).toEqual([]);
    expect(audits.at(-1)).toMatchObject({ action: 'playback', recordingId: 'rec-other', outcome: 'denied' });
  });
});

describe('deciding each recording', () => {
  it('records disclose, withhold with its exemption, and third-party review, each audited', async () => {
    const { open, search, mark, audits } = setup();
    const sar = await open();
    await search(sar.sarId);
    audits.length = 0;
    expect(
      (await mark(sar.sarId, 'rec-rev', { decision: 'third-party-review', note: 'another caller speaks' }))
        .status,
    ).toBe(200);
    expect((await mark(sar.sarId, 'rec-rev', { decision: 'disclose' })).status).toBe(200);
    const last = await mark(sar.sarId, 'rec-hou', {
      decision: 'withhold',
      exemption: 'sch2-p3-para16-third-party',
    });
    expect(last.json.recordings.map((r) => [r.recordingId, r.mark?.decision, r.mark?.exemption])).toEqual([
      ['rec-rev', 'disclose', undefined],
      ['rec-hou', 'withhold', 'sch2-p3-para16-third-party'],
    ]);
    expect(audits.map((a) => [a.recordingId, a.rule, a.note])).toEqual([
      ['rec-rev', 'dpa.sar-mark', `SAR ${sar.sarId}: marked third-party-review`],
      ['rec-rev', 'dpa.sar-mark', `SAR ${sar.sarId}: marked disclose`],
      ['rec-hou', 'dpa.sar-mark', `SAR ${sar.sarId}: marked withhold under sch2-p3-para16-third-party`],
    ]);
  });

  it.each([
    ['withhold without an exemption', 'body.exemption', { decision: 'withhold' }],
    [
      'an exemption outside the DPA 2018 list',
      'body.exemption',
      { decision: 'withhold', exemption: 'embarrassing' },
    ],
    [
      'an exemption on a disclosure',
      'body.exemption',
      { decision: 'disclose', exemption: 'sch2-p1-para2-crime' },
    ],
    ['third-party review without a note', 'body.note', { decision: 'third-party-review' }],
    ['an unknown decision', 'body.decision', { decision: 'maybe' }],
  ])('answers 400 for %s, naming %s, and audits nothing', async (_what, field, body) => {
    const { open, search, mark, audits } = setup();
    const sar = await open();
    await search(sar.sarId);
    audits.length = 0;
    const reply = await mark(sar.sarId, 'rec-rev', body);
    expect(reply.status).toBe(400);
    expect(reply.json).toMatchObject({ field });
    expect(audits).toEqual([]);
  });

  it('refuses a decision on a recording the search did not find (422) and before any search', async () => {
    const { open, search, mark } = setup();
    const sar = await open();
    expect((await mark(sar.sarId, 'rec-rev', { decision: 'disclose' })).json).toMatchObject({
      rule: 'dpa.sar-search-first',
    });
    await search(sar.sarId);
    expect((await mark(sar.sarId, 'rec-other', { decision: 'disclose' })).json).toMatchObject({
      rule: 'dpa.sar-not-in-results',
    });
  });

  it('refuses decisions by anyone but IG', async () => {
    const { open, search, mark } = setup();
    const sar = await open();
    await search(sar.sarId);
    const reply = await mark(sar.sarId, 'rec-rev', { decision: 'disclose' }, SIRO);
    expect(reply.status).toBe(403);
    expect(reply.json).toMatchObject({ rule: 'dpa.sar-by-ig' });
  });
});

interface Packaged {
  packageId: string;
  files: { name: string; url: string }[];
  linkExpiresAt: string;
  packageExpiresAt: string;
  request: SubjectAccessRequest;
}

const decidedRequest = async () => {
  const t = setup();
  const sar = await t.open();
  await t.search(sar.sarId);
  await t.mark(sar.sarId, 'rec-rev', { decision: 'disclose' });
  await t.mark(sar.sarId, 'rec-hou', { decision: 'withhold', exemption: 'sch2-p1-para2-crime' });
  t.audits.length = 0;
  return { ...t, sar };
};

describe('the SAR package', () => {
  it('holds the disclosed recording only, with cover sheet, manifest and a certificate that verifies', async () => {
    const { call, sar, packages, signer } = await decidedRequest();
    const reply = await call<Packaged>(IG, 'POST /subject-access-requests/{id}/package', {
      params: { id: sar.sarId },
    });
    expect(reply.status).toBe(201);
    const prefix = `subject-access/${sar.sarId}/`;
    expect([...packages.objects.keys()].sort()).toEqual(
      ['certificate.json', 'cover-sheet.txt', 'manifest.json', 'rec-rev.wav'].map((f) => `${prefix}${f}`),
    );
    expect(reply.json.files.map((f) => f.name)).toEqual([
      'rec-rev.wav',
      'cover-sheet.txt',
      'manifest.json',
      'certificate.json',
    ]);
    const manifest = JSON.parse(packages.objects.get(`${prefix}manifest.json`)?.toString() ?? '{}');
    expect(manifest).toMatchObject({
      kind: 'subject-access',
      disclosure: { authoriser: 'ig-1', reference: 'SAR/2026/117' },
    });
    expect(manifest.files[0]).toMatchObject({
      name: 'rec-rev.wav',
      recordingId: 'rec-rev',
      serviceArea: 'revenues',
      recordedAt: '2026-09-03T09:15:00.000Z',
      sha256: createHash('sha256').update('audio of rec-rev').digest('hex'),
    });
    const cover = packages.objects.get(`${prefix}cover-sheet.txt`)?.toString() ?? '';
    expect(cover).toMatch(/subject access request/);
    const files = new Map(
      [...packages.objects]
        .filter(([k]) => !k.endsWith('manifest.json') && !k.endsWith('certificate.json'))
        .map(([k, v]) => [k.slice(prefix.length), createHash('sha256').update(v).digest('hex')]),
    );
    const verdict = verifyPackage(
      {
        files,
        manifest: packages.objects.get(`${prefix}manifest.json`)?.toString(),
        certificate: packages.objects.get(`${prefix}certificate.json`)?.toString(),
      },
      (message, signature) => verify('sha256', message, signer.keys.publicKey, signature),
    );
    expect(verdict).toMatchObject({ ok: true, problems: [] });
  });

  it('puts each disclosed recording on the Release of Recording Log (purpose, requester, recording date/time, authoriser)', async () => {
    const { call, sar, log } = await decidedRequest();
    await call(IG, 'POST /subject-access-requests/{id}/package', { params: { id: sar.sarId } });
    expect(log).toEqual([
      expect.objectContaining({
        event: 'SAR_DISCLOSED',
        releaseId: sar.sarId,
        purpose: 'subject-access (UK GDPR Art. 15)',
        requester: `data subject (SAR ${sar.sarId})`,
        recordingDateTime: '2026-09-03T09:15:00.000Z',
        authoriser: 'ig-1',
        recordingId: 'rec-rev',
        destination: `data-subject:${sar.sarId}`,
      }),
    ]);
  });

  it('audits the disclosure of each recording in it, naming the request, and gives week-long links', async () => {
    const { call, sar, audits, presigned } = await decidedRequest();
    const reply = await call<Packaged>(IG, 'POST /subject-access-requests/{id}/package', {
      params: { id: sar.sarId },
    });
    expect(audits).toEqual([
      expect.objectContaining({
        action: 'share',
        recordingId: 'rec-rev',
        serviceArea: 'revenues',
        purpose: 'subject-access',
        rule: 'dpa.sar-disclosure',
        note: expect.stringContaining(`SAR ${sar.sarId}: disclosed to the data subject in package`),
      }),
    ]);
    expect(presigned.every((p) => p.kind === 'package' && p.ttl === 604_800)).toBe(true);
    expect(reply.json.linkExpiresAt).toBe('2026-11-08T10:00:00.000Z');
    expect(reply.json.packageExpiresAt).toBe('2026-12-01T10:00:00.000Z');
  });

  it.each([
    ['a recording is undecided', 'dpa.sar-unmarked', [['rec-rev', { decision: 'disclose' }]]],
    [
      'third-party review is open',
      'dpa.sar-third-party-review-pending',
      [
        ['rec-rev', { decision: 'disclose' }],
        ['rec-hou', { decision: 'third-party-review', note: 'neighbour named' }],
      ],
    ],
    [
      'nothing is to be disclosed',
      'dpa.sar-nothing-to-disclose',
      [
        ['rec-rev', { decision: 'withhold', exemption: 'sch2-p1-para2-crime' }],
        ['rec-hou', { decision: 'withhold', exemption: 'sch2-p1-para2-crime' }],
      ],
    ],
  ] as const)('is refused while %s (422 %s), writing and logging nothing', async (_what, rule, marks) => {
    const { open, search, mark, call, packages, log } = setup();
    const sar = await open();
    await search(sar.sarId);
    for (const [rec, body] of marks) await mark(sar.sarId, rec, body);
    const reply = await call(IG, 'POST /subject-access-requests/{id}/package', { params: { id: sar.sarId } });
    expect(reply.status).toBe(422);
    expect(reply.json).toMatchObject({ rule });
    expect(packages.objects.size).toBe(0);
    expect(log).toEqual([]);
  });

  it('is made once; fresh links are audited again; decisions are then settled', async () => {
    const { call, sar, audits, mark } = await decidedRequest();
    await call(IG, 'POST /subject-access-requests/{id}/package', { params: { id: sar.sarId } });
    const again = await call(IG, 'POST /subject-access-requests/{id}/package', { params: { id: sar.sarId } });
    expect(again.status).toBe(409);
    const links = await call<Packaged>(IG, 'GET /subject-access-requests/{id}/package/link', {
      params: { id: sar.sarId },
    });
    expect(links.status).toBe(200);
    expect(links.json.files).toHaveLength(4);
    expect(audits.filter((a) => a.action === 'share')).toHaveLength(2);
    expect((await mark(sar.sarId, 'rec-hou', { decision: 'disclose' })).status).toBe(409);
  });
});

describe('closing and the reports', () => {
  it('closes only once the disclosed recordings are packaged', async () => {
    const { call, sar } = await decidedRequest();
    const close = () =>
      call(IG, 'POST /subject-access-requests/{id}/close', {
        params: { id: sar.sarId },
        body: { note: 'sent' },
      });
    expect((await close()).json).toMatchObject({ rule: 'dpa.sar-package-first' });
    await call(IG, 'POST /subject-access-requests/{id}/package', { params: { id: sar.sarId } });
    const closed = await close();
    expect(closed.status).toBe(200);
    expect(closed.json).toMatchObject({ state: 'CLOSED', closed: { by: 'ig-1', note: 'sent' } });
    expect((await close()).status).toBe(409);
  });

  it('closes a request that found nothing, with its note', async () => {
    const { closed } = await closedEmptyRequest();
    expect(closed).toMatchObject({
      state: 'CLOSED',
      closed: { note: 'no recordings of this number in the period; told the requester' },
    });
  });

  it('lists open requests by due date, the overdue ones, and requests closed per month', async () => {
    const t = setup(new Date('2026-09-10T09:00:00Z'));
    const a = await t.open({ ...OPEN, receivedOn: '2026-08-31' }); // due 30 September
    const b = await t.open({ ...OPEN, receivedOn: '2026-09-01' }); // due 1 October
    const c = await t.open({ ...OPEN, receivedOn: '2026-09-10' }); // due 10 October, closed in September
    await t.search(c.sarId);
    for (const r of ['rec-rev', 'rec-hou'])
      await t.mark(c.sarId, r, { decision: 'withhold', exemption: 'sch2-p1-para2-crime' });
    await t.call(IG, 'POST /subject-access-requests/{id}/close', {
      params: { id: c.sarId },
      body: { note: 'all withheld' },
    });
    t.setNow('2026-10-05T09:00:00Z');
    const reply = await t.call<SarReport>(KEEPER, 'GET /reports/subject-access');
    expect(reply.status).toBe(200);
    expect(reply.json.open.map((s) => [s.sarId, s.dueDate, s.daysOverdue])).toEqual([
      [a.sarId, '2026-09-30', 5],
      [b.sarId, '2026-10-01', 4],
    ]);
    expect(reply.json.overdue.map((s) => s.sarId)).toEqual([a.sarId, b.sarId]);
    expect(reply.json.closedPerMonth).toEqual([{ month: '2026-09', closed: 1, closedLate: 0 }]);
  });

  it('is refused to readers outside the report rules (403 naming it)', async () => {
    const { call } = setup();
    const reply = await call(MANAGER, 'GET /reports/subject-access');
    expect(reply.status).toBe(403);
    expect(reply.json).toMatchObject({ rule: 'report.subject-access-readers' });
  });
});
