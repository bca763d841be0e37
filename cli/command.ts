/** A CLI command: parses its own arguments (node:util parseArgs), returns the process exit code. */
export interface CliCommand {
  readonly summary: string;
  run(args: string[]): Promise<number>;
}
