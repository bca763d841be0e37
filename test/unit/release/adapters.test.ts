/**
 * The release adapters against mocked SDK clients, for what DynamoDB Local cannot be made to do on cue: a
 * transaction cancelled by a lost race, a response cut short by the 1 MB cap; and KMS. What the stores'
 * conditions and queries do is proved on DynamoDB Local (test/integration/release-store.test.ts).
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { dynamoReleaseLog } from '../../../functions/adapters/release-log.js';
import { dynamoReleaseRepository } from '../../../functions/adapters/release-store.js';
import { kmsSigner } from '../../../functions/adapters/signer.js';
import { nextLink } from '../../../functions/domain/hash-chain.js';
import { logPayload, type Release, request } from '../../../functions/domain/release.js';

const ddb = mockClient(DynamoDBDocumentClient);
const kms = mockClient(KMSClient);

const release = (): Release => {
  const t = request({
    releaseId: 'rel-1',
    requester: { staffId: 'req-1', grants: {}, roles: [], scopes: [] },
    recording: { recordingId: 'rec-1', serviceArea: 'revenues', startedAt: '2026-10-01T09:30:00.000Z' },
    destination: { kind: 'service-area', serviceArea: 'housing' },
    purpose: { purpose: 'training' },
    justification: 'j',
    now: new Date('2026-11-01T10:00:00.000Z'),
    requestTtlDays: 14,
  });
  if (!t.ok) throw new Error(t.reason);
  return t.next;
};

describe('release store (DynamoDB)', () => {
  beforeEach(() => ddb.reset());

  it('creates the release, its recording pointer and its log entry in one conditional transaction', async () => {
    // Arrange
    ddb.on(QueryCommand).resolves({ Items: [] });
    ddb.on(TransactWriteCommand).resolves({});
    const r = release();
    // Act
    const link = await dynamoReleaseRepository('releases', 'log').create(
      r,
      logPayload(r, 'REQUESTED', 'req-1'),
    );
    // Assert
    expect(link).toMatchObject({ chain: 'releases', seq: 1 });
    const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items.map((i) => i.Put?.TableName)).toEqual(['releases', 'releases', 'log']);
    expect(items.map((i) => i.Put?.Item?.pk ?? i.Put?.Item?.chain)).toEqual([
      'RELEASE#rel-1',
      'RECORDING#rec-1',
      'releases',
    ]);
    expect(items[0]?.Put?.Item).toMatchObject({
      gsi1pk: 'REQUESTER#req-1',
      gsi2pk: 'AREA#revenues',
      gsi3pk: 'STATE#REQUESTED',
      gsi3sk: '2026-11-15T10:00:00.000Z#rel-1',
    });
  });

  it('writes a transition only if the state and version read are still stored, and then logs nothing', async () => {
    // Arrange
    ddb.on(QueryCommand).resolves({ Items: [] });
    ddb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
      }),
    );
    const current = release();
    const next: Release = { ...current, state: 'REJECTED', version: 2 };
    // Act
    const written = await dynamoReleaseRepository('releases', 'log').replace(
      next,
      current,
      logPayload(next, 'REJECTED', 'siro-1'),
    );
    // Assert
    expect(written).toBeUndefined();
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
    const put = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[0]?.Put;
    expect(put?.Item).toMatchObject({ gsi3pk: 'STATE#REJECTED', state: 'REJECTED' });
  });

  it('retries on a lost race for the next log sequence number, linking to the winner', async () => {
    // Arrange
    const r = release();
    const winner = nextLink('releases', undefined, logPayload(r, 'REQUESTED', 'req-1'), new Date());
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: [] })
      .resolves({ Items: [winner] });
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(
        new TransactionCanceledException({
          message: 'cancelled',
          $metadata: {},
          CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }],
        }),
      )
      .resolves({});
    const next: Release = { ...r, state: 'REJECTED', version: 2 };
    // Act
    const link = await dynamoReleaseRepository('releases', 'log').replace(
      next,
      r,
      logPayload(next, 'REJECTED', 's'),
    );
    // Assert
    expect(link).toMatchObject({ seq: 2, prevHash: winner.hash });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });

  it('answers every listing from an index or the key, never a scan', async () => {
    // Arrange
    ddb.on(QueryCommand).resolves({ Items: [{ releaseId: 'rel-1' }] });
    ddb.on(BatchGetCommand).resolves({ Responses: { releases: [] } });
    const repo = dynamoReleaseRepository('releases', 'log');
    // Act
    await repo.query({ by: 'requester', requesterId: 'req-1' }, 10);
    await repo.query({ by: 'area', serviceArea: 'revenues' }, 10);
    await repo.query({ by: 'state', state: 'ISSUED', dueBefore: '2026-12-01T00:00:00.000Z' }, 10);
    await repo.query({ by: 'recording', recordingId: 'rec-1' }, 10);
    // Assert
    const queries = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(queries.map((q) => q.IndexName)).toEqual(['gsi1', 'gsi2', 'gsi3', undefined]);
    expect(ddb.commandCalls(ScanCommand)).toHaveLength(0);
    expect(ddb.commandCalls(BatchGetCommand)[0]?.args[0].input.RequestItems?.releases?.Keys).toEqual([
      { pk: 'RELEASE#rel-1', sk: 'RELEASE' },
    ]);
  });
});

describe('release log (DynamoDB)', () => {
  beforeEach(() => ddb.reset());

  it('appends to the releases chain with index keys for the release and the requester', async () => {
    // Arrange
    ddb.on(QueryCommand).resolves({ Items: [] });
    ddb.on(PutCommand).resolves({});
    const at = new Date('2026-11-02T00:00:00.000Z');
    // Act
    const link = await dynamoReleaseLog('log', () => at).append(logPayload(release(), 'REQUESTED', 'req-1'));
    // Assert
    expect(link).toMatchObject({ chain: 'releases', seq: 1, at: at.toISOString() });
    expect(ddb.commandCalls(PutCommand)[0]?.args[0].input.Item).toMatchObject({
      gsi1pk: 'RELEASE#rel-1',
      gsi2pk: 'REQUESTER#req-1',
      chain: 'releases',
    });
  });
});

describe('release log pages (DynamoDB)', () => {
  beforeEach(() => ddb.reset());

  const item = (seq: number) => ({
    ...nextLink('releases', undefined, logPayload(release(), 'REQUESTED', 'req-1'), new Date(0)),
    seq,
    gsi1pk: 'RELEASE#rel-1',
  });

  it('reads a page with a Query after the cursor, limited to the page, asking again only for what a short response left out', async () => {
    // Arrange: DynamoDB stops the first response short (its 1 MB cap) with a LastEvaluatedKey.
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: [item(8), item(9)], LastEvaluatedKey: { chain: 'releases', seq: 9 } })
      .resolvesOnce({
        Items: [item(10), item(11), item(12)],
        LastEvaluatedKey: { chain: 'releases', seq: 12 },
      });
    // Act
    const links = await dynamoReleaseLog('log').entriesAfter(7, 5);
    // Assert
    expect(links.map((l) => l.seq)).toEqual([8, 9, 10, 11, 12]);
    expect(links[0]).not.toHaveProperty('gsi1pk');
    const inputs = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(inputs).toHaveLength(2);
    expect(inputs[0]).toMatchObject({ TableName: 'log', Limit: 5, ConsistentRead: true });
    expect(inputs[1]).toMatchObject({ Limit: 3, ExclusiveStartKey: { chain: 'releases', seq: 9 } });
    expect(inputs.every((i) => i.IndexName === undefined)).toBe(true);
    expect(ddb.commandCalls(ScanCommand)).toHaveLength(0);
  });

  it('stops at the end of the chain with fewer entries than the limit', async () => {
    ddb.on(QueryCommand).resolves({ Items: [item(1)] });
    const links = await dynamoReleaseLog('log').entriesAfter(0, 1001);
    expect(links.map((l) => l.seq)).toEqual([1]);
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(1);
  });
});

describe('KMS signer', () => {
  beforeEach(() => kms.reset());

  it('signs the raw message with ECDSA_SHA_256 and fetches the public key once', async () => {
    // Arrange
    kms.on(SignCommand).resolves({ Signature: new Uint8Array([1, 2, 3]), KeyId: 'arn:key/1' });
    kms.on(GetPublicKeyCommand).resolves({ PublicKey: new Uint8Array([4, 5]), KeyId: 'arn:key/1' });
    const signer = kmsSigner('alias/signing');
    // Act
    const signed = await signer.sign(Buffer.from('head'));
    await signer.publicKey();
    const key = await signer.publicKey();
    // Assert
    expect(kms.commandCalls(SignCommand)[0]?.args[0].input).toMatchObject({
      KeyId: 'alias/signing',
      MessageType: 'RAW',
      SigningAlgorithm: 'ECDSA_SHA_256',
    });
    expect(signed).toEqual({ signature: Buffer.from([1, 2, 3]), keyId: 'arn:key/1' });
    expect(key.spkiDer).toEqual(Buffer.from([4, 5]));
    expect(kms.commandCalls(GetPublicKeyCommand)).toHaveLength(1);
  });
});
