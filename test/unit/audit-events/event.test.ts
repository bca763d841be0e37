/** The SIEM event of a log entry: the chain position and hash as stored, no caller number in clear. */

import { auditEventOf, logKindOf } from '../../../functions/domain/audit-event.js';
import { nextLink } from '../../../functions/domain/hash-chain.js';
import { redact } from '../../../functions/platform/log.js';

const AT = new Date('2026-11-28T10:00:00.000Z');

describe('audit events', () => {
  it('carry the chain, sequence number, previous hash and hash of the stored entry', () => {
    // Arrange
    const link = nextLink(
      'audit#07',
      { seq: 41, hash: 'a'.repeat(64) },
      { actor: 'u1', action: 'playback', outcome: 'allowed', rule: 's6.playback', correlationId: 'c1' },
      AT,
    );

    // Act
    const event = auditEventOf('accessAudit', link, redact);

    // Assert
    expect(event).toEqual({
      detailType: 'AccessAuditEntry',
      time: '2026-11-28T10:00:00.000Z',
      detail: {
        schema: 'crs-audit-event/1',
        log: 'access-audit',
        chain: 'audit#07',
        seq: 42,
        at: '2026-11-28T10:00:00.000Z',
        prevHash: 'a'.repeat(64),
        hash: link.hash,
        entry: link.payload,
      },
    });
  });

  it('scrubs a phone number typed into any text field and names the field', () => {
    // Arrange
    const link = nextLink(
      'releases',
      undefined,
      { releaseId: 'r1', detail: 'caller +441632960555 asked', destination: 'service-area:housing' },
      AT,
    );

    // Act
    const event = auditEventOf('releaseLog', link, redact);

    // Assert
    expect(JSON.stringify(event)).not.toContain('441632960555');
    expect(event.detail.entry.detail).toBe('caller [phone] asked');
    expect(event.detail.redacted).toEqual(['entry.detail']);
    expect(event.detail.hash).toBe(link.hash);
  });

  it.each([
    ['auditLog', 'audit', 'accessAudit'],
    ['auditLog', 'audit#63', 'accessAudit'],
    ['auditLog', 'audit-checkpoints', undefined],
    ['releaseLog', 'releases', 'releaseLog'],
    ['releaseLog', 'checkpoints', undefined],
  ] as const)('publishes %s chain %s as %s', (table, chain, kind) => {
    expect(logKindOf(table, chain)).toBe(kind);
  });
});
