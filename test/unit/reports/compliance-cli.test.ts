import { summary } from '../../../cli/commands/report.js';
import { buildComplianceReport, complianceReportCsv } from '../../../functions/domain/compliance.js';
import { dueList } from '../../../functions/domain/staff-notices.js';

const report = buildComplianceReport({
  serviceArea: 'revenues',
  from: '2025-01-01',
  to: '2025-12-31',
  asOf: '2026-11-28T09:00:00.000Z',
  days: [
    { recordings: 2, 'notification:announcement': 1, 'notification:none': 1, 'quarantined:size-mismatch': 1 },
    {
      recordings: 1,
      'notification:agent-statement': 1,
      'release:external-agency': 1,
      'release-by:siro-1': 1,
    },
  ],
  unnotified: [
    { recordingId: 'r9', startedAt: '2025-02-01T10:00:00.000Z', extension: '2001', agentId: 'a1' },
  ],
  openCopies: [],
  holds: [],
  keptPast24Months: [{ recordingId: 'old-1', holdId: 'h1', deleteAfter: '2026-11-01T00:00:00.000Z' }],
  extensions: [{ number: '2001', mode: 'always', marked: true }],
  staffNoticesDue: dueList([{ staffId: 'a1', areas: ['revenues'], firstSeen: '2025-02-01' }], '2026-11-28'),
});

describe('crs report compliance', () => {
  it('summarises each section in a line, listing the calls without customer notification', () => {
    const text = summary(report);
    expect(text).toContain(
      'Customers told (s.5): 3 recordings — announcement 1, agent-statement 1, advance-notice 0, none 1',
    );
    expect(text).toContain('  not told: r9 2025-02-01T10:00:00.000Z ext 2001 agent a1');
    expect(text).toContain('Quarantined: 1 — size-mismatch 1; expired registrations 0');
    expect(text).toContain('  kept: old-1 (24 months on 2026-11-01T00:00:00.000Z) hold h1 guidance MISSING');
    expect(text).toContain('  always recorded, no pair: 2001');
    expect(text).toContain('Staff notices due (s.4): first use missing 1');
  });

  it('neutralises a spreadsheet formula in a CSV cell', () => {
    const csv = complianceReportCsv({ ...report, serviceArea: '=HYPERLINK("x")' });
    expect(csv).toContain(`report,serviceArea,"'=HYPERLINK(""x"")",`);
  });
});
