// Jest runs in ESM mode (middy >= 5 and music-metadata are ESM-only); see the "test" scripts.
const base = {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true }] },
  // `npm run test:mutation` copies the tree into .stryker-tmp while it runs.
  modulePathIgnorePatterns: ['<rootDir>/.stryker-tmp/'],
};

export default {
  reporters: ['default', '<rootDir>/test/summary-reporter.cjs'],
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    { ...base, displayName: 'infra', testMatch: ['<rootDir>/test/infra/**/*.test.ts'] },
    {
      ...base,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      // Each test talks to a whole local stack; on a loaded 2-core machine 5 s is not enough for any of them.
      testTimeout: 120_000,
      globalSetup: '<rootDir>/test/integration/global-setup.ts',
      globalTeardown: '<rootDir>/test/integration/global-teardown.ts',
    },
  ],
};
