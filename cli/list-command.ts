/**
 * A CLI command that lists what one paged GET returns, as a table: flags become query parameters, and
 * `--all` follows the cursor to the end. `crs search` and `crs audit` are two of these. `--from`/`--to`
 * take a day or a date-time (cli/dates.ts).
 */
import { parseArgs } from 'node:util';
import { call } from './api-client.js';
import type { CliCommand } from './command.js';
import { DATE_FORMAT, rangeEnd, rangeStart } from './dates.js';
import { type Columns, table } from './table.js';

export interface ListSpec<T> {
  readonly name: string;
  readonly summary: string;
  /** The API path, e.g. `/recordings`. */
  readonly path: string;
  /** Flag → query parameter; `limit` and `cursor` are always there. */
  readonly filters: Readonly<Record<string, string>>;
  /** A flag's value when it is not given (and what --help says about it). */
  readonly defaults?: Readonly<
    Record<
      string,
      { readonly value: string; readonly help: string /** Given, sends no filter. */; readonly any?: string }
    >
  >;
  /** The reply's array, e.g. `items`. */
  readonly key: string;
  readonly columns: Columns<T>;
  /** Printed when nothing matches. */
  readonly none: string;
}

/** Range flags: a day widens to its first or last instant. */
const RANGE: Readonly<Record<string, (option: string, value: string) => string>> = {
  from: rangeStart,
  to: rangeEnd,
};

export const listCommand = <T>(spec: ListSpec<T>): CliCommand => {
  const filters: Record<string, string> = { ...spec.filters, limit: 'limit', cursor: 'cursor' };
  return {
    summary: spec.summary,
    async run(args) {
      const { values } = parseArgs({
        args,
        options: {
          ...Object.fromEntries(Object.keys(filters).map((k) => [k, { type: 'string' as const }])),
          all: { type: 'boolean' },
          json: { type: 'boolean' },
          help: { type: 'boolean' },
        },
      });
      if (values.help) {
        const flags = Object.keys(filters).map((k) => `[--${k} V]`);
        console.log(
          [
            `usage: crs ${spec.name} ${flags.join(' ')} [--all] [--json]`,
            ...Object.entries(spec.defaults ?? {}).map(([flag, d]) => `  --${flag}: ${d.help}`),
            ...(Object.keys(filters).some((k) => k in RANGE) ? [`  --from/--to ${DATE_FORMAT}`] : []),
          ].join('\n'),
        );
        return 0;
      }
      const query = new URLSearchParams();
      for (const [flag, param] of Object.entries(filters)) {
        const given = (values as Record<string, unknown>)[flag];
        const value = typeof given === 'string' ? given : spec.defaults?.[flag]?.value;
        if (value === undefined || value === spec.defaults?.[flag]?.any) continue;
        const convert = RANGE[flag];
        query.set(param, convert ? convert(flag, value) : value);
      }
      const found: T[] = [];
      let cursor: string | undefined;
      do {
        if (cursor) query.set('cursor', cursor);
        const reply = await call<Record<string, unknown>>('GET', `${spec.path}?${query}`);
        found.push(...((reply.json[spec.key] as T[] | undefined) ?? []));
        cursor = reply.json.cursor as string | undefined;
      } while (values.all && cursor);
      if (values.json) console.log(JSON.stringify({ [spec.key]: found, cursor }, null, 2));
      else {
        console.log(found.length ? table(spec.columns, found) : spec.none);
        if (cursor) console.log(`\nmore: --all, or the same filters with --cursor ${cursor}`);
      }
      return 0;
    },
  };
};
