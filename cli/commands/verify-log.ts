/**
 * `crs verify-log --export <file> --public-key <file>` — verifies a Release of Recording Log export
 * (CSV or JSON from GET /release-log) offline: every link of the hash chain, every checkpoint signature
 * (ECDSA P-256 / SHA-256, public key from GET /release-log/public-key), and that each signed head is
 * the entry the export holds at that sequence number. Names the first bad entry; exit 1 on failure.
 */
import { parseExport, verifyExport } from '../../functions/domain/release-log-format.js';
import { verifyCommand } from '../verify-command.js';

export const command = verifyCommand({
  name: 'verify-log',
  usage:
    'usage: crs verify-log --export <log.csv|log.json> --public-key <key.pem|public-key.json> [--accept-unsigned]',
  summary: 'verify an exported Release of Recording Log offline (chain + checkpoint signatures)',
  verify: (text, key, options) => verifyExport(parseExport(text), key, options),
  ok: (result) =>
    result.attestedTo === 0
      ? `OK (UNSIGNED, accepted): ${result.entries} entries link up; nothing signs them`
      : `OK: ${result.entries} entries, ${result.checkpoints} checkpoints verified; signed up to seq ${result.attestedTo}` +
        (result.unattested > 0
          ? ` (${result.unattested} newer entries not yet covered by a checkpoint)`
          : ''),
});
