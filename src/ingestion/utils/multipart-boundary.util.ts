/** `boundary=` among the parameters, quoted or not (RFC 2046: 1 to 70 characters). */
const BOUNDARY = /;\s*boundary\s*=\s*(?:"([^"]{1,70})"|([^\s;",]{1,70}))\s*(?:;|$)/i;

/**
 * The boundary of a `multipart/form-data` content type, or null when it has none (or an empty,
 * over-long or unterminated one): without it the body cannot be split into its parts.
 */
export function multipartBoundary(contentType: string | undefined): string | null {
  const m = BOUNDARY.exec(contentType ?? '');
  return m === null ? null : (m[1] ?? m[2]);
}
