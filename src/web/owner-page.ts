import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Where the page's files are under the service (index.html itself is served at `/`). */
export const OWNER_PAGE_ASSETS = '/ui/';

/**
 * The page loads nothing but its own files and asks nothing but this service: a stray request
 * elsewhere (a font, a CDN) is refused by the browser and shows as an error in its console.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The folder holding package.json above `dir` (the compiled code and the sources sit at different depths). */
function packageRoot(dir: string): string {
  for (let at = dir; ; at = dirname(at)) {
    if (existsSync(join(at, 'package.json'))) return at;
    if (dirname(at) === at) return dir;
  }
}

/**
 * Serves the owner's page, built into dist/web by `npm run build` (scripts/build-web.js): the
 * board, a store's week and the reports, over the public API. `/` and `/ui/*` need no API key
 * (isOpenPath); the page itself sends the key with every API call, and is told by its `<html
 * data-api-key>` whether one is needed, so that it asks before its first call instead of after a 401.
 * Without a build (dist/web missing) there is no page; the API is unaffected.
 */
export async function serveOwnerPage(app: NestFastifyApplication, options: { apiKeyRequired: boolean }): Promise<boolean> {
  const root = join(packageRoot(__dirname), 'dist', 'web');
  const indexPath = join(root, 'index.html');
  if (!existsSync(indexPath)) return false;
  const index = readFileSync(indexPath, 'utf8').replace(
    'data-api-key="optional"',
    `data-api-key="${options.apiKeyRequired ? 'required' : 'optional'}"`,
  );
  // wildcard: false declares one route per file found now, so no catch-all competes with the API's routes.
  await app.register(fastifyStatic, { root, prefix: OWNER_PAGE_ASSETS, wildcard: false, index: false });
  app
    .getHttpAdapter()
    .getInstance()
    .get('/', (_request, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-cache')
        .header('content-security-policy', CONTENT_SECURITY_POLICY)
        .header('referrer-policy', 'no-referrer')
        .send(index),
    );
  return true;
}
