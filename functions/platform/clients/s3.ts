import { S3Client } from '@aws-sdk/client-s3';
import { ENV } from '../../../declarations/environment.js';
import { optionalEnv } from '../env.js';
import { once } from './once.js';
import { traced } from './tracing.js';

export const s3Client = once(() =>
  traced(
    new S3Client({
      forcePathStyle: optionalEnv(ENV.s3ForcePathStyle) === 'true',
      // Checksums only when an operation requires them: the emulator and presigned PUTs stay predictable.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    }),
  ),
);
