// Shared harness for the browser tests and the page benchmark: serves dist/
// under a sub-path (as on a GitHub Pages project site, so relative URLs are
// exercised) and launches Debian's Chromium headless through playwright-core.
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const DIST = process.env.RAFTLAB_DIST ?? path.resolve(here, '../../dist');
export const SUBPATH = '/course/raftlab/';
export const SHOTS = path.join(here, 'screenshots');
/** Test files (lessons, scenarios) served at /fixtures/ for ?lesson-url=. */
export const FIXTURES = path.join(here, 'fixtures');

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.css': 'text/css', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.json': 'application/json', '.txt': 'text/plain; charset=utf-8',
  '.ico': 'image/x-icon', '.webmanifest': 'application/manifest+json',
};

/**
 * Serves DIST at SUBPATH on a free loopback port. Resolves to { url, close }.
 * `headHtml`, when given, is put right after index.html's <html> tag (the
 * cross-engine suite records the page's errors this way, the same in every
 * engine, before any other script runs).
 */
export function serveDist({ headHtml = '' } = {}) {
  if (!fs.existsSync(path.join(DIST, 'index.html'))) {
    throw new Error(`no ${DIST}/index.html: build first (scripts/wasm-env trunk build --release --offline)`);
  }
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname.startsWith('/fixtures/')) {
      const file = path.resolve(FIXTURES, decodeURIComponent(url.pathname.slice('/fixtures/'.length)));
      if (!file.startsWith(FIXTURES + path.sep) || !fs.existsSync(file)) { res.writeHead(404).end('not found'); return; }
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      fs.createReadStream(file).pipe(res);
      return;
    }
    if (!url.pathname.startsWith(SUBPATH)) { res.writeHead(404).end('not under ' + SUBPATH); return; }
    let rel = decodeURIComponent(url.pathname.slice(SUBPATH.length)) || 'index.html';
    const file = path.resolve(DIST, rel);
    if (!file.startsWith(DIST) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404).end('not found'); return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    if (headHtml && path.basename(file) === 'index.html') {
      res.end(fs.readFileSync(file, 'utf8').replace(/<html[^>]*>/, (tag) => tag + headHtml));
      return;
    }
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ url: `http://127.0.0.1:${port}${SUBPATH}`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

/** Launches headless Chromium with the flags this closed network needs. */
export async function launch() {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'raftlab-chromium-'));
  const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
    viewport: { width: 1280, height: 800 },
  });
  return {
    context,
    close: async () => { await context.close(); fs.rmSync(userDataDir, { recursive: true, force: true }); },
  };
}

/** Opens a page and records console errors and uncaught exceptions. */
export async function openPage(context, url) {
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  return { page, errors };
}

export function screenshotPath(name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  return path.join(SHOTS, `${name}.png`);
}
