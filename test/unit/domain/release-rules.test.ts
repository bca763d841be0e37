/**
 * The s.6 release and IG-advice decisions that mutation testing (docs/mutation-survivors.md, g-release)
 * found unasserted: the rule id of a transition in the wrong state, rejecting an expired request, what a
 * rejection and a deleted copy record, the copy's lifetime, and IG advice at the edges of its range,
 * its time in force and its agency.
 */
import { checkAdvice, type IgAdvice, newAdvice } from '../../../functions/domain/ig-advice.js';
import {
  approve,
  complete,
  copyTtlDays,
  expireCopy,
  expireRequest,
  issueLink,
  type Release,
  reject,
  request,
} from '../../../functions/domain/release.js';
import { principalFrom } from '../../../functions/domain/roles.js';
import { aRelease } from './release-fixture.js';

const T0 = new Date('2026-11-01T10:00:00.000Z');
const DAY = 86_400_000;
const at = (days: number) => new Date(T0.getTime() + days * DAY);
const requester = principalFrom('req-1', ['area:housing:listener'], []);
const manager = principalFrom('mgr-1', ['area:revenues:manager'], []);

const requested = (): Release => aRelease();
const issued = (): Release => {
  const t = approve(requested(), { approver: manager, now: at(1), copyTtlDays: 30, copyKey: 'k' });
  if (!t.ok) throw new Error(t.reason);
  return t.next;
};

describe('s.6 release transitions, as their refusals and records say', () => {
  it('names the state a transition needs in its rule id', () => {
    // Act
    const refusals = [
      approve(issued(), { approver: manager, now: at(2), copyTtlDays: 30, copyKey: 'k' }),
      reject(issued(), { approver: manager, now: at(2), reason: 'r' }),
      expireRequest(issued(), { now: at(20) }),
      issueLink(requested(), { actor: requester, now: at(2) }),
      complete(requested(), { actor: requester, now: at(2) }),
      expireCopy(requested(), { now: at(40) }),
    ];
    // Assert
    expect(refusals.map((t) => (t.ok ? 'ok' : t.rule))).toEqual([
      'release.state.requested-required',
      'release.state.requested-required',
      'release.state.requested-required',
      'release.state.issued-required',
      'release.state.issued-required',
      'release.state.issued-required',
    ]);
  });

  it('refuses to reject a request that has already expired, as it refuses to approve one', () => {
    // Act
    const t = reject(requested(), { approver: manager, now: at(14), reason: 'not needed' });
    // Assert
    expect(t).toMatchObject({ ok: false, kind: 'policy', rule: 'release.request-expired' });
  });

  it('records who rejected, when and why', () => {
    // Act
    const t = reject(requested(), { approver: manager, now: at(1), reason: 'not needed' });
    // Assert
    expect(t.ok && t.next.rejection).toEqual({ by: 'mgr-1', at: at(1).toISOString(), reason: 'not needed' });
  });

  it('records when the copy was deleted, on completion and on expiry, keeping its key', () => {
    // Act
    const done = complete(issued(), { actor: requester, now: at(2) });
    const expired = expireCopy(issued(), { now: at(40) });
    // Assert
    expect(done.ok && done.next.copy).toMatchObject({ key: 'k', deletedAt: at(2).toISOString() });
    expect(expired.ok && expired.next.copy).toMatchObject({ key: 'k', deletedAt: at(40).toISOString() });
  });

  it('refuses a same-area release, an external one without IG advice and an "other" purpose without it as policy refusals', () => {
    // Arrange
    const {
      recordingId,
      recordingServiceArea: serviceArea,
      recordingStartedAt: startedAt,
      ...r
    } = aRelease();
    const base = {
      ...r,
      requester,
      recording: { recordingId, serviceArea, startedAt },
      now: T0,
      requestTtlDays: 14,
    };
    // Act
    const refusals = [
      request({ ...base, destination: { kind: 'service-area', serviceArea: 'revenues' } }),
      request({ ...base, destination: { kind: 'external-agency', agency: 'Police' } }),
      request({
        ...base,
        destination: { kind: 'service-area', serviceArea: 'housing' },
        purpose: { purpose: 'other' },
      }),
    ];
    // Assert
    expect(refusals.map((t) => (t.ok ? 'ok' : [t.kind, t.rule]))).toEqual([
      ['policy', 's6.release-outside-area'],
      ['policy', 's6.external-needs-ig-advice'],
      ['policy', 's6.other-purpose-needs-ig-advice'],
    ]);
  });

  it('keeps a copy 30 days at most, and 30 when the configured lifetime is missing, zero or negative', () => {
    expect([
      copyTtlDays(7),
      copyTtlDays(45),
      copyTtlDays(undefined),
      copyTtlDays(0),
      copyTtlDays(-5),
    ]).toEqual([7, 30, 30, 30, 30]);
  });
});

describe('IG advice at its edges (s.6)', () => {
  const advice: IgAdvice = {
    adviceId: 'IG-1',
    recordings: {
      kind: 'query',
      serviceArea: 'revenues',
      from: '2026-03-01T00:00:00.000Z',
      to: '2026-03-31T00:00:00.000Z',
    },
    purposes: ['other'],
    uses: ['use', 'external-release'],
    agency: 'Police',
    advice: 'ok',
    conditions: [],
    issuedBy: 'ig',
    issuedAt: '2026-04-01T00:00:00.000Z',
    expiresAt: '2026-05-01T00:00:00.000Z',
  };
  const question = (startedAt: string, use: 'use' | 'external-release' = 'use', agency?: string) => ({
    recording: { recordingId: 'rec-1', serviceArea: 'revenues', startedAt },
    purpose: 'other',
    use,
    ...(agency === undefined ? {} : { agency }),
  });
  const inForce = new Date('2026-04-10T00:00:00.000Z');

  it('covers the calls at the first and the last instant of its range', () => {
    // Act
    const decisions = [
      checkAdvice('IG-1', advice, question('2026-03-01T00:00:00.000Z'), inForce),
      checkAdvice('IG-1', advice, question('2026-03-31T00:00:00.000Z'), inForce),
      checkAdvice('IG-1', advice, question('2026-03-31T00:00:00.001Z'), inForce),
    ];
    // Assert
    expect(decisions.map((d) => (d.ok ? 'ok' : d.rule))).toEqual(['ok', 'ok', 's6.ig-advice-not-covering']);
  });

  it('is in force from the instant it is issued', () => {
    // Act
    const d = checkAdvice('IG-1', advice, question('2026-03-10T00:00:00.000Z'), new Date(advice.issuedAt));
    // Assert
    expect(d.ok).toBe(true);
  });

  it('matches the agency whatever its case and spacing, and ties only external releases to it', () => {
    // Act
    const decisions = [
      checkAdvice(
        'IG-1',
        advice,
        question('2026-03-10T00:00:00.000Z', 'external-release', ' police '),
        inForce,
      ),
      checkAdvice('IG-1', advice, question('2026-03-10T00:00:00.000Z', 'external-release', 'HMRC'), inForce),
      checkAdvice('IG-1', advice, question('2026-03-10T00:00:00.000Z', 'use'), inForce),
    ];
    // Assert
    expect(decisions.map((d) => (d.ok ? 'ok' : d.rule))).toEqual(['ok', 's6.ig-advice-not-covering', 'ok']);
  });

  it('refuses new advice that is not in force yet or has a range ending before it starts, naming the field', () => {
    // Arrange
    const { adviceId: _a, issuedBy: _b, issuedAt: _c, ...input } = advice;
    const by = { adviceId: 'IG-2', issuedBy: 'ig', now: new Date(advice.expiresAt) };
    // Act
    const expiresNow = newAdvice(input, by);
    const backwards = newAdvice(
      {
        ...input,
        recordings: { ...advice.recordings, from: '2026-04-01T00:00:00.000Z' } as IgAdvice['recordings'],
      },
      { ...by, now: inForce },
    );
    const oneInstant = newAdvice(
      {
        ...input,
        recordings: {
          kind: 'query',
          serviceArea: 'revenues',
          from: '2026-03-01T00:00:00.000Z',
          to: '2026-03-01T00:00:00.000Z',
        },
      },
      { ...by, now: inForce },
    );
    // Assert
    expect(expiresNow).toEqual({
      ok: false,
      field: 'body.expiresAt',
      expected: 'a time in the future: the advice must be in force',
    });
    expect(backwards).toEqual({
      ok: false,
      field: 'body.recordings.to',
      expected: 'not before recordings.from',
    });
    expect(oneInstant.ok).toBe(true);
  });
});
