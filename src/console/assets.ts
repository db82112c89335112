// The console's scripts and styles, served from this process: ours from src/console/assets, htmx
// and Chart.js from node_modules. Nothing comes from a CDN. Files are read once and served with
// an ETag, cached for a day.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';

const require = createRequire(import.meta.url);
// chart.js exports no subpaths: its UMD build sits next to its main entry.
const beside = (pkg: string, name: string) => join(dirname(require.resolve(pkg)), name);
const own = (name: string) => new URL(`./assets/${name}`, import.meta.url);

const files: Record<string, { path: string | URL; type: string }> = {
  'console.css': { path: own('console.css'), type: 'text/css; charset=utf-8' },
  'console.js': { path: own('console.js'), type: 'text/javascript; charset=utf-8' },
  'htmx.min.js': { path: beside('htmx.org', 'htmx.min.js'), type: 'text/javascript; charset=utf-8' },
  'chart.umd.min.js': { path: beside('chart.js', 'chart.umd.min.js'), type: 'text/javascript; charset=utf-8' },
};

interface Loaded {
  body: Buffer;
  type: string;
  etag: string;
}

const cache = new Map<string, Loaded>();

function load(name: string): Loaded | null {
  const f = files[name];
  if (!f) return null;
  let l = cache.get(name);
  if (!l) {
    const body = readFileSync(f.path);
    l = { body, type: f.type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 20)}"` };
    cache.set(name, l);
  }
  return l;
}

export function registerAssets(app: FastifyInstance): void {
  app.get<{ Params: { name: string } }>('/assets/:name', { config: { public: true }, schema: { hide: true } }, async (req, reply) => {
    const f = load(req.params.name);
    if (!f) return reply.status(404).type('text/plain').send('not found');
    reply.header('cache-control', 'public, max-age=86400').header('etag', f.etag).header('x-content-type-options', 'nosniff');
    if (req.headers['if-none-match'] === f.etag) return reply.status(304).send();
    return reply.type(f.type).send(f.body);
  });
}
