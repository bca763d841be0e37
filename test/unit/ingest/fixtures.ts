import type { ServiceArea } from '../../../functions/domain/business-case.js';
import type { Extension } from '../../../functions/domain/extension.js';
import type { UploadBody } from '../../../functions/ingest/schema.js';

export const approvedArea: ServiceArea = {
  id: 'revenues',
  name: 'Revenues',
  businessCase: {
    reason: 'verify customer agreements',
    itSecurity: { confirmedBy: 'its-1', confirmedAt: '2026-01-01T00:00:00Z', pciDssCompliant: true },
    informationGovernance: {
      confirmedBy: 'ig-1',
      confirmedAt: '2026-01-01T00:00:00Z',
      piaReference: 'PIA-7',
    },
    hr: { confirmedBy: 'hr-1', confirmedAt: '2026-01-01T00:00:00Z', staffConsulted: true },
    accessLevels: [{ who: 'revenues-team', access: 'playback' }],
    directorApproval: { approvedBy: 'dcs-1', approvedAt: '2026-01-02T00:00:00Z' },
  },
  status: 'approved',
  missing: [],
  updatedAt: '2026-01-02T00:00:00Z',
  updatedBy: 'reg-1',
};

export const recordedExtension: Extension = {
  number: '4001',
  serviceArea: 'revenues',
  mode: 'always',
  marked: true,
  pairedUnrecorded: '4901',
  updatedAt: '2026-01-02T00:00:00Z',
  updatedBy: 'reg-1',
};

export const validUpload = (overrides: Partial<UploadBody> = {}): UploadBody => ({
  callId: 'call-0001',
  serviceArea: 'revenues',
  extension: '4001',
  direction: 'inbound',
  startedAt: '2026-03-10T09:00:00+00:00',
  endedAt: '2026-03-10T09:05:00+00:00',
  agentId: 'agent-7',
  counterparty: '+441632960123',
  notification: { method: 'announcement' },
  abuseReminder: false,
  verificationReminder: true,
  pci: { pausedSegments: [{ fromSecond: 10, toSecond: 40 }], cardDataCaptured: false },
  audio: { format: 'wav', sizeBytes: 4_800_044, sha256: 'ab'.repeat(32) },
  ...overrides,
});

export const INGEST = { staffId: 'telephony', scope: 'crs/ingest' };
