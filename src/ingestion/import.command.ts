import { Command, CommandRunner, Option } from 'nest-commander';
import { IMPORT_COMMAND } from './import.command-meta';
import { DomainError } from '../common/errors/domain-errors';
import { FeedName } from '../common/types/feed-rows.types';
import { ImportRunsService, RunFile } from './import-runs.service';
import { formatImportProgress } from './utils/format-import-progress.util';

interface ImportOptions {
  polls?: string;
  businessHours?: string;
  timezones?: string;
}

@Command(IMPORT_COMMAND.command)
export class ImportCommand extends CommandRunner {
  constructor(private readonly runs: ImportRunsService) {
    super();
  }

  async run(_params: string[], options: ImportOptions): Promise<void> {
    const given: Array<[FeedName, string | undefined]> = [
      ['timezones', options.timezones],
      ['business_hours', options.businessHours],
      ['polls', options.polls],
    ];
    const files: RunFile[] = given
      .filter(([, path]) => path !== undefined)
      .map(([feed, path]) => ({ feed, path: path!, name: path! }));
    if (files.length === 0) throw new Error('give at least one of --polls, --business-hours, --timezones');
    const { id, progress, done } = await this.runs.start('cli', files);
    const started = Date.now();
    const total = (await this.runs.find(id)).bytesTotal;
    // Progress on a terminal only: a pipe or a log file gets the final line alone.
    const ticker = process.stderr.isTTY
      ? setInterval(() => process.stderr.write(`\r${formatImportProgress(progress, total, Date.now() - started)}   `), 500)
      : undefined;
    try {
      const summary = await done;
      if (ticker) process.stderr.write('\n');
      process.stderr.write(`import ${id}: done, ${formatImportProgress(progress, total, Date.now() - started)}\n`);
      process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    } catch (error) {
      // An import that stopped part-way: what it wrote, per feed, and where reading stopped, on
      // stdout as the summary would be; the one-line reason goes to stderr as for any failure.
      const details = (error as DomainError).details;
      if (details?.written) {
        process.stdout.write(`${JSON.stringify({ written: details.written, stopped_at: details.stopped_at }, null, 2)}\n`);
      }
      throw error;
    } finally {
      clearInterval(ticker);
    }
  }

  @Option(IMPORT_COMMAND.options.polls)
  parsePolls(value: string) {
    return value;
  }

  @Option(IMPORT_COMMAND.options.businessHours)
  parseBusinessHours(value: string) {
    return value;
  }

  @Option(IMPORT_COMMAND.options.timezones)
  parseTimezones(value: string) {
    return value;
  }
}
