/**
 * Integration tests must pass on a loaded 2-core machine (issue #11 item 15): every file budgets at
 * least 120 s per test (the project default or its own jest.setTimeout), and a file that spawns the CLI
 * (a tsx child process per call) at least 180 s.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

interface JestProject {
  readonly displayName: string;
  readonly testTimeout?: number;
}
const configUrl = pathToFileURL(join(process.cwd(), 'jest.config.js')).href;
const config = ((await import(configUrl)) as { default: { projects: JestProject[] } }).default;

const DIR = join(process.cwd(), 'test/integration');
const files = readdirSync(DIR).filter((f) => f.endsWith('.test.ts'));
const integration = config.projects.find((p) => p.displayName === 'integration');

const budgetOf = (source: string): number => {
  const set = /jest\.setTimeout\(([\d_]+)\)/.exec(source)?.[1];
  return set ? Number(set.replace(/_/g, '')) : (integration?.testTimeout ?? 5_000);
};

describe('integration test timeouts', () => {
  it('gives the integration project a default of at least 120 s', () => {
    expect(integration?.testTimeout ?? 5_000).toBeGreaterThanOrEqual(120_000);
  });

  it.each(files)('%s budgets at least 120 s, and 180 s if it spawns the CLI', (file) => {
    const source = readFileSync(join(DIR, file), 'utf8');
    const needed = source.includes('runCrs(') ? 180_000 : 120_000;
    expect(budgetOf(source)).toBeGreaterThanOrEqual(needed);
    // A timeout given to one test or hook overrides both: none below 120 s either.
    const perTest = [...source.matchAll(/\}, ([\d_]{4,})\);/g)].map((m) => Number(m[1]?.replace(/_/g, '')));
    for (const ms of perTest) expect(ms).toBeGreaterThanOrEqual(120_000);
  });
});
