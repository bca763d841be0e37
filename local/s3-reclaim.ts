/**
 * DELETE as S3 answers it: the key is gone when the reply is sent; the space it held is reclaimed
 * afterwards. s3rver unlinks an object's file inside the request, and on this disk (ext4, mounted with
 * `discard`) unlinking a written 200 MB file blocks for ≈160–220 ms while the filesystem frees its blocks —
 * a cost S3 never puts on a DELETE's reply, and the ingest worker's inbox delete paid it on every
 * recording (bench:ingest, #14).
 *
 * Here the object's file is first renamed into a trash directory beside the store (on the same
 * filesystem a rename is atomic and takes constant time, so no later read can find the key), then
 * s3rver's own delete removes the small sidecar files and the emptied directories as before, and the
 * file is unlinked after the reply. A read already streaming the object keeps its open file, as it would
 * across an unlink. Trash left by a crash is emptied at the next start; `drain()` waits for the unlinks
 * still running (the stack awaits it when it stops).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { FilesystemStore } from './s3-protocol.js';

export interface Reclaimer {
  /** Resolves once every trashed file is unlinked. */
  drain(): Promise<void>;
}

/** Makes `store.deleteObject` trash the object's file and unlink it after the call returns. */
export const reclaimAfterDelete = (
  store: FilesystemStore,
  trash: string,
  unlinkFile: (path: string) => Promise<void> = unlink,
): Reclaimer => {
  rmSync(trash, { recursive: true, force: true });
  mkdirSync(trash, { recursive: true, mode: 0o700 });
  const running = new Set<Promise<void>>();
  const deleteObject = store.deleteObject.bind(store);

  store.deleteObject = async (bucket, key) => {
    const parked = join(trash, randomUUID());
    try {
      await rename(store.getResourcePath(bucket, key, 'object'), parked);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // Already gone (a concurrent DELETE of the same key took it): nothing left to delete.
      if (code === 'ENOENT') return;
      // The trash on another filesystem: s3rver's own delete, unlinking inside the request.
      if (code === 'EXDEV') return deleteObject(bucket, key);
      throw error;
    }
    await deleteObject(bucket, key);
    const reclaim = unlinkFile(parked)
      .catch(() => undefined)
      .finally(() => running.delete(reclaim));
    running.add(reclaim);
  };

  return {
    drain: async () => {
      await Promise.all([...running]);
    },
  };
};
