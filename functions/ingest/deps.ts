/** The ingest worker's dependencies wired to AWS (or the local stack's endpoints); built once per container. */
import { ENV } from '../../declarations/environment.js';
import * as catalogue from '../adapters/catalogue-store.js';
import { countQuarantined } from '../adapters/counters-write.js';
import { sqsFanout } from '../adapters/hold-fanout-queue.js';
import * as objects from '../adapters/object-store.js';
import { requireEnv } from '../platform/env.js';
import type { ArchiveDeps } from '../ports/ingest.js';
import { ingestConfigFromEnv } from './config.js';

export const awsIngestDeps = (): ArchiveDeps => ({
  catalogue: {
    getRecording: catalogue.getRecording,
    acquireLease: catalogue.acquireLease,
    markArchived: catalogue.markArchived,
    markQuarantined: catalogue.markQuarantined,
  },
  objects: {
    headObject: objects.headObject,
    hashObject: objects.hashObject,
    readHead: objects.readHead,
    copyObject: objects.copyObject,
    putJson: objects.putJson,
    deleteObject: objects.deleteObject,
  },
  countQuarantined,
  // The worker holds no Object Lock powers: the legal-hold worker links the hold and sets the legal hold.
  requestHold: (holdId, recordingId) =>
    sqsFanout(requireEnv(ENV.holdFanoutQueueUrl)).send([
      { kind: 'apply', holdId, pageId: `ingest.${recordingId}`, recordingIds: [recordingId] },
    ]),
  config: ingestConfigFromEnv(),
});
