/**
 * `crs release` — releases of a recording outside its service area (policy s.6), over the releases API:
 *
 *   crs release request <recordingId> --purpose P (--to-area A | --to-agency NAME --ig-advice REF)
 *                       --justification TEXT [--purpose-ig-advice REF]
 *   crs release list [--state S] [--recording ID] [--requester ID]
 *   crs release show <releaseId>
 *   crs release approve <releaseId>
 *   crs release reject <releaseId> --reason TEXT
 *   crs release download <releaseId> --out FILE      the released copy, through its short-lived link
 *   crs release complete <releaseId>                 done with the copy: it is deleted
 *
 * Who may do what is the API's decision (requester, the policy's approvers, never one's own request);
 * its refusals come through with their rule.
 */
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
  crs release request <recordingId> --purpose P (--to-area A | --to-agency NAME --ig-advice REF)
                      --justification TEXT [--purpose-ig-advice REF]
  crs release list [--state S] [--recording ID] [--requester ID]
  crs release show <releaseId>
  crs release approve <releaseId>
  crs release reject <releaseId> --reason TEXT
  crs release download <releaseId> --out FILE
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
      justification: { type: 'string' },
    },
  });
  const [recordingId] = positionals;
  const toArea = values['to-area'];
  const toAgency = values['to-agency'];
  if (!recordingId || !values.purpose || !values.justification || Boolean(toArea) === Boolean(toAgency))
    return badUsage(USAGE);
  const reply = await call<Release>('POST', '/releases', {
    recordingId,
    purpose: values.purpose,
    igAdviceRef: values['purpose-ig-advice'],
    justification: values.justification,
    destination: toArea
      ? { kind: 'service-area', serviceArea: toArea }
      : { kind: 'external-agency', agency: toAgency, igAdviceRef: values['ig-advice'] },
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
    options: { out: { type: 'string' } },
  });
  const [releaseId] = positionals;
  if (!releaseId || !values.out) return badUsage(USAGE);
  const link = await call<{ url: string; linkExpiresAt: string }>('GET', path(releaseId, '/link'));
  const saved = await saveUrl(link.json.url, values.out);
  if ('status' in saved) {
    console.error(`crs: the released copy could not be read: HTTP ${saved.status}`);
    return 1;
  }
  console.log(`saved ${values.out} (the link expires at ${link.json.linkExpiresAt})`);
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
