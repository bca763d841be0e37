/**
 * The staff-notices SNS topic (deployed by the stack; the local stack's stand-in prints and keeps each
 * message). Email subscribers get the weekly due list. Port: `StaffNoticesTopic`
 * (functions/ports/staff-notices.ts).
 */
import { sns } from '../platform/clients/sns.js';
import type { StaffNoticesTopic } from '../ports/staff-notices.js';

/** SNS takes at most 256 KB per message; stay well under it. */
export const MAX_MESSAGE_BYTES = 200_000;

export const snsStaffNoticesTopic = (topicArn: string): StaffNoticesTopic => ({
  maxMessageBytes: MAX_MESSAGE_BYTES,
  publish: async (subject, message) => {
    const { client, PublishCommand } = await sns();
    const result = await client.send(
      new PublishCommand({
        TopicArn: topicArn,
        // Email subjects: ASCII, no line breaks, at most 100 characters.
        Subject: subject.replace(/[^\x20-\x7e]/g, ' ').slice(0, 100),
        Message: message,
      }),
    );
    return result.MessageId;
  },
});
