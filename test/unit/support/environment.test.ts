/**
 * Environment names are read in one place: functions/platform/env.ts reads process.env, and every name a
 * function reads is a member of ENV (declarations/environment.ts), which the CDK bind helpers and the local
 * stack set from the same list. A `process.env` elsewhere, or a name spelled as a string where it is read,
 * fails here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = process.cwd();
const ENV_MODULE = join('functions', 'platform', 'env.ts');

const sources = (): string[] =>
  readdirSync(join(ROOT, 'functions'), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.tsx?$/.test(f))
    .map((f) => join('functions', f));

describe('environment names', () => {
  it('only functions/platform/env.ts reads process.env', () => {
    // Arrange
    const files = sources().filter((f) => f !== ENV_MODULE);
    // Act
    const readers = files.filter((f) => /process\.env\b/.test(readFileSync(join(ROOT, f), 'utf8')));
    // Assert
    expect(readers).toEqual([]);
  });

  it('every variable read by name is a member of ENV, never a string spelled at the call', () => {
    const spelled = sources().flatMap((f) =>
      [
        ...readFileSync(join(ROOT, f), 'utf8').matchAll(
          /\b(?:requireEnv|intEnv|optionalEnv)\(\s*(['"`][^'"`]*)/g,
        ),
      ].map((m) => `${f}: ${m[1]}`),
    );
    expect(spelled).toEqual([]);
  });

  it('finds process.env where it is (the check itself works)', () => {
    expect(readFileSync(join(ROOT, ENV_MODULE), 'utf8')).toMatch(/process\.env\b/);
  });
});
