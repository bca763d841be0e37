// The unit project alone, as one flat config, for Stryker's jest runner (stryker.config.mjs): Stryker
// hooks its coverage into one test environment, and the integration project would start a local stack.
import config from './jest.config.js';

const { displayName: _name, ...unit } = config.projects.find((p) => p.displayName === 'unit');

export default {
  ...unit,
  // These spawn the CLI or the local emulators, or read the whole tree: none runs a mutated file.
  // Coverage per test slows every test; on the shared machine the crs release-log export took over jest's
  // default 5 s in the dry run, failing it.
  testTimeout: 30_000,
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/unit/(local|cli|examples|openapi|support)/'],
};
