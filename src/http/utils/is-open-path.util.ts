/** Paths that need no API key: health checks, and the API's documentation (Swagger UI and the OpenAPI JSON). */
export function isOpenPath(url: string): boolean {
  const path = url.split('?')[0];
  return (
    path === '/health' ||
    path === '/health/live' ||
    path === '/docs' ||
    path.startsWith('/docs/') ||
    path === '/docs-json' ||
    path === '/docs-yaml'
  );
}
