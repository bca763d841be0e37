/**
 * The one way the tests start a local stack: `local/start.ts` in a child process, on free ports, with a
 * throwaway data directory (never `.local/`), scheduled jobs off (tests run them with `runJob`), and the
 * demo seed on. `startStackProcess` waits for `GET /health` and the stack file (and, when asked, the seed).
 *
 * Its default export, jest's global setup for the integration project (and bench:ingest's stack), starts
 * the shared stack and exposes:
 *   CRS_STACK_FILE  the stack file (endpoints, resource names, handler env) — read by support.ts
 *   CRS_API_URL     the gateway's base URL (also what the CLI reads)
 * With CRS_STACK_FILE already set (e.g. to `.local/stack.json` of a running `npm start`), nothing is
 * started and that stack is used. global-teardown.ts stops it. A test that changes stack-wide state (the
 * stack clock) starts one of its own with `startStackProcess` and stops it itself.
 *
 * The shared code lives here, not in a module of its own: jest loads a global setup without the project's
 * module mapping, so this file cannot import the TypeScript sources beside it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface StackProcess {
  readonly child: ChildProcess;
  readonly dataDir: string;
  readonly logFile: string;
  readonly stackFile: string;
  readonly baseUrl: string;
  /**
   * SIGTERM (so DynamoDB Local's JVM is stopped too), SIGKILL of it and whatever it started if stuck;
   * then removes the data directory, unless CRS_KEEP_STACK_DATA=1 keeps it (and the log) for a post-mortem.
   */
  stop(): Promise<void>;
}

declare global {
  // Shared between global-setup and global-teardown (same process).
  var __CRS_LOCAL_STACK__: StackProcess | undefined;
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const START_TIMEOUT_MS = 150_000;

/** Distinct free loopback ports (held open together so none is handed out twice). */
const freePorts = async (count: number): Promise<number[]> => {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<Server>((ok, fail) => {
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

/** Linux: the pids below `pid` (the stack's JVM), read from /proc before anything is killed. */
const descendants = (pid: number): number[] => {
  try {
    const children = readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
      readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(/\s+/).filter(Boolean).map(Number),
    );
    return children.flatMap((child) => [child, ...descendants(child)]);
  } catch {
    return [];
  }
};

const exited = (child: ChildProcess, ms: number): Promise<boolean> =>
  new Promise((ok) => {
    if (child.exitCode !== null || child.signalCode !== null) return ok(true);
    const timer = setTimeout(() => ok(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      ok(true);
    });
  });

const stopper = (child: ChildProcess, dataDir: string) => async (): Promise<void> => {
  const below = child.pid ? descendants(child.pid) : [];
  child.kill('SIGTERM');
  if (!(await exited(child, 15_000))) {
    // Stuck: kill it and whatever it started, so no JVM outlives the test run.
    child.kill('SIGKILL');
    for (const pid of below) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {}
    }
    await exited(child, 5000);
  }
  if (process.env.CRS_KEEP_STACK_DATA === '1') console.log(`local stack data kept in ${dataDir}`);
  else rmSync(dataDir, { recursive: true, force: true });
};

export interface StackProcessOptions {
  /** Prefix of the throwaway data directory under the system's temp directory. */
  readonly name: string;
  /** Also wait until the demo seed is written (a test that uploads to a seeded service area at once). */
  readonly waitForSeed?: boolean;
  readonly timeoutMs?: number;
}

export const startStackProcess = async ({
  name,
  waitForSeed = false,
  timeoutMs = START_TIMEOUT_MS,
}: StackProcessOptions): Promise<StackProcess> => {
  const dataDir = mkdtempSync(join(tmpdir(), `${name}-`));
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
  // jest's --experimental-vm-modules is not for the stack; nor is the shared stack's file.
  delete env.NODE_OPTIONS;
  delete env.CRS_STACK_FILE;

  const log = openSync(logFile, 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const stackFile = join(dataDir, 'stack.json');
  const baseUrl = `http://127.0.0.1:${gateway}`;
  const stack: StackProcess = { child, dataDir, logFile, stackFile, baseUrl, stop: stopper(child, dataDir) };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const log = tail(logFile);
      await stack.stop();
      throw new Error(
        `the local stack exited during start-up (${child.exitCode ?? child.signalCode}):\n${log}`,
      );
    }
    const seeded = !waitForSeed || existsSync(join(dataDir, 'seed.json'));
    if (existsSync(stackFile) && seeded && (await healthy(baseUrl))) return stack;
    if (Date.now() > deadline) {
      const log = tail(logFile);
      await stack.stop();
      throw new Error(`the local stack was not healthy within ${timeoutMs / 1000} s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 250));
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
  const stack = await startStackProcess({ name: 'crs-integration' });
  globalThis.__CRS_LOCAL_STACK__ = stack;
  process.env.CRS_STACK_FILE = stack.stackFile;
  process.env.CRS_API_URL = stack.baseUrl;
  console.log(`\nlocal stack for integration tests: ${stack.baseUrl} (log: ${stack.logFile})`);
}
