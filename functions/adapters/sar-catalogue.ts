/**
 * The caller index for subject access requests: every archived recording of one caller pseudonym in a
 * time window, across every service area (catalogue `byCaller` GSI, keyed by the ingest HMAC; a Query,
 * never a Scan). Only the disclosures function reads it this way, for an IG officer's open request.
 */
import { CATALOGUE_INDEXES } from '../../declarations/tables.js';
import type { Recording } from '../domain/recording.js';
import { tableName } from '../platform/env.js';
import { queryAll } from '../platform/query-all.js';
import type { CallerIndex } from '../ports/subject-access.js';
import { pseudonymiseNumber } from './pseudonymise.js';

export const catalogueCallerIndex = (table = tableName('catalogue')): CallerIndex => ({
  pseudonymise: pseudonymiseNumber,
  async recordingsOf(callerHash, from, to) {
    const items = (await queryAll({
      TableName: table,
      IndexName: CATALOGUE_INDEXES.byCaller,
      KeyConditionExpression: 'callerHash = :h AND startedAt BETWEEN :from AND :to',
      FilterExpression: '#status = :archived',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':h': callerHash, ':from': from, ':to': to, ':archived': 'ARCHIVED' },
    })) as unknown as Recording[];
    return items
      .filter((r) => r.archiveKey)
      .map((r) => ({
        recordingId: r.recordingId,
        serviceArea: r.serviceArea,
        startedAt: r.startedAt,
        format: r.audio.format,
        archiveKey: r.archiveKey as string,
        ...(r.archiveVersionId ? { archiveVersionId: r.archiveVersionId } : {}),
      }));
  },
});
