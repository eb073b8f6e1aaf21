// Trunk post_build hook for release builds (Trunk.toml), on the staging
// directory: shortens the wasm's import names (scripts/wasm-imports.mjs),
// minifies the wasm-bindgen JS glue with terser, and writes both files' new
// subresource-integrity hashes into index.html. Both steps are for the
// download budget (250 KB gzipped; BENCHMARKS.md).
//
// Why terser: Trunk's own minifier (minify-js) cannot parse wasm-bindgen's
// `export { initSync, __wbg_init as default }` and leaves the file as it is
// (minify-js issue #30), which costs ~1.5 KB gzipped. terser keeps property
// names (the glue's import object is looked up by key) and renames locals.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { renameGlueImports, renameGlueKeys } from './wasm-imports.mjs';

if (process.env.TRUNK_PROFILE !== 'release') process.exit(0);
const stage = process.env.TRUNK_STAGING_DIR;
if (!stage) fail('TRUNK_STAGING_DIR is not set (run by Trunk as a post_build hook)');

const files = fs.readdirSync(stage);
const wasmNames = files.filter((f) => f.endsWith('_bg.wasm'));
const jsNames = files.filter((f) => f.endsWith('.js'));
if (wasmNames.length !== 1 || jsNames.length !== 1) {
  fail(`expected one wasm and one JS file in ${stage}, found ${[...wasmNames, ...jsNames].join(', ') || 'none'}`);
}
const html = path.join(stage, 'index.html');
let page = fs.readFileSync(html, 'utf8');

const wasmFile = path.join(stage, wasmNames[0]);
const jsFile = path.join(stage, jsNames[0]);
const wasmBefore = fs.readFileSync(wasmFile);
const jsBefore = fs.readFileSync(jsFile);

let renamed;
try {
  renamed = renameGlueImports(new Uint8Array(wasmBefore));
  fs.writeFileSync(jsFile, renameGlueKeys(jsBefore.toString('utf8'), renamed.renames));
} catch (e) {
  fail(`cannot shorten the wasm's import names: ${e.message}`);
}
fs.writeFileSync(wasmFile, renamed.wasm);

const r = spawnSync('terser', [jsFile, '--module', '--compress', '--mangle', '-o', jsFile], { stdio: 'inherit' });
if (r.error || r.status !== 0) {
  fail(`terser failed on ${jsNames[0]} (${r.error?.message ?? `exit ${r.status}`}); is scripts/setup's terser on PATH?`);
}

for (const [file, before] of [[wasmFile, wasmBefore], [jsFile, jsBefore]]) {
  const after = fs.readFileSync(file);
  const uses = page.split(integrity(before)).length - 1;
  if (uses !== 1) fail(`index.html names ${path.basename(file)}'s integrity hash ${uses} times, not once`);
  page = page.replace(integrity(before), integrity(after));
  console.error(`post-build: ${path.basename(file)} ${before.length} -> ${after.length} bytes`);
}
console.error(`post-build: ${renamed.renames.length} imports renamed`);
fs.writeFileSync(html, page);

function integrity(bytes) {
  return 'sha384-' + crypto.createHash('sha384').update(bytes).digest('base64');
}

function fail(why) {
  console.error(`post-build: ${why}`);
  process.exit(1);
}
