/**
 * `crs verify-audit --export <file> --public-key <file> [--accept-unsigned]` — verifies an access audit
 * log export (crs audit-log) offline: every link of every shard chain, every checkpoint (signature, the
 * Merkle root of its shard heads, each head against the entries), and that the newest checkpoint anchored
 * in the archive is in the export and matches it. Names the first bad entry; exit 1 on failure, and on an
 * export nothing signs ("unsigned") unless --accept-unsigned.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parseAuditExport, verifyAuditExport } from '../../functions/playback/audit-export.js';
import { parsePublicKey } from '../../functions/release/log-format.js';
import type { CliCommand } from '../command.js';

const USAGE =
  'usage: crs verify-audit --export <audit.json> --public-key <key.pem|public-key.json> [--accept-unsigned]';

export const command: CliCommand = {
  summary: 'verify an exported access audit log offline (shard chains + signed, anchored checkpoints)',
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
    let result: ReturnType<typeof verifyAuditExport>;
    try {
      const exported = parseAuditExport(await readFile(values.export, 'utf8'));
      const key = parsePublicKey(await readFile(values['public-key'], 'utf8'));
      result = verifyAuditExport(exported, key, { acceptUnsigned: values['accept-unsigned'] === true });
    } catch (error) {
      console.error(
        `verify-audit: cannot read the export or key: ${error instanceof Error ? error.message : error}`,
      );
      return 1;
    }
    if (!result.ok) {
      const [first, ...more] = result.failures;
      const unsigned = first?.reason.startsWith('unsigned');
      console.error(
        unsigned
          ? `UNSIGNED: ${first?.reason} (--accept-unsigned to accept it)`
          : `FAILED: first bad entry: ${first?.entry}: ${first?.reason}`,
      );
      for (const f of more) console.error(`  also: ${f.entry}: ${f.reason}`);
      return 1;
    }
    console.log(
      result.signed
        ? `OK: ${result.entries} entries in ${result.chains} chains, ${result.checkpoints} checkpoints verified; ` +
            `${result.attested} entries signed, ${result.entries - result.attested} newer not yet covered`
        : `OK (UNSIGNED, accepted): ${result.entries} entries in ${result.chains} chains link up; nothing signs them`,
    );
    return 0;
  },
};
