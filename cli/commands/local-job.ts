/**
 * `crs local-job <job>`: runs a scheduled job on the LOCAL stack now (POST /_local/run/{job}), e.g.
 * `audit-log-checkpoint` to sign and anchor the access audit log's head instead of waiting for the hour.
 * Deployed stacks run jobs on their EventBridge schedules only; there this route does not exist.
 */
import { parseArgs } from 'node:util';
import { call } from '../api-client.js';
import type { CliCommand } from '../command.js';

const USAGE = `usage: crs local-job <job> [--now <day | date-time>]
  runs a scheduled job on the local stack now, e.g. audit-log-checkpoint, release-log-checkpoint, deletion
  (the list: declarations/schedules.ts). Local stack only.
  --now   first moves the stack clock forward to this time (2028-12-31, or 2028-12-31T00:00:00Z): the
          jobs and the archive's Object Lock then run at it, so the 12- and 24-month rules act without
          waiting. The clock only moves forward and stays there (npm run reset starts over).`;

export const command: CliCommand = {
  summary: 'run a scheduled job on the local stack now (e.g. audit-log-checkpoint)',
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { help: { type: 'boolean' }, now: { type: 'string' } },
    });
    const [job] = positionals;
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    if (!job) {
      console.error(USAGE);
      return 2;
    }
    const reply = await call(
      'POST',
      `/_local/run/${encodeURIComponent(job)}`,
      values.now === undefined ? {} : { now: values.now },
    );
    const body = reply.json as { now?: string; result?: unknown };
    console.log(`${job}: done at ${body.now ?? 'the stack clock'} (HTTP ${reply.status})`);
    if (body.result !== undefined && body.result !== null) console.log(JSON.stringify(body.result, null, 2));
    return 0;
  },
};
