// A tiny static file server for the built site, on 127.0.0.1 and a free port.
// Pretty URLs like a static host: `/x/` serves `/x/index.html`, `/x` (a
// folder) redirects to `/x/`, anything missing is `404.html` with status 404
// (`mn/404.html` for a path under `/mn/`, when a language's folder has one,
// as a host configured per language folder would).

import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.atom': 'application/atom+xml; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.webmanifest': 'application/manifest+json',
  '.pdf': 'application/pdf',
};

export function contentType(file) {
  const name = path.basename(file);
  if (name === 'atom.xml') return TYPES['.atom'];
  return TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

async function stat(file) {
  try {
    return await fs.stat(file);
  } catch {
    return null;
  }
}

/**
 * Serve `root` on 127.0.0.1. Resolves to `{ origin, close() }` once listening.
 * Every request is logged in `log` as `{ method, url, status }`.
 */
export async function serve(root, log = []) {
  const base = path.resolve(root);

  async function send(res, method, status, file) {
    const body = await fs.readFile(file);
    res.writeHead(status, {
      'Content-Type': contentType(file),
      'Content-Length': body.length,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    res.end(method === 'HEAD' ? undefined : body);
  }

  async function notFound(res, method, pathname = '/') {
    const folder = /^\/([^/]+)\//.exec(pathname)?.[1];
    for (const page of [folder && path.join(base, folder, '404.html'), path.join(base, '404.html')]) {
      if (page && page.startsWith(base + path.sep) && (await stat(page))?.isFile()) return send(res, method, 404, page);
    }
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(method === 'HEAD' ? undefined : 'not found\n');
  }

  async function handle(req, res) {
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' });
      res.end();
      return 405;
    }
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      res.writeHead(400);
      res.end();
      return 400;
    }
    // Refuse anything that could leave the output folder.
    if (pathname.includes('\0') || pathname.split('/').includes('..')) {
      await notFound(res, method);
      return 404;
    }
    let file = path.join(base, pathname);
    if (file !== base && !file.startsWith(base + path.sep)) {
      await notFound(res, method);
      return 404;
    }
    let info = await stat(file);
    if (info?.isDirectory()) {
      if (!pathname.endsWith('/')) {
        res.writeHead(301, { Location: pathname + '/' });
        res.end();
        return 301;
      }
      file = path.join(file, 'index.html');
      info = await stat(file);
    }
    if (!info?.isFile()) {
      await notFound(res, method, pathname);
      return 404;
    }
    await send(res, method, 200, file);
    return 200;
  }

  const server = http.createServer((req, res) => {
    handle(req, res).then(
      (status) => log.push({ method: req.method, url: req.url, status }),
      (err) => {
        log.push({ method: req.method, url: req.url, status: 500, error: String(err) });
        if (!res.headersSent) res.writeHead(500);
        res.end();
      },
    );
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
