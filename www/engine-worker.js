// The widget's Web Worker: one wasm engine and one loaded dataset per widget, off the main
// thread. The protocol is in engine-core.js; this file only wires it to the worker's messages.
import { createEngineHost } from './engine-core.js';

const handle = createEngineHost((message, transfer) => self.postMessage(message, transfer || []));
self.addEventListener('message', (e) => handle(e.data));
