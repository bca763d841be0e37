/**
 * A horizontal bar chart drawn as SVG by hand (no chart library: a few hundred bytes instead of tens of
 * KB). The chart is never the only carrier of the figures: it is hidden from assistive technology
 * (`aria-hidden`) and always sits next to a table of the same figures (ReportFigures), which screen
 * readers read instead. Colours meet 3:1 against white (WCAG 1.4.11) and every bar carries its number as
 * text, so nothing depends on colour alone.
 */
import { Table } from './ui';

export interface Bar {
  readonly label: string;
  readonly value: number;
}

const ROW = 28;
const LABEL = 220;
const WIDTH = 640;
const NUMBER = 60;

export const BarChart = ({ bars, testid }: { bars: readonly Bar[]; testid?: string }) => {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const span = WIDTH - LABEL - NUMBER;
  const height = Math.max(ROW, bars.length * ROW);
  return (
    <svg
      class="portal-chart"
      viewBox={`0 0 ${WIDTH} ${height}`}
      width="100%"
      aria-hidden="true"
      focusable="false"
      data-testid={testid}
    >
      {bars.map((b, i) => {
        const w = Math.round((b.value / max) * span);
        const y = i * ROW;
        return (
          <g key={b.label}>
            <text x={LABEL - 8} y={y + 19} text-anchor="end">
              {b.label.length > 30 ? `${b.label.slice(0, 29)}…` : b.label}
            </text>
            <rect
              class="portal-bar"
              x={LABEL}
              y={y + 5}
              width={Math.max(w, b.value ? 2 : 0)}
              height={ROW - 10}
            />
            <text x={LABEL + w + 6} y={y + 19}>
              {String(b.value)}
            </text>
          </g>
        );
      })}
    </svg>
  );
};

/** The figures as a table (what assistive technology reads) and as a chart (for a glance). */
export const ReportFigures = ({
  caption,
  head,
  bars,
  testid,
}: {
  caption: string;
  head: readonly [string, string];
  bars: readonly Bar[];
  testid: string;
}) => (
  <div class="portal-figures">
    <Table
      caption={caption}
      head={head}
      rows={bars.length ? bars.map((b) => [b.label, String(b.value)]) : [['none', '0']]}
      testid={testid}
    />
    {bars.length ? (
      <div class="govuk-!-margin-bottom-8">
        <BarChart bars={bars} testid={`${testid}-chart`} />
      </div>
    ) : null}
  </div>
);

/** Rows as CSV (RFC 4180 quoting), for the reports the API answers only as JSON. */
export const toCsv = (rows: readonly (readonly unknown[])[]): string =>
  `${rows
    .map((r) =>
      r
        .map((v) => {
          const s = v === undefined || v === null ? '' : String(v);
          // A leading = + - @ would be read as a formula by a spreadsheet: quote it with a '.
          const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
          return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
        })
        .join(','),
    )
    .join('\r\n')}\r\n`;
