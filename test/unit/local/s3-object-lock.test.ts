import { maxDaysIn as infraMaxDaysIn } from '../../../infra/config.js';
import { eventKey, maxDaysIn } from '../../../local/s3.js';
import { isLocked, parseCopySource, parseTarget } from '../../../local/s3-object-lock.js';

const NOW = Date.parse('2026-06-01T00:00:00Z');
const future = '2027-06-01T00:00:00.000Z';
const past = '2025-06-01T00:00:00.000Z';

describe('object lock', () => {
  it.each([
    ['no lock state', undefined, false, false],
    ['legal hold on', { legalHold: 'ON' as const, versionId: 'v' }, true, true],
    ['legal hold off, no retention', { legalHold: 'OFF' as const, versionId: 'v' }, false, false],
    [
      'governance in the future',
      { mode: 'GOVERNANCE' as const, retainUntil: future, versionId: 'v' },
      true,
      false,
    ],
    ['governance expired', { mode: 'GOVERNANCE' as const, retainUntil: past, versionId: 'v' }, false, false],
    [
      'compliance in the future',
      { mode: 'COMPLIANCE' as const, retainUntil: future, versionId: 'v' },
      true,
      true,
    ],
    [
      'legal hold on, retention expired',
      { mode: 'GOVERNANCE' as const, retainUntil: past, legalHold: 'ON' as const, versionId: 'v' },
      true,
      true,
    ],
  ])(
    '%s: locked=%s, still locked with the governance bypass=%s',
    (_name, state, locked, lockedWithBypass) => {
      expect(isLocked(state, false, NOW)).toBe(locked);
      expect(isLocked(state, true, NOW)).toBe(lockedWithBypass);
    },
  );
});

describe('request parsing', () => {
  it('splits bucket and URL-decoded key from a path-style path', () => {
    expect(parseTarget('/crs-local-archive/revenues/2026/a%20b.wav')).toEqual({
      bucket: 'crs-local-archive',
      key: 'revenues/2026/a b.wav',
    });
    expect(parseTarget('/crs-local-archive')).toEqual({ bucket: 'crs-local-archive' });
    expect(parseTarget('/')).toEqual({});
  });

  it('reads a copy source with or without a leading slash and versionId', () => {
    expect(parseCopySource('/inbox/incoming/a%20b.wav?versionId=xyz')).toEqual({
      bucket: 'inbox',
      key: 'incoming/a b.wav',
      rest: '?versionId=xyz',
    });
    expect(parseCopySource('inbox/k')).toEqual({ bucket: 'inbox', key: 'k', rest: '' });
  });
});

describe('S3 event keys', () => {
  it('are URL-encoded form style with slashes kept', () => {
    expect(eventKey('incoming/call 1 (b).wav')).toBe('incoming/call+1+%28b%29.wav');
    expect(eventKey('incoming/a+b:c.wav')).toBe('incoming/a%2Bb%3Ac.wav');
    expect(decodeURIComponent(eventKey('incoming/x y.wav').replace(/\+/g, ' '))).toBe('incoming/x y.wav');
  });
});

describe('the archive default retention', () => {
  it('lasts as many days as the CDK bucket declares', () => {
    expect(maxDaysIn(12)).toBe(366);
    for (const months of [1, 12, 24]) expect(maxDaysIn(months)).toBe(infraMaxDaysIn(months));
  });
});
