import { FeedName } from '../../common/types/feed-rows.types';
import { FEED_SPECS, mapHeader } from './feed-specs.util';

/**
 * Which feed a file holds, from its header row: the one feed whose required columns are all
 * there (the three share only store_id). Null when none or several fit.
 */
export function recognizeFeed(header: readonly string[]): FeedName | null {
  const fits = (Object.keys(FEED_SPECS) as FeedName[]).filter((feed) => typeof mapHeader(FEED_SPECS[feed], header) !== 'string');
  return fits.length === 1 ? fits[0] : null;
}
