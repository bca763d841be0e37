/**
 * `crs delete <recordingId> --reason TEXT`: nominated staff of the recording's service area delete a
 * recording once its 12-month lock has passed and no hold is on it (DELETE /recordings/{id}, policy s.6
 * and s.7). The deletion is audited and certified; a refusal names its rule.
 */
import { parseArgs } from 'node:util';
import { call } from '../api-client.js';
import type { CliCommand } from '../command.js';

const USAGE = `usage: crs delete <recordingId> --reason TEXT
  nominated staff of the recording's area only; refused (with the policy rule) while the recording is
  within its 12 months, held, or not archived. Prints the deletion certificate.`;

interface Deleted {
  recordingId: string;
  status: string;
  deletion?: { by: string; at: string; rule: string; reason: string; sha256: string };
}

export const command: CliCommand = {
  summary: 'delete a recording after its 12 months (nominated staff), with a certificate',
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { reason: { type: 'string' }, help: { type: 'boolean' } },
    });
    const [id] = positionals;
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    if (!id || !values.reason) {
      console.error(USAGE);
      return 2;
    }
    const reply = await call<Deleted>('DELETE', `/recordings/${encodeURIComponent(id)}`, {
      reason: values.reason,
    });
    const c = reply.json.deletion;
    console.log(
      `recording ${id}: ${reply.json.status ?? 'DELETED'}` +
        (c ? ` by ${c.by} at ${c.at} (${c.rule}: ${c.reason}; sha256 ${c.sha256})` : ''),
    );
    return 0;
  },
};
