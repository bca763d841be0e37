/**
 * `crs hold` — legal holds for Information Governance (policy s.7), over the holds API:
 *
 *   crs hold place --case REF --reason TEXT --review YYYY-MM-DD
 *                  (--recording ID [--recording ID ...] | --area A --from T --to T [--extension N] [--agent ID])
 *                  [--retain-until DAY] [--ig-guidance REF] [--no-wait] [--timeout SECONDS]
 *   crs hold lift <holdId> --reason TEXT [--no-wait] [--timeout SECONDS]
 *   crs hold review <holdId> (--continue --next-review DAY | --lift) [--note TEXT]
 *   crs hold list [--due]
 *   crs hold show <holdId>
 *
 * A hold over a query (or many recordings) is applied in the background (202): `place` and `lift` follow
 * it with a progress bar until every matched recording is held (or released), unless --no-wait; after
 * --timeout seconds (default 900) it stops waiting and exits 1, the hold still working.
 */
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { call } from '../api-client.js';
import { DATE_FORMAT, dayOf, optional, rangeEnd, rangeStart } from '../dates.js';
import { badUsage, subcommands } from '../subcommands.js';
import { type Columns, table } from '../table.js';

interface Progress {
  matched: number;
  applied: number;
  failed: number;
  released: number;
}

interface HoldView {
  holdId: string;
  caseRef: string;
  reviewDate: string;
  status: string;
  state: 'applying' | 'complete' | 'lifted';
  scopeResolved: boolean;
  placedBy: string;
  progress: Progress;
  /** The recordings the hold could not be put on, and why (the first few). */
  failures?: { recordingId: string; reason: string }[];
}

const USAGE = `usage:
  crs hold place --case REF --reason TEXT --review YYYY-MM-DD
                 (--recording ID ... | --area A --from T --to T [--extension N] [--agent ID])
                 [--retain-until DAY] [--ig-guidance REF] [--no-wait] [--timeout SECONDS]
  crs hold lift <holdId> --reason TEXT [--no-wait] [--timeout SECONDS]
  crs hold review <holdId> (--continue --next-review DAY | --lift) [--note TEXT]
  crs hold list [--due]
  crs hold show <holdId>
${DATE_FORMAT}; --review, --next-review and --retain-until are days (a date-time gives its UTC day)
exit: 0 done; 1 refused (the API's reason and policy rule on stderr), still working at --timeout, or
      recordings the hold could not be put on (each named on stderr, with why); 2 bad usage`;

const POLL_MS = 1000;
const DEFAULT_TIMEOUT_SECONDS = 900;

const COLUMNS: Columns<HoldView> = [
  ['HOLD', (h) => h.holdId],
  ['CASE', (h) => h.caseRef],
  ['STATE', (h) => h.state],
  ['REVIEW', (h) => h.reviewDate],
  ['MATCHED', (h) => String(h.progress.matched)],
  ['HELD', (h) => String(h.progress.applied)],
  ['FAILED', (h) => String(h.progress.failed)],
  ['PLACED BY', (h) => h.placedBy],
];

const summary = (h: HoldView): string =>
  `hold ${h.holdId} (case ${h.caseRef}): ${h.state}; matched ${h.progress.matched}, held ${h.progress.applied}, ` +
  `failed ${h.progress.failed}, released ${h.progress.released}`;

/** Done when placing: every matched recording held or failed; when lifting: every held one released. */
const settled = (h: HoldView, lifting: boolean): boolean =>
  lifting
    ? h.scopeResolved && h.progress.released >= h.progress.applied
    : h.state === 'complete' || h.state === 'lifted';

/**
 * Polls GET /holds/{id} until settled or `timeoutSeconds` pass, with a progress bar on a terminal (a line
 * per change elsewhere). Returns the last view and whether it settled.
 */
const follow = async (
  first: HoldView,
  lifting: boolean,
  timeoutSeconds: number,
): Promise<{ hold: HoldView; settled: boolean }> => {
  const deadline = Date.now() + timeoutSeconds * 1000;
  const done = (h: HoldView) => (lifting ? h.progress.released : h.progress.applied + h.progress.failed);
  const bar = process.stderr.isTTY
    ? new cliProgress.SingleBar(
        {
          format: `${lifting ? 'releasing' : 'holding'} [{bar}] {value}/{total} recordings`,
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  let hold = first;
  let shown = '';
  bar?.start(hold.progress.matched, done(hold));
  while (!settled(hold, lifting) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, POLL_MS));
    hold = (await call<HoldView>('GET', `/holds/${encodeURIComponent(hold.holdId)}`)).json;
    if (bar) {
      bar.setTotal(hold.progress.matched);
      bar.update(done(hold));
    } else if (`${done(hold)}/${hold.progress.matched}` !== shown) {
      shown = `${done(hold)}/${hold.progress.matched}`;
      console.error(`${lifting ? 'released' : 'held'} ${shown}`);
    }
  }
  bar?.stop();
  return { hold, settled: settled(hold, lifting) };
};

/** Names each recording the hold could not be put on, and why. */
const printFailures = (hold: HoldView): void => {
  for (const f of hold.failures ?? []) console.error(`  not held: ${f.recordingId} — ${f.reason}`);
  const unnamed = hold.progress.failed - (hold.failures?.length ?? 0);
  if (unnamed > 0) console.error(`  … and ${unnamed} more: \`crs hold show ${hold.holdId}\``);
};

/**
 * Prints where a hold stands. Placing: exit 1 while still working (timeout) or when recordings could not
 * be held. Lifting: exit 1 only while still releasing (what failed at placing is not the lift's doing).
 */
const report = (hold: HoldView, done: boolean, lifting = false): number => {
  console.log(summary(hold));
  if (!lifting && hold.progress.failed > 0) printFailures(hold);
  if (!done) console.error(`still working: \`crs hold show ${hold.holdId}\` to check later`);
  return !done || (!lifting && hold.progress.failed > 0) ? 1 : 0;
};

const timeoutOf = (value: string | undefined): number | undefined => {
  if (value === undefined) return DEFAULT_TIMEOUT_SECONDS;
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : undefined;
};

const place = async (args: string[]): Promise<number> => {
  const { values } = parseArgs({
    args,
    options: {
      case: { type: 'string' },
      reason: { type: 'string' },
      review: { type: 'string' },
      recording: { type: 'string', multiple: true },
      area: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      extension: { type: 'string' },
      agent: { type: 'string' },
      'retain-until': { type: 'string' },
      'ig-guidance': { type: 'string' },
      'no-wait': { type: 'boolean' },
      timeout: { type: 'string' },
    },
  });
  const timeout = timeoutOf(values.timeout);
  if (!values.case || !values.reason || !values.review || (!values.recording && !values.area) || !timeout) {
    return badUsage(USAGE);
  }
  // The API checks every field (400 naming it); the CLI only shapes the body (and reads days).
  const scope = values.recording
    ? { recordingIds: values.recording }
    : {
        query: {
          serviceArea: values.area,
          from: optional('from', values.from, rangeStart),
          to: optional('to', values.to, rangeEnd),
          extension: values.extension,
          agentId: values.agent,
        },
      };
  const reply = await call<HoldView>('POST', '/holds', {
    caseRef: values.case,
    reason: values.reason,
    reviewDate: dayOf('review', values.review),
    scope,
    retainUntil: optional('retain-until', values['retain-until'], dayOf),
    igGuidanceRef: values['ig-guidance'],
  });
  if (values['no-wait']) return report(reply.json, true);
  const { hold, settled: done } = await follow(reply.json, false, timeout);
  return report(hold, done);
};

const lift = async (args: string[]): Promise<number> => {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { reason: { type: 'string' }, 'no-wait': { type: 'boolean' }, timeout: { type: 'string' } },
  });
  const [holdId] = positionals;
  const timeout = timeoutOf(values.timeout);
  if (!holdId || !values.reason || !timeout) {
    return badUsage(USAGE);
  }
  const reply = await call<HoldView>('DELETE', `/holds/${encodeURIComponent(holdId)}`, {
    reason: values.reason,
  });
  if (values['no-wait']) return report(reply.json, true, true);
  const { hold, settled: done } = await follow(reply.json, true, timeout);
  return report(hold, done, true);
};

const review = async (args: string[]): Promise<number> => {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      continue: { type: 'boolean' },
      lift: { type: 'boolean' },
      'next-review': { type: 'string' },
      note: { type: 'string' },
    },
  });
  const [holdId] = positionals;
  if (!holdId || values.continue === values.lift || (values.continue && !values['next-review'])) {
    return badUsage(USAGE);
  }
  const reply = await call<HoldView>('POST', `/holds/${encodeURIComponent(holdId)}/review`, {
    outcome: values.lift ? 'lift' : 'continue',
    nextReview: optional('next-review', values['next-review'], dayOf),
    note: values.note,
  });
  console.log(summary(reply.json));
  if (values.continue) console.log(`next review ${reply.json.reviewDate}`);
  return 0;
};

const list = async (args: string[]): Promise<number> => {
  const { values } = parseArgs({ args, options: { due: { type: 'boolean' } } });
  const reply = await call<{ holds: HoldView[] }>('GET', `/holds${values.due ? '?dueForReview=true' : ''}`);
  console.log(reply.json.holds.length ? table(COLUMNS, reply.json.holds) : 'no holds');
  return 0;
};

const show = async (args: string[]): Promise<number> => {
  const [holdId] = args;
  if (!holdId) {
    return badUsage(USAGE);
  }
  const reply = await call<HoldView>('GET', `/holds/${encodeURIComponent(holdId)}`);
  console.log(JSON.stringify(reply.json, null, 2));
  if (reply.json.progress.failed > 0) printFailures(reply.json);
  return 0;
};

export const command = subcommands(
  'legal holds (IG): place over recordings or a query, lift, review, list, show — with progress',
  USAGE,
  { place, lift, review, list, show },
);
