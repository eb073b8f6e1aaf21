// Short names for the wasm's imports from its JS glue (the post-build hook).
//
// Why: wasm-bindgen names every import from the glue after its Rust
// binding plus a 16-hex-digit hash (`__wbg_addEventListener_847fd86b8c33ec43`),
// and each name is written twice, once in the wasm's import section and once
// as a key of the glue's import object. The hashes do not compress: on
// 2026-12-02 the 228 names cost about 7 KB of the 250 KB gzipped budget.
// Renaming them to `a`, `b`, … `aa`, … in both files changes nothing else:
// the wasm's code refers to imports by index, never by name.
//
// Only the import section is rewritten; every other byte of the wasm is
// copied as it was. Binary format: https://webassembly.github.io/spec/core/binary/

/** The module name wasm-bindgen gives the glue's imports (`--target web`). */
export const GLUE_MODULE = './web_bg.js';

const IMPORT_SECTION = 2;
const MAGIC = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

/** The n-th short name: a…z, A…Z, then two letters, and so on. */
export function shortName(n) {
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  let name = '';
  do {
    name += letters[n % letters.length];
    n = Math.floor(n / letters.length) - 1;
  } while (n >= 0);
  return name;
}

/**
 * Renames every import of GLUE_MODULE in `wasm` (a Uint8Array). Returns
 * { wasm, renames: [[old, new], …] } in import order. Throws on anything
 * that is not a well-formed wasm module.
 */
export function renameGlueImports(wasm) {
  const r = new Reader(wasm);
  for (const b of MAGIC) if (r.byte() !== b) throw new Error('not a wasm 1.0 module');
  const out = [wasm.subarray(0, MAGIC.length)];
  const renames = [];
  while (!r.done()) {
    const start = r.at;
    const id = r.byte();
    const size = r.u32();
    const end = r.at + size;
    if (end > wasm.length) throw new Error(`section ${id} runs past the end`);
    if (id !== IMPORT_SECTION) {
      out.push(wasm.subarray(start, end));
      r.at = end;
      continue;
    }
    const body = [];
    const count = r.u32();
    body.push(u32(count));
    for (let i = 0; i < count; i++) {
      const module = r.name();
      let field = r.name();
      const desc = r.importDesc();
      if (module === GLUE_MODULE) {
        const short = shortName(renames.length);
        renames.push([field, short]);
        field = short;
      }
      body.push(name(module), name(field), desc);
    }
    if (r.at !== end) throw new Error('the import section has bytes after its last import');
    const bytes = concat(body);
    out.push(Uint8Array.of(id), u32(bytes.length), bytes);
  }
  return { wasm: concat(out), renames };
}

/**
 * Applies `renames` to the glue's import object: each old name must occur
 * exactly once in `js`, as an object key (`name:`), or this throws, so a
 * wasm-bindgen that writes its glue differently fails the build instead of
 * shipping a page whose imports do not link.
 */
export function renameGlueKeys(js, renames) {
  for (const [old, short] of renames) {
    const uses = js.split(old).length - 1;
    const key = new RegExp(`(?<![\\w$])${old}:`);
    if (uses !== 1 || !key.test(js)) {
      throw new Error(`the glue names the import ${old} ${uses} times, not once as a key`);
    }
    js = js.replace(key, `${short}:`);
  }
  return js;
}

class Reader {
  constructor(bytes) {
    this.bytes = bytes;
    this.at = 0;
  }
  done() {
    return this.at >= this.bytes.length;
  }
  byte() {
    if (this.done()) throw new Error('the wasm ends in the middle of a section');
    return this.bytes[this.at++];
  }
  u32() {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = this.byte();
      value += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return value;
    }
    throw new Error('a LEB128 number longer than 5 bytes');
  }
  name() {
    const length = this.u32();
    const bytes = this.bytes.subarray(this.at, this.at + length);
    this.at += length;
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  }
  limits() {
    const flags = this.byte();
    this.u32();
    if (flags & 1) this.u32();
  }
  /** Skips one import's description and returns its bytes. */
  importDesc() {
    const start = this.at;
    const kind = this.byte();
    if (kind === 0) this.u32(); // function: type index
    else if (kind === 1) {
      this.byte(); // table: reference type, limits
      this.limits();
    } else if (kind === 2) this.limits(); // memory
    else if (kind === 3) {
      this.byte(); // global: value type, mutability
      this.byte();
    } else if (kind === 4) {
      this.byte(); // tag: attribute, type index
      this.u32();
    } else throw new Error(`unknown import kind ${kind}`);
    return this.bytes.subarray(start, this.at);
  }
}

function u32(n) {
  const out = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return Uint8Array.from(out);
}

function name(s) {
  const bytes = new TextEncoder().encode(s);
  return concat([u32(bytes.length), bytes]);
}

function concat(parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
