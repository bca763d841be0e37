/**
 * The one place that reads an AWS answer of "no": DynamoDB's failed condition, and S3's missing object.
 * DynamoDB's failed condition: A single write fails with
 * ConditionalCheckFailedException; a transaction fails with TransactionCanceledException naming, per item
 * in order, why (`ConditionalCheckFailed`, `TransactionConflict`, `None`, ...). Both are matched by name
 * as well as by class, so an error from another copy of the SDK (or a test double) reads the same.
 */
import type { TransactionCanceledException } from '@aws-sdk/client-dynamodb';

const nameOf = (error: unknown): string | undefined => (error as { name?: string } | undefined)?.name;

/** The per-item reasons of a cancelled transaction, or undefined when `error` is not one. */
export const cancellationReasons = (error: unknown): string[] | undefined =>
  nameOf(error) === 'TransactionCanceledException'
    ? ((error as TransactionCanceledException).CancellationReasons ?? []).map((r) => r.Code ?? 'None')
    : undefined;

/** A single write's condition failed, or a transaction was cancelled because one of its conditions did. */
export const isConditionFailure = (error: unknown): boolean =>
  nameOf(error) === 'ConditionalCheckFailedException' ||
  (cancellationReasons(error)?.includes('ConditionalCheckFailed') ?? false);

/** A transaction lost to a concurrent one touching the same item: worth trying again. */
export const isTransactionConflict = (error: unknown): boolean =>
  (cancellationReasons(error)?.includes('TransactionConflict') ?? false) ||
  nameOf(error) === 'TransactionConflictException' ||
  nameOf(error) === 'TransactionInProgressException';

/** Whether the condition of any of the items at `indexes` of a cancelled transaction failed. */
export const conditionFailedAt = (error: unknown, ...indexes: number[]): boolean => {
  const reasons = cancellationReasons(error);
  return reasons !== undefined && indexes.some((i) => reasons[i] === 'ConditionalCheckFailed');
};

/** S3's answer for an object (or version) that is not there: by name, or by status for a HEAD. */
export const isMissingObject = (error: unknown): boolean => {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  return (
    e?.name === 'NotFound' ||
    e?.name === 'NoSuchKey' ||
    e?.name === 'NoSuchVersion' ||
    e?.$metadata?.httpStatusCode === 404
  );
};
