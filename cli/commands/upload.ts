/**
 * `crs upload <file> --meta <json-file | inline JSON> [--no-wait] [--timeout S]`: registers the call
 * (POST /uploads), streams the audio to the presigned PUT with a progress bar, then waits until the
 * recording is ARCHIVED (exit 0) or QUARANTINED (exit 3). The SHA-256 is computed by streaming the file.
 * The metadata is the POST /uploads body; `audio` is filled in from the file (format from its extension
 * unless `audio.format` is given).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { extname } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { DURATION_TOLERANCE_TEXT } from '../../functions/domain/upload.js';
import { ApiError, call } from '../api-client.js';
import type { CliCommand } from '../command.js';

const USAGE = `usage: crs upload <file> --meta <json-file|inline-json> [--no-wait] [--timeout seconds]
  --meta: the POST /uploads body without \`audio\` (example: examples/call.json); the CLI adds the audio's
  format, size and SHA-256. endedAt − startedAt must be the audio's length: the archive reads the length
  from the audio and quarantines (duration-mismatch) a file off by more than ${DURATION_TOLERANCE_TEXT}.
  Dates: ISO 8601 date-time with offset, e.g. 2026-11-28T09:00:00+00:00.
exit: 0 archived (or registered, with --no-wait); 1 refused (the reason and policy rule on stderr);
      2 bad usage; 3 quarantined (the reason on stderr)`;
const FORMATS: Record<string, string> = {
  '.wav': 'wav',
  '.mp3': 'mp3',
  '.ogg': 'ogg',
  '.flac': 'flac',
  '.m4a': 'm4a',
};
const FINAL = new Set(['ARCHIVED', 'QUARANTINED', 'DELETED']);

export interface UploadReply {
  recordingId: string;
  callId: string;
  status: string;
  complianceFlags: string[];
  upload: { url: string; method: 'PUT'; headers: Record<string, string>; expiresAt: string };
}

export interface StatusReply {
  callId: string;
  recordingId: string;
  status: string;
  deleteAfter?: string;
  admittedUnderHold?: string;
  quarantine?: { reason: string; detail: string };
}

export const readMeta = async (meta: string): Promise<Record<string, unknown>> => {
  const text = meta.trim().startsWith('{') ? meta : await readFile(meta, 'utf8');
  const parsed = JSON.parse(text) as unknown;
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new Error('--meta must be a JSON object');
  return parsed as Record<string, unknown>;
};

export const sha256OfFile = async (file: string): Promise<string> => {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 }))
    hash.update(chunk as Buffer);
  return hash.digest('hex');
};

/** The POST /uploads body for a file: the metadata plus the audio's format, size and streamed SHA-256. */
export const registrationBody = async (file: string, meta: Record<string, unknown>) => {
  const { size } = await stat(file);
  const declared = (meta.audio ?? {}) as Record<string, unknown>;
  const format = declared.format ?? FORMATS[extname(file).toLowerCase()];
  if (!format) throw new Error(`cannot tell the audio format of ${file}; give audio.format in --meta`);
  return { ...meta, audio: { format, sizeBytes: size, sha256: await sha256OfFile(file) } };
};

/** Streams the file to the presigned URL with exactly the signed headers; resolves on 2xx. */
export const putFile = async (
  file: string,
  upload: UploadReply['upload'],
  onProgress: (bytes: number) => void = () => undefined,
): Promise<void> => {
  const url = new URL(upload.url);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  await new Promise<void>((resolve, reject) => {
    const req = request(url, { method: 'PUT', headers: upload.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) resolve();
        else
          reject(
            new Error(
              `upload refused: HTTP ${status} ${Buffer.concat(chunks).toString('utf8').slice(0, 500)}`,
            ),
          );
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        onProgress(chunk.length);
        done(null, chunk);
      },
    });
    pipeline(createReadStream(file, { highWaterMark: 1024 * 1024 }), counter, req).catch(reject);
  });
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const waitForFinal = async (callId: string, timeoutSeconds: number): Promise<StatusReply> => {
  const deadline = Date.now() + timeoutSeconds * 1000;
  let delay = 250;
  for (;;) {
    const { json } = await call<StatusReply>('GET', `/uploads/${encodeURIComponent(callId)}`);
    if (FINAL.has(json.status)) return json;
    if (Date.now() > deadline)
      throw new Error(`call ${callId} still ${json.status} after ${timeoutSeconds} s`);
    await sleep(delay);
    delay = Math.min(delay * 2, 2000);
  }
};

export interface UploadOptions {
  readonly wait: boolean;
  readonly timeoutSeconds: number;
  readonly progress?: (total: number) => { tick(bytes: number): void; stop(): void };
}

/** Register, upload, wait: the whole flow for one file. Throws ApiError on refusals (4xx). */
export const uploadOne = async (file: string, meta: Record<string, unknown>, options: UploadOptions) => {
  const body = await registrationBody(file, meta);
  const { json: reply } = await call<UploadReply>('POST', '/uploads', body);
  if (!FINAL.has(reply.status)) {
    const bar = options.progress?.(Number(reply.upload.headers['content-length']));
    try {
      await putFile(file, reply.upload, (n) => bar?.tick(n));
    } finally {
      bar?.stop();
    }
  }
  const final = options.wait ? await waitForFinal(reply.callId, options.timeoutSeconds) : undefined;
  return { reply, final };
};

export const command: CliCommand = {
  summary: 'register a call and upload its audio, then wait until it is archived',
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        meta: { type: 'string' },
        'no-wait': { type: 'boolean' },
        timeout: { type: 'string', default: '300' },
        help: { type: 'boolean' },
      },
    });
    const [file] = positionals;
    if (values.help || !file || !values.meta) {
      if (values.help) console.log(USAGE);
      else console.error(USAGE);
      return values.help ? 0 : 2;
    }
    try {
      const { reply, final } = await uploadOne(file, await readMeta(values.meta), {
        wait: !values['no-wait'],
        timeoutSeconds: Number(values.timeout),
        progress: (total) => {
          const bar = new cliProgress.SingleBar(
            { format: 'upload [{bar}] {percentage}% | {value}/{total} bytes', hideCursor: true },
            cliProgress.Presets.shades_classic,
          );
          bar.start(total, 0);
          return { tick: (n) => bar.increment(n), stop: () => bar.stop() };
        },
      });
      console.log(`recording ${reply.recordingId} (call ${reply.callId}) registered`);
      if (reply.complianceFlags.length > 0)
        console.log(`flagged for the compliance report: ${reply.complianceFlags.join(', ')}`);
      if (!final) return 0;
      if (final.status === 'ARCHIVED') {
        console.log(`ARCHIVED`);
        return 0;
      }
      console.error(
        `${final.status}${final.quarantine ? `: ${final.quarantine.reason} — ${final.quarantine.detail}` : ''}`,
      );
      return 3;
    } catch (error) {
      if (error instanceof ApiError) {
        console.error(`crs upload: refused: ${error.message}`);
        return 1;
      }
      throw error;
    }
  },
};
