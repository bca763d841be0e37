/**
 * `crs local-job <job>`: runs a scheduled job on the LOCAL stack now (POST /_local/run/{job}), e.g.
 * `audit-log-checkpoint` to sign and anchor the access audit log's head instead of waiting for the hour.
 * Deployed stacks run jobs on their EventBridge schedules only; there this route does not exist.
 */
import { parseArgs } from 'node:util';
import { call } from '../api-client.js';
import type { CliCommand } from '../command.js';

const USAGE = `usage: crs local-job <job>
  runs a scheduled job on the local stack now, e.g. audit-log-checkpoint, release-log-checkpoint, deletion
  (the list: declarations/schedules.ts). Local stack only.`;

export const command: CliCommand = {
  summary: 'run a scheduled job on the local stack now (e.g. audit-log-checkpoint)',
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { help: { type: 'boolean' } },
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
    const reply = await call('POST', `/_local/run/${encodeURIComponent(job)}`, {});
    console.log(`${job}: done (HTTP ${reply.status})`);
    return 0;
  },
};
