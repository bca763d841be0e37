/** Builds the audit-event ports from the environment (once per container). */

import { ENV } from '../../declarations/environment.js';
import { eventBridgeAuditBus } from '../adapters/audit-event-bus.js';
import { requireEnv } from '../platform/env.js';
import { redact } from '../platform/log.js';
import type { AuditEventDeps } from '../ports/audit-events.js';

export const awsAuditEventDeps = (): AuditEventDeps => ({
  bus: eventBridgeAuditBus(requireEnv(ENV.auditEventBusName)),
  scrub: redact,
});
