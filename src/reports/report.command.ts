import { writeFile } from 'node:fs/promises';
import { Command, CommandRunner, Option } from 'nest-commander';
import { parseAsOfUs } from '../common/utils/parse-as-of-us.util';
import { ReportRunnerService } from './report-runner.service';

interface ReportOptions {
  asOf?: string;
  out?: string;
}

@Command({ name: 'report', description: 'Build the report now; CSV to --out or stdout' })
export class ReportCommand extends CommandRunner {
  constructor(private readonly runner: ReportRunnerService) {
    super();
  }

  async run(_params: string[], options: ReportOptions): Promise<void> {
    const asOf = parseAsOfUs(options.asOf);
    const showProgress = process.stderr.isTTY;
    // In this thread: a command has nothing else to serve. One try, as every command's connection.
    const { csv, rowCount } = await this.runner.build(asOf, {
      inThread: true,
      once: true,
      onProgress: (p) => {
        if (showProgress) process.stderr.write(`\rreport: ${(p * 100).toFixed(0)}%`);
      },
    });
    if (showProgress) process.stderr.write('\n');
    if (options.out) {
      await writeFile(options.out, csv);
      process.stderr.write(`report: ${rowCount} stores written to ${options.out}\n`);
    } else {
      process.stdout.write(csv);
    }
  }

  @Option({ flags: '--as-of <instant>', description: "the report's now (ISO); default the latest poll" })
  parseAsOf(value: string) {
    return value;
  }

  @Option({ flags: '--out <file>', description: 'write the CSV here instead of stdout' })
  parseOut(value: string) {
    return value;
  }
}
