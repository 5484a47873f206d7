/**
 * Paths that need no API key: health checks, the API's documentation (Swagger UI and the OpenAPI
 * JSON), and the owner's page (`/` and its files under `/ui/`), which holds no data: it asks for
 * the key and sends it with each API call.
 */
export function isOpenPath(url: string): boolean {
  const path = url.split('?')[0];
  return (
    path === '/' ||
    path.startsWith('/ui/') ||
    path === '/health' ||
    path === '/health/live' ||
    path === '/docs' ||
    path.startsWith('/docs/') ||
    path === '/docs-json' ||
    path === '/docs-yaml'
  );
}
