/**
 * `crs verify-audit --export <file> --public-key <file> [--accept-unsigned]` — verifies an access audit
 * log export (crs audit-log) offline: every link of every shard chain, every checkpoint (signature, the
 * Merkle root of its shard heads, each head against the entries), and that the newest checkpoint anchored
 * in the archive is in the export and matches it. Names the first bad entry; exit 1 on failure, and on an
 * export nothing signs ("unsigned") unless --accept-unsigned.
 */
import { parseAuditExport, verifyAuditExport } from '../../functions/playback/audit-export.js';
import { verifyCommand } from '../verify-command.js';

export const command = verifyCommand({
  name: 'verify-audit',
  usage:
    'usage: crs verify-audit --export <audit.json> --public-key <key.pem|public-key.json> [--accept-unsigned]',
  summary: 'verify an exported access audit log offline (shard chains + signed, anchored checkpoints)',
  verify: (text, key, options) => verifyAuditExport(parseAuditExport(text), key, options),
  ok: (result) =>
    result.signed
      ? `OK: ${result.entries} entries in ${result.chains} chains, ${result.checkpoints} checkpoints verified; ` +
        `${result.attested} entries signed, ${result.entries - result.attested} newer not yet covered`
      : `OK (UNSIGNED, accepted): ${result.entries} entries in ${result.chains} chains link up; nothing signs them`,
});
