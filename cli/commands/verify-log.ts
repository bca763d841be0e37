/**
 * `crs verify-log --export <file> --public-key <file>` — verifies a Release of Recording Log export
 * (CSV or JSON from GET /release-log) offline: every link of the hash chain, every checkpoint signature
 * (ECDSA P-256 / SHA-256, public key from GET /release-log/public-key), and that each signed head is
 * the entry the export holds at that sequence number. Names the first bad entry; exit 1 on failure.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parseExport, parsePublicKey, UNSIGNED, verifyExport } from '../../functions/release/log-format.js';
import type { CliCommand } from '../command.js';

const USAGE =
  'usage: crs verify-log --export <log.csv|log.json> --public-key <key.pem|public-key.json> [--accept-unsigned]';

export const command: CliCommand = {
  summary: 'verify an exported Release of Recording Log offline (chain + checkpoint signatures)',
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        export: { type: 'string' },
        'public-key': { type: 'string' },
        'accept-unsigned': { type: 'boolean' },
        help: { type: 'boolean' },
      },
      strict: true,
    });
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    if (!values.export || !values['public-key']) {
      console.error(USAGE);
      return 2;
    }
    let result: ReturnType<typeof verifyExport>;
    try {
      const exported = parseExport(await readFile(values.export, 'utf8'));
      const key = parsePublicKey(await readFile(values['public-key'], 'utf8'));
      result = verifyExport(exported, key, { acceptUnsigned: values['accept-unsigned'] === true });
    } catch (error) {
      console.error(
        `verify-log: cannot read the export or key: ${error instanceof Error ? error.message : error}`,
      );
      return 1;
    }
    if (!result.ok) {
      const [first, ...more] = result.failures;
      console.error(
        first?.reason.startsWith(UNSIGNED)
          ? `UNSIGNED: ${first.reason} (--accept-unsigned to accept it)`
          : `FAILED: first bad entry: ${first?.entry}: ${first?.reason}`,
      );
      for (const f of more) console.error(`  also: ${f.entry}: ${f.reason}`);
      return 1;
    }
    if (result.attestedTo === 0) {
      console.log(`OK (UNSIGNED, accepted): ${result.entries} entries link up; nothing signs them`);
      return 0;
    }
    console.log(
      `OK: ${result.entries} entries, ${result.checkpoints} checkpoints verified; signed up to seq ${result.attestedTo}` +
        (result.unattested > 0
          ? ` (${result.unattested} newer entries not yet covered by a checkpoint)`
          : ''),
    );
    return 0;
  },
};
