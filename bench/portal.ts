/**
 * The staff portal, two figures (issue 12):
 *
 *   size   the first-load JavaScript + CSS (every script and stylesheet index.html loads), gzipped at
 *          level 9 as CloudFront would compress them: deterministic for a given build. Target ≤ 150 KiB.
 *   play   click on "Play recording" to the audio element's `playing` event, in Debian's Chromium
 *          (playwright-core, --no-sandbox) against a local stack this bench starts, as a ratio to the
 *          playback API call alone measured in the same round. Target: median ≤ 1.3.
 *
 * Each round makes three measures, in an order that turns from round to round so drift on this shared
 * machine hits them alike, each on its own recording (RECORDINGS of them, in turn; every link is fresh):
 *   journey    open a recording page afresh, Play, pick the first purpose, click Play recording (in the
 *              page); the phases click → fetch() called → request sent → response start → API answered
 *              → src set → play() called → loadstart → loadedmetadata → canplay → playing, all from the
 *              page's own timeline (the click event's timeStamp, the POST's Resource Timing, marks from
 *              the media element's src setter and play(), the media events).
 *   API alone  the portal's own request (same URL and origin, same headers, cache mode and body, from the
 *              same page with the same token), its body read and parsed: the baseline.
 *   floor      the local media pipeline alone (Chromium + the S3 emulator): a bare <audio preload=auto>
 *              in a blank page of the same origin, given a fresh presigned link and play(), src → playing.
 *              (API alone + floor) / API alone is the best ratio any page can reach here, since no link
 *              may exist before the purpose is given and audited.
 * Run: `npm run bench:portal` (ROUNDS=15, RECORDINGS=60, WARMUP=2; CHROMIUM_PATH=/usr/bin/chromium).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { chromium, type Page } from 'playwright-core';
import { PURPOSES } from '../functions/domain/purposes.js';
import { dynamoDocumentClient } from '../functions/platform/clients/dynamodb.js';
import { s3Client } from '../functions/platform/clients/s3.js';
import type { RunningStack } from '../local/stack.js';
import { buildPortal } from '../web/build.js';
import { archivedRecordingItem, withBenchStack } from './bench-stack.js';
import { wavHeader } from './ingest-audio.js';
import { exitForTarget, formatSpread, median, spread } from './stats.js';

const ROUNDS = Number(process.env.ROUNDS ?? 15);
const RECORDINGS = Number(process.env.RECORDINGS ?? 60);
const WARMUP = Number(process.env.WARMUP ?? 2);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SIZE_TARGET_KIB = 150;
const PLAY_TARGET = 1.3;
const PERSONA = 'revenues-listener';
/** Three seconds of 8 kHz 16-bit mono silence: a WAV Chromium decodes and plays. */
const AUDIO_SECONDS = 3;

// ------------------------------------------------------------------ size

interface SizeRow {
  readonly file: string;
  readonly raw: number;
  readonly gzip: number;
}

/** Every script and stylesheet index.html loads on first visit, with its raw and gzip -9 size. */
const firstLoad = (dir: string): SizeRow[] => {
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const refs = [
    ...html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g),
    ...html.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g),
  ].map((m) => m[1] as string);
  if (refs.length === 0) throw new Error('index.html loads no script or stylesheet');
  return refs.map((ref) => {
    const body = readFileSync(join(dir, ref.replace(/^\//, '')));
    return { file: ref, raw: body.length, gzip: gzipSync(body, { level: 9 }).length };
  });
};

const measureSize = async (): Promise<number> => {
  const dir = mkdtempSync(join(tmpdir(), 'crs-bench-portal-build-'));
  try {
    await buildPortal(dir);
    const rows = firstLoad(dir);
    const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
    console.log('portal first-load JavaScript + CSS (web/build.ts output):');
    for (const r of rows)
      console.log(
        `  ${r.file.padEnd(18)} ${kib(r.raw).padStart(10)} raw  ${kib(r.gzip).padStart(9)} gzip -9`,
      );
    const total = rows.reduce((sum, r) => sum + r.gzip, 0);
    console.log(
      `  total gzipped: ${total} bytes = ${kib(total)} (target ≤ ${SIZE_TARGET_KIB} KiB) ${total <= SIZE_TARGET_KIB * 1024 ? 'MET' : 'NOT MET'}`,
    );
    return total;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

// ------------------------------------------------------------------ click on Play → playing

/**
 * The phases of one play, in the order they happen, each read from the page's own timeline
 * (performance.now(), Resource Timing, media events): see `instrument` and `phasesAfter`.
 */
const JOURNEY_PHASES = [
  'fetch() called', // the playback POST's Resource Timing fetchStart
  'request sent', // … its requestStart
  'response start', // … its responseStart (first byte of the answer)
  'API answered', // … its responseEnd
  'src set', // the audio element's src setter returned (a mark from the setter)
  'play() called',
  'loadstart',
  'loadedmetadata',
  'canplay',
  'playing',
] as const;
/** The bare <audio> in a blank page: the same phases from the src onwards. */
const FLOOR_PHASES = ['play() called', 'loadstart', 'loadedmetadata', 'canplay', 'playing'] as const;

interface ResourceEntry {
  readonly name: string;
  readonly initiatorType: string;
  readonly fetchStart: number;
  readonly requestStart: number;
  readonly responseStart: number;
  readonly responseEnd: number;
  readonly duration: number;
}

/** What the bench reads in the page (the project's TypeScript has no DOM library). */
interface PageGlobals {
  __bench: { marks: Record<string, number> };
  performance: { now(): number; getEntriesByType(t: 'resource'): ResourceEntry[] };
  sessionStorage: { length: number; key(i: number): string | null; getItem(k: string): string | null };
  fetch: typeof fetch;
  HTMLMediaElement: { prototype: object & { play(): Promise<void> } };
  document: {
    head: { append(n: unknown): void };
    body: { append(n: unknown): void };
    createElement(tag: string): Record<string, unknown> & {
      addEventListener(type: string, listener: () => void): void;
      error?: { code: number; message: string } | null;
      play(): Promise<void>;
    };
    querySelector(selector: string): unknown;
    addEventListener(
      type: string,
      listener: (e: { target: unknown; timeStamp: number }) => void,
      capture: boolean,
    ): void;
  };
}

/**
 * Runs before the portal's own code on every page load and writes the page's timeline to `__bench.marks`
 * (first occurrence of each): the click on the form's submit button (the event's own timeStamp, so any
 * wait before the page handles it counts), the audio element's src being set and play() being called
 * (the media element's own setter and method, wrapped: a MutationObserver cannot see a property set),
 * and the media events on the way to `playing` (they do not bubble, so capture on document).
 */
const instrument = () => {
  const g = globalThis as unknown as PageGlobals;
  const marks: Record<string, number> = {};
  g.__bench = { marks };
  // Inline: an init script is sent to the page as source, without this module's scope.
  g.document.addEventListener(
    'click',
    (e) => {
      const target = e.target as { closest?: (s: string) => unknown };
      if (target.closest?.('form button[type="submit"]')) marks.click ??= e.timeStamp;
    },
    true,
  );
  for (const type of ['loadstart', 'loadedmetadata', 'canplay', 'playing']) {
    g.document.addEventListener(
      type,
      () => {
        marks[type] ??= g.performance.now();
      },
      true,
    );
  }
  const proto = g.HTMLMediaElement.prototype;
  const src = Object.getOwnPropertyDescriptor(proto, 'src') as PropertyDescriptor;
  Object.defineProperty(proto, 'src', {
    ...src,
    set(value: string) {
      src.set?.call(this, value);
      marks['src set'] ??= g.performance.now();
    },
  });
  const play = proto.play;
  proto.play = function (this: unknown) {
    marks['play() called'] ??= g.performance.now();
    return play.call(this);
  };
};

/** The signed-in person's access token, as the portal reads it (oidc-client-ts keeps the user in sessionStorage). */
const accessToken = (page: Page) =>
  page.evaluate(() => {
    const g = globalThis as unknown as PageGlobals;
    for (let i = 0; i < g.sessionStorage.length; i++) {
      const key = g.sessionStorage.key(i) ?? '';
      if (key.startsWith('oidc.user:'))
        return JSON.parse(g.sessionStorage.getItem(key) ?? '{}').access_token as string;
    }
    throw new Error('no signed-in user in sessionStorage');
  });

/** The request the portal sends on Play (web/src/api.ts: method, headers in its order, body, cache mode). */
const playbackInit = (token: string, purpose: string) => ({
  method: 'POST',
  headers: {
    accept: 'application/json',
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
  },
  body: JSON.stringify({ purpose }),
  cache: 'no-store' as const,
});

/** One journey: open the recording, Play, pick the first purpose, click Play recording; phases after the click. */
const journey = async (page: Page, baseUrl: string, recordingId: string) => {
  await page.goto('about:blank');
  await page.goto(`${baseUrl}/#/recordings/${encodeURIComponent(recordingId)}`);
  await page.getByRole('heading', { name: /Call on/ }).waitFor();
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.locator('input[name="purpose"]').first().check();
  await page.getByRole('button', { name: 'Play recording' }).waitFor();
  // The click on Play recording is made in the page, and waited for there (one evaluate, as the baseline
  // and the floor are): the local stack runs in this process, beside Playwright's driver, and a Playwright
  // click's own bookkeeping (actionability, post-click waits) would compete with the very API call it times.
  await page.evaluate(
    (ms) =>
      new Promise<void>((resolve, reject) => {
        const g = globalThis as unknown as PageGlobals;
        g.document.addEventListener('playing', () => resolve(), true);
        setTimeout(() => reject(new Error('no playing within the time allowed')), ms);
        (g.document.querySelector('form button[type="submit"]') as { click(): void }).click();
      }),
    60_000,
  );
  return page.evaluate(() => {
    const g = globalThis as unknown as PageGlobals;
    const m = g.__bench.marks;
    const click = m.click as number;
    const post = g.performance
      .getEntriesByType('resource')
      .filter((e) => e.name.endsWith('/playback'))
      .at(-1);
    if (!post) throw new Error('no playback POST in Resource Timing');
    const at: Record<string, number> = {
      'fetch() called': post.fetchStart,
      'request sent': post.requestStart,
      'response start': post.responseStart,
      'API answered': post.responseEnd,
      ...m,
    };
    const phases: Record<string, number> = {};
    for (const [k, v] of Object.entries(at)) if (k !== 'click') phases[k] = v - click;
    return { phases, embeddedCall: post.responseEnd - post.fetchStart };
  });
};

/**
 * The playback API call alone, from the page now open (the portal's origin): the portal's own request
 * (`playbackInit`) to the same URL, then its body read and parsed as the portal does (text, JSON.parse).
 */
const apiAlone = async (page: Page, apiUrl: string, recordingId: string, purpose: string) =>
  page.evaluate(
    async ({ url, init }) => {
      const g = globalThis as unknown as PageGlobals;
      const t = g.performance.now();
      const res = await g.fetch(url, init);
      const body = JSON.parse(await res.text()) as { url?: string };
      const ms = g.performance.now() - t;
      if (res.status !== 200 || !body.url) throw new Error(`playback API: HTTP ${res.status}`);
      return { ms, url: body.url };
    },
    {
      url: `${apiUrl.replace(/\/$/, '')}/recordings/${encodeURIComponent(recordingId)}/playback`,
      init: playbackInit(await accessToken(page), purpose),
    },
  );

/**
 * The floor's blank page: the portal's `config.json`, a document with no script of its own, served by the
 * same local gateway with the portal's own headers (its CSP's media-src included). A page fulfilled by the
 * bench itself would not do: Chromium counts it as public address space and refuses it the loopback S3
 * emulator (Local Network Access).
 */
const FLOOR_PATH = '/config.json';

/**
 * The local media pipeline alone (Chromium + the S3 emulator): a blank page on the portal's origin, a
 * preconnect to the media origin as the portal makes on opening Play, a fresh presigned link from the API
 * (the same call as above, timed), then a bare <audio preload=auto> given the link and play(): ms from src to each event.
 */
const floor = async (
  page: Page,
  baseUrl: string,
  apiUrl: string,
  mediaOrigin: string,
  recordingId: string,
  purpose: string,
) => {
  await page.goto('about:blank');
  await page.goto(`${baseUrl}${FLOOR_PATH}`);
  await page.evaluate((origin) => {
    const g = globalThis as unknown as PageGlobals;
    const hint = g.document.createElement('link');
    hint.rel = 'preconnect';
    hint.href = origin;
    g.document.head.append(hint);
  }, mediaOrigin);
  const { url } = await apiAlone(page, apiUrl, recordingId, purpose);
  const phases = await page.evaluate(async (src) => {
    const g = globalThis as unknown as PageGlobals;
    const audio = g.document.createElement('audio');
    audio.preload = 'auto';
    g.document.body.append(audio);
    const playing = new Promise<void>((resolve, reject) => {
      audio.addEventListener('playing', () => resolve());
      audio.addEventListener('error', () =>
        reject(new Error(`floor audio: media error ${audio.error?.code} ${audio.error?.message} ${src}`)),
      );
    });
    audio.src = src;
    audio.play().catch(() => undefined);
    await playing;
    const m = g.__bench.marks;
    const out: Record<string, number> = {};
    for (const [k, v] of Object.entries(m)) if (k !== 'src set') out[k] = v - (m['src set'] as number);
    return out;
  }, url);
  return phases;
};

const launchChromium = () =>
  chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      // No sound card here: let the element start without one being granted (the click is a gesture anyway).
      '--autoplay-policy=no-user-gesture-required',
    ],
  });

/** RECORDINGS archived recordings of AUDIO_SECONDS of silence (WAV), each with its own object. */
const putRecordings = async (stack: RunningStack): Promise<string[]> => {
  const tables = stack.info.tables as Record<string, string>;
  const buckets = stack.info.buckets as Record<string, string>;
  const samples = AUDIO_SECONDS * 8000;
  const audio = Buffer.concat([wavHeader(samples * 2), Buffer.alloc(samples * 2)]);
  const recordingIds = Array.from({ length: RECORDINGS }, (_, i) => `bench-portal-${i}`);
  for (const [i, recordingId] of recordingIds.entries()) {
    const key = `revenues/2024/03/01/bench-portal-${i}.wav`;
    const put = await s3Client().send(
      new PutObjectCommand({ Bucket: buckets.archive, Key: key, Body: audio, ContentType: 'audio/wav' }),
    );
    await dynamoDocumentClient().send(
      new PutCommand({
        TableName: tables.catalogue,
        Item: archivedRecordingItem({
          recordingId,
          callId: `bench-portal-call-${i}`,
          extension: '4001',
          startedAt: '2024-03-01T09:00:00.000Z',
          sizeBytes: audio.length,
          archiveKey: key,
          archiveVersionId: put.VersionId,
        }),
      }),
    );
  }
  return recordingIds;
};

interface Round {
  readonly journey: Record<string, number>;
  readonly embeddedCall: number;
  readonly apiAlone: number;
  readonly floor: Record<string, number>;
}

const report = (rounds: readonly Round[], version: string) => {
  const ms = (xs: readonly number[]) => formatSpread(spread(xs), 1);
  const col = (f: (r: Round) => number) => rounds.map(f);
  const at = (r: Round, phase: string) => r.journey[phase] ?? Number.NaN;
  console.log(
    `\nclick on Play → audio playing, Chromium ${version}, ${rounds.length} rounds over ${RECORDINGS} recordings (after ${WARMUP} warm-up), load ${loadAverage()}:`,
  );
  console.log('  the journey, ms after the click (and the step from the phase before it, median):');
  let before: string | undefined;
  for (const phase of JOURNEY_PHASES) {
    const step =
      before === undefined
        ? ''
        : `   step ${median(col((r) => at(r, phase) - at(r, before as string))).toFixed(1)}`;
    console.log(`    ${phase.padEnd(16)} ${ms(col((r) => at(r, phase)))}${step}`);
    before = phase;
  }
  console.log(
    `  the page's own API call (ms)    ${ms(col((r) => r.embeddedCall))}   (its fetchStart → responseEnd)`,
  );
  console.log(
    `  playback API alone (ms)         ${ms(col((r) => r.apiAlone))}   (the portal's request, from the same page)`,
  );
  console.log('  floor: a bare <audio> in a blank page on the same origin, ms after its src is set:');
  for (const phase of FLOOR_PHASES)
    console.log(`    ${phase.padEnd(16)} ${ms(col((r) => r.floor[phase] ?? Number.NaN))}`);
  const floorPlaying = (r: Round) => r.floor.playing ?? Number.NaN;
  console.log(
    `  the portal's overhead (ms), round by round: click → fetch() ${ms(col((r) => at(r, 'fetch() called')))}; API answered → src set ${ms(col((r) => at(r, 'src set') - at(r, 'API answered')))}; src → playing above the floor ${ms(col((r) => at(r, 'playing') - at(r, 'src set') - floorPlaying(r)))}`,
  );
  const bound = spread(col((r) => (r.apiAlone + floorPlaying(r)) / r.apiAlone));
  console.log(
    `  floor ratio (API alone + floor src → playing) / API alone: ${formatSpread(bound)}: the best any page can do here`,
  );
  const s = spread(col((r) => at(r, 'playing') / r.apiAlone));
  console.log(
    `click → playing / API alone, round by round: ${formatSpread(s)} (target median ≤ ${PLAY_TARGET}) ${s.median <= PLAY_TARGET ? 'MET' : 'NOT MET'}`,
  );
  return s.median;
};

const loadAverage = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

const measurePlay = () =>
  withBenchStack('portal', 5150, async (stack) => {
    if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium`);
    const recordingIds = await putRecordings(stack);
    const browser = await launchChromium();
    try {
      const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
      await context.addInitScript(instrument);
      const base = stack.info.baseUrl;
      const page = await context.newPage();
      page.setDefaultTimeout(60_000);
      await page.goto(`${base}/#/`);
      const config = (await page.evaluate(async () => (await fetch('/config.json')).json())) as {
        apiUrl: string;
        mediaOrigin: string;
      };
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator(`button[data-persona="${PERSONA}"]`).click();
      await page.getByTestId('signed-in-as').waitFor();

      let next = 0;
      const nextRecording = () => recordingIds[next++ % RECORDINGS] as string;
      // The journey picks the first purpose offered: the baseline asks for the same one.
      const purpose = PURPOSES[0];
      const round = async (i: number): Promise<Round> => {
        let j: Awaited<ReturnType<typeof journey>> | undefined;
        let a: number | undefined;
        let f: Awaited<ReturnType<typeof floor>> | undefined;
        const steps = [
          async () => {
            j = await journey(page, base, nextRecording());
          },
          async () => {
            a = (await apiAlone(page, config.apiUrl, nextRecording(), purpose)).ms;
          },
          async () => {
            f = await floor(page, base, config.apiUrl, config.mediaOrigin, nextRecording(), purpose);
          },
        ];
        // Each round turns the order, so drift on this shared machine hits the three alike.
        for (let k = 0; k < steps.length; k++) await (steps[(i + k) % steps.length] as () => Promise<void>)();
        if (!j || a === undefined || !f) throw new Error('a round missed a measure');
        return {
          journey: j.phases,
          embeddedCall: j.embeddedCall,
          apiAlone: a,
          floor: f,
        };
      };
      for (let i = 0; i < WARMUP; i++) await round(i);
      const rounds: Round[] = [];
      for (let i = 0; i < ROUNDS; i++) rounds.push(await round(i));
      return report(rounds, browser.version());
    } finally {
      await browser.close();
    }
  });

const main = async () => {
  const gzipped = await measureSize();
  const ratio = await measurePlay();
  exitForTarget(gzipped <= SIZE_TARGET_KIB * 1024 && ratio <= PLAY_TARGET);
};

await main();
