/**
 * DELETE as S3 answers it: the key is gone when the reply is sent; the space it held is reclaimed
 * later, off the request path. s3rver unlinked an object's file inside the request, and on this machine's
 * disk (ext4, mounted with `discard`) unlinking a written 200 MB file blocks for ≈160–220 ms while the
 * filesystem frees its blocks — a cost S3 never puts on a DELETE's reply, and the ingest worker's inbox
 * delete paid it on every recording (bench:ingest, #14).
 *
 * Here the object's file is first renamed into a trash directory beside the store (on the same
 * filesystem a rename is atomic and takes constant time, so no later read can find the key), then
 * s3rver's own delete removes the small sidecar files and the emptied directories as before, and the
 * file is unlinked `delayMs` later. Not at once: the freed blocks join the filesystem's next journal
 * commit, and a DynamoDB Local commit made meanwhile (the worker's catalogue update runs beside the
 * delete) waited for them — measured here, +150–260 ms on a commit. On AWS, S3's reclaiming never slows
 * DynamoDB. A read already streaming the object keeps its open file, as it would across an unlink.
 * Trash left by a crash is emptied at the next start; `drain()` unlinks what is waiting at once and
 * resolves when every unlink is done (the stack awaits it when it stops).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { FilesystemStore } from './s3-protocol.js';

/** How long a deleted object's file waits in the trash before it is unlinked. */
export const RECLAIM_DELAY_MS = 1000;

export interface Reclaimer {
  /** Unlinks every trashed file now; resolves once all are gone. */
  drain(): Promise<void>;
}

export interface ReclaimOptions {
  readonly delayMs?: number;
  readonly unlinkFile?: (path: string) => Promise<void>;
}

/** Makes `store.deleteObject` trash the object's file and unlink it `delayMs` after the call returns. */
export const reclaimAfterDelete = (
  store: FilesystemStore,
  trash: string,
  { delayMs = RECLAIM_DELAY_MS, unlinkFile = unlink }: ReclaimOptions = {},
): Reclaimer => {
  rmSync(trash, { recursive: true, force: true });
  mkdirSync(trash, { recursive: true, mode: 0o700 });
  const waiting = new Map<string, NodeJS.Timeout>();
  const running = new Set<Promise<void>>();
  const reclaim = (parked: string) => {
    waiting.delete(parked);
    const unlinked = unlinkFile(parked)
      .catch(() => undefined)
      .finally(() => running.delete(unlinked));
    running.add(unlinked);
  };
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
    const timer = setTimeout(() => reclaim(parked), delayMs);
    timer.unref();
    waiting.set(parked, timer);
  };

  return {
    drain: async () => {
      for (const [parked, timer] of waiting) {
        clearTimeout(timer);
        reclaim(parked);
      }
      await Promise.all([...running]);
    },
  };
};
