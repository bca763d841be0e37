/**
 * Confirms format and duration from the first bytes of the audio only (music-metadata reads the
 * container header; the full size is passed so sizes in the header can be trusted as far as they go).
 */
import { PassThrough } from 'node:stream';
import { parseStream } from 'music-metadata';
import type { AudioFormat } from '../domain/recording.js';

/** Enough for the header of every accepted container (WAV, MP3 frames, Ogg, FLAC, MP4 with moov first). */
export const PROBE_BYTES = 64 * 1024;

export interface AudioProbe {
  readonly format?: AudioFormat;
  readonly container?: string;
  readonly durationSeconds?: number;
  /**
   * Set when the container declares more bytes than the object holds (a truncated upload): music-metadata
   * checks a WAV data chunk's declared size against the object size it is given and warns; its duration
   * is then of what is left, so a registration matching that duration would otherwise pass.
   */
  readonly truncated?: string;
}

/**
 * music-metadata's warning when a WAV data chunk declares more bytes than the object holds from there
 * (lib/wav/WaveParser.js, checked against the `size` passed in). Its other warning, "Data chunk size
 * exceeds file size", compares with the RIFF header's own count and fires on whole files too.
 * test/unit/ingest/archive-upload.test.ts runs the real library on a truncated file, so a reworded
 * message fails a test rather than letting truncated audio through.
 */
const TRUNCATION_WARNING = /data chunk length exceeding file length/i;

const formatOf = (container: string | undefined): AudioFormat | undefined => {
  if (!container) return undefined;
  if (/^WAVE/i.test(container)) return 'wav';
  if (/^MPEG/i.test(container)) return 'mp3';
  if (/^Ogg/i.test(container)) return 'ogg';
  if (/^FLAC/i.test(container)) return 'flac';
  if (/M4A|mp4|isom|iso\d/i.test(container)) return 'm4a';
  return undefined;
};

export const probeAudio = async (head: Buffer, totalSize: number): Promise<AudioProbe> => {
  try {
    // A byte stream (not object mode): the tokenizer reads exactly what it asks for.
    const metadata = await parseStream(
      new PassThrough().end(head),
      { size: totalSize },
      { skipCovers: true, skipPostHeaders: true, duration: false },
    );
    const container = metadata.format.container;
    const truncation = metadata.quality.warnings.find((w) => TRUNCATION_WARNING.test(w.message));
    return {
      format: formatOf(container),
      container,
      durationSeconds: metadata.format.duration,
      ...(truncation ? { truncated: truncation.message } : {}),
    };
  } catch {
    return {};
  }
};
