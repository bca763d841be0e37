/**
 * The rules of a hash chain without a hash function: what each link's hash covers (its canonical JSON)
 * and how a chain is checked link by link. Free of node:crypto, so the staff portal runs the very same
 * rules in the browser with WebCrypto (web/src/log-check.ts); hash-chain.ts adds SHA-256 from node.
 */

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

/** The text a link's SHA-256 is taken over. */
export const linkMaterial = <P>(link: Omit<ChainLink<P>, 'hash'>): string =>
  canonicalJson({
    chain: link.chain,
    seq: link.seq,
    at: link.at,
    payload: link.payload,
    prevHash: link.prevHash,
  });

export type ChainVerdict =
  | { ok: true; count: number; head?: { seq: number; hash: string } }
  | { ok: false; count: number; firstBadSeq: number; position: number; reason: string };

/**
 * Verifies links given in stored order, with `hashOf` computing a link's hash (SHA-256 of
 * `linkMaterial`). `from` lets a caller verify a tail that follows a trusted checkpoint ({ seq, hash }
 * of the link just before the first one given).
 */
export const verifyChainWith = (
  hashOf: (link: ChainLink<unknown>) => string,
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
    if (hashOf(link) !== link.hash) return bad('content does not match its hash (entry edited)');
    expectedSeq += 1;
    prevHash = link.hash;
  }
  const last = links.at(-1);
  return { ok: true, count: links.length, head: last ? { seq: last.seq, hash: last.hash } : undefined };
};
