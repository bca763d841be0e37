/**
 * The CLI's HTTP client. Base URL from CRS_API_URL (default: the local stack), bearer token from
 * CRS_TOKEN or the file `crs login` writes (~/.crs/token, or CRS_TOKEN_FILE).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export const apiUrl = (): string => (process.env.CRS_API_URL ?? 'http://127.0.0.1:4000').replace(/\/$/, '');
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

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(`HTTP ${status}: ${String(body.message ?? JSON.stringify(body))}`);
  }
}

/** Calls the API; a non-2xx reply throws ApiError unless `allow` lists its status. */
export const call = async <T = Record<string, unknown>>(
  method: string,
  path: string,
  body?: unknown,
  allow: number[] = [],
): Promise<ApiReply<T>> => {
  const token = await loadToken();
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${apiUrl()}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const json = (response.headers.get('content-type')?.includes('json') && text ? JSON.parse(text) : {}) as T;
  if (!response.ok && !allow.includes(response.status)) {
    throw new ApiError(response.status, json as Record<string, unknown>);
  }
  return { status: response.status, json, text, headers: response.headers };
};
