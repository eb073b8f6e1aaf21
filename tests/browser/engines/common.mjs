// What every engine driver shares: the list of engines, waiting on a
// condition in the page, and the names of the keys a test may press.
//
// An engine module exports `launch()`, resolving to a Browser:
//   { name, version, open(url, { width, height }) → Tab, close() }
// and a Tab is:
//   { goto(url), eval(fn, arg), click(selector), clickAt(x, y), press(key),
//     resize(width, height), addScript(source), screenshot(file), close() }
// `eval` runs `fn(arg)` in the page (one JSON-like argument, as every driver
// can pass) and resolves to its result; an async `fn` is awaited.
// Coordinates are CSS pixels from the top left of the viewport.

/** The engines the cross-engine suite runs, in order, and the module of each. */
export const ENGINES = {
  chromium: () => import('./chromium.mjs'),
  firefox: () => import('./firefox.mjs'),
  webkit: () => import('./webkit.mjs'),
};

/** Keys a test may press (a closed set, so each driver maps all of them). */
export const KEYS = ['Space', 'Escape', 'Enter', 'Tab', 'ArrowLeft', 'ArrowRight', 's', 'r', 'p', 'h', '?'];

/** Throws unless `key` is one of KEYS: a test asking for another key is a bug in the test. */
export function checkKey(key) {
  if (!KEYS.includes(key)) throw new Error(`press(${JSON.stringify(key)}): not one of ${KEYS.join(' ')}`);
}

/**
 * Polls `fn(arg)` in the page until it returns something truthy, and
 * resolves to that. Polling through `eval` works the same in every driver;
 * the timeouts are generous because Firefox and WebKit share two cores with
 * everything else on a CI machine.
 */
export async function waitFor(tab, fn, arg, timeoutMs = 30000, pollMs = 100) {
  const until = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await tab.eval(fn, arg);
      if (last) return last;
    } catch (e) {
      // A navigation in progress makes an evaluation fail: try again.
      last = e;
    }
    if (Date.now() > until) {
      throw new Error(`waited ${timeoutMs} ms for ${String(fn).slice(0, 160)} (last: ${String(last)})`);
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
