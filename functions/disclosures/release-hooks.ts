/**
 * What the release workflow asks of disclosures (policy s.6): the IG advice a release cites must be on
 * record, in force and cover it; a release to an external agency is issued as a verifiable package.
 * Kept here so functions/release/use-cases.ts calls two functions and holds no disclosure rules.
 */
import type { Destination } from '../domain/approvers.js';
import { OTHER_PURPOSE } from '../domain/purposes.js';
import type { Release, ReleasePurpose } from '../domain/release.js';
import { SCHEDULE2_BASES } from '../domain/schedule2.js';
import type { AdviceLookup, PackageSigner, PackageStore } from '../ports/disclosures.js';
import { type BuiltPackage, buildPackage } from './package.js';
import { requireAdvice } from './use-cases.js';

interface RecordingFacts {
  readonly recordingId: string;
  readonly serviceArea: string;
  readonly startedAt: string;
}

/**
 * A release to an external agency needs advice covering external release of this recording for this
 * purpose (and agency); any release for purpose `other` needs advice covering that purpose. Throws 422.
 */
export const requireReleaseAdvice = async (
  advice: AdviceLookup,
  release: { readonly destination: Destination; readonly purpose: ReleasePurpose },
  recording: RecordingFacts,
  now: Date,
): Promise<void> => {
  const { destination, purpose } = release;
  const external = destination.kind === 'external-agency';
  const agency = external ? destination.agency : undefined;
  if (external)
    await requireAdvice(
      advice,
      destination.igAdviceRef,
      { recording, purpose: purpose.purpose, use: 'external-release', agency },
      now,
    );
  const separateOtherAdvice = !external || purpose.igAdviceRef !== destination.igAdviceRef;
  if (purpose.purpose === OTHER_PURPOSE && separateOtherAdvice)
    await requireAdvice(
      advice,
      purpose.igAdviceRef,
      { recording, purpose: OTHER_PURPOSE, use: external ? 'external-release' : 'use', agency },
      now,
    );
};

/** The issued copy of an external release: audio, cover sheet, manifest and signed certificate. */
export const buildReleasePackage = (
  store: PackageStore,
  signer: PackageSigner,
  release: Release,
  recording: RecordingFacts & { archiveKey: string; archiveVersionId?: string; format: string },
  approver: string,
  now: Date,
): Promise<BuiltPackage> => {
  const d = release.destination;
  const schedule2 = d.kind === 'external-agency' ? d.schedule2 : undefined;
  return buildPackage(store, signer, {
    packageId: release.releaseId,
    kind: 'external-release',
    prefix: `releases/${release.releaseId}/`,
    disclosure: {
      purpose: release.purpose.purpose,
      requester: release.requesterId,
      recipient:
        d.kind === 'external-agency'
          ? `${d.agency}${schedule2 ? ` (authorised by ${schedule2.authorisingOfficer.rank} ${schedule2.authorisingOfficer.name})` : ''}`
          : d.serviceArea,
      authoriser: approver,
      ...(schedule2
        ? { reference: schedule2.reference, statutoryBasis: SCHEDULE2_BASES[schedule2.statutoryBasis] }
        : {}),
      ...(d.kind === 'external-agency' && d.igAdviceRef ? { igAdviceId: d.igAdviceRef } : {}),
    },
    recordings: [recording],
    now,
  });
};
