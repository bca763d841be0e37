import { ForbiddenError, ValidationError } from '../domain/errors.js';
import type { ChainLink } from '../domain/hash-chain.js';
import { isReleaseOverseer, type ReleaseLogEvent, type ReleaseLogPayload } from '../domain/release.js';
import { CHECKPOINT_CHAIN, ENTRY_CHAIN, SIGNING_ALGORITHM } from '../domain/release-log-format.js';
import type { Principal } from '../domain/roles.js';
import { type CursorShape, decodeCursor, encodeCursor } from '../platform/page-cursor.js';
import type { ReleaseDeps } from '../ports/release.js';

export interface LogFilter {
  readonly releaseId?: string;
  readonly requester?: string;
  readonly event?: ReleaseLogEvent;
  readonly from?: string;
  readonly to?: string;
}

export interface LogPaging {
  /** Entries per page of the full export, 1–1000. */
  readonly limit?: number;
  /** The `cursor` of the previous page. */
  readonly cursor?: string;
}

export const LOG_PAGE_LIMIT = 1000;
/**
 * A page's entries stay under this many bytes, measured as they travel in the Lambda response (the JSON
 * body is escaped once more inside it), well inside its 6 MB cap however long the entries' free text.
 */
export const LOG_PAGE_BYTES = 4_000_000;

/** How many of `entries` fit in `budget` bytes; always at least one, so every page moves on. */
const fitting = (entries: readonly ChainLink<ReleaseLogPayload>[], budget: number): number => {
  let used = 0;
  for (const [n, entry] of entries.entries()) {
    used += Buffer.byteLength(JSON.stringify(JSON.stringify(entry)));
    if (n > 0 && used > budget) return n;
  }
  return entries.length;
};

// A page cursor is the table key of the last entry returned, as DynamoDB's LastEvaluatedKey would be.
const ENTRY_CURSOR: CursorShape = { partition: ['chain', ENTRY_CHAIN], keys: ['chain', 'seq'] };
const CURSOR_FIELD = 'query.cursor';
const CURSOR_EXPECTED = 'a cursor returned by the previous page of GET /release-log';

const afterSeqOf = (cursor: string | undefined): number => {
  if (cursor === undefined) return 0;
  const { seq } = decodeCursor(cursor, ENTRY_CURSOR);
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1)
    throw new ValidationError(CURSOR_FIELD, CURSOR_EXPECTED);
  return seq;
};

const refuseFilteredPaging = (paging: LogPaging) => {
  const why = 'paging applies to the full export only (no releaseId, requester, event, from or to)';
  if (paging.cursor !== undefined) throw new ValidationError(CURSOR_FIELD, why);
  if (paging.limit !== undefined) throw new ValidationError('query.limit', why);
};

/**
 * A page of the full export: the entries after the cursor, one more read to tell whether another page
 * follows. The last page carries the checkpoints, cut to those that sign an entry already returned (a
 * checkpoint signed after the entries were read would attest an entry the export does not hold).
 */
const readLogPage = async (deps: ReleaseDeps, paging: LogPaging) => {
  const limit = paging.limit ?? LOG_PAGE_LIMIT;
  const afterSeq = afterSeqOf(paging.cursor);
  // Read before the entries: whatever it signed was in the log already, so the export must hold it.
  const anchored = await deps.anchors.newest();
  const read = await deps.log.entriesAfter(afterSeq, limit + 1);
  // Only a page with more entries after it hands out a cursor, so a cursor always has entries after it.
  if (paging.cursor !== undefined && read.length === 0)
    throw new ValidationError(CURSOR_FIELD, CURSOR_EXPECTED);
  const entries = read.slice(0, fitting(read.slice(0, limit), deps.config.logPageBytes ?? LOG_PAGE_BYTES));
  const lastSeq = entries.at(-1)?.seq ?? afterSeq;
  const page = { afterSeq, lastSeq, limit };
  if (read.length > entries.length)
    return {
      complete: false,
      page,
      entries,
      checkpoints: [],
      anchored: [],
      cursor: encodeCursor({ chain: ENTRY_CHAIN, seq: lastSeq }),
    };
  const signed = await deps.log.checkpoints();
  const beyond = signed.findIndex(
    (c) => c.payload.checkpointOf === ENTRY_CHAIN && c.payload.headSeq > lastSeq,
  );
  const checkpoints = beyond === -1 ? signed : signed.slice(0, beyond);
  return { complete: afterSeq === 0, page, entries, checkpoints, anchored: anchored ? [anchored] : [] };
};

const readLog = async (deps: ReleaseDeps, filter: LogFilter, paging: LogPaging) => {
  const full = !filter.releaseId && !filter.requester && !filter.event && !filter.from && !filter.to;
  if (full) return readLogPage(deps, paging);
  refuseFilteredPaging(paging);
  const source = filter.releaseId
    ? await deps.log.entriesOf({ releaseId: filter.releaseId })
    : filter.requester
      ? await deps.log.entriesOf({ requester: filter.requester })
      : await deps.log.entries();
  const entries = source
    .filter((e) => !filter.releaseId || e.payload.releaseId === filter.releaseId)
    .filter((e) => !filter.requester || e.payload.requester === filter.requester)
    .filter((e) => !filter.event || e.payload.event === filter.event)
    .filter((e) => !filter.from || e.at >= filter.from)
    .filter((e) => !filter.to || e.at <= filter.to);
  // Checkpoints travel with the full export only: a filtered view cannot be verified as a chain.
  return { complete: false, entries, checkpoints: [], anchored: [] };
};

/**
 * GET /release-log. A refusal is put on the access audit log, then answered 403. An allowed read is put
 * there after its input has been checked and the page read, before anything is answered: a bad cursor
 * writes nothing, and a read the audit log cannot record answers no log.
 */
export const readReleaseLog = async (
  deps: ReleaseDeps,
  principal: Principal,
  filter: LogFilter,
  paging: LogPaging = {},
  correlationId = '',
) => {
  const asked = Object.entries({ ...filter, ...paging }).filter(([, v]) => v !== undefined);
  const read = {
    actor: principal.staffId,
    filters: {
      log: 'release-of-recording-log',
      ...Object.fromEntries(asked.map(([k, v]) => [k, String(v)])),
    },
    correlationId,
  };
  if (!isReleaseOverseer(principal)) {
    await deps.auditLogRead({ ...read, allowed: false });
    throw new ForbiddenError(
      's6.release-log-keeper',
      'the Release of Recording Log is read by Corporate Customer Services (release-log-keeper) and IG officers',
    );
  }
  const log = await readLog(deps, filter, paging);
  await deps.auditLogRead({ ...read, allowed: true });
  return log;
};

export const releaseLogPublicKey = async (deps: ReleaseDeps) => {
  const { keyId, spkiDer } = await deps.signer.publicKey();
  const b64 = spkiDer.toString('base64');
  const pem = `-----BEGIN PUBLIC KEY-----\n${b64.match(/.{1,64}/g)?.join('\n')}\n-----END PUBLIC KEY-----\n`;
  return {
    keyId,
    keySpec: 'ECC_NIST_P256',
    algorithm: SIGNING_ALGORITHM,
    publicKeyPem: pem,
    checkpointChain: CHECKPOINT_CHAIN,
  };
};
