/**
 * The staff portal, two figures (issue 12):
 *
 *   size   the first-load JavaScript + CSS (every script and stylesheet index.html loads), gzipped at
 *          level 9 as CloudFront would compress them: deterministic for a given build. Target ≤ 150 KiB.
 *   play   click on "Play recording" to the audio element's `playing` event, in Debian's Chromium
 *          (playwright-core, --no-sandbox) against a local stack this bench starts, as a ratio to the
 *          playback API call alone (POST /recordings/{id}/playback, issued by the same page with the
 *          same token, and its JSON read) measured in the same round. Target: median ≤ 1.3.
 *
 * Each round opens a recording page afresh, asks to play, picks a purpose, then clicks Play recording:
 * the clock starts on that click (a capture listener in the page) and stops at `playing`, both read with
 * the page's performance.now(). The API-alone call plays another recording in the same round, before
 * or after the journey in turn, so drift on this shared machine hits both alike. Every round plays a
 * different recording (RECORDINGS of them, in turn) from a fresh presigned link: no cache flatters it.
 * The embedded call (the same POST as the page made it, from Resource Timing) is printed as well.
 * Run: `npm run bench:portal` (ROUNDS=15, RECORDINGS=30, WARMUP=2; CHROMIUM_PATH=/usr/bin/chromium).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { chromium, type Page } from 'playwright-core';
import { dynamoDocumentClient } from '../functions/platform/clients/dynamodb.js';
import { s3Client } from '../functions/platform/clients/s3.js';
import { buildPortal } from '../web/build.js';
import { archivedRecordingItem, withBenchStack } from './bench-stack.js';
import { wavHeader } from './ingest-audio.js';
import { exitForTarget, formatSpread, median, spread } from './stats.js';

const ROUNDS = Number(process.env.ROUNDS ?? 15);
const RECORDINGS = Number(process.env.RECORDINGS ?? 30);
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

/** What the bench reads in the page (the project's TypeScript has no DOM library). */
interface PageGlobals {
  __bench: { click?: number; playing?: number; media: Record<string, number> };
  performance: { now(): number; getEntriesByType(t: string): { name: string; duration: number }[] };
  sessionStorage: { length: number; key(i: number): string | null; getItem(k: string): string | null };
  fetch: typeof fetch;
  MutationObserver: new (
    callback: () => void,
  ) => { observe(target: unknown, options: { childList: boolean; subtree: boolean }): void };
  document: {
    querySelector(selector: string): unknown;
    addEventListener(type: string, listener: (e: { target: unknown }) => void, capture: boolean): void;
  };
}

/**
 * Runs before the portal's own code on every page load: stamps the click on the form's submit button
 * and the first `playing` of any media element (media events do not bubble, so capture on document),
 * and the media events on the way there, to show where the time goes.
 */
const instrument = () => {
  const g = globalThis as unknown as PageGlobals;
  g.__bench = { media: {} };
  g.document.addEventListener(
    'click',
    (e) => {
      const target = e.target as { closest?: (s: string) => unknown };
      if (target.closest?.('form button[type="submit"]')) g.__bench.click = g.performance.now();
    },
    true,
  );
  g.document.addEventListener(
    'playing',
    () => {
      g.__bench.playing ??= g.performance.now();
    },
    true,
  );
  // The audio element appearing: the portal has the link and has rendered the player.
  new g.MutationObserver(() => {
    if (g.__bench.media['audio in page'] === undefined && g.document.querySelector('audio[src]')) {
      g.__bench.media['audio in page'] = g.performance.now();
    }
  }).observe(g.document, { childList: true, subtree: true });
  // Inline: an init script is sent to the page as source, without this module's scope.
  for (const type of ['loadstart', 'loadedmetadata', 'canplay']) {
    g.document.addEventListener(
      type,
      () => {
        g.__bench.media[type] ??= g.performance.now();
      },
      true,
    );
  }
};

/** One journey: open the recording, Play, pick a purpose, click Play recording; ms to `playing`. */
const journey = async (page: Page, baseUrl: string, recordingId: string) => {
  await page.goto('about:blank');
  await page.goto(`${baseUrl}/#/recordings/${encodeURIComponent(recordingId)}`);
  await page.getByRole('heading', { name: /Call on/ }).waitFor();
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.locator('input[name="purpose"]').first().check();
  await page.getByRole('button', { name: 'Play recording' }).click();
  await page.waitForFunction(
    () => (globalThis as unknown as PageGlobals).__bench.playing !== undefined,
    null,
    {
      timeout: 60_000,
    },
  );
  return page.evaluate(() => {
    const g = globalThis as unknown as PageGlobals;
    const call = (
      g.performance.getEntriesByType('resource') as { name: string; duration: number; responseEnd: number }[]
    )
      .filter((e) => e.name.endsWith('/playback'))
      .at(-1);
    const click = g.__bench.click as number;
    const steps: Record<string, number> = { 'API response': (call?.responseEnd ?? Number.NaN) - click };
    for (const [k, v] of Object.entries(g.__bench.media)) steps[k] = v - click;
    return {
      toPlaying: (g.__bench.playing as number) - click,
      embeddedCall: call?.duration ?? Number.NaN,
      steps,
    };
  });
};

/** The playback API call alone, from the same page with the same token: POST, then its JSON read. */
const apiAlone = (page: Page, baseUrl: string, recordingId: string) =>
  page.evaluate(
    async ({ url }) => {
      const g = globalThis as unknown as PageGlobals;
      let token: string | undefined;
      for (let i = 0; i < g.sessionStorage.length; i++) {
        const key = g.sessionStorage.key(i) ?? '';
        if (key.startsWith('oidc.user:'))
          token = JSON.parse(g.sessionStorage.getItem(key) ?? '{}').access_token;
      }
      if (!token) throw new Error('no signed-in user in sessionStorage');
      const t = g.performance.now();
      const res = await g.fetch(url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: JSON.stringify({ purpose: 'training' }),
      });
      const body = (await res.json()) as { url?: string };
      const ms = g.performance.now() - t;
      if (res.status !== 200 || !body.url) throw new Error(`playback API: HTTP ${res.status}`);
      return ms;
    },
    { url: `${baseUrl}/recordings/${encodeURIComponent(recordingId)}/playback` },
  );

const measurePlay = () =>
  withBenchStack('portal', 5150, async (stack) => {
    if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium`);
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

    const browser = await chromium.launch({
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
    try {
      const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
      await context.addInitScript(instrument);
      const page = await context.newPage();
      page.setDefaultTimeout(60_000);
      const base = stack.info.baseUrl;
      await page.goto(`${base}/#/`);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator(`button[data-persona="${PERSONA}"]`).click();
      await page.getByTestId('signed-in-as').waitFor();

      let next = 0;
      const nextRecording = () => recordingIds[next++ % RECORDINGS] as string;
      for (let i = 0; i < WARMUP; i++) {
        await journey(page, base, nextRecording());
        await apiAlone(page, base, nextRecording());
      }
      const ratios: number[] = [];
      const toPlaying: number[] = [];
      const alone: number[] = [];
      const embedded: number[] = [];
      const steps: Record<string, number[]> = {};
      for (let i = 0; i < ROUNDS; i++) {
        let apiMs: number;
        let round: { toPlaying: number; embeddedCall: number; steps: Record<string, number> };
        if (i % 2 === 0) {
          round = await journey(page, base, nextRecording());
          apiMs = await apiAlone(page, base, nextRecording());
        } else {
          apiMs = await apiAlone(page, base, nextRecording());
          round = await journey(page, base, nextRecording());
        }
        toPlaying.push(round.toPlaying);
        embedded.push(round.embeddedCall);
        for (const [k, v] of Object.entries(round.steps)) steps[k] = [...(steps[k] ?? []), v];
        alone.push(apiMs);
        ratios.push(round.toPlaying / apiMs);
      }
      const ms = (xs: number[]) => formatSpread(spread(xs), 1);
      console.log(
        `\nclick on Play → audio playing, Chromium ${browser.version()}, ${ROUNDS} rounds over ${RECORDINGS} recordings (after ${WARMUP} warm-up):`,
      );
      console.log(`  click → playing (ms)          ${ms(toPlaying)}`);
      console.log(`  playback API alone (ms)       ${ms(alone)}`);
      console.log(
        `  the page's own API call (ms)  ${ms(embedded)}   (Resource Timing of the journey's POST)`,
      );
      for (const [k, v] of Object.entries(steps))
        console.log(`    click → ${k.padEnd(20)} median ${median(v).toFixed(1)} ms`);
      console.log(
        `  portal's share after the API: median ${(median(toPlaying) - median(embedded)).toFixed(1)} ms (render, presigned GET of the audio, decode, start)`,
      );
      const s = spread(ratios);
      console.log(
        `click → playing / API alone, round by round: ${formatSpread(s)} (target median ≤ ${PLAY_TARGET}) ${s.median <= PLAY_TARGET ? 'MET' : 'NOT MET'}`,
      );
      return s.median;
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
