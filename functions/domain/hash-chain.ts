/**
 * A hash chain: each entry's hash covers its chain id, sequence number, time, payload and the previous
 * entry's hash. Editing, removing or reordering any entry breaks every link after it, and the verifier
 * names the first entry that no longer fits. Used by the audit log and the Release of Recording Log.
 */
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export interface ChainLink<P> {
  readonly chain: string;
  readonly seq: number;
  readonly at: string;
  readonly payload: P;
  readonly prevHash: string;
  readonly hash: string;
}

/** JSON with object keys sorted at every depth, so the same value always hashes the same. */
export const canonicalJson = (value: unknown): string => {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
};

export const linkHash = <P>(link: Omit<ChainLink<P>, 'hash'>): string =>
  createHash('sha256')
    .update(
      canonicalJson({
        chain: link.chain,
        seq: link.seq,
        at: link.at,
        payload: link.payload,
        prevHash: link.prevHash,
      }),
    )
    .digest('hex');

/** The link that follows `head` (or starts the chain when `head` is undefined). */
export const nextLink = <P>(
  chain: string,
  head: Pick<ChainLink<unknown>, 'seq' | 'hash'> | undefined,
  payload: P,
  at: Date,
): ChainLink<P> => {
  const base = {
    chain,
    seq: head ? head.seq + 1 : 1,
    at: at.toISOString(),
    payload,
    prevHash: head?.hash ?? GENESIS_HASH,
  };
  return { ...base, hash: linkHash(base) };
};

export type ChainVerdict =
  | { ok: true; count: number; head?: { seq: number; hash: string } }
  | { ok: false; count: number; firstBadSeq: number; position: number; reason: string };

/**
 * Verifies links given in stored order. `from` lets a caller verify a tail that follows a trusted
 * checkpoint ({ seq, hash } of the link just before the first one given).
 */
export const verifyChain = (
  links: readonly ChainLink<unknown>[],
  from: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH },
): ChainVerdict => {
  let expectedSeq = from.seq + 1;
  let prevHash = from.hash;
  for (const [position, link] of links.entries()) {
    const bad = (reason: string): ChainVerdict => ({
      ok: false,
      count: links.length,
      firstBadSeq: link.seq,
      position,
      reason,
    });
    if (link.seq !== expectedSeq)
      return bad(`expected sequence ${expectedSeq}, found ${link.seq} (entry removed or reordered)`);
    if (link.prevHash !== prevHash)
      return bad('previous-hash link broken (an earlier entry was changed, removed or reordered)');
    if (linkHash(link) !== link.hash) return bad('content does not match its hash (entry edited)');
    expectedSeq += 1;
    prevHash = link.hash;
  }
  const last = links.at(-1);
  return { ok: true, count: links.length, head: last ? { seq: last.seq, hash: last.hash } : undefined };
};
