// Browser tests: each test gets a fresh page of the release build, served
// under a sub-path, in headless Chromium. Screenshots go to ./screenshots/.
//   node run.mjs [name-filter]
import { serveDist, launch, openPage, screenshotPath } from './harness.mjs';
import { tests } from './tests.mjs';

const filter = process.argv[2] ?? '';
const server = await serveDist();
const browser = await launch();
let failed = 0;
try {
  for (const t of tests.filter((t) => t.name.includes(filter))) {
    const started = Date.now();
    const ctx = {
      base: server.url,
      context: browser.context,
      open: (query = '') => openPage(browser.context, server.url + query),
      shot: (page, name) => page.screenshot({ path: screenshotPath(name) }),
    };
    try {
      await t.run(ctx);
      console.log(`ok   ${t.name} (${Date.now() - started} ms)`);
    } catch (e) {
      failed++;
      console.log(`FAIL ${t.name}\n     ${String(e?.stack ?? e).split('\n').join('\n     ')}`);
    } finally {
      for (const p of browser.context.pages()) await p.close();
    }
  }
} finally {
  await browser.close();
  await server.close();
}
if (failed) { console.log(`${failed} browser test(s) failed`); process.exit(1); }
console.log('all browser tests passed');
