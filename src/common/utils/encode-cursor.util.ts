/** A position in a newest-first list (reports, imports: created_at_ms, then id), as an opaque string for `cursor`. */
export function encodeCursor(position: { createdAtMs: number; id: string }): string {
  return Buffer.from(`${position.createdAtMs}.${position.id}`).toString('base64url');
}
