// The browser tests. Each: { name, run(ctx) } where ctx.open(query) opens the
// app, ctx.shot(page, name) saves a screenshot.
import assert from 'node:assert/strict';

export const tests = [
  {
    name: 'page loads without console errors and draws',
    async run({ open, shot }) {
      const { page, errors } = await open();
      await page.waitForTimeout(500);
      await shot(page, 'load');
      assert.deepEqual(errors, []);
    },
  },
];
