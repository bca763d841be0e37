/** Signed checkpoints of the Release of Recording Log: signed every few entries, anchored in the archive. */

import { type ChainLink, verifyChain } from '../domain/hash-chain.js';
import type { ReleaseLogPayload } from '../domain/release.js';
import {
  type CheckpointPayload,
  checkpointMessage,
  ENTRY_CHAIN,
  SIGNING_ALGORITHM,
} from '../domain/release-log-format.js';
import type { ReleaseDeps } from '../ports/release.js';

/** Signs the head every `checkpointEvery` entries. */
export const checkpointIfDue = async (deps: ReleaseDeps, link: ChainLink<ReleaseLogPayload>) => {
  if (link.seq % deps.config.checkpointEvery === 0) await signHead(deps, { seq: link.seq, hash: link.hash });
  return link;
};

/** The log no longer extends its newest anchored checkpoint (cut, rebuilt or edited): nothing is signed. */
export class ReleaseLogTamperedError extends Error {}

/**
 * The newest checkpoint anchored in the archive must still hold in the table: its row, the entry it
 * signed (same hash) and every entry after it linking up from there. Otherwise signing the current head
 * would attest a cut or rebuilt log.
 */
export const checkAnchorHolds = async (deps: ReleaseDeps) => {
  const anchored = await deps.anchors.newest();
  if (!anchored) return undefined;
  const { headSeq, headHash } = anchored.payload;
  const rows = await deps.log.checkpoints();
  if (!rows.some((c) => c.seq === anchored.seq && c.hash === anchored.hash))
    throw new ReleaseLogTamperedError(
      `checkpoint seq ${anchored.seq} anchored in the archive is missing from the table (rows deleted?)`,
    );
  const [signed] = await deps.log.entriesAfter(headSeq - 1, 1);
  if (signed?.seq !== headSeq || signed.hash !== headHash)
    throw new ReleaseLogTamperedError(
      `entry seq ${headSeq}, signed in anchored checkpoint seq ${anchored.seq}, is ${signed?.seq === headSeq ? 'rewritten' : 'gone (entries cut off)'}`,
    );
  const after = verifyChain(await deps.log.entriesAfter(headSeq, Number.POSITIVE_INFINITY), {
    seq: headSeq,
    hash: headHash,
  });
  if (!after.ok) throw new ReleaseLogTamperedError(`entry seq ${after.firstBadSeq}: ${after.reason}`);
  return anchored;
};

export const signHead = async (deps: ReleaseDeps, head: { seq: number; hash: string }) => {
  await checkAnchorHolds(deps);
  const signedAt = deps.now().toISOString();
  const unsigned = { checkpointOf: ENTRY_CHAIN, headSeq: head.seq, headHash: head.hash, signedAt };
  const { signature, keyId } = await deps.signer.sign(checkpointMessage(unsigned));
  const payload: CheckpointPayload = {
    ...unsigned,
    keyId,
    algorithm: SIGNING_ALGORITHM,
    signature: signature.toString('base64'),
  };
  // The row first: an anchor without its row means the row was deleted.
  const link = await deps.log.appendCheckpoint(payload);
  await deps.anchors.put(link, signedAt);
  return link;
};
