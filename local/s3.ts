/**
 * The S3 emulator: @20minutes/s3rver (it verifies SigV4, patched for bucket-level paths) with the
 * Object Lock / tagging layer of s3-object-lock.ts in front of its router, deletes that reclaim the
 * object's space after the reply (s3-reclaim.ts, as S3 does), the buckets of
 * declarations/buckets.ts, and inbox notifications: an object created under `incoming/` in the
 * inbox bucket becomes an S3 event on the inbox queue, as the bucket notification does on AWS.
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import S3rver from '@20minutes/s3rver';
import { BUCKETS, INBOX_PREFIX } from '../declarations/buckets.js';
// The archive's default retention in days is the CDK bucket's: the longest the minimum months can last.
import { maxDaysIn } from '../declarations/retention-days.js';
import { ACCOUNT_ID, bucketName, HOST, REGION } from './config.js';
import { StartupError } from './errors.js';
import { IDLE_KEEP_ALIVE_MS } from './http.js';
import { busyPortMessage } from './preflight.js';
import { LockStore } from './s3-lock-store.js';
import { type CreatedObject, objectLockLayer } from './s3-object-lock.js';
import { disableRouterAuthentication, type FilesystemStore } from './s3-protocol.js';
import { reclaimAfterDelete } from './s3-reclaim.js';

/** S3 event keys are URL-encoded form style: spaces as `+`, `/` kept. */
export const eventKey = (key: string): string =>
  encodeURIComponent(key)
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+')
    .replace(/%2F/g, '/');

/** The S3 event notification record AWS sends for an object-created event. */
export const s3EventRecord = (object: CreatedObject, now = new Date()) => ({
  eventVersion: '2.1',
  eventSource: 'aws:s3',
  awsRegion: REGION,
  eventTime: now.toISOString(),
  eventName: object.eventName,
  userIdentity: { principalId: `AWS:AIDA${randomBytes(8).toString('hex').toUpperCase()}` },
  requestParameters: { sourceIPAddress: object.sourceIp },
  responseElements: {
    'x-amz-request-id': randomBytes(8).toString('hex').toUpperCase(),
    'x-amz-id-2': randomBytes(32).toString('base64'),
  },
  s3: {
    s3SchemaVersion: '1.0',
    configurationId: 'inbox-incoming',
    bucket: {
      name: object.bucket,
      ownerIdentity: { principalId: ACCOUNT_ID },
      arn: `arn:aws:s3:::${object.bucket}`,
    },
    object: {
      key: eventKey(object.key),
      size: object.size,
      eTag: object.eTag,
      ...(object.versionId ? { versionId: object.versionId } : {}),
      sequencer: `${Date.now().toString(16).toUpperCase()}${randomBytes(4).toString('hex').toUpperCase()}`,
    },
  },
});

export interface S3Handle {
  readonly endpoint: string;
  close(): Promise<void>;
}

export interface S3Options {
  readonly directory: string;
  /** Where deleted objects' files wait to be unlinked (emptied at start); on the same filesystem. */
  readonly trashDirectory: string;
  readonly lockFile: string;
  readonly port: number;
  /** RETENTION_MIN_MONTHS: the archive's default GOVERNANCE retention is the longest such span. */
  readonly archiveRetentionMonths: number;
  /** Called with the S3 event (JSON) for objects created under the inbox's `incoming/` prefix. */
  readonly onInboxObject: (eventJson: string) => void;
  /** The stack clock (local/clock.ts), epoch ms: Object Lock judges retention at this time. */
  readonly now?: () => number;
}

export const startS3 = async (options: S3Options): Promise<S3Handle> => {
  const inbox = bucketName('inbox');
  const server = new S3rver({
    address: HOST,
    port: options.port,
    silent: true,
    directory: options.directory,
    vhostBuckets: false,
    configureBuckets: BUCKETS.map((id) => ({ name: bucketName(id) })),
  });
  disableRouterAuthentication();
  const store = server.store as FilesystemStore;
  const reclaimer = reclaimAfterDelete(store, options.trashDirectory);
  const layer = objectLockLayer({
    store,
    locks: new LockStore(options.lockFile),
    ...(options.now ? { now: options.now } : {}),
    lockedBuckets: new Map([
      [
        bucketName('archive'),
        { defaultMode: 'GOVERNANCE', defaultDays: maxDaysIn(options.archiveRetentionMonths) },
      ],
    ]),
    onCreated: (object) => {
      if (object.bucket !== inbox || !object.key.startsWith(INBOX_PREFIX.incoming)) return;
      options.onInboxObject(JSON.stringify({ Records: [s3EventRecord(object)] }));
    },
  });
  // s3rver's last middleware is its router, right after vhost rewriting; the layer goes between them.
  if (server.middleware.at(-2)?.name !== 'vhost')
    throw new Error('s3rver middleware layout changed: vhost is not before the router');
  server.middleware.splice(server.middleware.length - 1, 0, layer as (typeof server.middleware)[number]);
  try {
    const address = await server.run();
    const { httpServer } = server as unknown as { httpServer?: Server };
    if (httpServer) httpServer.keepAliveTimeout = IDLE_KEEP_ALIVE_MS;
    return {
      endpoint: `http://${HOST}:${address.port}`,
      close: async () => {
        await server.close();
        await reclaimer.drain();
      },
    };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new StartupError(busyPortMessage('s3', options.port));
    throw error;
  }
};
