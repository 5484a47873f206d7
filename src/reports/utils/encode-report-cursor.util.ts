/** A position in the newest-first list of reports, as an opaque string for `cursor`. */
export function encodeCursor(position: { createdAtMs: number; id: string }): string {
  return Buffer.from(`${position.createdAtMs}.${position.id}`).toString('base64url');
}
