// Where the widget's own files are, relative to this module. The distributable build
// (scripts/dist.mjs) replaces this module: with the versioned names in dist/, and with the files
// themselves (CSS text, the wasm as base64, the worker's source) in the single-file build.

/** Inlined files (single-file build only): {css, wasmBase64, workerSource}. */
export const inline = null;

/** The engine's Web Worker (a module worker). */
export const workerUrl = new URL('./engine-worker.js', import.meta.url);

/** The compiled engine. */
export const wasmUrl = new URL('./pkg/ticket_kpis_bg.wasm', import.meta.url);

/** The widget's stylesheet, linked inside each widget's shadow root. */
export const cssUrl = new URL('./ticket-kpis.css', import.meta.url);
