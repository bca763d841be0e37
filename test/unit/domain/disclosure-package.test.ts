/**
 * Disclosure packages (functions/domain/disclosure-package.ts, package-rules.ts): the cover sheet a
 * recipient reads, how a folder or zip is read back, and the problems `judgePackage` names when the
 * package is not as the council signed it.
 */
import {
  coverSheet,
  MANIFEST_FORMAT,
  type Manifest,
  manifestText,
  sha256Hex,
} from '../../../functions/domain/disclosure-package.js';
import {
  CERTIFICATE_FORMAT,
  isPackageTextFile,
  judgePackage,
  type PackageContents,
  packageContents,
  parseCertificate,
} from '../../../functions/domain/package-rules.js';

const FACTS = {
  purpose: 'prevention or detection of crime',
  requester: 'rev-officer-1',
  recipient: 'Avon and Somerset Police',
  authoriser: 'head-of-revenues',
};

describe('the cover sheet says what the package is, what is in it and how to check it', () => {
  it('states every disclosure fact it is given, each recording, and the checking instructions', () => {
    // Act
    const text = coverSheet(
      {
        packageId: 'pkg-1',
        kind: 'external-release',
        createdAt: '2026-11-30T10:00:00.000Z',
        disclosure: {
          ...FACTS,
          reference: 'CRIME-42',
          statutoryBasis: 'DPA 2018 Sch 2 para 2',
          igAdviceId: 'IG-7',
        },
      },
      [
        {
          name: 'rec-a.wav',
          sha256: 'aa',
          size: 1,
          recordedAt: '2026-11-01T09:00:00.000Z',
          serviceArea: 'revenues',
        },
        { name: 'rec-b.wav', sha256: 'bb', size: 1 },
      ],
    );
    // Assert
    expect(text).toBe(
      [
        'CALL RECORDING DISCLOSURE — COVER SHEET',
        '',
        'This package is a release of call recordings to an external agency.',
        'Package: pkg-1    Prepared: 2026-11-30T10:00:00.000Z',
        'For: Avon and Somerset Police',
        'Purpose: prevention or detection of crime',
        'Your reference: CRIME-42',
        'Legal basis: DPA 2018 Sch 2 para 2',
        'Requested by: rev-officer-1    Authorised by: head-of-revenues',
        'Corporate Information Governance advice: IG-7',
        '',
        'It holds 2 recording(s):',
        '  - rec-a.wav: call of 2026-11-01T09:00:00.000Z (revenues)',
        '  - rec-b.wav: call of unknown time ()',
        '',
        'How to check nothing has been changed:',
        "  manifest.json lists every file with its SHA-256 fingerprint. certificate.json is the council's",
        "  digital signature of that list. With the council's public key, run",
        '    crs verify-package <this folder or zip> --public-key <key file>',
        '  It names any file that was changed, removed or added, and fails if the list itself was altered.',
        '',
        'These recordings contain personal data. Keep them securely, use them only for the purpose above,',
        'and delete them when that purpose is served.',
        '',
      ].join('\n'),
    );
  });

  it('leaves out the reference, legal basis and IG advice lines when there are none', () => {
    // Act
    const text = coverSheet(
      {
        packageId: 'pkg-2',
        kind: 'subject-access',
        createdAt: '2026-11-30T10:00:00.000Z',
        disclosure: FACTS,
      },
      [],
    );
    // Assert
    expect(text).toContain(
      'This package is a response to a subject access request under the Data Protection Act 2018.',
    );
    expect(text).not.toMatch(/Your reference|Legal basis|Information Governance advice/);
    expect(text).toContain('It holds 0 recording(s):\n\nHow to check');
  });
});

describe('reading a package back from a folder or a zip', () => {
  it('reads text only for the manifest and the certificate, wherever they sit', () => {
    // Act / Assert
    expect(
      ['pkg/manifest.json', 'certificate.json', 'pkg/rec.wav', 'cover-sheet.txt'].map(isPackageTextFile),
    ).toEqual([true, true, false, false]);
  });

  it('names files relative to the folder holding the manifest when everything is under it', () => {
    // Act
    const contents = packageContents([
      { name: 'pkg-1/manifest.json', sha256: 'm', text: '{"m":1}' },
      { name: 'pkg-1/certificate.json', sha256: 'c', text: '{"c":1}' },
      { name: 'pkg-1/rec.wav', sha256: 'r' },
    ]);
    // Assert
    expect(contents).toEqual({
      files: new Map([['rec.wav', 'r']]),
      manifest: '{"m":1}',
      certificate: '{"c":1}',
    });
  });

  it('keeps full names when some file sits outside the manifest’s folder, so it shows as extra', () => {
    // Act
    const contents = packageContents([
      { name: 'pkg-1/manifest.json', sha256: 'm', text: '{}' },
      { name: 'pkg-1/rec.wav', sha256: 'r' },
      { name: 'planted.wav', sha256: 'p' },
    ]);
    // Assert
    expect(contents.manifest).toBeUndefined();
    expect([...contents.files.keys()]).toEqual(['pkg-1/manifest.json', 'pkg-1/rec.wav', 'planted.wav']);
  });

  it('reads a package with no manifest at all without failing', () => {
    // Act
    const contents = packageContents([{ name: 'rec.wav', sha256: 'r' }]);
    // Assert
    expect(contents).toEqual({
      files: new Map([['rec.wav', 'r']]),
      manifest: undefined,
      certificate: undefined,
    });
  });

  it('accepts as a certificate only JSON in the certificate format', () => {
    // Act / Assert
    expect(parseCertificate(undefined)).toBeUndefined();
    expect(parseCertificate('not json')).toBeUndefined();
    expect(parseCertificate('{"format":"something-else/1"}')).toBeUndefined();
    expect(parseCertificate(`{"format":"${CERTIFICATE_FORMAT}","signature":"c2ln"}`)).toMatchObject({
      signature: 'c2ln',
    });
  });
});

describe('judging a package names what is wrong with it', () => {
  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    packageId: 'pkg-1',
    kind: 'external-release',
    createdAt: '2026-11-30T10:00:00.000Z',
    disclosure: FACTS,
    files: [{ name: 'rec.wav', sha256: 'r', size: 1 }],
  };
  const text = manifestText(manifest);
  const certificate = JSON.stringify({
    format: CERTIFICATE_FORMAT,
    manifestSha256: sha256Hex(text),
    signature: 'c2ln',
  });
  const crypto = { manifestSha256: sha256Hex, signatureHolds: () => true };
  const judge = (c: Partial<PackageContents>) =>
    judgePackage({ files: new Map([['rec.wav', 'r']]), manifest: text, certificate, ...c }, crypto);

  it('passes a package as signed', () => {
    // Act / Assert
    expect(judge({})).toMatchObject({ ok: true, problems: [] });
  });

  it('names a missing manifest and a missing certificate', () => {
    // Act / Assert
    expect(judge({ manifest: undefined })).toEqual({ ok: false, problems: ['missing: manifest.json'] });
    expect(judge({ certificate: undefined })).toEqual({ ok: false, problems: ['missing: certificate.json'] });
  });

  it.each([
    ['not JSON', 'garbage'],
    ['another format', JSON.stringify({ ...manifest, format: 'other/1' })],
    ['no file list', JSON.stringify({ ...manifest, files: 'rec.wav' })],
    ['JSON null', 'null'],
  ])('calls a manifest that is %s unreadable', (_what, manifestBody) => {
    // Act / Assert
    expect(judge({ manifest: manifestBody })).toEqual({
      ok: false,
      problems: [`unreadable: manifest.json is not a ${MANIFEST_FORMAT} manifest`],
    });
  });

  it('calls a certificate in another format unreadable', () => {
    // Act / Assert
    expect(judge({ certificate: '{"format":"other/1"}' })).toEqual({
      ok: false,
      problems: [`unreadable: certificate.json is not a ${CERTIFICATE_FORMAT} certificate`],
    });
  });
});
