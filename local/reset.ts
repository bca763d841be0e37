/** `npm run reset`: wipes the local stack's data directory (LOCAL_DATA_DIR, default `.local/`). */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { configFromEnv, dataPaths, displayPath } from './config.js';

const config = configFromEnv();
const { stackFile } = dataPaths(config);

const runningPid = (): number | undefined => {
  if (!existsSync(stackFile)) return undefined;
  try {
    const pid = Number((JSON.parse(readFileSync(stackFile, 'utf8')) as { pid?: unknown }).pid);
    if (!Number.isInteger(pid)) return undefined;
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
};

const pid = runningPid();
const where = `${displayPath(config.dataDir)}/`;
if (pid) {
  console.error(`npm run reset: the local stack is running (pid ${pid}) on ${where}: stop it (Ctrl-C) first`);
  process.exit(1);
}
if (!existsSync(config.dataDir)) {
  console.log(`nothing to reset: ${where} does not exist`);
} else {
  rmSync(config.dataDir, { recursive: true, force: true });
  console.log(`wiped ${where} — the next \`npm start\` creates fresh tables, buckets, keys and seed data`);
}
