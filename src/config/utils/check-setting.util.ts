/** How one setting's text is read and checked. */
export type SettingRule =
  | { kind: 'int'; min: number; max?: number }
  | { kind: 'positive' }
  | { kind: 'oneOf'; values: readonly string[] }
  | { kind: 'text'; match?: RegExp; message?: string };

/**
 * Reads one setting given as text (or as a number, by a caller that built the settings itself):
 * numbers parsed whole (`''` and `'3 s'` are not numbers), then checked against the rule.
 * Returns the value, or the reason it is refused, naming the setting.
 */
export function checkSetting(
  name: string,
  given: string | number,
  rule: SettingRule,
): { value: string | number } | { error: string } {
  if (rule.kind === 'text' || rule.kind === 'oneOf') {
    const text = String(given);
    if (rule.kind === 'oneOf') {
      return rule.values.includes(text) ? { value: text } : { error: `${name} must be one of ${rule.values.join(', ')}` };
    }
    return !rule.match || rule.match.test(text) ? { value: text } : { error: rule.message ?? `${name} is malformed` };
  }
  const n = typeof given === 'number' ? given : given.trim() === '' ? NaN : Number(given);
  if (rule.kind === 'positive') {
    return Number.isFinite(n) && n > 0 ? { value: n } : { error: `${name} must be a positive number` };
  }
  const inRange = Number.isInteger(n) && n >= rule.min && (rule.max === undefined || n <= rule.max);
  if (inRange) return { value: n };
  return {
    error: `${name} must be an integer ${rule.max === undefined ? `of at least ${rule.min}` : `from ${rule.min} to ${rule.max}`}`,
  };
}
