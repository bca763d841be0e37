/**
 * Policy s.4 (d)–(e) as functions/domain/extension.ts decides it: a recorded extension is marked, an
 * always-recorded one has a non-recorded pair for confidential calls, and that pair is not itself
 * recorded. The registers API test goes through HTTP; these state each refusal's rule and words.
 */
import { PolicyRefusalError } from '../../../functions/domain/errors.js';
import {
  checkExtension,
  type Extension,
  type ExtensionProposal,
} from '../../../functions/domain/extension.js';

const refusal = (p: ExtensionProposal, paired?: Extension): unknown => {
  try {
    checkExtension(p, paired);
  } catch (error) {
    return error;
  }
  return undefined;
};

const proposal = (p: Partial<ExtensionProposal> = {}): ExtensionProposal => ({
  number: '4001',
  serviceArea: 'revenues',
  mode: 'always',
  marked: true,
  pairedUnrecorded: '4901',
  ...p,
});

const registered = (mode: Extension['mode']): Extension => ({
  number: '4901',
  serviceArea: 'revenues',
  mode,
  marked: mode !== 'never',
  updatedAt: '2026-01-01T00:00:00.000Z',
  updatedBy: 'admin',
});

describe('registering an extension (policy s.4 d–e)', () => {
  it('accepts a marked, always-recorded extension whose pair is registered as not recorded', () => {
    expect(refusal(proposal(), registered('never'))).toBeUndefined();
  });

  it('accepts an always-recorded extension whose pair is not registered yet', () => {
    expect(refusal(proposal(), undefined)).toBeUndefined();
  });

  it('accepts an unmarked extension that is never recorded, and a marked on-demand one without a pair', () => {
    expect(refusal(proposal({ mode: 'never', marked: false, pairedUnrecorded: undefined }))).toBeUndefined();
    expect(refusal(proposal({ mode: 'on-demand', pairedUnrecorded: undefined }))).toBeUndefined();
  });

  it.each(['always', 'on-demand'] as const)(
    'refuses an unmarked %s-recorded extension under s4.d-marked',
    (mode) => {
      // Act
      const error = refusal(proposal({ mode, marked: false }));
      // Assert
      expect(error).toBeInstanceOf(PolicyRefusalError);
      expect(error).toMatchObject({
        rule: 's4.d-marked',
        message: expect.stringContaining('extension 4001 is recorded, so it must be marked'),
      });
    },
  );

  it('refuses an always-recorded extension with no non-recorded pair, saying what to give', () => {
    // Act
    const error = refusal(proposal({ pairedUnrecorded: undefined }));
    // Assert
    expect(error).toMatchObject({
      rule: 's4.e-paired-extension',
      message: expect.stringContaining('extension 4001 is always recorded: give pairedUnrecorded'),
    });
  });

  it('refuses an extension paired with itself', () => {
    // Act
    const error = refusal(proposal({ mode: 'on-demand', pairedUnrecorded: '4001' }));
    // Assert
    expect(error).toMatchObject({
      rule: 's4.e-paired-extension',
      message: expect.stringContaining('pairedUnrecorded must be a different extension'),
    });
  });

  it.each(['always', 'on-demand'] as const)('refuses a pair registered as %s-recorded', (mode) => {
    // Act
    const error = refusal(proposal(), registered(mode));
    // Assert
    expect(error).toMatchObject({
      rule: 's4.e-paired-extension',
      message: expect.stringContaining(`paired extension 4901 is registered as recorded (${mode})`),
    });
  });
});
