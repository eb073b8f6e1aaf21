// The browser tests. Each: { name, run(ctx) } where ctx.open(query) opens the
// app, ctx.shot(page, name) saves a screenshot. Tests drive the page as a
// person would (clicks at the node positions that state() reports) and wait
// on state, not on fixed sleeps.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { englishOnChinesePage, englishWords } from './zh-words.mjs';
import { DIST } from './harness.mjs';
import { GLUE_MODULE, shortName } from '../../scripts/wasm-imports.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const state = (page) => page.evaluate(() => window.raftlab.state());
const started = (page) => page.waitForFunction(() => window.raftlab && window.raftlab.state().nodes.length > 0);
/** The app is running; a plain visit opens with the lesson list, which these tests dismiss ("free play"). */
const ready = async (page) => {
  await started(page);
  if (await page.isVisible('#lesson-list')) await page.click('#lesson-free');
};
const lesson = (page) => page.evaluate(() => window.raftlab.lesson());
/** Waits until the narration shows step k with every claim of the step ticked (in the DOM and in lesson()). */
const waitStepTicked = (page, k) => waitFor(page, (k) => {
  const l = window.raftlab.lesson();
  const items = [...document.querySelectorAll('#lesson-claims li')];
  return l && l.step === k && l.claims.length > 0 && l.claims.every((c) => c.ok)
    && items.length === l.claims.length && items.every((li) => li.classList.contains('ok'));
}, k);
const waitFor = (page, fn, arg, timeout = 20000) => page.waitForFunction(fn, arg, { timeout, polling: 50 });
const waitLeader = (page, not = null) =>
  waitFor(page, (not) => { const s = window.raftlab.state(); return s.leader != null && s.leader !== not; }, not);
const node = (s, id) => s.nodes.find((n) => n.id === id);

/** A point of the canvas (client px) far from every node that state() `s` reports. */
function emptyCanvasPoint(s, box) {
  for (let y = box.y + 40; y < box.y + box.height - 10; y += 10) {
    for (let x = box.x + 10; x < box.x + box.width - 10; x += 10) {
      if (s.nodes.every((n) => Math.hypot(n.client_x - x, n.client_y - y) > n.r + 30)) return { x, y };
    }
  }
  throw new Error('no empty canvas');
}

/** Clicks a node on the canvas and picks an action from its menu. */
async function nodeAction(page, id, act) {
  const n = node(await state(page), id);
  await page.mouse.click(n.client_x, n.client_y);
  await page.waitForSelector('#node-menu:not([hidden])');
  await page.click(`#node-menu button[data-act="${act}"]`);
}

/** Whether the canvas shows the focus halo (the soft yellow underlay) around node n: most of a ring of samples between the election timer and the halo's edge. */
async function haloAround(page, n) {
  return page.evaluate(({ x, y, r }) => {
    const c = document.getElementById('view');
    const k = c.width / c.clientWidth;
    const g = c.getContext('2d');
    let yellow = 0;
    // 16 directions; the halo's distance from the centre depends on the
    // node's drawn size, so each direction looks from r + 2 to r + 14 px.
    for (let i = 0; i < 16; i++) {
      const a = (i / 16) * 2 * Math.PI;
      const hit = [2, 4, 6, 8, 10, 12, 14].some((dr) => {
        const d = r + dr;
        const p = g.getImageData(Math.round((x + d * Math.cos(a)) * k), Math.round((y + d * Math.sin(a)) * k), 1, 1).data;
        return p[0] > 200 && p[1] > 190 && p[2] < 170;
      });
      if (hit) yellow++;
    }
    return yellow >= 10;
  }, n);
}

/** Whether a name tag (a white pill with a dark border) sits at node n's top right. */
async function tagBeside(page, n) {
  return page.evaluate(({ x, y, r }) => {
    const c = document.getElementById('view');
    const k = c.width / c.clientWidth;
    const g = c.getContext('2d');
    const px = (dx, dy) => g.getImageData(Math.round((x + dx) * k), Math.round((y + dy) * k), 1, 1).data;
    const top = px(r * 0.78, -r * 0.92 - 9);
    const dark = top[0] < 90 && top[1] < 90 && top[2] < 90;
    const inside = px(r * 0.78 - 3, -r * 0.92 + 6);
    return dark && inside[0] > 240 && inside[1] > 240 && inside[2] > 240;
  }, n);
}

export const tests = [
  {
    name: 'page loads without console errors and a leader is elected',
    async run({ open, shot }) {
      const { page, errors } = await open('?speed=1');
      await ready(page);
      assert.equal(await page.isVisible('#loading'), false, 'the loading message is replaced by the app');
      await waitLeader(page);
      await page.evaluate(() => window.raftlab.act('request "set a=5"'));
      await waitFor(page, () => window.raftlab.state().nodes.every((n) => n.kv.a === '5'));
      await page.evaluate(() => { window.raftlab.pause(); window.raftlab.speed(0.05); });
      await page.evaluate(() => window.raftlab.act('request "set b=7"'));
      await page.evaluate(() => window.raftlab.play());
      await waitFor(page, () => window.raftlab.state().messages.some((m) => m.type === 'AppendEntries'));
      await page.evaluate(() => window.raftlab.pause());
      const s = await state(page);
      assert.equal(s.nodes.length, 5);
      assert.equal(node(s, s.leader).role, 'leader');
      const legend = await page.locator('#legend li').count();
      assert.ok(legend >= 10, 'legend lists every message kind');
      await shot(page, 'load');
      assert.deepEqual(errors, []);
    },
  },
  {
    name: 'clicking a node and choosing crash crashes it, and a new leader follows',
    async run({ open, shot }) {
      const { page, errors } = await open('?speed=1');
      await ready(page);
      await waitLeader(page);
      await page.evaluate(() => window.raftlab.pause());
      const old = (await state(page)).leader;
      await nodeAction(page, old, 'crash');
      let s = await state(page);
      assert.equal(node(s, old).up, false, 'state() confirms the crash');
      assert.equal(node(s, old).role, null);
      await page.evaluate(() => window.raftlab.play());
      await waitLeader(page, old);
      s = await state(page);
      assert.notEqual(s.leader, old);
      assert.ok(node(s, s.leader).term > node(s, old).term, 'the new leader has a higher term');
      await page.evaluate(() => window.raftlab.pause());
      await shot(page, 'crash');
      assert.deepEqual(errors, []);
    },
  },
  {
    name: 'a partition made through the UI leaves the minority leader unable to commit',
    async run({ open, shot }) {
      const { page, errors } = await open('?speed=1');
      await ready(page);
      await waitLeader(page);
      await page.evaluate(() => window.raftlab.pause());
      let s = await state(page);
      const old = s.leader;
      const buddy = s.nodes.map((n) => n.id).find((id) => id !== old);
      // Partition mode: click the leader and one more node into group B.
      await page.click('#btn-partition');
      await page.waitForSelector('#partition-bar:not([hidden])');
      for (const id of [old, buddy]) {
        const n = node(s, id);
        await page.mouse.click(n.client_x, n.client_y);
      }
      await page.click('#btn-partition-apply');
      s = await state(page);
      assert.equal(s.network.groups.length, 2, 'two groups');
      assert.ok(s.network.groups.some((g) => g.length === 2 && g.includes(old) && g.includes(buddy)));
      // A client request to the old leader, through its menu.
      await nodeAction(page, old, 'request');
      s = await state(page);
      const last = node(s, old).log.at(-1).index;
      const commitBefore = node(s, old).commit;
      assert.ok(last > commitBefore, 'the request is appended, not yet committed');
      await page.evaluate(() => window.raftlab.play());
      await waitLeader(page, old);
      await page.evaluate(() => window.raftlab.act('request "set c=8"'));
      await waitFor(page, () => {
        const s = window.raftlab.state();
        const l = s.nodes.find((n) => n.id === s.leader);
        return l && l.kv.c === '8';
      });
      await page.evaluate(() => window.raftlab.pause());
      s = await state(page);
      assert.equal(node(s, old).role, 'leader', 'the minority leader still believes it leads');
      assert.ok(node(s, old).commit < last, `minority leader committed ${node(s, old).commit} >= ${last}`);
      assert.notEqual(s.leader, old, 'the majority elected a newer leader');
      await shot(page, 'partition');
      assert.deepEqual(errors, []);
    },
  },
  {
    name: 'a share link restores the same run at the same moment',
    async run({ open, shot }) {
      const { page, errors } = await open('?speed=2');
      await ready(page);
      await waitLeader(page);
      await page.evaluate(() => window.raftlab.act('request "set a=5"'));
      await page.evaluate(() => window.raftlab.act('crash 2'));
      await waitFor(page, () => window.raftlab.state().time > 1.5);
      await page.evaluate(() => window.raftlab.pause());
      const s1 = await state(page);
      const link = await page.evaluate(() => window.raftlab.link());
      assert.match(link, /#1\./);
      const hash = link.slice(link.indexOf('#'));
      const { page: p2, errors: e2 } = await open(hash);
      await ready(p2);
      const s2 = await state(p2);
      assert.equal(s2.time_us, s1.time_us);
      assert.equal(s2.playing, false, 'a link opens paused at its moment');
      const pick = (s) => s.nodes.map((n) => ({ id: n.id, up: n.up, role: n.role, term: n.term, commit: n.commit, log: n.log }));
      assert.deepEqual(pick(s2), pick(s1));
      assert.deepEqual(s2.messages.map((m) => m.id), s1.messages.map((m) => m.id));
      await shot(p2, 'share-restored');
      assert.deepEqual([...errors, ...e2], []);
    },
  },
  {
    name: 'embed mode renders compactly and switching language changes the text',
    async run({ open, shot }) {
      const { page, errors } = await open('?embed&lang=zh&speed=1');
      await ready(page);
      await page.setViewportSize({ width: 640, height: 400 });
      await waitLeader(page);
      assert.equal(await page.isVisible('#side'), false, 'no side panels in embed mode');
      assert.equal(await page.isVisible('#btn-settings'), false);
      for (const id of ['#view', '#btn-play', '#btn-step', '#btn-reset', '#timeline']) {
        assert.ok(await page.isVisible(id), `${id} visible in embed mode`);
      }
      assert.equal(await page.textContent('#btn-step'), '单步');
      const box = await page.locator('#view').boundingBox();
      assert.ok(box.width > 500 && box.height > 200, `canvas fills the frame: ${JSON.stringify(box)}`);
      assert.equal(await page.evaluate(() => document.scrollingElement.scrollHeight <= innerHeight), true, 'fits without scrolling');
      await page.evaluate(() => window.raftlab.pause());
      await shot(page, 'embed-zh');
      // "Open in Raftlab" opens the full app on this run and moment, still in Chinese.
      const full = await page.evaluate(() => {
        const a = document.getElementById('open-full');
        a.addEventListener('click', (e) => e.preventDefault(), { once: true });
        a.click();
        return a.href;
      });
      assert.match(full, /\/course\/raftlab\/\?lang=zh&speed=1&scenario=.+&t=.+&autoplay=0$/);
      assert.doesNotMatch(full, /embed/);

      // Full app: switch language with the selector; the choice is remembered.
      const { page: p2, errors: e2 } = await open('?speed=1');
      await ready(p2);
      assert.equal(await p2.textContent('#btn-settings'), 'Settings');
      await p2.selectOption('#lang', 'zh');
      assert.equal(await p2.textContent('#btn-settings'), '设置');
      assert.equal(await p2.getAttribute('html', 'lang'), 'zh-CN');
      await p2.reload();
      await ready(p2);
      assert.equal(await p2.textContent('#btn-settings'), '设置', 'language remembered');
      await waitLeader(p2);
      await p2.evaluate(() => window.raftlab.pause());
      await shot(p2, 'full-zh');
      await p2.selectOption('#lang', 'en');
      assert.equal(await p2.textContent('#btn-settings'), 'Settings');
      assert.deepEqual([...errors, ...e2], []);
    },
  },
  {
    name: 'a Chinese page shows no English words beyond the paper\'s names, in every panel a student opens',
    async run({ open }) {
      const { leaks, errors } = await englishOnChinesePage(open);
      assert.deepEqual(leaks, {}, `English on the Chinese page: ${JSON.stringify(leaks)}`);
      assert.deepEqual(errors, []);
    },
  },
  {
    name: 'a bad link shows a readable error and the default cluster',
    async run({ open, shot }) {
      const { page, errors } = await open('#1.this-is-not-a-real-link');
      await ready(page);
      assert.ok(await page.isVisible('#banner'));
      const text = await page.textContent('#banner-text');
      assert.match(text, /could not be opened/);
      assert.match(text, /default cluster/);
      const s = await state(page);
      assert.equal(s.nodes.length, 5);
      await shot(page, 'bad-link');
      const { page: p2 } = await open('?scenario=nodes%2099');
      await ready(p2);
      assert.match(await p2.textContent('#banner-text'), /scenario could not be read/);
      assert.deepEqual(errors, []);
    },
  },
  {
    name: 'a browser without Compression Streams says it cannot open or make links, and still runs',
    async run({ open, base, context, shot }) {
      const { page: p1 } = await open('?speed=1');
      await ready(p1);
      const link = await p1.evaluate(() => window.raftlab.link());
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.addInitScript(() => { delete window.CompressionStream; delete window.DecompressionStream; });
      await page.goto(base + link.slice(link.indexOf('#')));
      await ready(page);
      assert.match(await page.textContent('#banner-text'), /could not be opened: this browser cannot compress or decompress links.*default cluster/s);
      assert.equal((await state(page)).nodes.length, 5);
      await page.click('#btn-share');
      await waitFor(page, () => /share link could not be made: this browser cannot/.test(document.getElementById('banner-text').textContent));
      const rejected = await page.evaluate(() => window.raftlab.link().then(() => 'resolved', (e) => 'rejected: ' + e.message));
      assert.match(rejected, /^rejected: /);
      await shot(page, 'no-compression-streams');
      assert.deepEqual(errors, []);
    },
  },
  {
    name: 'the wasm trace hash of a fixed scenario equals the native one',
    async run({ open }) {
      const scenario = 'nodes 5\nseed 42\nat 1s crash 1\nat 2s request "set a=5"\nat 3s partition 1 2 | 3 4 5\nat 5s heal\nat 6s restart 1\n';
      const file = path.join(os.tmpdir(), 'raftlab-hash-test.txt');
      fs.writeFileSync(file, scenario);
      // `cargo run` rebuilds the CLI if needed (never a stale binary) and
      // honours CARGO_TARGET_DIR.
      const native = execFileSync('cargo', ['run', '-q', '-p', 'cli', '--', 'hash', file, '--until', '8s'],
        { cwd: ROOT, encoding: 'utf8' }).trim();
      const { page, errors } = await open('?autoplay=0&scenario=' + encodeURIComponent(scenario));
      await ready(page);
      const wasm = await page.evaluate(() => { window.raftlab.seek(8); return window.raftlab.traceHash(); });
      assert.match(native, /^[0-9a-f]{16}$/);
      assert.equal(wasm, native, 'the same scenario gives the same trace in wasm and natively');
      assert.deepEqual(errors, []);
    },
  },
  {
    name: 'phone viewport: readable, no horizontal scrolling, nodes tappable',
    async run({ open, shot }) {
      const { page, errors } = await open('?speed=1');
      await page.setViewportSize({ width: 390, height: 844 });
      await ready(page);
      await waitLeader(page);
      await page.evaluate(() => window.raftlab.act('request "set a=1"'));
      await waitFor(page, () => window.raftlab.state().nodes.every((n) => n.commit >= 2));
      await page.evaluate(() => window.raftlab.pause());
      assert.equal(await page.evaluate(() => document.scrollingElement.scrollWidth <= 390), true, 'no horizontal scroll');
      const s = await state(page);
      for (const n of s.nodes) {
        assert.ok(n.x - n.r >= 0 && n.x + n.r <= s.canvas.width, `node ${n.id} inside the canvas`);
      }
      assert.ok(s.nodes[0].r >= 16, 'nodes are big enough to tap');
      await nodeAction(page, 3, 'timeout');
      await shot(page, 'phone');
      assert.deepEqual(errors, []);
    },
  },
  // ----- issue 15: touch and small screens -----
  {
    name: 'phone toolbar: fits at 390 px with no sideways scroll; the More menu opens, its items work, Escape and a click outside close it; keys still work (screenshots)',
    async run({ open, shot }) {
      const { page, errors } = await open('?speed=1&lang=en');
      await page.setViewportSize({ width: 390, height: 844 });
      await ready(page);
      const fits = () => page.evaluate(() => {
        const t = document.querySelector('.toolbar');
        return document.scrollingElement.scrollWidth <= 390 && t.scrollWidth <= t.clientWidth + 1
          && document.getElementById('topbar').getBoundingClientRect().height <= 60;
      });
      assert.equal(await fits(), true, 'one row, nothing beyond the screen');
      for (const id of ['#btn-play', '#btn-step', '#btn-more']) assert.ok(await page.isVisible(id), id);
      assert.equal(await page.isVisible('#btn-settings'), false, 'Settings is in the menu');
      assert.equal(await page.getAttribute('#btn-more', 'aria-expanded'), 'false');
      await page.click('#btn-more');
      assert.equal(await page.getAttribute('#btn-more', 'aria-expanded'), 'true');
      for (const id of ['#btn-settings', '#btn-share', '#btn-request', '#btn-reset', '#lang', '#btn-lessons']) {
        assert.ok(await page.isVisible(id), `${id} in the open menu`);
      }
      assert.equal(await fits(), true, 'the open menu does not widen the page');
      assert.equal(await page.evaluate(() => !!document.activeElement.closest('.toolbar')), true, 'focus moves into the menu');
      // The menu lies over the page: the canvas has not moved.
      const canvasTop = await page.evaluate(() => document.getElementById('view').getBoundingClientRect().top);
      await shot(page, 'phone-menu');
      await page.keyboard.press('Escape');
      assert.equal(await page.getAttribute('#btn-more', 'aria-expanded'), 'false');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'btn-more', 'Escape gives the focus back');
      assert.equal(await page.isVisible('#btn-settings'), false);
      // A menu item acts, and closes the menu.
      await page.click('#btn-more');
      await page.click('#btn-settings');
      await page.waitForSelector('#settings-dialog:not([hidden])');
      assert.equal(await page.getAttribute('#btn-more', 'aria-expanded'), 'false');
      await page.keyboard.press('Escape');
      await page.waitForSelector('#settings-dialog', { state: 'hidden' });
      await page.click('#btn-more');
      await page.selectOption('#lang', 'zh');
      await waitFor(page, () => document.getElementById('btn-more').textContent === '更多');
      assert.equal(await page.getAttribute('#btn-more', 'aria-expanded'), 'true', 'a select keeps the menu open');
      await shot(page, 'phone-menu-zh');
      await page.mouse.click(200, 500);
      assert.equal(await page.getAttribute('#btn-more', 'aria-expanded'), 'false', 'a click outside closes it');
      assert.equal(await page.evaluate(() => document.getElementById('view').getBoundingClientRect().top), canvasTop);
      // Keyboard shortcuts still work.
      const playing = (await state(page)).playing;
      await page.keyboard.press('Space');
      await waitFor(page, (was) => window.raftlab.state().playing !== was, playing);
      assert.deepEqual(errors, []);
    },
  },
  {
    name: 'phone lesson: the narration, the canvas with its log grid and Next are on screen together, in English and Chinese; a notice does not move the canvas (screenshots)',
    async run({ open, shot }) {
      for (const lang of ['en', 'zh']) {
        const { page, errors } = await open(`?lesson=03-log-replication&lang=${lang}`);
        await page.setViewportSize({ width: 390, height: 844 });
        await started(page);
        await waitStepTicked(page, 0);
        const boxes = () => page.evaluate(() => Object.fromEntries(['lesson-text', 'lesson-next', 'lesson-back', 'view', 'timeline', 'topbar']
          .map((id) => [id, document.getElementById(id).getBoundingClientRect().toJSON()])));
        const b = await boxes();
        for (const [id, r] of Object.entries(b)) {
          assert.ok(r.top >= 0 && r.bottom <= 844 + 0.5 && r.left >= 0 && r.right <= 390.5 && r.height > 0, `${lang}: ${id} on screen: ${JSON.stringify(r)}`);
        }
        assert.ok(b.view.height >= 380, `${lang}: the canvas keeps room: ${b.view.height}`);
        // The log grid is on the canvas, below the ring: every row is inside it.
        const s = await state(page);
        assert.ok(s.nodes.every((n) => n.y + n.r < s.canvas.height), 'the ring is on the canvas');
        assert.equal(await page.evaluate(() => document.scrollingElement.scrollWidth <= 390), true);
        await shot(page, `phone-lesson-${lang}`);
        // "You changed the run" appears in the narration's own space.
        await page.evaluate(() => window.raftlab.act('crash 1'));
        await waitFor(page, () => !document.querySelector('#lesson-changed').hidden);
        const after = await boxes();
        assert.deepEqual(after.view, b.view, `${lang}: the notice does not push the canvas`);
        assert.ok(after['lesson-next'].top >= 0 && after['lesson-next'].bottom <= after.view.top, 'Next stays');
        await shot(page, `phone-lesson-changed-${lang}`);
        assert.deepEqual(errors, []);
        await page.close();
      }
    },
  },
  {
    name: 'tablet 768×1024 upright: the toolbar is one row, the side panels are below the canvas, not beside it (screenshots)',
    async run({ open, shot }) {
      const { page, errors } = await open('?lesson=03-log-replication&lang=en');
      await page.setViewportSize({ width: 768, height: 1024 });
      await started(page);
      await waitStepTicked(page, 0);
      const r = await page.evaluate(() => {
        const box = (id) => document.getElementById(id).getBoundingClientRect();
        return { top: box('topbar').height, view: box('view').toJSON(), side: box('side').toJSON(), next: box('lesson-next').toJSON(),
          wide: document.scrollingElement.scrollWidth };
      });
      assert.ok(r.top <= 60, `one toolbar row: ${r.top}`);
      assert.ok(r.wide <= 768, 'no sideways scroll');
      assert.ok(r.view.width >= 740, `the canvas has the width: ${r.view.width}`);
      assert.ok(r.side.top >= r.view.bottom, 'the panels stack below');
      assert.ok(r.next.bottom <= 1024 && r.view.bottom <= 1024);
      await shot(page, 'tablet-lesson');
      await page.click('#btn-more');
      await shot(page, 'tablet-menu');
      assert.deepEqual(errors, []);
    },
  },
  {
    name: 'dragging a server with the mouse: it stays where dropped, a click on it still opens its menu, a double-click on empty canvas puts it back; the run and its link do not change (screenshot)',
    async run({ open, shot }) {
      const { page, errors } = await open('?speed=1&lang=en');
      await page.setViewportSize({ width: 1280, height: 800 });
      await ready(page);
      await waitLeader(page);
      await page.evaluate(() => window.raftlab.pause());
      const before = await state(page);
      const scenario = await page.evaluate(() => window.raftlab.scenario());
      const n = node(before, 2);
      await page.mouse.move(n.client_x, n.client_y);
      await page.mouse.down();
      for (let k = 1; k <= 5; k++) await page.mouse.move(n.client_x - 24 * k, n.client_y + 18 * k);
      await page.mouse.up();
      let s = await state(page);
      assert.ok(Math.abs(node(s, 2).x - (n.x - 120)) < 1.5 && Math.abs(node(s, 2).y - (n.y + 90)) < 1.5, `moved: ${JSON.stringify(node(s, 2))}`);
      assert.equal(await page.isVisible('#node-menu'), false, 'a drag is no click');
      for (const id of [1, 3, 4, 5]) assert.deepEqual([node(s, id).x, node(s, id).y], [node(before, id).x, node(before, id).y]);
      await shot(page, 'dragged');
      await page.mouse.click(node(s, 2).client_x, node(s, 2).client_y);
      await page.waitForSelector('#node-menu:not([hidden])');
      assert.match(await page.textContent('#node-menu-title'), /^S2 /);
      await page.keyboard.press('Escape');
      assert.equal(await page.evaluate(() => window.raftlab.scenario()), scenario, 'the layout is not part of the run');
      // Empty canvas: the middle of the ring.
      const mid = { x: (node(s, 1).client_x + node(s, 4).client_x) / 2, y: (node(s, 1).client_y + node(s, 4).client_y) / 2 + 30 };
      await page.mouse.dblclick(mid.x, mid.y);
      s = await state(page);
      assert.deepEqual([node(s, 2).x, node(s, 2).y], [n.x, n.y], 'a double-click resets the layout');
      assert.deepEqual(errors, []);
    },
  },
  {
    name: 'touch on a phone: pinch zooms around the pinch, a tap on a zoomed server opens its menu, a finger drags a server, a double-tap resets (screenshot)',
    async run({ open, shot }) {
      const { page, errors } = await open('?speed=1&lang=en');
      await page.setViewportSize({ width: 390, height: 844 });
      await ready(page);
      await waitLeader(page);
      await page.evaluate(() => window.raftlab.pause());
      const cdp = await page.context().newCDPSession(page);
      const touch = (type, points) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints: points.map(([x, y], id) => ({ x, y, id })) });
      const before = await state(page);
      const box = await page.locator('#view').boundingBox();
      const c = { x: box.x + box.width / 2, y: box.y + box.height * 0.3 };
      await touch('touchStart', [[c.x - 40, c.y], [c.x + 40, c.y]]);
      for (let k = 1; k <= 6; k++) await touch('touchMove', [[c.x - 40 - 10 * k, c.y], [c.x + 40 + 10 * k, c.y]]);
      await touch('touchEnd', []);
      let s = await state(page);
      assert.ok(s.canvas.zoom > 2.2 && s.canvas.zoom < 2.6, `zoom ${s.canvas.zoom}`);
      assert.ok(Math.abs(node(s, 1).r - node(before, 1).r * s.canvas.zoom) < 0.01, 'nodes are drawn zoomed');
      await shot(page, 'phone-zoomed');
      // A server still on screen, tapped where state() says it is drawn.
      const on = s.nodes.find((n) => n.client_y > box.y + 30 && n.client_y < box.y + box.height - 30 && n.client_x > 30 && n.client_x < 360);
      assert.ok(on, 'a server in view');
      await touch('touchStart', [[on.client_x, on.client_y]]);
      await touch('touchEnd', []);
      await page.waitForSelector('#node-menu:not([hidden])');
      assert.match(await page.textContent('#node-menu-title'), new RegExp(`^S${on.id} `));
      await page.keyboard.press('Escape');
      // A finger drags it.
      await touch('touchStart', [[on.client_x, on.client_y]]);
      for (let k = 1; k <= 4; k++) await touch('touchMove', [[on.client_x, on.client_y + 10 * k]]);
      await touch('touchEnd', []);
      s = await state(page);
      assert.ok(Math.abs(node(s, on.id).client_y - (on.client_y + 40)) < 1.5, 'dragged by a finger');
      // Double-tap on empty canvas (away from every zoomed server): no
      // zoom, the layout as it was.
      const empty = emptyCanvasPoint(s, box);
      for (let k = 0; k < 2; k++) { await touch('touchStart', [[empty.x, empty.y]]); await touch('touchEnd', []); }
      s = await state(page);
      assert.equal(s.canvas.zoom, 1);
      assert.deepEqual(s.nodes.map((n) => [n.x, n.y]), before.nodes.map((n) => [n.x, n.y]));
      assert.deepEqual(errors, []);
    },
  },
  {
    name: 'touch targets: with a coarse pointer every control shown is at least 44 px each way, on a phone (menu open, a lesson, a node menu) and a tablet',
    async run({ open }) {
      const small = (page) => page.evaluate(() => [...document.querySelectorAll('button, select')]
        .filter((e) => !e.closest('[hidden]') && e.getBoundingClientRect().width > 0 && getComputedStyle(e).visibility !== 'hidden')
        .map((e) => [e.id || e.dataset.act || e.textContent.trim().slice(0, 20), e.getBoundingClientRect()])
        .filter(([, r]) => r.width < 43.5 || r.height < 43.5)
        .map(([n, r]) => `${n} ${Math.round(r.width)}×${Math.round(r.height)}`));
      for (const [w, h] of [[390, 844], [768, 1024]]) {
        const { page, errors } = await open('?lesson=03-log-replication&lang=en');
        const cdp = await page.context().newCDPSession(page);
        await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 5 });
        await page.setViewportSize({ width: w, height: h });
        await started(page);
        await waitStepTicked(page, 0);
        assert.equal(await page.evaluate(() => matchMedia('(pointer: coarse)').matches), true);
        assert.deepEqual(await small(page), [], `${w}×${h}, a lesson`);
        await page.click('#btn-more');
        assert.deepEqual(await small(page), [], `${w}×${h}, the More menu`);
        await page.keyboard.press('Escape');
        const n = node(await state(page), 2);
        await page.mouse.click(n.client_x, n.client_y);
        await page.waitForSelector('#node-menu:not([hidden])');
        assert.deepEqual(await small(page), [], `${w}×${h}, a node's menu`);
        assert.deepEqual(errors, []);
        await page.close();
      }
    },
  },
  {
    name: 'clicking a message shows its fields and can drop it',
    async run({ open, shot }) {
      const { page, errors } = await open('?speed=0.2');
      await ready(page);
      await waitLeader(page);
      await waitFor(page, () => window.raftlab.state().messages.some((m) => m.deliver_us - window.raftlab.state().time_us > 5000));
      await page.evaluate(() => window.raftlab.pause());
      let s = await state(page);
      const m = s.messages.find((m) => m.deliver_us - s.time_us > 5000);
      await page.mouse.click(m.client_x, m.client_y);
      await page.waitForSelector('#msg-popup:not([hidden])');
      const title = await page.textContent('#msg-title');
      assert.ok(title.includes(`#${m.id}`) || (await page.textContent('#msg-fields')).length > 0);
      await shot(page, 'message');
      const id = Number(title.match(/#(\d+)/)[1]);
      await page.click('#btn-drop');
      s = await state(page);
      assert.ok(!s.messages.some((x) => x.id === id), 'the message is gone');
      assert.match(await page.evaluate(() => window.raftlab.trace()), new RegExp(`"ev":"drop","id":${id},[^\\n]*"reason":"user"`));
      assert.deepEqual(errors, []);
    },
  },
  {
    name: 'clicking a link cuts it and clicking again restores it',
    async run({ open, shot }) {
      const { page, errors } = await open('?speed=1');
      await ready(page);
      await waitLeader(page);
      await page.evaluate(() => window.raftlab.pause());
      const s = await state(page);
      // Between nodes 1 and 3 (not neighbours): a point a third of the way.
      const [a, b] = [node(s, 1), node(s, 3)];
      const at = { x: a.client_x + (b.client_x - a.client_x) * 0.4, y: a.client_y + (b.client_y - a.client_y) * 0.4 };
      // Messages can sit on the line: move on until none is near.
      for (let i = 0; i < 20; i++) {
        const near = (await state(page)).messages.some((m) => Math.hypot(m.client_x - at.x, m.client_y - at.y) < 16);
        if (!near) break;
        await page.evaluate(() => window.raftlab.seek(window.raftlab.state().time + 0.013));
      }
      await page.mouse.click(at.x, at.y);
      let cuts = (await state(page)).network.cuts;
      assert.deepEqual(cuts.map(String).sort(), ['1,3', '3,1']);
      await shot(page, 'cut');
      await page.mouse.click(at.x, at.y);
      cuts = (await state(page)).network.cuts;
      assert.deepEqual(cuts, []);
      assert.deepEqual(errors, []);
    },
  },
  {
    name: 'timeline drag travels in time and acting in the past forks',
    async run({ open, shot }) {
      const { page, errors } = await open('?speed=5');
      await ready(page);
      await waitFor(page, () => window.raftlab.state().time > 3);
      await page.evaluate(() => window.raftlab.pause());
      const before = await state(page);
      const box = await page.locator('#timeline').boundingBox();
      const y = box.y + box.height / 2;
      await page.mouse.move(box.x + box.width * 0.1, y);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.05, y, { steps: 3 });
      await page.mouse.up();
      const past = await state(page);
      assert.ok(past.time < before.time, `went back: ${past.time} < ${before.time}`);
      assert.ok(past.known_us > past.time_us + 1e6, 'the future is still known');
      assert.match(await page.textContent('#time-note'), /past|过去/);
      await shot(page, 'timeline-past');
      await page.evaluate(() => window.raftlab.act('crash 1'));
      const forked = await state(page);
      assert.ok(forked.known_us < past.time_us + 1e5, `acting in the past dropped the old future: ${forked.known_us}`);
      // The event log: click an entry to seek to it.
      await page.click('#event-log li:last-child');
      const t = Number(await page.getAttribute('#event-log li:last-child', 'data-t'));
      assert.equal((await state(page)).time_us, t);
      assert.deepEqual(errors, []);
    },
  },
  {
    name: 'keyboard: help overlay, play/pause, step and node shortcuts',
    async run({ open }) {
      const { page, errors } = await open('?speed=1');
      await ready(page);
      await page.focus('#view');
      await page.keyboard.press('?');
      assert.ok(await page.isVisible('#help-dialog'));
      assert.ok((await page.locator('#help-keys tr').count()) >= 10);
      await page.keyboard.press('Escape');
      assert.equal(await page.isVisible('#help-dialog'), false);
      await page.keyboard.press(' ');
      assert.equal((await state(page)).playing, false);
      const t0 = (await state(page)).time_us;
      await page.keyboard.press('s');
      assert.ok((await state(page)).time_us > t0, 'step advanced to the next event');
      await page.keyboard.press('2');
      await page.keyboard.press('c');
      assert.equal(node(await state(page), 2).up, false, 'C crashed the selected node');
      await page.keyboard.press('c');
      assert.equal(node(await state(page), 2).up, true, 'C again restarts it');
      assert.deepEqual(errors, []);
    },
  },
  {
    name: 'keyboard: X then a number cuts and restores a link; [ and ] open the messages in flight in arrival order, and Enter drops one',
    async run({ open, shot }) {
      const { page, errors } = await open('?speed=1&lang=en');
      await ready(page);
      await waitLeader(page);
      await page.evaluate(() => window.raftlab.pause());
      await page.focus('#view');
      assert.equal((await state(page)).selected, null, 'nothing selected yet');
      await page.keyboard.press('x');
      const banner = (re) => waitFor(page, (src) => new RegExp(src).test(document.getElementById('banner-text').textContent), re.source);
      await banner(/Select a server first/); // X with nothing selected says what to do
      await page.keyboard.press('1');
      await page.keyboard.press('x');
      await banner(/S1's link/);
      await page.keyboard.press('3');
      assert.deepEqual((await state(page)).network.cuts.map(String).sort(), ['1,3', '3,1']);
      assert.equal((await state(page)).selected, 1, 'the number was the link\'s other end, not a new selection');
      await page.keyboard.press('x');
      await page.keyboard.press('3');
      assert.deepEqual((await state(page)).network.cuts, [], 'X and the same number restore it');
      // Messages: step until some are in flight.
      await waitFor(page, () => { window.raftlab.step(); return window.raftlab.state().messages.length >= 2; });
      const arrival = (await state(page)).messages.slice().sort((a, b) => a.deliver_us - b.deliver_us || a.id - b.id).map((m) => m.id);
      await page.focus('#view');
      await page.keyboard.press(']');
      assert.ok(await page.isVisible('#msg-popup'), '] opens a message');
      assert.match(await page.textContent('#msg-title'), new RegExp(`^#${arrival[0]} `), 'the first to arrive');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'btn-drop', 'its Drop button has the focus');
      await page.keyboard.press('Escape');
      await page.focus('#view');
      await page.keyboard.press(']');
      await page.keyboard.press(']');
      assert.match(await page.textContent('#msg-title'), new RegExp(`^#${arrival[1]} `), 'then the next');
      await page.keyboard.press('[');
      assert.match(await page.textContent('#msg-title'), new RegExp(`^#${arrival[0]} `), '[ goes back');
      await shot(page, 'keyboard-message');
      await page.keyboard.press('Enter');
      assert.ok(!(await state(page)).messages.some((m) => m.id === arrival[0]), 'Enter on Drop dropped it');
      assert.deepEqual(errors, []);
    },
  },
  {
    name: 'unsafe switches need a confirmation; settings start a new run',
    async run({ open, shot }) {
      const { page, errors } = await open('?speed=1');
      await ready(page);
      await page.click('#btn-settings');
      await page.waitForSelector('#settings-dialog:not([hidden])');
      await page.click('#sw-vote-without-log-check');
      assert.ok(await page.isVisible('#confirm-dialog'), 'asks first');
      assert.equal((await state(page)).settings.unsafe_switches.vote_without_log_check, false);
      await shot(page, 'unsafe-confirm');
      await page.click('#btn-confirm-yes');
      assert.equal((await state(page)).settings.unsafe_switches.vote_without_log_check, true);
      assert.match(await page.evaluate(() => window.raftlab.scenario()), /unsafe vote-without-log-check on/);
      await page.click('#sw-prevote');
      assert.equal((await state(page)).settings.pre_vote, true);
      await page.selectOption('#set-nodes', '7');
      await page.click('#btn-settings-apply');
      const s = await state(page);
      assert.equal(s.nodes.length, 7);
      assert.equal(s.time_us < 200000, true, 'a new run');
      assert.deepEqual(errors, []);
    },
  },
  {
    name: 'postMessage API answers an embedding page',
    async run({ open }) {
      const { page, errors } = await open('?speed=1');
      await ready(page);
      const reply = await page.evaluate(() => new Promise((resolve) => {
        const got = [];
        window.addEventListener('message', (e) => {
          if (e.data && e.data.raftlab === 'reply') { got.push(e.data); if (got.length === 3) resolve(got); }
        });
        window.postMessage({ raftlab: 'act', arg: 'crash 4', id: 1 }, '*');
        window.postMessage({ raftlab: 'state', id: 2 }, '*');
        window.postMessage({ raftlab: 'act', arg: 'bogus 1', id: 3 }, '*');
      }));
      const byId = Object.fromEntries(reply.map((r) => [r.id, r]));
      assert.equal(byId[1].ok, true);
      assert.equal(byId[2].value.nodes.find((n) => n.id === 4).up, false);
      assert.equal(byId[3].ok, false);
      assert.match(byId[3].error, /line 1/);
      assert.deepEqual(errors, []);
    },
  },
  {
    name: 'a panic shows the overlay with a bug report that carries the link',
    async run({ open, shot }) {
      const { page } = await open('?speed=1');
      await ready(page);
      await waitFor(page, () => window.raftlab.state().time > 1);
      await page.evaluate(() => window.raftlab.pause());
      const s1 = await state(page);
      await page.evaluate(() => { try { window.raftlab.debugPanic(); } catch (e) { /* the trap */ } });
      await page.waitForSelector('#panic-overlay:not([hidden])');
      const report = await page.textContent('#panic-text');
      assert.match(report, /debugPanic/);
      // The run as a plain link (made without the browser's compressor: the
      // wasm must not run after a panic), and it reopens the same moment.
      const link = (report.match(/link: (\S+)/) || [])[1] || '';
      assert.match(link, /\?speed=1&scenario=.+&t=.+&autoplay=0$/, 'the report includes a link to the run, keeping the page\'s other parameters');
      await shot(page, 'panic');
      const { page: p2 } = await open(link.slice(link.indexOf('?')));
      await ready(p2);
      const s2 = await state(p2);
      assert.equal(s2.time_us, s1.time_us, 'the link reopens the moment of the panic');
      assert.equal(s2.playing, false);
      assert.deepEqual(s2.nodes.map((n) => [n.id, n.role, n.term, n.commit]), s1.nodes.map((n) => [n.id, n.role, n.term, n.commit]));
    },
  },
  // ----- lessons (issue 6) -----
  {
    name: 'lessons: the lesson list is the first thing a new visitor sees, in both languages',
    async run({ open, shot }) {
      const { page, errors } = await open('?lang=en');
      await started(page);
      assert.ok(await page.isVisible('#lesson-list'), 'the list shows on a plain visit');
      assert.equal(await page.locator('#lesson-items li').count(), 11);
      assert.match(await page.textContent('#lesson-items li:first-child'), /Roles and the first election/);
      assert.equal(await page.locator('#lesson-items .badge').count(), 3, 'lessons 07, 08, 10 are marked as teaching switches');
      // The cluster keeps running behind the list.
      const t0 = (await state(page)).time_us;
      await waitFor(page, (t0) => window.raftlab.state().time_us > t0 + 20000, t0);
      await shot(page, 'lessons-list-en');
      await page.selectOption('#lang', 'zh');
      assert.match(await page.textContent('#lesson-items li:first-child'), /角色与第一次选举/);
      assert.equal(await page.textContent('#lesson-free'), '自由探索');
      await shot(page, 'lessons-list-zh');
      await page.selectOption('#lang', 'en');
      // Free play dismisses it; the toolbar brings it back.
      await page.click('#lesson-free');
      assert.equal(await page.isVisible('#lesson-list'), false);
      await page.click('#btn-lessons');
      assert.ok(await page.isVisible('#lesson-list'));
      // A link to a run does not hide the run behind the list.
      const { page: p2 } = await open('?scenario=' + encodeURIComponent('nodes 3\n'));
      await started(p2);
      assert.equal(await p2.isVisible('#lesson-list'), false);
      assert.deepEqual(errors, []);
    },
  },
  {
    name: 'lessons: the files are fetched next to the page; a missing one is named, and opening the list again retries',
    async run({ open, context, shot }) {
      const missing = '**/lessons/03-log-replication.lesson';
      await context.route(missing, (r) => r.fulfill({ status: 404, body: 'gone' }));
      try {
        const { page } = await open('?lang=en');
        await started(page);
        await page.waitForSelector('#lesson-list-status:has-text("03-log-replication")');
        assert.match(await page.textContent('#lesson-list-status'), /could not be loaded: 03-log-replication: the server answered 404/);
        assert.equal(await page.locator('#lesson-items li').count(), 10, 'the other ten are listed');
        assert.match(await page.textContent('#lesson-items li:nth-child(3)'), /^4/, 'lessons keep their course numbers');
        await shot(page, 'lessons-list-missing-file');
        await context.unroute(missing);
        await page.click('#lesson-free');
        await page.click('#btn-lessons');
        await waitFor(page, () => document.querySelectorAll('#lesson-items li').length === 11);
        assert.equal(await page.textContent('#lesson-list-status'), '');
      } finally {
        await context.unroute(missing).catch(() => {});
      }
    },
  },
  {
    name: 'lessons: lesson 1 steps with Next, ticks its claims, Back travels in time, scrubbing follows',
    async run({ open, shot }) {
      const { page, errors } = await open('?lang=en');
      await started(page);
      await page.click('#lesson-items button[data-lesson="01-first-election"]');
      assert.ok(await page.isVisible('#lesson-panel'));
      assert.equal(await page.isVisible('#lesson-list'), false);
      let l = await lesson(page);
      assert.equal(l.id, '01-first-election');
      const n = l.steps;
      assert.ok(n >= 5, `${n} steps`);
      await waitStepTicked(page, 0);
      assert.equal((await state(page)).time_us, l.at_us[0]);
      assert.equal(await page.textContent('#lesson-count'), `Step 1 of ${n}`);
      for (let k = 1; k < n; k++) {
        // Next plays the way there, in several beats when it is long.
        do {
          await clickNext(page);
          await waitFor(page, () => !window.raftlab.state().playing, null, 30000);
        } while ((await state(page)).time_us < l.at_us[k]);
        assert.equal((await state(page)).time_us, l.at_us[k]);
        await waitStepTicked(page, k);
        assert.equal(await page.textContent('#lesson-count'), `Step ${k + 1} of ${n}`);
        // Next stops exactly at the step, never past it: nothing was simulated
        // beyond the moment shown, so the page is not "viewing the past".
        const st = await state(page);
        assert.equal(st.known_us, st.time_us, 'Next did not run past the step');
        if (k === 3) await shot(page, 'lesson-step-en');
      }
      // The free-play ending: Next gives way to "play freely".
      assert.ok(await page.isVisible('#lesson-free-box'));
      assert.equal(await page.isVisible('#lesson-next'), false);
      assert.match(await page.textContent('#lesson-text'), /try it yourself/);
      // Back travels in time.
      const before = await state(page);
      await page.click('#lesson-back');
      const after = await state(page);
      assert.ok(after.time < before.time, `Back went back in time: ${after.time} < ${before.time}`);
      assert.equal(after.time_us, l.at_us[n - 2]);
      await waitStepTicked(page, n - 2);
      // After a scrub the narration follows the moment shown.
      await page.evaluate((t) => window.raftlab.seek(t / 1e6), l.at_us[1] + 2000);
      await waitFor(page, () => document.querySelector('#lesson-count').textContent === 'Step 2 of ' + window.raftlab.lesson().steps);
      assert.equal((await lesson(page)).step, 1);
      // Chinese: the narration and the controls switch language.
      await page.evaluate((t) => window.raftlab.seek(t / 1e6), l.at_us[3]);
      await page.selectOption('#lang', 'zh');
      await waitStepTicked(page, 3);
      await waitFor(page, () => /节点/.test(document.querySelector('#lesson-text').textContent));
      assert.equal(await page.textContent('#lesson-next'), '下一步 →');
      assert.match(await page.textContent('#lesson-count'), /第 4 步/);
      await shot(page, 'lesson-step-zh');
      // The free-play ending hands the controls over: the run plays on.
      await page.evaluate((t) => window.raftlab.seek(t / 1e6), l.at_us[n - 1]);
      await page.click('#lesson-play-free');
      assert.equal((await state(page)).playing, true);
      await waitFor(page, (t) => window.raftlab.state().time_us > t, l.at_us[n - 1]);
      assert.deepEqual(errors, []);
    },
  },
  {
    name: 'lessons: ?lesson=05-network-partition opens it, with share and embed links; embed shows the narration compactly',
    async run({ open, shot }) {
      const { page, errors } = await open('?lesson=05-network-partition&lang=en');
      await started(page);
      await waitFor(page, () => window.raftlab.lesson() != null);
      const l = await lesson(page);
      assert.equal(l.id, '05-network-partition');
      assert.equal(l.source, 'bundled');
      assert.equal(await page.isVisible('#lesson-list'), false);
      assert.equal((await state(page)).playing, false, 'a lesson waits for Next');
      await waitStepTicked(page, 0);
      assert.match(await page.textContent('#lesson-title'), /partition/i);
      await page.click('#lesson-share-btn');
      assert.ok(await page.isVisible('#lesson-share'));
      const link = await page.inputValue('#lesson-link');
      const embed = await page.inputValue('#lesson-embed');
      assert.ok(link.endsWith('/course/raftlab/?lesson=05-network-partition'), link);
      assert.ok(embed.endsWith('/course/raftlab/?embed&lesson=05-network-partition'), embed);
      // The embed link: canvas, compact narration with Back/Next, no claims or share.
      const { page: p2, errors: e2 } = await open(embed.slice(embed.indexOf('?')) + '&lang=en');
      await p2.setViewportSize({ width: 640, height: 420 });
      await started(p2);
      await waitFor(p2, () => window.raftlab.lesson() != null);
      for (const id of ['#lesson-text', '#lesson-next', '#lesson-back', '#lesson-count', '#view', '#timeline']) {
        assert.ok(await p2.isVisible(id), `${id} visible in the embedded lesson`);
      }
      for (const id of ['#lesson-checks', '#lesson-share-btn', '#side', '#lesson-list']) {
        assert.equal(await p2.isVisible(id), false, `${id} hidden in the embedded lesson`);
      }
      await clickNext(p2);
      await waitFor(p2, (t) => window.raftlab.state().time_us === t && !window.raftlab.state().playing, l.at_us[1]);
      const box = await p2.locator('#view').boundingBox();
      assert.ok(box.height > 150, `the canvas keeps room: ${JSON.stringify(box)}`);
      assert.equal(await p2.evaluate(() => document.scrollingElement.scrollHeight <= innerHeight), true, 'fits without scrolling');
      await shot(p2, 'lesson-embed');
      assert.deepEqual([...errors, ...e2], []);
    },
  },
  {
    name: 'lessons: ?lesson=nope shows a readable error and the default cluster',
    async run({ open, shot }) {
      const { page, errors } = await open('?lesson=nope&lang=en');
      await started(page);
      assert.ok(await page.isVisible('#banner'));
      const text = await page.textContent('#banner-text');
      assert.match(text, /no lesson called “nope”/);
      assert.match(text, /default cluster/);
      assert.equal((await state(page)).nodes.length, 5);
      assert.equal(await lesson(page), null);
      assert.ok(await page.isVisible('#lesson-list'), 'the list of real lessons is offered');
      await shot(page, 'lesson-unknown');
      assert.deepEqual(errors, []);
    },
  },
  {
    name: 'lessons: a lesson file from ?lesson-url= is fetched and opened; errors are readable with line:column',
    async run({ open, base, shot }) {
      const origin = new URL(base).origin;
      const { page, errors } = await open('?lang=en&lesson-url=' + encodeURIComponent(origin + '/fixtures/tiny.lesson'));
      await started(page);
      await waitFor(page, () => window.raftlab.lesson() != null);
      const l = await lesson(page);
      assert.equal(l.id, 'tiny-fixture');
      assert.equal(l.source, 'url');
      assert.equal(await page.textContent('#lesson-title'), 'Fixture: one election');
      assert.equal((await state(page)).nodes.length, 3);
      await clickNext(page);
      await waitStepTicked(page, 1);
      assert.equal((await state(page)).leader, 1);
      await page.click('#lesson-share-btn');
      assert.match(await page.inputValue('#lesson-link'), /\?lesson-url=http%3A%2F%2F127\.0\.0\.1%3A\d+%2Ffixtures%2Ftiny\.lesson$/);
      assert.deepEqual(errors, []);

      // A malformed file: line and column, and the default cluster.
      const { page: p2, errors: e2 } = await open('?lang=en&lesson-url=/fixtures/broken.lesson');
      await started(p2);
      await waitFor(p2, () => /could not be read/.test(document.querySelector('#banner-text').textContent));
      const msg = await p2.textContent('#banner-text');
      assert.match(msg, /broken\.lesson/);
      assert.match(msg, /line 5, column 15: unknown claim `leeder`/);
      assert.equal(await lesson(p2), null);
      assert.equal((await state(p2)).nodes.length, 5);
      assert.ok(await p2.isVisible('#app'), 'never a blank page');
      await shot(p2, 'lesson-url-malformed');
      assert.deepEqual(e2, []);

      // A missing file: the server's answer, readably.
      const { page: p3 } = await open('?lang=en&lesson-url=/fixtures/missing.lesson');
      await started(p3);
      await waitFor(p3, () => /could not be loaded/.test(document.querySelector('#banner-text').textContent));
      assert.match(await p3.textContent('#banner-text'), /404/);
      assert.equal((await state(p3)).nodes.length, 5);
    },
  },
  {
    name: 'lessons: the file picker opens a lesson file or a scenario .txt; a bad file gives line:column',
    async run({ open }) {
      const { page, errors } = await open('?lang=en');
      await started(page);
      const fixture = (name) => ({ name, mimeType: 'text/plain', buffer: fs.readFileSync(path.join(ROOT, 'tests/browser/fixtures', name)) });
      await page.setInputFiles('#lesson-file', fixture('broken.lesson'));
      await waitFor(page, () => /line 5, column 15/.test(document.querySelector('#banner-text').textContent));
      assert.equal(await lesson(page), null);
      await page.setInputFiles('#lesson-file', fixture('tiny.lesson'));
      await waitFor(page, () => window.raftlab.lesson() != null);
      assert.equal((await lesson(page)).source, 'file');
      await page.click('#lesson-share-btn');
      assert.ok(await page.isVisible('#lesson-no-link'), 'a local file has no link, and says why');
      await page.click('#btn-lessons');
      await page.setInputFiles('#lesson-file', fixture('split.txt'));
      await waitFor(page, () => window.raftlab.state().nodes.length === 4);
      assert.equal(await lesson(page), null, 'a scenario file closes the lesson');
      assert.equal(await page.isVisible('#lesson-list'), false);
      assert.match(await page.evaluate(() => window.raftlab.scenario()), /seed 7/);
      assert.deepEqual(errors, []);
    },
  },
  {
    name: 'lessons: a teaching-switch lesson says so and runs again with the rule',
    async run({ open, shot }) {
      const { page, errors } = await open('?lesson=08-commit-current-term&lang=en');
      await started(page);
      await waitFor(page, () => window.raftlab.lesson() != null);
      const l = await lesson(page);
      assert.ok(l.expected_violation, 'lesson 08 expects a violation');
      assert.ok(await page.isVisible('#lesson-warning'));
      assert.match(await page.textContent('#lesson-warning-text'), /teaching switch/);
      // At the end of the run the safety panel flags it, and the banner says it is the point.
      await page.evaluate((t) => window.raftlab.seek(t / 1e6), l.at_us.at(-1));
      await waitFor(page, () => /As this lesson expects/.test(document.querySelector('#banner-text').textContent));
      assert.ok((await state(page)).violations.length > 0);
      await shot(page, 'lesson-teaching-switch');
      await page.click('#lesson-safe');
      let s = await state(page);
      assert.deepEqual(Object.values(s.settings.unsafe_switches), [false, false, false, false]);
      assert.doesNotMatch(await page.evaluate(() => window.raftlab.scenario()), /unsafe/);
      assert.equal(s.violations.length, 0, 'with the rule, nothing is violated');
      assert.equal((await lesson(page)).safe, true);
      assert.match(await page.textContent('#lesson-warning-text'), /teaching switch off/);
      await page.click('#lesson-unsafe');
      assert.equal((await lesson(page)).safe, false);
      // Changing the run is noticed, and the lesson's run can be restored.
      await page.evaluate(() => window.raftlab.act('crash 1'));
      await waitFor(page, () => !document.querySelector('#lesson-changed').hidden);
      await page.click('#lesson-restart');
      await waitFor(page, () => document.querySelector('#lesson-changed').hidden);
      assert.deepEqual(errors, []);
    },
  },
  // ----- issue 12: focus and names -----
  {
    name: 'lesson 3, step 2: the leader and its new entry 2 are marked on the canvas, the followers are not',
    async run({ open, shot }) {
      const { page, errors } = await open('?lesson=03-log-replication&lang=en');
      await started(page);
      await waitStepTicked(page, 0);
      await clickNext(page);
      await waitStepTicked(page, 1);
      const s = await state(page);
      assert.deepEqual(s.focus.nodes, [1], 'the step is about the leader');
      assert.deepEqual(s.focus.entries, [[1, 2]], 'and its entry 2');
      // The mark of what Next just did rings the servers for a second;
      // the step's own mark is what stays.
      await page.waitForTimeout(1200);
      assert.ok(await haloAround(page, node(s, 1)), 'node 1 wears the highlighter halo');
      assert.ok(!(await haloAround(page, node(s, 2))), 'node 2 does not');
      await shot(page, 'focus-lesson3-step2');
      assert.deepEqual(errors, []);
    },
  },
  {
    name: 'pointing at a claim marks what it checks, with the mouse or the keyboard, and letting go restores the step\'s marks',
    async run({ open, shot }) {
      const { page, errors } = await open('?lesson=03-log-replication&lang=en');
      await started(page);
      await clickNext(page);
      await waitStepTicked(page, 1);
      // The second claim: "set a=5" is not in the logs of nodes 2, 3.
      const absent = '#lesson-claims li[data-k="1"]';
      assert.match(await page.textContent(absent), /is not in the logs of nodes 2, 3/);
      await page.hover(absent);
      await waitFor(page, () => window.raftlab.state().focus.nodes.join() === '2,3');
      let s = await state(page);
      assert.deepEqual(s.focus.entries, [], 'an absent command has no entry to mark');
      assert.ok(await haloAround(page, node(s, 2)) && await haloAround(page, node(s, 3)));
      assert.ok(!(await haloAround(page, node(s, 1))), 'the leader is not what this claim checks');
      await shot(page, 'focus-hover-claim');
      await page.mouse.move(5, 5);
      await waitFor(page, () => window.raftlab.state().focus.nodes.join() === '1');
      // Keyboard: Tab reaches the claims; the first one is about node 1's entry 2.
      await page.focus('#lesson-claims li[data-k="0"]');
      await waitFor(page, () => JSON.stringify(window.raftlab.state().focus.entries) === '[[1,2]]');
      assert.equal(await page.evaluate(() => document.activeElement.dataset.k), '0');
      await page.focus('#lesson-next');
      await waitFor(page, () => window.raftlab.state().focus.nodes.join() === '1');
      assert.deepEqual(errors, []);
    },
  },
  {
    name: 'lesson 10: the servers wear the letters A to E, and the partition\'s sides are group ① and group ②, in English and Chinese',
    async run({ open, shot }) {
      for (const lang of ['en', 'zh']) {
        const { page, errors } = await open(`?lesson=10-membership-change&lang=${lang}`);
        await started(page);
        await waitStepTicked(page, 0);
        await clickNext(page);
        await waitStepTicked(page, 1);
        const s = await state(page);
        assert.deepEqual(s.network.groups, [[1, 4, 5], [2, 3]], 'group ① holds A, D, E');
        const text = await page.textContent('#lesson-text');
        if (lang === 'en') assert.match(text, /A, D, E \(group ①\) from B, C \(group ②\)/);
        else assert.match(text, /A、D、E（分组 ①）与 B、C（分组 ②）/);
        assert.doesNotMatch(text, /group [A-E]\b/);
        // The tag beside S1: a white pill with a dark border at the node's top right.
        await shot(page, `names-lesson10-${lang}`);
        // Which letter each server's tag shows is checked natively
        // (draw::labels, lesson 10's tags); here, that S1's tag is drawn.
        assert.ok(await tagBeside(page, node(s, 1)), 'S1 carries its tag');
        assert.deepEqual(errors, []);
        await page.close();
      }
    },
  },
  // ----- issue 12: what just happened, calm time travel -----
  {
    name: 'what just happened: Step names the event it ran above the canvas, and its messages point where they go',
    async run({ open, shot }) {
      const { page, errors } = await open(`?autoplay=0&lang=en&scenario=${encodeURIComponent('nodes 5\nseed 7\n')}`);
      await ready(page);
      assert.equal(await page.isVisible('#happened'), false, 'nothing has happened yet');
      await page.click('#btn-step');
      await waitFor(page, () => !document.querySelector('#happened').hidden);
      assert.equal(await page.textContent('#happened-text'),
        "0.205 s: node 4's election timer fired; node 4 became candidate in term 1; node 4 sent RequestVote (term 1) to 1, 2, 3, 5");
      // Three more Steps: node 5 times out, then node 2 receives a RequestVote.
      for (let i = 0; i < 2; i++) await page.click('#btn-step');
      await waitFor(page, () => /node 2 received RequestVote \(term 1\) from node 4/.test(document.querySelector('#happened-text').textContent));
      // Paused, each message has an arrowhead ahead of it, towards its receiver.
      const s = await state(page);
      assert.ok(s.messages.length > 0);
      const dark = await page.evaluate((ms) => {
        const c = document.getElementById('view');
        const ctx = c.getContext('2d');
        const k = c.width / c.getBoundingClientRect().width;
        const st = window.raftlab.state();
        return ms.map((m) => {
          const a = st.nodes.find((n) => n.id === m.from);
          const b = st.nodes.find((n) => n.id === m.to);
          const d = Math.hypot(b.x - a.x, b.y - a.y);
          const [ux, uy] = [(b.x - a.x) / d, (b.y - a.y) / d];
          const size = m.type === 'RequestVote' ? 8 : 7;
          const [x, y] = [m.x + ux * (size + 3), m.y + uy * (size + 3)];
          const px = ctx.getImageData(Math.round(x * k), Math.round(y * k), 1, 1).data;
          return px[0] < 120 && px[1] < 120 && px[2] < 120;
        });
      }, s.messages);
      assert.ok(dark.filter(Boolean).length >= Math.ceil(s.messages.length * 0.7), `arrowheads: ${dark}`);
      await shot(page, 'happened-step');
      assert.deepEqual(errors, []);
    },
  },
  {
    name: 'what just happened: clicking crash names it and rings the server for a moment',
    async run({ open, shot }) {
      const { page, errors } = await open(`?autoplay=0&lang=en&scenario=${encodeURIComponent('nodes 5\nseed 7\n')}`);
      await ready(page);
      await page.evaluate(() => window.raftlab.seek(1));
      const ring = async (id) => (await vermillionAround(page, id)).accent;
      const before = await ring(3);
      await nodeAction(page, 3, 'crash');
      await page.waitForTimeout(150);
      const during = await ring(3);
      await shot(page, 'happened-crash');
      assert.match(await page.textContent('#happened-text'), /^1\.000 s: node 3 crashed/);
      await page.waitForTimeout(1300);
      const after = await ring(3);
      assert.ok(during > before + 40 && during > after + 40, `a ring while fresh: before ${before}, during ${during}, after ${after}`);
      // Travelling in time is not something happening: the line goes.
      await page.evaluate(() => window.raftlab.seek(0.5));
      await waitFor(page, () => document.querySelector('#happened').hidden);
      assert.deepEqual(errors, []);
    },
  },
  {
    name: 'the event log shows only what has happened by the moment shown, and a catch-up commit is one line',
    async run({ open, shot }) {
      const sc = 'nodes 3\nseed 7\nat 1s isolate 3\nat 1.1s request "set a=1"\nat 1.2s request "set b=2"\n'
        + 'at 1.3s request "set c=3"\nat 1.4s request "set d=4"\nat 1.5s request "set e=5"\nat 2s heal\n';
      const { page, errors } = await open(`?autoplay=0&lang=en&scenario=${encodeURIComponent(sc)}`);
      await ready(page);
      await page.evaluate(() => window.raftlab.seek(4));
      await waitFor(page, () => document.querySelectorAll('#event-log li').length > 5);
      const lines = await page.$$eval('#event-log li', (li) => li.map((l) => l.textContent));
      const catchUp = lines.filter((l) => /node 3 committed entr/.test(l) && Number(l.split(' ')[0]) > 2);
      assert.ok(catchUp.some((l) => /node 3 committed entries \d+–\d+/.test(l)), `one line for the catch-up: ${catchUp.join(' | ')}`);
      assert.ok(catchUp.length <= 2, `not one line per entry: ${catchUp.join(' | ')}`);
      const title = await page.$eval('#event-log li[title]:not([title=""])', (li) => li.title);
      assert.match(title, /“set a=1”/, 'its entries are listed on hover');
      // Travel back by clicking on the timeline: no line after that moment.
      const box = await page.locator('#timeline').boundingBox();
      await page.mouse.click(box.x + 8 + (box.width - 16) * 0.03, box.y + box.height / 2);
      const at = (await state(page)).time_us;
      assert.ok(at < 1e6, `went back to ${at}`);
      await waitFor(page, (at) => [...document.querySelectorAll('#event-log li')].every((li) => Number(li.dataset.t) <= at), at);
      const ts = await page.$$eval('#event-log li', (li) => li.map((l) => Number(l.dataset.t)));
      assert.ok(ts.every((t) => t <= at), `no line after ${at}: ${ts}`);
      assert.ok(await page.$$eval('#event-log li', (li) => li.every((l) => l.dataset.ev !== undefined)), 'each line names its trace event');
      await shot(page, 'log-cut-at-now');
      assert.deepEqual(errors, []);
    },
  },
  {
    name: 'dragging the timeline 10 px moves time by about 10 px, and the track stays where it is',
    async run({ open, shot }) {
      const { page, errors } = await open('?speed=5&lang=en');
      await ready(page);
      await waitFor(page, () => window.raftlab.state().time > 3);
      await page.evaluate(() => window.raftlab.pause());
      const box = await page.locator('#timeline').boundingBox();
      const y = box.y + box.height / 2;
      const x0 = box.x + box.width * 0.6;
      await page.mouse.move(x0, y);
      await page.mouse.down();
      const t0 = (await state(page)).time_us;
      const held = await page.locator('#timeline').boundingBox();
      assert.deepEqual([held.x, held.width], [box.x, box.width], 'mouse-down does not move or resize the track');
      await page.mouse.move(x0 - 10, y, { steps: 2 });
      const t1 = (await state(page)).time_us;
      const moved = await page.locator('#timeline').boundingBox();
      assert.deepEqual([moved.x, moved.width], [box.x, box.width], 'dragging does not move or resize the track');
      await shot(page, 'timeline-drag');
      await page.mouse.up();
      // x → time is linear from the track's padded start: 10 px are t0 × 10 / (x0 − start).
      const expected = t0 * 10 / (x0 - box.x - 8);
      assert.ok(Math.abs((t0 - t1) - expected) < expected * 0.25, `10 px moved ${(t0 - t1) / 1e6} s, expected about ${expected / 1e6} s`);
      assert.match(await page.textContent('#time-note'), /viewing the past/);
      assert.deepEqual(errors, []);
    },
  },
  {
    name: 'acting in the past asks before it drops the future, and Undo brings the old future back (same trace hash)',
    async run({ open, shot }) {
      const { page, errors } = await open('?speed=5&lang=en');
      await ready(page);
      await waitFor(page, () => window.raftlab.state().time > 3);
      await page.evaluate(() => window.raftlab.pause());
      const end = await state(page);
      const endHash = await page.evaluate(() => window.raftlab.traceHash());
      await page.evaluate(() => window.raftlab.seek(1.5));
      const past = await state(page);
      const victim = past.nodes.find((n) => n.up).id;
      // No: nothing changes.
      await nodeAction(page, victim, 'crash');
      await page.waitForSelector('#fork-bar:not([hidden])');
      assert.match(await page.textContent('#fork-text'), /^This drops the \d+\.\d{3} s of run after 1\.500 s\. Continue\?$/);
      await page.click('#btn-fork-no');
      await page.waitForSelector('#fork-bar', { state: 'hidden' });
      let s = await state(page);
      assert.equal(node(s, victim).up, true, 'nothing was done');
      assert.equal(s.known_us, past.known_us, 'the future is still known');
      // Yes: the future goes, and Undo is offered.
      await nodeAction(page, victim, 'crash');
      await page.waitForSelector('#btn-fork-yes:visible');
      await shot(page, 'fork-question');
      await page.click('#btn-fork-yes');
      await page.waitForSelector('#btn-fork-undo:visible');
      s = await state(page);
      assert.equal(node(s, victim).up, false, 'crashed');
      assert.ok(s.known_us <= s.time_us + 1, 'the old future is dropped');
      assert.match(await page.textContent('#fork-text'), /A new future from 1\.500 s/);
      await page.evaluate(() => window.raftlab.play());
      await waitFor(page, () => window.raftlab.state().time > 2);
      await shot(page, 'fork-undo-offered');
      await page.click('#btn-fork-undo');
      await page.waitForSelector('#fork-bar', { state: 'hidden' });
      s = await state(page);
      assert.equal(s.time_us, 1500000, 'back where the user acted');
      assert.equal(s.known_us, past.known_us, 'the old future is back');
      assert.equal(node(s, victim).up, true);
      await page.evaluate((t) => window.raftlab.seek(t), end.time);
      assert.equal(await page.evaluate(() => window.raftlab.traceHash()), endHash, 'the very same run');
      assert.deepEqual(errors, []);
    },
  },
  {
    name: 'lessons: changing a lesson\'s run asks first, and Cancel leaves the lesson as written',
    async run({ open, shot }) {
      const { page, errors } = await open('?lesson=05-network-partition&lang=en');
      await started(page);
      await waitFor(page, () => window.raftlab.lesson() != null);
      const before = await page.evaluate(() => window.raftlab.scenario());
      await page.click('#btn-request');
      await page.waitForSelector('#fork-bar:not([hidden])');
      assert.match(await page.textContent('#fork-text'), /This drops the .* of run after/);
      await shot(page, 'lesson-fork-question');
      await page.click('#btn-fork-no');
      assert.equal(await page.evaluate(() => window.raftlab.scenario()), before);
      await page.waitForTimeout(300);
      assert.equal(await page.isVisible('#lesson-changed'), false);
      assert.deepEqual(errors, []);
    },
  },
  // ----- issue 12: rule panel -----
  {
    name: 'rule panel: in lesson 1, after the election, the panel lights Candidates rule 2 (majority → leader)',
    async run({ open, shot }) {
      const { page, errors } = await open('?lesson=01-first-election&lang=en');
      await started(page);
      await waitFor(page, () => window.raftlab.lesson() != null);
      await waitFor(page, () => document.querySelectorAll('#rules-list li[data-rule]').length > 40);
      const l = await lesson(page);
      for (let k = 1; k <= 3; k++) {
        await clickNext(page);
        await waitStepTicked(page, k);
      }
      assert.match(await page.textContent('#lesson-text'), /leader of term 1/);
      await waitFor(page, () => [...document.querySelectorAll('#rules-list li.on')]
        .some((li) => /Candidates, rule 2/.test(li.textContent)));
      const lit = await page.$$eval('#rules-list li.on', (lis) => lis.map((li) => li.textContent));
      assert.ok(lit.some((t) => /majority of the servers, become leader/.test(t)), lit.join(' / '));
      assert.match(await page.textContent('#rules-now'), /^Latest event: /);
      // The lit line is scrolled into view inside the list; the page itself did not scroll.
      const view = await page.evaluate(() => {
        const list = document.querySelector('#rules-list');
        const li = list.querySelector('li.on.first');
        const a = list.getBoundingClientRect(), b = li.getBoundingClientRect();
        return { inside: b.top >= a.top - 1 && b.bottom <= a.bottom + 1, pageY: window.scrollY, side: document.querySelector('#side').scrollTop };
      });
      assert.ok(view.inside, 'the lit rule is visible in the list');
      assert.equal(view.pageY, 0, 'the page did not scroll');
      await shot(page, 'rules-lesson1-election-en');
      assert.equal(l.id, '01-first-election');
      assert.deepEqual(errors, []);
    },
  },
  {
    name: 'rule panel: in lesson 6, clicking the delivery where follower (d) deletes its conflicting entries lights AppendEntries receiver rule 3',
    async run({ open, shot }) {
      const { page, errors } = await open('?lesson=06-log-repair&lang=en');
      await started(page);
      await waitFor(page, () => window.raftlab.lesson() != null);
      for (let k = 1; k <= 2; k++) {
        await clickNext(page);
        await waitStepTicked(page, k);
      }
      assert.match(await page.textContent('#lesson-text'), /each deleted what followed index 10/);
      // The messages of the step, in the event log. Follower (a) (node 2) has
      // no matching entry 10: its delivery (at 111 ms) lights rule 2, not rule 3.
      await page.selectOption('#log-kind', 'message');
      await page.locator('#event-log li', { hasText: /1 → 2 delivered #\d+ AppendEntries/ }).last().click();
      await waitFor(page, () => /receiver rule 2/.test(document.querySelector('#rules-list li.on.first')?.textContent ?? ''));
      assert.ok(!(await page.$$eval('#rules-list li.on', (lis) => lis.some((li) => /receiver rule 3/.test(li.textContent)))));
      // (d) is node 5: its delivery, earlier (96 ms), deleted its two entries of term 7.
      const line = page.locator('#event-log li', { hasText: /1 → 5 delivered #\d+ AppendEntries/ }).last();
      await line.click();
      await waitFor(page, () => /^Selected event: 1 → 5 delivered/.test(document.querySelector('#rules-now').textContent));
      const first = await page.textContent('#rules-list li.on.first');
      assert.match(first, /AppendEntries RPC, receiver rule 3/);
      assert.match(first, /delete the conflicting entry and all that follow it/);
      const lit = await page.$$eval('#rules-list li.on', (lis) => lis.map((li) => li.textContent));
      assert.ok(lit.some((t) => /receiver rule 4/.test(t)), 'and the new entry is appended (rule 4)');
      await shot(page, 'rules-lesson6-delete-en');
      assert.deepEqual(errors, []);
    },
  },
  {
    name: 'rule panel: clicking an earlier event-log line lights that event\'s rule, and playing on returns to the latest',
    async run({ open, shot }) {
      const { page, errors } = await open('?lesson=01-first-election&lang=en');
      await started(page);
      await waitFor(page, () => window.raftlab.lesson() != null);
      for (let k = 1; k <= 4; k++) {
        await clickNext(page);
        await waitStepTicked(page, k);
      }
      await page.locator('#event-log li', { hasText: "node 1's election timer fired" }).click();
      await waitFor(page, () => /^Selected event: node 1's election timer fired/.test(document.querySelector('#rules-now').textContent));
      const first = await page.textContent('#rules-list li.on.first');
      assert.match(first, /Followers, rule 2/);
      assert.match(first, /become a candidate/);
      await shot(page, 'rules-selected-timeout-en');
      // Time moves on: the panel follows the latest event again.
      await page.evaluate(() => window.raftlab.seek(0.4));
      await waitFor(page, () => /^Latest event: /.test(document.querySelector('#rules-now').textContent));
      // Closed, the panel keeps out of the way.
      await page.click('#rules-panel summary');
      assert.equal(await page.isVisible('#rules-list'), false);
      assert.deepEqual(errors, []);
    },
  },
  {
    name: 'rule panel: the Chinese page shows the rules in Chinese, the election\'s rule lit',
    async run({ open, shot }) {
      const { page, errors } = await open('?lesson=01-first-election&lang=zh');
      await started(page);
      await waitFor(page, () => window.raftlab.lesson() != null);
      for (let k = 1; k <= 3; k++) {
        await clickNext(page);
        await waitStepTicked(page, k);
      }
      await waitFor(page, () => [...document.querySelectorAll('#rules-list li.on')]
        .some((li) => /得到绝大多数服务器的选票就成为领导者/.test(li.textContent)));
      assert.equal(await page.textContent('#rules-panel summary'), '论文中的规则');
      assert.match(await page.textContent('#rules-list'), /图 2 · RequestVote 远程调用（RPC）/);
      assert.match(await page.textContent('#rules-now'), /^最新事件：/);
      const english = englishWords(await page.textContent('#rules-panel'));
      assert.deepEqual(english, [], `English words on the Chinese rule panel: ${english}`);
      await shot(page, 'rules-lesson1-election-zh');
      assert.deepEqual(errors, []);
    },
  },
  {
    name: 'rule panel: when the rules file cannot be fetched, the panel says so and the page runs on',
    async run({ open, context }) {
      await context.route('**/rules/rules.txt', (r) => r.fulfill({ status: 404, body: 'no' }));
      try {
        const { page, errors } = await open('?lang=en');
        await ready(page);
        await waitFor(page, () => /could not be loaded/.test(document.querySelector('#rules-list').textContent));
        assert.match(await page.textContent('#rules-list'), /404/);
        await waitLeader(page);
        assert.ok(errors.every((e) => /404|Failed to load/.test(e)), errors.join('\n'));
      } finally {
        await context.unroute('**/rules/rules.txt');
      }
    },
  },
  // ----- issue 12: clients and values -----
  // state(): client_glyph_x/_y, and client_marks [{kind, node, text, result, from_us, to_us, x, y}].
  {
    name: 'clients: in lesson 3 the client sends set a=5 to the leader before 500 ms, the ok travels back after the commit, and each server shows a=5 once it applies it',
    async run({ open, shot }) {
      const { page, errors } = await open('?lesson=03-log-replication&lang=en');
      await started(page);
      await waitFor(page, () => window.raftlab.lesson() != null);
      const l = await lesson(page);
      assert.deepEqual(l.at_us.slice(0, 6), [400000, 500000, 515000, 530000, 536000, 570000]);
      await waitStepTicked(page, 0);
      let s = await state(page);
      // The client is drawn beside the ring, on the canvas, clear of every server.
      const client = { x: s.client_glyph_x, y: s.client_glyph_y };
      assert.ok(client.x > 0 && client.x < s.canvas.width && client.y > 0, JSON.stringify(client));
      for (const n of s.nodes) assert.ok(Math.hypot(n.x - client.x, n.y - client.y) > n.r + 30, `client clear of node ${n.id}`);
      assert.deepEqual(s.client_marks, [], 'nothing asked yet');
      assert.ok(s.nodes.every((n) => Object.keys(n.kv).length === 0), 'nobody has a value yet');
      await shot(page, 'clients-lesson3-step1');
      // Next plays to 500 ms: before it, the request flies from the client to the leader.
      await clickNext(page);
      await waitFor(page, () => {
        const s = window.raftlab.state();
        return s.time_us < 500000 && s.client_marks.some((m) => m.kind === 'request' && s.time_us - m.from_us > 0.3 * (m.to_us - m.from_us));
      });
      await page.evaluate(() => window.raftlab.pause());
      s = await state(page);
      const flight = s.client_marks.find((m) => m.kind === 'request');
      assert.equal(flight.text, 'set a=5');
      assert.equal(flight.node, 1, 'to the leader');
      assert.equal(flight.to_us, 500000, 'it lands exactly when the leader appends it');
      assert.ok(s.time_us >= flight.from_us && s.time_us < 500000);
      const n1 = node(s, 1);
      const between = Math.hypot(flight.x - client.x, flight.y - client.y) + Math.hypot(flight.x - n1.x, flight.y - n1.y);
      assert.ok(between < Math.hypot(n1.x - client.x, n1.y - client.y) + 20, 'on its way from the client to node 1');
      assert.ok(node(s, 1).log.every((e) => e.cmd !== 'set a=5'), 'not in the log before it arrives');
      await shot(page, 'clients-lesson3-request-flying');
      await clickNext(page);
      await waitStepTicked(page, 1);
      s = await state(page);
      assert.equal(s.time_us, 500000);
      assert.ok(!s.client_marks.some((m) => m.kind === 'request'), 'landed: no flight after the append');
      assert.ok(s.client_marks.some((m) => m.kind === 'arrival' && m.node === 1 && m.from_us === 500000), 'its arrival at node 1 is marked');
      assert.equal(node(s, 1).kv.a, undefined, 'appended, not applied: no value yet');
      await shot(page, 'clients-lesson3-step2-arrived');
      for (const k of [2, 3]) {
        await clickNext(page);
        await waitStepTicked(page, k);
        await shot(page, `clients-lesson3-step${k + 1}`);
      }
      // 536 ms: the leader commits and applies: a=5 on node 1 only, and the ok leaves it.
      await clickNext(page);
      await waitStepTicked(page, 4);
      s = await state(page);
      assert.equal(s.time_us, 536000);
      assert.equal(node(s, 1).kv.a, '5');
      assert.equal(node(s, 2).kv.a, undefined);
      assert.equal(node(s, 3).kv.a, undefined);
      const ok = s.client_marks.find((m) => m.kind === 'answer');
      assert.ok(ok && ok.result === 'ok' && ok.node === 1 && ok.from_us <= 536000, JSON.stringify(s.client_marks));
      assert.ok(s.client_marks.some((m) => m.kind === 'written' && m.node === 1 && m.text === 'a'), 'a=5 is marked on node 1');
      // The lit pill is painted on the canvas under node 1, not under node 2.
      const yellowNear = (id) => page.evaluate(({ id }) => {
        const s = window.raftlab.state();
        const n = s.nodes.find((n) => n.id === id);
        const c = document.querySelector('#view');
        const k = c.width / s.canvas.width;
        const d = c.getContext('2d').getImageData((n.x - n.r) * k, (n.y + n.r * 0.5) * k, 2 * n.r * k, n.r * k).data;
        let hits = 0;
        for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i] - 0xf0) < 12 && Math.abs(d[i + 1] - 0xe4) < 12 && d[i + 2] < 0x60) hits++;
        return hits;
      }, { id });
      assert.ok(await yellowNear(1) > 20, 'node 1 shows its new value lit');
      assert.equal(await yellowNear(2), 0, 'node 2 has no value yet');
      await shot(page, 'clients-lesson3-step5-committed');
      // Playing to 570 ms: the ok travels back to the client, and each follower
      // shows a=5 exactly from when it applies entry 2.
      await page.evaluate(() => window.raftlab.speed(0.02));
      await clickNext(page);
      let sawAnswerMoving = false;
      for (;;) {
        s = await state(page);
        for (const n of s.nodes) assert.equal(n.kv.a === '5', n.applied >= 2, `node ${n.id} at ${s.time_us}: a value iff applied`);
        const a = s.client_marks.find((m) => m.kind === 'answer');
        const done = a && (s.time_us - a.from_us) / (a.to_us - a.from_us);
        if (a && done > 0.2 && done < 1) {
          sawAnswerMoving = true;
          const toClient = Math.hypot(a.x - client.x, a.y - client.y);
          assert.ok(toClient < Math.hypot(node(s, 1).x - client.x, node(s, 1).y - client.y), 'on its way back to the client');
          if (!(await page.evaluate(() => window.__clientsShot))) {
            await page.evaluate(() => { window.__clientsShot = true; });
            await shot(page, 'clients-lesson3-ok-travelling-back');
          }
        }
        if (s.time_us >= 570000 && !s.playing) break;
        await page.waitForTimeout(30);
      }
      assert.ok(sawAnswerMoving, 'the ok answer was seen travelling back');
      await waitStepTicked(page, 5);
      s = await state(page);
      assert.ok(s.nodes.every((n) => n.kv.a === '5'), 'a=5 everywhere');
      await shot(page, 'clients-lesson3-step6-everywhere');
      assert.deepEqual(errors, []);
    },
  },
  {
    name: 'clients: a Client request clicked in free play marks its arrival at the leader, with no flight drawn after the fact',
    async run({ open, shot }) {
      const { page, errors } = await open('?speed=0.05&lang=en');
      await ready(page);
      await waitLeader(page);
      await page.evaluate(() => window.raftlab.pause());
      const before = await state(page);
      await page.click('#btn-request');
      const s = await state(page);
      assert.equal(s.time_us, before.time_us, 'paused: the click happens at the moment shown');
      assert.ok(!s.client_marks.some((m) => m.kind === 'request'), 'a click cannot be anticipated: no flight');
      const arrival = s.client_marks.find((m) => m.kind === 'arrival');
      assert.ok(arrival, JSON.stringify(s.client_marks));
      assert.equal(arrival.node, s.leader);
      assert.equal(arrival.from_us, s.time_us, 'marked at the moment of the click');
      assert.equal(node(s, s.leader).log.at(-1).cmd, arrival.text, 'the entry is in the leader\'s log');
      await page.waitForTimeout(100);
      await shot(page, 'clients-free-play-click-arrival');
      assert.deepEqual(errors, []);
    },
  },
  {
    name: 'clients: lesson 3 at 1440×900 and 1024×768, and clusters of 5 and 9 servers, show the client and the values legibly (screenshots)',
    async run({ open, shot }) {
      for (const [w, h] of [[1440, 900], [1024, 768]]) {
        const { page, errors } = await open('?lesson=03-log-replication&lang=en');
        await page.setViewportSize({ width: w, height: h });
        await started(page);
        await waitFor(page, () => window.raftlab.lesson() != null);
        const l = await lesson(page);
        for (const [k, t] of l.at_us.entries()) {
          await page.evaluate((t) => window.raftlab.seek(t / 1e6), t);
          await waitFor(page, (t) => window.raftlab.state().time_us === t, t);
          await page.waitForTimeout(80);
          await shot(page, `clients-lesson3-${w}-step${k + 1}`);
        }
        // Chinese: the client's name and answers in Chinese.
        await page.evaluate((t) => window.raftlab.seek(t / 1e6), 540000);
        await page.selectOption('#lang', 'zh');
        await waitFor(page, () => document.documentElement.lang.startsWith('zh'));
        await page.waitForTimeout(120);
        await shot(page, `clients-lesson3-${w}-zh-answer`);
        assert.deepEqual(errors, []);
      }
      for (const n of [5, 9]) {
        for (const [w, h] of [[1440, 900], [1024, 768]]) {
          const scenario = `nodes ${n}\nseed 3\nat 800ms request "set x=8"\nat 820ms request "set a=5"\nat 840ms request "set name=alice"\nat 860ms request "set y=2"\n`;
          const { page, errors } = await open('?lang=en&autoplay=0&scenario=' + encodeURIComponent(scenario));
          await page.setViewportSize({ width: w, height: h });
          await ready(page);
          await page.evaluate(() => window.raftlab.seek(1.5));
          await waitFor(page, () => window.raftlab.state().nodes.every((n) => n.kv.y === '2'));
          const s = await state(page);
          const client = { x: s.client_glyph_x, y: s.client_glyph_y };
          for (const m of s.nodes) assert.ok(Math.hypot(m.x - client.x, m.y - client.y) > m.r + 30, `${n} nodes at ${w}: client clear of node ${m.id}`);
          await page.evaluate(() => window.raftlab.seek(0.835));
          await page.waitForTimeout(120);
          await shot(page, `clients-${n}-nodes-${w}-flying`);
          await page.evaluate(() => window.raftlab.seek(1.5));
          await page.waitForTimeout(120);
          await shot(page, `clients-${n}-nodes-${w}-values`);
          assert.deepEqual(errors, []);
        }
      }
    },
  },
  // ----- issue 12: Next plays every step -----
  {
    name: 'lesson 5 stepped with Next plays every step: time moves on frame by frame, never jumps, at the speed the toolbar shows',
    async run({ open, shot }) {
      const { page, errors } = await open('?lesson=05-network-partition&lang=en');
      await started(page);
      await waitFor(page, () => window.raftlab.lesson() != null);
      const l = await lesson(page);
      await waitStepTicked(page, 0);
      // Virtual time and the speed select, sampled at every animation frame.
      await page.evaluate(() => {
        window.__samples = [];
        const sample = () => {
          const s = window.raftlab.state();
          window.__samples.push({ t: s.time_us, playing: s.playing, speed: s.speed, shown: document.querySelector('#speed').value });
          requestAnimationFrame(sample);
        };
        requestAnimationFrame(sample);
      });
      let presses = 0;
      for (let k = 1; k < l.steps; k++) {
        let beats = 0;
        for (;;) {
          const before = (await state(page)).time_us;
          await clickNext(page);
          await waitFor(page, () => { const s = window.raftlab.state(); return !s.playing; }, null, 30000);
          const now = await state(page);
          assert.ok(now.time_us > before, `Next moved time on from ${before}`);
          assert.ok(now.time_us <= l.at_us[k], 'never past the step');
          presses++; beats++;
          if (now.time_us === l.at_us[k]) break;
          // Between two steps: the step's text stays, the counter says how far.
          const ls = await lesson(page);
          assert.equal(ls.step, k - 1);
          assert.ok(ls.beat === beats && ls.beats > beats, `${ls.beat}/${ls.beats}`);
          assert.equal(await page.textContent('#lesson-count'), `Step ${k} of ${l.steps} · ${ls.beat}/${ls.beats}`);
          if (presses <= 12 && presses % 3 === 0) await shot(page, `i12-lesson5-beat-${presses}`);
        }
        await waitStepTicked(page, k);
        assert.equal(await page.textContent('#lesson-count'), `Step ${k + 1} of ${l.steps}`);
      }
      assert.ok(presses > l.steps - 1, `some ways are played in several beats (${presses} presses)`);
      const samples = await page.evaluate(() => window.__samples);
      // One frame moves time by at most 100 ms of real time (the clock's
      // clamp) at the cap's 0.1×: 10 ms. A jump would be hundreds of ms.
      let most = 0;
      for (let i = 1; i < samples.length; i++) most = Math.max(most, samples[i].t - samples[i - 1].t);
      assert.ok(most <= 10_000, `the largest move between two frames is ${most} µs`);
      assert.ok(samples.filter((s) => s.playing).length > 100, 'the steps were played, frame by frame');
      // Faster than the user's 0.05× where a way is long, and the toolbar said so; the user's speed comes back.
      assert.ok(samples.some((s) => s.playing && s.speed === 0.1 && s.shown === '0.1'), 'a beat at 0.1×, shown as 0.1');
      const end = await state(page);
      assert.equal(end.speed, 0.05);
      assert.equal(await page.inputValue('#speed'), '0.05');
      assert.deepEqual(errors, []);
    },
  },
  {
    name: 'lesson 8 opens with S5 down and S1 a candidate, as its first step says, with its claims ticked; lesson 2 too',
    async run({ open, shot }) {
      const { page, errors } = await open('?lesson=08-commit-current-term&lang=en');
      await started(page);
      await waitFor(page, () => window.raftlab.lesson() != null);
      await waitStepTicked(page, 0);
      const s = await state(page);
      assert.equal(node(s, 5).up, false, 'S5 is drawn down');
      assert.equal(node(s, 1).role, 'candidate', 'S1 is a candidate');
      assert.equal(s.playing, false);
      await shot(page, 'i12-lesson8-open');
      const { page: p2, errors: e2 } = await open('?lesson=02-split-votes&lang=en');
      await started(p2);
      await waitFor(p2, () => window.raftlab.lesson() != null);
      await waitStepTicked(p2, 0);
      await shot(p2, 'i12-lesson2-open');
      assert.deepEqual([...errors, ...e2], []);
    },
  },
  {
    name: 'lesson 8 stepped with Next stops at the step that narrates the violation and shows that step\'s text',
    async run({ open, shot }) {
      const { page, errors } = await open('?lesson=08-commit-current-term&lang=en&speed=0.1');
      await started(page);
      await waitFor(page, () => window.raftlab.lesson() != null);
      const l = await lesson(page);
      for (let i = 0; i < 30 && (await state(page)).violations.length === 0; i++) {
        await clickNext(page);
        await waitFor(page, () => !window.raftlab.state().playing, null, 30000);
      }
      const s = await state(page);
      assert.ok(s.violations.length > 0, 'the run broke Leader Completeness');
      const ls = await lesson(page);
      assert.equal(s.time_us, l.at_us[ls.step], 'paused exactly at a step');
      assert.ok(ls.claims.some((c) => /violation/.test(c.claim)), 'the step shown is the one about the violation');
      await waitStepTicked(page, ls.step);
      assert.match(await page.textContent('#lesson-text'), /Leader Completeness/);
      await waitFor(page, () => /As this lesson expects/.test(document.querySelector('#banner-text').textContent));
      await shot(page, 'i12-lesson8-violation');
      assert.deepEqual(errors, []);
    },
  },
  {
    name: 'lesson 6: nextIndex backing off and the conflict-hint repair are played in beats, each shown on the canvas',
    async run({ open, shot }) {
      const { page, errors } = await open('?lesson=06-log-repair&lang=en');
      await started(page);
      await waitFor(page, () => window.raftlab.lesson() != null);
      const l = await lesson(page);
      await waitStepTicked(page, 0);
      let presses = 0;
      for (let k = 1; k < l.steps; k++) {
        for (;;) {
          await clickNext(page);
          await waitFor(page, () => !window.raftlab.state().playing, null, 30000);
          presses++;
          const s = await state(page);
          const count = await page.textContent('#lesson-count');
          if (presses <= 10) await shot(page, `i12-lesson6-press-${presses}`);
          if (s.time_us === l.at_us[k]) break;
          assert.match(count, /^Step \d+ of \d+ · \d+\/\d+$/);
        }
        await waitStepTicked(page, k);
      }
      assert.ok(presses > l.steps - 1, `${presses} presses for ${l.steps} steps`);
      // Back from a step returns at once to the step before.
      const before = (await state(page)).time_us;
      await page.click('#lesson-back');
      const after = await state(page);
      assert.equal(after.playing, false);
      assert.ok(after.time_us < before);
      assert.equal(after.time_us, l.at_us[l.steps - 2]);
      assert.deepEqual(errors, []);
    },
  },

  // ----- issue 13: presenting and embedding -----
  {
    name: 'presenting at 1024×768 and 1920×1080: no side panel, one toolbar row, Back and Next side by side, text of 16 px or more, the canvas half the screen; leaving restores the page',
    async run({ open, shot }) {
      const sizes = [[1024, 768], [1920, 1080]];
      const narrationPx = [];
      for (const [w, h] of sizes) {
        const { page, errors } = await open('?lesson=08-commit-current-term&lang=en&present');
        await page.setViewportSize({ width: w, height: h });
        await started(page);
        await waitFor(page, () => window.raftlab.lesson() != null);
        await toViolationStep(page);
        assert.equal(await page.isVisible('#side'), false, 'the side panel hides');
        assert.equal(await page.isVisible('.legend'), false, 'the legend hides');
        const m = await presentMetrics(page);
        assert.ok(m.toolbarRows === 1, `the toolbar is one row: ${JSON.stringify(m.toolbarTops)}`);
        assert.ok(Math.abs(m.back.top - m.next.top) < 2 && m.back.right <= m.next.left, `Back and Next side by side: ${JSON.stringify([m.back, m.next])}`);
        for (const [what, px] of Object.entries(m.fonts)) assert.ok(px >= 16, `${what}: ${px} px at ${w}×${h}`);
        assert.ok(m.canvasH >= h / 2, `canvas ${m.canvasH} px of ${h}`);
        assert.ok(m.narration.fits || m.narration.scrolls, `the narration fits or scrolls: ${JSON.stringify(m.narration)}`);
        assert.ok(m.narration.visibleH >= 2 * m.fonts.narration, `two lines of narration show: ${JSON.stringify(m.narration)}`);
        // The canvas is drawn zoomed: state() reports where a node is on screen, and a click there opens its menu.
        const s = await state(page);
        assert.equal(Math.round(s.canvas.width), m.canvasW, 'state() speaks CSS px of the canvas');
        const n = node(s, 2);
        assert.ok(n.r >= 1.5 * 16, `nodes are drawn large: r = ${n.r}`);
        await page.mouse.click(n.client_x, n.client_y);
        await page.waitForSelector('#node-menu:not([hidden])');
        await page.keyboard.press('Escape');
        await shot(page, `i13-present-${w}x${h}`);
        narrationPx.push(m.fonts.narration);
        // The Present button (or F) leaves presentation mode, and everything is as before.
        await page.click('#btn-present');
        assert.ok(await page.isVisible('#side'), 'the side panel is back');
        const after = await presentMetrics(page);
        assert.equal(after.fonts.narration, 15, 'narration text is its normal size again');
        await page.keyboard.press('f');
        assert.equal(await page.isVisible('#side'), false, 'F enters presentation mode again');
        await page.keyboard.press('F');
        assert.ok(await page.isVisible('#side'));
        assert.deepEqual(errors, []);
      }
      assert.ok(narrationPx[1] > narrationPx[0] + 4, `text grows with the screen: ${narrationPx}`);
    },
  },
  {
    name: 'a presenter\'s clicker in a lesson: PageDown, → and Enter play to the next step, PageUp and ← go back, N does not replace the lesson\'s seed, and keys typed in a field stay text',
    async run({ open, shot }) {
      const { page, errors } = await open('?lesson=02-split-votes&lang=en&speed=0.2');
      await started(page);
      await waitFor(page, () => window.raftlab.lesson() != null);
      const l = await lesson(page);
      assert.ok(l.steps >= 4, 'a lesson with room to step');
      const seed = (await state(page)).settings.seed;
      // Each key plays (in beats) until the next step is shown.
      for (const [i, key] of ['PageDown', 'ArrowRight', 'Enter'].entries()) {
        await page.focus('#view');
        for (let presses = 0; (await lesson(page)).step !== i + 1; presses++) {
          assert.ok(presses < 12, `${key} reaches step ${i + 2}`);
          // A question waiting for the class is answered with its digit key.
          const ask = await lesson(page);
          await page.keyboard.press(ask.question && !ask.answered ? '1' : key);
          await waitFor(page, () => !window.raftlab.state().playing, null, 30000);
        }
        assert.equal((await state(page)).time_us, l.at_us[i + 1], `${key}: paused at step ${i + 2}`);
      }
      await page.keyboard.press('PageUp');
      await waitFor(page, (t) => window.raftlab.state().time_us === t, l.at_us[2]);
      await page.keyboard.press('ArrowLeft');
      await waitFor(page, (t) => window.raftlab.state().time_us === t, l.at_us[1]);
      assert.equal((await lesson(page)).step, 1);
      // A stray N (or R) leaves the lesson's run alone (the help says they are off in a lesson).
      await page.keyboard.press('n');
      await page.keyboard.press('r');
      const s = await state(page);
      assert.equal(s.settings.seed, seed, 'the lesson keeps its seed');
      assert.equal(s.time_us, l.at_us[1], 'and its moment');
      // Typing in a text field is text: no shortcut fires.
      await page.click('#log-search');
      await page.keyboard.type('n r f ');
      await page.keyboard.press('PageDown');
      assert.equal((await state(page)).settings.seed, seed);
      assert.equal((await lesson(page)).step, 1);
      assert.ok(await page.isVisible('#side'), 'f typed in a field is not presentation mode');
      assert.equal(await page.inputValue('#log-search'), 'n r f ');
      await shot(page, 'i13-clicker-keys');
      // The help lists the lesson's keys.
      await page.focus('#view');
      await page.keyboard.press('?');
      assert.match(await page.textContent('#help-keys'), /PgDn.*Lesson: Next.*new seed \(not in a lesson\)/s);
      await page.keyboard.press('Escape');
      // Without a lesson, → and ← travel in time as before.
      await page.click('#lesson-close');
      await page.focus('#view');
      const t0 = (await state(page)).time_us;
      await page.keyboard.press('ArrowRight');
      await waitFor(page, (t) => window.raftlab.state().time_us === t + 100000, t0);
      await page.keyboard.press('ArrowLeft');
      await waitFor(page, (t) => window.raftlab.state().time_us === t, t0);
      assert.deepEqual(errors, []);
    },
  },
  {
    name: 'embeds at 640×400 and 400×300, with and without a lesson: canvas, narration, Back and Next and the timeline all show, inside the frame, none over another',
    async run({ open, shot }) {
      for (const [w, h] of [[640, 400], [400, 300]]) {
        for (const q of ['?embed&lang=en', '?embed&lang=en&lesson=08-commit-current-term']) {
          const { page, errors } = await open(q);
          await page.setViewportSize({ width: w, height: h });
          await started(page);
          const withLesson = q.includes('lesson=');
          const ids = withLesson
            ? ['#view', '#timeline', '#lesson-body', '#lesson-back', '#lesson-next', '#btn-play', '#open-full']
            : ['#view', '#timeline', '#btn-play', '#btn-step', '#speed', '#btn-reset', '#open-full'];
          if (withLesson) {
            await waitFor(page, () => window.raftlab.lesson() != null);
            // The worst case: the violation step, with the teaching-switch warning and the banner.
            await toViolationStep(page);
            await waitFor(page, () => /As this lesson expects/.test(document.querySelector('#banner-text').textContent));
            assert.ok(await page.isVisible('#lesson-warning'));
            const warnH = await page.evaluate(() => document.getElementById('lesson-warning').getBoundingClientRect().height);
            assert.ok(warnH < 40, `the warning is folded to one line: ${warnH} px`);
          }
          const boxes = await boxesOf(page, ids);
          const label = `${q} at ${w}×${h}`;
          for (const [id, b] of Object.entries(boxes)) {
            assert.ok(b && b.width > 0 && b.height > 0, `${id} shows (${label})`);
            assert.ok(b.left >= 0 && b.top >= 0 && b.right <= w + 0.5 && b.bottom <= h + 0.5, `${id} inside the frame (${label}): ${JSON.stringify(b)}`);
          }
          for (const [a, ba] of Object.entries(boxes)) {
            for (const [b, bb] of Object.entries(boxes)) {
              if (a < b) assert.ok(!overlap(ba, bb), `${a} and ${b} do not overlap (${label}): ${JSON.stringify([ba, bb])}`);
            }
          }
          if (withLesson) {
            const n = await page.evaluate(() => { const e = document.getElementById('lesson-body'); return { sh: e.scrollHeight, ch: e.clientHeight, oy: getComputedStyle(e).overflowY }; });
            assert.ok(n.sh <= n.ch + 1 || n.oy === 'auto', `the narration scrolls: ${JSON.stringify(n)}`);
            assert.ok(n.ch >= 18, `a line of narration at least: ${JSON.stringify(n)}`);
          }
          assert.ok(boxes['#view'].height >= 60, `the canvas keeps room (${label}): ${boxes['#view'].height}`);
          await shot(page, `i13-embed-${w}x${h}${withLesson ? '-lesson' : ''}`);
          assert.deepEqual(errors, []);
        }
      }
    },
  },
  {
    name: 'an embed with ?controls=lesson shows lesson navigation, play and the timeline, and no node, network, settings or share controls',
    async run({ open, shot }) {
      const { page, errors } = await open('?embed&controls=lesson&lang=en&lesson=01-first-election');
      await page.setViewportSize({ width: 640, height: 400 });
      await started(page);
      await waitFor(page, () => window.raftlab.lesson() != null);
      for (const id of ['#lesson-next', '#lesson-back', '#btn-play', '#timeline', '#view']) {
        assert.ok(await page.isVisible(id), `${id} shows`);
      }
      for (const id of ['#btn-request', '#btn-partition', '#btn-heal', '#btn-add', '#btn-settings', '#btn-share', '#btn-reset', '#btn-seed', '#lesson-share-btn']) {
        assert.equal(await page.isVisible(id), false, `${id} hidden`);
      }
      // A click on a server opens no menu, and the run's keys do nothing.
      const s = await state(page);
      const n = node(s, 1);
      await page.mouse.click(n.client_x, n.client_y);
      await page.focus('#view');
      for (const k of ['1', 'c', 'q', 't', 'p', 'h', 'n']) await page.keyboard.press(k);
      await page.waitForTimeout(200);
      assert.equal(await page.isVisible('#node-menu'), false, 'no node menu');
      assert.equal((await state(page)).trace_len, s.trace_len, 'nothing happened to the run');
      await page.keyboard.press('PageDown');
      await waitFor(page, () => window.raftlab.state().playing || window.raftlab.lesson().step > 0);
      await shot(page, 'i13-controls-lesson');
      // A value the page does not know says so.
      const { page: p2, errors: e2 } = await open('?embed&controls=teacher&lang=en');
      await started(p2);
      assert.match(await p2.textContent('#banner-text'), /controls=teacher\?/);
      assert.ok(await p2.isVisible('#btn-play'));
      assert.deepEqual([...errors, ...e2], []);
    },
  },
  {
    name: 'the Share dialog\'s scenario text opens as the new run (a split vote written in the page), and a mistake shows its line and column and keeps the old run',
    async run({ open, shot }) {
      const { page, errors } = await open('?lang=en&autoplay=0');
      await ready(page);
      await page.click('#btn-share');
      await waitFor(page, () => document.getElementById('share-link').value.includes('#1.'));
      const oldLink = await page.inputValue('#share-link');
      // A mistake: nothing changes, and the message names the place.
      await page.fill('#scenario-text', 'nodes 3\nat 10ms timeout 1\nat 10ms tmeout 2\n');
      await page.click('#btn-open-scenario');
      assert.match(await page.textContent('#scenario-status'), /line 3, column \d+: unknown directive/);
      assert.equal((await state(page)).nodes.length, 5, 'the old run stays');
      await shot(page, 'i13-share-scenario-error');
      // A split vote: two servers time out together.
      const split = 'nodes 3\nseed 7\nat 10ms timeout 1\nat 10ms timeout 2\n';
      await page.fill('#scenario-text', split);
      await page.click('#btn-open-scenario');
      await waitFor(page, () => window.raftlab.state().nodes.length === 3);
      assert.equal(await page.textContent('#scenario-status'), '');
      const s = await state(page);
      assert.equal(s.settings.seed, 7);
      assert.equal(s.time_us, 0, 'the new run starts from its beginning');
      await waitFor(page, (old) => { const v = document.getElementById('share-link').value; return v.includes('#1.') && v !== old; }, oldLink);
      const link = await page.inputValue('#share-link');
      assert.ok((await page.inputValue('#embed-snippet')).includes(link.slice(link.indexOf('#'))), 'the iframe follows the new link');
      assert.match(await page.inputValue('#scenario-text'), /at 10ms timeout 2/);
      await shot(page, 'i13-share-scenario-opened');
      // The link opens the teacher's scenario.
      const { page: p2, errors: e2 } = await open(link.slice(link.indexOf('?') >= 0 ? link.indexOf('?') : link.indexOf('#')));
      await started(p2);
      await waitFor(p2, () => window.raftlab.state().nodes.length === 3);
      assert.equal((await state(p2)).settings.seed, 7);
      assert.deepEqual([...errors, ...e2], []);
    },
  },

  // ----- issue 13: questions and scores -----
  {
    name: 'a lesson question waits for an answer: Next says "Choose an answer first"; picking the right one plays to the reveal, marks it green and scores 1/1',
    async run({ open, shot }) {
      const { page, errors } = await openAsks(open, '?lang=en&speed=0.1');
      await waitFor(page, () => { const l = window.raftlab.lesson(); return l && l.question === 'first-leader'; });
      assert.ok(await page.isVisible('#lesson-ask'));
      assert.equal(await page.textContent('#lesson-ask-prompt'), 'Which server becomes the leader of term 1?');
      assert.deepEqual(await page.$$eval('#lesson-choices button:not([hidden])', (b) => b.map((x) => x.textContent)), ['1 Node 1', '2 Node 2', '3 Node 3']);
      await waitStepTicked(page, 0);
      await shot(page, 'i13-asking-en');
      // Next is refused, and says why; the run stays at the question.
      await page.click('#lesson-next');
      await waitFor(page, () => /Choose an answer first/.test(document.querySelector('#banner-text').textContent));
      const s0 = await state(page);
      assert.equal(s0.time_us, 0);
      assert.equal(s0.playing, false);
      // The right pick: the run plays (not a jump) to the reveal at 191 ms.
      await page.click('#lesson-choice-0');
      await waitFor(page, () => window.raftlab.state().playing && window.raftlab.state().time_us > 0);
      assert.equal(await page.isVisible('#banner'), false, '"Choose an answer first" leaves once an answer is chosen');
      const mid = await state(page);
      assert.ok(mid.time_us < 191000, `playing, at ${mid.time_us} µs`);
      assert.match(await page.textContent('#lesson-ask-result'), /Your answer: Node 1/);
      await waitFor(page, () => window.raftlab.state().time_us === 191000 && !window.raftlab.state().playing, null, 30000);
      // The reveal is step 1's moment: the graded question stays on screen
      // there, green, with its explanation, and says what Next does.
      const l = await lesson(page);
      assert.deepEqual([l.step, l.question, l.answered, l.held, l.picked, l.correct, l.score, l.asked], [1, 'first-leader', true, true, 0, true, 1, 1]);
      assert.ok(await page.isVisible('#lesson-ask'), 'the verdict is on screen at the reveal');
      assert.ok(await page.$('#lesson-choice-0.right'), 'the right choice is green');
      assert.equal(await page.$('#lesson-choices button.wrong'), null);
      assert.match(await page.textContent('#lesson-ask-result'), /^✓ Right\. Node 1's election timer ran out first.* press Next for its question\.$/);
      assert.equal(await page.textContent('#lesson-score'), 'Score 1/1');
      assert.ok(await page.isVisible('#lesson-ask-again'), 'says how to answer again');
      await shot(page, 'i13-right-en');
      // Next: step 1's own question takes its place; the run has not moved.
      await page.click('#lesson-next');
      await waitFor(page, () => window.raftlab.lesson().question === 'after-crash');
      const next = await lesson(page);
      assert.deepEqual([next.step, next.answered, next.held], [1, false, false]);
      assert.equal((await state(page)).time_us, 191000);
      // Back shows the answered question on its own step.
      await page.click('#lesson-back');
      await waitFor(page, () => window.raftlab.lesson().step === 0);
      const back = await lesson(page);
      assert.deepEqual([back.question, back.answered, back.held, back.picked, back.correct], ['first-leader', true, false, 0, true]);
      assert.deepEqual(errors, []);
    },
  },
  {
    name: 'a wrong answer (by its digit key) is marked red, the right one green, with the explanation; the score is remembered after a reload',
    async run({ open, shot }) {
      const { page, errors } = await openAsks(open, '?lang=en&speed=0.4');
      await waitFor(page, () => window.raftlab.lesson()?.question === 'first-leader');
      await page.keyboard.press('2');
      await waitFor(page, () => window.raftlab.lesson().held, null, 30000);
      assert.match(await page.textContent('#lesson-ask-result'), /^✗ Not this time: the run shows Node 1\./);
      await page.keyboard.press('PageDown');
      await waitFor(page, () => window.raftlab.lesson().question === 'after-crash');
      await page.keyboard.press('3');
      await waitFor(page, () => window.raftlab.lesson().answered, null, 30000);
      assert.equal((await state(page)).time_us, 800000);
      const l = await lesson(page);
      assert.deepEqual([l.picked, l.correct, l.score, l.asked], [2, false, 0, 2]);
      assert.ok(await page.$('#lesson-choice-2.wrong'), 'the pick is red');
      assert.ok(await page.$('#lesson-choice-0.right'), 'the right one is green');
      const why = await page.textContent('#lesson-ask-result');
      assert.match(why, /Not this time: the run shows Node 2\. Two of three servers are still a majority/);
      assert.equal(await page.textContent('#lesson-score'), 'Score 0/2');
      await shot(page, 'i13-wrong-en');
      // Next continues after the reveal.
      await page.click('#lesson-next');
      await waitFor(page, () => window.raftlab.lesson().step === 2, null, 30000);
      // Reload: the answers are back, shown as answered.
      await page.reload();
      await waitFor(page, () => window.raftlab?.lesson?.()?.question === 'first-leader');
      const again = await lesson(page);
      assert.deepEqual([again.answered, again.picked, again.correct, again.score, again.asked], [true, 1, false, 0, 2]);
      assert.ok(await page.$('#lesson-choice-1.wrong'));
      assert.match(await page.evaluate(() => localStorage.getItem('raftlab.progress')), /^raftlab-progress 1\n/);
      // Next passes an answered question.
      await page.click('#lesson-next');
      await waitFor(page, () => window.raftlab.state().time_us > 0);
      assert.deepEqual(errors, []);
    },
  },
  {
    name: 'the lesson list shows a lesson\'s score and ✓; the review lists the missed question and its link opens that step; Reset progress asks first',
    async run({ open, shot }) {
      const { page, errors } = await openAsks(open, '?lang=en&speed=0.4');
      await answerAsks(page, ['1', '3']);
      await page.click('#lesson-next');
      await waitFor(page, () => window.raftlab.lesson().step === 2, null, 30000);
      await page.click('#lesson-menu');
      await waitFor(page, () => document.querySelectorAll('#lesson-items li').length === 11);
      const item = page.locator('#lesson-own a.lesson-item', { hasText: 'asks-fixture' });
      assert.match(await item.textContent(), /Score 1\/2/);
      assert.equal(await item.locator('.mark.done').textContent(), '✓');
      await page.click('#review-btn');
      const missed = page.locator('#review-items li');
      assert.equal(await missed.count(), 1);
      const text = await missed.textContent();
      assert.match(text, /Fixture: predict the leader · Node 1 crashes at 300 ms\. Who leads after that\?/);
      assert.match(text, /You answered Nobody: two servers are not enough; the run showed Node 2\./);
      await shot(page, 'i13-review-en');
      await missed.locator('a').click();
      await waitFor(page, () => window.raftlab?.lesson?.()?.question === 'after-crash');
      assert.equal((await state(page)).time_us, 191000, 'at the question\'s step');
      assert.equal((await lesson(page)).correct, false);
      // Reset progress: dismissed, nothing changes; accepted, all is asked again.
      await page.click('#lesson-menu');
      page.once('dialog', (d) => d.dismiss());
      await page.click('#progress-reset');
      assert.equal((await lesson(page)).asked, 2);
      page.once('dialog', (d) => { assert.match(d.message(), /Forget every answer/); d.accept(); });
      await page.click('#progress-reset');
      await waitFor(page, () => window.raftlab.lesson().asked === 0);
      assert.equal(await page.locator('#lesson-own a.lesson-item', { hasText: 'asks-fixture' }).count(), 0);
      assert.match(await page.textContent('#review-items'), /No missed questions/);
      assert.equal((await lesson(page)).answered, false);
      assert.deepEqual(errors, []);
    },
  },
  {
    name: 'a course page framing Raftlab receives raftlab:step, raftlab:answer and raftlab:complete and shows the score',
    async run({ context, base, shot }) {
      const origin = new URL(base).origin;
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.route(origin + '/course.html*', (r) => r.fulfill({ contentType: 'text/html', body: fs.readFileSync(path.join(ROOT, 'docs/course-page.html')) }));
      await page.goto(origin + '/course.html');
      await page.evaluate(() => localStorage.removeItem('raftlab.progress'));
      const inner = base + '?embed&lang=en&speed=0.4&lesson-url=' + encodeURIComponent(origin + '/fixtures/asks.lesson');
      await page.goto(origin + '/course.html?raftlab=' + encodeURIComponent(inner));
      const frame = page.frameLocator('#raftlab');
      await waitFor(page, () => window.received.some((m) => m.type === 'raftlab:step'));
      await frame.locator('#lesson-choice-0').click();
      await waitFor(page, () => window.received.some((m) => m.type === 'raftlab:answer'), null, 30000);
      // The verdict is held over step 1 until Next asks step 1's question.
      await frame.locator('#lesson-next').click();
      await frame.locator('#lesson-choice-1:not([disabled])').click();
      await waitFor(page, () => window.received.filter((m) => m.type === 'raftlab:answer').length === 2, null, 30000);
      await frame.locator('#lesson-next').click();
      await waitFor(page, () => window.received.some((m) => m.type === 'raftlab:complete'), null, 30000);
      const got = await page.evaluate(() => window.received);
      const of = (t) => got.filter((m) => m.type === t).map(({ type, ...rest }) => rest);
      assert.deepEqual(of('raftlab:step').map((m) => m.step), [0, 1, 2]);
      assert.deepEqual(of('raftlab:step')[0], { lesson: 'asks-fixture', step: 0, of: 3 });
      assert.deepEqual(of('raftlab:answer'), [
        { lesson: 'asks-fixture', question: 'first-leader', choice: 0, correct: true },
        { lesson: 'asks-fixture', question: 'after-crash', choice: 1, correct: false },
      ]);
      assert.deepEqual(of('raftlab:complete'), [{ lesson: 'asks-fixture', score: 1, of: 2 }]);
      assert.equal(await page.textContent('#score'), '1 / 2');
      assert.match(await page.textContent('#done'), /lesson complete: 1 of 2/);
      await shot(page, 'i13-course-page');
      // Not framed: nothing is posted (and nothing fails).
      assert.deepEqual(errors, []);
    },
  },
  {
    name: 'a Chinese page asks, grades and reviews the questions in Chinese',
    async run({ open, shot }) {
      const { page, errors } = await openAsks(open, '?lang=zh&speed=0.4');
      await waitFor(page, () => window.raftlab.lesson()?.question === 'first-leader');
      await waitFor(page, () => document.querySelector('#lesson-ask-prompt').textContent === '哪个节点会成为任期 1 的领导者？');
      assert.match(await page.textContent('#lesson-ask-result'), /选一个答案/);
      await shot(page, 'i13-asking-zh');
      await page.click('#lesson-next');
      await waitFor(page, () => /请先选择一个答案/.test(document.querySelector('#banner-text').textContent));
      await answerAsks(page, ['1', '3']);
      await page.click('#lesson-back');
      await waitFor(page, () => window.raftlab.lesson().question === 'after-crash' && window.raftlab.state().time_us === 191000);
      assert.match(await page.textContent('#lesson-ask-result'), /这次没答对：运行给出的答案是 节点 2。/);
      assert.equal(await page.textContent('#lesson-score'), '得分 1/2');
      const words = englishWords(await page.textContent('#lesson-ask'));
      assert.deepEqual(words, [], 'no English in the question area');
      await shot(page, 'i13-wrong-zh');
      await page.click('#lesson-menu');
      await page.click('#review-btn');
      assert.match(await page.textContent('#review-items'), /测试课程：预测领导者 · 节点 1 在 300 毫秒时宕机。之后谁来领导？/);
      assert.match(await page.textContent('#review-items'), /回到这个问题/);
      assert.deepEqual(englishWords(await page.textContent('#review')), []);
      await shot(page, 'i13-review-zh');
      assert.deepEqual(errors, []);
    },
  },
  // ----- issue 12: the frame-time budget -----
  {
    name: 'what just happened: the mark of a crash is a thin vermillion ring that fades within a second',
    async run({ open, shot }) {
      const { page, errors } = await open(`?autoplay=0&lang=en&scenario=${encodeURIComponent('nodes 5\nseed 7\n')}`);
      await ready(page);
      await page.evaluate(() => window.raftlab.seek(1));
      const around = (id) => vermillionAround(page, id);
      await nodeAction(page, 3, 'crash');
      await page.waitForTimeout(150);
      const during = await around(3);
      await shot(page, 'i12-frame-flash-crash');
      assert.ok(during.accent > 40, `a vermillion ring: ${during.accent} px`);
      assert.ok(during.accent < during.area / 8, `a thin one: ${during.accent} of ${during.area} px`);
      await page.waitForTimeout(1300);
      assert.ok((await around(3)).accent < 10, 'and it is gone after a second');
      assert.deepEqual(errors, []);
    },
  },
  {
    name: 'prefers-reduced-motion: the mark of a crash fades where it is, without widening (and widens without the setting)',
    async run({ open }) {
      const spread = {};
      for (const motion of ['no-preference', 'reduce']) {
        const { page, errors } = await open(`?autoplay=0&lang=en&scenario=${encodeURIComponent('nodes 5\nseed 7\n')}`);
        await page.emulateMedia({ reducedMotion: motion });
        await ready(page);
        await page.evaluate(() => window.raftlab.seek(1));
        await nodeAction(page, 3, 'crash');
        await page.waitForTimeout(100);
        const early = await vermillionAround(page, 3);
        await page.waitForTimeout(300);
        const late = await vermillionAround(page, 3);
        assert.ok(early.warm > 40 && late.warm > 20, `${motion}: a ring both times (${early.warm}, ${late.warm} px)`);
        spread[motion] = Math.round((late.reach - early.reach) * 10) / 10;
        assert.deepEqual(errors, []);
        await page.close();
      }
      assert.ok(spread['no-preference'] > 2, `the ring widens by default: ${spread['no-preference']} px`);
      assert.ok(Math.abs(spread.reduce) <= 1, `with reduced motion it keeps its size: ${spread.reduce} px`);
    },
  },
  {
    name: 'the canvas in words: Tab from the canvas reaches one line per server, shown while focused; the live region says a crash and the next leader, in English and Chinese',
    async run({ open, shot }) {
      const { page, errors } = await open(`?autoplay=0&lang=en&scenario=${encodeURIComponent('nodes 3\nseed 7\n')}`);
      await ready(page);
      await page.evaluate(() => window.raftlab.seek(2));
      await waitLeader(page);
      const leader = await page.evaluate(() => window.raftlab.state().leader);
      await waitFor(page, () => document.querySelectorAll('#cluster-summary-list li').length === 3);
      const lines = await page.$$eval('#cluster-summary-list li', (lis) => lis.map((li) => li.textContent));
      assert.ok(lines.some((l) => new RegExp(`^S${leader}: leader, term \\d+, log up to \\d+, committed up to \\d+$`).test(l)), lines.join(' / '));
      assert.equal(lines.filter((l) => /: follower, /.test(l)).length, 2, lines.join(' / '));
      const hidden = await page.$eval('#cluster-summary', (e) => e.getBoundingClientRect().width);
      assert.ok(hidden <= 1, `not drawn until focused (${hidden} px)`);
      await page.focus('#view');
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'cluster-summary');
      const box = await page.$eval('#cluster-summary', (e) => { const r = e.getBoundingClientRect(); return { w: r.width, h: r.height }; });
      assert.ok(box.w > 200 && box.h > 40, `shown while focused: ${JSON.stringify(box)}`);
      await shot(page, 'i15-summary-focused-en');
      await nodeAction(page, leader, 'crash');
      await waitFor(page, (id) => document.getElementById('live').textContent === `S${id} is down. No server leads now`, leader);
      await page.click('#btn-play');
      await waitFor(page, () => /^S\d is the leader of term \d+/.test(document.getElementById('live').textContent));
      const next = await page.evaluate(() => window.raftlab.state().leader);
      assert.notEqual(next, leader);
      assert.match(await page.textContent('#live'), new RegExp(`^S${next} is the leader`));
      assert.equal(await page.getAttribute('#live', 'aria-live'), 'polite');
      assert.deepEqual(errors, []);
      const zh = await open(`?autoplay=0&lang=zh&scenario=${encodeURIComponent('nodes 3\nseed 7\n')}`);
      await ready(zh.page);
      await zh.page.evaluate(() => window.raftlab.seek(2));
      await waitFor(zh.page, () => /^S\d：领导者，任期 \d+，日志到第 \d+ 条，已提交到第 \d+ 条$/.test([...document.querySelectorAll('#cluster-summary-list li')].map((li) => li.textContent).join('\n').split('\n').find((l) => /领导者/.test(l)) ?? ''));
      assert.equal(await zh.page.textContent('#cluster-summary-title'), '用文字描述的集群');
      assert.deepEqual(zh.errors, []);
    },
  },
  {
    name: 'lesson 3, step 2: the rule panel says the leader sent AppendEntries (1 entry, term 1), never "1 entries", in English and Chinese',
    async run({ open }) {
      for (const [lang, said] of [['en', /AppendEntries \(1 entry, term 1\)/], ['zh', /AppendEntries（1 条，任期 1）/]]) {
        const { page, errors } = await open(`?lesson=03-log-replication&lang=${lang}`);
        await started(page);
        await waitStepTicked(page, 0);
        await clickNext(page);
        await waitStepTicked(page, 1);
        await waitFor(page, (said) => new RegExp(said).test(document.querySelector('#rules-now').textContent), said.source);
        assert.doesNotMatch(await page.textContent('body'), /\b1 entries\b/);
        assert.deepEqual(errors, []);
        await page.close();
      }
    },
  },
  {
    name: 'release build: the wasm imports its glue by short names, each a key of the glue (scripts/post-build.mjs, for the download budget)',
    async run({ open }) {
      const names = Array.from({ length: 3000 }, (_, i) => shortName(i));
      assert.equal(new Set(names).size, names.length, 'short names never repeat');
      assert.ok(names.every((n) => /^[a-zA-Z]+$/.test(n)), 'short names are plain identifiers');
      const wasm = fs.readdirSync(DIST).filter((f) => f.endsWith('_bg.wasm'));
      assert.equal(wasm.length, 1, `one wasm in ${DIST}`);
      const imports = WebAssembly.Module.imports(new WebAssembly.Module(fs.readFileSync(path.join(DIST, wasm[0]))));
      const glue = imports.filter((i) => i.module === GLUE_MODULE).map((i) => i.name);
      assert.ok(glue.length > 100, `the wasm imports its glue (${glue.length} imports)`);
      assert.deepEqual(glue, names.slice(0, glue.length), 'named a, b, … in import order');
      // And the page still links them: it starts and elects a leader.
      const { page, errors } = await open('?speed=1');
      await ready(page);
      await waitLeader(page);
      assert.deepEqual(errors, []);
    },
  },
  // ----- issue 14: long sessions -----
  {
    name: 'a run sought past one hour keeps playing, and seeking far back then forward gives the same state',
    async run({ open, shot }) {
      const { page, errors } = await open('?autoplay=0&lang=en');
      await started(page);
      await page.evaluate(() => { const r = window.raftlab; r.pause(); r.seek(3700); });
      const at = await state(page);
      assert.equal(at.time_us, 3_700_000_000, 'no one-hour cap');
      const hash = await page.evaluate(() => window.raftlab.traceHash());
      await page.evaluate(() => { const r = window.raftlab; r.seek(12.5); r.seek(3700); });
      const again = await state(page);
      assert.deepEqual(again.nodes, at.nodes);
      assert.equal(again.trace_len, at.trace_len);
      assert.equal(await page.evaluate(() => window.raftlab.traceHash()), hash);
      await page.evaluate(() => window.raftlab.play());
      await waitFor(page, () => window.raftlab.state().time > 3700.5, null, 20000);
      await shot(page, 'i14-past-one-hour');
      assert.deepEqual(errors, []);
    },
  },
];

/** Pixels in the square around node `id`: those in a fault's accent
 * (Okabe–Ito vermillion, also as it fades into the paper), those warm
 * (red well above blue: the vermillion ring as it fades over whatever lies
 * under it, not only paper), how far from the node's centre the farthest
 * warm one is (CSS px), and the square's area. */
function vermillionAround(page, id) {
  return page.evaluate((id) => {
    const c = document.getElementById('view');
    const k = c.width / c.getBoundingClientRect().width;
    const n = window.raftlab.state().nodes.find((n) => n.id === id);
    const R = n.r + 24;
    const img = c.getContext('2d').getImageData(Math.round((n.x - R) * k), Math.round((n.y - R) * k), Math.round(2 * R * k), Math.round(2 * R * k));
    let accent = 0;
    let warm = 0;
    let reach = 0;
    for (let i = 0; i < img.data.length; i += 4) {
      const [r, g, b] = [img.data[i], img.data[i + 1], img.data[i + 2]];
      if (r > 150 && r - b > 60 && r - g > 40) accent++;
      if (r > 150 && r - b > 40) {
        warm++;
        const p = i / 4;
        reach = Math.max(reach, Math.hypot((p % img.width) / k - R, Math.floor(p / img.width) / k - R));
      }
    }
    return { accent, warm, reach, area: img.data.length / 4 };
  }, id);
}

/** Next, as a student who answers: a question waiting on screen gets its
 * first choice, whose pick plays on to the reveal as Next plays to the next
 * step (these tests are about the steps, not the answers). */
async function clickNext(page) {
  // A verdict held over this step: the first Next only lets the step's own
  // question take its place (when it asks nothing, that Next plays on).
  if (await page.evaluate(() => window.raftlab.lesson()?.held)) {
    await page.click('#lesson-next');
    if (await page.evaluate(() => window.raftlab.state().playing)) return;
  }
  const waiting = await page.evaluate(() => { const l = window.raftlab.lesson(); return !!(l && l.question && !l.answered); });
  await page.click(waiting ? '#lesson-choice-0' : '#lesson-next');
}

// ----- issue 13 helpers -----

/** Seeks a lesson 8 page to the step that narrates the violation (the longest narration, with the warning). */
async function toViolationStep(page) {
  await page.evaluate(() => { const l = window.raftlab.lesson(); window.raftlab.pause(); window.raftlab.seek(l.at_us[4] / 1e6); });
  await waitFor(page, () => window.raftlab.lesson().step === 4 && window.raftlab.state().violations.length > 0);
  await page.waitForTimeout(150);
}

/** What presentation mode promises, measured: toolbar rows, Back and Next, font sizes, the canvas, the narration. */
function presentMetrics(page) {
  return page.evaluate(() => {
    const box = (id) => document.getElementById(id).getBoundingClientRect();
    const px = (sel) => parseFloat(getComputedStyle(document.querySelector(sel)).fontSize);
    const shown = [...document.querySelectorAll('#topbar button, #topbar select')].filter((e) => e.offsetParent !== null);
    const tops = shown.map((e) => Math.round(e.getBoundingClientRect().top));
    const body = document.getElementById('lesson-body');
    const claim = document.querySelector('#lesson-claims li');
    return {
      // Controls of one row start within a few px of each other.
      toolbarRows: Math.max(...tops) - Math.min(...tops) < 10 ? 1 : 2,
      toolbarTops: tops,
      back: box('lesson-back').toJSON(),
      next: box('lesson-next').toJSON(),
      fonts: {
        narration: px('#lesson-text'),
        claims: claim ? parseFloat(getComputedStyle(claim).fontSize) : 0,
        toolbar: px('#btn-play'),
        next: px('#lesson-next'),
        count: px('#lesson-count'),
        clock: px('#clock'),
      },
      canvasH: box('view').height,
      canvasW: Math.round(box('view').width),
      narration: { fits: body.scrollHeight <= body.clientHeight + 1, scrolls: getComputedStyle(body).overflowY === 'auto', visibleH: body.clientHeight },
    };
  });
}

/** The bounding boxes of these elements (null if absent or hidden). */
function boxesOf(page, ids) {
  return page.evaluate((ids) => Object.fromEntries(ids.map((id) => {
    const e = document.querySelector(id);
    const r = e && e.offsetParent !== null ? e.getBoundingClientRect().toJSON() : null;
    return [id, r];
  })), ids);
}

function overlap(a, b) {
  return a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
}

/** Opens the question fixture (tests/browser/fixtures/asks.lesson) with no progress kept from an earlier test. */
async function openAsks(open, query) {
  const opened = await open(query);
  await started(opened.page);
  await opened.page.evaluate(() => localStorage.removeItem('raftlab.progress'));
  const url = new URL(opened.page.url());
  const fixture = url.origin + '/fixtures/asks.lesson';
  await opened.page.goto(url.origin + url.pathname + query + '&lesson-url=' + encodeURIComponent(fixture));
  await started(opened.page);
  await waitFor(opened.page, () => window.raftlab.lesson() != null);
  return opened;
}

/** Answers the fixture's questions in turn with these digit keys, waiting for each reveal. */
async function answerAsks(page, keys) {
  for (const [i, key] of keys.entries()) {
    const id = ['first-leader', 'after-crash'][i];
    await waitFor(page, (id) => { const l = window.raftlab.lesson(); return l.question === id && !l.answered && !window.raftlab.state().playing; }, id, 30000);
    await page.keyboard.press(key);
    await waitFor(page, (id) => window.raftlab.lesson().question === id && window.raftlab.lesson().answered, id, 30000);
    // A verdict held over the next step: Next asks that step's question.
    if (await page.evaluate(() => window.raftlab.lesson().held)) await page.click('#lesson-next');
  }
  await waitFor(page, () => window.raftlab.lesson().answered, null, 30000);
}
