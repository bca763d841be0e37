/**
 * `crs search [--area A] [--from T] [--to T] [--extension N] [--agent ID] [--caller +44...] [--status S]
 * [--limit N] [--all]`: GET /recordings, printed as a table. `--all` follows the cursor to the end.
 */
import { parseArgs } from 'node:util';
import { call } from '../api-client.js';
import type { CliCommand } from '../command.js';

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

const COLUMNS: [string, (i: Item) => string][] = [
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

export const table = (items: Item[]): string => {
  const rows = [COLUMNS.map(([h]) => h), ...items.map((i) => COLUMNS.map(([, f]) => f(i)))];
  const widths = COLUMNS.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => cell.padEnd(widths[c] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
};

const FILTERS = {
  area: 'serviceArea',
  from: 'from',
  to: 'to',
  extension: 'extension',
  agent: 'agent',
  caller: 'caller',
  status: 'status',
  limit: 'limit',
  cursor: 'cursor',
} as const;

export const command: CliCommand = {
  summary: 'find recordings of your service areas',
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        ...Object.fromEntries(Object.keys(FILTERS).map((k) => [k, { type: 'string' as const }])),
        all: { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    });
    if (values.help) {
      console.log(
        `usage: crs search ${Object.keys(FILTERS)
          .map((k) => `[--${k} V]`)
          .join(' ')} [--all] [--json]`,
      );
      return 0;
    }
    const query = new URLSearchParams();
    for (const [flag, param] of Object.entries(FILTERS)) {
      const value = (values as Record<string, unknown>)[flag];
      if (typeof value === 'string') query.set(param, value);
    }
    const items: Item[] = [];
    let cursor: string | undefined;
    do {
      if (cursor) query.set('cursor', cursor);
      const reply = await call<{ items: Item[]; cursor?: string }>('GET', `/recordings?${query}`);
      items.push(...reply.json.items);
      cursor = reply.json.cursor;
    } while (values.all && cursor);
    if (values.json) console.log(JSON.stringify({ items, cursor }, null, 2));
    else {
      console.log(items.length ? table(items) : 'no recordings match');
      if (cursor) console.log(`\nmore: --all, or the same filters with --cursor ${cursor}`);
    }
    return 0;
  },
};
