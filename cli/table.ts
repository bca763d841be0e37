/** A plain-text table for the CLI: a header row, then one row per item, columns padded to fit. */
export type Columns<T> = readonly (readonly [header: string, cell: (item: T) => string])[];

export const table = <T>(columns: Columns<T>, items: readonly T[]): string => {
  const rows = [columns.map(([h]) => h), ...items.map((i) => columns.map(([, f]) => f(i)))];
  const widths = columns.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => cell.padEnd(widths[c] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
};
