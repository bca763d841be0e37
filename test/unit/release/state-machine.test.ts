/**
 * The release state machine: every transition the policy allows works, every other one is refused with
 * a rule and a reason. Each action is tried at a time that suits it, so a refusal comes from the state.
 */
import {
  approve,
  complete,
  expireCopy,
  expireRequest,
  issueLink,
  RELEASE_STATES,
  type Release,
  type ReleaseState,
  reject,
  request,
  type Transition,
} from '../../../functions/domain/release.js';
import type { Principal } from '../../../functions/domain/roles.js';

const T0 = new Date('2026-11-01T10:00:00.000Z');
const DAY = 86_400_000;
const at = (days: number) => new Date(T0.getTime() + days * DAY);

const requester: Principal = { staffId: 'req-1', grants: { housing: ['listener'] }, roles: [], scopes: [] };
const manager: Principal = { staffId: 'mgr-1', grants: { revenues: ['manager'] }, roles: [], scopes: [] };
const stranger: Principal = { staffId: 'other-1', grants: { revenues: ['listener'] }, roles: [], scopes: [] };

const requested = (): Release => {
  const t = request({
    releaseId: 'rel-1',
    requester,
    recording: { recordingId: 'rec-1', serviceArea: 'revenues', startedAt: '2026-10-01T09:30:00.000Z' },
    destination: { kind: 'service-area', serviceArea: 'housing' },
    purpose: { purpose: 'dispute-verification' },
    justification: 'complaint 123',
    now: T0,
    requestTtlDays: 14,
  });
  if (!t.ok) throw new Error(t.reason);
  return t.next;
};

const inState = (state: ReleaseState): Release => {
  const base = requested();
  if (state === 'REQUESTED' || state === 'REJECTED' || state === 'REQUEST_EXPIRED') return { ...base, state };
  return {
    ...base,
    state,
    approval: { by: 'mgr-1', at: at(1).toISOString() },
    copy: { key: 'releases/rel-1/rec-1.wav', expiresAt: at(31).toISOString() },
  };
};

type Action = 'approve' | 'reject' | 'expireRequest' | 'issueLink' | 'complete' | 'expireCopy';

/** Each action by the right actor at the right time: only the state can refuse it. */
const ACTIONS: Record<Action, (r: Release) => Transition> = {
  approve: (r) =>
    approve(r, { approver: manager, now: at(1), copyTtlDays: 30, copyKey: 'releases/rel-1/rec-1.wav' }),
  reject: (r) => reject(r, { approver: manager, now: at(1), reason: 'not needed' }),
  expireRequest: (r) => expireRequest(r, { now: at(15) }),
  issueLink: (r) => issueLink(r, { actor: requester, now: at(2) }),
  complete: (r) => complete(r, { actor: requester, now: at(2) }),
  expireCopy: (r) => expireCopy(r, { now: at(32) }),
};

/** Policy s.6 lifecycle: the only allowed transitions and where they lead. */
const ALLOWED: Partial<Record<ReleaseState, Partial<Record<Action, ReleaseState>>>> = {
  REQUESTED: { approve: 'ISSUED', reject: 'REJECTED', expireRequest: 'REQUEST_EXPIRED' },
  ISSUED: { issueLink: 'ISSUED', complete: 'COMPLETED', expireCopy: 'EXPIRED' },
};

const pairs = RELEASE_STATES.flatMap((state) =>
  (Object.keys(ACTIONS) as Action[]).map((action) => ({ state, action, to: ALLOWED[state]?.[action] })),
);

describe('release state machine', () => {
  it.each(pairs.filter((p) => p.to))('allows $action from $state → $to', ({ state, action, to }) => {
    // Act
    const t = ACTIONS[action](inState(state));
    // Assert
    expect(t.ok).toBe(true);
    if (t.ok) expect(t.next.state).toBe(to);
  });

  it.each(pairs.filter((p) => !p.to))('refuses $action from $state with a reason', ({ state, action }) => {
    // Act
    const t = ACTIONS[action](inState(state));
    // Assert
    expect(t).toMatchObject({ ok: false, kind: 'conflict' });
    if (!t.ok) {
      expect(t.rule).toMatch(/^release\.state\./);
      expect(t.reason).toContain(`state ${state}`);
    }
  });

  it('covers all 36 state × action pairs, 6 of them allowed', () => {
    expect(pairs).toHaveLength(36);
    expect(pairs.filter((p) => p.to)).toHaveLength(6);
  });

  it('refuses approving twice', () => {
    // Arrange
    const first = ACTIONS.approve(inState('REQUESTED'));
    if (!first.ok) throw new Error(first.reason);
    // Act
    const second = approve(first.next, {
      approver: { ...manager, staffId: 'siro-1', roles: ['siro'] },
      now: at(1),
      copyTtlDays: 30,
      copyKey: 'k',
    });
    // Assert
    expect(second).toMatchObject({ ok: false, kind: 'conflict' });
    if (!second.ok) expect(second.reason).toMatch(/already been approved and issued/);
  });

  it('refuses approval after the request expired, even before the sweeper ran', () => {
    // Act
    const t = approve(inState('REQUESTED'), {
      approver: manager,
      now: at(14),
      copyTtlDays: 30,
      copyKey: 'k',
    });
    // Assert
    expect(t).toMatchObject({ ok: false, kind: 'policy', rule: 'release.request-expired' });
  });

  it('refuses approval after the sweeper expired the request', () => {
    const t = ACTIONS.approve(inState('REQUEST_EXPIRED'));
    expect(t).toMatchObject({ ok: false, kind: 'conflict' });
    if (!t.ok) expect(t.reason).toMatch(/expired before anyone decided it/);
  });

  it('refuses approval by the requester', () => {
    const t = approve(inState('REQUESTED'), {
      approver: { ...requester, roles: ['siro'] },
      now: at(1),
      copyTtlDays: 30,
      copyKey: 'k',
    });
    expect(t).toMatchObject({ ok: false, kind: 'forbidden', rule: 's6.no-self-approval' });
  });

  it('refuses approval and rejection by an officer who may not approve', () => {
    const approval = approve(inState('REQUESTED'), {
      approver: stranger,
      now: at(1),
      copyTtlDays: 30,
      copyKey: 'k',
    });
    const rejection = reject(inState('REQUESTED'), { approver: stranger, now: at(1), reason: 'no' });
    expect(approval).toMatchObject({ ok: false, kind: 'forbidden', rule: 's6.internal-approvers' });
    expect(rejection).toMatchObject({ ok: false, kind: 'forbidden', rule: 's6.internal-approvers' });
  });

  it('refuses completing before issue', () => {
    const t = ACTIONS.complete(inState('REQUESTED'));
    expect(t).toMatchObject({ ok: false, kind: 'conflict' });
    if (!t.ok) expect(t.reason).toMatch(/cannot complete/);
  });

  it('refuses a link after completion', () => {
    const t = ACTIONS.issueLink(inState('COMPLETED'));
    expect(t).toMatchObject({ ok: false, kind: 'conflict' });
    if (!t.ok) expect(t.reason).toMatch(/completed and its copy deleted/);
  });

  it('refuses a link and completion once the copy is past expiry, before the sweeper ran', () => {
    const link = issueLink(inState('ISSUED'), { actor: requester, now: at(31) });
    const done = complete(inState('ISSUED'), { actor: requester, now: at(31) });
    expect(link).toMatchObject({ ok: false, kind: 'policy', rule: 's6.copy-expired' });
    expect(done).toMatchObject({ ok: false, kind: 'policy', rule: 's6.copy-expired' });
  });

  it('refuses a link or completion by anyone but the requester', () => {
    const link = issueLink(inState('ISSUED'), { actor: manager, now: at(2) });
    const done = complete(inState('ISSUED'), { actor: manager, now: at(2) });
    expect(link).toMatchObject({ ok: false, kind: 'forbidden', rule: 's6.requester-only' });
    expect(done).toMatchObject({ ok: false, kind: 'forbidden', rule: 's6.requester-only' });
  });

  it('refuses the sweeper expiring a request or copy that is not yet due', () => {
    expect(expireRequest(inState('REQUESTED'), { now: at(13) })).toMatchObject({
      ok: false,
      rule: 'release.request-not-due',
    });
    expect(expireCopy(inState('ISSUED'), { now: at(30) })).toMatchObject({
      ok: false,
      rule: 'release.copy-not-due',
    });
  });

  it('records the authoriser and a copy expiring after the configured days, capped at 30', () => {
    // Act
    const t7 = approve(inState('REQUESTED'), { approver: manager, now: at(1), copyTtlDays: 7, copyKey: 'k' });
    const t90 = approve(inState('REQUESTED'), {
      approver: manager,
      now: at(1),
      copyTtlDays: 90,
      copyKey: 'k',
    });
    // Assert
    if (!t7.ok || !t90.ok) throw new Error('approval refused');
    expect(t7.next.approval?.by).toBe('mgr-1');
    expect(t7.next.copy?.expiresAt).toBe(at(8).toISOString());
    expect(t90.next.copy?.expiresAt).toBe(at(31).toISOString());
    expect(t7.next.version).toBe(2);
  });

  describe('a new request', () => {
    const base = {
      releaseId: 'rel-2',
      requester,
      recording: { recordingId: 'rec-1', serviceArea: 'revenues', startedAt: '2026-10-01T09:30:00.000Z' },
      purpose: { purpose: 'training' },
      justification: 'j',
      now: T0,
      requestTtlDays: 14,
    };

    it('is refused when the destination is the recording’s own service area', () => {
      const t = request({ ...base, destination: { kind: 'service-area', serviceArea: 'revenues' } });
      expect(t).toMatchObject({ ok: false, rule: 's6.release-outside-area' });
    });

    it('is refused for an external agency without IG advice', () => {
      const t = request({ ...base, destination: { kind: 'external-agency', agency: 'Police' } });
      expect(t).toMatchObject({ ok: false, rule: 's6.external-needs-ig-advice' });
    });

    it('is refused for another purpose without IG advice', () => {
      const t = request({
        ...base,
        destination: { kind: 'service-area', serviceArea: 'housing' },
        purpose: { purpose: 'other' },
      });
      expect(t).toMatchObject({ ok: false, rule: 's6.other-purpose-needs-ig-advice' });
    });

    it('starts REQUESTED, expiring after the configured days', () => {
      const t = request({ ...base, destination: { kind: 'service-area', serviceArea: 'housing' } });
      expect(t).toMatchObject({
        ok: true,
        next: { state: 'REQUESTED', requestExpiresAt: at(14).toISOString() },
      });
    });
  });
});
