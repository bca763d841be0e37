import {
  addMonthsUtc,
  archiveLockUntil,
  callAge,
  holdNeedsGuidance,
  isDueForDeletion,
  mayDelete,
  retentionDates,
} from '../../../functions/domain/retention.js';

describe('retention dates (policy s.7)', () => {
  it('keeps a recording 12 months and deletes it after 24 months from the call start', () => {
    const { retainUntil, deleteAfter } = retentionDates(new Date('2026-03-15T10:20:30.000Z'));
    expect(retainUntil.toISOString()).toBe('2027-03-15T10:20:30.000Z');
    expect(deleteAfter.toISOString()).toBe('2028-03-15T10:20:30.000Z');
  });

  it('clamps a day missing from the target month to its last day, never earlier than a full month', () => {
    expect(addMonthsUtc(new Date('2028-02-29T00:00:00Z'), 12).toISOString()).toBe('2029-02-28T00:00:00.000Z');
    expect(addMonthsUtc(new Date('2026-01-31T12:00:00Z'), 1).toISOString()).toBe('2026-02-28T12:00:00.000Z');
  });

  it('refuses deletion before 12 months or while any hold is active', () => {
    const retainUntil = new Date('2027-01-01T00:00:00Z');
    expect(mayDelete(new Date('2026-12-31T23:59:59Z'), retainUntil, 0)).toBe(false);
    expect(mayDelete(new Date('2027-01-01T00:00:00Z'), retainUntil, 1)).toBe(false);
    expect(mayDelete(new Date('2027-01-01T00:00:00Z'), retainUntil, 0)).toBe(true);
  });

  it('is due for the 24-month sweep only past delete-after and unheld', () => {
    const deleteAfter = new Date('2028-01-01T00:00:00Z');
    expect(isDueForDeletion(new Date('2027-12-31T00:00:00Z'), deleteAfter, 0)).toBe(false);
    expect(isDueForDeletion(new Date('2028-01-02T00:00:00Z'), deleteAfter, 2)).toBe(false);
    expect(isDueForDeletion(new Date('2028-01-02T00:00:00Z'), deleteAfter, 0)).toBe(true);
  });

  it('needs IG guidance only for a hold that reaches past the 24-month point', () => {
    const start = new Date('2026-01-10T00:00:00Z');
    expect(holdNeedsGuidance(new Date('2028-01-10T00:00:00Z'), start)).toBe(false);
    expect(holdNeedsGuidance(new Date('2028-01-10T00:00:01Z'), start)).toBe(true);
  });
});

describe('archiving a call of any age (policy s.7)', () => {
  const start = new Date('2025-11-02T10:00:00.000Z');
  const { retainUntil, deleteAfter } = retentionDates(start);

  it('classes a call by where it stands against its 12 and 24 months', () => {
    expect(callAge(start, new Date('2026-11-02T09:59:59Z'))).toBe('within-minimum');
    expect(callAge(start, new Date('2026-12-02T10:00:00Z'))).toBe('past-minimum');
    expect(callAge(start, new Date('2027-11-02T10:00:00Z'))).toBe('past-deletion');
  });

  it('counts a call as past its 12 months from the very instant they end', () => {
    // Act
    const age = callAge(start, retainUntil);
    // Assert
    expect(age).toBe('past-minimum');
  });

  it('locks a call inside its 12 months until call start + 12 months', () => {
    expect(archiveLockUntil(retainUntil, deleteAfter, new Date('2026-01-01T00:00:00Z'))).toEqual(retainUntil);
  });

  it('never asks for a lock date in the past for a call 13 months old, and the lock ends long before delete-after', () => {
    // Arrange: 13 months after the call start
    const now = new Date('2026-12-02T10:00:00.000Z');
    // Act
    const lock = archiveLockUntil(retainUntil, deleteAfter, now);
    // Assert
    expect(lock.getTime()).toBeGreaterThan(now.getTime());
    expect(lock.toISOString()).toBe('2026-12-03T10:00:00.000Z');
    expect(lock.getTime()).toBeLessThan(deleteAfter.getTime());
  });

  it('ends the lock of a call within a day of its 24-month point at delete-after, and stays in the future after it', () => {
    const nearlyDue = new Date(deleteAfter.getTime() - 60 * 60 * 1000);
    expect(archiveLockUntil(retainUntil, deleteAfter, nearlyDue)).toEqual(deleteAfter);
    const pastDue = new Date(deleteAfter.getTime() + 1000);
    expect(archiveLockUntil(retainUntil, deleteAfter, pastDue).getTime()).toBe(pastDue.getTime() + 60_000);
  });
});
