/**
 * `GET /reports/compliance?serviceArea=&from=&to=` — add to the reports function's route table:
 *   'GET /reports/compliance': complianceRoute(deps.compliance),
 */
import * as z from 'zod';
import { complianceReportCsv } from '../domain/compliance.js';
import { route } from '../http/router.js';
import { type ComplianceReportPorts, complianceReport } from './compliance.js';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a calendar day as YYYY-MM-DD');

export const complianceQuery = z.object({
  serviceArea: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and hyphens'),
  from: day,
  to: day,
});

const wantsCsv = (accept: string | undefined): boolean => /\btext\/csv\b/i.test(accept ?? '');

export const complianceRoute = (ports: ComplianceReportPorts) =>
  route({
    query: complianceQuery,
    run: async ({ query, principal, headers, correlationId }) => {
      const report = await complianceReport(ports, principal, { ...query, correlationId });
      if (!wantsCsv(headers.accept ?? headers.Accept)) return { status: 200, body: report };
      return {
        status: 200,
        text: { contentType: 'text/csv; charset=utf-8', content: complianceReportCsv(report) },
        headers: {
          'content-disposition': `attachment; filename="compliance-${query.serviceArea}-${query.from}-${query.to}.csv"`,
        },
      };
    },
  });
