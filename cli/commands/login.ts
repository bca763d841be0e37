/**
 * `crs login --as <persona>`: gets a token for a demo persona from the local stack's issuer
 * (POST /_local/token) and saves it for the other commands. Against a deployed API, sign in with the
 * council's identity provider and set CRS_TOKEN instead.
 */
import { parseArgs } from 'node:util';
import { apiUrl, call, saveToken, tokenFile } from '../api-client.js';
import type { CliCommand } from '../command.js';

const USAGE = 'usage: crs login --as <persona>   (local stack personas: GET /_local/personas)';

export const command: CliCommand = {
  summary: 'sign in as a local demo persona and save the token',
  async run(args) {
    const { values } = parseArgs({ args, options: { as: { type: 'string' }, help: { type: 'boolean' } } });
    if (values.help || !values.as) {
      console.error(USAGE);
      return values.help ? 0 : 2;
    }
    const reply = await call<{ token?: string; message?: string }>(
      'POST',
      '/_local/token',
      { persona: values.as },
      [400, 404],
    );
    if (reply.status !== 200 || !reply.json.token) {
      const why =
        reply.status === 404 ? 'no local issuer here (is this the local stack?)' : reply.json.message;
      console.error(`crs login: ${apiUrl()}: ${why}`);
      return 1;
    }
    await saveToken(reply.json.token);
    console.log(`signed in as ${values.as}; token saved to ${tokenFile()}`);
    return 0;
  },
};
