/**
 * A hash chain: each entry's hash covers its chain id, sequence number, time, payload and the previous
 * entry's hash. Editing, removing or reordering any entry breaks every link after it, and the verifier
 * names the first entry that no longer fits. Used by the audit log and the Release of Recording Log.
 */
import { createHash } from 'node:crypto';
import { type ChainLink, GENESIS_HASH, linkMaterial, verifyChainWith } from './chain-rules.js';

export {
  type ChainLink,
  type ChainVerdict,
  canonicalJson,
  GENESIS_HASH,
  linkMaterial,
  verifyChainWith,
} from './chain-rules.js';

export const linkHash = <P>(link: Omit<ChainLink<P>, 'hash'>): string =>
  createHash('sha256').update(linkMaterial(link)).digest('hex');

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

/**
 * Verifies links given in stored order. `from` lets a caller verify a tail that follows a trusted
 * checkpoint ({ seq, hash } of the link just before the first one given).
 */
export const verifyChain = (links: readonly ChainLink<unknown>[], from?: { seq: number; hash: string }) =>
  verifyChainWith(linkHash, links, from);
