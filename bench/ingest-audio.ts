/**
 * Cheap synthetic audio for tests and the ingest benchmark: a PCM WAV header followed by silence,
 * produced as a stream (never held in memory whole) together with its SHA-256.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';

export const WAV_HEADER_BYTES = 44;

export const wavHeader = (dataBytes: number, sampleRate = 8000, channels = 1, bitsPerSample = 16): Buffer => {
  const blockAlign = (channels * bitsPerSample) / 8;
  const h = Buffer.alloc(WAV_HEADER_BYTES);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + dataBytes, 4);
  h.write('WAVE', 8, 'ascii');
  h.write('fmt ', 12, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(channels, 22);
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE(sampleRate * blockAlign, 28);
  h.writeUInt16LE(blockAlign, 32);
  h.writeUInt16LE(bitsPerSample, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(dataBytes, 40);
  return h;
};

export interface SyntheticWav {
  readonly sizeBytes: number;
  readonly durationSeconds: number;
  readonly sha256: string;
  /** A fresh stream of the same bytes each call. */
  stream(): Readable;
}

const CHUNK = 64 * 1024;

/** 8 kHz 16-bit mono silence (16 000 bytes a second). */
export const syntheticWav = (durationSeconds: number, sampleRate = 8000): SyntheticWav => {
  const dataBytes = Math.round(durationSeconds * sampleRate) * 2;
  const header = wavHeader(dataBytes, sampleRate);
  const zeros = Buffer.alloc(CHUNK);
  function* chunks(): Generator<Buffer> {
    yield header;
    let left = dataBytes;
    while (left > 0) {
      const n = Math.min(left, CHUNK);
      yield n === CHUNK ? zeros : zeros.subarray(0, n);
      left -= n;
    }
  }
  const hash = createHash('sha256');
  for (const c of chunks()) hash.update(c);
  return {
    sizeBytes: WAV_HEADER_BYTES + dataBytes,
    durationSeconds: dataBytes / 2 / sampleRate,
    sha256: hash.digest('hex'),
    stream: () => Readable.from(chunks(), { objectMode: false }),
  };
};

/** The whole file in memory: only for small test files. */
export const smallWav = (durationSeconds: number): Buffer => {
  const dataBytes = Math.round(durationSeconds * 8000) * 2;
  return Buffer.concat([wavHeader(dataBytes), Buffer.alloc(dataBytes)]);
};
