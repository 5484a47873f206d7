/** The key a request presents: the `x-api-key` header, or `Authorization: Bearer <key>`. */
export function presentedApiKey(headers: Record<string, string | string[] | undefined>): string | undefined {
  const header = headers['x-api-key'];
  if (typeof header === 'string') return header;
  const authorization = headers['authorization'];
  if (typeof authorization !== 'string') return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  return m === null ? undefined : m[1];
}
