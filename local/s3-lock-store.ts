/**
 * Per-object state the S3 emulator keeps beside s3rver's data (lock, version id, stored SHA-256), in
 * `.local/s3-object-lock.json` plus an append-only journal.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { RESET_HINT, StartupError } from './errors.js';
import { readJsonState, writeJsonAtomicSync } from './files.js';

export type LockMode = 'GOVERNANCE' | 'COMPLIANCE';

export interface ObjectLockState {
  mode?: LockMode;
  retainUntil?: string;
  legalHold?: 'ON' | 'OFF';
  /** Absent on buckets without Object Lock (no versioning there). */
  versionId?: string;
  /** Full-object SHA-256 (base64), as S3 stores it when a write carries or asks for one. */
  checksumSha256?: string;
}

/**
 * Per-object state (lock, version id, stored SHA-256) beside s3rver's data: a snapshot (`path`, the
 * `{ objects }` JSON) plus an append-only journal (`path.journal`, one JSON line per change). A change
 * costs one append, not a rewrite of every object: changes made while an append is in flight go out
 * together in the next one, and each promise resolves once its line is written (before the reply).
 * At start-up the journal is replayed onto the snapshot and compacted (snapshot written atomically,
 * then the journal emptied); a torn last line — a crash mid-append — is dropped, as the change it
 * carried was never acknowledged.
 */
export class LockStore {
  private readonly objects: Record<string, ObjectLockState>;
  private readonly journal: string;
  private pending: string[] = [];
  private flushing: Promise<void> | undefined;

  constructor(path: string) {
    const isFile = (v: unknown): v is { objects: Record<string, ObjectLockState> } =>
      typeof v === 'object' && v !== null && typeof (v as { objects?: unknown }).objects === 'object';
    this.objects = readJsonState(path, isFile)?.objects ?? {};
    this.journal = `${path}.journal`;
    if (existsSync(this.journal)) {
      const lines = readFileSync(this.journal, 'utf8').split('\n');
      lines.forEach((line, i) => {
        if (!line) return;
        let change: JournalLine;
        try {
          change = JSON.parse(line) as JournalLine;
        } catch (error) {
          if (i === lines.length - 1) return; // torn last line: never acknowledged
          const reason = error instanceof Error ? error.message : String(error);
          throw new StartupError(`${this.journal} line ${i + 1} is unreadable (${reason}): ${RESET_HINT}`);
        }
        if (change.v) this.objects[change.k] = change.v;
        else delete this.objects[change.k];
      });
      writeJsonAtomicSync(path, { objects: this.objects });
      writeFileSync(this.journal, '', { mode: 0o600 });
    }
  }

  get(bucket: string, key: string): ObjectLockState | undefined {
    return this.objects[`${bucket}/${key}`];
  }

  set(bucket: string, key: string, state: ObjectLockState): Promise<void> {
    this.objects[`${bucket}/${key}`] = state;
    return this.append({ k: `${bucket}/${key}`, v: state });
  }

  delete(bucket: string, key: string): Promise<void> {
    const k = `${bucket}/${key}`;
    if (!(k in this.objects)) return this.flushed();
    delete this.objects[k];
    return this.append({ k });
  }

  /** Resolves once every change made so far is in the journal. */
  flushed(): Promise<void> {
    return this.flushing ?? Promise.resolve();
  }

  private append(change: JournalLine): Promise<void> {
    this.pending.push(`${JSON.stringify(change)}\n`);
    // An append in flight writes every queued line before it settles.
    return this.flushing ?? this.flush();
  }

  /** Writes the queued lines in one append; lines queued meanwhile go in the next one. */
  private flush(): Promise<void> {
    const run = async (): Promise<void> => {
      while (this.pending.length > 0) {
        const batch = this.pending.join('');
        this.pending = [];
        await appendFile(this.journal, batch, { mode: 0o600 });
      }
    };
    this.flushing = run().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }
}

interface JournalLine {
  readonly k: string;
  readonly v?: ObjectLockState;
}

export const newVersionId = (): string => randomBytes(24).toString('base64url');
