// The cross-engine browser tests: the same descriptions run in Chromium,
// Firefox and WebKit (cross-run.mjs), through the small driver layer of
// engines/ (see engines/common.mjs for what a Tab can do).
//
// Each test: { name, skip?: { engine: 'why' }, run(ctx) } with
//   ctx.engine          'chromium' | 'firefox' | 'webkit'
//   ctx.open(query, { width, height })  → a Tab on the app at that query
//   ctx.url(query)      the app's address with that query (for tab.goto)
//   ctx.shot(tab, name) saves screenshots/<engine>-<name>.png
// A test that cannot run in one engine says why in `skip`; the runner prints it.
// Tests act as a person does (clicks on buttons and at the nodes' positions
// that state() reports) and wait on conditions, never on fixed sleeps.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from './engines/common.mjs';
import { axeViolations, failing } from './a11y.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Put first in the page (harness serveDist's headHtml): records uncaught
 * errors, failed loads, unhandled rejections and console.error in
 * window.__errors, the same way in every engine. Not a failed
 * `<link rel=modulepreload>`: a hint, which Firefox now and then reports
 * failed (seen after the Chromium suite, with the module itself loaded and
 * the page running); the module's own load still counts, and a page
 * without it never starts.
 */
export const ERROR_RECORDER = '<script>window.__errors=[];'
  + 'addEventListener("error",function(e){var t=e.target;if(t&&t.rel==="modulepreload")return;__errors.push(String(e.message||(t&&t.tagName&&(t.tagName+(t.rel?" rel="+t.rel:"")+" "+(t.src||t.href)))||e))},true);'
  + 'addEventListener("unhandledrejection",function(e){__errors.push("unhandled: "+String(e.reason))});'
  + '(function(c){console.error=function(){__errors.push([].map.call(arguments,String).join(" "));return c.apply(console,arguments)}})(console.error)'
  + '</script>';

const state = (tab) => tab.eval(() => window.raftlab.state());
const lesson = (tab) => tab.eval(() => window.raftlab.lesson());
const node = (s, id) => s.nodes.find((n) => n.id === id);
const errorsOf = (tab) => tab.eval(() => window.__errors);
const text = (tab, sel) => tab.eval((sel) => document.querySelector(sel)?.textContent ?? null, sel);
/** Whether the element is shown: in the document, not inside [hidden], with a box, not visibility:hidden. */
const visible = (tab, sel) => tab.eval((sel) => {
  const e = document.querySelector(sel);
  if (!e || e.closest('[hidden]')) return false;
  const r = e.getBoundingClientRect();
  return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden';
}, sel);
const waitVisible = (tab, sel) => waitFor(tab, (sel) => {
  const e = document.querySelector(sel);
  return !!e && !e.closest('[hidden]') && e.getBoundingClientRect().width > 0;
}, sel);
const started = (tab) => waitFor(tab, () => !!window.raftlab && window.raftlab.state().nodes.length > 0, null, 60000);
/** The app runs; a plain visit opens with the lesson list, which "Free play" dismisses. */
async function ready(tab) {
  await started(tab);
  if (await visible(tab, '#lesson-list')) await tab.click('#lesson-free');
}
const waitLeader = (tab, not = null) =>
  waitFor(tab, (not) => { const s = window.raftlab.state(); return s.leader != null && s.leader !== not; }, not, 60000);
/** Waits until the narration shows step k with every claim ticked. */
const waitStepTicked = (tab, k) => waitFor(tab, (k) => {
  const l = window.raftlab.lesson();
  const items = [...document.querySelectorAll('#lesson-claims li')];
  return !!l && l.step === k && l.claims.length > 0 && l.claims.every((c) => c.ok)
    && items.length === l.claims.length && items.every((li) => li.classList.contains('ok'));
}, k, 60000);

/** Clicks node `id` on the canvas, where state() says it is drawn, and picks `act` from its menu. */
async function nodeAction(tab, id, act) {
  const n = node(await state(tab), id);
  await tab.clickAt(n.client_x, n.client_y);
  await waitVisible(tab, '#node-menu');
  await tab.click(`#node-menu button[data-act="${act}"]`);
}

/** Clicks Next until the lesson reaches step k (a long way is played in
 * several beats); a question waiting on the way gets its first choice, whose
 * pick plays on to the reveal. */
async function nextTo(tab, k) {
  const at = (await lesson(tab)).at_us[k];
  do {
    const l = await lesson(tab);
    await tab.click(l.question && !l.answered ? '#lesson-choice-0' : '#lesson-next');
    await waitFor(tab, () => !window.raftlab.state().playing, null, 60000);
  } while ((await state(tab)).time_us < at);
  assert.equal((await state(tab)).time_us, at, `Next stops exactly at step ${k + 1}`);
  await waitStepTicked(tab, k);
}

let nativeHash = null;
/** The native CLI's trace hash of `scenario` until 8 s (`cargo run` never uses a stale binary). */
function nativeTraceHash(scenario) {
  if (nativeHash?.scenario === scenario) return nativeHash.hash;
  const file = path.join(os.tmpdir(), `raftlab-cross-hash-${process.pid}.txt`);
  fs.writeFileSync(file, scenario);
  const hash = execFileSync('cargo', ['run', '-q', '-p', 'cli', '--', 'hash', file, '--until', '8s'],
    { cwd: ROOT, encoding: 'utf8' }).trim();
  nativeHash = { scenario, hash };
  return hash;
}

/** The states the accessibility audit covers, each reached as a student reaches it. */
export const A11Y_STATES = {
  'the first visit (lesson list open)': async (open) => {
    const tab = await open('?lang=en');
    await started(tab);
    await waitFor(tab, () => document.querySelectorAll('#lesson-items li').length === 11);
    return tab;
  },
  'free play': async (open) => {
    const tab = await open('?lang=en&speed=1');
    await ready(tab);
    await waitLeader(tab);
    await tab.eval(() => window.raftlab.pause());
    return tab;
  },
  'a lesson step': async (open) => {
    const tab = await open('?lesson=07-election-restriction&lang=en');
    await started(tab);
    await waitStepTicked(tab, 0);
    return tab;
  },
  'the embed': async (open) => {
    const tab = await open('?embed&lang=en&speed=1', { width: 640, height: 400 });
    await started(tab);
    await waitLeader(tab);
    return tab;
  },
  'a phone with the More menu open': async (open) => {
    const tab = await open('?lang=en&speed=1', { width: 390, height: 844 });
    await ready(tab);
    await tab.click('#btn-more');
    await waitVisible(tab, '#btn-settings');
    return tab;
  },
  'the Chinese page': async (open) => {
    const tab = await open('?lang=zh&speed=1');
    await started(tab);
    await waitFor(tab, () => /角色与第一次选举/.test(document.querySelector('#lesson-items')?.textContent ?? ''));
    return tab;
  },
};

const basics = [
  {
    name: 'the page loads with the lesson list first, Free play shows the cluster, and a leader is elected',
    async run({ open, shot }) {
      const tab = await open('?speed=1');
      await started(tab);
      assert.equal(await visible(tab, '#loading'), false, 'the loading message gives way to the app');
      assert.ok(await visible(tab, '#lesson-list'), 'a new visitor sees the lesson list');
      await tab.click('#lesson-free');
      assert.equal(await visible(tab, '#lesson-list'), false);
      await waitLeader(tab);
      await tab.eval(() => window.raftlab.act('request "set a=5"'));
      await waitFor(tab, () => window.raftlab.state().nodes.every((n) => n.kv.a === '5'), null, 60000);
      await tab.eval(() => window.raftlab.pause());
      const s = await state(tab);
      assert.equal(s.nodes.length, 5);
      assert.equal(node(s, s.leader).role, 'leader');
      await shot(tab, 'load');
      assert.deepEqual(await errorsOf(tab), []);
    },
  },
  {
    name: 'clicking a node and choosing Crash crashes it, and a new leader follows',
    async run({ open, shot }) {
      const tab = await open('?speed=1');
      await ready(tab);
      await waitLeader(tab);
      await tab.eval(() => window.raftlab.pause());
      const old = (await state(tab)).leader;
      await nodeAction(tab, old, 'crash');
      let s = await state(tab);
      assert.equal(node(s, old).up, false, 'the clicked node is down');
      await tab.eval(() => window.raftlab.play());
      await waitLeader(tab, old);
      s = await state(tab);
      assert.ok(node(s, s.leader).term > node(s, old).term, 'the new leader has a higher term');
      await tab.eval(() => window.raftlab.pause());
      await shot(tab, 'crash');
      assert.deepEqual(await errorsOf(tab), []);
    },
  },
  {
    name: 'a partition made with the Partition button leaves the minority leader unable to commit',
    async run({ open, shot }) {
      const tab = await open('?speed=1');
      await ready(tab);
      await waitLeader(tab);
      await tab.eval(() => window.raftlab.pause());
      let s = await state(tab);
      const old = s.leader;
      const buddy = s.nodes.map((n) => n.id).find((id) => id !== old);
      await tab.click('#btn-partition');
      await waitVisible(tab, '#partition-bar');
      // The bar takes room from the canvas, which lays the nodes out again
      // on a later frame: click where they are then, not where they were.
      await tab.eval(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      s = await state(tab);
      for (const id of [old, buddy]) {
        const n = node(s, id);
        await tab.clickAt(n.client_x, n.client_y);
      }
      await tab.click('#btn-partition-apply');
      s = await state(tab);
      assert.equal(s.network.groups.length, 2, 'two groups');
      assert.ok(s.network.groups.some((g) => g.length === 2 && g.includes(old) && g.includes(buddy)));
      await nodeAction(tab, old, 'request');
      s = await state(tab);
      const last = node(s, old).log.at(-1).index;
      assert.ok(last > node(s, old).commit, 'the request is appended, not committed');
      await tab.eval(() => window.raftlab.play());
      await waitLeader(tab, old);
      await tab.eval(() => window.raftlab.act('request "set c=8"'));
      await waitFor(tab, () => {
        const s = window.raftlab.state();
        const l = s.nodes.find((n) => n.id === s.leader);
        return !!l && l.kv.c === '8';
      }, null, 60000);
      await tab.eval(() => window.raftlab.pause());
      s = await state(tab);
      assert.equal(node(s, old).role, 'leader', 'the minority leader still believes it leads');
      assert.ok(node(s, old).commit < last, `the minority leader committed ${node(s, old).commit} >= ${last}`);
      await shot(tab, 'partition');
      assert.deepEqual(await errorsOf(tab), []);
    },
  },
  {
    name: 'a share link restores the same run at the same moment',
    async run({ open, shot }) {
      const tab = await open('?speed=2');
      await ready(tab);
      await waitLeader(tab);
      await tab.eval(() => { window.raftlab.act('request "set a=5"'); window.raftlab.act('crash 2'); });
      await waitFor(tab, () => window.raftlab.state().time > 1.5, null, 60000);
      await tab.eval(() => window.raftlab.pause());
      const s1 = await state(tab);
      const link = await tab.eval(() => window.raftlab.link());
      assert.match(link, /#1\./);
      assert.deepEqual(await errorsOf(tab), []);
      await tab.goto(link);
      await ready(tab);
      const s2 = await state(tab);
      assert.equal(s2.time_us, s1.time_us);
      assert.equal(s2.playing, false, 'a link opens paused at its moment');
      const pick = (s) => s.nodes.map((n) => ({ id: n.id, up: n.up, role: n.role, term: n.term, commit: n.commit, log: n.log }));
      assert.deepEqual(pick(s2), pick(s1));
      assert.deepEqual(s2.messages.map((m) => m.id), s1.messages.map((m) => m.id));
      await shot(tab, 'share-restored');
      assert.deepEqual(await errorsOf(tab), []);
    },
  },
  {
    name: 'lesson 1 steps with Next, ticking its claims, and Back returns to the step before',
    async run({ open, shot }) {
      const tab = await open('?lang=en');
      await started(tab);
      await waitFor(tab, () => document.querySelectorAll('#lesson-items li').length === 11);
      await tab.click('#lesson-items button[data-lesson="01-first-election"]');
      await waitVisible(tab, '#lesson-panel');
      const l = await lesson(tab);
      assert.equal(l.id, '01-first-election');
      await waitStepTicked(tab, 0);
      assert.equal(await text(tab, '#lesson-count'), `Step 1 of ${l.steps}`);
      await nextTo(tab, 1);
      await nextTo(tab, 2);
      assert.equal(await text(tab, '#lesson-count'), `Step 3 of ${l.steps}`);
      await shot(tab, 'lesson-step');
      await tab.click('#lesson-back');
      await waitStepTicked(tab, 1);
      assert.equal((await state(tab)).time_us, l.at_us[1], 'Back travels to the step before');
      assert.equal(await text(tab, '#lesson-count'), `Step 2 of ${l.steps}`);
      assert.deepEqual(await errorsOf(tab), []);
    },
  },
  {
    name: 'the embed shows the canvas and the play controls without side panels, and fits its frame',
    async run({ open, shot }) {
      const tab = await open('?embed&lang=en&speed=1', { width: 640, height: 400 });
      await started(tab);
      await waitLeader(tab);
      assert.equal(await visible(tab, '#side'), false, 'no side panels');
      assert.equal(await visible(tab, '#btn-settings'), false);
      for (const sel of ['#view', '#btn-play', '#btn-step', '#btn-reset', '#timeline']) {
        assert.ok(await visible(tab, sel), `${sel} shown`);
      }
      const box = await tab.eval(() => { const r = document.getElementById('view').getBoundingClientRect(); return { w: r.width, h: r.height }; });
      assert.ok(box.w > 500 && box.h > 200, `the canvas fills the frame: ${JSON.stringify(box)}`);
      assert.ok(await tab.eval(() => document.scrollingElement.scrollHeight <= innerHeight), 'fits without scrolling');
      await tab.eval(() => window.raftlab.pause());
      await shot(tab, 'embed');
      assert.deepEqual(await errorsOf(tab), []);
    },
  },
  {
    name: 'the Chinese page shows the lesson list and the controls in Chinese, and elects a leader',
    async run({ open, shot }) {
      const tab = await open('?lang=zh&speed=1');
      await started(tab);
      assert.equal(await tab.eval(() => document.documentElement.lang), 'zh-CN');
      await waitFor(tab, () => /角色与第一次选举/.test(document.querySelector('#lesson-items li')?.textContent ?? ''));
      assert.equal(await text(tab, '#lesson-free'), '自由探索');
      await shot(tab, 'lessons-zh');
      await tab.click('#lesson-free');
      assert.equal(await text(tab, '#btn-step'), '单步');
      assert.equal(await text(tab, '#btn-settings'), '设置');
      await waitLeader(tab);
      await tab.eval(() => window.raftlab.pause());
      await shot(tab, 'free-zh');
      assert.deepEqual(await errorsOf(tab), []);
    },
  },
  {
    name: 'a bad link shows a readable message and the default cluster',
    async run({ open, url, shot }) {
      const tab = await open('#1.this-is-not-a-real-link');
      await ready(tab);
      assert.ok(await visible(tab, '#banner'));
      const msg = await text(tab, '#banner-text');
      assert.match(msg, /could not be opened/);
      assert.match(msg, /default cluster/);
      assert.equal((await state(tab)).nodes.length, 5);
      await shot(tab, 'bad-link');
      assert.deepEqual(await errorsOf(tab), []);
      await tab.goto(url('?scenario=nodes%2099'));
      await ready(tab);
      assert.match(await text(tab, '#banner-text'), /scenario could not be read/);
      assert.deepEqual(await errorsOf(tab), []);
    },
  },
  {
    name: 'a phone: the toolbar fits the window (390 px asked), the More menu opens with the other controls, Escape closes it',
    async run({ open, shot }) {
      const tab = await open('?lang=en&speed=1', { width: 390, height: 844 });
      await ready(tab);
      // Within the window's width: WebKitGTK's MiniBrowser opens no narrower than 447 px, still a phone's layout (up to 760).
      const fits = () => tab.eval(() => {
        const t = document.querySelector('.toolbar'), w = document.documentElement.clientWidth;
        const ok = w <= 760 && document.scrollingElement.scrollWidth <= w && t.scrollWidth <= t.clientWidth + 1
          && document.getElementById('topbar').getBoundingClientRect().height <= 60;
        return ok || JSON.stringify({ w, page: document.scrollingElement.scrollWidth, bar: [t.scrollWidth, t.clientWidth],
          top: document.getElementById('topbar').getBoundingClientRect().height });
      });
      assert.equal(await fits(), true);
      assert.equal(await visible(tab, '#btn-settings'), false);
      await tab.click('#btn-more');
      await waitVisible(tab, '#btn-settings');
      assert.equal(await tab.eval(() => document.getElementById('btn-more').getAttribute('aria-expanded')), 'true');
      assert.equal(await fits(), true);
      await shot(tab, 'phone-menu');
      await tab.press('Escape');
      await waitFor(tab, () => document.getElementById('btn-more').getAttribute('aria-expanded') === 'false');
      assert.equal(await visible(tab, '#btn-settings'), false);
      assert.deepEqual(await errorsOf(tab), []);
    },
  },
  {
    name: 'the wasm trace hash of a fixed scenario equals the native one',
    async run({ open }) {
      const scenario = 'nodes 5\nseed 42\nat 1s crash 1\nat 2s request "set a=5"\nat 3s partition 1 2 | 3 4 5\nat 5s heal\nat 6s restart 1\n';
      const native = nativeTraceHash(scenario);
      assert.match(native, /^[0-9a-f]{16}$/);
      const tab = await open('?autoplay=0&scenario=' + encodeURIComponent(scenario));
      await ready(tab);
      const wasm = await tab.eval(() => { window.raftlab.seek(8); return window.raftlab.traceHash(); });
      assert.equal(wasm, native, 'the same scenario gives the same trace in wasm and natively');
      assert.deepEqual(await errorsOf(tab), []);
    },
  },
];

/** One test per audited state: axe finds no serious or critical WCAG 2.1 A/AA violation. */
const accessibility = Object.entries(A11Y_STATES).map(([where, reach]) => ({
  name: `accessibility: ${where} has no serious or critical axe violations (WCAG 2.1 A and AA)`,
  async run({ open, shot }) {
    const tab = await reach(open);
    const bad = failing(await axeViolations(tab));
    if (bad.length) await shot(tab, `a11y-${where.replace(/\W+/g, '-')}`);
    assert.deepEqual(bad, [], `axe on ${where}:\n  ${bad.join('\n  ')}`);
  },
}));

export const tests = [...basics, ...accessibility];
