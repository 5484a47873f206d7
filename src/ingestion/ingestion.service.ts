import { Injectable, Logger } from '@nestjs/common';
import { access, constants } from 'node:fs/promises';
import { FeedRefusedError } from '../common/errors/domain-errors';
import { FeedName, HoursRowInput, TimezoneRow } from '../common/types/feed-rows.types';
import { PollRepository } from '../repositories/poll/poll.repository';
import { StoresService } from '../stores/stores.service';
import { checkFeedHeader, readFeed } from './csv-feed.reader';
import { ImportSummaryDto } from './dto/import-summary.dto';
import { FeedSummary } from './feed-summary';
import { importPolls } from './import-polls';
import { FEED_SPECS as SPECS } from './utils/feed-specs.util';

/** The files of one import, by feed: paths on disk. */
export type FeedFiles = Partial<Record<FeedName, string>>;

/** Imports the three feeds from files on disk (the CLI's paths, or the API's spooled uploads). */
@Injectable()
export class IngestionService {
  private readonly logger = new Logger(IngestionService.name);

  constructor(
    private readonly polls: PollRepository,
    private readonly stores: StoresService,
  ) {}

  /**
   * Checks every file first (present, readable, header complete) so that a refused file writes
   * nothing of the request; then imports zones, hours and polls. Throws FeedRefusedError.
   */
  async importFiles(files: FeedFiles): Promise<ImportSummaryDto> {
    const feeds = (['timezones', 'business_hours', 'polls'] as const).filter((f) => files[f] !== undefined);
    for (const feed of feeds) {
      const path = files[feed]!;
      try {
        await access(path, constants.R_OK);
      } catch {
        throw new FeedRefusedError(`${feed} file ${path} is missing or unreadable`);
      }
      await checkFeedHeader(path, SPECS[feed]);
    }
    const summary: ImportSummaryDto = {};
    for (const feed of feeds) {
      const started = Date.now();
      summary[feed] = await this.importFeed(feed, files[feed]!);
      this.logger.log(`${feed}: ${JSON.stringify({ ...summary[feed], errors: undefined })} in ${Date.now() - started} ms`);
    }
    return summary;
  }

  private async importFeed(feed: FeedName, path: string): Promise<FeedSummary> {
    if (feed === 'polls') return this.importPolls(path);
    // Hours and zones are small feeds (one row per store and day at most): gathered, then
    // written in one transaction, because hours replace each store's whole schedule.
    let rows: unknown[] = [];
    const summary = await readFeed(path, SPECS[feed], Number.MAX_SAFE_INTEGER, async (batch) => {
      rows = rows.concat(batch); // (a spread push overflows the stack at ~10^5 rows)
    });
    const counts =
      feed === 'business_hours'
        ? await this.stores.replaceBusinessHours(rows as HoursRowInput[])
        : await this.stores.upsertTimezones(rows as TimezoneRow[]);
    return Object.assign(summary, counts);
  }

  private importPolls(path: string): Promise<FeedSummary> {
    return importPolls(this.polls, path);
  }
}
