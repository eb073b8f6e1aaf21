// Chromium (Debian's build) through playwright-core, as the main suite runs it.
import { launch as launchChromium } from '../harness.mjs';
import { checkKey } from './common.mjs';

/** Launches headless Chromium; see common.mjs for the Browser and Tab shapes. */
export async function launch() {
  const browser = await launchChromium();
  const version = browser.context.browser()?.version() ?? (await versionOf(browser));
  return {
    name: 'chromium',
    version,
    async open(url, { width = 1280, height = 800 } = {}) {
      const page = await browser.context.newPage();
      await page.setViewportSize({ width, height });
      const tab = wrap(page);
      await tab.goto(url);
      return tab;
    },
    close: () => browser.close(),
  };
}

async function versionOf(browser) {
  const page = await browser.context.newPage();
  const ua = await page.evaluate(() => navigator.userAgent);
  await page.close();
  return ua.match(/Chrome\/([\d.]+)/)?.[1] ?? ua;
}

function wrap(page) {
  return {
    async goto(url) {
      // about:blank first, so a link that differs only in its #fragment loads anew.
      await page.goto('about:blank');
      await page.goto(url);
    },
    eval: (fn, arg) => page.evaluate(fn, arg),
    click: (selector) => page.click(selector),
    clickAt: (x, y) => page.mouse.click(x, y),
    press: (key) => { checkKey(key); return page.keyboard.press(key); },
    resize: (width, height) => page.setViewportSize({ width, height }),
    addScript: (source) => page.addScriptTag({ content: source }),
    screenshot: (file) => page.screenshot({ path: file }),
    close: () => page.close(),
  };
}
