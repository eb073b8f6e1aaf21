// Accessibility audits with axe-core (pinned in package.json), in any engine
// of engines/: the WCAG 2.0/2.1 A and AA rules, on the page as it is now.
// The tests are in cross.mjs; a11y-report.mjs prints every violation.
import fs from 'node:fs';
import { createRequire } from 'node:module';

const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
/** The rule sets audited: WCAG 2.1 levels A and AA (which include 2.0's). */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
/** The impacts that fail a test. */
export const FAILING = ['serious', 'critical'];

/**
 * Runs axe in the tab and resolves to its violations, each as
 * { id, impact, help, targets } with the CSS selectors of the offending nodes.
 */
export async function axeViolations(tab) {
  if (!(await tab.eval(() => typeof window.axe === 'object'))) await tab.addScript(AXE_SOURCE);
  return tab.eval(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
  }, WCAG_TAGS);
}

/** The violations that fail a test (serious or critical), as one readable line each. */
export function failing(violations) {
  return violations.filter((v) => FAILING.includes(v.impact))
    .map((v) => `${v.impact} ${v.id} (${v.help}): ${v.targets.join(', ')}`);
}

/** Counts nodes per impact, for reports. */
export function countByImpact(violations) {
  const n = {};
  for (const v of violations) n[v.impact] = (n[v.impact] ?? 0) + v.targets.length;
  return n;
}
