import { Command, CommandRunner, Option } from 'nest-commander';
import { IngestionService } from './ingestion.service';

interface ImportOptions {
  polls?: string;
  businessHours?: string;
  timezones?: string;
}

@Command({
  name: 'import',
  description: 'Import feed CSV files; prints a JSON summary per feed on stdout',
})
export class ImportCommand extends CommandRunner {
  constructor(private readonly ingestion: IngestionService) {
    super();
  }

  async run(_params: string[], options: ImportOptions): Promise<void> {
    if (!options.polls && !options.businessHours && !options.timezones) {
      throw new Error('give at least one of --polls, --business-hours, --timezones');
    }
    const summary = await this.ingestion.importFiles({
      polls: options.polls,
      business_hours: options.businessHours,
      timezones: options.timezones,
    });
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  }

  @Option({ flags: '--polls <file>', description: 'store status polls CSV' })
  parsePolls(value: string) {
    return value;
  }

  @Option({ flags: '--business-hours <file>', description: 'business hours CSV' })
  parseBusinessHours(value: string) {
    return value;
  }

  @Option({ flags: '--timezones <file>', description: 'store timezones CSV' })
  parseTimezones(value: string) {
    return value;
  }
}
