/**
 * `crs audit [--recording ID] [--actor STAFF] [--from T] [--to T] [--limit N] [--cursor C] [--all] [--json]`:
 * GET /audit (IG officers and the Release of Recording Log keeper), newest first, printed as a table:
 * who did what to which recording, for what purpose, and the rule that allowed or denied it.
 * `--all` follows the cursor to the end.
 */
import { listCommand } from '../list-command.js';
import type { Columns } from '../table.js';

interface Entry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  recordingId?: string;
  serviceArea?: string;
  purpose?: string;
  outcome: string;
  rule: string;
}

const COLUMNS: Columns<Entry> = [
  ['SEQ', (e) => String(e.seq)],
  ['TIME (UTC)', (e) => e.at.replace('T', ' ').slice(0, 19)],
  ['ACTOR', (e) => e.actor],
  ['ACTION', (e) => e.action],
  ['RECORDING', (e) => e.recordingId ?? ''],
  ['AREA', (e) => e.serviceArea ?? ''],
  ['PURPOSE', (e) => e.purpose ?? ''],
  ['OUTCOME', (e) => e.outcome],
  ['RULE', (e) => e.rule],
];

export const command = listCommand<Entry>({
  name: 'audit',
  summary: 'read the access audit log (IG officers, Release Log keeper), newest first',
  path: '/audit',
  filters: { recording: 'recordingId', actor: 'actor', from: 'from', to: 'to' },
  key: 'entries',
  columns: COLUMNS,
  none: 'no audit entries match',
});
