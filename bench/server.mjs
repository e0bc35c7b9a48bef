// The benchmark's static server: 127.0.0.1, a free port, cross-origin isolated (COOP/COEP, so
// performance.measureUserAgentSpecificMemory and SharedArrayBuffer are available), serving
//   /bench/…         this folder
//   /www/pkg/…       the widget's built package (by default www/pkg)
//   /www/…           the widget's element, worker and views (the `widget` contender)
//   /node_modules/…  the peers' npm files
//   /data/…          the generated exports (a temporary folder)
// and recording every file it sends, so the runner can sum what each contender loaded.
import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { MIME } from '../scripts/serve.mjs';

export async function startBenchServer({ root, dataDir, pkgDir = path.join(root, 'www', 'pkg') }) {
  const mounts = [
    ['/bench/', path.join(root, 'bench')],
    ['/www/pkg/', pkgDir],
    ['/www/', path.join(root, 'www')],
    ['/node_modules/', path.join(root, 'node_modules')],
    ['/data/', dataDir],
  ];
  const real = [];
  for (const [prefix, dir] of mounts) real.push([prefix, await realpath(dir)]);
  const served = [];

  async function resolve(url) {
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(url, 'http://localhost').pathname);
    } catch {
      return null;
    }
    if (pathname.includes('\0') || pathname.includes('\\')) return null;
    const norm = path.posix.normalize(pathname);
    for (const [prefix, dir] of real) {
      if (!norm.startsWith(prefix)) continue;
      const file = path.join(dir, norm.slice(prefix.length));
      try {
        const r = await realpath(file);
        if (!r.startsWith(dir + path.sep)) return null;
        const st = await stat(r);
        return st.isFile() ? { file: r, size: st.size, prefix } : null;
      } catch {
        return null;
      }
    }
    return null;
  }

  const server = createServer(async (req, res) => {
    const found = await resolve(req.url || '/');
    if (!found) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      return res.end('not found\n');
    }
    served.push({ url: req.url, file: found.file, size: found.size, prefix: found.prefix });
    res.writeHead(200, {
      'Content-Type': MIME[path.extname(found.file).toLowerCase()] || 'application/octet-stream',
      'Content-Length': found.size,
      'Cache-Control': 'no-store',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cross-Origin-Resource-Policy': 'same-origin',
    });
    if (req.method === 'HEAD') return res.end();
    const s = createReadStream(found.file);
    s.on('error', () => res.destroy());
    s.pipe(res);
  });
  const sockets = new Set();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', ok);
  });
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    served,
    close: () =>
      new Promise((ok) => {
        for (const s of sockets) s.destroy();
        server.close(() => ok());
      }),
  };
}
