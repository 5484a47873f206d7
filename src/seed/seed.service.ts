import { Injectable, Logger } from '@nestjs/common';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImportSummaryDto } from '../ingestion/dto/import-summary.dto';
import { ImportRunsService } from '../ingestion/import-runs.service';
import { writeSyntheticFeeds, WrittenFeeds } from './feed-files.util';
import { resolveFeedOptions, SyntheticFeedOptions } from './synthetic-feed';

/** Generates synthetic feeds (see synthetic-feed/index.ts): to CSV files, or straight into the database. */
@Injectable()
export class SeedService {
  private readonly logger = new Logger(SeedService.name);

  constructor(private readonly runs: ImportRunsService) {}

  /** Writes the three CSV files into `dir`, streamed with backpressure. */
  async writeFiles(dir: string, options: Partial<SyntheticFeedOptions> = {}): Promise<WrittenFeeds> {
    const started = Date.now();
    const written = await writeSyntheticFeeds(dir, resolveFeedOptions(options));
    this.logger.log(`wrote ${written.stats.polls.rows} polls to ${dir} in ${Date.now() - started} ms`);
    return written;
  }

  /** Writes the files to a temporary folder, imports them with the normal import, and removes them. */
  async seedDatabase(options: Partial<SyntheticFeedOptions> = {}): Promise<ImportSummaryDto> {
    const dir = await mkdtemp(join(tmpdir(), 'store-monitor-seed-'));
    try {
      const { files } = await this.writeFiles(dir, options);
      const feeds = (['timezones', 'business_hours', 'polls'] as const).map((feed) => ({
        feed,
        path: files[feed],
        name: files[feed],
      }));
      return await (
        await this.runs.start('cli', feeds)
      ).done;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
