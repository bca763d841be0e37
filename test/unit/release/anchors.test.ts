/**
 * Issue 11, 5b: each signed checkpoint of the Release of Recording Log is anchored outside its table, so
 * cutting the newest entries off, or rebuilding the chain and deleting the checkpoint rows, fails
 * verification (it said OK before), the checkpoint job refuses to sign the forged head, and an export
 * nothing signs is "unsigned", not OK.
 */
import { nextLink } from '../../../functions/domain/hash-chain.js';
import { ENTRY_CHAIN, type LogExport, verifyExport } from '../../../functions/domain/release-log-format.js';
import { releaseRoutes } from '../../../functions/release/routes.js';
import { ReleaseLogTamperedError } from '../../../functions/release/use-cases-checkpoints.js';
import { releaseLogCheckpointJob } from '../../../functions/release/use-cases-jobs.js';
import { invoke } from '../support/http.js';
import { requestAndApprove, testDeps } from './fakes.js';

const KEEPER = { staffId: 'ccs-1', groups: ['role:release-log-keeper'] };

const setup = async (approvals = 6) => {
  const t = testDeps({ checkpointEvery: 1000 });
  const handler = releaseRoutes(t.deps);
  for (let i = 0; i < approvals; i += 1) await requestAndApprove(handler, i);
  const exportLog = async (): Promise<LogExport> =>
    (await invoke<LogExport>(handler, 'GET /release-log', { ...KEEPER })).json;
  return { t, handler, exportLog, key: t.signer.keys.publicKey };
};

const first = (r: ReturnType<typeof verifyExport>) => (r.ok ? undefined : r.failures[0]);

describe('anchored release log checkpoints', () => {
  it('anchors each checkpoint the job signs, and the export carries the newest', async () => {
    // Arrange
    const { t, exportLog, key } = await setup();
    // Act
    await releaseLogCheckpointJob(t.deps);
    const exp = await exportLog();
    // Assert
    expect(t.anchored).toHaveLength(1);
    expect(exp.anchored).toEqual([t.log.rows.checkpoints.at(-1)]);
    expect(verifyExport(exp, key)).toMatchObject({ ok: true, attestedTo: 12 });
  });

  it('fails verification when the newest entries are cut off the table', async () => {
    // Arrange
    const { t, exportLog, key } = await setup();
    await releaseLogCheckpointJob(t.deps);
    // Act: delete the last entry; the table's checkpoint signing it drops out of the export.
    t.log.rows.entries.pop();
    const result = verifyExport(await exportLog(), key);
    // Assert
    expect(result.ok).toBe(false);
    expect(first(result)).toMatchObject({ entry: 'entry seq 12', reason: expect.stringMatching(/cut off/) });
  });

  it('fails verification of a rebuilt chain whose checkpoint rows were deleted, and will not sign it', async () => {
    // Arrange
    const { t, exportLog, key } = await setup();
    await releaseLogCheckpointJob(t.deps);
    // Act: rewrite entry 3 and re-link every later entry; delete the checkpoint rows.
    const rows = t.log.rows.entries;
    const rebuilt = [...rows.slice(0, 2)];
    for (const old of rows.slice(2)) {
      const payload = old.seq === 3 ? { ...old.payload, actor: 'someone-else' } : old.payload;
      rebuilt.push(nextLink(ENTRY_CHAIN, rebuilt.at(-1), payload, new Date(old.at)));
    }
    rows.splice(0, rows.length, ...rebuilt);
    t.log.rows.checkpoints.splice(0);
    const result = verifyExport(await exportLog(), key);
    // Assert
    expect(result.ok).toBe(false);
    expect(first(result)?.reason).toMatch(/cut off or rebuilt/);
    await expect(releaseLogCheckpointJob(t.deps)).rejects.toBeInstanceOf(ReleaseLogTamperedError);
    expect(t.log.rows.checkpoints).toHaveLength(0);
  });

  it('says "unsigned" for an export nothing signs, unless asked to accept it', async () => {
    // Arrange
    const { exportLog, key } = await setup(2);
    const exp = await exportLog();
    // Act
    const strict = verifyExport(exp, key);
    const accepted = verifyExport(exp, key, { acceptUnsigned: true });
    // Assert
    expect(first(strict)?.reason).toMatch(/^unsigned/);
    expect(accepted).toMatchObject({ ok: true, attestedTo: 0 });
  });
});

// Each check of the anchored checkpoint alone: the cases above break several at once (g-uc-release survivors).
describe('the checkpoint job refuses to sign when one check of the anchored checkpoint fails', () => {
  const refused = async (t: Awaited<ReturnType<typeof setup>>['t'], reason: RegExp) => {
    const before = t.log.rows.checkpoints.length;
    await expect(releaseLogCheckpointJob(t.deps)).rejects.toThrow(reason);
    await expect(releaseLogCheckpointJob(t.deps)).rejects.toBeInstanceOf(ReleaseLogTamperedError);
    expect(t.log.rows.checkpoints).toHaveLength(before);
  };

  it('refuses when the anchored checkpoint row is deleted, the entries untouched', async () => {
    // Arrange
    const { t } = await setup();
    await releaseLogCheckpointJob(t.deps);
    // Act
    t.log.rows.checkpoints.splice(0);
    // Assert
    await refused(t, /anchored in the archive is missing from the table/);
  });

  it('refuses when the anchored checkpoint row is edited (same seq, another hash)', async () => {
    // Arrange
    const { t } = await setup();
    await releaseLogCheckpointJob(t.deps);
    // Act
    const row = t.log.rows.checkpoints.pop();
    if (!row) throw new Error('no checkpoint');
    t.log.rows.checkpoints.push({ ...row, hash: 'f'.repeat(64) });
    // Assert
    await refused(t, /anchored in the archive is missing from the table/);
  });

  it('refuses when the entry the anchored checkpoint signed is cut off', async () => {
    // Arrange
    const { t } = await setup();
    await releaseLogCheckpointJob(t.deps);
    // Act
    t.log.rows.entries.pop();
    // Assert
    await refused(t, /entry seq 12, signed in anchored checkpoint seq \d+, is gone \(entries cut off\)/);
  });

  it('refuses when the entry the anchored checkpoint signed is rewritten (same seq, another hash)', async () => {
    // Arrange
    const { t } = await setup();
    await releaseLogCheckpointJob(t.deps);
    // Act
    const last = t.log.rows.entries.pop();
    if (!last) throw new Error('no entries');
    t.log.rows.entries.push({ ...last, hash: 'f'.repeat(64) });
    // Assert
    await refused(t, /entry seq 12, signed in anchored checkpoint seq \d+, is rewritten/);
  });

  it('refuses when an entry after the signed head no longer links up', async () => {
    // Arrange
    const { t, handler } = await setup();
    await releaseLogCheckpointJob(t.deps);
    await requestAndApprove(handler, 6);
    // Act: entry 14 edited in place, its hash left as it was.
    const entries = t.log.rows.entries;
    const edited = entries.pop();
    if (!edited) throw new Error('no entries');
    entries.push({ ...edited, payload: { ...edited.payload, actor: 'someone-else' } });
    // Assert
    await refused(t, /^entry seq 14: /);
  });
});
