// Runs the cross-engine tests (cross.mjs) in Chromium, Firefox and WebKit,
// one engine after another (the machine has two cores), and prints the
// counts per engine.
//   node cross-run.mjs [engine] [name-filter]
// engine: chromium, firefox, webkit, or all (the default). Screenshots go to
// ./screenshots/<engine>-<name>.png.
import { serveDist, screenshotPath } from './harness.mjs';
import { ENGINES } from './engines/common.mjs';
import { tests, ERROR_RECORDER } from './cross.mjs';

const args = process.argv.slice(2);
const engines = args[0] in ENGINES ? [args.shift()] : args[0] === 'all' ? (args.shift(), Object.keys(ENGINES)) : Object.keys(ENGINES);
const filter = args[0] ?? '';
const chosen = tests.filter((t) => t.name.includes(filter));
if (chosen.length === 0) { console.log(`no cross-engine test matches "${filter}"`); process.exit(1); }

const server = await serveDist({ headHtml: ERROR_RECORDER });
const counts = {};
const startedAll = Date.now();
try {
  for (const engine of engines) {
    const c = (counts[engine] = { passed: 0, failed: 0, skipped: 0, ms: 0 });
    const t0 = Date.now();
    let browser;
    try {
      browser = await (await ENGINES[engine]()).launch();
    } catch (e) {
      c.failed = chosen.length;
      console.log(`FAIL [${engine}] could not start: ${e?.message ?? e}`);
      continue;
    }
    console.log(`--- ${engine} ${browser.version}`);
    try {
      for (const t of chosen) {
        let result = await runOne(browser, engine, t);
        if (result === 'lost') {
          // The driver lost its browser (seen once in WebKitGTK's MiniBrowser
          // at the end of a run, not again in reruns): a fresh browser runs
          // the test once more, and the log says so, so a crash that our
          // page causes still shows, as a retry that fails again.
          console.log(`RETRY [${engine}] ${t.name}: the browser session was lost; once more in a fresh browser`);
          await browser.close().catch(() => {});
          browser = await (await ENGINES[engine]()).launch();
          result = await runOne(browser, engine, t);
          if (result === 'lost') result = 'failed';
        }
        c[result]++;
      }
    } finally {
      await browser.close();
    }
    c.ms = Date.now() - t0;
  }
} finally {
  await server.close();
}

const line = (c) => `${c.passed} passed` + (c.failed ? `, ${c.failed} failed` : '') + (c.skipped ? `, ${c.skipped} skipped` : '');
for (const [engine, c] of Object.entries(counts)) console.log(`${engine}: ${line(c)} in ${Math.round(c.ms / 1000)} s`);
console.log(Object.entries(counts).map(([engine, c]) => `${engine}: ${line(c)}`).join(', '));
const total = Object.values(counts).reduce((a, c) => ({ passed: a.passed + c.passed, failed: a.failed + c.failed, skipped: a.skipped + c.skipped }), { passed: 0, failed: 0, skipped: 0 });
console.log(`cross-engine tests took ${Math.round((Date.now() - startedAll) / 1000)} s`);
console.log(`cross-engine: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
if (total.failed) process.exit(1);

/**
 * Runs one test in one engine; resolves to 'passed', 'failed', 'skipped',
 * or 'lost' when the failure was the driver's session ending under it.
 */
async function runOne(browser, engine, t) {
  const why = t.skip?.[engine];
  if (why) { console.log(`skip [${engine}] ${t.name}: ${why}`); return 'skipped'; }
  const started = Date.now();
  const tabs = [];
  const ctx = {
    engine,
    url: (query = '') => server.url + query,
    async open(query = '', size) {
      // One tab at a time: a test that opens another closes the one before.
      while (tabs.length) await tabs.pop().close();
      const tab = await browser.open(server.url + query, size);
      tabs.push(tab);
      return tab;
    },
    shot: (tab, name) => tab.screenshot(screenshotPath(`${engine}-${name}`)),
  };
  try {
    await t.run(ctx);
    console.log(`ok   [${engine}] ${t.name} (${Date.now() - started} ms)`);
    return 'passed';
  } catch (e) {
    console.log(`FAIL [${engine}] ${t.name}\n     ${String(e?.stack ?? e).split('\n').join('\n     ')}`);
    return /NoSuchSessionError|invalid session id/.test(String(e?.stack ?? e)) ? 'lost' : 'failed';
  } finally {
    // Each test starts from a clean slate: no remembered language or other choices.
    for (const tab of tabs) {
      await tab.eval(() => localStorage.clear()).catch(() => {});
      await tab.close().catch(() => {});
    }
  }
}
