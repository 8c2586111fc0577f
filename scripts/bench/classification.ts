// `npm run bench` part 3: classification figures.
//   (a) stroke → updated probabilities in the Draw view, browser mode, measured in the page
//       from the stroke's last pointer event to the frame showing the new bars (floor ≤ 16 ms, one frame);
//   (b) CLI folder classification of 10,000 small PNGs made from MNIST test digits, end to end
//       (floor ≥ 1,000 files/s), and the engine's memory while it classifies them (steady);
//       the same folder through the Classify view in Chromium: files/s, the longest frame gap
//       (no freeze) and the page's JS heap;
//   (c) accuracy on "digits in the wild" (wild-digits.ts) next to the plain test accuracy, with
//       a model trained for the bench (floor: gap < 1.5 points).
import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { createNodeEngineHost } from '../../src/host/engine-host-node';
import type { EngineHost } from '../../src/host/engine-host';
import { walkImageFiles } from '../../src/cli/walk-files';
import { MAX_CLASSIFY_FILES, type FileClassification } from '../../src/shared/engine-protocol';
import { percentile } from '../../src/shared/stats';
import { tempDir } from '../../test/helpers/fixtures';
import { chromiumMissingReason } from '../../test/e2e/helpers/chromium';
import { withStudioInBrowser } from './studio-in-browser';
import {
  drawClassifyPage,
  mnistTest,
  parseCsv,
  type PadPoint,
} from '../../test/e2e/helpers/draw-classify-page';
import { PROJECT_ROOT } from '../../test/e2e/helpers/renderer-build';
import { studioPage } from '../../test/e2e/helpers/studio-page';
import { WILD_VARIANTS, writePlainDigits, writeWildDigits } from './wild-digits';

const run = promisify(execFile);

const STROKES = 60;
const WARM_UP_STROKES = 5;
const FILES = 10_000;
const MiB = 1024 * 1024;

export interface StrokeLatencyFigures {
  strokes: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

/** The Classify view working through the same 10,000 PNGs (chosen as a folder) in Chromium. */
export interface BrowserClassifyFigures {
  files: number;
  seconds: number;
  filesPerSecond: number;
  /** Longest gap between animation frames while the batch ran (the UI never froze longer). */
  maxFrameGapMs: number;
  /** The page's pause while Chromium built the FileList, before the view got the files. */
  fileListMs: number;
  /** Page JS heap after a forced GC, before and after the batch (rows keep only thumbnails). */
  heapBeforeMiB: number;
  heapAfterMiB: number;
}

export interface ThroughputFigures {
  files: number;
  /** The CLI as a person runs it: process start to CSV written, engine start-up included. */
  cliSeconds: number;
  cliFilesPerSecond: number;
  /** classify-files requests alone (engine already up, model loaded), as the CLI sends them. */
  engineFilesPerSecond: number;
  rssBeforeMiB: number;
  /** After the first 1,000 files (buffers and kernels warmed up). */
  rssAfter1000MiB: number;
  rssAfterMiB: number;
  rssPeakMiB: number;
  tensorsBefore: number;
  tensorsAfter: number;
}

export interface AccuracyFigures {
  /** Test accuracy on the IDX test set, as evaluate reports it. */
  testAccuracy: number;
  /** The same 10,000 digits as PNG files through decode + shared preprocessing. */
  plainPngAccuracy: number;
  wildAccuracy: number;
  wildByVariant: Record<string, number>;
  /** testAccuracy − wildAccuracy, in percentage points. */
  gapPoints: number;
  wildErrors: number;
}

export interface ClassificationBench {
  strokeLatency: StrokeLatencyFigures | { skipped: string };
  browserClassify: BrowserClassifyFigures | { skipped: string };
  throughput: ThroughputFigures;
  accuracy: AccuracyFigures;
}

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);
const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits;
const labelOf = (file: string) => Number(/label-(\d)\./.exec(file)?.[1] ?? -1);

/** Strokes that look like parts of digits, spread over the pad. */
function strokeShape(i: number): PadPoint[] {
  const cx = 0.35 + 0.3 * ((i * 7) % 5) * 0.25;
  const cy = 0.35 + 0.3 * ((i * 3) % 5) * 0.25;
  switch (i % 3) {
    case 0:
      return [
        [cx, cy - 0.2],
        [cx - 0.01, cy],
        [cx - 0.02, cy + 0.2],
      ];
    case 1:
      return Array.from({ length: 13 }, (_, k): PadPoint => {
        const a = (k / 12) * 2 * Math.PI;
        return [cx + 0.14 * Math.cos(a), cy + 0.18 * Math.sin(a)];
      });
    default:
      return [
        [cx - 0.15, cy - 0.15],
        [cx + 0.15, cy - 0.15],
        [cx, cy + 0.2],
      ];
  }
}

/**
 * Frame gaps in the page, as in the responsiveness bench (a string: see FRAME_PROBE there),
 * counted from the moment the view receives the files (the input's `change`). Before that,
 * Chromium builds the 10,000-entry FileList that Playwright injects, which blocks the page on
 * its own (~1.3 s here); that gap is reported apart, as `fileListMs`.
 */
const FRAME_PROBE = `(() => {
  const stats = { max: 0, fileList: 0 };
  window.__lenetClassifyFrames = stats;
  let last = performance.now();
  window.addEventListener('change', () => {
    stats.fileList = Math.max(stats.max, performance.now() - last);
    stats.max = 0;
    last = performance.now();
  }, { capture: true, once: true });
  // performance.now(), not the callback's frame time: after a long task that time is the
  // stale start of the frame that was waiting, which would carry the FileList pause over.
  const tick = () => {
    const now = performance.now();
    stats.max = Math.max(stats.max, now - last);
    last = now;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})()`;

async function inBrowser(plainDir: string): Promise<{
  strokeLatency: StrokeLatencyFigures;
  browserClassify: BrowserClassifyFigures;
}> {
  return withStudioInBrowser(async (browser, url) => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 960 } });
    await page.goto(url);
    const train = studioPage(page);
    await train.status.filter({ hasText: 'Ready' }).waitFor();
    log('stroke latency: training a model in the page (one epoch of full MNIST)…');
    await train.configure({ epochs: 1 });
    await train.start.click();
    await train.waitForStatus('Finished', 600_000);

    const ui = drawClassifyPage(page);
    await ui.tab('Draw').click();
    const latencies: number[] = [];
    for (let i = 0; i < WARM_UP_STROKES + STROKES; i++) {
      // A few strokes per drawing, as people draw: clear every third stroke.
      if (i % 3 === 0 && !(await ui.clear.isDisabled())) await ui.clear.click();
      const before = await ui.measuredStrokes();
      await ui.stroke(strokeShape(i), 2);
      const ms = await ui.waitForStrokes(before + 1);
      if (i >= WARM_UP_STROKES) latencies.push(ms);
    }
    const strokes: StrokeLatencyFigures = {
      strokes: latencies.length,
      p50Ms: round(percentile(latencies, 0.5)),
      p95Ms: round(percentile(latencies, 0.95)),
      maxMs: round(Math.max(...latencies)),
    };

    log('classification: the Classify view on the 10,000 PNGs (folder picker)…');
    await ui.tab('Classify').click();
    const cdp = await page.context().newCDPSession(page);
    const heap = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      return (await page.evaluate('performance.memory.usedJSHeapSize')) as number;
    };
    const heapBefore = await heap();
    await page.evaluate(FRAME_PROBE);
    const t0 = performance.now();
    await ui.folderInput.setInputFiles(plainDir);
    await ui.waitForBatch(30 * 60_000);
    const seconds = (performance.now() - t0) / 1000;
    const frames = (await page.evaluate('window.__lenetClassifyFrames')) as {
      max: number;
      fileList: number;
    };
    const shown = await page.getByText(/^Done/).textContent();
    if (!shown?.includes(`${FILES.toLocaleString('en-US')} classified`))
      throw new Error(`the Classify view said: ${shown}`);
    const browserClassify: BrowserClassifyFigures = {
      files: FILES,
      seconds: round(seconds, 1),
      filesPerSecond: Math.round(FILES / seconds),
      maxFrameGapMs: round(frames.max),
      fileListMs: Math.round(frames.fileList),
      heapBeforeMiB: round(heapBefore / MiB),
      heapAfterMiB: round((await heap()) / MiB),
    };
    return { strokeLatency: strokes, browserClassify };
  });
}

/** The CLI's own loop (walk, chunks of 256, classify-files), against an engine we can ask. */
async function classifyFolder(
  host: EngineHost,
  folder: string,
  onChunk: (done: number) => Promise<void> = async () => undefined,
): Promise<FileClassification[]> {
  const results: FileClassification[] = [];
  let chunk: string[] = [];
  const flush = async () => {
    results.push(...(await host.request({ type: 'classify-files', paths: chunk })));
    chunk = [];
    await onChunk(results.length);
  };
  for await (const file of walkImageFiles([folder])) {
    chunk.push(file);
    if (chunk.length === MAX_CLASSIFY_FILES) await flush();
  }
  if (chunk.length > 0) await flush();
  return results;
}

function accuracy(results: FileClassification[]): number {
  const correct = results.filter((r) => r.error === null && r.predicted === labelOf(r.path));
  return correct.length / results.length;
}

export async function benchClassification(): Promise<{
  rows: string[][];
  json: ClassificationBench;
}> {
  const work = tempDir('lenet-bench-classify-');
  const host = createNodeEngineHost({ restart: false, runsDir: path.join(work, 'runs') });
  try {
    await host.whenReady();
    const mnist = mnistTest();

    log('classification: training the bench model (the studio defaults, full MNIST)…');
    await host.request({ type: 'train', config: {} });
    const modelDir = path.join(work, 'model');
    await host.request({ type: 'save-model', dir: modelDir, singleFile: false });
    const evaluation = await host.request({ type: 'evaluate', dataset: { kind: 'bundled' } });

    log(`classification: writing ${FILES} MNIST test digits as PNG and ${FILES} wild digits…`);
    const plainDir = path.join(work, 'plain');
    const wildDir = path.join(work, 'wild');
    await writePlainDigits(plainDir, mnist, FILES);
    await writeWildDigits(wildDir, mnist, FILES);

    // (b) The CLI end to end, as a separate process.
    log('classification: `predict` on the 10,000 PNGs through the CLI…');
    const csv = path.join(work, 'plain.csv');
    const t0 = performance.now();
    await run(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/cli/index.ts',
        'predict',
        '--model',
        modelDir,
        plainDir,
        '--csv',
        csv,
        '--json',
      ],
      { cwd: PROJECT_ROOT, maxBuffer: 1 << 26 },
    );
    const cliSeconds = (performance.now() - t0) / 1000;
    const cliRows = parseCsv(readFileSync(csv, 'utf8'));
    if (cliRows.length !== FILES)
      throw new Error(`the CLI wrote ${cliRows.length} rows, not ${FILES}`);

    // (b) The engine's memory over the same 10,000 files, through the CLI's request pattern.
    const memory = async () => (await host.request({ type: 'info' })).memory;
    await host.request({ type: 'load-model', dir: modelDir });
    // One prediction first: it builds the model's native inference network, kept with the
    // model (~34 tensors), which is not something the 10,000 files leave behind.
    await host.request({ type: 'predict', inputs: new Float32Array(784) });
    const before = await memory();
    let peak = before.rssBytes;
    let after1000 = before.rssBytes;
    const t1 = performance.now();
    const plain = await classifyFolder(host, plainDir, async (done) => {
      if (done % (MAX_CLASSIFY_FILES * 4) !== 0 && done !== FILES) return;
      const m = await memory();
      peak = Math.max(peak, m.rssBytes);
      if (done <= 1024) after1000 = m.rssBytes;
    });
    const engineSeconds = (performance.now() - t1) / 1000;
    const after = await memory();

    // (c) Digits in the wild.
    log('classification: the wild set…');
    const wild = await classifyFolder(host, wildDir);
    const wildByVariant = Object.fromEntries(
      WILD_VARIANTS.map((v) => [
        v,
        round(accuracy(wild.filter((r) => r.path.includes(`${path.sep}${v}${path.sep}`))) * 100, 2),
      ]),
    );
    const wildAccuracy = accuracy(wild);

    const json: ClassificationBench = {
      strokeLatency: { skipped: 'not run yet' },
      browserClassify: { skipped: 'not run yet' },
      throughput: {
        files: FILES,
        cliSeconds: round(cliSeconds, 2),
        cliFilesPerSecond: Math.round(FILES / cliSeconds),
        engineFilesPerSecond: Math.round(FILES / engineSeconds),
        rssBeforeMiB: round(before.rssBytes / MiB),
        rssAfter1000MiB: round(after1000 / MiB),
        rssAfterMiB: round(after.rssBytes / MiB),
        rssPeakMiB: round(peak / MiB),
        tensorsBefore: before.numTensors,
        tensorsAfter: after.numTensors,
      },
      accuracy: {
        testAccuracy: evaluation.testAccuracy,
        plainPngAccuracy: accuracy(plain),
        wildAccuracy,
        wildByVariant,
        gapPoints: round((evaluation.testAccuracy - wildAccuracy) * 100, 2),
        wildErrors: wild.filter((r) => r.error !== null).length,
      },
    };
    host.dispose();

    // (a) Last: the browser-mode server starts its own engine.
    log('classification: stroke → probabilities latency in the Draw view (browser mode)…');
    const missing = chromiumMissingReason();
    if (missing) {
      json.strokeLatency = { skipped: missing };
      json.browserClassify = { skipped: missing };
    } else {
      Object.assign(json, await inBrowser(plainDir));
    }

    const t = json.throughput;
    const a = json.accuracy;
    const s = json.strokeLatency;
    const b = json.browserClassify;
    const pct = (v: number) => `${(v * 100).toFixed(2)}%`;
    const rows: string[][] = [
      'skipped' in s
        ? ['stroke → updated probabilities (p95)', `skipped: ${s.skipped}`, '≤ 16 ms']
        : [
            `stroke → updated probabilities, p95 of ${s.strokes} strokes`,
            `${s.p95Ms} ms (p50 ${s.p50Ms}, max ${s.maxMs})`,
            '≤ 16 ms',
          ],
      [
        `CLI predict, ${t.files.toLocaleString('en-US')} PNGs end to end`,
        `${t.cliFilesPerSecond.toLocaleString('en-US')} files/s (${t.cliSeconds} s)`,
        '≥ 1,000 files/s',
      ],
      [
        'engine classify-files alone',
        `${t.engineFilesPerSecond.toLocaleString('en-US')} files/s`,
        '',
      ],
      [
        'engine RSS: before → after 1,000 → after 10,000 (peak)',
        `${t.rssBeforeMiB} → ${t.rssAfter1000MiB} → ${t.rssAfterMiB} MiB (${t.rssPeakMiB})`,
        'steady',
      ],
      ['engine tensors before → after', `${t.tensorsBefore} → ${t.tensorsAfter}`, 'no leak'],
      'skipped' in b
        ? ['Classify view, 10,000 PNGs', `skipped: ${b.skipped}`, '']
        : [
            `Classify view (Chromium), ${b.files.toLocaleString('en-US')} PNGs from a folder`,
            `${b.filesPerSecond} files/s (${b.seconds} s), longest frame gap ${b.maxFrameGapMs} ms (FileList ${b.fileListMs} ms before), JS heap ${b.heapBeforeMiB} → ${b.heapAfterMiB} MiB`,
            'no freeze',
          ],
      ['test accuracy (MNIST test set)', pct(a.testAccuracy), ''],
      ['same digits as PNG files, preprocessed', pct(a.plainPngAccuracy), ''],
      [
        `digits in the wild (${t.files.toLocaleString('en-US')})`,
        `${pct(a.wildAccuracy)} (gap ${a.gapPoints} points)`,
        'gap < 1.5 points',
      ],
      ...WILD_VARIANTS.map((v) => [`  ${v}`, `${a.wildByVariant[v]?.toFixed(2)}%`, '']),
    ];
    return { rows, json };
  } finally {
    host.dispose();
    rmSync(work, { recursive: true, force: true });
  }
}
