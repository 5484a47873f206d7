/**
 * Whether a Content-Type is multipart/form-data, compared as Fastify picks a body parser (the
 * media type before any parameter, trimmed, in any case): such a body is @fastify/multipart's,
 * read by the route itself.
 */
export function isMultipartForm(contentType: string | undefined): boolean {
  return contentType !== undefined && contentType.split(';')[0].trim().toLowerCase() === 'multipart/form-data';
}
