/**
 * `crs play <recording-id> --purpose <purpose> [--ig-advice REF] [--note TEXT] [--download --out FILE]`:
 * asks for a playback link (POST /recordings/{id}/playback) and prints it; with --download (nominated
 * staff) asks for a download link and saves the audio to --out (via --out.partial, renamed when whole).
 */
import { parseArgs } from 'node:util';
import { call } from '../api-client.js';
import type { CliCommand } from '../command.js';
import { saveUrl } from '../save-url.js';

const USAGE =
  'usage: crs play <recording-id> --purpose <quality-monitoring|training|dispute-verification|staff-protection|agreement-verification|other> [--ig-advice REF] [--note TEXT] [--download --out FILE]';

interface Link {
  url: string;
  expiresAt: string;
  contentType: string;
  auditSeq: number;
}

export const command: CliCommand = {
  summary: 'get a playback link for a recording (or download it, nominated staff)',
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        purpose: { type: 'string' },
        'ig-advice': { type: 'string' },
        note: { type: 'string' },
        download: { type: 'boolean' },
        out: { type: 'string' },
        help: { type: 'boolean' },
      },
    });
    const [id] = positionals;
    if (values.help || !id || !values.purpose || (values.download && !values.out)) {
      console.error(USAGE);
      return values.help ? 0 : 2;
    }
    const body = { purpose: values.purpose, igAdviceRef: values['ig-advice'], note: values.note };
    const action = values.download ? 'download' : 'playback';
    const reply = await call<Link>('POST', `/recordings/${encodeURIComponent(id)}/${action}`, body);
    if (!values.download) {
      console.log(reply.json.url);
      console.error(
        `(${reply.json.contentType}; link expires ${reply.json.expiresAt}; audit entry ${reply.json.auditSeq})`,
      );
      return 0;
    }
    const saved = await saveUrl(reply.json.url, values.out as string);
    if ('status' in saved) {
      console.error(`crs play: the archive refused the download link: HTTP ${saved.status}`);
      return 1;
    }
    console.log(`saved ${values.out} (${reply.json.contentType}; audit entry ${reply.json.auditSeq})`);
    return 0;
  },
};
