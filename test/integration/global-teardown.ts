/**
 * Stops the stack global-setup started (SIGTERM, so DynamoDB Local's JVM is stopped too) and removes
 * its data directory; CRS_KEEP_STACK_DATA=1 keeps it (and the log) for a post-mortem.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';

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

// Not local/dynamodb.ts's waitExit: jest loads this file without the project's module mapping, so it
// cannot import the TypeScript sources (the import fails and the stack is left running).
const exited = (child: import('node:child_process').ChildProcess, ms: number): Promise<boolean> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(true);
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });

export default async function globalTeardown(): Promise<void> {
  const owned = globalThis.__CRS_LOCAL_STACK__;
  if (!owned) return;
  globalThis.__CRS_LOCAL_STACK__ = undefined;
  const below = owned.child.pid ? descendants(owned.child.pid) : [];
  owned.child.kill('SIGTERM');
  if (!(await exited(owned.child, 15_000))) {
    // Stuck: kill it and whatever it started, so no JVM outlives the test run.
    owned.child.kill('SIGKILL');
    for (const pid of below) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {}
    }
    await exited(owned.child, 5000);
  }
  if (process.env.CRS_KEEP_STACK_DATA === '1') {
    console.log(`local stack data kept in ${owned.dataDir}`);
  } else {
    rmSync(owned.dataDir, { recursive: true, force: true });
  }
}
