/**
 * `crs audit-log --out <file> [--page-size <n>] [--public-key-out <file>]` — exports the whole access
 * audit log (every entry of every shard chain, the signed checkpoints, and the newest checkpoint anchored
 * in the archive) to one JSON file, following GET /audit/export page by page, for `crs verify-audit`.
 * The file appears only once the last page is in (written to <file>.partial first).
 */
import { open, rename, rm, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { AuditLink } from '../../functions/domain/audit.js';
import { AUDIT_EXPORT_FORMAT, type AuditCheckpointLink } from '../../functions/playback/audit-export.js';
import { ApiError, call } from '../api-client.js';
import type { CliCommand } from '../command.js';
import { followPages } from '../pages.js';

const USAGE = [
  'usage: crs audit-log --out <file> [--page-size <1-1000>] [--public-key-out <file>]',
  '',
  '  Writes the complete access audit log (entries, signed checkpoints, the newest checkpoint anchored',
  '  in the archive) to <file> as JSON, following GET /audit/export page by page.',
  '  --public-key-out also saves the checkpoint signing key (GET /release-log/public-key), for',
  '                   crs verify-audit --export <file> --public-key <key file>',
  '  Needs the ig-officer or release-log-keeper role.',
].join('\n');

interface Page {
  readonly entries: AuditLink[];
  readonly checkpoints?: AuditCheckpointLink[];
  readonly anchored?: AuditCheckpointLink[];
  readonly asOf?: string;
  readonly cursor?: string;
}

export const command: CliCommand = {
  summary: 'export the whole access audit log to one file, for crs verify-audit',
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        out: { type: 'string' },
        'page-size': { type: 'string' },
        'public-key-out': { type: 'string' },
        help: { type: 'boolean' },
      },
      strict: true,
    });
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    const limit = values['page-size'];
    if (!values.out || (limit !== undefined && !/^(?:[1-9][0-9]{0,2}|1000)$/.test(limit))) {
      console.error(USAGE);
      return 2;
    }
    const out = values.out;
    const partial = `${out}.partial`;
    const file = await open(partial, 'w');
    try {
      let count = 0;
      let last: Page | undefined;
      await file.write(`{"format":"${AUDIT_EXPORT_FORMAT}","entries":[\n`);
      const pages = await followPages(
        async (cursor) => {
          const query = new URLSearchParams({ ...(limit ? { limit } : {}), ...(cursor ? { cursor } : {}) });
          return (await call<Page>('GET', `/audit/export?${query}`)).json;
        },
        async (page) => {
          await file.write(
            page.entries.map((e, i) => `${count + i === 0 ? '' : ',\n'}${JSON.stringify(e)}`).join(''),
          );
          count += page.entries.length;
          last = page;
        },
      );
      const checkpoints = last?.checkpoints ?? [];
      const anchored = last?.anchored ?? [];
      await file.write(
        `\n],"asOf":${JSON.stringify(last?.asOf)},"checkpoints":${JSON.stringify(checkpoints)},` +
          `"anchored":${JSON.stringify(anchored)}}\n`,
      );
      await file.close();
      const keyOut = values['public-key-out'];
      if (keyOut) await writeFile(keyOut, (await call('GET', '/release-log/public-key')).text);
      await rename(partial, out);
      console.log(
        `wrote ${out}: ${count} entries, ${checkpoints.length} checkpoints, ${anchored.length} anchored ` +
          `from ${pages} page${pages === 1 ? '' : 's'}${keyOut ? `; public key in ${keyOut}` : ''}`,
      );
      return 0;
    } catch (error) {
      await file.close().catch(() => undefined);
      await rm(partial, { force: true });
      const why = error instanceof Error ? error.message : String(error);
      console.error(`crs audit-log: ${why}; nothing written to ${out}`);
      return error instanceof ApiError && error.status === 403 ? 3 : 1;
    }
  },
};
