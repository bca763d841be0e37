/** The committed sample call is what examples/make-call.ts writes, and its audio matches its metadata. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXAMPLES_DIR, SECONDS, sampleCall, sampleMeta } from '../../../examples/make-call.js';
import { durationMatches } from '../../../functions/domain/upload.js';
import { probeAudio } from '../../../functions/ingest/audio-probe.js';

describe('the sample call of the first session', () => {
  it('is committed exactly as the generator writes it', () => {
    expect(readFileSync(join(EXAMPLES_DIR, 'call.wav')).equals(sampleCall())).toBe(true);
    expect(JSON.parse(readFileSync(join(EXAMPLES_DIR, 'call.json'), 'utf8'))).toEqual(sampleMeta());
  });

  it('lasts what its metadata says, as the archive measures it, and is small', async () => {
    const wav = sampleCall();
    const meta = sampleMeta();
    const declared = (Date.parse(meta.endedAt) - Date.parse(meta.startedAt)) / 1000;
    const probe = await probeAudio(wav.subarray(0, 64 * 1024), wav.length);
    expect(probe).toMatchObject({ format: 'wav', durationSeconds: SECONDS });
    expect(durationMatches(probe.durationSeconds as number, declared)).toBe(true);
    expect(wav.length).toBeLessThan(100 * 1024);
  });
});
