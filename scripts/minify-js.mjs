// Trunk post_build hook: minifies the wasm-bindgen JS glue in the staging
// directory with terser, and writes its new subresource-integrity hash into
// index.html. Release builds only (Trunk minifies only those, too).
//
// Why: Trunk's own minifier (minify-js) cannot parse wasm-bindgen's
// `export { initSync, __wbg_init as default }` and leaves the file as it is
// (minify-js issue #30), which costs ~1.5 KB gzipped of the download budget.
// terser keeps property names (the wasm imports are looked up by name) and
// only renames locals.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

if (process.env.TRUNK_PROFILE !== 'release') process.exit(0);
const stage = process.env.TRUNK_STAGING_DIR;
if (!stage) {
  console.error('minify-js: TRUNK_STAGING_DIR is not set (run by Trunk as a post_build hook)');
  process.exit(1);
}
const html = path.join(stage, 'index.html');
let page = fs.readFileSync(html, 'utf8');
for (const name of fs.readdirSync(stage).filter((f) => f.endsWith('.js'))) {
  const file = path.join(stage, name);
  const before = fs.readFileSync(file);
  const old = 'sha384-' + crypto.createHash('sha384').update(before).digest('base64');
  const r = spawnSync('terser', [file, '--module', '--compress', '--mangle', '-o', file], { stdio: 'inherit' });
  if (r.error || r.status !== 0) {
    console.error(`minify-js: terser failed on ${name} (${r.error?.message ?? `exit ${r.status}`}); is scripts/setup's terser on PATH?`);
    process.exit(1);
  }
  const after = fs.readFileSync(file);
  const hash = 'sha384-' + crypto.createHash('sha384').update(after).digest('base64');
  page = page.split(old).join(hash);
  console.error(`minify-js: ${name} ${before.length} -> ${after.length} bytes`);
}
fs.writeFileSync(html, page);
