/**
 * Appends access audit entries to one of many hash chains (shards), one conditional put per entry when
 * this process already knows the shard's head — the usual case once warm.
 *
 * - Each process keeps the head it last wrote or saw for each shard, and runs its own appends to one shard
 *   one after another (a lane), picking the least-busy shard, so its own requests never race each other.
 * - Another process may have written the shard meanwhile: the put's condition (the seq is new) fails and
 *   DynamoDB returns the entry that holds that seq, which becomes the head for the next try (no read).
 *   After SWITCH_AFTER lost races the append moves to another shard, and later appends prefer shards no
 *   other process was seen on, so processes spread out over the shards.
 * - Short, bounded retries with jittered backoff; when they run out the append throws
 *   AuditUnavailableError (a 503 that says the attempt could not be recorded), never a silent loss.
 *   Failures (the store erred) and lost races (another process appended: the store is fine and others
 *   progress) have separate budgets: a process stalled by its event loop (GC, a busy container) keeps
 *   arriving second to busy shards, and that must cost it latency, not a 503.
 */
import type { AuditEntry, AuditLink } from '../domain/audit.js';
import { AuditUnavailableError } from '../domain/errors.js';
import { type ChainLink, nextLink } from '../domain/hash-chain.js';
import { backoffDelay } from '../platform/retry.js';

export type Head = Pick<ChainLink<unknown>, 'seq' | 'hash'>;

/** What the writer needs from storage (chain-store.ts implements it on DynamoDB). */
export interface ShardStore {
  /** The newest link of `chain` (a consistent read), undefined when the chain is empty. */
  readHead(chain: string): Promise<Head | undefined>;
  /**
   * Writes `link` only if its (chain, seq) is free. When taken, `occupant` is the link holding that seq
   * (as returned by the failed condition), or undefined if the store could not say.
   */
  putIfNew(
    link: AuditLink,
    indexAttributes: Record<string, string>,
  ): Promise<{ written: true } | { written: false; occupant?: Head }>;
}

export interface AuditWriterOptions {
  readonly shards: readonly string[];
  readonly indexAttributes: (entry: AuditEntry, link: AuditLink) => Record<string, string>;
  readonly maxAttempts?: number;
  readonly maxLostRaces?: number;
  readonly random?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface AuditWriter {
  append(entry: AuditEntry, now: () => Date): Promise<AuditLink>;
  /** Starts reading a free shard's head if no free shard's head is known (overlaps a request's reads). */
  warm(): void;
}

/** Failed store calls per append, all shards together, before it gives up. */
export const MAX_ATTEMPTS = 10;
/** Races lost to other processes per append, all shards together, before it gives up. */
export const MAX_LOST_RACES = 60;
const SWITCH_AFTER = 3;
const BACKOFF_CAP_MS = 100;
/** The platform's full-jitter backoff, shorter: a request waits on its audit entry. */
const AUDIT_BACKOFF = { baseMs: 4, capMs: BACKOFF_CAP_MS };

interface Lane {
  readonly chain: string;
  /** undefined: unknown (read it); null: known empty. */
  head: Head | null | undefined;
  loading?: Promise<void>;
  pending: number;
  tail: Promise<unknown>;
  /** Another process wrote here while this one did: later appends prefer other shards. */
  contended: boolean;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const auditWriter = (store: ShardStore, options: AuditWriterOptions): AuditWriter => {
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? defaultSleep;
  const maxAttempts = options.maxAttempts ?? MAX_ATTEMPTS;
  const maxLostRaces = options.maxLostRaces ?? MAX_LOST_RACES;
  const lanes: Lane[] = options.shards.map((chain) => ({
    chain,
    head: undefined,
    pending: 0,
    tail: Promise.resolve(),
    contended: false,
  }));

  /**
   * The least busy lane not in `avoid`: first one whose head is known (or loading) and that no other
   * process was seen writing, then any such uncontended lane (a read away), then any; ties at random.
   */
  const pick = (avoid: ReadonlySet<Lane>): Lane => {
    const open = lanes.filter((l) => !avoid.has(l));
    const pool = open.length > 0 ? open : lanes;
    const least = Math.min(...pool.map((l) => l.pending));
    const idle = pool.filter((l) => l.pending === least);
    const quiet = idle.filter((l) => !l.contended);
    const warm = quiet.filter((l) => l.head !== undefined || l.loading);
    const from = warm.length > 0 ? warm : quiet.length > 0 ? quiet : idle;
    return from[Math.floor(random() * from.length)] as Lane;
  };

  const load = (lane: Lane): Promise<void> => {
    lane.loading ??= store
      .readHead(lane.chain)
      .then((head) => {
        lane.head = head ? { seq: head.seq, hash: head.hash } : null;
      })
      .finally(() => {
        lane.loading = undefined;
      });
    return lane.loading;
  };

  /** Runs `work` after the lane's earlier appends in this process. */
  const onLane = <T>(lane: Lane, work: () => Promise<T>): Promise<T> => {
    lane.pending += 1;
    const run = lane.tail.then(work);
    lane.tail = run.catch(() => undefined);
    return run.finally(() => {
      lane.pending -= 1;
    });
  };

  const backoff = (attempt: number) => sleep(backoffDelay(attempt, random, AUDIT_BACKOFF));

  return {
    warm() {
      const lane = pick(new Set());
      if (lane.head === undefined) load(lane).catch(() => undefined);
    },

    async append(entry, now) {
      let failures = 0;
      let races = 0;
      let lastError: unknown;
      const tried = new Set<Lane>();
      const more = () => failures < maxAttempts && races < maxLostRaces;
      while (more()) {
        if (tried.size === lanes.length) tried.clear();
        const lane = pick(tried);
        tried.add(lane);
        const link = await onLane(lane, async (): Promise<AuditLink | undefined> => {
          for (let lost = 0; lost < SWITCH_AFTER && more(); ) {
            try {
              if (lane.head === undefined) await load(lane);
              const candidate = nextLink(lane.chain, lane.head ?? undefined, entry, now());
              const put = await store.putIfNew(candidate, options.indexAttributes(entry, candidate));
              if (put.written) {
                lane.head = { seq: candidate.seq, hash: candidate.hash };
                return candidate;
              }
              // Another process took this seq: continue after the entry that holds it.
              lane.head = put.occupant ? { seq: put.occupant.seq, hash: put.occupant.hash } : undefined;
              lane.contended = true;
              races += 1;
            } catch (error) {
              lastError = error;
              lane.head = undefined;
              failures += 1;
            }
            lost += 1;
            await backoff(failures + Math.min(races, 6));
          }
          return undefined;
        });
        if (link) return link;
      }
      throw new AuditUnavailableError(failures + races, lastError);
    },
  };
};
