#!/usr/bin/env node
// The distributable build of the <ticket-kpis> widget, from www/ (with www/pkg already built by
// scripts/build.sh) into dist/, every name carrying the version of Cargo.toml:
//
//   ticket-kpis-<v>.js          the element (ES module; imports nothing, finds its files beside it)
//   ticket-kpis-<v>.worker.js   the engine's Web Worker (ES module)
//   ticket-kpis-<v>_bg.wasm     the engine, size-optimised with binaryen's wasm-opt -Oz
//   ticket-kpis-<v>.css         the widget's stylesheet (linked inside its shadow root)
//   ticket-kpis-<v>.single.js   everything in one classic script: CSS, wasm (base64) and worker
//                               inlined, for wikis that cannot host a .wasm file and for pages
//                               opened from disk (file://)
//
// then prints the raw and gzipped size of each file. Bundled and minified with esbuild; wasm-opt
// is npm's `binaryen` package (both devDependencies, installed by scripts/setup.sh).
//
//   node scripts/dist.mjs [--out dist] [--no-wasm-opt]
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WWW = path.join(ROOT, 'www');
const args = process.argv.slice(2);
const OUT = path.resolve(ROOT, args.includes('--out') ? args[args.indexOf('--out') + 1] : 'dist');
const WASM_OPT = !args.includes('--no-wasm-opt');

const cargo = await readFile(path.join(ROOT, 'Cargo.toml'), 'utf8');
const VERSION = /^\[package\][^[]*?^version\s*=\s*"([^"]+)"/ms.exec(cargo)?.[1];
if (!VERSION) throw new Error('dist: no [package] version in Cargo.toml');
const BASE = `ticket-kpis-${VERSION}`;
const names = {
  js: `${BASE}.js`,
  worker: `${BASE}.worker.js`,
  wasm: `${BASE}_bg.wasm`,
  css: `${BASE}.css`,
  single: `${BASE}.single.js`,
};

const PKG_WASM = path.join(WWW, 'pkg', 'ticket_kpis_bg.wasm');
await stat(PKG_WASM).catch(() => {
  throw new Error('dist: www/pkg is not built; run scripts/build.sh first');
});

await rm(OUT, { recursive: true, force: true });
await mkdir(OUT, { recursive: true });

// ---- the wasm, size-optimised ----------------------------------------------------------------
const wasmOut = path.join(OUT, names.wasm);
if (WASM_OPT) {
  const wasmOpt = path.join(ROOT, 'node_modules', '.bin', 'wasm-opt');
  // The features rustc's wasm32 target emits by default (wasm-bindgen's externref table needs
  // reference types); nothing newer, so the output runs wherever the input did.
  // --low-memory-unused lets binaryen fold `ptr + constant` into load/store offsets (the two only
  // differ when the addition wraps around to the first KiB, which Rust code never addresses
  // that way): 10 KB raw, 5.7 KB gzipped. --strip-debug/--strip-producers drop the custom
  // sections (-Oz already drops the function names).
  execFileSync(
    wasmOpt,
    [
      '-Oz',
      '--low-memory-unused',
      '--strip-debug',
      '--strip-producers',
      '--enable-bulk-memory',
      '--enable-reference-types',
      '--enable-nontrapping-float-to-int',
      '--enable-sign-ext',
      '--enable-mutable-globals',
      '--enable-multivalue',
      PKG_WASM,
      '-o',
      wasmOut,
    ],
    { stdio: 'inherit' },
  );
} else {
  await writeFile(wasmOut, await readFile(PKG_WASM));
}
const wasmBytes = await readFile(wasmOut);

// ---- bundles ---------------------------------------------------------------------------------
const css = (
  await esbuild.build({
    entryPoints: [path.join(WWW, 'ticket-kpis.css')],
    bundle: true,
    minify: true,
    write: false,
    logLevel: 'warning',
  })
).outputFiles[0].text;
await writeFile(path.join(OUT, names.css), css);

/** esbuild plugin: www/assets.js replaced by `source`. */
const assetsAs = (source) => ({
  name: 'ticket-kpis-assets',
  setup(build) {
    build.onLoad({ filter: /[\\/]www[\\/]assets\.js$/ }, () => ({ contents: source, loader: 'js' }));
  },
});

const banner = `/* ticket-kpis ${VERSION} — help-desk KPI widget (MIT). Docs: docs/embedding.md */`;
const common = {
  bundle: true,
  minify: true,
  target: ['chrome109', 'firefox115', 'safari16.4'],
  legalComments: 'none',
  banner: { js: banner },
  logLevel: 'warning',
  // import.meta.url of the wasm-bindgen glue is only read when no module is passed in; the
  // widget always passes one.
  logOverride: { 'empty-import-meta': 'silent' },
};

// The multi-file build: the element finds its other files beside itself.
await esbuild.build({
  ...common,
  entryPoints: [path.join(WWW, 'ticket-kpis.js')],
  format: 'esm',
  outfile: path.join(OUT, names.js),
  plugins: [
    assetsAs(`
export const inline = null;
export const workerUrl = new URL(${JSON.stringify(`./${names.worker}`)}, import.meta.url);
export const wasmUrl = new URL(${JSON.stringify(`./${names.wasm}`)}, import.meta.url);
export const cssUrl = new URL(${JSON.stringify(`./${names.css}`)}, import.meta.url);
`),
  ],
});
await esbuild.build({
  ...common,
  entryPoints: [path.join(WWW, 'engine-worker.js')],
  format: 'esm',
  outfile: path.join(OUT, names.worker),
});

// The single file: a classic script (module scripts cannot load from file://), with the worker
// as a classic script in a string (started from a Blob URL) and the wasm as base64.
const workerSource = (
  await esbuild.build({
    ...common,
    banner: undefined,
    entryPoints: [path.join(WWW, 'engine-worker.js')],
    format: 'iife',
    write: false,
  })
).outputFiles[0].text;
await esbuild.build({
  ...common,
  entryPoints: [path.join(WWW, 'ticket-kpis.js')],
  format: 'iife',
  outfile: path.join(OUT, names.single),
  plugins: [
    assetsAs(`
export const inline = {
  css: ${JSON.stringify(css)},
  wasmBase64: ${JSON.stringify(wasmBytes.toString('base64'))},
  workerSource: ${JSON.stringify(workerSource)},
};
export const workerUrl = null;
export const wasmUrl = null;
export const cssUrl = null;
`),
  ],
});

// ---- sizes -----------------------------------------------------------------------------------
const rows = [];
for (const key of ['js', 'worker', 'wasm', 'css', 'single']) {
  const bytes = await readFile(path.join(OUT, names[key]));
  rows.push([names[key], bytes.length, gzipSync(bytes, { level: 9 }).length]);
}
const fmt = (n) => n.toLocaleString('en-US');
const width = Math.max(...rows.map((r) => r[0].length));
console.log(`dist (${path.relative(ROOT, OUT) || '.'}), version ${VERSION}:`);
console.log(`  ${'file'.padEnd(width)}  ${'raw bytes'.padStart(11)}  ${'gzip -9'.padStart(11)}`);
for (const [name, raw, gz] of rows) {
  console.log(`  ${name.padEnd(width)}  ${fmt(raw).padStart(11)}  ${fmt(gz).padStart(11)}`);
}
const multi = rows.filter((r) => r[0] !== names.single);
console.log(
  `  ${'multi-file total'.padEnd(width)}  ${fmt(multi.reduce((a, r) => a + r[1], 0)).padStart(11)}  ${fmt(
    multi.reduce((a, r) => a + r[2], 0),
  ).padStart(11)}`,
);
const pkgRaw = (await stat(PKG_WASM)).size;
console.log(`  (www/pkg wasm before wasm-opt: ${fmt(pkgRaw)} bytes)`);
