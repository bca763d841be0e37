/**
 * `crs verify-package <dir|zip> --public-key <file>` — checks a disclosure package offline: the
 * certificate is the council's signature (public key from GET /release-log/public-key) of the
 * manifest's SHA-256, and every file matches its manifest hash, none is missing and none was added.
 * Names each file that fails; exit 1 on failure.
 */
import { verify } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { verifyPackage } from '../../functions/domain/disclosure-package.js';
import { parsePublicKey } from '../../functions/domain/release-log-format.js';
import type { CliCommand } from '../command.js';
import { readPackage } from '../package-files.js';

const USAGE =
  'usage: crs verify-package <package folder | package.zip> --public-key <key.pem|public-key.json>';

export const command: CliCommand = {
  summary: 'verify a disclosure package offline (every file hash + the signed manifest)',
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { 'public-key': { type: 'string' }, help: { type: 'boolean' } },
      strict: true,
    });
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    const [location] = positionals;
    if (!location || !values['public-key'] || positionals.length > 1) {
      console.error(USAGE);
      return 2;
    }
    let verdict: ReturnType<typeof verifyPackage>;
    try {
      const key = parsePublicKey(await readFile(values['public-key'], 'utf8'));
      const contents = await readPackage(location);
      verdict = verifyPackage(contents, (message, signature) => verify('sha256', message, key, signature));
    } catch (error) {
      console.error(
        `verify-package: cannot read the package or key: ${error instanceof Error ? error.message : error}`,
      );
      return 1;
    }
    if (!verdict.ok) {
      console.error(`FAILED: ${location}`);
      for (const problem of verdict.problems) console.error(`  ${problem}`);
      return 1;
    }
    const m = verdict.manifest;
    console.log(
      `OK: package ${m?.packageId} (${m?.kind}), ${m?.files.length} files match the manifest signed by the council`,
    );
    return 0;
  },
};
