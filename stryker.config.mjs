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
      'functions/legal-hold/use-cases.ts:83-93',
      'functions/domain/holds.ts:347-354',
      'functions/legal-hold/use-cases.ts:148-156',
      'functions/legal-hold/use-cases.ts:370-374',
    ],
    testMatch: tests('legal-hold/*.test.ts'),
  },
  // s.6: availableRecording, recordingForRequester, the machine-client refusal, visibility, the log keeper
  'policy-release': {
    mutate: [
      'functions/release/use-cases-lifecycle.ts:53-99',
      'functions/release/use-cases-lifecycle.ts:278-286',
      'functions/release/use-cases-log.ts:134-140',
    ],
    testMatch: tests('release/refusals.test.ts', 'release/routes.test.ts'),
  },
};

// The whole, in groups small enough for the shared machine: each group's files against the test files that
// target them directly. With every unit test, one domain mutant loads up to 55 test files (some import the
// AWS SDK), ~30 s a mutant; against its own tests a pure rule's mutant takes a few seconds. Together the
// groups mutate exactly `domain` + `use-cases`; a mutant only a distant test kills shows as a survivor here.
const d = (...names) => names.map((n) => `functions/domain/${n}.ts`);
const groups = {
  // s.7 retention and holds, the recording's states; s.4 (d)-(e) extensions
  'g-retention': {
    mutate: d('retention', 'holds', 'recording', 'extension', 'days'),
    testMatch: tests('domain/*.test.ts'),
  },
  // s.6 access, approvers, purposes; Schedule 2; the roles
  'g-access': {
    mutate: d('access', 'approvers', 'roles', 'purposes', 'schedule2'),
    testMatch: tests(
      'domain/*.test.ts',
      'release/approvers.test.ts',
      'release/state-machine.test.ts',
      'http/entra-mapping.test.ts',
      'http/identity.test.ts',
    ),
  },
  // s.4 staff notices
  'g-staff': {
    mutate: d('staff-notices'),
    testMatch: tests(
      'domain/*.test.ts',
      'staff-notices/staff-notices.test.ts',
      'staff-notices/due-readers.test.ts',
    ),
  },
  // subject access requests
  'g-sar': {
    mutate: d('subject-access-request', 'subject-access'),
    testMatch: tests(
      'domain/*.test.ts',
      'disclosures/sar.test.ts',
      'disclosures/subject-access-dates.test.ts',
    ),
  },
  // s.6 releases and IG advice
  'g-release': {
    mutate: d('release', 'ig-advice'),
    testMatch: tests(
      'domain/*.test.ts',
      'release/state-machine.test.ts',
      'release/approvers.test.ts',
      'disclosures/advice.test.ts',
      'disclosures/external-release.test.ts',
    ),
  },
  // s.3 business cases, disclosure packages and their checks
  'g-packages': {
    mutate: d('business-case', 'disclosure-package', 'package-rules'),
    testMatch: tests(
      'domain/*.test.ts',
      'disclosures/verify-package.test.ts',
      'disclosures/external-release.test.ts',
      'web/package-check.test.ts',
      'registers/registers-api.test.ts',
    ),
  },
  // the audit log and its hash chain
  'g-audit': {
    mutate: d(
      'audit',
      'audit-checkpoint',
      'audit-event',
      'chain-rules',
      'hash-chain',
      'release-log-format',
      'release-log-verify',
    ),
    testMatch: tests(
      'domain/*.test.ts',
      'playback/audit-*.test.ts',
      'release/verify-log.test.ts',
      'web/log-check.test.ts',
    ),
  },
  // compliance figures, uploads, errors
  'g-other': {
    mutate: d('compliance', 'upload', 'errors'),
    testMatch: tests(
      'domain/*.test.ts',
      'reports/compliance*.test.ts',
      'ingest/uploads-*.test.ts',
      'http/router.test.ts',
    ),
  },
  'g-uc-holds': { mutate: ['functions/legal-hold/use-cases.ts'], testMatch: tests('legal-hold/*.test.ts') },
  // s.7 lifting a hold: the last hold off releases the recording (part of g-uc-holds)
  'g-uc-holds-lift': {
    mutate: ['functions/legal-hold/use-cases.ts:283-352'],
    testMatch: tests('legal-hold/*.test.ts'),
  },
  'g-uc-release': {
    mutate: ['functions/release/use-cases-*.ts'],
    testMatch: tests('release/*.test.ts', 'disclosures/external-release.test.ts'),
  },
  'g-uc-disclosures': {
    mutate: ['functions/disclosures/use-cases.ts'],
    testMatch: tests('disclosures/*.test.ts'),
  },
  'g-uc-audit': {
    mutate: ['functions/audit-events/use-cases.ts'],
    testMatch: tests('audit-events/*.test.ts'),
  },
};

const targets = {
  domain: { mutate: ['functions/domain/**/*.ts'] },
  'use-cases': { mutate: ['functions/*/use-cases*.ts'] },
  ...policy,
  ...groups,
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
  // `--incremental` keeps each part's results here (gitignored) and re-tests only what changed.
  incrementalFile: `reports/mutation/${only ?? 'all'}.incremental.json`,
};
