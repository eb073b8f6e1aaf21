// Long sessions in bounded memory (issue 14), in headless Chromium on the
// release build: the wasm linear memory (`memory.buffer.byteLength`, which
// only grows) after
//   1. a 2-hour, 5-node run with one request per simulated second, built
//      through the JS API (seek one second, act) — budget 48 MB;
//   2. the same run on to 10 hours — budget 64 MB;
//   3. free play at 10x, 9 nodes, a request per simulated second — budget
//      64 MB after 30 minutes of wall time (RAFTLAB_PLAY_MIN shortens it;
//      RAFTLAB_PARTS=api or play runs one half);
// and seeks (median, p95, max) in each run's last 10 simulated minutes
// (budget p95 < 16 ms) and anywhere in it (budget < 250 ms), to moments in
// a scattered order (multiples of the golden ratio: back and forth).
//   node bench-memory.mjs      (needs a release build in dist/)
import os from 'node:os';
import { serveDist, launch, openPage } from './harness.mjs';

const MB = 1 << 20;
const PLAY_MIN = Number(process.env.RAFTLAB_PLAY_MIN ?? 30);
const server = await serveDist();
const browser = await launch();
// Trunk hands the wasm instance to this event: keep it to read its memory.
await browser.context.addInitScript(() => {
  window.addEventListener('TrunkApplicationStarted', (e) => { window.__raftlabWasm = e.detail.wasm; });
});
const memory = (page) => page.evaluate(() => window.__raftlabWasm.memory.buffer.byteLength);

/// Builds the run through the JS API from its current end to `toS`.
async function build(page, fromS, toS) {
  return page.evaluate(([a, b]) => {
    const r = window.raftlab;
    for (let s = a; s < b; s++) {
      r.seek(s);
      r.act(`request "set k${s % 5}=${s}"`);
    }
    r.seek(b);
    return r.state().time;
  }, [fromS, toS]);
}

/// Times seeks to `n` moments of [fromS, toS] in a scattered order.
async function seeks(page, fromS, toS, n) {
  const times = await page.evaluate(([a, b, k]) => {
    const r = window.raftlab;
    const out = [];
    for (let i = 1; i <= k; i++) {
      const t = a + (b - a) * ((i * 0.6180339887) % 1);
      const t0 = performance.now();
      r.seek(t);
      out.push(performance.now() - t0);
    }
    return out;
  }, [fromS, toS, n]);
  times.sort((x, y) => x - y);
  const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
  return { median: +q(0.5).toFixed(2), p95: +q(0.95).toFixed(2), max: +times[times.length - 1].toFixed(2) };
}

const out = {
  date: new Date().toISOString().slice(0, 10),
  cpu: os.cpus()[0]?.model, cores: os.cpus().length, load: +os.loadavg()[0].toFixed(2),
};
let failed = false;
const PARTS = process.env.RAFTLAB_PARTS ?? 'api,play';
const mb = async (page) => +((await memory(page)) / MB).toFixed(1);
try {
  if (PARTS.includes('api')) {
    const { page, errors } = await openPage(browser.context, server.url + '?autoplay=0');
    await page.waitForFunction(() => window.raftlab && window.__raftlabWasm && window.raftlab.state().nodes.length === 5);
    await page.evaluate(() => window.raftlab.pause());
    out.start_mb = await mb(page);
    // One run built on through the API, then sought: the last 10 min, then anywhere.
    const run = async (name, from, to) => {
      const t0 = Date.now();
      out[`time_${name}`] = await build(page, from, to);
      out[`build_${name}_s`] = Math.round((Date.now() - t0) / 1000);
      out[`mem_${name}_mb`] = await mb(page);
      out[`seek_${name}_last_10min_ms`] = await seeks(page, to - 600, to, 100);
      out[`seek_${name}_anywhere_ms`] = await seeks(page, 0, to, 60);
      out[`mem_${name}_after_seeks_mb`] = await mb(page);
    };
    await run('2h', 1, 7200);
    await page.evaluate(() => window.raftlab.seek(7200));
    await run('10h', 7200, 36000);
    out.errors = errors;
    failed ||= errors.length > 0 || out.mem_2h_after_seeks_mb > 48 || out.mem_10h_after_seeks_mb > 64
      || out.seek_2h_last_10min_ms.p95 >= 16 || out.seek_2h_anywhere_ms.max >= 250
      || out.seek_10h_last_10min_ms.p95 >= 16 || out.seek_10h_anywhere_ms.max >= 250;
    await page.close();
  }
  if (PARTS.includes('play')) {
    // Free play: 9 nodes at 10x, a client request each simulated second.
    const play = await openPage(browser.context, server.url + '?scenario=nodes%209&speed=10&autoplay=1');
    const p = play.page;
    await p.waitForFunction(() => window.raftlab && window.__raftlabWasm && window.raftlab.state().nodes.length === 9);
    const end = Date.now() + PLAY_MIN * 60_000;
    let last = -1;
    out.play_mem_mb_by_min = [];
    let nextMin = Date.now() + 60_000;
    while (Date.now() < end) {
      const s = await p.evaluate(() => window.raftlab.state().time);
      if (Math.floor(s) > last) {
        last = Math.floor(s);
        await p.evaluate((k) => window.raftlab.act(`request "set k${k % 5}=${k}"`), last);
      }
      if (Date.now() >= nextMin) {
        nextMin += 60_000;
        out.play_mem_mb_by_min.push(await mb(p));
      }
      await p.waitForTimeout(100);
    }
    out.play_min = PLAY_MIN;
    out.play_time_s = Math.round(await p.evaluate(() => window.raftlab.state().time));
    out.play_mem_mb = await mb(p);
    out.play_seek_last_10min_ms = await seeks(p, out.play_time_s - 600, out.play_time_s, 100);
    out.play_seek_anywhere_ms = await seeks(p, 0, out.play_time_s, 60);
    out.play_mem_after_seeks_mb = await mb(p);
    out.play_errors = play.errors;
    failed ||= play.errors.length > 0 || out.play_mem_after_seeks_mb > 64;
  }
} finally {
  console.log(JSON.stringify(out, null, 1));
  await browser.close();
  await server.close();
}
if (failed) process.exitCode = 1;
