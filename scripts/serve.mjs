#!/usr/bin/env node
// A tiny static file server for the widget's page (demo and browser tests).
//
//   import { startServer } from './scripts/serve.mjs';
//   const { url, close } = await startServer('www');      // port 0: a free port
//
//   node scripts/serve.mjs [root=www] [port=$PORT or 0]   // CLI: prints the URL
//
// Binds 127.0.0.1 only. Serves GET/HEAD of regular files under `root` with correct MIME types
// (application/wasm for streaming compilation); refuses anything that resolves outside `root`
// (.., encoded slashes, NUL, symlinks leading out). No directory listings.

import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.ndjson': 'application/x-ndjson; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.map': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
};

function send(res, status, text, extra = {}) {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...extra,
  });
  res.end(text);
}

/** Resolves the request path to a file inside `root`, or null when it must not be served. */
async function resolveFile(root, rawUrl) {
  let pathname;
  try {
    pathname = new URL(rawUrl, 'http://localhost').pathname;
  } catch {
    return null;
  }
  let decoded;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null; // malformed %-escapes
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  // Normalise as a POSIX path rooted at "/", so ".." cannot climb above the root.
  const rel = path.posix.normalize('/' + decoded).replace(/^\/+/, '');
  if (rel.split('/').some((seg) => seg === '..')) return null;
  let file = path.join(root, rel);
  let st;
  try {
    st = await stat(file);
    if (st.isDirectory()) {
      file = path.join(file, 'index.html');
      st = await stat(file);
    }
  } catch {
    return { missing: true };
  }
  if (!st.isFile()) return { missing: true };
  // Symlinks must not lead outside the root either.
  const real = await realpath(file);
  if (real !== root && !real.startsWith(root + path.sep)) return null;
  return { file: real, size: st.size, mtime: st.mtime };
}

/**
 * Serves `root` on 127.0.0.1:`port` (0 = any free port). `headers` are added to every file
 * served (the embedding tests send a Content-Security-Policy this way).
 * Resolves to { url, port, server, close() } once listening.
 */
export async function startServer(root, port = 0, { quiet = true, headers = {} } = {}) {
  const absRoot = await realpath(path.resolve(root));
  const server = createServer(async (req, res) => {
    const method = req.method || 'GET';
    if (method !== 'GET' && method !== 'HEAD') {
      return send(res, 405, 'method not allowed\n', { Allow: 'GET, HEAD' });
    }
    let found;
    try {
      found = await resolveFile(absRoot, req.url || '/');
    } catch {
      found = null;
    }
    if (!quiet) console.log(`${method} ${req.url} ${found?.file ? 200 : found ? 404 : 403}`);
    if (found === null) return send(res, 403, 'forbidden\n');
    if (found.missing) return send(res, 404, 'not found\n');
    const type = MIME[path.extname(found.file).toLowerCase()] || 'application/octet-stream';
    res.writeHead(200, {
      'Content-Type': type,
      'Content-Length': found.size,
      'Last-Modified': found.mtime.toUTCString(),
      'Cache-Control': 'no-cache',
      'X-Content-Type-Options': 'nosniff',
      ...headers,
    });
    if (method === 'HEAD') return res.end();
    const stream = createReadStream(found.file);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  });
  // Keep-alive sockets must not hold close() open.
  const sockets = new Set();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const actual = server.address().port;
  return {
    url: `http://127.0.0.1:${actual}/`,
    port: actual,
    server,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const root = process.argv[2] || 'www';
  const port = Number(process.argv[3] ?? process.env.PORT ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`serve.mjs: bad port ${process.argv[3] ?? process.env.PORT}`);
    process.exit(2);
  }
  const { url, close } = await startServer(root, port, { quiet: !process.env.VERBOSE });
  console.log(`serving ${path.resolve(root)} at ${url}  (Ctrl-C to stop)`);
  const stop = async () => {
    await close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
