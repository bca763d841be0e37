/**
 * `crs sar` — subject access requests (UK GDPR Art. 15, DPA 2018), handled by IG officers, over the
 * /subject-access-requests API: open, search the caller index across every service area, listen to a
 * recording found, decide each one, extend the time limit, make and download the signed package, close;
 * and the report of open, overdue and closed requests. The API decides who may do what (IG only; the
 * report also for the Release of Recording Log keeper) and names the rule when it refuses.
 */
import { mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { call } from '../api-client.js';
import { DATE_FORMAT, dayOf, rangeEnd, rangeStart } from '../dates.js';
import { saveUrl } from '../save-url.js';
import { badUsage, subcommands } from '../subcommands.js';
import { type Columns, table } from '../table.js';

const USAGE = `usage:
  crs sar open --name NAME [--reference REF] --check CHECK=DETAIL ... --caller NUMBER ...
               --from DATE --to DATE [--received DAY]
  crs sar show <sarId> [--json]
  crs sar search <sarId>
  crs sar play <sarId> <recordingId>
  crs sar mark <sarId> <recordingId> (disclose | withhold --exemption ID | third-party-review --note TEXT)
               [--note TEXT]
  crs sar extend <sarId> --to DAY --reason TEXT
  crs sar package <sarId> [--out-dir DIR]      make the package (once); save it into DIR
  crs sar download <sarId> --out-dir DIR       fresh links to the package, saved into DIR
  crs sar close <sarId> --note TEXT
  crs sar report [--months N] [--json]

formats:
  NUMBER  the caller's number in E.164, e.g. +441632960123 (as the telephony platform sends it)
  CHECK   what was checked, never the document: photo-id, proof-of-address, council-account,
          known-caller-details, authority-to-act, other; e.g. --check "photo-id=driving licence seen"
  DAY     YYYY-MM-DD (day of receipt; the due date is one calendar month on, ICO rule)
  ${DATE_FORMAT}
  ID      a DPA 2018 exemption id, e.g. sch2-p1-para2-crime, sch2-p3-para16-third-party,
          sch3-p2-health-serious-harm, sch4-restricted-by-enactment (the API lists them all on a bad one)`;

interface SarRecording {
  recordingId: string;
  serviceArea: string;
  startedAt: string;
  mark?: { decision: string; exemption?: string; note?: string; by: string };
}

interface Sar {
  sarId: string;
  state: string;
  requester: { name: string; reference?: string };
  callers: { last3: string }[];
  from: string;
  to: string;
  receivedOn: string;
  dueDate: string;
  extensions: { to: string; reason: string }[];
  search?: { at: string; found: number };
  recordings: SarRecording[];
  package?: { packageId: string; expiresAt: string };
  closed?: { at: string; note: string };
}

interface Links {
  packageId: string;
  files: { name: string; url: string }[];
  linkExpiresAt: string;
  packageExpiresAt: string;
}

interface Summary {
  sarId: string;
  receivedOn: string;
  dueDate: string;
  extended: boolean;
  found: number | null;
  daysOverdue?: number;
}

const path = (sarId: string, action = '') => `/subject-access-requests/${encodeURIComponent(sarId)}${action}`;

const when = (iso: string) => iso.replace('T', ' ').slice(0, 16);

const RECORDINGS: Columns<SarRecording> = [
  ['RECORDING', (r) => r.recordingId],
  ['AREA', (r) => r.serviceArea],
  ['STARTED (UTC)', (r) => when(r.startedAt)],
  ['DECISION', (r) => r.mark?.decision ?? '(undecided)'],
  ['EXEMPTION / NOTE', (r) => r.mark?.exemption ?? r.mark?.note ?? ''],
];

const describe = (s: Sar): string =>
  [
    `subject access request ${s.sarId}: ${s.state}, received ${s.receivedOn}, due ${s.dueDate}` +
      (s.extensions.length ? ` (extended: ${s.extensions.at(-1)?.reason})` : ''),
    `  requester ${s.requester.name}${s.requester.reference ? ` (${s.requester.reference})` : ''}; ` +
      `caller(s) ${s.callers.map((c) => `…${c.last3}`).join(', ')}; calls ${when(s.from)} to ${when(s.to)}`,
    s.search
      ? `  searched ${when(s.search.at)}: ${s.search.found} recording(s)`
      : '  not searched yet: crs sar search',
    ...(s.recordings.length ? [table(RECORDINGS, s.recordings).replace(/^/gm, '  ')] : []),
    ...(s.package ? [`  package ${s.package.packageId}, kept until ${s.package.expiresAt}`] : []),
    ...(s.closed ? [`  closed ${when(s.closed.at)}: ${s.closed.note}`] : []),
  ].join('\n');

const open = async (args: string[]): Promise<number> => {
  const { values } = parseArgs({
    args,
    options: {
      name: { type: 'string' },
      reference: { type: 'string' },
      check: { type: 'string', multiple: true },
      caller: { type: 'string', multiple: true },
      from: { type: 'string' },
      to: { type: 'string' },
      received: { type: 'string' },
    },
  });
  if (!values.name || !values.check?.length || !values.caller?.length || !values.from || !values.to)
    return badUsage(USAGE);
  const checks = values.check.map((c) => {
    const at = c.indexOf('=');
    return at < 0 ? { check: c, detail: '' } : { check: c.slice(0, at), detail: c.slice(at + 1) };
  });
  const reply = await call<Sar>('POST', '/subject-access-requests', {
    requester: { name: values.name, ...(values.reference ? { reference: values.reference } : {}) },
    identityChecks: checks,
    callerNumbers: values.caller,
    from: rangeStart('from', values.from),
    to: rangeEnd('to', values.to),
    ...(values.received ? { receivedOn: dayOf('received', values.received) } : {}),
  });
  console.log(describe(reply.json));
  return 0;
};

const onOne =
  (method: 'GET' | 'POST', action: string) =>
  async (args: string[]): Promise<number> => {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { json: { type: 'boolean' } },
    });
    const [sarId] = positionals;
    if (!sarId) return badUsage(USAGE);
    const reply = await call<Sar>(method, path(sarId, action));
    console.log(values.json ? JSON.stringify(reply.json, null, 2) : describe(reply.json));
    return 0;
  };

const play = async (args: string[]): Promise<number> => {
  const [sarId, recordingId] = args;
  if (!sarId || !recordingId) return badUsage(USAGE);
  const reply = await call<{ url: string; expiresAt: string }>(
    'POST',
    path(sarId, `/recordings/${encodeURIComponent(recordingId)}/playback`),
  );
  console.log(`${reply.json.url}\n(link expires at ${reply.json.expiresAt}; this playback is audited)`);
  return 0;
};

const mark = async (args: string[]): Promise<number> => {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { exemption: { type: 'string' }, note: { type: 'string' } },
  });
  const [sarId, recordingId, decision] = positionals;
  if (!sarId || !recordingId || !decision) return badUsage(USAGE);
  const reply = await call<Sar>('PUT', path(sarId, `/recordings/${encodeURIComponent(recordingId)}`), {
    decision,
    ...(values.exemption ? { exemption: values.exemption } : {}),
    ...(values.note ? { note: values.note } : {}),
  });
  const r = reply.json.recordings.find((x) => x.recordingId === recordingId);
  console.log(
    `${recordingId}: ${r?.mark?.decision}${r?.mark?.exemption ? ` under ${r.mark.exemption}` : ''} ` +
      `(${reply.json.recordings.filter((x) => !x.mark).length} recording(s) still undecided)`,
  );
  return 0;
};

const extend = async (args: string[]): Promise<number> => {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { to: { type: 'string' }, reason: { type: 'string' } },
  });
  const [sarId] = positionals;
  if (!sarId || !values.to || !values.reason) return badUsage(USAGE);
  const reply = await call<Sar>('POST', path(sarId, '/extend'), {
    to: dayOf('to', values.to),
    reason: values.reason,
  });
  console.log(`subject access request ${sarId}: now due ${reply.json.dueDate}`);
  return 0;
};

const save = async (links: Links, dir: string): Promise<number> => {
  await mkdir(dir, { recursive: true });
  for (const file of links.files) {
    const saved = await saveUrl(file.url, join(dir, basename(file.name)));
    if ('status' in saved) {
      console.error(`crs: ${file.name} could not be read: HTTP ${saved.status}`);
      return 1;
    }
  }
  console.log(
    `saved ${links.files.length} files of package ${links.packageId} into ${dir}; check with crs verify-package`,
  );
  return 0;
};

const printLinks = (links: Links): void => {
  console.log(
    `package ${links.packageId}: links expire at ${links.linkExpiresAt}, files kept until ${links.packageExpiresAt}`,
  );
  for (const f of links.files) console.log(`  ${f.name}  ${f.url}`);
};

const makePackage = async (args: string[]): Promise<number> => {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { 'out-dir': { type: 'string' } },
  });
  const [sarId] = positionals;
  if (!sarId) return badUsage(USAGE);
  const reply = await call<Links>('POST', path(sarId, '/package'));
  const dir = values['out-dir'];
  if (dir) return save(reply.json, dir);
  printLinks(reply.json);
  return 0;
};

const download = async (args: string[]): Promise<number> => {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { 'out-dir': { type: 'string' } },
  });
  const [sarId] = positionals;
  const dir = values['out-dir'];
  if (!sarId || !dir) return badUsage(USAGE);
  return save((await call<Links>('GET', path(sarId, '/package/link'))).json, dir);
};

const close = async (args: string[]): Promise<number> => {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { note: { type: 'string' } },
  });
  const [sarId] = positionals;
  if (!sarId || !values.note) return badUsage(USAGE);
  console.log(describe((await call<Sar>('POST', path(sarId, '/close'), { note: values.note })).json));
  return 0;
};

const SUMMARY: Columns<Summary> = [
  ['REQUEST', (s) => s.sarId],
  ['RECEIVED', (s) => s.receivedOn],
  ['DUE', (s) => s.dueDate],
  ['EXTENDED', (s) => (s.extended ? 'yes' : '')],
  ['FOUND', (s) => (s.found === null ? '(not searched)' : String(s.found))],
  ['OVERDUE', (s) => (s.daysOverdue ? `${s.daysOverdue} day(s)` : '')],
];

const report = async (args: string[]): Promise<number> => {
  const { values } = parseArgs({
    args,
    options: { months: { type: 'string' }, json: { type: 'boolean' } },
  });
  const query = values.months ? `?months=${encodeURIComponent(values.months)}` : '';
  const reply = await call<{
    today: string;
    open: Summary[];
    overdue: Summary[];
    closedPerMonth: { month: string; closed: number; closedLate: number }[];
  }>('GET', `/reports/subject-access${query}`);
  const r = reply.json;
  if (values.json) {
    console.log(JSON.stringify(r, null, 2));
    return 0;
  }
  console.log(
    [
      `subject access requests on ${r.today}`,
      '',
      `open, by due date (${r.open.length}):`,
      r.open.length ? table(SUMMARY, r.open) : '  none',
      '',
      `overdue (${r.overdue.length}):`,
      r.overdue.length ? table(SUMMARY, r.overdue) : '  none',
      '',
      'closed per month:',
      r.closedPerMonth.length
        ? table(
            [
              ['MONTH', (m) => m.month],
              ['CLOSED', (m) => String(m.closed)],
              ['OF WHICH LATE', (m) => String(m.closedLate)],
            ],
            r.closedPerMonth,
          )
        : '  none',
    ].join('\n'),
  );
  return 0;
};

export const command = subcommands(
  'subject access requests (IG): open, search, mark, extend, package, close, report',
  USAGE,
  {
    open,
    show: onOne('GET', ''),
    search: onOne('POST', '/search'),
    play,
    mark,
    extend,
    package: makePackage,
    download,
    close,
    report,
  },
);
