import { writeFile } from 'node:fs/promises';
import { Command, CommandRunner, Option } from 'nest-commander';
import { REPORT_COMMAND } from './report.command-meta';
import { parseAsOfUs } from '../common/utils/parse-as-of-us.util';
import { ReportRunnerService } from './report-runner.service';

interface ReportOptions {
  asOf?: string;
  out?: string;
}

@Command(REPORT_COMMAND.command)
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

  @Option(REPORT_COMMAND.options.asOf)
  parseAsOf(value: string) {
    return value;
  }

  @Option(REPORT_COMMAND.options.out)
  parseOut(value: string) {
    return value;
  }
}
