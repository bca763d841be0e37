/**
 * Policy s.6 as functions/domain/release.ts decides it outside the state machine: the Release of Recording
 * Log entry (purpose, requester, date/time of the recording, who authorised), who may see a release, and
 * who may ask for one. The release use cases reach these through fakes; here each is stated on its own.
 */
import {
  describeDestination,
  describePurpose,
  logPayload,
  mayRequestFor,
  mayViewRelease,
  type Release,
  requesterAreaNeeded,
} from '../../../functions/domain/release.js';
import { principalFrom } from '../../../functions/domain/roles.js';
import { aRelease } from './release-fixture.js';

const release = (r: Partial<Release> = {}): Release =>
  aRelease({
    state: 'ISSUED',
    version: 2,
    updatedAt: '2026-11-02T10:00:00.000Z',
    approval: { by: 'mgr-1', at: '2026-11-02T10:00:00.000Z' },
    ...r,
  });

describe('the Release of Recording Log entry (s.6)', () => {
  it('records the purpose, the requester, the date/time of the recording and who authorised it', () => {
    // Act
    const entry = logPayload(release(), 'APPROVED', 'mgr-1', 'copy until 2026-12-02');
    // Assert
    expect(entry).toEqual({
      event: 'APPROVED',
      releaseId: 'rel-1',
      actor: 'mgr-1',
      purpose: 'dispute-verification',
      requester: 'req-1',
      recordingDateTime: '2026-10-01T09:30:00.000Z',
      authoriser: 'mgr-1',
      recordingId: 'rec-1',
      destination: 'service-area:housing',
      detail: 'copy until 2026-12-02',
    });
  });

  it('leaves the authoriser and the detail empty before anyone approved', () => {
    // Act
    const entry = logPayload(release({ state: 'REQUESTED', approval: undefined }), 'REQUESTED', 'req-1');
    // Assert
    expect(entry).toMatchObject({ authoriser: '', detail: '' });
  });

  it('names the IG advice a purpose outside (a)–(e) and an external release rely on', () => {
    expect(describePurpose({ purpose: 'other', igAdviceRef: 'IG-7' })).toBe('other (IG advice IG-7)');
    expect(describePurpose({ purpose: 'training' })).toBe('training');
    expect(describeDestination({ kind: 'external-agency', agency: 'Police', igAdviceRef: 'IG-9' })).toBe(
      'external-agency:Police (IG advice IG-9)',
    );
    expect(describeDestination({ kind: 'external-agency', agency: 'Police' })).toBe(
      'external-agency:Police (IG advice )',
    );
  });
});

describe('who sees a release (s.6)', () => {
  it('shows it to its requester, to the log keeper and IG, and to those who may approve it', () => {
    // Arrange
    const r = release();
    const viewers = [
      principalFrom('req-1', [], []),
      principalFrom('keeper', ['role:release-log-keeper'], []),
      principalFrom('ig', ['role:ig-officer'], []),
      principalFrom('mgr-2', ['area:revenues:manager'], []),
    ];
    // Act
    const seen = viewers.map((p) => mayViewRelease(p, r));
    // Assert
    expect(seen).toEqual([true, true, true, true]);
  });

  it('hides it from a manager of the destination area, a head of service of another area and a listener of its own', () => {
    // Arrange
    const r = release();
    const others = [
      principalFrom('hou-1', ['area:housing:manager'], []),
      principalFrom('park-1', ['area:parking:head-of-service'], []),
      principalFrom('rev-1', ['area:revenues:listener'], []),
    ];
    // Act
    const seen = others.map((p) => mayViewRelease(p, r));
    // Assert
    expect(seen).toEqual([false, false, false]);
  });
});

describe('who may ask for a release (s.6)', () => {
  it('needs a grant in the destination area for an internal release, and none named for an external one', () => {
    // Arrange
    const listener = principalFrom('s1', ['area:housing:listener'], []);
    // Act
    const areas = [
      requesterAreaNeeded({ kind: 'service-area', serviceArea: 'housing' }),
      requesterAreaNeeded({ kind: 'external-agency', agency: 'Police', igAdviceRef: 'IG-1' }),
    ];
    // Assert
    expect(areas).toEqual(['housing', undefined]);
    expect(mayRequestFor(listener, 'housing')).toBe(true);
    expect(mayRequestFor(listener, 'revenues')).toBe(false);
  });
});
