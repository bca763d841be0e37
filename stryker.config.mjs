// Mutation testing of the policy core (functions/domain) and the use cases: `npm run test:mutation`.
// Not part of `npm test`: even restricted to the unit project it takes tens of minutes on 2 cores.
// MUTATE=domain or MUTATE=use-cases runs one half (the README reports both scores).
const targets = {
  domain: ['functions/domain/**/*.ts'],
  'use-cases': ['functions/*/use-cases*.ts'],
};
const only = process.env.MUTATE;
if (only !== undefined && !(only in targets)) throw new Error(`MUTATE is one of ${Object.keys(targets)}`);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'jest',
  // Jest runs in ESM mode here as in `npm test`.
  testRunnerNodeArgs: ['--experimental-vm-modules'],
  mutate: only ? targets[only] : Object.values(targets).flat(),
  // The unit project only (no local stack): see jest.mutation.config.js.
  jest: { projectType: 'custom', configFile: 'jest.mutation.config.js', enableFindRelatedTests: true },
  coverageAnalysis: 'perTest',
  // Static mutants (module-level constants) need every related test file per mutant: on this machine
  // 555 of them were estimated at 96% of the run. They are left out of the score (see the README).
  ignoreStatic: true,
  // The machine is shared: two test runners at most.
  concurrency: 2,
  // The first run (every unit test, coverage per test, in one process) is slow on a busy machine.
  dryRunTimeoutMinutes: 60,
  timeoutMS: 20_000,
  timeoutFactor: 2,
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${only ?? 'all'}.html` },
  jsonReporter: { fileName: `reports/mutation/${only ?? 'all'}.json` },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  incremental: false,
};
