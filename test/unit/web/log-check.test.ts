/**
 * The portal's in-browser check of the Release of Recording Log (web/src/log-check.ts, WebCrypto) must
 * reach the verdict `crs verify-log` reaches (functions/domain/release-log-format.ts, node:crypto) on the same
 * export: the same link hashes, the same signatures accepted, the same first bad entry after tampering.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import fc from 'fast-check';
import { type ChainLink, linkHash, nextLink } from '../../../functions/domain/hash-chain.js';
import {
  type EntryLink,
  type LogExport,
  parseExport,
  parsePublicKey,
  verifyExport,
} from '../../../functions/domain/release-log-format.js';
import { exportJsonText } from '../../../functions/domain/release-log-verify.js';
import { releaseRoutes } from '../../../functions/release/routes.js';
import { derToP1363, importLogKey, verifyExportInBrowser, webLinkHash } from '../../../web/src/log-check.js';
import { requestAndApprove, testDeps } from '../release/fakes.js';
import { invoke } from '../support/http.js';

process.env.LOG_LEVEL = 'silent';

const REQUESTER = { staffId: 'req-1', groups: [] };
const KEEPER = { staffId: 'ccs-1', groups: ['role:release-log-keeper'] };

/** 4 releases (request, approve, link, complete) = 16 entries; checkpoints at 5, 10 and 15. */
const buildLog = async () => {
  const t = testDeps();
  const handler = releaseRoutes(t.deps);
  for (let i = 0; i < 4; i += 1) {
    const params = { id: await requestAndApprove(handler, i) };
    await invoke(handler, 'GET /releases/{id}/link', { ...REQUESTER, params });
    await invoke(handler, 'POST /releases/{id}/complete', { ...REQUESTER, params });
  }
  const json = (await invoke(handler, 'GET /release-log', KEEPER)).text;
  const key = JSON.parse((await invoke(handler, 'GET /release-log/public-key', REQUESTER)).text) as {
    publicKeyPem: string;
  };
  return { json, pem: key.publicKeyPem };
};

let built: Awaited<ReturnType<typeof buildLog>>;
const fresh = (): LogExport => parseExport(built.json);

/** Both verifiers on one export: node's result, and the browser's verdict. */
const both = async (exp: LogExport) => ({
  node: verifyExport(exp, parsePublicKey(built.pem)),
  web: await verifyExportInBrowser(exp, built.pem),
});

describe('in-browser Release of Recording Log check (WebCrypto)', () => {
  beforeAll(async () => {
    built = await buildLog();
  });

  it('hashes every link of a real export exactly as node:crypto does', async () => {
    // Arrange
    const exp = fresh();
    const links: ChainLink<unknown>[] = [...exp.entries, ...exp.checkpoints];
    // Act
    const web = await Promise.all(links.map(webLinkHash));
    // Assert
    expect(web).toEqual(links.map((l) => linkHash(l)));
    expect(web).toEqual(links.map((l) => l.hash));
  });

  it('hashes arbitrary payloads (nested, unicode, key order) exactly as node:crypto does', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), fc.string(), async (payload, chain) => {
        const link = nextLink(chain, undefined, payload, new Date(Date.UTC(2026, 0, 2)));
        expect(await webLinkHash(link)).toBe(linkHash(link));
      }),
      { numRuns: 200 },
    );
  });

  it('turns DER signatures (as KMS and node give them) into the form WebCrypto verifies', async () => {
    // Arrange
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
    const key = await importLogKey(pem);
    const verdicts: boolean[] = [];
    const lengths = new Set<number>();
    // Act: r and s are sometimes shorter than 32 bytes, or need a leading zero in DER.
    for (let i = 0; i < 60; i++) {
      const message = Buffer.from(`message ${i}`);
      const der = sign('sha256', message, { key: privateKey, dsaEncoding: 'der' });
      lengths.add(der.length);
      const p1363 = derToP1363(der);
      if (!p1363) throw new Error('not DER');
      verdicts.push(await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, p1363, message));
      p1363[10] = (p1363[10] ?? 0) ^ 1;
      verdicts.push(!(await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, p1363, message)));
    }
    // Assert
    expect(verdicts.every(Boolean)).toBe(true);
    expect(lengths.size).toBeGreaterThan(1);
    expect(derToP1363(Buffer.from('not der'))).toBeUndefined();
  });

  it('accepts the untouched export as the CLI does, and says how far it is signed', async () => {
    // Act
    const { node, web } = await both(fresh());
    // Assert
    expect(node).toEqual({ ok: true, entries: 16, checkpoints: 3, attestedTo: 15, unattested: 1 });
    expect(web).toEqual({ result: node, chainHoldsTo: 16, attestedTo: 15, signedTo: 15 });
  });

  it('names the same first bad entry as the CLI when one field of one entry is edited', async () => {
    // Arrange
    const exp = fresh();
    const i = exp.entries.findIndex((e) => e.seq === 6);
    const victim = exp.entries[i] as EntryLink;
    exp.entries[i] = { ...victim, payload: { ...victim.payload, authoriser: 'chief-exec-1' } };
    // Act
    const { node, web } = await both(exp);
    // Assert
    expect(node.ok).toBe(false);
    expect(web.result).toEqual(node);
    expect(web).toMatchObject({ chainHoldsTo: 5, attestedTo: 15, signedTo: 5, firstBadSeq: 6 });
    expect(web.result.ok ? [] : web.result.failures[0]?.entry).toBe('entry seq 6 (row 6)');
  });

  it('names the rewritten entry when the chain was rebuilt after it (only the signature shows it)', async () => {
    // Arrange: a forger recomputes every hash from entry 2 on.
    const exp = fresh();
    const rebuilt: EntryLink[] = [];
    for (const link of exp.entries) {
      const payload = link.seq === 2 ? { ...link.payload, purpose: 'other' } : link.payload;
      rebuilt.push(nextLink(link.chain, rebuilt.at(-1), payload, new Date(link.at)));
    }
    // Act
    const { node, web } = await both({ ...exp, entries: rebuilt });
    // Assert
    expect(web.result).toEqual(node);
    expect(web).toMatchObject({ chainHoldsTo: 16, attestedTo: 0, signedTo: 0, firstBadSeq: 1 });
  });

  it('rejects a checkpoint whose signature was altered, as the CLI does', async () => {
    // Arrange
    const exp = fresh();
    const cp = exp.checkpoints[1];
    if (!cp) throw new Error('no checkpoint');
    exp.checkpoints[1] = { ...cp, payload: { ...cp.payload, signedAt: '2020-01-01T00:00:00.000Z' } };
    // Act
    const { node, web } = await both(exp);
    // Assert
    expect(web.result).toEqual(node);
    expect(node.ok ? [] : node.failures.map((f) => f.entry)).toContain('checkpoint seq 2');
  });

  it('reads back the file the export writes, and that file verifies', async () => {
    // Arrange
    const exp = fresh();
    // Act
    const text = exportJsonText(exp.entries, exp.checkpoints, exp.anchored);
    const again = parseExport(text);
    // Assert
    expect(again).toEqual(exp);
    expect((await verifyExportInBrowser(again, built.pem)).result.ok).toBe(true);
  });
});
