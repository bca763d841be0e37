/**
 * Where the CLI sends its requests when CRS_API_URL is unset: the local stack this checkout runs (its
 * stack file, whatever port it started on), else the default; and what it says when the API is down.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiError, ApiUnreachableError, DEFAULT_API_URL, resolveApi } from '../../../cli/api-client.js';

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

const stackDir = (info: Record<string, unknown>) => {
  const dir = mkdtempSync(join(tmpdir(), 'crs-cli-stack-'));
  writeFileSync(join(dir, 'stack.json'), JSON.stringify(info));
  return dir;
};

describe('the CLI finds its API', () => {
  it('uses the running local stack of this checkout when CRS_API_URL is unset, and says so', () => {
    delete process.env.CRS_API_URL;
    process.env.LOCAL_DATA_DIR = stackDir({ baseUrl: 'http://127.0.0.1:4711', pid: process.pid });
    const api = resolveApi();
    expect(api.url).toBe('http://127.0.0.1:4711');
    expect(api.from).toContain('stack.json');
  });

  it('ignores a stack file left by a stack that is no longer running', () => {
    delete process.env.CRS_API_URL;
    process.env.LOCAL_DATA_DIR = stackDir({ baseUrl: 'http://127.0.0.1:4711', pid: 2 ** 22 + 12345 });
    expect(resolveApi().url).toBe(DEFAULT_API_URL);
  });

  it('prefers CRS_API_URL', () => {
    process.env.CRS_API_URL = 'https://crs.example/';
    process.env.LOCAL_DATA_DIR = stackDir({ baseUrl: 'http://127.0.0.1:4711', pid: process.pid });
    expect(resolveApi()).toEqual({ url: 'https://crs.example', from: 'CRS_API_URL' });
  });
});

describe('what a refusal says', () => {
  it('tells a 401 to run crs login', () => {
    expect(new ApiError(401, { message: 'Unauthorized' }).message).toMatch(/crs login/);
  });

  it('prints the policy rule of a refusal', () => {
    const error = new ApiError(403, { message: 'nominated staff only', rule: 's6.nominated-staff-only' });
    expect(error.message).toBe('HTTP 403: nominated staff only [rule s6.nominated-staff-only]');
  });

  it('names the URL and what to do when the API does not answer', () => {
    const error = new ApiUnreachableError('http://127.0.0.1:4000', new TypeError('fetch failed'));
    expect(error.message).toMatch(/http:\/\/127\.0\.0\.1:4000.*npm start.*CRS_API_URL/);
  });
});
