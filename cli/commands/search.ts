/**
 * `crs search [--area A] [--from T] [--to T] [--extension N] [--agent ID] [--caller +44...] [--status S]
 * [--limit N] [--all]`: GET /recordings, printed as a table. `--all` follows the cursor to the end.
 * Playable (ARCHIVED) recordings unless --status names another state, or `any`.
 */
import { listCommand } from '../list-command.js';
import type { Columns } from '../table.js';

interface Item {
  recordingId: string;
  serviceArea: string;
  startedAt: string;
  durationSeconds: number;
  extension: string;
  agentId: string;
  caller?: string;
  status: string;
  holdCount: number;
}

const COLUMNS: Columns<Item> = [
  ['RECORDING', (i) => i.recordingId],
  ['AREA', (i) => i.serviceArea],
  ['STARTED (UTC)', (i) => i.startedAt.replace('T', ' ').slice(0, 19)],
  ['SECS', (i) => String(i.durationSeconds)],
  ['EXT', (i) => i.extension],
  ['AGENT', (i) => i.agentId],
  ['CALLER', (i) => i.caller ?? ''],
  ['STATUS', (i) => i.status],
  ['HOLDS', (i) => String(i.holdCount)],
];

export const command = listCommand<Item>({
  name: 'search',
  summary: 'find recordings of your service areas',
  path: '/recordings',
  filters: {
    area: 'serviceArea',
    from: 'from',
    to: 'to',
    extension: 'extension',
    agent: 'agent',
    caller: 'caller',
    status: 'status',
  },
  defaults: {
    status: {
      value: 'ARCHIVED',
      any: 'any',
      help: 'ARCHIVED (playable; the default), PENDING, QUARANTINED, DELETED, EXPIRED, or any',
    },
  },
  key: 'items',
  columns: COLUMNS,
  none: 'no recordings match (playable ones only: --status any shows every state)',
});
