/**
 * Every Lambda function: its name and the module that exports `handler`.
 * The CDK functions construct bundles these entries; the local stack imports the same modules.
 */
export type FunctionId =
  | 'ingestApi'
  | 'ingestWorker'
  | 'playback'
  | 'release'
  | 'legalHold'
  | 'legalHoldWorker'
  | 'registers'
  | 'reports'
  | 'sweepers'
  | 'lifecycleEvents'
  | 'disclosures'
  | 'auditEvents';

/** Run by the deployment (a CDK trigger), not by requests, schedules or events. */
export type DeployFunctionId = 'migrations';

export interface FunctionDeclaration<Id extends string = FunctionId> {
  readonly id: Id;
  /** Path from the repository root. */
  readonly entry: string;
  readonly description: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
}

export const FUNCTIONS: readonly FunctionDeclaration[] = [
  {
    id: 'ingestApi',
    entry: 'functions/ingest/api.ts',
    description: 'Registers calls, presigns uploads',
    timeoutSeconds: 10,
    memoryMb: 256,
  },
  {
    id: 'ingestWorker',
    entry: 'functions/ingest/worker.ts',
    description: 'Verifies and archives uploaded audio',
    timeoutSeconds: 300,
    memoryMb: 512,
  },
  {
    id: 'playback',
    entry: 'functions/playback/handler.ts',
    description: 'Search, playback, download, delete, audit',
    timeoutSeconds: 10,
    memoryMb: 256,
  },
  {
    id: 'release',
    entry: 'functions/release/handler.ts',
    description: 'Release workflow and Release of Recording Log',
    timeoutSeconds: 60,
    memoryMb: 256,
  },
  {
    id: 'legalHold',
    entry: 'functions/legal-hold/handler.ts',
    description: 'Places, lifts and reviews holds',
    timeoutSeconds: 30,
    memoryMb: 256,
  },
  {
    id: 'legalHoldWorker',
    entry: 'functions/legal-hold/worker.ts',
    description: 'Applies holds to recordings (fan-out)',
    timeoutSeconds: 300,
    memoryMb: 256,
  },
  {
    id: 'registers',
    entry: 'functions/registers/handler.ts',
    description: 'Service areas, extensions, staff notices',
    timeoutSeconds: 10,
    memoryMb: 256,
  },
  {
    id: 'reports',
    entry: 'functions/reports/handler.ts',
    description: 'Compliance, retention and deletion reports',
    timeoutSeconds: 30,
    memoryMb: 512,
  },
  {
    id: 'sweepers',
    entry: 'functions/sweepers/handler.ts',
    description: 'Scheduled deletion, expiry, reviews, reminders',
    timeoutSeconds: 900,
    memoryMb: 512,
  },
  {
    id: 'lifecycleEvents',
    entry: 'functions/lifecycle-events/handler.ts',
    description: 'S3 lifecycle deletions to catalogue',
    timeoutSeconds: 30,
    memoryMb: 256,
  },
  {
    id: 'disclosures',
    entry: 'functions/disclosures/handler.ts',
    description: 'IG advice records and disclosures',
    timeoutSeconds: 30,
    memoryMb: 256,
  },
  {
    id: 'auditEvents',
    entry: 'functions/audit-events/handler.ts',
    description: 'Audit and release log entries to the SIEM event bus',
    timeoutSeconds: 60,
    memoryMb: 256,
  },
];

/** Functions the deployment invokes: no route, schedule or event source (infra/stack.ts triggers them). */
export const DEPLOY_FUNCTIONS: readonly FunctionDeclaration<DeployFunctionId>[] = [
  {
    id: 'migrations',
    entry: 'functions/migrations/handler.ts',
    description: 'Index backfills of items from before their index, run on deploy',
    timeoutSeconds: 900,
    memoryMb: 256,
  },
];
