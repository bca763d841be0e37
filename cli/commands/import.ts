/**
 * `crs import <dir> [--concurrency N] [--timeout S]`: bulk upload of a directory where each audio file
 * `<name>.<wav|mp3|ogg|flac|m4a>` has its metadata beside it in `<name>.json` (the POST /uploads body
 * without `audio`). Resumable: a call id already ARCHIVED is skipped, and registration is idempotent, so
 * re-running after an interruption finishes the rest. One line per file says its outcome:
 *   `<file>: archived as <id>, delete after <date>[, kept by hold <id>]`
 *   `<file>: refused (HTTP 422, rule <rule>): <why>`      — the API's rule id, e.g. s7.deleted-after-24-months
 *   `<file>: quarantined (<reason>): <detail>`            — e.g. truncated, duration-mismatch
 *   `<file>: skipped (...)` / `<file>: failed: <error>`
 * then a summary; exit 0 only if all archived.
 */
import { readdir } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { ApiError, call } from '../api-client.js';
import type { CliCommand } from '../command.js';
import { readMeta, type StatusReply, uploadOne } from './upload.js';

const USAGE = `usage: crs import <dir> [--concurrency N (default 4)] [--timeout seconds]
  each audio file <name>.wav|mp3|ogg|flac|m4a in <dir> needs its metadata beside it in <name>.json: the
  POST /uploads body without \`audio\` (see examples/call.json), with endedAt − startedAt the audio's length.
  An audio file without its .json is reported and counted (exit 1), never skipped silently.
  Resumable: a call already ARCHIVED is skipped. Exit 0 only when every file is archived.`;
const AUDIO = new Set(['.wav', '.mp3', '.ogg', '.flac', '.m4a']);

type Result = 'archived' | 'skipped' | 'quarantined' | 'refused' | 'failed';

export const pairs = async (dir: string): Promise<{ audio: string; meta: string }[]> =>
  (await audioFiles(dir)).filter((p) => p.hasMeta).map(({ audio, meta }) => ({ audio, meta }));

/** Every audio file of the directory, and whether its `<name>.json` is beside it. */
export const audioFiles = async (dir: string) => {
  const names = new Set(await readdir(dir));
  return [...names]
    .filter((n) => AUDIO.has(extname(n).toLowerCase()))
    .sort()
    .map((n) => ({ audio: join(dir, n), meta: join(dir, `${basename(n, extname(n))}.json`) }))
    .map((p) => ({ ...p, hasMeta: names.has(basename(p.meta)) }));
};

/** Runs `work` over `items` with at most `limit` in flight. */
export const mapBounded = async <T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>) => {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
};

const statusOf = async (callId: string): Promise<string | undefined> => {
  const reply = await call<StatusReply>('GET', `/uploads/${encodeURIComponent(callId)}`, undefined, [404]);
  return reply.status === 404 ? undefined : reply.json.status;
};

export const command: CliCommand = {
  summary: 'bulk-upload a directory of recordings (resumable), with a summary',
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        concurrency: { type: 'string', default: '4' },
        timeout: { type: 'string', default: '600' },
        help: { type: 'boolean' },
      },
    });
    const [dir] = positionals;
    const concurrency = Number(values.concurrency);
    if (values.help || !dir || !Number.isInteger(concurrency) || concurrency < 1) {
      if (values.help) console.log(USAGE);
      else console.error(USAGE);
      return values.help ? 0 : 2;
    }
    const all = await audioFiles(dir);
    const orphans = all.filter((p) => !p.hasMeta);
    for (const o of orphans)
      console.error(
        `${basename(o.audio)}: no metadata: expected ${basename(o.meta)} beside it (not uploaded)`,
      );
    const files = all.filter((p) => p.hasMeta);
    const results = await mapBounded(files, concurrency, async ({ audio, meta }): Promise<Result> => {
      const name = basename(audio);
      try {
        const metadata = await readMeta(meta);
        const callId = String(metadata.callId ?? '');
        if (callId && (await statusOf(callId)) === 'ARCHIVED') {
          console.log(`${name}: skipped (call ${callId} already archived)`);
          return 'skipped';
        }
        const { final } = await uploadOne(audio, metadata, {
          wait: true,
          timeoutSeconds: Number(values.timeout),
        });
        if (final?.status === 'ARCHIVED') {
          const due = final.deleteAfter ? `, delete after ${final.deleteAfter.slice(0, 10)}` : '';
          const held = final.admittedUnderHold ? `, kept by hold ${final.admittedUnderHold}` : '';
          console.log(`${name}: archived as ${final.recordingId}${due}${held}`);
          return 'archived';
        }
        const q = final?.quarantine;
        console.error(
          q
            ? `${name}: quarantined (${q.reason}): ${q.detail}`
            : `${name}: ${final?.status ?? 'unknown'} (not archived)`,
        );
        return 'quarantined';
      } catch (error) {
        if (error instanceof ApiError && error.status < 500) {
          const { rule, field } = error.body as { rule?: string; field?: string };
          const why = rule ? `, rule ${rule}` : field ? `, field ${field}` : '';
          console.error(`${name}: refused (HTTP ${error.status}${why}): ${String(error.body.message ?? '')}`);
          return 'refused';
        }
        console.error(`${name}: failed: ${error instanceof Error ? error.message : String(error)}`);
        return 'failed';
      }
    });
    const count = (r: Result) => results.filter((x) => x === r).length;
    console.log(
      `summary: ${all.length} files — archived ${count('archived')}, skipped ${count('skipped')}, ` +
        `quarantined ${count('quarantined')}, refused ${count('refused')}, failed ${count('failed')}, ` +
        `no metadata ${orphans.length}`,
    );
    return count('archived') + count('skipped') === all.length ? 0 : 1;
  },
};
