/**
 * AWS SDK v3 clients, each built once per container on first use. Endpoints come from the SDK's own
 * `AWS_ENDPOINT_URL_<SERVICE>` variables, so the local stack needs no code path of its own here.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ENV } from '../../infra/declarations/environment.js';

const once = <T>(build: () => T): (() => T) => {
  let value: T | undefined;
  return () => {
    value ??= build();
    return value;
  };
};

export const s3Client = once(
  () =>
    new S3Client({
      forcePathStyle: process.env[ENV.s3ForcePathStyle] === 'true',
      // Checksums only when an operation requires them: the emulator and presigned PUTs stay predictable.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    }),
);

export const dynamoDocumentClient = once(() =>
  DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  }),
);

export const kmsClient = once(() => new KMSClient({}));
export const sqsClient = once(() => new SQSClient({}));
export const snsClient = once(() => new SNSClient({}));
