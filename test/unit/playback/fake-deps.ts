/**
 * In-memory stand-ins for the playback ports (functions/playback/ports.ts), with the adapters' conditional
 * semantics: "mark deleted" succeeds only on an ARCHIVED, unheld recording past retain-until and writes
 * its deletion record in the same step; restore undoes both. What the DynamoDB adapters send is proved
 * against DynamoDB Local (test/integration/stores.test.ts), not here.
 */
import type { AuditLink } from '../../../functions/domain/audit.js';
import { AuditUnavailableError, ValidationError } from '../../../functions/domain/errors.js';
import { nextLink } from '../../../functions/domain/hash-chain.js';
import type { DeletionCertificate, Recording, RecordingSearch } from '../../../functions/domain/recording.js';
import type { AudioLink, PlaybackDeps } from '../../../functions/playback/ports.js';
import { playbackRoutes } from '../../../functions/playback/routes.js';
import { memoryAdvice } from '../disclosures/fakes.js';

export interface DeletionRecord {
  readonly recordingId: string;
  readonly serviceArea: string;
  readonly deleteAfter: string;
  readonly certificate: DeletionCertificate;
}

export interface PlaybackWorld {
  readonly deps: PlaybackDeps;
  readonly handler: ReturnType<typeof playbackRoutes>;
  readonly catalogue: Map<string, Recording>;
  /** The audit chain as appended, oldest first. */
  readonly audit: AuditLink[];
  /** The deletion records GET /reports/deletions lists. */
  readonly deletions: DeletionRecord[];
  /** Staff-awareness register: `staffId#area` → day first noted. */
  readonly register: Map<string, string>;
  readonly registerCalls: string[];
  readonly searches: RecordingSearch[];
  readonly presigned: AudioLink[];
  readonly deletedVersions: { key: string; versionId?: string }[];
  readonly advice: ReturnType<typeof memoryAdvice>;
  /** Catalogue writes and object deletions (never audit appends). */
  writes: number;
  failAudit: boolean;
  failRegisterWrites: number;
  failMarkDeleted: number;
  /** Runs just before the conditional "mark deleted" (e.g. a hold landing meanwhile). */
  beforeMarkDeleted?: (recordingId: string) => void;
  archiveAnswer: 'deleted' | 'refused' | Error;
}

const HMAC_PREFIX = 'hmac:';

const cursorOf = (partition: string, offset: number) =>
  Buffer.from(JSON.stringify({ p: partition, o: offset }), 'utf8').toString('base64url');

const offsetOf = (cursor: string | undefined, partition: string): number => {
  if (cursor === undefined) return 0;
  try {
    const c = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { p?: unknown; o?: unknown };
    if (c.p === partition && Number.isSafeInteger(c.o) && (c.o as number) > 0) return c.o as number;
  } catch {
    // answered below
  }
  throw new ValidationError('query.cursor', 'a cursor returned by the previous page');
};

export const playbackWorld = (options: { linkTtlSeconds?: number; now?: () => Date } = {}): PlaybackWorld => {
  const advice = memoryAdvice();
  const world = {
    catalogue: new Map<string, Recording>(),
    audit: [] as AuditLink[],
    deletions: [] as DeletionRecord[],
    register: new Map<string, string>(),
    registerCalls: [] as string[],
    searches: [] as RecordingSearch[],
    presigned: [] as AudioLink[],
    deletedVersions: [] as { key: string; versionId?: string }[],
    advice,
    writes: 0,
    failAudit: false,
    failRegisterWrites: 0,
    failMarkDeleted: 0,
    archiveAnswer: 'deleted',
  } as Omit<PlaybackWorld, 'deps' | 'handler'> & { deps?: PlaybackDeps; handler?: unknown };
  const w = world as PlaybackWorld;
  const deps: PlaybackDeps = {
    catalogue: {
      get: async (id) => {
        const r = w.catalogue.get(id);
        return r ? structuredClone(r) : undefined;
      },
      prepareSearch: (q) => {
        const [attribute, value] = q.callerHash
          ? (['callerHash', q.callerHash] as const)
          : q.extension
            ? (['extension', q.extension] as const)
            : q.agentId
              ? (['agentId', q.agentId] as const)
              : (['serviceArea', q.serviceArea] as const);
        if (value === undefined) throw new Error('a search needs a partition');
        const partition = `${attribute}=${value}`;
        const offset = offsetOf(q.cursor, partition);
        return async () => {
          w.searches.push(q);
          const rows = [...w.catalogue.values()]
            .filter((r) => r[attribute] === value)
            .filter((r) =>
              q.serviceArea ? r.serviceArea === q.serviceArea : q.areas.includes(r.serviceArea),
            )
            .filter((r) => !q.extension || r.extension === q.extension)
            .filter((r) => !q.agentId || r.agentId === q.agentId)
            .filter((r) => !q.status || r.status === q.status)
            .filter((r) => (!q.from || r.startedAt >= q.from) && (!q.to || r.startedAt <= q.to))
            .sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : 0));
          const items = rows.slice(offset, offset + q.limit).map((r) => structuredClone(r));
          const more = rows.length > offset + q.limit;
          return { items, cursor: more ? cursorOf(partition, offset + q.limit) : undefined };
        };
      },
      markDeleted: async (recording, certificate) => {
        w.beforeMarkDeleted?.(recording.recordingId);
        if (w.failMarkDeleted > 0) {
          w.failMarkDeleted -= 1;
          throw new Error('throttled');
        }
        const stored = w.catalogue.get(recording.recordingId);
        const ok =
          stored?.status === 'ARCHIVED' && !(stored.holdCount ?? 0) && stored.retainUntil <= certificate.at;
        if (!ok) return false;
        w.writes += 1;
        Object.assign(stored, { status: 'DELETED', statusAt: certificate.at, deletion: certificate });
        w.deletions.push({
          recordingId: stored.recordingId,
          serviceArea: stored.serviceArea,
          deleteAfter: stored.deleteAfter,
          certificate,
        });
        return true;
      },
      restoreArchived: async (before, certificate) => {
        const stored = w.catalogue.get(before.recordingId);
        if (stored?.status !== 'DELETED' || stored.deletion?.at !== certificate.at)
          throw new Error('condition failed: not the deletion being undone');
        w.writes += 1;
        Object.assign(stored, { status: 'ARCHIVED', statusAt: before.statusAt });
        delete (stored as { deletion?: unknown }).deletion;
        const i = w.deletions.findIndex((d) => d.recordingId === before.recordingId);
        if (i >= 0) w.deletions.splice(i, 1);
      },
      clearDeleteDay: async (id) => {
        const stored = w.catalogue.get(id);
        if (stored?.status !== 'DELETED') throw new Error('condition failed: not deleted');
        w.writes += 1;
        delete (stored as { deleteDay?: unknown }).deleteDay;
      },
    },
    audit: {
      append: async (entry, now) => {
        if (w.failAudit) throw new AuditUnavailableError(3, new Error('audit table unavailable'));
        const link = nextLink('audit#00', w.audit.at(-1), entry, now());
        w.audit.push(link);
        return link;
      },
      warm: () => undefined,
      prepareQuery: (q) => {
        const offset = q.cursor === undefined ? 0 : Number(q.cursor);
        if (!Number.isSafeInteger(offset) || offset < 0 || (q.cursor !== undefined && offset === 0))
          throw new ValidationError('query.cursor', 'a cursor returned by the previous page');
        return async () => {
          const rows = [...w.audit]
            .reverse()
            .filter((l) => !q.recordingId || l.payload.recordingId === q.recordingId)
            .filter((l) => !q.actor || l.payload.actor === q.actor)
            .filter((l) => (!q.from || l.at >= q.from) && (!q.to || l.at <= q.to));
          const entries = rows.slice(offset, offset + q.limit);
          return {
            entries,
            cursor: rows.length > offset + q.limit ? String(offset + q.limit) : undefined,
          };
        };
      },
      linksAfter: async (chain, afterSeq, limit) =>
        w.audit.filter((l) => l.chain === chain && l.seq > afterSeq).slice(0, limit),
      checkpoints: async () => [],
      newestAnchored: async () => undefined,
    },
    archive: {
      presignGet: async (link) => {
        w.presigned.push(link);
        const url = new URL(`https://archive.example/${link.key}`);
        if (link.versionId) url.searchParams.set('versionId', link.versionId);
        url.searchParams.set('response-content-type', link.contentType);
        url.searchParams.set(
          'response-content-disposition',
          `${link.disposition}; filename="${link.filename}"`,
        );
        url.searchParams.set('X-Amz-Expires', String(link.expiresInSeconds));
        return url.toString();
      },
      deleteVersion: async (key, versionId) => {
        const answer = w.archiveAnswer;
        if (answer instanceof Error) throw answer;
        if (answer === 'deleted') {
          w.writes += 1;
          w.deletedVersions.push({ key, versionId });
        }
        return answer;
      },
    },
    advice,
    noteStaffInArea: async (staffId, area, day) => {
      w.registerCalls.push(`${staffId}#${area}`);
      if (w.failRegisterWrites > 0) {
        w.failRegisterWrites -= 1;
        throw new Error('registers table unavailable');
      }
      if (!w.register.has(`${staffId}#${area}`)) w.register.set(`${staffId}#${area}`, day);
    },
    pseudonymise: async (e164) => `${HMAC_PREFIX}${e164}`,
    config: { linkTtlSeconds: options.linkTtlSeconds ?? 300 },
    now: options.now ?? (() => new Date()),
  };
  world.deps = deps;
  world.handler = playbackRoutes(deps);
  return w;
};

/** The audit entry a test expects last. */
export const lastAudit = (world: PlaybackWorld) => world.audit.at(-1)?.payload;

let counter = 0;
export const recording = (overrides: Partial<Recording> = {}): Recording => {
  counter += 1;
  return {
    recordingId: `rec-${String(counter).padStart(4, '0')}`,
    callId: `call-${counter}`,
    serviceArea: 'revenues',
    extension: '4001',
    direction: 'inbound',
    startedAt: `2024-03-01T09:${String(counter % 60).padStart(2, '0')}:00.000Z`,
    endedAt: '2024-03-01T10:05:00.000Z',
    durationSeconds: 300,
    agentId: 'agent-1',
    callerHash: 'hmac-of-caller',
    callerLast3: '890',
    callerWithheld: false,
    notification: { method: 'announcement' },
    abuseReminder: false,
    verificationReminder: false,
    pci: { pausedSegments: [], cardDataCaptured: false },
    audio: { format: 'wav', sizeBytes: 1024, sha256: 'a'.repeat(64) },
    status: 'ARCHIVED',
    statusAt: '2024-03-01T10:06:00.000Z',
    registeredAt: '2024-03-01T10:05:10.000Z',
    archivedAt: '2024-03-01T10:06:00.000Z',
    archiveKey: `revenues/2024/03/01/rec-${counter}.wav`,
    archiveVersionId: `v-${counter}`,
    retainUntil: '2025-03-01T09:00:00.000Z',
    deleteAfter: '2026-03-01T09:00:00.000Z',
    deleteDay: '2026-03-01',
    holdCount: 0,
    ...overrides,
  };
};
