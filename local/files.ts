/** JSON state files under the data directory: atomic writes, and reads that fail with a reset hint. */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { RESET_HINT, StartupError } from './errors.js';

export const writeJsonAtomic = async (path: string, value: unknown): Promise<void> => {
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  await rename(temp, path);
};

export const writeJsonAtomicSync = (path: string, value: unknown): void => {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  renameSync(temp, path);
};

/** Reads a state file; `undefined` when absent; a StartupError naming the file when unreadable. */
export const readJsonState = <T>(path: string, isValid: (value: unknown) => value is T): T | undefined => {
  if (!existsSync(path)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new StartupError(`${path} is unreadable (${reason}): ${RESET_HINT}`);
  }
  if (!isValid(value)) throw new StartupError(`${path} is not in the expected shape: ${RESET_HINT}`);
  return value;
};

/** Serialises writes of one file: the last value wins, no two writes overlap. */
export const serialWriter = (path: string) => {
  let chain: Promise<void> = Promise.resolve();
  return (value: unknown): Promise<void> => {
    chain = chain.then(() => writeJsonAtomic(path, value)).catch(() => undefined);
    return chain;
  };
};
