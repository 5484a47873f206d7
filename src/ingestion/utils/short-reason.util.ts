/** The longest reason kept: a sentence quoting at most ~100 characters of the input. */
const MAX_REASON = 160;

/**
 * A rejected row's reason or a refusal's message, cut to MAX_REASON characters (with `…`): a
 * reason may quote a value, and a value can be 64 Ki characters long.
 */
export function shortReason(reason: string): string {
  return reason.length <= MAX_REASON ? reason : `${reason.slice(0, MAX_REASON - 1)}…`;
}
