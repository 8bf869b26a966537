// Static file server for the demo and the browser tests: serves the repository on 127.0.0.1 with
// COOP/COEP (cross-origin isolation, so onnxruntime-web may use threads), correct MIME types for
// .mjs/.wasm, and the demo's Content-Security-Policy. Node's http module is enough for this.
//   node scripts/serve.mjs [--port 8080]          (prints the URL)
//   import { startServer } from './serve.mjs'      (tests: await startServer({ port: 0 }))
//
// It serves only what a page needs: from the repository, the folders in SERVED (never .git,
// src/, node_modules/, ...); from any other root, everything in it. Dotfiles and dot-folders are
// never served (404), a malformed percent-encoding is a 400, never a crash.
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.onnx': 'application/octet-stream',
  '.pack': 'application/octet-stream',
};
// What the demo, the package, the test pages and the test voices need from the repository
// (build/asset-mirror: the self-hosted copy tests/browser/loading.browser.test.ts makes).
const SERVED = ['demo', 'dist', 'build/voices', 'build/asset-mirror', 'tests/browser/pages', 'bench'];
// Responses under these paths carry the demo's CSP (docs/security.md): the page, its service
// worker and the package, whose worker.js gets its policy from its own response.
const CSP_PATHS = ['/demo/', '/dist/'];

/**
 * The demo's policy. The one inline script (the import map) is allowed by its hash, computed from
 * demo/index.html as served, so an edit of the map cannot silently break the page.
 */
export function demoCsp(root = ROOT) {
  let hashes = [];
  try {
    const html = readFileSync(join(root, 'demo', 'index.html'), 'utf8');
    hashes = [...html.matchAll(/<script type="importmap">([\s\S]*?)<\/script>/g)].map(
      (m) => `'sha256-${createHash('sha256').update(m[1], 'utf8').digest('base64')}'`,
    );
  } catch {
    // No demo in this root: the policy then allows no inline script at all.
  }
  return [
    "default-src 'none'",
    `script-src 'self' 'wasm-unsafe-eval'${hashes.map((h) => ` ${h}`).join('')}`,
    "worker-src 'self'",
    "connect-src 'self' https:",
    "style-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** The file a URL path names, or an HTTP status saying why there is none. */
function resolvePath(pathname, root, served) {
  let path;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    return { status: 400 };
  }
  // Decoded segments: a "%2F" or "\" must not make a new segment, "." / ".." / dot-names are out.
  if (path.includes('\0') || path.includes('\\')) return { status: 400 };
  const segments = path.split('/').filter((s, i, all) => s !== '' || i === all.length - 1);
  if (segments.some((s) => s.startsWith('.'))) return { status: 404 };
  const relative = segments.join('/');
  if (served && !served.some((dir) => relative === dir || relative.startsWith(`${dir}/`))) return { status: 404 };
  const file = resolve(root, relative);
  if (file !== root && !file.startsWith(root + sep)) return { status: 404 };
  return { file, directory: path.endsWith('/') };
}

export function startServer({ port = 8080, root = ROOT, isolated = true, cors = false, validators = true } = {}) {
  root = resolve(root);
  const served = root === ROOT ? SERVED : null;
  const csp = demoCsp(root);
  const server = createServer((req, res) => {
    const fail = (status) => res.writeHead(status, { 'content-type': 'text/plain' }).end(`${status}`);
    if (req.method !== 'GET' && req.method !== 'HEAD') return fail(405);
    let url;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      return fail(400);
    }
    const found = resolvePath(url.pathname, root, served);
    if (!found.file) return fail(found.status);
    let file = found.file;
    if (found.directory) file = join(file, 'index.html');
    let stat;
    try {
      stat = statSync(file);
    } catch {
      return fail(404);
    }
    if (stat.isDirectory()) {
      res.writeHead(302, { location: `${url.pathname}/` }).end();
      return;
    }
    // no-cache + a validator, as a CDN serves a package: a returning visitor revalidates (304)
    // and keeps the cached body (without a validator every visit downloaded onnxruntime-web's
    // 13.6 MB wasm again). A versioned URL (`?v=`, as the package asks for onnxruntime-web's
    // files) is immutable instead: Chromium keeps the code it compiled for a wasm only while the
    // cached response is used without revalidation (README, "Serving the package").
    const immutable = validators && url.searchParams.has('v');
    const etag = `"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
    const headers = {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': stat.size,
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      ...(validators ? { etag, 'last-modified': stat.mtime.toUTCString() } : {}),
      'x-content-type-options': 'nosniff',
    };
    if (isolated) {
      headers['cross-origin-opener-policy'] = 'same-origin';
      headers['cross-origin-embedder-policy'] = 'require-corp';
      headers['cross-origin-resource-policy'] = cors ? 'cross-origin' : 'same-origin';
    }
    if (cors) headers['access-control-allow-origin'] = '*';
    if (CSP_PATHS.some((p) => url.pathname.startsWith(p))) headers['content-security-policy'] = csp;
    if (validators && req.headers['if-none-match'] === etag) {
      delete headers['content-length'];
      res.writeHead(304, headers).end();
      return;
    }
    res.writeHead(200, headers);
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
  return new Promise((resolvePromise) => {
    server.listen(port, '127.0.0.1', () => {
      const { port: actual } = server.address();
      resolvePromise({ server, url: `http://127.0.0.1:${actual}`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--port');
  const port = i > 0 ? Number(process.argv[i + 1]) : Number(process.env.PORT ?? 8080);
  const { url } = await startServer({ port });
  console.log(`avatar-voice demo: ${url}/demo/`);
}
