/** The position of a cursor made by encodeCursor, or null for anything else. */
export function decodeCursor(cursor: string): { createdAtMs: number; id: string } | null {
  const m = /^(\d{1,16})\.([A-Za-z0-9_-]{22})$/.exec(Buffer.from(cursor, 'base64url').toString('latin1'));
  return m === null ? null : { createdAtMs: Number(m[1]), id: m[2] };
}
