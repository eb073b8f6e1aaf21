// Prints axe's WCAG 2.1 A/AA violations (every impact) in each state that
// the accessibility tests audit (cross.mjs, A11Y_STATES), for one engine.
//   node a11y-report.mjs [engine]      (default chromium)
import { ENGINES } from './engines/common.mjs';
import { serveDist } from './harness.mjs';
import { A11Y_STATES } from './cross.mjs';
import { axeViolations, countByImpact } from './a11y.mjs';

const engine = process.argv[2] ?? 'chromium';
if (!(engine in ENGINES)) { console.log(`unknown engine ${engine}: one of ${Object.keys(ENGINES).join(', ')}`); process.exit(1); }
const server = await serveDist();
const browser = await (await ENGINES[engine]()).launch();
try {
  for (const [where, reach] of Object.entries(A11Y_STATES)) {
    const tab = await reach((query, size) => browser.open(server.url + query, size));
    const violations = await axeViolations(tab);
    console.log(`${where}: ${JSON.stringify(countByImpact(violations))}`);
    for (const v of violations) console.log(`  ${v.impact} ${v.id}: ${v.targets.join(', ')}`);
    await tab.close();
  }
} finally {
  await browser.close();
  await server.close();
}
