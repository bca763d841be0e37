/**
 * A local stack of a test's own (not the shared one global-setup starts), for tests that change
 * stack-wide state — e.g. move the stack clock forward two years, which the other files must never see.
 * Same start as global-setup: `local/start.ts` in a child process, free ports, a throwaway data dir,
 * scheduled jobs off, the demo seed on.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface OwnStack {
  readonly child: ChildProcess;
  readonly dataDir: string;
  readonly stackFile: string;
  readonly baseUrl: string;
  stop(): Promise<void>;
}

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

const healthy = async (baseUrl: string): Promise<boolean> => {
  try {
    const response = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(3000) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
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

export const startOwnStack = async (timeoutMs = 150_000): Promise<OwnStack> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'crs-own-stack-'));
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
  delete env.NODE_OPTIONS;
  delete env.CRS_STACK_FILE;
  const log = openSync(logFile, 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const stop = async () => {
    child.kill('SIGTERM');
    if (!(await exited(child, 15_000))) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  };
  const stackFile = join(dataDir, 'stack.json');
  const baseUrl = `http://127.0.0.1:${gateway}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const tail = readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
      rmSync(dataDir, { recursive: true, force: true });
      throw new Error(`the stack exited during start-up:\n${tail}`);
    }
    // The seed must be done too: the test uploads to its service area.
    const seeded = existsSync(join(dataDir, 'seed.json'));
    if (existsSync(stackFile) && seeded && (await healthy(baseUrl))) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the stack was not healthy within ${timeoutMs / 1000} s`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { child, dataDir, stackFile, baseUrl, stop };
};
