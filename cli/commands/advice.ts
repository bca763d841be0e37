/**
 * `crs advice` — Corporate IG advice as a record (policy s.6), over the /ig-advice API:
 *
 *   crs advice record (--recording ID... | --area A --from T --to T) --purpose P... --use U...
 *                     --advice TEXT [--condition TEXT...] [--agency NAME] --expires T
 *   crs advice show <adviceId>
 *
 * Only IG officers record advice; releases to external agencies and any use for purpose `other` cite
 * the advice id it prints.
 */
import { parseArgs } from 'node:util';
import { call } from '../api-client.js';
import { badUsage, subcommands } from '../subcommands.js';

const USAGE = `usage:
  crs advice record (--recording ID ... | --area A --from ISO --to ISO) --purpose P ... --use use|external-release ...
                    --advice TEXT [--condition TEXT ...] [--agency NAME] --expires ISO
  crs advice show <adviceId>`;

interface Advice {
  adviceId: string;
  purposes: string[];
  uses: string[];
  expiresAt: string;
  agency?: string;
}

const record = async (args: string[]): Promise<number> => {
  const { values } = parseArgs({
    args,
    options: {
      recording: { type: 'string', multiple: true },
      area: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      purpose: { type: 'string', multiple: true },
      use: { type: 'string', multiple: true },
      advice: { type: 'string' },
      condition: { type: 'string', multiple: true },
      agency: { type: 'string' },
      expires: { type: 'string' },
    },
  });
  const byIds = (values.recording?.length ?? 0) > 0;
  const byQuery = Boolean(values.area && values.from && values.to);
  if (byIds === byQuery || !values.purpose || !values.use || !values.advice || !values.expires)
    return badUsage(USAGE);
  const reply = await call<Advice>('POST', '/ig-advice', {
    recordings: byIds
      ? { kind: 'ids', recordingIds: values.recording }
      : { kind: 'query', serviceArea: values.area, from: values.from, to: values.to },
    purposes: values.purpose,
    uses: values.use,
    advice: values.advice,
    conditions: values.condition ?? [],
    ...(values.agency ? { agency: values.agency } : {}),
    expiresAt: values.expires,
  });
  const a = reply.json;
  console.log(
    `advice ${a.adviceId}: ${a.uses.join(', ')} for ${a.purposes.join(', ')}` +
      `${a.agency ? ` (to ${a.agency})` : ''}, in force until ${a.expiresAt}`,
  );
  return 0;
};

const show = async (args: string[]): Promise<number> => {
  const [adviceId] = args;
  if (!adviceId) return badUsage(USAGE);
  const reply = await call<Advice>('GET', `/ig-advice/${encodeURIComponent(adviceId)}`);
  console.log(JSON.stringify(reply.json, null, 2));
  return 0;
};

export const command = subcommands('Corporate IG advice: record it (IG officers), show it', USAGE, {
  record,
  show,
});
