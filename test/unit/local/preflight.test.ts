import { javaMajorVersion } from '../../../local/preflight.js';

describe('java -version parsing', () => {
  it.each([
    ['openjdk version "17.0.15" 2025-04-15', 17],
    ['java version "1.8.0_292"', 8],
    ['openjdk version "21" 2023-09-19', 21],
    ['openjdk version "11.0.2" 2019-01-15', 11],
  ])('%s → %s', (output, major) => {
    expect(javaMajorVersion(output)).toBe(major);
  });

  it('gives undefined for output it cannot read', () => {
    expect(javaMajorVersion('command not found')).toBeUndefined();
  });
});
