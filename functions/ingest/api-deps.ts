/**
 * The ingest API wired to AWS (or the local stack's endpoints): DynamoDB, KMS and the presigner only, so
 * the API function loads nothing of the worker's SQS fan-out queue (deps.ts). Built once per container;
 * the holds table's store is built on first use (only a call past 24 months reads it).
 */
import { getRecording, registerCall } from '../adapters/catalogue-store.js';
import { countRecordingRegistered } from '../adapters/counters-write.js';
import { dynamoHoldsStore } from '../adapters/holds-store.js';
import { pseudonymiseNumber } from '../adapters/pseudonymise.js';
import { callRecordPut, getCallRecord, getExtension, getServiceArea } from '../adapters/registers-store.js';
import { noteStaffInArea } from '../adapters/staff-register.js';
import { presignPut } from '../adapters/upload-link.js';
import type { HoldsStore } from '../domain/holds.js';
import { tableName } from '../platform/env.js';
import type { IngestApiDeps } from '../ports/ingest.js';
import { ingestConfigFromEnv } from './config.js';

export const awsIngestApiDeps = (): IngestApiDeps => {
  let holdsStore: HoldsStore | undefined;
  return {
    registrations: {
      getCallRecord,
      getRecording,
      register: (call, recording) => registerCall(callRecordPut(call), recording),
    },
    areas: { get: getServiceArea },
    extensions: { get: getExtension },
    holds: {
      listActiveHolds: (dueBy) => {
        holdsStore ??= dynamoHoldsStore(tableName('holds'));
        return holdsStore.listActiveHolds(dueBy);
      },
    },
    pseudonymise: pseudonymiseNumber,
    countRegistered: countRecordingRegistered,
    noteStaffInArea,
    presignPut,
    config: ingestConfigFromEnv(),
  };
};
