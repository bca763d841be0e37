#!/usr/bin/env node
/**
 * `crs` — the command-line client for the telephony platform, staff and IG.
 * Each command lives in cli/commands/<name>.ts and is registered below with one line.
 * Talks only HTTP to the API (local stack or deployed), never to AWS directly.
 */
import type { CliCommand } from './command.js';
import { DateOptionError } from './dates.js';

const COMMANDS: Record<string, () => Promise<{ command: CliCommand }>> = {
  // name: () => import('./commands/name.js'),
  'verify-log': () => import('./commands/verify-log.js'),
  delete: () => import('./commands/delete.js'),
  'verify-package': () => import('./commands/verify-package.js'),
  advice: () => import('./commands/advice.js'),
  'verify-audit': () => import('./commands/verify-audit.js'),
  'audit-log': () => import('./commands/audit-log.js'),
  'local-job': () => import('./commands/local-job.js'),
  login: () => import('./commands/login.js'),
  search: () => import('./commands/search.js'),
  play: () => import('./commands/play.js'),
  upload: () => import('./commands/upload.js'),
  import: () => import('./commands/import.js'),
  report: () => import('./commands/report.js'),
  'release-log': () => import('./commands/release-log.js'),
  audit: () => import('./commands/audit.js'),
  hold: () => import('./commands/hold.js'),
  release: () => import('./commands/release.js'),
  sar: () => import('./commands/sar.js'),
};

const usage = async (): Promise<string> => {
  const names = Object.keys(COMMANDS).sort();
  const lines = await Promise.all(
    names.map(async (name) => {
      const { command } = await (COMMANDS[name] as () => Promise<{ command: CliCommand }>)();
      return `  ${name.padEnd(12)}${command.summary}`;
    }),
  );
  return [
    'usage: crs <command> [options]   (crs <command> --help for its options)',
    '',
    'commands:',
    ...lines,
    '',
    'environment:',
    '  CRS_API_URL     the API (default: the local stack this checkout runs, from .local/stack.json,',
    '                  else http://127.0.0.1:4000); each command says on stderr which API it uses',
    '  CRS_TOKEN       a bearer token from your identity provider (else the one `crs login` saved)',
    '  CRS_TOKEN_FILE  where `crs login` saves the token and commands read it (default ~/.crs/token)',
  ].join('\n');
};

const main = async (argv: string[]): Promise<number> => {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(await usage());
    return name ? 0 : 2;
  }
  const load = COMMANDS[name];
  if (!load) {
    console.error(`crs: unknown command '${name}'\n\n${await usage()}`);
    return 2;
  }
  const { command } = await load();
  return command.run(rest);
};

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`crs: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = error instanceof DateOptionError ? 2 : 1;
  },
);
