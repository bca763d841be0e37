/**
 * Saves what a presigned GET link serves into a file: streamed into `<out>.partial`, renamed to `out`
 * only when whole (its folder made if missing), removed if the transfer fails. A link the store refuses writes nothing and returns
 * its HTTP status.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream } from 'node:stream/web';

export const saveUrl = async (url: string, out: string): Promise<{ saved: true } | { status: number }> => {
  const response = await fetch(url);
  if (!response.ok || !response.body) return { status: response.status };
  const partial = `${out}.partial`;
  await mkdir(dirname(out), { recursive: true });
  try {
    await pipeline(Readable.fromWeb(response.body as ReadableStream), createWriteStream(partial));
    await rename(partial, out);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  return { saved: true };
};
