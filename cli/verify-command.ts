/**
 * The shape `crs verify-log` and `crs verify-audit` share: read an export and the signing public key,
 * verify offline, name the first bad entry. Exit 1 on a failure, and on an export nothing signs
 * ("unsigned") unless --accept-unsigned; exit 2 on usage.
 */
import type { KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parsePublicKey, UNSIGNED } from '../functions/domain/release-log-format.js';
import type { CliCommand } from './command.js';

type Verdict<R> =
  | { readonly ok: false; readonly failures: readonly { entry: string; reason: string }[] }
  | ({ readonly ok: true } & R);

export const verifyCommand = <R>(spec: {
  readonly name: string;
  readonly usage: string;
  readonly summary: string;
  readonly verify: (text: string, key: KeyObject, options: { acceptUnsigned: boolean }) => Verdict<R>;
  /** The line printed when the export verifies. */
  readonly ok: (result: R) => string;
}): CliCommand => ({
  summary: spec.summary,
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
      console.log(spec.usage);
      return 0;
    }
    if (!values.export || !values['public-key']) {
      console.error(spec.usage);
      return 2;
    }
    let result: Verdict<R>;
    try {
      const text = await readFile(values.export, 'utf8');
      const key = parsePublicKey(await readFile(values['public-key'], 'utf8'));
      result = spec.verify(text, key, { acceptUnsigned: values['accept-unsigned'] === true });
    } catch (error) {
      console.error(
        `${spec.name}: cannot read the export or key: ${error instanceof Error ? error.message : error}`,
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
    console.log(spec.ok(result));
    return 0;
  },
});
