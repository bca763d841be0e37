/** In-memory stand-ins for the subject access request ports, with the adapters' semantics. */
import { createHmac } from 'node:crypto';
import type { AuditEntry } from '../../../functions/domain/audit.js';
import { ConflictError } from '../../../functions/domain/errors.js';
import type { ReleaseLogPayload } from '../../../functions/domain/release.js';
import type { SarRecording, SubjectAccessRequest } from '../../../functions/domain/subject-access-request.js';
import type { SarDeps, SarRepository } from '../../../functions/ports/subject-access.js';
import { localSigner } from '../release/fakes.js';
import { memoryPackages } from './fakes.js';

export const memorySars = (): SarRepository & { items: Map<string, SubjectAccessRequest> } => {
  const items = new Map<string, SubjectAccessRequest>();
  return {
    items,
    async create(sar) {
      if (items.has(sar.sarId)) throw new ConflictError(`subject access request ${sar.sarId} already exists`);
      items.set(sar.sarId, structuredClone(sar));
    },
    get: async (id) => structuredClone(items.get(id)),
    async replace(next, expectedVersion) {
      if (items.get(next.sarId)?.version !== expectedVersion) return false;
      items.set(next.sarId, structuredClone(next));
      return true;
    },
    listOpen: async () => [...items.values()].filter((s) => s.state === 'OPEN'),
    listClosedSince: async (since) =>
      [...items.values()].filter((s) => s.state === 'CLOSED' && (s.closed?.at ?? '') >= since),
  };
};

export interface CatalogueRow extends Omit<SarRecording, 'mark'> {
  readonly caller: string;
  readonly status?: string;
}

/** A keyed hash standing in for the KMS HMAC: the number cannot be read back from it. */
export const fakeHmac = (n: string): string => createHmac('sha256', 'test-key').update(n).digest('base64url');

export const memoryCallerIndex = (rows: CatalogueRow[]) => ({
  pseudonymise: async (n: string) => fakeHmac(n),
  recordingsOf: async (hash: string, from: string, to: string) =>
    rows
      .filter((r) => fakeHmac(r.caller) === hash && (r.status ?? 'ARCHIVED') === 'ARCHIVED')
      .filter((r) => from <= r.startedAt && r.startedAt <= to)
      .map(({ caller: _c, status: _s, ...r }) => r),
});

export const CALLER = '+441632960123';

/** Two calls of the caller in two areas, one of another caller, one of the caller outside the range. */
export const ROWS: CatalogueRow[] = [
  rec('rec-rev', 'revenues', '2026-09-03T09:15:00.000Z'),
  rec('rec-hou', 'housing', '2026-10-12T14:00:00.000Z'),
  { ...rec('rec-other', 'revenues', '2026-09-04T10:00:00.000Z'), caller: '+441632960999' },
  rec('rec-old', 'housing', '2025-01-10T10:00:00.000Z'),
];

function rec(recordingId: string, serviceArea: string, startedAt: string): CatalogueRow {
  return {
    recordingId,
    serviceArea,
    startedAt,
    format: 'wav',
    archiveKey: `${serviceArea}/${startedAt.slice(0, 10).replaceAll('-', '/')}/${recordingId}.wav`,
    archiveVersionId: `v-${recordingId}`,
    caller: CALLER,
  };
}

export const testSarDeps = (start = new Date('2026-11-01T10:00:00.000Z'), rows = ROWS) => {
  let now = start;
  let n = 0;
  const sars = memorySars();
  const audits: AuditEntry[] = [];
  const log: ReleaseLogPayload[] = [];
  const archive = new Map(rows.map((r) => [r.archiveKey, Buffer.from(`audio of ${r.recordingId}`)]));
  const packages = memoryPackages(archive);
  const signer = localSigner();
  const presigned: { kind: 'play' | 'package'; key: string; ttl: number }[] = [];
  const deps: SarDeps = {
    sars,
    callers: memoryCallerIndex(rows),
    audit: async (entry) => {
      audits.push(entry);
    },
    releaseLog: {
      append: async (p) => {
        log.push(p);
      },
    },
    packages: packages.store,
    signer,
    links: {
      playRecording: async (r, ttl) => {
        presigned.push({ kind: 'play', key: r.archiveKey, ttl });
        return `https://archive.example/${r.archiveKey}?ttl=${ttl}`;
      },
      packageFile: async (key, ttl) => {
        presigned.push({ kind: 'package', key, ttl });
        return `https://releases.example/${key}?ttl=${ttl}`;
      },
    },
    config: { playbackLinkTtlSeconds: 300, packageTtlDays: 30, packageLinkTtlSeconds: 604_800 },
    now: () => now,
    newId: () => {
      n += 1;
      return `sar-${n}`;
    },
  };
  return {
    deps,
    sars,
    audits,
    log,
    packages,
    signer,
    presigned,
    advance: (ms: number) => {
      now = new Date(now.getTime() + ms);
    },
    setNow: (at: string) => {
      now = new Date(at);
    },
  };
};
