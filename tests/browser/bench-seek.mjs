// Seek benchmark in headless Chromium (issue 4, time travel): build a
// 10-minute, 5-node run with one client request every 100 ms through the JS
// API, then seek backwards to 60 fixed moments and time each seek (the
// simulator's checkpoint restore and re-simulation plus the new snapshot the
// page draws). Budget: under 16 ms, one frame.
//   node bench-seek.mjs      (needs a release build in dist/)
import os from 'node:os';
import { serveDist, launch, openPage } from './harness.mjs';

const RUN_S = 600;
const server = await serveDist();
const browser = await launch();
try {
  const { page, errors } = await openPage(browser.context, server.url + '?autoplay=0');
  await page.waitForFunction(() => window.raftlab && window.raftlab.state().nodes.length === 5);
  const built = await page.evaluate((runS) => {
    const r = window.raftlab;
    r.pause();
    const t0 = performance.now();
    for (let i = 1; i <= runS * 10; i++) {
      r.seek(i / 10);
      r.act(`request "set k${i % 50}=${i}"`);
    }
    return { ms: performance.now() - t0, time: r.state().time };
  }, RUN_S);
  // Moments spread over the run, visited from late to early (every seek goes back).
  const moments = Array.from({ length: 60 }, (_, i) => RUN_S - 5 - i * 9.7);
  const times = await page.evaluate((ts) => {
    const r = window.raftlab;
    const out = [];
    r.seek(ts[0] + 4);
    for (const t of ts) {
      const a = performance.now();
      r.seek(t);
      out.push(performance.now() - a);
    }
    return out;
  }, moments);
  times.sort((a, b) => a - b);
  const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
  const mem = await page.evaluate(() => performance.memory ? performance.memory.usedJSHeapSize : null);
  console.log(JSON.stringify({
    date: new Date().toISOString().slice(0, 10),
    cpu: os.cpus()[0]?.model, cores: os.cpus().length, load: os.loadavg()[0].toFixed(2),
    run_s: RUN_S, build_ms: Math.round(built.ms),
    seek_ms: { median: q(0.5).toFixed(2), p95: q(0.95).toFixed(2), max: times[times.length - 1].toFixed(2) },
    js_heap_mb: mem ? (mem / 1e6).toFixed(1) : null,
    errors,
  }, null, 1));
  if (errors.length) process.exitCode = 1;
} finally {
  await browser.close();
  await server.close();
}
