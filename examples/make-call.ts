/**
 * Writes the sample call of the README's first session, deterministically: `examples/call.wav`, 6 s of
 * 8 kHz 8-bit mono PCM (a telephone line's rate) — a dial-tone pair, a pause, three beeps — 48 KB.
 * Its metadata, `examples/call.json`, says the call lasted 6 s (endedAt − startedAt), which the archive
 * checks against the audio. Both files are committed; `npx tsx examples/make-call.ts` writes them again
 * byte for byte (test/unit/examples/make-call.test.ts checks that).
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SAMPLE_RATE = 8000;
export const SECONDS = 6;

/** The tone (Hz pair, or silence) playing at sample `n`. */
const tonesAt = (n: number): readonly number[] => {
  const t = n / SAMPLE_RATE;
  if (t < 2) return [350, 440]; // dial tone
  if (t < 3) return [];
  const beep = Math.floor((t - 3) * 2); // three 0.25 s beeps, one every 0.5 s, then silence
  return beep < 3 && (t - 3) * 2 - beep < 0.5 ? [1000] : [];
};

/** The WAV file: RIFF header + 8-bit unsigned PCM samples. */
export const sampleCall = (): Buffer => {
  const samples = SAMPLE_RATE * SECONDS;
  const data = Buffer.alloc(samples);
  for (let n = 0; n < samples; n++) {
    const tones = tonesAt(n);
    const value = tones.reduce((sum, f) => sum + Math.sin((2 * Math.PI * f * n) / SAMPLE_RATE), 0);
    data[n] = 128 + Math.round((tones.length ? value / tones.length : 0) * 60);
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + samples, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16); // fmt chunk size
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(SAMPLE_RATE, 24);
  header.writeUInt32LE(SAMPLE_RATE, 28); // bytes per second
  header.writeUInt16LE(1, 32); // block align
  header.writeUInt16LE(8, 34); // bits per sample
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(samples, 40);
  return Buffer.concat([header, data]);
};

/** The call's metadata: the POST /uploads body without `audio` (the CLI fills that in from the file). */
export const sampleMeta = () => ({
  callId: 'demo-call-1',
  serviceArea: 'revenues',
  extension: '2001',
  direction: 'inbound',
  startedAt: '2026-11-28T09:00:00+00:00',
  endedAt: `2026-11-28T09:00:0${SECONDS}+00:00`,
  agentId: 'agent-7',
  counterparty: '+441632960123',
  notification: { method: 'announcement' },
  abuseReminder: false,
  verificationReminder: true,
  pci: { pausedSegments: [], cardDataCaptured: false },
});

export const EXAMPLES_DIR = dirname(fileURLToPath(import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(join(EXAMPLES_DIR, 'call.wav'), sampleCall());
  writeFileSync(join(EXAMPLES_DIR, 'call.json'), `${JSON.stringify(sampleMeta(), null, 2)}\n`);
  console.log(`wrote ${join(EXAMPLES_DIR, 'call.wav')} and call.json`);
}
