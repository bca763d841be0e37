/**
 * Starts the whole local stack for the integration tests: `local/start.ts` in a child process, on free
 * ports, with a throwaway data directory (never `.local/`), scheduled jobs off (tests run them with
 * `runJob`), and the demo seed on. Waits for `GET /health` and the stack file, then exposes:
 *   CRS_STACK_FILE  the stack file (endpoints, resource names, handler env) — read by support.ts
 *   CRS_API_URL     the gateway's base URL (also what the CLI reads)
 * With CRS_STACK_FILE already set (e.g. to `.local/stack.json` of a running `npm start`), nothing is
 * started and that stack is used.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface OwnedStack {
  readonly child: ChildProcess;
  readonly dataDir: string;
  readonly logFile: string;
}

declare global {
  // Shared between global-setup and global-teardown (same process).
  var __CRS_LOCAL_STACK__: OwnedStack | undefined;
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const START_TIMEOUT_MS = 150_000;

/** Distinct free loopback ports (held open together so none is handed out twice). */
const freePorts = async (count: number): Promise<number[]> => {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<import('node:net').Server>((ok, fail) => {
          const server = createServer();
          server.once('error', fail);
          server.listen(0, '127.0.0.1', () => ok(server));
        }),
    ),
  );
  const ports = servers.map((s) => {
    const address = s.address();
    return typeof address === 'object' && address ? address.port : 0;
  });
  await Promise.all(servers.map((s) => new Promise((ok) => s.close(ok))));
  return ports;
};

const tail = (file: string, lines = 30): string => {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
};

const healthy = async (baseUrl: string): Promise<boolean> => {
  try {
    const response = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(3000) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
};

export default async function globalSetup(): Promise<void> {
  // The SDK warns (once per process) that Node 20 support ends in 2027: known, and noise in test output.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  if (process.env.CRS_STACK_FILE) {
    const info = JSON.parse(readFileSync(process.env.CRS_STACK_FILE, 'utf8')) as { baseUrl: string };
    process.env.CRS_API_URL = info.baseUrl;
    return;
  }

  const dataDir = mkdtempSync(join(tmpdir(), 'crs-integration-'));
  const logFile = join(dataDir, 'stack.log');
  const [gateway, dynamodb, s3, kms, sqs, issuer] = await freePorts(6);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(gateway),
    DYNAMODB_PORT: String(dynamodb),
    S3_PORT: String(s3),
    KMS_PORT: String(kms),
    SQS_PORT: String(sqs),
    ISSUER_PORT: String(issuer),
    LOCAL_DATA_DIR: dataDir,
    SWEEP_INTERVAL_SECONDS: '0',
    LOCAL_SEED: 'true',
  };
  // jest's --experimental-vm-modules is not for the stack.
  delete env.NODE_OPTIONS;

  const log = openSync(logFile, 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  globalThis.__CRS_LOCAL_STACK__ = { child, dataDir, logFile };

  const stackFile = join(dataDir, 'stack.json');
  const baseUrl = `http://127.0.0.1:${gateway}`;
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `the local stack exited during start-up (${child.exitCode ?? child.signalCode}):\n${tail(logFile)}`,
      );
    }
    if (existsSync(stackFile) && (await healthy(baseUrl))) break;
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(
        `the local stack was not healthy within ${START_TIMEOUT_MS / 1000} s:\n${tail(logFile)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  process.env.CRS_STACK_FILE = stackFile;
  process.env.CRS_API_URL = baseUrl;
  console.log(`\nlocal stack for integration tests: ${baseUrl} (log: ${logFile})`);
}
