// WebKit: WebKitGTK's MiniBrowser (Debian's webkit2gtk-driver) through
// WebKitWebDriver and selenium-webdriver. MiniBrowser has no headless mode, so
// the driver runs under xvfb-run, on a virtual screen large enough for the
// biggest window a test asks for.
import { spawn } from 'node:child_process';
import net from 'node:net';
import fs from 'node:fs';
import { Builder, By, Key, Origin } from 'selenium-webdriver';
import { checkKey } from './common.mjs';

const MINIBROWSER = process.env.MINIBROWSER ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const KEY_OF = { Space: Key.SPACE, Escape: Key.ESCAPE, Enter: Key.ENTER, Tab: Key.TAB, ArrowLeft: Key.ARROW_LEFT, ArrowRight: Key.ARROW_RIGHT };

/** Launches MiniBrowser under Xvfb; see common.mjs for the Browser and Tab shapes. */
export async function launch() {
  for (const bin of ['xvfb-run', 'WebKitWebDriver']) {
    if (!onPath(bin)) throw new Error(`${bin} not found: run scripts/setup --test (Debian's xvfb and webkit2gtk-driver)`);
  }
  if (!fs.existsSync(MINIBROWSER)) throw new Error(`no MiniBrowser at ${MINIBROWSER} (set MINIBROWSER)`);
  const port = await freePort();
  // Its own process group, so close() ends xvfb-run, Xvfb and the driver together.
  const server = spawn('xvfb-run', ['-a', '-s', '-screen 0 1920x1200x24', 'WebKitWebDriver', `--port=${port}`, '--host=127.0.0.1'],
    { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  server.stderr.on('data', (d) => { stderr += d; });
  const stop = () => { try { process.kill(-server.pid, 'SIGTERM'); } catch { /* already gone */ } };
  try {
    await untilListening(port, 30000, () => server.exitCode !== null && `WebKitWebDriver exited: ${stderr}`);
    const driver = await new Builder()
      .usingServer(`http://127.0.0.1:${port}`)
      .withCapabilities({
        browserName: 'MiniBrowser',
        'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] },
      })
      .build();
    await driver.manage().setTimeouts({ script: 120000, pageLoad: 120000 });
    const caps = await driver.getCapabilities();
    let open = false;
    return {
      name: 'webkit',
      version: `WebKitGTK ${caps.get('browserVersion') ?? '?'}`,
      async open(url, { width = 1280, height = 800 } = {}) {
        // One window per session: each test has it in turn (the runner closes a tab before the next test opens one).
        if (open) throw new Error('webkit: one tab at a time');
        open = true;
        const tab = wrap(driver, () => { open = false; });
        await tab.resize(width, height);
        await tab.goto(url);
        return tab;
      },
      async close() {
        try { await driver.quit(); } finally { stop(); }
      },
    };
  } catch (e) {
    stop();
    throw e;
  }
}

function wrap(driver, onClose) {
  const actions = () => driver.actions({ async: true });
  return {
    async goto(url) {
      // about:blank first, so a link that differs only in its #fragment loads anew.
      await driver.get('about:blank');
      await driver.get(url);
    },
    // selenium sends a function as `return (fn).apply(null, arguments)`.
    eval: (fn, arg) => driver.executeScript(fn, arg),
    async click(selector) {
      // The page may rebuild the element between finding and clicking it
      // (the lesson list does as its files arrive): find it again.
      for (let tries = 3; ; tries--) {
        try {
          return await (await driver.findElement(By.css(selector))).click();
        } catch (e) {
          if (e?.name !== 'StaleElementReferenceError' || tries <= 1) throw e;
        }
      }
    },
    clickAt: (x, y) => actions().move({ x: Math.round(x), y: Math.round(y), origin: Origin.VIEWPORT }).click().perform(),
    press: (key) => { checkKey(key); return actions().sendKeys(KEY_OF[key] ?? key).perform(); },
    async resize(width, height) {
      // setRect sizes the outer window: correct by the difference to the viewport.
      await driver.manage().window().setRect({ width, height });
      const inner = await driver.executeScript('return [innerWidth, innerHeight]');
      const outer = await driver.manage().window().getRect();
      if (inner[0] !== width || inner[1] !== height) {
        await driver.manage().window().setRect({ width: outer.width + width - inner[0], height: outer.height + height - inner[1] });
      }
    },
    addScript: (source) => driver.executeScript(source),
    async screenshot(file) { fs.writeFileSync(file, Buffer.from(await driver.takeScreenshot(), 'base64')); },
    async close() { await driver.get('about:blank'); onClose(); },
  };
}

function onPath(bin) {
  return (process.env.PATH ?? '').split(':').some((d) => d && fs.existsSync(`${d}/${bin}`));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

async function untilListening(port, timeoutMs, failed) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const why = failed();
    if (why) throw new Error(why);
    const ok = await new Promise((r) => {
      const c = net.connect(port, '127.0.0.1', () => { c.end(); r(true); });
      c.once('error', () => r(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`WebKitWebDriver did not listen on ${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
