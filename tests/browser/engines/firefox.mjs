// Firefox ESR (Debian's build) through puppeteer-core, which speaks WebDriver
// BiDi to Firefox itself: no geckodriver. playwright-core cannot drive a
// stock Firefox, so this engine has its own driver.
import puppeteer from 'puppeteer-core';
import { checkKey } from './common.mjs';

/** Launches headless Firefox; see common.mjs for the Browser and Tab shapes. */
export async function launch() {
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: process.env.FIREFOX ?? '/usr/bin/firefox-esr',
    headless: true,
    protocolTimeout: 120000,
    // No updates, telemetry or remote settings: the network here is closed.
    extraPrefsFirefox: {
      'app.update.enabled': false,
      'browser.safebrowsing.malware.enabled': false,
      'browser.safebrowsing.phishing.enabled': false,
      'datareporting.policy.dataSubmissionEnabled': false,
      'network.captive-portal-service.enabled': false,
      'network.connectivity-service.enabled': false,
      'services.settings.server': 'http://127.0.0.1:9/',
    },
  });
  const version = (await browser.version()).replace(/^Firefox\//i, '');
  return {
    name: 'firefox',
    version,
    async open(url, { width = 1280, height = 800 } = {}) {
      const page = await browser.newPage();
      page.setDefaultTimeout(60000);
      await page.setViewport({ width, height });
      const tab = wrap(page);
      await tab.goto(url);
      return tab;
    },
    close: () => browser.close(),
  };
}

function wrap(page) {
  return {
    async goto(url) {
      // about:blank first, so a link that differs only in its #fragment loads anew.
      await page.goto('about:blank');
      await page.goto(url, { waitUntil: 'load' });
    },
    eval: (fn, arg) => page.evaluate(fn, arg),
    click: (selector) => page.click(selector),
    clickAt: (x, y) => page.mouse.click(x, y),
    press: (key) => { checkKey(key); return page.keyboard.press(key === 'Space' ? ' ' : key); },
    resize: (width, height) => page.setViewport({ width, height }),
    addScript: (source) => page.addScriptTag({ content: source }),
    screenshot: (file) => page.screenshot({ path: file }),
    close: () => page.close(),
  };
}
