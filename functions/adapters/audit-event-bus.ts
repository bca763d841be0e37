/** The audit event bus (AuditEventBus) on EventBridge: PutEvents in requests of ten, the API's limit. */
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { type AuditEvent, EVENT_SOURCE } from '../domain/audit-event.js';
import { eventBridgeClient } from '../platform/clients/eventbridge.js';
import { log } from '../platform/log.js';
import type { AuditEventBus } from '../ports/audit-events.js';

const MAX_ENTRIES = 10;

export const eventBridgeAuditBus = (busName: string): AuditEventBus => ({
  async put(events: readonly AuditEvent[]) {
    const requests: AuditEvent[][] = [];
    for (let i = 0; i < events.length; i += MAX_ENTRIES) requests.push(events.slice(i, i + MAX_ENTRIES));
    const answers = await Promise.all(
      requests.map(async (batch) => {
        try {
          const out = await eventBridgeClient().send(
            new PutEventsCommand({
              Entries: batch.map((e) => ({
                EventBusName: busName,
                Source: EVENT_SOURCE,
                DetailType: e.detailType,
                Detail: JSON.stringify(e.detail),
                Time: new Date(e.time),
              })),
            }),
          );
          // Entries answer in request order; a failed one has an ErrorCode and no EventId.
          return batch.map((_, i) => {
            const answer = out.Entries?.[i];
            return Boolean(answer?.EventId) && !answer?.ErrorCode;
          });
        } catch (error) {
          log.warn('PutEvents failed', { events: batch.length, error });
          return batch.map(() => false);
        }
      }),
    );
    return answers.flat();
  },
});
