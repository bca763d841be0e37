/**
 * The staff-notices SNS topic (deployed by the stack; the local stack's stand-in prints and keeps each
 * message). Email subscribers get the weekly due list.
 */
import { ENV } from '../../declarations/environment.js';
import { sns } from '../platform/clients/sns.js';
import { requireEnv } from '../platform/env.js';

/** SNS takes at most 256 KB per message; stay well under it. */
export const MAX_MESSAGE_BYTES = 200_000;

export const publishStaffNotices = async (subject: string, message: string): Promise<string | undefined> => {
  const { client, PublishCommand } = await sns();
  const result = await client.send(
    new PublishCommand({
      TopicArn: requireEnv(ENV.staffNoticesTopicArn),
      // Email subjects: ASCII, no line breaks, at most 100 characters.
      Subject: subject.replace(/[^\x20-\x7e]/g, ' ').slice(0, 100),
      Message: message,
    }),
  );
  return result.MessageId;
};
