import fc from 'fast-check';
import {
  type ChainLink,
  canonicalJson,
  GENESIS_HASH,
  nextLink,
  verifyChain,
} from '../../../functions/domain/hash-chain.js';

const build = (n: number): ChainLink<unknown>[] => {
  const links: ChainLink<unknown>[] = [];
  for (let i = 0; i < n; i += 1) {
    links.push(
      nextLink(
        'audit',
        links.at(-1),
        { actor: `s${i}`, action: 'playback', n: i },
        new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
      ),
    );
  }
  return links;
};

describe('hash chain', () => {
  it('verifies an untouched chain and reports its head', () => {
    const links = build(5);
    expect(verifyChain(links)).toEqual({ ok: true, count: 5, head: { seq: 5, hash: links[4]?.hash } });
    expect(links[0]?.prevHash).toBe(GENESIS_HASH);
  });

  it('names the edited entry when one field of one entry changes', () => {
    const links = build(6);
    const edited = links.map((l) =>
      l.seq === 3 ? { ...l, payload: { ...(l.payload as object), actor: 'mallory' } } : l,
    );
    expect(verifyChain(edited)).toMatchObject({
      ok: false,
      firstBadSeq: 3,
      reason: expect.stringMatching(/edited/),
    });
  });

  it('names the entry after a removed one', () => {
    const links = build(6).filter((l) => l.seq !== 4);
    expect(verifyChain(links)).toMatchObject({ ok: false, firstBadSeq: 5 });
  });

  it('detects two swapped entries', () => {
    const links = build(6);
    const swapped = [...links];
    [swapped[1], swapped[2]] = [links[2] as ChainLink<unknown>, links[1] as ChainLink<unknown>];
    expect(verifyChain(swapped)).toMatchObject({ ok: false, firstBadSeq: 3 });
  });

  it('detects an entry whose hash was recomputed after an edit (the next link no longer fits)', () => {
    const links = build(4);
    const forged = nextLink(
      'audit',
      { seq: 1, hash: links[0]?.hash as string },
      { actor: 'mallory' },
      new Date(),
    );
    const tampered = [links[0], forged, links[2], links[3]] as ChainLink<unknown>[];
    expect(verifyChain(tampered)).toMatchObject({ ok: false, firstBadSeq: 3 });
  });

  it('detects any single-field edit anywhere in any chain (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.nat(),
        fc.string({ minLength: 1 }),
        (n, pick, value) => {
          const links = build(n);
          const i = pick % n;
          const target = links[i] as ChainLink<unknown>;
          fc.pre(value !== (target.payload as { actor: string }).actor);
          links[i] = { ...target, payload: { ...(target.payload as object), actor: value } };
          const verdict = verifyChain(links);
          return !verdict.ok && verdict.firstBadSeq === target.seq;
        },
      ),
    );
  });

  it('verifies a tail from a trusted checkpoint', () => {
    const links = build(5);
    const checkpoint = { seq: 2, hash: links[1]?.hash as string };
    expect(verifyChain(links.slice(2), checkpoint)).toMatchObject({ ok: true, count: 3 });
    expect(verifyChain(links.slice(3), checkpoint)).toMatchObject({ ok: false, firstBadSeq: 4 });
  });

  it('serialises keys in a stable order at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}',
    );
  });
});
