import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { App } from 'aws-cdk-lib';
import { CONTEXT_DEFAULTS, ConfigError, maxDaysIn, parseConfig } from '../../infra/config.js';
import { REPO_ROOT } from '../../infra/constructs/recording-function.js';
import { defineApp } from '../../infra/stack.js';
import { cdkJsonContext } from './fixture.js';

const ENTRA = {
  oidcIssuerUrl: 'https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0',
  oidcAudience: 'api://crs',
  portalClientId: '6f1c2a4e-portal-spa',
} as const;

describe('config from cdk.json context', () => {
  it('reads an Entra claim mapping (object in cdk.json, JSON text from -c) and a staff id claim', () => {
    const mapping = { 'group-oid-1': 'area:revenues:manager', 'CRS.Siro': ['role:siro', 'scope:crs/staff'] };

    const fromJson = parseConfig({ ...ENTRA, staffIdClaim: 'oid', claimMapping: mapping });
    const fromText = parseConfig({ ...ENTRA, claimMapping: JSON.stringify(mapping) });

    expect(fromJson.staffIdClaim).toBe('oid');
    expect(fromJson.claimMapping).toEqual({
      'group-oid-1': ['area:revenues:manager'],
      'CRS.Siro': ['role:siro', 'scope:crs/staff'],
    });
    expect(fromText.claimMapping).toEqual(fromJson.claimMapping);
  });

  it('defaults every key to the policy figures when cdk.json sets nothing', () => {
    const config = parseConfig({});

    expect(config).toEqual({ ...CONTEXT_DEFAULTS });
  });

  it('ships cdk.json with the same values as the defaults', () => {
    const context = cdkJsonContext();

    for (const [key, value] of Object.entries(CONTEXT_DEFAULTS)) expect(context[key]).toBe(value);
  });

  it('accepts numbers given as strings, as `cdk synth -c key=value` passes them', () => {
    const config = parseConfig({ retentionMaxMonths: '36', playbackLinkTtlSeconds: '120' });

    expect(config.retentionMaxMonths).toBe(36);
    expect(config.playbackLinkTtlSeconds).toBe(120);
  });

  it('reads the council issuer and a comma-separated audience', () => {
    const config = parseConfig({
      oidcIssuerUrl: 'https://id.council.example',
      oidcAudience: 'a, b',
      portalClientId: 'crs-portal',
    });

    expect(config.oidcAudience).toEqual(['a', 'b']);
  });

  it.each([
    ['retentionMinMonths', { retentionMinMonths: 6 }, 'retentionMinMonths'],
    ['retentionMinMonths', { retentionMinMonths: 'twelve' }, 'retentionMinMonths'],
    ['retentionMaxMonths', { retentionMaxMonths: 12 }, 'retentionMaxMonths'],
    ['retentionMaxMonths', { retentionMaxMonths: 12.5 }, 'retentionMaxMonths'],
    ['playbackLinkTtlSeconds', { playbackLinkTtlSeconds: 0 }, 'playbackLinkTtlSeconds'],
    ['uploadLinkTtlSeconds', { uploadLinkTtlSeconds: 86_400 }, 'uploadLinkTtlSeconds'],
    ['releaseCopyTtlDays', { releaseCopyTtlDays: 45 }, 'releaseCopyTtlDays'],
    ['releaseRequestTtlDays', { releaseRequestTtlDays: -1 }, 'releaseRequestTtlDays'],
    ['logRetentionDays', { logRetentionDays: 100 }, 'logRetentionDays'],
    ['apiThrottleRatePerSecond', { apiThrottleRatePerSecond: 'fast' }, 'apiThrottleRatePerSecond'],
    ['oidcIssuerUrl', { oidcIssuerUrl: 'http://id.council.example', oidcAudience: 'x' }, 'oidcIssuerUrl'],
    [
      'oidcAudience (missing)',
      { oidcIssuerUrl: 'https://id.council.example', portalClientId: 'p' },
      'oidcAudience',
    ],
    [
      'portalClientId (missing)',
      { oidcIssuerUrl: 'https://id.council.example', oidcAudience: 'x' },
      'portalClientId',
    ],
    ['portalClientId (without issuer)', { portalClientId: 'p' }, 'portalClientId'],
    [
      'portalScope',
      {
        ...{ oidcIssuerUrl: 'https://id.council.example', oidcAudience: 'x', portalClientId: 'p' },
        portalScope: 'openid "x"',
      },
      'portalScope',
    ],
    ['oidcIssuerUrl (missing)', { oidcAudience: 'x' }, 'oidcIssuerUrl'],
    ['cognitoDomainPrefix', { cognitoDomainPrefix: 'My_Prefix' }, 'cognitoDomainPrefix'],
    ['staffIdClaim (Cognito keys on sub)', { staffIdClaim: 'email' }, 'staffIdClaim'],
    ['claimMapping (Cognito)', { claimMapping: { g1: 'role:siro' } }, 'claimMapping'],
    ['claimMapping (bad grant)', { ...ENTRA, claimMapping: { g1: 'area:revenues:owner' } }, 'claimMapping'],
    ['claimMapping (unknown role)', { ...ENTRA, claimMapping: { g1: ['role:mayor'] } }, 'claimMapping'],
    ['claimMapping (not an object)', { ...ENTRA, claimMapping: '["role:siro"]' }, 'claimMapping'],
    ['claimMapping (empty)', { ...ENTRA, claimMapping: {} }, 'claimMapping'],
    ['archiveLockMode', { archiveLockMode: 'LEGAL' }, 'archiveLockMode'],
  ] as const)('refuses a bad %s and names the key', (_name, raw, key) => {
    const attempt = () => parseConfig(raw);

    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(new RegExp(`Invalid context \`${key}\``));
  });

  it('stops building the app before any resource when the context is invalid', () => {
    const app = new App({ context: { ...cdkJsonContext(), releaseCopyTtlDays: 90 } });

    expect(() => defineApp(app)).toThrow(/Invalid context `releaseCopyTtlDays`.*from 1 to 30.*got 90/);
    expect(app.node.children).toHaveLength(0);
  });

  it('makes `cdk synth` exit non-zero with one line naming the key', async () => {
    // Arrange: the real CLI and app entry, offline, with no AWS credentials in the environment.
    const cdk = path.join(REPO_ROOT, 'node_modules', 'aws-cdk', 'bin', 'cdk');
    const env = {
      ...process.env,
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
      AWS_PROFILE: '',
      NODE_OPTIONS: '',
    };

    // Act
    const result = await promisify(execFile)(
      process.execPath,
      [
        cdk,
        'synth',
        '--quiet',
        '-o',
        // Its own directory: every work tree on a shared machine runs this test, and the CDK CLI refuses
        // to synth into a directory another CLI is synthing to.
        mkdtempSync(path.join(tmpdir(), 'crs-cdk-config-test-')),
        '-c',
        'retentionMinMonths=abc',
      ],
      { cwd: REPO_ROOT, env, timeout: 240_000 },
    ).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );

    // Assert
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('Invalid context `retentionMinMonths`');
  }, 300_000);
});

describe('maxDaysIn: months as S3 counts them (days from upload)', () => {
  it('is the longest span of N calendar months, leap days included', () => {
    expect([1, 2, 12, 24].map(maxDaysIn)).toEqual([31, 62, 366, 731]);
  });

  it('never ends before N calendar months after any start day', () => {
    for (const months of [1, 6, 12, 24, 36]) {
      const days = maxDaysIn(months);
      for (let day = 0; day < 4 * 366; day += 1) {
        const start = new Date(Date.UTC(2024, 0, 1 + day));
        const lockEnd = new Date(start.getTime() + days * 86_400_000);
        const calendarEnd = new Date(start);
        calendarEnd.setUTCMonth(calendarEnd.getUTCMonth() + months);
        expect(lockEnd.getTime()).toBeGreaterThanOrEqual(calendarEnd.getTime());
      }
    }
  });
});
