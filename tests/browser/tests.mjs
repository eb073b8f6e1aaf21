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

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const state = (page) => page.evaluate(() => window.raftlab.state());
const ready = (page) => page.waitForFunction(() => window.raftlab && window.raftlab.state().nodes.length > 0);
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
    name: 'the wasm trace hash of a fixed scenario equals the native one',
    async run({ open }) {
      const scenario = 'nodes 5\nseed 42\nat 1s crash 1\nat 2s request "set a=5"\nat 3s partition 1 2 | 3 4 5\nat 5s heal\nat 6s restart 1\n';
      const file = path.join(os.tmpdir(), 'raftlab-hash-test.txt');
      fs.writeFileSync(file, scenario);
      const bin = path.join(ROOT, 'target/debug/raftlab');
      if (!fs.existsSync(bin)) execFileSync('cargo', ['build', '-q', '-p', 'cli'], { cwd: ROOT, stdio: 'inherit' });
      const native = execFileSync(bin, ['hash', file, '--until', '8s'], { encoding: 'utf8' }).trim();
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
      await page.evaluate(() => { try { window.raftlab.debugPanic(); } catch (e) { /* the trap */ } });
      await page.waitForSelector('#panic-overlay:not([hidden])');
      const report = await page.textContent('#panic-text');
      assert.match(report, /debugPanic/);
      assert.match(report, /#1\./, 'the report includes the share link');
      await shot(page, 'panic');
    },
  },
];
