/**
 * A CLI command made of actions (`crs hold place …`, `crs release approve …`): `--help` prints the
 * usage, a missing or unknown action prints it to stderr with exit 2, anything else runs its action.
 */
import type { CliCommand } from './command.js';

export type Action = (args: string[]) => Promise<number>;

/** The usage on stderr and exit code 2: a command line the command cannot take. */
export const badUsage = (usage: string): number => {
  console.error(usage);
  return 2;
};

export const subcommands = (
  summary: string,
  usage: string,
  actions: Readonly<Record<string, Action>>,
): CliCommand => ({
  summary,
  async run(args) {
    const [action, ...rest] = args;
    if (action === '--help') {
      console.log(usage);
      return 0;
    }
    const run = action ? actions[action] : undefined;
    return run ? run(rest) : badUsage(usage);
  },
});
