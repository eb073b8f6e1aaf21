// Page benchmark in headless Chromium (not a test: it measures and prints).
//   node bench.mjs
// Budgets (issue 5 §12):
//   - p95 frame time < 4 ms for 9 nodes under client load
//   - wasm + JS + CSS <= 250 KB gzipped
//   - first frame drawn < 500 ms after navigation (localhost)
// Frame time = the app's own work per animation frame (advance the sim, read
// the view, paint the canvas and the timeline, update the panels and the
// lesson, remember the run for a bug report), measured inside the page with
// performance.now() around the whole frame callback (raftlab.frameStats()).
// The machine may be shared: the load average is printed with the figures;
// run it several times and report medians.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import os from 'node:os';
import { serveDist, launch, DIST } from './harness.mjs';

const budget = { p95FrameMs: 4, gzipKB: 250, firstFrameMs: 500 };

// 1. Size of what the browser downloads.
let gz = 0;
const files = [];
for (const f of fs.readdirSync(DIST)) {
  if (!/\.(wasm|js|css)$/.test(f)) continue;
  const raw = fs.readFileSync(path.join(DIST, f));
  const z = zlib.gzipSync(raw, { level: 9 }).length;
  gz += z;
  files.push(`${f}: ${(raw.length / 1024).toFixed(1)} KB raw, ${(z / 1024).toFixed(1)} KB gzip`);
}

// Lesson files: content the page fetches when the lesson list or a lesson is
// opened (not wasm, JS or CSS; reported next to the budget, not in it).
let lessonsGz = 0;
let lessonFiles = 0;
const lessonDir = path.join(DIST, 'lessons');
if (fs.existsSync(lessonDir)) {
  for (const f of fs.readdirSync(lessonDir)) {
    lessonsGz += zlib.gzipSync(fs.readFileSync(path.join(lessonDir, f)), { level: 9 }).length;
    lessonFiles += 1;
  }
}

// The Chinese strings: fetched when the page shows Chinese (and in the
// background after an English start), outside the budget like the lessons.
const zhFile = path.join(DIST, 'i18n', 'zh.txt');
const zhGz = fs.existsSync(zhFile) ? zlib.gzipSync(fs.readFileSync(zhFile), { level: 9 }).length : 0;

const server = await serveDist();
const browser = await launch();
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
try {
  // 2. First frame after navigation (performance.now() counts from navigation start).
  const first = [];
  for (let i = 0; i < 7; i++) {
    const page = await browser.context.newPage();
    await page.goto(server.url + '?speed=1');
    await page.waitForFunction(() => window.raftlab && window.raftlab.state().first_frame_ms != null);
    first.push(await page.evaluate(() => window.raftlab.state().first_frame_ms));
    await page.close();
  }

  // 3. Frame time: 9 nodes, a client request every 20 ms of real time at 1x.
  const page = await browser.context.newPage();
  await page.goto(server.url + '?speed=1&scenario=' + encodeURIComponent('nodes 9\n'));
  await page.waitForFunction(() => window.raftlab && window.raftlab.state().leader != null, null, { timeout: 20000 });
  await page.evaluate(() => {
    let k = 0;
    window.__load = setInterval(() => window.raftlab.act(`request "set k${k % 50}=${k++}"`), 20);
  });
  await page.waitForTimeout(1000);
  await page.evaluate(() => window.raftlab.resetFrameStats());
  const loadBefore = os.loadavg();
  await page.waitForTimeout(6000);
  const loadAfter = os.loadavg();
  const raw = await page.evaluate(() => window.raftlab.frameStats());
  const stats = { count: raw.count, p50: raw.p50_us / 1000, p95: raw.p95_us / 1000, max: raw.max_us / 1000 };
  console.log(`average per frame: simulate ${raw.avg_sim_us} us, snapshot ${raw.avg_view_us} us, paint ${raw.avg_paint_us} us, panels ${raw.avg_panels_us} us`);
  console.log(`slowest 5 % of frames: simulate ${raw.slow_sim_us} us, snapshot ${raw.slow_view_us} us, paint ${raw.slow_paint_us} us, panels ${raw.slow_panels_us} us`);
  const s = await page.evaluate(() => window.raftlab.state());
  const committed = Math.max(...s.nodes.map((n) => n.commit));
  const inFlight = s.messages.length;
  console.log(`load average (1 min) ${loadBefore[0].toFixed(2)} before, ${loadAfter[0].toFixed(2)} after the frame measurement; ${inFlight} messages in flight at the end`);
  await page.evaluate(() => clearInterval(window.__load));

  const rows = [
    ['p95 frame time, 9 nodes, client load', `${stats.p95.toFixed(2)} ms (p50 ${stats.p50.toFixed(2)}, max ${stats.max.toFixed(2)}, ${stats.count} frames, ${committed} entries committed)`, `< ${budget.p95FrameMs} ms`, stats.p95 < budget.p95FrameMs],
    ['wasm + JS + CSS gzipped', `${(gz / 1024).toFixed(1)} KB`, `<= ${budget.gzipKB} KB`, gz / 1024 <= budget.gzipKB],
    ['first frame after navigation (median of 7)', `${median(first).toFixed(0)} ms (all: ${first.map((x) => x.toFixed(0)).join(', ')})`, `< ${budget.firstFrameMs} ms`, median(first) < budget.firstFrameMs],
  ];
  console.log(`machine: ${os.cpus()[0]?.model ?? 'unknown'} x${os.cpus().length}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GB, ${os.platform()} ${os.release()}`);
  console.log(`chromium: ${browser.context.browser()?.version() ?? 'headless'}`);
  for (const f of files) console.log('  ' + f);
  console.log(`  lessons/: ${lessonFiles} files, ${(lessonsGz / 1024).toFixed(1)} KB gzip in all (fetched on demand, outside the budget)`);
  console.log(`  i18n/zh.txt: ${(zhGz / 1024).toFixed(1)} KB gzip (the Chinese strings, fetched when the page shows Chinese, outside the budget)`);
  for (const [what, value, b, ok] of rows) console.log(`${ok ? 'ok  ' : 'OVER'} ${what}: ${value} (budget ${b})`);
  if (rows.some((r) => !r[3])) process.exitCode = 1;
} finally {
  await browser.close();
  await server.close();
}
