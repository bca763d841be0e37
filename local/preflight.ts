/**
 * Checks run before anything starts, so the usual problems (no Java, a busy port, an unusable
 * `.local/`) end in one line that says what to do instead of a stack trace from deep inside.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { COMPONENTS, type Component, HOST, portEnvName, type StackConfig } from './config.js';
import { RESET_HINT, StartupError } from './errors.js';

export const MIN_JAVA = 17;

/** `java -version` prints e.g. `openjdk version "17.0.15"` or `java version "1.8.0_292"` on stderr. */
export const javaMajorVersion = (versionOutput: string): number | undefined => {
  const match = /version "(\d+)(?:\.(\d+))?[^"]*"/.exec(versionOutput);
  if (!match) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] ? Number(match[2]) : first;
};

export const checkJava = (): void => {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8', timeout: 15_000 });
  const install = `install a Java ${MIN_JAVA}+ runtime (e.g. \`sudo apt-get install openjdk-17-jre-headless\`) and put its \`java\` first on PATH`;
  if (result.error) {
    throw new StartupError(`DynamoDB Local needs Java ${MIN_JAVA}+ but \`java\` was not found: ${install}`);
  }
  const major = javaMajorVersion(`${result.stderr}${result.stdout}`);
  if (major === undefined) {
    throw new StartupError(`could not read the Java version from \`java -version\`: ${install}`);
  }
  if (major < MIN_JAVA) {
    throw new StartupError(
      `DynamoDB Local needs Java ${MIN_JAVA}+ but \`java\` is Java ${major}: ${install}`,
    );
  }
};

const portIsFree = (port: number, host: string): Promise<boolean> =>
  new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });

export const busyPortMessage = (component: Component, port: number): string =>
  `port ${port} (${component}) is already in use — is another \`npm start\` running? Stop it, or pick ` +
  `free ports with PORT=<n> (the emulators use PORT+1..PORT+5; ${portEnvName(component)} sets this one)`;

export const checkPorts = async (config: StackConfig): Promise<void> => {
  for (const component of COMPONENTS) {
    const port = config.ports[component];
    // DynamoDB Local listens on every interface, the rest on loopback only.
    const host = component === 'dynamodb' ? '0.0.0.0' : HOST;
    if (!(await portIsFree(port, host))) throw new StartupError(busyPortMessage(component, port));
  }
};

/** The data directory must be a writable directory; its sub-directories are created here. */
export const checkDataDir = (config: StackConfig, subdirs: readonly string[]): void => {
  const where = config.dataDir;
  try {
    const stat = statSync(where, { throwIfNoEntry: false });
    if (stat && !stat.isDirectory()) {
      throw new StartupError(`${where} is not a directory: ${RESET_HINT}`);
    }
    mkdirSync(where, { recursive: true });
    accessSync(where, constants.W_OK | constants.R_OK);
    for (const dir of subdirs) {
      const sub = statSync(dir, { throwIfNoEntry: false });
      if (sub && !sub.isDirectory()) throw new StartupError(`${dir} is not a directory: ${RESET_HINT}`);
      mkdirSync(dir, { recursive: true });
      accessSync(dir, constants.W_OK | constants.R_OK);
    }
  } catch (error) {
    if (error instanceof StartupError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new StartupError(`the local data directory is not usable (${reason}): ${RESET_HINT}`);
  }
};
