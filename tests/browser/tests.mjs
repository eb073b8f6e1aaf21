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
import { englishOnChinesePage } from './zh-words.mjs';

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

/** Clicks a node on the canvas and picks an action from its menu. */
async function nodeAction(page, id, act) {
  const n = node(await state(page), id);
  await page.mouse.click(n.client_x, n.client_y);
  await page.waitForSelector('#node-menu:not([hidden])');
  await page.click(`#node-menu button[data-act="${act}"]`);
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
      assert.match(await page.textContent('#clock'), /past|过去/);
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
          await page.click('#lesson-next');
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
      await p2.click('#lesson-next');
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
      await page.click('#lesson-next');
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
          await page.click('#lesson-next');
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
        await page.click('#lesson-next');
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
          await page.click('#lesson-next');
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
];
