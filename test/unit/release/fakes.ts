/** In-memory stand-ins for the release ports, with the same conditional semantics as the adapters. */
import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import type { OpenCopy } from '../../../functions/domain/compliance.js';
import { ConflictError } from '../../../functions/domain/errors.js';
import { type ChainLink, nextLink } from '../../../functions/domain/hash-chain.js';
import type { Release, ReleaseLogPayload } from '../../../functions/domain/release.js';
import {
  CHECKPOINT_CHAIN,
  type CheckpointPayload,
  ENTRY_CHAIN,
} from '../../../functions/domain/release-log-format.js';
import type {
  LogReadNote,
  RecordingRef,
  ReleaseAuditNote,
  ReleaseConfig,
  ReleaseCounters,
  ReleaseDeps,
  ReleaseLogStore,
  ReleaseRepository,
  Signer,
} from '../../../functions/ports/release.js';
import { memoryAdvice, memoryPackages } from '../disclosures/fakes.js';
import { invoke } from '../support/http.js';

export const memoryReleases = (
  log: ReleaseLogStore,
): ReleaseRepository & { items: Map<string, Release>; failNextLogWrite: () => void } => {
  const items = new Map<string, Release>();
  let failLog = false;
  /** The log append and the item write succeed or fail together, as in the DynamoDB transaction. */
  const appendOrFail = async (entry: ReleaseLogPayload) => {
    if (failLog) {
      failLog = false;
      throw new Error('log write failed');
    }
    return log.append(entry);
  };
  return {
    items,
    failNextLogWrite: () => {
      failLog = true;
    },
    async create(r, entry) {
      if (items.has(r.releaseId)) throw new ConflictError(`release ${r.releaseId} already exists`);
      const link = await appendOrFail(entry);
      items.set(r.releaseId, r);
      return link;
    },
    async get(id) {
      return items.get(id);
    },
    async replace(next, expected, entry) {
      const stored = items.get(next.releaseId);
      if (!stored || stored.state !== expected.state || stored.version !== expected.version) return undefined;
      items.set(next.releaseId, next); // claimed synchronously: no await between check and write
      try {
        return await appendOrFail(entry);
      } catch (error) {
        items.set(next.releaseId, stored);
        throw error;
      }
    },
    async query(q, limit) {
      const all = [...items.values()];
      const due = (r: Release) =>
        r.state === 'REQUESTED'
          ? r.requestExpiresAt
          : r.state === 'ISSUED'
            ? (r.copy?.expiresAt ?? '')
            : r.updatedAt;
      const hit = all.filter((r) =>
        q.by === 'requester'
          ? r.requesterId === q.requesterId
          : q.by === 'area'
            ? r.recordingServiceArea === q.serviceArea
            : q.by === 'recording'
              ? r.recordingId === q.recordingId
              : r.state === q.state && (!q.dueBefore || due(r) <= q.dueBefore),
      );
      return hit.slice(0, limit);
    },
  };
};

export const memoryLog = (
  clock: () => Date,
): ReleaseLogStore & {
  all: ChainLink<object>[];
  /** The stored rows themselves, for tests that tamper with the table. */
  rows: { entries: ChainLink<ReleaseLogPayload>[]; checkpoints: ChainLink<CheckpointPayload>[] };
} => {
  const entries: ChainLink<ReleaseLogPayload>[] = [];
  const checkpoints: ChainLink<CheckpointPayload>[] = [];
  return {
    rows: { entries, checkpoints },
    get all() {
      return [...entries, ...checkpoints];
    },
    async append(payload) {
      const link = nextLink(ENTRY_CHAIN, entries.at(-1), payload, clock());
      entries.push(link);
      return link;
    },
    async appendCheckpoint(payload) {
      const link = nextLink(CHECKPOINT_CHAIN, checkpoints.at(-1), payload, clock());
      checkpoints.push(link);
      return link;
    },
    entries: async () => [...entries],
    entriesAfter: async (afterSeq, limit) => entries.filter((e) => e.seq > afterSeq).slice(0, limit),
    entriesOf: async (f) =>
      entries.filter((e) =>
        'releaseId' in f ? e.payload.releaseId === f.releaseId : e.payload.requester === f.requester,
      ),
    checkpoints: async () => [...checkpoints],
    head: async () => {
      const last = entries.at(-1);
      return last ? { seq: last.seq, hash: last.hash } : undefined;
    },
    lastCheckpoint: async () => checkpoints.at(-1),
  };
};

export const testKeyPair = (): { publicKey: KeyObject; privateKey: KeyObject } =>
  generateKeyPairSync('ec', { namedCurve: 'prime256v1' });

/** Signs as KMS does for ECDSA_SHA_256: SHA-256 of the raw message, DER signature, SPKI DER key. */
export const localSigner = (
  keys = testKeyPair(),
  keyId = 'test-signing-key',
): Signer & { keys: typeof keys } => ({
  keys,
  async sign(message) {
    return { signature: sign('sha256', message, keys.privateKey), keyId };
  },
  async publicKey() {
    return { keyId, spkiDer: keys.publicKey.export({ format: 'der', type: 'spki' }) as Buffer };
  },
});

export const memoryCopies = () => {
  const objects = new Map<string, string>();
  const presigned: { key: string; ttlSeconds: number }[] = [];
  return {
    objects,
    presigned,
    async copy(recording: RecordingRef, key: string) {
      objects.set(key, `copy of ${recording.archiveKey}`);
    },
    async remove(key: string) {
      objects.delete(key);
    },
    async presignGet(key: string, ttlSeconds: number) {
      presigned.push({ key, ttlSeconds });
      return `https://releases.example/${key}?ttl=${ttlSeconds}`;
    },
    async exists(key: string) {
      return objects.has(key);
    },
  };
};

type CountedRelease = Parameters<ReleaseCounters['countRelease']>[0];

/** Counts once per release id, as the counters adapter's idempotency marker does. */
export const memoryCounters = () => {
  const calls: CountedRelease[] = [];
  const counted = new Map<string, CountedRelease>();
  const open = new Map<string, OpenCopy & { serviceArea: string }>();
  const closed: string[] = [];
  const counters: ReleaseCounters = {
    async countRelease(event) {
      calls.push(event);
      if (counted.has(event.releaseId)) return false;
      counted.set(event.releaseId, event);
      return true;
    },
    async copyOpened(serviceArea, copy) {
      open.set(copy.releaseId, { ...copy, serviceArea });
    },
    async copyClosed(_serviceArea, releaseId) {
      open.delete(releaseId);
      closed.push(releaseId);
    },
  };
  return { counters, calls, counted, open, closed };
};

export const RECORDING: RecordingRef = {
  recordingId: 'rec-1',
  serviceArea: 'revenues',
  startedAt: '2026-10-01T09:30:00.000Z',
  status: 'ARCHIVED',
  archiveKey: 'recordings/revenues/rec-1.wav',
  format: 'wav',
};

export const testDeps = (overrides: Partial<ReleaseConfig> = {}) => {
  let now = new Date('2026-11-01T10:00:00.000Z');
  let n = 0;
  const clock = () => now;
  const log = memoryLog(clock);
  const releases = memoryReleases(log);
  const copies = memoryCopies();
  const signer = localSigner();
  const recordings = new Map<string, RecordingRef>([[RECORDING.recordingId, RECORDING]]);
  const serviceAreas = new Set(['revenues', 'housing', 'social-care', 'parking']);
  const audited: ReleaseAuditNote[] = [];
  const logReads: LogReadNote[] = [];
  const counters = memoryCounters();
  const advice = memoryAdvice();
  const packages = memoryPackages(
    new Map([[RECORDING.archiveKey ?? '', Buffer.from('RIFF audio of rec-1')]]),
  );
  const anchored: ChainLink<CheckpointPayload>[] = [];
  const deps: ReleaseDeps = {
    audit: async (note) => {
      audited.push(note);
    },
    auditLogRead: async (note) => {
      logReads.push(note);
    },
    releases,
    catalogue: { get: async (id) => recordings.get(id) },
    serviceAreas: { exists: async (id) => serviceAreas.has(id) },
    copies,
    log,
    counters: counters.counters,
    signer,
    advice,
    packages: packages.store,
    anchors: {
      put: async (doc) => {
        anchored.unshift(structuredClone(doc));
      },
      newest: async (notAfter) =>
        anchored.find((a) => notAfter === undefined || a.payload.signedAt <= notAfter),
    },
    config: { copyTtlDays: 30, requestTtlDays: 14, linkTtlSeconds: 300, checkpointEvery: 5, ...overrides },
    now: clock,
    newId: () => {
      n += 1;
      return `rel-${n}`;
    },
  };
  return {
    deps,
    audited,
    logReads,
    counters,
    releases,
    copies,
    log,
    signer,
    anchored,
    recordings,
    serviceAreas,
    advice,
    packages,
    advance: (ms: number) => {
      now = new Date(now.getTime() + ms);
    },
  };
};

export const DAY = 86_400_000;

type Handler = Parameters<typeof invoke>[0];

/**
 * Requests release `i` of rec-1 for housing over HTTP and approves it as the revenues manager; the
 * justification holds a quote, commas and a line break, as CSV must carry them. Returns the release id.
 */
export const requestAndApprove = async (handler: Handler, i: number): Promise<string> => {
  const created = await invoke<{ releaseId: string }>(handler, 'POST /releases', {
    staffId: 'req-1',
    groups: ['area:housing:listener'],
    body: {
      recordingId: RECORDING.recordingId,
      destination: { kind: 'service-area', serviceArea: 'housing' },
      purpose: 'training',
      justification: `case ${i}, "quoted", with commas\nand a line break`,
    },
  });
  const params = { id: created.json.releaseId };
  await invoke(handler, 'POST /releases/{id}/approve', {
    staffId: 'mgr-1',
    groups: ['area:revenues:manager'],
    params,
  });
  return params.id;
};
