/**
 * Signed, anchored checkpoints of the sharded access audit log, end to end on in-memory ports: the job
 * signs the Merkle tree head of the shard heads and anchors it outside the table; `crs verify-audit`'s
 * check names the first bad entry for an edited, removed or reordered entry, a forged checkpoint, cut-off
 * entries and deleted checkpoint rows, and refuses "OK" for an unsigned export.
 */
import type { AuditEntry, AuditLink } from '../../../functions/domain/audit.js';
import { AUDIT_CHECKPOINT_CHAIN, auditShard } from '../../../functions/domain/audit.js';
import { type ChainLink, nextLink } from '../../../functions/domain/hash-chain.js';
import {
  type AuditCheckpointLink,
  type AuditCheckpointPorts,
  AuditLogTamperedError,
  auditCheckpointJob,
} from '../../../functions/playback/audit-checkpoint.js';
import {
  AUDIT_EXPORT_FORMAT,
  type AuditExport,
  verifyAuditExport,
} from '../../../functions/playback/audit-export.js';
import { localSigner } from '../release/fakes.js';

const entry = (i: number): AuditEntry => ({
  actor: `staff-${i % 3}`,
  action: 'view',
  recordingId: `rec-${i}`,
  outcome: i % 2 ? 'denied' : 'allowed',
  rule: 'test',
  correlationId: `corr-${i}`,
});

const memoryAuditLog = () => {
  const chains = new Map<string, ChainLink<unknown>[]>();
  const anchors: AuditCheckpointLink[] = [];
  let clock = Date.parse('2026-06-01T10:00:00Z');
  const now = () => {
    clock += 1000;
    return new Date(clock);
  };
  const append = (chain: string, payload: unknown) => {
    const links = chains.get(chain) ?? [];
    const link = nextLink(chain, links.at(-1), payload, now());
    chains.set(chain, [...links, link]);
    return link;
  };
  const signer = localSigner();
  const ports: AuditCheckpointPorts = {
    heads: async () =>
      [...chains.entries()]
        .filter(([c, l]) => c !== AUDIT_CHECKPOINT_CHAIN && l.length > 0)
        .map(([chain, l]) => ({ chain, seq: l.at(-1)?.seq as number, hash: l.at(-1)?.hash as string })),
    hashAt: async (chain, seq) => chains.get(chain)?.find((l) => l.seq === seq)?.hash,
    linksAfter: async (chain, after) => (chains.get(chain) ?? []).filter((l) => l.seq > after) as AuditLink[],
    lastCheckpoint: async () => chains.get(AUDIT_CHECKPOINT_CHAIN)?.at(-1) as AuditCheckpointLink | undefined,
    appendCheckpoint: async (payload) => append(AUDIT_CHECKPOINT_CHAIN, payload) as AuditCheckpointLink,
    anchors: {
      put: async (doc) => {
        anchors.unshift(structuredClone(doc));
      },
      newest: async () => anchors[0],
    },
    signer,
    now,
  };
  const fill = (n: number, from = 0) => {
    for (let i = from; i < from + n; i += 1) append(auditShard(i % 3), entry(i));
  };
  const exported = (): AuditExport => ({
    format: AUDIT_EXPORT_FORMAT,
    entries: [...chains.entries()]
      .filter(([c]) => c !== AUDIT_CHECKPOINT_CHAIN)
      .flatMap(([, l]) => structuredClone(l)) as AuditLink[],
    checkpoints: structuredClone(chains.get(AUDIT_CHECKPOINT_CHAIN) ?? []) as AuditCheckpointLink[],
    anchored: anchors.slice(0, 1).map((a) => structuredClone(a)),
  });
  return { chains, anchors, ports, fill, exported, publicKey: signer.keys.publicKey };
};

const firstFailure = (result: ReturnType<typeof verifyAuditExport>) =>
  result.ok ? undefined : result.failures[0];

describe('audit log checkpoints', () => {
  it('signs the tree head of every shard and anchors it; the export verifies', async () => {
    // Arrange
    const log = memoryAuditLog();
    log.fill(9);
    // Act
    const outcome = await auditCheckpointJob(log.ports);
    // Assert
    expect(outcome).toMatchObject({ signed: true, entries: 9, shards: 3 });
    expect(log.anchors).toHaveLength(1);
    expect(verifyAuditExport(log.exported(), log.publicKey)).toMatchObject({
      ok: true,
      entries: 9,
      chains: 3,
      attested: 9,
      signed: true,
    });
  });

  it('refuses "OK" for an export nothing signs, unless asked to accept it', () => {
    // Arrange
    const log = memoryAuditLog();
    log.fill(4);
    // Act
    const strict = verifyAuditExport(log.exported(), log.publicKey);
    const lenient = verifyAuditExport(log.exported(), log.publicKey, { acceptUnsigned: true });
    // Assert
    expect(strict.ok).toBe(false);
    expect(firstFailure(strict)?.reason).toMatch(/^unsigned/);
    expect(lenient).toMatchObject({ ok: true, signed: false });
  });

  const TAMPERS: Record<string, [(exp: AuditExport) => void, RegExp, RegExp]> = {
    'an edited entry': [
      (exp) => {
        (exp.entries[4]?.payload as { outcome: string }).outcome = 'allowed-edited';
      },
      /^entry audit#01 seq 2/,
      /edited/,
    ],
    'a removed entry': [(exp) => exp.entries.splice(1, 1), /^entry audit#00 seq 3/, /removed/],
    'reordered entries': [
      (exp) => {
        const [a, b] = [exp.entries[0], exp.entries[1]] as [AuditLink, AuditLink];
        exp.entries.splice(0, 2, b, a);
      },
      /^entry audit#00 seq 2/,
      /removed or reordered/,
    ],
    'a forged checkpoint': [
      (exp) => {
        const cp = exp.checkpoints[0] as { payload: { entries: number } };
        cp.payload.entries = 99;
      },
      /^checkpoint seq 1/,
      /./,
    ],
    'entries cut off the end': [
      (exp) => {
        exp.entries.splice(
          exp.entries.findIndex((e) => e.chain === auditShard(2) && e.seq === 3),
          1,
        );
      },
      /^entry audit#02 seq 3/,
      /missing, but checkpoint seq 1/,
    ],
    'deleted checkpoint rows': [
      (exp) => exp.checkpoints.splice(0),
      /^checkpoint seq 1 anchored in the archive/,
      /not among the checkpoints/,
    ],
  };

  it.each(Object.keys(TAMPERS))('names the first bad entry for %s', async (name) => {
    // Arrange
    const log = memoryAuditLog();
    log.fill(9);
    await auditCheckpointJob(log.ports);
    const exp = log.exported();
    const [tamper, where, why] = TAMPERS[name] as [(e: AuditExport) => void, RegExp, RegExp];
    // Act
    tamper(exp);
    const result = verifyAuditExport(exp, log.publicKey);
    // Assert
    expect(result.ok).toBe(false);
    expect(firstFailure(result)?.entry).toMatch(where);
    expect(firstFailure(result)?.reason).toMatch(why);
  });

  it('refuses to sign over a log whose anchored head was cut off or rebuilt', async () => {
    // Arrange
    const log = memoryAuditLog();
    log.fill(9);
    await auditCheckpointJob(log.ports);
    // Act: cut the newest entry of one shard and delete the checkpoint rows, then append more.
    log.chains.get(auditShard(0))?.pop();
    log.chains.delete(AUDIT_CHECKPOINT_CHAIN);
    log.fill(3, 20);
    // Assert
    await expect(auditCheckpointJob(log.ports)).rejects.toBeInstanceOf(AuditLogTamperedError);
    expect(log.anchors).toHaveLength(1);
  });

  it('signs nothing new when nothing was appended, but anchors a checkpoint that never was', async () => {
    // Arrange
    const log = memoryAuditLog();
    log.fill(4);
    await auditCheckpointJob(log.ports);
    log.anchors.splice(0);
    // Act
    const outcome = await auditCheckpointJob(log.ports);
    // Assert
    expect(outcome).toMatchObject({ signed: false, anchoredNow: true });
    expect(log.anchors).toHaveLength(1);
    expect(log.chains.get(AUDIT_CHECKPOINT_CHAIN)).toHaveLength(1);
  });
});
