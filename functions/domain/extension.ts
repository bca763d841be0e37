/**
 * Policy s.4 (d)–(e): only registered recorded extensions are accepted; a recorded extension is marked
 * so its users know; a constantly recorded one has a paired extension that is not recorded, for
 * confidential calls. Non-recorded extensions (the pairs) are registered with mode `never`.
 */
import { PolicyRefusalError } from './errors.js';

export const RECORDING_MODES = ['always', 'on-demand', 'never'] as const;
export type RecordingMode = (typeof RECORDING_MODES)[number];

export interface Extension {
  readonly number: string;
  readonly serviceArea: string;
  readonly mode: RecordingMode;
  /** s.4 (d): the handset is marked as recorded. */
  readonly marked: boolean;
  /** s.4 (e): the non-recorded extension its users can use for confidential calls. */
  readonly pairedUnrecorded?: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

export const isRecorded = (mode: RecordingMode): boolean => mode !== 'never';

export type ExtensionProposal = Pick<
  Extension,
  'number' | 'serviceArea' | 'mode' | 'marked' | 'pairedUnrecorded'
>;

/**
 * Throws PolicyRefusalError when the proposal breaks s.4. `paired` is the register entry of the paired
 * extension when it is registered (it must then not be recorded).
 */
export const checkExtension = (p: ExtensionProposal, paired: Extension | undefined): void => {
  if (isRecorded(p.mode) && !p.marked) {
    throw new PolicyRefusalError('s4.d-marked', `extension ${p.number} is recorded, so it must be marked`);
  }
  if (p.mode === 'always' && !p.pairedUnrecorded) {
    throw new PolicyRefusalError(
      's4.e-paired-extension',
      `extension ${p.number} is always recorded: give pairedUnrecorded, a non-recorded extension for confidential calls`,
    );
  }
  if (p.pairedUnrecorded === p.number) {
    throw new PolicyRefusalError('s4.e-paired-extension', 'pairedUnrecorded must be a different extension');
  }
  if (p.pairedUnrecorded && paired && isRecorded(paired.mode)) {
    throw new PolicyRefusalError(
      's4.e-paired-extension',
      `paired extension ${p.pairedUnrecorded} is registered as recorded (${paired.mode}); it must be mode never`,
    );
  }
};
