/**
 * `crs release-log --out <file> [--csv] [--page-size <n>] [--public-key-out <file>]` — exports the whole
 * Release of Recording Log to one file. GET /release-log answers the full log in pages (at most 1000
 * entries each, checkpoints with the last page); this follows the cursors and writes the pages as one
 * export, JSON (default) or CSV, that `crs verify-log` checks unchanged. The file appears only once the
 * last page is in (it is written to <file>.partial first), so a half export never looks complete.
 */
import { type FileHandle, mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { type CheckpointLink, type EntryLink, fromCsv } from '../../functions/domain/release-log-format.js';
import { ApiError, call } from '../api-client.js';
import type { CliCommand } from '../command.js';
import { followPages } from '../pages.js';

const USAGE = [
  'usage: crs release-log --out <file> [--csv] [--page-size <1-1000>] [--public-key-out <file>]',
  '',
  '  Writes the complete Release of Recording Log (every entry and every signed checkpoint) to <file>,',
  '  following GET /release-log page by page. JSON by default; --csv writes the CSV export.',
  '  --page-size      entries asked per page (the API default and maximum is 1000)',
  '  --public-key-out also saves GET /release-log/public-key, for',
  '                   crs verify-log --export <file> --public-key <key file>',
  '  Needs the release-log-keeper or ig-officer role.',
].join('\n');

interface JsonPage {
  readonly entries: EntryLink[];
  readonly checkpoints: CheckpointLink[];
  readonly anchored?: CheckpointLink[];
  readonly cursor?: string;
}

interface Page {
  readonly entries: readonly EntryLink[];
  readonly checkpoints: readonly CheckpointLink[];
  readonly anchored: readonly CheckpointLink[];
  readonly cursor?: string;
  /** What this page adds to the file. */
  readonly text: (first: boolean) => string;
}

const CSV_ROW_END = '\r\n';

const fetchPage = async (csv: boolean, limit: string | undefined, cursor: string | undefined) => {
  const query = new URLSearchParams({
    ...(csv ? { format: 'csv' } : {}),
    ...(limit ? { limit } : {}),
    ...(cursor ? { cursor } : {}),
  });
  const reply = await call<JsonPage>('GET', `/release-log?${query}`);
  if (csv) {
    const { entries, checkpoints, anchored } = fromCsv(reply.text);
    // Every page repeats the header row: the file keeps the first page's.
    const body = reply.text.slice(reply.text.indexOf(CSV_ROW_END) + CSV_ROW_END.length);
    const page: Page = {
      entries,
      checkpoints,
      anchored,
      cursor: reply.headers.get('x-next-cursor') ?? undefined,
      text: (first) => (first ? reply.text : body),
    };
    return page;
  }
  const { entries, checkpoints, anchored, cursor: next } = reply.json;
  const page: Page = {
    entries,
    checkpoints,
    anchored: anchored ?? [],
    cursor: next,
    text: (first) => entries.map((e, i) => `${first && i === 0 ? '' : ',\n'}${JSON.stringify(e)}`).join(''),
  };
  return page;
};

/** Follows the cursors, appending each page to `file`; checks that each page continues the last. */
const exportPages = async (file: FileHandle, csv: boolean, limit: string | undefined) => {
  let lastSeq = 0;
  let firstSeq: number | undefined;
  let count = 0;
  const checkpoints: CheckpointLink[] = [];
  let anchored: readonly CheckpointLink[] = [];
  if (!csv) await file.write('{"format":"crs-release-log/1","complete":true,"entries":[\n');
  const pages = await followPages(
    (cursor) => fetchPage(csv, limit, cursor),
    async (page, index) => {
      // An empty page that promises more never moves on either.
      if (page.cursor !== undefined && page.entries.length === 0)
        throw new Error(`page ${index + 1} does not move the cursor on`);
      const first = page.entries[0]?.seq;
      if (first !== undefined && first !== lastSeq + 1)
        throw new Error(`page ${index + 1} starts at seq ${first}, expected ${lastSeq + 1}`);
      await file.write(page.text(index === 0));
      lastSeq = page.entries.at(-1)?.seq ?? lastSeq;
      firstSeq ??= page.entries[0]?.seq;
      // Counted from what the file holds, not from the seq range.
      count += page.entries.length;
      checkpoints.push(...page.checkpoints);
      if (!page.cursor) anchored = page.anchored;
      console.error(
        `release-log: ${count} entries so far (page ${index + 1}${page.cursor ? ', more to come' : ''})`,
      );
    },
  );
  if (!csv)
    await file.write(
      `\n],"checkpoints":${JSON.stringify(checkpoints)},"anchored":${JSON.stringify(anchored)}}\n`,
    );
  return { entries: count, firstSeq, lastSeq, checkpoints: checkpoints.length, pages };
};

export const command: CliCommand = {
  summary: 'export the whole Release of Recording Log to one file (JSON or CSV), page by page',
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        out: { type: 'string' },
        csv: { type: 'boolean' },
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
    const keyOut = values['public-key-out'];
    const csv = values.csv === true;
    const partial = `${out}.partial`;
    await mkdir(dirname(out), { recursive: true });
    if (keyOut) await mkdir(dirname(keyOut), { recursive: true });
    const file = await open(partial, 'w');
    try {
      const key = keyOut ? (await call('GET', '/release-log/public-key')).text : undefined;
      const done = await exportPages(file, csv, limit);
      await file.close();
      if (keyOut && key) await writeFile(keyOut, key);
      await rename(partial, out);
      console.log(
        `wrote ${out}: ${done.entries} entries` +
          (done.firstSeq === undefined ? '' : ` (seq ${done.firstSeq}–${done.lastSeq})`) +
          ` and ${done.checkpoints} checkpoints ` +
          `from ${done.pages} page${done.pages === 1 ? '' : 's'}, ${csv ? 'CSV' : 'JSON'}` +
          (keyOut ? `; public key in ${keyOut}` : ''),
      );
      return 0;
    } catch (error) {
      await file.close().catch(() => undefined);
      await rm(partial, { force: true });
      const why = error instanceof Error ? error.message : String(error);
      console.error(`crs release-log: ${why}; nothing written to ${out}`);
      return error instanceof ApiError && error.status === 403 ? 3 : 1;
    }
  },
};
