/**
 * `crs release` — releases of a recording outside its service area (policy s.6), over the releases API:
 *
 *   crs release request <recordingId> --purpose P (--to-area A | --to-agency NAME --ig-advice ID
 *                       --schedule2 FORM.json) --justification TEXT [--purpose-ig-advice ID]
 *   crs release list [--state S] [--recording ID] [--requester ID]
 *   crs release show <releaseId>
 *   crs release approve <releaseId>
 *   crs release reject <releaseId> --reason TEXT
 *   crs release download <releaseId> --out FILE      the released copy, through its short-lived link
 *   crs release download <releaseId> --out-dir DIR   an external release's whole package (then verify-package)
 *   crs release complete <releaseId>                 done with the copy: it is deleted
 *
 * Who may do what is the API's decision (requester, the policy's approvers, never one's own request);
 * its refusals come through with their rule.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { call } from '../api-client.js';
import { saveUrl } from '../save-url.js';
import { badUsage, subcommands } from '../subcommands.js';
import { type Columns, table } from '../table.js';

interface Release {
  releaseId: string;
  recordingId: string;
  recordingServiceArea: string;
  destination: { kind: string; serviceArea?: string; agency?: string };
  purpose: { purpose: string; igAdviceRef?: string };
  requesterId: string;
  state: string;
  createdAt: string;
  approval?: { by: string; at: string };
  copy?: { expiresAt: string; deletedAt?: string };
}

const USAGE = `usage:
  crs release request <recordingId> --purpose P (--to-area A | --to-agency NAME --ig-advice ID
                      --schedule2 FORM.json) --justification TEXT [--purpose-ig-advice ID]
  crs release list [--state S] [--recording ID] [--requester ID]
  crs release show <releaseId>
  crs release approve <releaseId>
  crs release reject <releaseId> --reason TEXT
  crs release download <releaseId> (--out FILE | --out-dir DIR)
  crs release complete <releaseId>`;

const COLUMNS: Columns<Release> = [
  ['RELEASE', (r) => r.releaseId],
  ['STATE', (r) => r.state],
  ['RECORDING', (r) => r.recordingId],
  ['FROM', (r) => r.recordingServiceArea],
  ['TO', (r) => r.destination.serviceArea ?? r.destination.agency ?? ''],
  ['PURPOSE', (r) => r.purpose.purpose],
  ['REQUESTER', (r) => r.requesterId],
  ['REQUESTED (UTC)', (r) => r.createdAt.replace('T', ' ').slice(0, 19)],
  ['APPROVED BY', (r) => r.approval?.by ?? ''],
];

const line = (r: Release): string =>
  `release ${r.releaseId}: ${r.state}` +
  (r.approval ? `, approved by ${r.approval.by}` : '') +
  (r.copy?.deletedAt
    ? `; copy deleted at ${r.copy.deletedAt}`
    : r.copy
      ? `; copy kept until ${r.copy.expiresAt}`
      : '');

const path = (releaseId: string, action = '') => `/releases/${encodeURIComponent(releaseId)}${action}`;

const request = async (args: string[]): Promise<number> => {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      purpose: { type: 'string' },
      'to-area': { type: 'string' },
      'to-agency': { type: 'string' },
      'ig-advice': { type: 'string' },
      'purpose-ig-advice': { type: 'string' },
      schedule2: { type: 'string' },
      justification: { type: 'string' },
    },
  });
  const [recordingId] = positionals;
  const toArea = values['to-area'];
  const toAgency = values['to-agency'];
  if (!recordingId || !values.purpose || !values.justification || Boolean(toArea) === Boolean(toAgency))
    return badUsage(USAGE);
  // The DPA 2018 Schedule 2 form as JSON: authorisingOfficer {name, rank}, statutoryBasis, reference,
  // whyNeeded, prejudiceWithout, dataSubjectMayBeTold, deliveryMethod (the API names a missing field).
  const schedule2 = values.schedule2 ? JSON.parse(await readFile(values.schedule2, 'utf8')) : undefined;
  const reply = await call<Release>('POST', '/releases', {
    recordingId,
    purpose: values.purpose,
    igAdviceRef: values['purpose-ig-advice'],
    justification: values.justification,
    destination: toArea
      ? { kind: 'service-area', serviceArea: toArea }
      : { kind: 'external-agency', agency: toAgency, igAdviceRef: values['ig-advice'], schedule2 },
  });
  console.log(line(reply.json));
  return 0;
};

const list = async (args: string[]): Promise<number> => {
  const { values } = parseArgs({
    args,
    options: { state: { type: 'string' }, recording: { type: 'string' }, requester: { type: 'string' } },
  });
  const query = new URLSearchParams();
  if (values.state) query.set('state', values.state);
  if (values.recording) query.set('recordingId', values.recording);
  if (values.requester) query.set('requester', values.requester);
  const reply = await call<{ releases: Release[] }>('GET', `/releases?${query}`);
  console.log(reply.json.releases.length ? table(COLUMNS, reply.json.releases) : 'no releases');
  return 0;
};

/** One release by id: show, approve, complete (no body), reject (a reason). */
const onOne =
  (method: 'GET' | 'POST', action: string, print: (r: Release) => string = line) =>
  async (args: string[]): Promise<number> => {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { reason: { type: 'string' } },
    });
    const [releaseId] = positionals;
    if (!releaseId || (action === '/reject') !== Boolean(values.reason)) return badUsage(USAGE);
    const body = action === '/reject' ? { reason: values.reason } : undefined;
    const reply = await call<Release>(method, path(releaseId, action), body);
    console.log(print(reply.json));
    return 0;
  };

/** The released copy, through the short-lived link the API issues (and logs), into --out. */
const download = async (args: string[]): Promise<number> => {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { out: { type: 'string' }, 'out-dir': { type: 'string' } },
  });
  const [releaseId] = positionals;
  const outDir = values['out-dir'];
  if (!releaseId || Boolean(values.out) === Boolean(outDir)) return badUsage(USAGE);
  const link = await call<{ url: string; linkExpiresAt: string; files?: { name: string; url: string }[] }>(
    'GET',
    path(releaseId, '/link'),
  );
  if (outDir) return savePackage(link.json.files ?? [], outDir, link.json.linkExpiresAt);
  if (!values.out) return badUsage(USAGE);
  const saved = await saveUrl(link.json.url, values.out);
  if ('status' in saved) {
    console.error(`crs: the released copy could not be read: HTTP ${saved.status}`);
    return 1;
  }
  console.log(`saved ${values.out} (the link expires at ${link.json.linkExpiresAt})`);
  return 0;
};

/** Every file of a package into `dir`: the audio, cover sheet, manifest and certificate. */
const savePackage = async (
  files: { name: string; url: string }[],
  dir: string,
  linkExpiresAt: string,
): Promise<number> => {
  if (files.length === 0) {
    console.error('crs: this release has no package (only external-agency releases do); use --out FILE');
    return 1;
  }
  await mkdir(dir, { recursive: true });
  for (const file of files) {
    const saved = await saveUrl(file.url, join(dir, basename(file.name)));
    if ('status' in saved) {
      console.error(`crs: ${file.name} could not be read: HTTP ${saved.status}`);
      return 1;
    }
  }
  console.log(
    `saved ${files.length} files into ${dir} (links expire at ${linkExpiresAt}); check with crs verify-package`,
  );
  return 0;
};

export const command = subcommands(
  'releases outside the service area: request, list, approve or reject, download, complete',
  USAGE,
  {
    request,
    list,
    show: onOne('GET', '', (r) => JSON.stringify(r, null, 2)),
    approve: onOne('POST', '/approve'),
    reject: onOne('POST', '/reject'),
    complete: onOne('POST', '/complete'),
    download,
  },
);
