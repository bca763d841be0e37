/**
 * In-memory stand-ins for the ingest ports (functions/ports/ingest.ts), with the same conditional semantics
 * as the stores (test/integration/stores.test.ts proves those on DynamoDB Local).
 */
import { createHash } from 'node:crypto';
import type { ServiceArea } from '../../../functions/domain/business-case.js';
import type { Extension } from '../../../functions/domain/extension.js';
import type { Hold } from '../../../functions/domain/holds.js';
import type {
  ArchiveDeps,
  CallRecord,
  CopyInput,
  IngestApiDeps,
  IngestConfig,
  IngestRecording,
  ObjectHead,
} from '../../../functions/ports/ingest.js';

export interface StoredObject {
  body: Buffer;
  contentType: string;
  metadata: Record<string, string>;
  tags?: Record<string, string>;
  retainUntil?: Date;
  /** Whether the fake S3 keeps a full-object checksum (real S3 after a checksummed PUT). */
  checksum: boolean;
  versionId?: string;
}

type Item = IngestRecording & { leaseOwner?: string; leaseUntil?: string };

export class FakeWorld {
  readonly items = new Map<string, Item>();
  readonly objects = new Map<string, StoredObject>();
  readonly calls: string[] = [];
  copies = 0;
  readonly counted: { subjectId: string; reason: string }[] = [];
  readonly holdRequests: { holdId: string; recordingId: string }[] = [];

  put(bucket: string, key: string, body: Buffer, checksum = true, contentType = 'audio/wav'): void {
    this.objects.set(`${bucket}/${key}`, { body, contentType, metadata: {}, checksum });
  }

  object(bucket: string, key: string): StoredObject | undefined {
    return this.objects.get(`${bucket}/${key}`);
  }

  keys(prefix = ''): string[] {
    return [...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort();
  }

  ports(config: IngestConfig): ArchiveDeps {
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('base64');
    const pending = (i: Item | undefined) => i?.status === 'PENDING' || i?.status === 'EXPIRED';
    const conditionFailed = () =>
      Object.assign(new Error('condition'), { name: 'ConditionalCheckFailedException' });
    return {
      config,
      requestHold: async (holdId, recordingId) => {
        this.holdRequests.push({ holdId, recordingId });
      },
      countQuarantined: async (q) => {
        if (this.counted.some((c) => c.subjectId === q.subjectId)) return false;
        this.counted.push({ subjectId: q.subjectId, reason: q.reason });
        return true;
      },
      catalogue: {
        getRecording: async (id) => {
          this.calls.push('getRecording');
          const item = this.items.get(id);
          if (!item) return undefined;
          const { leaseOwner: _o, leaseUntil: _u, ...rest } = item;
          return structuredClone(rest);
        },
        acquireLease: async (id, owner, now, ms) => {
          this.calls.push('acquireLease');
          const i = this.items.get(id);
          if (!i || !pending(i)) return false;
          if (i.leaseUntil && i.leaseUntil >= now.toISOString() && i.leaseOwner !== owner) return false;
          i.leaseOwner = owner;
          i.leaseUntil = new Date(now.getTime() + ms).toISOString();
          return true;
        },
        markArchived: async (id, f) => {
          this.calls.push('markArchived');
          const i = this.items.get(id);
          if (i?.status === 'ARCHIVED' && i.archiveKey === f.archiveKey) return;
          if (!pending(i) || !i) throw conditionFailed();
          Object.assign(i, {
            status: 'ARCHIVED',
            statusAt: f.archivedAt,
            ...f,
            leaseOwner: undefined,
            leaseUntil: undefined,
          });
        },
        markQuarantined: async (id, q) => {
          this.calls.push('markQuarantined');
          const i = this.items.get(id);
          if (i?.status === 'QUARANTINED') return;
          if (!pending(i) || !i) throw conditionFailed();
          Object.assign(i, {
            status: 'QUARANTINED',
            statusAt: q.at,
            quarantine: q,
            leaseOwner: undefined,
            leaseUntil: undefined,
          });
        },
      },
      objects: {
        headObject: async (bucket, key): Promise<ObjectHead | undefined> => {
          const o = this.object(bucket, key);
          if (!o) return undefined;
          return {
            size: o.body.length,
            sha256: o.checksum ? sha(o.body) : undefined,
            contentType: o.contentType,
            ...(o.versionId ? { versionId: o.versionId } : {}),
            metadata: { ...o.metadata },
          };
        },
        hashObject: async (bucket, key) => {
          this.calls.push('hashObject');
          const o = this.object(bucket, key);
          if (!o) throw new Error('NoSuchKey');
          return { sha256: sha(o.body), size: o.body.length };
        },
        readHead: async (bucket, key, length) => {
          const o = this.object(bucket, key);
          if (!o) throw new Error('NoSuchKey');
          return o.body.subarray(0, length);
        },
        copyObject: async (input: CopyInput) => {
          this.calls.push(`copy:${input.to.key}`);
          this.copies += 1;
          const o = this.object(input.from.bucket, input.from.key);
          if (!o) throw new Error('NoSuchKey');
          this.objects.set(`${input.to.bucket}/${input.to.key}`, {
            body: o.body,
            contentType: input.contentType,
            metadata: input.metadata,
            tags: input.tags,
            retainUntil: input.retainUntil,
            checksum: true,
            versionId: `v${this.copies}`,
          });
          return { versionId: `v${this.copies}` };
        },
        putJson: async (bucket, key, doc) => {
          this.objects.set(`${bucket}/${key}`, {
            body: Buffer.from(JSON.stringify(doc)),
            contentType: 'application/json',
            metadata: {},
            checksum: true,
          });
        },
        deleteObject: async (bucket, key) => {
          this.calls.push('deleteObject');
          this.objects.delete(`${bucket}/${key}`);
        },
      },
    };
  }
}

/** The ingest API's world: call records, catalogue entries, registers, holds and what was announced. */
export class FakeApiWorld {
  readonly calls = new Map<string, CallRecord>();
  readonly recordings = new Map<string, IngestRecording>();
  readonly areas = new Map<string, ServiceArea>();
  readonly extensions = new Map<string, Extension>();
  holds: Hold[] = [];
  /** Registrations committed (call record + catalogue entry written together). */
  registrations = 0;
  readonly pseudonymised: string[] = [];
  readonly counted: string[] = [];
  readonly staffNoted: string[] = [];
  holdReads = 0;
  /** Runs before the conditional write: a concurrent twin may register the call id first. */
  beforeRegister?: (call: CallRecord, recording: IngestRecording) => void;

  ports(config: IngestConfig): IngestApiDeps {
    return {
      config,
      registrations: {
        getCallRecord: async (id) => structuredClone(this.calls.get(id)),
        getRecording: async (id) => structuredClone(this.recordings.get(id)),
        register: async (call, recording) => {
          this.beforeRegister?.(call, recording);
          if (this.calls.has(call.callId)) return false;
          this.calls.set(call.callId, structuredClone(call));
          this.recordings.set(recording.recordingId, structuredClone(recording));
          this.registrations += 1;
          return true;
        },
      },
      areas: { get: async (id) => structuredClone(this.areas.get(id)) },
      extensions: { get: async (n) => structuredClone(this.extensions.get(n)) },
      holds: {
        listActiveHolds: async () => {
          this.holdReads += 1;
          return structuredClone(this.holds.filter((h) => h.status === 'ACTIVE'));
        },
      },
      pseudonymise: async (e164) => {
        this.pseudonymised.push(e164);
        return `pseudonym-${this.pseudonymised.length}`;
      },
      countRegistered: async (r) => {
        if (!this.counted.includes(r.recordingId)) this.counted.push(r.recordingId);
      },
      noteStaffInArea: async (staffId, area) => {
        const key = `${staffId}@${area}`;
        if (!this.staffNoted.includes(key)) this.staffNoted.push(key);
      },
      presignPut: async (input) => ({
        url: `https://${input.bucket}.example/${input.key}`,
        method: 'PUT',
        headers: {
          'content-type': input.contentType,
          'content-length': String(input.contentLength),
          'x-amz-checksum-sha256': Buffer.from(input.sha256Hex, 'hex').toString('base64'),
          'x-amz-server-side-encryption': 'aws:kms',
          'x-amz-server-side-encryption-aws-kms-key-id': input.kmsKeyId,
        },
        expiresAt: new Date(
          (input.now ?? new Date()).getTime() + input.expiresInSeconds * 1000,
        ).toISOString(),
      }),
    };
  }
}
