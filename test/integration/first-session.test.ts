/**
 * The README's first session, run as a newcomer runs it: the `sh` block after "A first session with the
 * `crs` CLI" is read from README.md, and each line (continuations joined) runs in bash from the
 * repository root against the test stack, exactly as written except that `<recordingId>`, `<holdId>`
 * and `<releaseId>` become the ids earlier lines printed. Every line must exit 0.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it, jest } from '@jest/globals';
import { baseUrl } from './support.js';

jest.setTimeout(600_000);

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The README's first-session commands, one per line, continuations joined. */
const firstSession = (readme: string): string[] => {
  const start = readme.indexOf('A first session with the `crs` CLI');
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(start))?.[1] ?? '';
  return block
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
};

const IDS: Record<string, RegExp> = {
  recordingId: /recording (\S+) \(call /,
  holdId: /hold (\S+) \(case /,
  releaseId: /release (\S+): REQUESTED/,
};

describe("the README's first session", () => {
  it('runs verbatim, line by line, each exiting 0', async () => {
    // Arrange
    const lines = firstSession(readFileSync(join(ROOT, 'README.md'), 'utf8'));
    const env = {
      ...process.env,
      CRS_API_URL: baseUrl(),
      CRS_TOKEN_FILE: join(mkdtempSync(join(tmpdir(), 'crs-first-session-')), 'token'),
      NODE_OPTIONS: '',
    };
    const ids: Record<string, string> = {};
    const ran: { line: string; code: number; stdout: string; stderr: string }[] = [];
    // Act
    for (const written of lines) {
      const line = written.replace(
        /<(recordingId|holdId|releaseId)>/g,
        (_, name: string) => ids[name] ?? `<${name}>`,
      );
      const result = await promisify(execFile)('bash', ['-c', line], { cwd: ROOT, env }).then(
        (out) => ({ code: 0, ...out }),
        (error: { code?: number; stdout?: string; stderr?: string }) => ({
          code: error.code ?? 1,
          stdout: error.stdout ?? '',
          stderr: error.stderr ?? '',
        }),
      );
      ran.push({ line, ...result });
      for (const [name, pattern] of Object.entries(IDS)) {
        const found = pattern.exec(result.stdout)?.[1];
        if (found && !ids[name]) ids[name] = found;
      }
      if (result.code !== 0) break;
    }
    // Assert
    expect(lines.length).toBeGreaterThanOrEqual(20);
    expect(ran.filter((r) => r.code !== 0)).toEqual([]);
    expect(ran).toHaveLength(lines.length);
    expect(ran.map((r) => r.line).join('\n')).not.toMatch(/<\w+Id>/);
    expect(ran[1]?.stdout).toContain('ARCHIVED');
    expect(ran.at(-1)?.stdout).toMatch(/valid|verified|ok/i);
  });
});
