/**
 * Demo data, loaded through the public HTTP API (so it passes the same validation and authorisation as
 * real use). Each step is retried on later starts until it succeeds; a route whose handler is not
 * written yet (501) is simply pending. Feature work extends STEPS.
 */
import { join } from 'node:path';
import { readJsonState, writeJsonAtomic } from './files.js';
import type { PersonaId } from './personas.js';

export interface SeedStep {
  readonly name: string;
  readonly as: PersonaId;
  readonly method: 'PUT' | 'POST';
  readonly path: string;
  readonly body: unknown;
}

const confirmed = (by: string) => ({ confirmedBy: by, confirmedAt: '2026-01-10T09:00:00Z' });

/** A complete business case (policy s.3 a–e) as the registrar submits it; the Director approves it next. */
const serviceArea = (name: string, reason: string, area: string) => ({
  name,
  businessCase: {
    reason,
    itSecurity: { ...confirmed('staff-it-security'), pciDssCompliant: true },
    informationGovernance: {
      ...confirmed('staff-ig-officer'),
      piaReference: `PIA-${area.toUpperCase()}-2026-01`,
    },
    hr: { ...confirmed('staff-hr'), staffConsulted: true },
    accessLevels: [
      { who: `${area} team leaders`, access: 'playback' },
      { who: `${area} quality officers`, access: 'download' },
    ],
  },
});

export const STEPS: readonly SeedStep[] = [
  {
    name: 'service area revenues (business case submitted)',
    as: 'registrar',
    method: 'PUT',
    path: '/service-areas/revenues',
    body: serviceArea(
      'Revenues and Benefits',
      'Dispute resolution and quality monitoring of council tax calls',
      'revenues',
    ),
  },
  {
    name: 'service area housing (business case submitted)',
    as: 'registrar',
    method: 'PUT',
    path: '/service-areas/housing',
    body: serviceArea('Housing Services', 'Verification of tenancy agreements made by phone', 'housing'),
  },
  ...(['revenues', 'housing'] as const).map(
    (area): SeedStep => ({
      name: `business case of ${area} approved by the Director of Corporate Services`,
      as: 'director-corporate-services',
      method: 'POST',
      path: `/service-areas/${area}/approve`,
      body: {},
    }),
  ),
  {
    name: 'extension 2901 (revenues, not recorded)',
    as: 'registrar',
    method: 'PUT',
    path: '/extensions/2901',
    body: { serviceArea: 'revenues', mode: 'never', marked: true },
  },
  {
    name: 'extension 2001 (revenues, always recorded, paired with 2901)',
    as: 'registrar',
    method: 'PUT',
    path: '/extensions/2001',
    body: { serviceArea: 'revenues', mode: 'always', marked: true, pairedUnrecorded: '2901' },
  },
  {
    name: 'extension 2002 (revenues, recorded on demand)',
    as: 'registrar',
    method: 'PUT',
    path: '/extensions/2002',
    body: { serviceArea: 'revenues', mode: 'on-demand', marked: true },
  },
  {
    name: 'extension 3901 (housing, not recorded)',
    as: 'registrar',
    method: 'PUT',
    path: '/extensions/3901',
    body: { serviceArea: 'housing', mode: 'never', marked: true },
  },
  {
    name: 'extension 3001 (housing, always recorded, paired with 3901)',
    as: 'registrar',
    method: 'PUT',
    path: '/extensions/3001',
    body: { serviceArea: 'housing', mode: 'always', marked: true, pairedUnrecorded: '3901' },
  },
];

type SeedFile = Record<string, { status: number; at: string }>;
const isSeedFile = (v: unknown): v is SeedFile => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface SeedResult {
  readonly done: string[];
  readonly pending: string[];
  readonly failed: { name: string; status: number; message: string }[];
}

/** Runs the steps not yet done; `token` mints a bearer token for a persona. */
export const seed = async (
  baseUrl: string,
  dataDir: string,
  token: (persona: PersonaId) => Promise<string>,
  steps: readonly SeedStep[] = STEPS,
): Promise<SeedResult> => {
  const path = join(dataDir, 'seed.json');
  const state = readJsonState(path, isSeedFile) ?? {};
  const result: SeedResult = { done: [], pending: [], failed: [] };
  for (const step of steps) {
    if (state[step.name]) {
      result.done.push(step.name);
      continue;
    }
    const response = await fetch(`${baseUrl}${step.path}`, {
      method: step.method,
      headers: { authorization: `Bearer ${await token(step.as)}`, 'content-type': 'application/json' },
      body: JSON.stringify(step.body),
    });
    const text = await response.text();
    if (response.ok) {
      state[step.name] = { status: response.status, at: new Date().toISOString() };
      result.done.push(step.name);
    } else if (response.status === 501) {
      result.pending.push(step.name);
    } else {
      let message = text.slice(0, 300);
      try {
        message = String((JSON.parse(text) as { message?: unknown }).message ?? message);
      } catch {}
      result.failed.push({ name: step.name, status: response.status, message });
    }
  }
  await writeJsonAtomic(path, state);
  return result;
};
