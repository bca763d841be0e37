import { createHash } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { smallWav } from '../../../bench/ingest-audio.js';
import { audioFiles, mapBounded, pairs } from '../../../cli/commands/import.js';
import { readMeta, registrationBody } from '../../../cli/commands/upload.js';

describe('crs upload / import helpers', () => {
  it('fills in the audio format, size and streamed SHA-256 of the file', async () => {
    // Arrange
    const dir = await mkdtemp(join(tmpdir(), 'crs-'));
    const audio = smallWav(3);
    await writeFile(join(dir, 'c1.wav'), audio);
    // Act
    const body = await registrationBody(join(dir, 'c1.wav'), { callId: 'c1' });
    // Assert
    expect(body).toEqual({
      callId: 'c1',
      audio: {
        format: 'wav',
        sizeBytes: audio.length,
        sha256: createHash('sha256').update(audio).digest('hex'),
      },
    });
  });

  it('reads metadata inline or from a file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'crs-'));
    await writeFile(join(dir, 'm.json'), '{"callId":"from-file"}');
    expect(await readMeta('{"callId":"inline"}')).toEqual({ callId: 'inline' });
    expect(await readMeta(join(dir, 'm.json'))).toEqual({ callId: 'from-file' });
    await writeFile(join(dir, 'list.json'), '[1]');
    await expect(readMeta(join(dir, 'list.json'))).rejects.toThrow('JSON object');
  });

  it('pairs each audio file with its metadata file and ignores the unpaired', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'crs-'));
    for (const f of ['a.wav', 'a.json', 'b.mp3', 'c.json', 'notes.txt']) await writeFile(join(dir, f), '');
    expect(await pairs(dir)).toEqual([{ audio: join(dir, 'a.wav'), meta: join(dir, 'a.json') }]);
  });

  it('lists audio without its metadata file too, so import can report it instead of skipping it silently', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'crs-'));
    for (const f of ['a.wav', 'a.json', 'b.mp3']) await writeFile(join(dir, f), '');
    expect(await audioFiles(dir)).toEqual([
      { audio: join(dir, 'a.wav'), meta: join(dir, 'a.json'), hasMeta: true },
      { audio: join(dir, 'b.mp3'), meta: join(dir, 'b.json'), hasMeta: false },
    ]);
  });

  it('never runs more than the given number of uploads at once, and keeps result order', async () => {
    let running = 0;
    let peak = 0;
    const results = await mapBounded([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((r) => setImmediate(r));
      running -= 1;
      return n * 10;
    });
    expect(peak).toBe(3);
    expect(results).toEqual([10, 20, 30, 40, 50, 60, 70]);
  });
});
