/**
 * EventBridge stand-in (JSON 1.1, `X-Amz-Target: AWSEvents.PutEvents`) for the audit bus, served on the
 * SQS/SNS stand-in's port. Each accepted entry becomes the event EventBridge would deliver to a rule's
 * target (`version`, `id`, `detail-type`, `source`, `account`, `time`, `region`, `resources`, `detail`)
 * and is appended to a JSON-lines file — the local SIEM sink (`.local/siem-events.jsonl`), also served
 * at `GET /_local/siem-events`. Only PutEvents, only to the buses it knows.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { ACCOUNT_ID, REGION } from './config.js';

export interface DeliveredEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: unknown;
  /** Not on AWS: the bus it was put on (a rule belongs to one bus). */
  readonly eventBusName: string;
}

interface PutEntry {
  readonly EventBusName?: string;
  readonly Source?: string;
  readonly DetailType?: string;
  readonly Detail?: string;
  readonly Time?: number | string;
  readonly Resources?: string[];
}

export type PutResult = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

export class LocalEventBus {
  constructor(
    private readonly file: string,
    private readonly buses: readonly string[],
  ) {}

  private known(name: string | undefined): string | undefined {
    const bare = name?.split('/').pop();
    return bare && this.buses.includes(bare) ? bare : undefined;
  }

  async putEvents(input: {
    Entries?: PutEntry[];
  }): Promise<{ FailedEntryCount: number; Entries: PutResult[] }> {
    const entries = input.Entries ?? [];
    if (entries.length === 0 || entries.length > 10)
      throw new Error(`PutEvents takes 1 to 10 entries, got ${entries.length}`);
    const results: PutResult[] = [];
    const lines: string[] = [];
    for (const entry of entries) {
      const bus = this.known(entry.EventBusName);
      let detail: unknown;
      try {
        detail = JSON.parse(entry.Detail ?? '');
      } catch {
        detail = undefined;
      }
      if (!bus) {
        results.push({
          ErrorCode: 'NotFound',
          ErrorMessage: `no event bus ${entry.EventBusName ?? 'default'}`,
        });
      } else if (!entry.Source || !entry.DetailType || detail === null || typeof detail !== 'object') {
        results.push({
          ErrorCode: 'MalformedDetail',
          ErrorMessage: 'Source, DetailType and a JSON object Detail are required',
        });
      } else {
        const id = randomUUID();
        const time =
          entry.Time === undefined
            ? new Date()
            : new Date(typeof entry.Time === 'number' ? entry.Time * 1000 : entry.Time);
        const event: DeliveredEvent = {
          version: '0',
          id,
          'detail-type': entry.DetailType,
          source: entry.Source,
          account: ACCOUNT_ID,
          // EventBridge keeps whole seconds.
          time: `${time.toISOString().slice(0, 19)}Z`,
          region: REGION,
          resources: entry.Resources ?? [],
          detail,
          eventBusName: bus,
        };
        lines.push(JSON.stringify(event));
        results.push({ EventId: id });
      }
    }
    if (lines.length) await appendFile(this.file, `${lines.join('\n')}\n`, { mode: 0o600 });
    return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
  }

  /** Events delivered so far (all, or the newest `limit`), oldest first. */
  events(limit?: number): DeliveredEvent[] {
    if (!existsSync(this.file)) return [];
    const all = readFileSync(this.file, 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as DeliveredEvent);
    return limit === undefined ? all : all.slice(-limit);
  }
}
