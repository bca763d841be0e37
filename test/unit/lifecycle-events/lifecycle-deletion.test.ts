import { recordLifecycleDeletion } from '../../../functions/lifecycle-events/lifecycle-deletion.js';
import { FakeHoldsStore, recordingFacts } from '../legal-hold/fakes.js';

process.env.LOG_LEVEL = 'silent';

const NOW = new Date('2026-11-28T08:00:00.000Z');

const event = (key: string, reason = 'Lifecycle Expiration', deletionType = 'Delete Marker Created') => ({
  'detail-type': 'Object Deleted',
  source: 'aws.s3',
  time: '2026-11-28T03:10:00Z',
  detail: {
    bucket: { name: 'archive' },
    object: { key, 'version-id': 'v9' },
    'deletion-type': deletionType,
    reason,
  },
});

describe('lifecycle deletions', () => {
  it('marks the recording DELETED with a lifecycle certificate', async () => {
    // Arrange
    const store = new FakeHoldsStore();
    const rec = recordingFacts('r1', '2024-10-01T09:00:00.000Z');
    store.add(rec);
    // Act
    const outcome = await recordLifecycleDeletion(
      { recordings: store, now: () => NOW },
      event(rec.archiveKey as string),
    );
    // Assert
    expect(outcome).toBe('recorded');
    expect(store.recordings.get('r1')).toMatchObject({
      status: 'DELETED',
      deletion: {
        by: 'system:s3-lifecycle',
        rule: 's7.lifecycle-backstop-24-months',
        at: '2026-11-28T03:10:00.000Z',
        versionId: 'v9',
        archiveKey: rec.archiveKey,
        sha256: 'sha-r1',
      },
    });
    expect(store.recordings.get('r1')?.deleteDay).toBeUndefined();
  });

  it('records one certificate however often the event (or the later permanent deletion) arrives', async () => {
    const store = new FakeHoldsStore();
    const rec = recordingFacts('r1', '2024-10-01T09:00:00.000Z');
    store.add(rec);
    const key = rec.archiveKey as string;
    await recordLifecycleDeletion({ recordings: store, now: () => NOW }, event(key));
    const again = await recordLifecycleDeletion({ recordings: store, now: () => NOW }, event(key));
    const permanent = await recordLifecycleDeletion(
      { recordings: store, now: () => NOW },
      event(key, 'Lifecycle Expiration', 'Permanently Deleted'),
    );
    expect([again, permanent]).toEqual(['already-deleted', 'already-deleted']);
    expect(store.deletions).toHaveLength(1);
  });

  it('ignores deletions that are not lifecycle expirations (the sweeper already certified those)', async () => {
    const store = new FakeHoldsStore();
    const rec = recordingFacts('r1', '2024-10-01T09:00:00.000Z');
    store.add(rec);
    const outcome = await recordLifecycleDeletion(
      { recordings: store, now: () => NOW },
      event(rec.archiveKey as string, 'DeleteObject'),
    );
    expect(outcome).toBe('not-lifecycle');
    expect(store.recordings.get('r1')?.status).toBe('ARCHIVED');
  });

  it('ignores an object whose key does not match the catalogue entry', async () => {
    const store = new FakeHoldsStore();
    store.add(recordingFacts('r1', '2024-10-01T09:00:00.000Z'));
    const outcome = await recordLifecycleDeletion(
      { recordings: store, now: () => NOW },
      event('elsewhere/r1.wav'),
    );
    expect(outcome).toBe('unknown-object');
    expect(store.deletions).toHaveLength(0);
  });
});
