import { PollRow } from '../../common/types/feed-rows.types';
import { parseTimestampUs } from '../../common/utils/parse-timestamp-us.util';
import { checkStoreId } from '../../common/utils/check-store-id.util';

/** The letters of `active` and `inactive`, lower case; `| 0x20` lower-cases an ASCII letter. */
const ACTIVE = [97, 99, 116, 105, 118, 101];
const INACTIVE = [105, 110, 97, 99, 116, 105, 118, 101];

function isWord(line: string, from: number, word: readonly number[]): boolean {
  for (let i = 0; i < word.length; i++) {
    const c = line.charCodeAt(from + i);
    // only letters may differ by case: `| 0x20` would also turn '@' into '`' and so on
    if (c !== word[i] && !(c >= 65 && c <= 90 && (c | 0x20) === word[i])) return false;
  }
  return true;
}

/**
 * The polls feed's usual line, `store_id,status,timestamp_utc` in that order with nothing to trim,
 * read in place: the row, or null for any other line. Null is no verdict: the caller splits the
 * line and validates it in full (POLLS_FEED.parse), which accepts it or says why not. A row is
 * returned only where POLLS_FEED.parse would accept the same row, so the fast path changes nothing.
 * `isKnown` names store ids of rows accepted before: theirs are not checked again.
 */
export function parsePollLine(line: string, isKnown: (storeId: string) => boolean = () => false): PollRow | null {
  const c1 = line.indexOf(',');
  if (c1 <= 0) return null;
  const c2 = line.indexOf(',', c1 + 1);
  if (c2 < 0 || line.indexOf(',', c2 + 1) >= 0) return null;
  const storeId = line.slice(0, c1);
  if (!isKnown(storeId) && checkStoreId(storeId) !== null) return null; // also refuses white space: nothing was trimmed
  const statusLength = c2 - c1 - 1;
  let active: boolean;
  if (statusLength === 6 && isWord(line, c1 + 1, ACTIVE)) active = true;
  else if (statusLength === 8 && isWord(line, c1 + 1, INACTIVE)) active = false;
  else return null;
  // parseTimestampUs accepts no white space at either end, so an untrimmed value comes back refused
  const timestampUs = parseTimestampUs(line, c2 + 1);
  if (typeof timestampUs === 'string') return null;
  return { storeId, timestampUs, active };
}
