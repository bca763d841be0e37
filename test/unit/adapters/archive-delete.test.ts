/**
 * Issue 11 item 13: the archive is versioned, so a delete must name the version. A version-less
 * DeleteObject removes nothing and hides the recording behind a delete marker; the roles no longer hold
 * s3:DeleteObject on the archive (test/infra/access.test.ts), and the adapters never send one.
 */
import { DeleteObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { s3ObjectLock } from '../../../functions/adapters/object-lock.js';
import { deleteObjectVersion } from '../../../functions/adapters/playback-objects.js';

const s3 = mockClient(S3Client);

beforeEach(() => {
  s3.reset();
  s3.on(DeleteObjectCommand).resolves({});
});

describe('archive deletes name a version', () => {
  it('sends the version id with each delete (sweeper and playback)', async () => {
    await s3ObjectLock('archive').deleteVersion('recordings/r1.wav', 'v-1');
    await deleteObjectVersion('archive', 'recordings/r2.wav', 'v-2');

    expect(s3.commandCalls(DeleteObjectCommand).map((c) => c.args[0].input)).toEqual([
      { Bucket: 'archive', Key: 'recordings/r1.wav', VersionId: 'v-1' },
      { Bucket: 'archive', Key: 'recordings/r2.wav', VersionId: 'v-2' },
    ]);
  });

  it('refuses a delete without a version id and sends nothing', async () => {
    await expect(s3ObjectLock('archive').deleteVersion('recordings/r1.wav', undefined)).rejects.toThrow(
      /version-less delete/,
    );
    await expect(deleteObjectVersion('archive', 'recordings/r2.wav', undefined)).rejects.toThrow(
      /version-less delete/,
    );

    expect(s3.commandCalls(DeleteObjectCommand)).toHaveLength(0);
  });
});
