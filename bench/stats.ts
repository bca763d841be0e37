/** Summaries every benchmark prints: min / median / max (the true median: the mean of the middle two of an even count). */
export interface Spread {
  readonly min: number;
  readonly median: number;
  readonly max: number;
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

export const spread = (xs: readonly number[]): Spread => ({
  min: Math.min(...xs),
  median: median(xs),
  max: Math.max(...xs),
});

export const formatSpread = ({ min, median: m, max }: Spread, digits = 2): string =>
  `min ${min.toFixed(digits)} / median ${m.toFixed(digits)} / max ${max.toFixed(digits)}`;

/**
 * The exit code for a finished run: 1 when a target is missed, except in a smoke run (BENCH_SMOKE=1, as
 * CI runs every bench at a small size): there only a crash fails, since small sizes on a shared machine
 * say nothing about targets.
 */
export const exitForTarget = (met: boolean): void => {
  process.exitCode = met || process.env.BENCH_SMOKE === '1' ? 0 : 1;
};
