import { FeedSpec } from './feed-specs.util';

/**
 * The headers the feeds take, for a message: each feed with its columns, an alias beside its
 * column's name (`dayOfWeek or day`), so that the message names every header that is accepted.
 */
export function feedHeadersText(specs: ReadonlyArray<FeedSpec<unknown>>): string {
  return specs
    .map((spec) => {
      const columns = spec.columns.map((c) => [c.name, ...(c.aliases ?? [])].join(' or '));
      return `${spec.name.replace('_', ' ')} (${columns.join(', ')})`;
    })
    .join(', ');
}
