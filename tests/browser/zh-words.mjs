// The English words a Chinese page shows, beyond the paper's names.
// Used by the browser test "a Chinese page shows no English words" (tests.mjs).
// It opens the page in Chinese, plays a lesson with a partition, a crash and
// a membership change, opens every panel a student opens (node details, a
// message, settings, help, the lesson list, share), visits every step of
// every lesson, and collects the visible text of each view and the words
// painted on the canvas.

/** The bundled lessons, in course order. */
export const LESSON_IDS = [
  '01-first-election', '02-split-votes', '03-log-replication', '04-leader-crash',
  '05-network-partition', '06-log-repair', '07-election-restriction', '08-commit-current-term',
  '09-majorities', '10-membership-change', '11-prevote-checkquorum',
];

/** ASCII words a Chinese page may show: the paper's own names (students
 * meet them in the paper in English), units, and Raftlab's own name. */
export const ALLOWED = new Set([
  // The paper's RPCs and the fields of Figure 2, spelled as there.
  'AppendEntries', 'RequestVote', 'InstallSnapshot', 'TimeoutNow', 'PreVote', 'Pre-Vote', 'CheckQuorum',
  // Their replies, as `Message::type_name` writes them (allowed by the Rust
  // check too): the rule panel names the latest event, often a message.
  'AppendEntriesReply', 'RequestVoteReply', 'InstallSnapshotReply', 'PreVoteReply',
  'nextIndex', 'matchIndex', 'commitIndex', 'lastApplied', 'currentTerm', 'votedFor',
  'prevLogIndex', 'prevLogTerm', 'leaderCommit', 'lastLogIndex', 'lastLogTerm', 'Raft',
  // Keys on the keyboard, as printed on them (the help overlay).
  'Esc', 'Space', 'Enter', 'Shift', 'PgDn', 'PgUp',
  // Units and format names Chinese technical text uses as is.
  'ms', 'KB', 'JSON', 'Lines', 'PNG',
  // Our name, and the key-value commands of the scenario (data, not prose).
  'Raftlab', 'set',
]);

/** Words (runs of ASCII letters) in `text` that are not allowed. Two kinds
 * of English are meant to be there and are skipped: a gloss in full-width
 * parentheses after the Chinese term (未提交（uncommitted）, or a command
 * the student can type, 隔离领导者（isolate 3）), and file names
 * (docs/lessons.md, .txt). Single letters are keys, groups and entries. */
export function englishWords(text) {
  const prose = text
    .replace(/（[\x20-\x7e]+）/g, ' ')
    .replace(/[\w./-]*\.(md|txt|lesson)\b/g, ' ');
  const out = new Set();
  for (const w of prose.match(/[A-Za-z][A-Za-z_-]*/g) ?? []) {
    const word = w.replace(/[-_]+$/, '');
    if (!ALLOWED.has(word) && !/^[A-Za-z]$/.test(word)) out.add(word);
  }
  return [...out].sort();
}

/** The visible text of the page (what a student can read, including titles). */
export const visibleText = (page) => page.evaluate(() => {
  const parts = [];
  const walk = (el) => {
    if (el.nodeType === Node.TEXT_NODE) { parts.push(el.textContent); return; }
    if (el.nodeType !== Node.ELEMENT_NODE) return;
    const style = getComputedStyle(el);
    if (el.hidden || style.display === 'none' || style.visibility === 'hidden') return;
    if (['SCRIPT', 'STYLE', 'TEXTAREA', 'NOSCRIPT'].includes(el.tagName)) return;
    // The language menu names each language in itself ("English").
    if (el.id === 'lang') return;
    // Inputs with links or scenario text are data, not prose.
    if (el.tagName === 'INPUT') { if (el.placeholder) parts.push(el.placeholder); return; }
    if (el.title) parts.push(el.title);
    if (el.getAttribute('aria-label')) parts.push(el.getAttribute('aria-label'));
    for (const c of el.childNodes) walk(c);
  };
  walk(document.body);
  return parts.join('\n');
});

/** Drives a Chinese page through what a student does, collecting the English
 * words each view shows: { where: [words] } for every view that leaks. */
export async function englishOnChinesePage(open) {
  const leaks = {};
  const { page, errors } = await open('?lang=zh&speed=4&lesson=05-network-partition');
  const look = async (where) => {
    const words = englishWords(await visibleText(page));
    if (words.length) leaks[where] = words;
  };
  await page.waitForFunction(() => window.raftlab && window.raftlab.state().nodes.length > 0);
  await look('lesson 5, step 1');
  for (let k = 0; k < 6; k++) {
    if (!(await page.isEnabled('#lesson-next'))) break;
    await page.click('#lesson-next');
    await page.waitForTimeout(400);
    await look(`lesson 5, after Next ×${k + 1}`);
  }
  await page.evaluate(() => window.raftlab.pause());
  // Node details of each node, and the node menu.
  const s = await page.evaluate(() => window.raftlab.state());
  for (const n of s.nodes) {
    await page.mouse.click(n.client_x, n.client_y);
    await look(`node ${n.id}: menu and details`);
    await page.keyboard.press('Escape');
  }
  // A message's fields.
  await page.evaluate(() => { window.raftlab.act('request "set x=1"'); window.raftlab.speed(0.02); window.raftlab.play(); });
  await page.waitForFunction(() => window.raftlab.state().messages.length > 0);
  await page.evaluate(() => window.raftlab.pause());
  const m = (await page.evaluate(() => window.raftlab.state())).messages[0];
  if (m) { await page.mouse.click(m.client_x, m.client_y); await look('a message'); await page.keyboard.press('Escape'); }
  // Crash, membership change, drop: the event log and safety panel.
  await page.evaluate(() => {
    const r = window.raftlab;
    r.act('crash 2'); r.act('remove 3'); r.act('add 6'); r.act('restart 2'); r.speed(4); r.play();
  });
  await page.waitForTimeout(3000);
  await page.evaluate(() => window.raftlab.pause());
  await look('event log after crash, remove, add, restart');
  for (const [button, dialog] of [['#btn-settings', 'settings'], ['#btn-help', 'help'], ['#btn-share', 'share'], ['#btn-lessons', 'lesson list']]) {
    if (!(await page.isVisible(button))) continue;
    await page.click(button);
    await page.waitForTimeout(200);
    await look(dialog);
    await page.keyboard.press('Escape');
  }
  // Every step of every lesson, reached with the timeline (seek), as Back
  // and the step list do: the narration, its claims, the event log and
  // the safety panel, and every word painted on the canvas (fillText is
  // recorded from the page's start).
  for (const id of LESSON_IDS) {
    const { page: p, errors: e } = await open(`?lang=zh&lesson=${id}`);
    await p.addInitScript(() => {
      window.__painted = new Set();
      const fill = CanvasRenderingContext2D.prototype.fillText;
      CanvasRenderingContext2D.prototype.fillText = function (text, ...rest) {
        window.__painted.add(String(text));
        return fill.call(this, text, ...rest);
      };
    });
    await p.reload();
    await p.waitForFunction(() => window.raftlab && window.raftlab.lesson() != null);
    const steps = await p.evaluate(() => window.raftlab.lesson().at_us);
    for (const [k, at] of steps.entries()) {
      await p.evaluate((at) => { window.raftlab.pause(); window.raftlab.seek(at / 1e6); }, at);
      await p.waitForFunction((k) => window.raftlab.lesson().step === k, k);
      await p.waitForTimeout(150);
      const words = englishWords(await visibleText(p));
      if (words.length) leaks[`lesson ${id}, step ${k + 1}`] = words;
      const painted = englishWords(await p.evaluate(() => [...window.__painted].join('\n')));
      if (painted.length) leaks[`lesson ${id}, step ${k + 1}, canvas`] = painted;
    }
    errors.push(...e);
    await p.close();
  }
  return { leaks, errors };
}
