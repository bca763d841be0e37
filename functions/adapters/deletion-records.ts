/**
 * The deletion report's records (GET /reports/deletions), kept in the holds table:
 *   DELETIONS#<YYYY-MM> / <at>#<recordingId>   a deletion certificate, indexed by month
 * A record is written in the same transaction as the catalogue's DELETED state (catalogue-store.ts
 * builds the transaction with `deletionRecordPut`), so the report never misses a deletion nor lists one
 * that did not happen. Keyed by the certificate, so writing it again changes nothing.
 */

import { dayOf } from '../domain/days.js';
import type { DeletionRecord } from '../domain/holds.js';
import type { DeletionCertificate, Recording } from '../domain/recording.js';
import { tableName } from '../platform/env.js';
import { queryAll } from '../platform/query-all.js';

type Item = Record<string, unknown>;

export type DeletedRecording = Pick<Recording, 'recordingId' | 'serviceArea' | 'deleteAfter'>;

/** Deletion records live in the holds table (declarations/tables.ts). */
export const deletionsTable = (): string => tableName('holds');

const recordKey = (recordingId: string, certificate: DeletionCertificate) => ({
  pk: `DELETIONS#${dayOf(certificate.at).slice(0, 7)}`,
  sk: `${certificate.at}#${recordingId}`,
});

/** The transaction item that writes a deletion's record. */
export const deletionRecordPut = (recording: DeletedRecording, certificate: DeletionCertificate) => ({
  Put: {
    TableName: deletionsTable(),
    Item: {
      ...recordKey(recording.recordingId, certificate),
      recordingId: recording.recordingId,
      serviceArea: recording.serviceArea,
      deleteAfter: recording.deleteAfter,
      certificate,
    } as Item,
  },
});

/** The transaction item that takes back the record of a deletion that was undone. */
export const deletionRecordDelete = (recordingId: string, certificate: DeletionCertificate) => ({
  Delete: { TableName: deletionsTable(), Key: recordKey(recordingId, certificate) },
});

export const monthsBetween = (fromDay: string, toDay: string): string[] => {
  const months: string[] = [];
  let y = Number(fromDay.slice(0, 4));
  let m = Number(fromDay.slice(5, 7));
  const endY = Number(toDay.slice(0, 4));
  const endM = Number(toDay.slice(5, 7));
  while (y < endY || (y === endY && m <= endM)) {
    months.push(`${y}-${String(m).padStart(2, '0')}`);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return months;
};

/** Every deletion certified between two days (YYYY-MM-DD, inclusive), by month partition. */
export const deletionsBetween = async (fromDay: string, toDay: string): Promise<DeletionRecord[]> => {
  const records: DeletionRecord[] = [];
  for (const month of monthsBetween(fromDay, toDay)) {
    const items = await queryAll({
      TableName: deletionsTable(),
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': `DELETIONS#${month}`, ':from': fromDay, ':to': `${toDay}~` },
    });
    for (const i of items)
      records.push({
        recordingId: i.recordingId as string,
        serviceArea: i.serviceArea as string,
        deleteAfter: i.deleteAfter as string,
        certificate: i.certificate as DeletionCertificate,
      });
  }
  return records;
};
