// Mutation testing of the policy core (functions/domain) and the use cases: `npm run test:mutation`.
// Not part of `npm test`: on 2 shared cores the first run of the unit project alone takes ~14 minutes and
// each mutant tens of seconds. MUTATE picks a part:
//   MUTATE=domain | use-cases   one half of the whole (what a free machine or CI should run);
//   MUTATE=policy               the code that decides who may do what (s.6 access and release approvers,
//                               the refusals of the hold and release use cases), against the tests that
//                               target it; policy-access, policy-holds, policy-release are its three parts.
const tests = (...paths) => paths.map((t) => `<rootDir>/test/unit/${t}`);

const policy = {
  // s.6: playback and audit access, release approvers
  'policy-access': {
    mutate: ['functions/domain/access.ts', 'functions/domain/approvers.ts'],
    testMatch: tests(
      'domain/*.test.ts',
      'playback/authorisation.test.ts',
      'release/approvers.test.ts',
      'release/state-machine.test.ts',
      'release/refusals.test.ts',
      'release/routes.test.ts',
    ),
  },
  // s.7: requireKnownRecordings, requireIgOfficer, the guidance refusal of placeHold, reviewHold's refusal
  'policy-holds': {
    mutate: [
      'functions/legal-hold/use-cases.ts:75-95',
      'functions/legal-hold/use-cases.ts:149-157',
      'functions/legal-hold/use-cases.ts:372-379',
    ],
    testMatch: tests('legal-hold/*.test.ts'),
  },
  // s.6: availableRecording, recordingForRequester, the machine-client refusal, visibility, the log keeper
  'policy-release': {
    mutate: [
      'functions/release/use-cases.ts:207-253',
      'functions/release/use-cases.ts:429-437',
      'functions/release/use-cases.ts:692-698',
    ],
    testMatch: tests('release/refusals.test.ts', 'release/routes.test.ts'),
  },
};

const targets = {
  domain: { mutate: ['functions/domain/**/*.ts'] },
  'use-cases': { mutate: ['functions/*/use-cases*.ts'] },
  ...policy,
  policy: {
    mutate: Object.values(policy).flatMap((p) => p.mutate),
    testMatch: [...new Set(Object.values(policy).flatMap((p) => p.testMatch))],
  },
};
const only = process.env.MUTATE;
if (only !== undefined && !(only in targets)) throw new Error(`MUTATE is one of ${Object.keys(targets)}`);
const chosen = only ? [targets[only]] : [targets.domain, targets['use-cases']];
const testMatch = chosen.find((t) => t.testMatch)?.testMatch;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'jest',
  // Jest runs in ESM mode here as in `npm test`.
  testRunnerNodeArgs: ['--experimental-vm-modules'],
  mutate: chosen.flatMap((t) => t.mutate),
  // The unit project only (no local stack): see jest.mutation.config.js.
  jest: {
    projectType: 'custom',
    configFile: 'jest.mutation.config.js',
    ...(testMatch ? { config: { testMatch } } : {}),
    enableFindRelatedTests: true,
  },
  coverageAnalysis: 'perTest',
  // Static mutants (module-level constants) need every related test file per mutant: on this machine
  // 555 of them were estimated at 96% of the run. They are left out of the score (see the README).
  ignoreStatic: true,
  // The machine is shared: two test runners at most.
  concurrency: 2,
  // The first run (every unit test, coverage per test, in one process) is slow on a busy machine.
  dryRunTimeoutMinutes: 60,
  timeoutMS: 30_000,
  timeoutFactor: 2,
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${only ?? 'all'}.html` },
  jsonReporter: { fileName: `reports/mutation/${only ?? 'all'}.json` },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  incremental: false,
};
