import { once } from './once.js';
import { traced } from './tracing.js';

/**
 * Loaded on first use: only the staff reminders job publishes, but the registers function shares the
 * staff-notice ports and would otherwise load the SNS client at every cold start.
 */
export const sns = once(async () => {
  const sdk = await import('@aws-sdk/client-sns');
  return { client: traced(new sdk.SNSClient({})), PublishCommand: sdk.PublishCommand };
});
