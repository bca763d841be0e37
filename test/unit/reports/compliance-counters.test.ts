import '../staff-notices/env.js';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { KEYS } from '../../../functions/adapters/counters-keys.js';
import { readDayCounters } from '../../../functions/adapters/counters-read.js';
import { countRecordingRegistered } from '../../../functions/adapters/counters-write.js';
import type { RegisteredRecording } from '../../../functions/domain/compliance.js';
import { type FakeRegisters, installFakeRegisters } from '../staff-notices/fake-registers.js';

const ddb = mockClient(DynamoDBDocumentClient);

const recording: RegisteredRecording = {
  recordingId: 'rec-1',
  serviceArea: 'revenues',
  startedAt: '2025-03-15T10:00:00Z',
  extension: '2001',
  agentId: 'a1',
  notification: { method: 'none' },
  abuseReminder: true,
  verificationReminder: false,
};

let fake: FakeRegisters;
beforeEach(() => {
  ddb.reset();
  fake = installFakeRegisters(ddb);
});

describe('write-time counters', () => {
  it('adds a registered call to its area and UTC day, and lists it when the customer was not told', async () => {
    // Act
    const counted = await countRecordingRegistered(recording);
    // Assert
    expect(counted).toBe(true);
    expect(await readDayCounters('revenues', '2025-03-15', '2025-03-15')).toEqual([
      { recordings: 1, 'notification:none': 1, 'reminder:abuse': 1 },
    ]);
    expect(fake.items.get(`UNNOTIFIED#revenues\u00002025-03-15T10:00:00.000Z#rec-1`)).toMatchObject({
      recordingId: 'rec-1',
      agentId: 'a1',
    });
  });

  it('counts a repeated event once', async () => {
    await countRecordingRegistered(recording);
    const again = await countRecordingRegistered(recording);
    expect(again).toBe(false);
    const day = fake.items.get(`${KEYS.counterDay('revenues', '2025-03-15').pk}\u0000D#2025-03-15`);
    expect(day?.recordings).toBe(1);
  });

  it('tries again when a concurrent writer touches the same day, and counts once', async () => {
    // Arrange
    fake.conflicts = 2;
    // Act
    const counted = await countRecordingRegistered(recording);
    // Assert
    expect(counted).toBe(true);
    expect(await readDayCounters('revenues', '2025-01-01', '2025-12-31')).toEqual([
      { recordings: 1, 'notification:none': 1, 'reminder:abuse': 1 },
    ]);
  });
});
