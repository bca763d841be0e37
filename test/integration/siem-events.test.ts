/**
 * Audit events to the SIEM on the local stack: DynamoDB Local's streams of the audit and release log
 * tables → the auditEvents function (local/streams.ts, as the CDK event source mapping) → the audit bus
 * stand-in → the sink read at `GET /_local/siem-events`. Each audited request and each Release of Recording
 * Log entry gives exactly one event, carrying the hash the chain holds, and no caller number in clear.
 *
 * Delivery is at least once in general (a retried stream batch publishes its entries again, with the same
 * chain, seq and hash); on this stack nothing fails, so the test demands exactly one event per entry and
 * counts duplicates of (chain, seq) as failures rather than deduplicating them.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { smallWav } from '../../bench/ingest-audio.js';
import { api, baseUrl, closeClients, dynamo, table } from './support.js';

interface SiemEvent {
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly detail: {
    readonly chain: string;
    readonly seq: number;
    readonly hash: string;
    readonly prevHash: string;
    readonly entry: Record<string, unknown>;
  };
}
interface Link {
  readonly chain: string;
  readonly seq: number;
  readonly hash: string;
  readonly payload: Record<string, unknown>;
}

const CALLER = '+441632960777';
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
/** The documented event schema (docs/audit-event.schema.json). */
const validEvent = ajv.compile(JSON.parse(readFileSync('docs/audit-event.schema.json', 'utf8')));
const AUDIO = smallWav(20);

/** Reads the streams to their end first, so every entry written before the call has been published. */
const siemEvents = async (): Promise<SiemEvent[]> => {
  const response = await fetch(`${baseUrl()}/_local/siem-events?sync=true`);
  if (response.status !== 200) throw new Error(`siem-events: HTTP ${response.status}`);
  return ((await response.json()) as { events: SiemEvent[] }).events;
};

const scanLinks = async (tableId: string, filter: (l: Link) => boolean): Promise<Link[]> => {
  const links: Link[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await dynamo().send(
      new ScanCommand({ TableName: table(tableId), ExclusiveStartKey: start }),
    );
    links.push(...((page.Items ?? []) as Link[]).filter(filter));
    start = page.LastEvaluatedKey;
  } while (start);
  return links;
};

const archivedRecording = async (): Promise<string> => {
  const callId = `siem-${randomUUID()}`;
  const registered = await api('telephony').post('/uploads', {
    callId,
    serviceArea: 'revenues',
    extension: '2001',
    direction: 'inbound',
    startedAt: '2026-10-10T09:00:00+00:00',
    endedAt: '2026-10-10T09:00:20+00:00',
    agentId: 'agent-siem',
    counterparty: CALLER,
    notification: { method: 'announcement' },
    abuseReminder: false,
    verificationReminder: false,
    pci: { pausedSegments: [], cardDataCaptured: false },
    audio: {
      format: 'wav',
      sizeBytes: AUDIO.length,
      sha256: createHash('sha256').update(AUDIO).digest('hex'),
    },
  });
  if (registered.status !== 201) throw new Error(`registration failed: ${registered.text}`);
  const { url, method, headers } = registered.json.upload;
  const put = await fetch(url, { method: method ?? 'PUT', headers, body: AUDIO });
  if (!put.ok) throw new Error(`upload failed: ${put.status}`);
  for (let attempt = 0; attempt < 300; attempt += 1) {
    const status = await api('telephony').get(`/uploads/${callId}`);
    if (status.json.status === 'ARCHIVED') return registered.json.recordingId as string;
    if (status.json.status !== 'PENDING') throw new Error(`ingest ended ${status.json.status}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('recording not archived');
};

afterAll(() => closeClients());

describe('audit events to the SIEM', () => {
  it('gives each audited request exactly one event with the hash of its audit entry', async () => {
    // Arrange
    const recordingId = await archivedRecording();
    const run = randomUUID().slice(0, 8);
    const id = (n: number) => `siem-${run}-${n}`;
    const requests: [number, () => Promise<{ status: number }>][] = [
      [
        200,
        () => api('revenues-listener').get('/recordings?serviceArea=revenues', { 'x-correlation-id': id(1) }),
      ],
      [
        200,
        () =>
          api('revenues-listener').get(
            `/recordings?serviceArea=revenues&caller=${encodeURIComponent(CALLER)}`,
            {
              'x-correlation-id': id(2),
            },
          ),
      ],
      [
        403,
        () => api('housing-listener').get('/recordings?serviceArea=revenues', { 'x-correlation-id': id(3) }),
      ],
      [
        200,
        () =>
          api('revenues-listener').post(
            `/recordings/${recordingId}/playback`,
            { purpose: 'training' },
            { 'x-correlation-id': id(4) },
          ),
      ],
      [
        403,
        () =>
          api('housing-listener').post(
            `/recordings/${recordingId}/playback`,
            { purpose: 'training' },
            { 'x-correlation-id': id(5) },
          ),
      ],
      // An audit read without filters: its entry holds an empty map (DynamoDB Local streams it typeless).
      [200, () => api('ig-officer').get('/audit', { 'x-correlation-id': id(6) })],
    ];
    const ours = new Set(requests.map((_, i) => id(i + 1)));

    // Act
    for (const [expected, send] of requests) expect((await send()).status).toBe(expected);
    const events = await siemEvents();
    const entries = await scanLinks('auditLog', (l) => ours.has(String(l.payload?.correlationId)));

    // Assert: one entry per request, one event per entry, the same chain position and hash.
    expect(entries).toHaveLength(requests.length);
    const published = events.filter(
      (e) => e['detail-type'] === 'AccessAuditEntry' && ours.has(String(e.detail.entry.correlationId)),
    );
    expect(published).toHaveLength(requests.length);
    const key = (x: { chain: string; seq: number; hash: string }) => `${x.chain}/${x.seq}/${x.hash}`;
    expect(published.map((e) => key(e.detail)).sort()).toEqual(entries.map(key).sort());
    for (const event of published) {
      expect(event.source).toBe('crs.audit');
      expect({ valid: validEvent(event), errors: validEvent.errors ?? null }).toEqual({
        valid: true,
        errors: null,
      });
    }
    expect(JSON.stringify(events)).not.toContain(CALLER.slice(1));
  }, 180_000);

  it('gives each Release of Recording Log entry exactly one event, and no entry of either log two', async () => {
    // Arrange
    const recordingId = await archivedRecording();
    const requested = await api('housing-listener').post('/releases', {
      recordingId,
      destination: { kind: 'service-area', serviceArea: 'housing' },
      purpose: 'dispute-verification',
      justification: 'Complaint C-7 escalated to housing',
    });
    expect(requested.status).toBe(201);
    const releaseId = requested.json.releaseId as string;

    // Act
    expect((await api('revenues-manager').post(`/releases/${releaseId}/approve`)).status).toBe(200);
    const events = await siemEvents();
    const entries = await scanLinks(
      'releaseLog',
      (l) => l.chain === 'releases' && l.payload?.releaseId === releaseId,
    );

    // Assert
    expect(entries.length).toBeGreaterThanOrEqual(2);
    const published = events.filter(
      (e) => e['detail-type'] === 'ReleaseLogEntry' && e.detail.entry.releaseId === releaseId,
    );
    for (const event of published) expect(validEvent(event)).toBe(true);
    expect(published.map((e) => [e.detail.seq, e.detail.hash]).sort()).toEqual(
      entries.map((l) => [l.seq, l.hash]).sort(),
    );
    // Over everything published on this stack so far: no (chain, seq) twice, each hash as stored.
    const positions = events.map((e) => `${e.detail.chain}/${e.detail.seq}`);
    expect(new Set(positions).size).toBe(positions.length);
    const stored = new Map(
      [...(await scanLinks('auditLog', () => true)), ...(await scanLinks('releaseLog', () => true))].map(
        (l) => [`${l.chain}/${l.seq}`, l.hash],
      ),
    );
    expect(events.filter((e) => stored.get(`${e.detail.chain}/${e.detail.seq}`) !== e.detail.hash)).toEqual(
      [],
    );
  }, 180_000);
});
