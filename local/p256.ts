/**
 * ECDSA P-256 over a caller-supplied digest. KMS Sign/Verify with `MessageType: DIGEST` sign the
 * 32-byte digest as given; node:crypto always hashes its input, so this small BigInt implementation
 * covers that one case (RAW messages go through node:crypto). Local use only: not constant-time.
 */
import { randomBytes } from 'node:crypto';

const P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const A = P - 3n;
const G = {
  x: 0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
  y: 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n,
};

type Point = { x: bigint; y: bigint } | null;

const mod = (a: bigint, m: bigint): bigint => ((a % m) + m) % m;

const inverse = (a: bigint, m: bigint): bigint => {
  let [oldR, r] = [mod(a, m), m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return mod(oldS, m);
};

const add = (p: Point, q: Point): Point => {
  if (!p) return q;
  if (!q) return p;
  if (p.x === q.x && mod(p.y + q.y, P) === 0n) return null;
  const slope =
    p.x === q.x && p.y === q.y
      ? mod((3n * p.x * p.x + A) * inverse(2n * p.y, P), P)
      : mod((q.y - p.y) * inverse(q.x - p.x, P), P);
  const x = mod(slope * slope - p.x - q.x, P);
  return { x, y: mod(slope * (p.x - x) - p.y, P) };
};

const multiply = (k: bigint, point: Point): Point => {
  let result: Point = null;
  let addend = point;
  for (let n = k; n > 0n; n >>= 1n) {
    if (n & 1n) result = add(result, addend);
    addend = add(addend, addend);
  }
  return result;
};

const toBigInt = (bytes: Uint8Array): bigint => BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`);
const fromBase64Url = (value: string): bigint => toBigInt(Buffer.from(value, 'base64url'));

/** Leftmost 256 bits of the digest, as ECDSA prescribes for P-256. */
const digestToInt = (digest: Uint8Array): bigint => toBigInt(digest.subarray(0, 32));

const derInt = (value: bigint): Buffer => {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let bytes = Buffer.from(hex, 'hex');
  if ((bytes[0] ?? 0) & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return Buffer.concat([Buffer.from([0x02, bytes.length]), bytes]);
};

export const encodeDer = (r: bigint, s: bigint): Buffer => {
  const body = Buffer.concat([derInt(r), derInt(s)]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
};

export const decodeDer = (der: Uint8Array): { r: bigint; s: bigint } | undefined => {
  const b = Buffer.from(der);
  if (b[0] !== 0x30 || b[1] !== b.length - 2 || b[2] !== 0x02) return undefined;
  const rLen = b[3] ?? 0;
  const r = b.subarray(4, 4 + rLen);
  if (b[4 + rLen] !== 0x02) return undefined;
  const sLen = b[5 + rLen] ?? 0;
  const s = b.subarray(6 + rLen, 6 + rLen + sLen);
  if (6 + rLen + sLen !== b.length) return undefined;
  return { r: toBigInt(r), s: toBigInt(s) };
};

/** `d` is the private JWK's base64url scalar. */
export const signDigest = (d: string, digest: Uint8Array): Buffer => {
  const priv = fromBase64Url(d);
  const e = digestToInt(digest);
  for (;;) {
    const k = mod(toBigInt(randomBytes(40)), N - 1n) + 1n;
    const point = multiply(k, G);
    if (!point) continue;
    const r = mod(point.x, N);
    if (r === 0n) continue;
    const s = mod(inverse(k, N) * (e + r * priv), N);
    if (s === 0n) continue;
    return encodeDer(r, s);
  }
};

/** `x`/`y` are the public JWK's base64url coordinates. */
export const verifyDigest = (x: string, y: string, digest: Uint8Array, signature: Uint8Array): boolean => {
  const decoded = decodeDer(signature);
  if (!decoded) return false;
  const { r, s } = decoded;
  if (r <= 0n || r >= N || s <= 0n || s >= N) return false;
  const w = inverse(s, N);
  const u1 = mod(digestToInt(digest) * w, N);
  const u2 = mod(r * w, N);
  const point = add(multiply(u1, G), multiply(u2, { x: fromBase64Url(x), y: fromBase64Url(y) }));
  return point !== null && mod(point.x, N) === r;
};
