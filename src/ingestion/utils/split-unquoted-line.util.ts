/**
 * The values of a CSV line that holds no quote and no carriage return, exactly as fast-csv reads
 * it with `trim: true`: its comma-separated parts, each trimmed, and no value at all for a line of
 * nothing but white space (fast-csv's empty record).
 */
export function splitUnquotedLine(line: string): string[] {
  const values = line.split(',');
  for (let i = 0; i < values.length; i++) values[i] = values[i].trim();
  return values.length === 1 && values[0] === '' ? [] : values;
}
