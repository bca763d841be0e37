/**
 * The CLI's HTTP client. Base URL from CRS_API_URL, else the local stack this checkout is running
 * (`.local/stack.json`, or `$LOCAL_DATA_DIR/stack.json`), else http://127.0.0.1:4000; the first call
 * says on stderr which API it talks to. Bearer token from CRS_TOKEN or the file `crs login` writes
 * (~/.crs/token, or CRS_TOKEN_FILE).
 */
import { readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_API_URL = 'http://127.0.0.1:4000';

/** The local stack's file, where `npm start` of this checkout writes it while it runs. */
export const localStackFile = (): string =>
  join(resolve(REPO_ROOT, process.env.LOCAL_DATA_DIR || '.local'), 'stack.json');

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Where the API is, and how the CLI knows. */
export const resolveApi = (): { url: string; from: string } => {
  const fromEnv = process.env.CRS_API_URL;
  if (fromEnv) return { url: fromEnv.replace(/\/$/, ''), from: 'CRS_API_URL' };
  const file = localStackFile();
  try {
    const info = JSON.parse(readFileSync(file, 'utf8')) as { baseUrl?: unknown; pid?: unknown };
    if (typeof info.baseUrl === 'string' && (typeof info.pid !== 'number' || alive(info.pid))) {
      return { url: info.baseUrl.replace(/\/$/, ''), from: `the local stack, ${file}` };
    }
  } catch {
    // No running local stack in this checkout: the default port.
  }
  return { url: DEFAULT_API_URL, from: 'default; set CRS_API_URL or run npm start' };
};

let resolved: { url: string; from: string } | undefined;
let announced = false;

export const apiUrl = (): string => {
  resolved ??= resolveApi();
  return resolved.url;
};

/** One line on stderr, once per command: which API this is (never mixed into stdout's data). */
const announce = (): void => {
  if (announced || process.env.CRS_QUIET === '1') return;
  announced = true;
  apiUrl();
  console.error(`crs: API ${resolved?.url} (${resolved?.from})`);
};

export const tokenFile = (): string => process.env.CRS_TOKEN_FILE ?? join(homedir(), '.crs', 'token');

export const saveToken = async (token: string): Promise<void> => {
  await mkdir(dirname(tokenFile()), { recursive: true, mode: 0o700 });
  await writeFile(tokenFile(), token, { mode: 0o600 });
};

const loadToken = async (): Promise<string | undefined> => {
  if (process.env.CRS_TOKEN) return process.env.CRS_TOKEN;
  try {
    return (await readFile(tokenFile(), 'utf8')).trim();
  } catch {
    return undefined;
  }
};

export interface ApiReply<T = Record<string, unknown>> {
  status: number;
  json: T;
  text: string;
  headers: Headers;
}

/** What a user can do about a refusal, beyond the API's own message. */
const hintFor = (status: number): string => {
  if (status !== 401) return '';
  const where = process.env.CRS_TOKEN ? 'CRS_TOKEN' : tokenFile();
  return ` — the token (${where}) is missing, expired or not for this API: run \`crs login --as <persona>\` (local stack) or set CRS_TOKEN`;
};

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    const rule = typeof body.rule === 'string' ? ` [rule ${body.rule}]` : '';
    super(`HTTP ${status}: ${String(body.message ?? JSON.stringify(body))}${rule}${hintFor(status)}`);
  }

  /** The policy rule the API named for this refusal, if any. */
  get rule(): string | undefined {
    return typeof this.body.rule === 'string' ? this.body.rule : undefined;
  }
}

/** The API did not answer at all: say where the CLI looked and what to do. */
export class ApiUnreachableError extends Error {
  constructor(url: string, cause: unknown) {
    const why = cause instanceof Error ? ((cause.cause as Error | undefined)?.message ?? cause.message) : '';
    super(
      `cannot reach the API at ${url} (${why}): start the local stack with \`npm start\`, ` +
        'or set CRS_API_URL to the API you mean',
    );
  }
}

/** Calls the API; a non-2xx reply throws ApiError unless `allow` lists its status. */
export const call = async <T = Record<string, unknown>>(
  method: string,
  path: string,
  body?: unknown,
  allow: number[] = [],
): Promise<ApiReply<T>> => {
  announce();
  const token = await loadToken();
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`${apiUrl()}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new ApiUnreachableError(apiUrl(), error);
  }
  const text = await response.text();
  const json = (response.headers.get('content-type')?.includes('json') && text ? JSON.parse(text) : {}) as T;
  if (!response.ok && !allow.includes(response.status)) {
    throw new ApiError(response.status, json as Record<string, unknown>);
  }
  return { status: response.status, json, text, headers: response.headers };
};
