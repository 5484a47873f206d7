#!/usr/bin/env node
import type { CommanderError } from 'commander';
import { cliProgram } from './cli/cli-program';
import { commandToRun } from './cli/utils/command-to-run.util';
import { readPackageVersion } from './common/utils/read-package-version.util';

/** `--verbose` anywhere: a failure prints its stack too. */
const verbose = process.argv.includes('--verbose');
process.argv = process.argv.filter((arg) => arg !== '--verbose');
// Commander names the program after the script ("cli.js"): name it as users call it.
process.argv[1] = 'store-monitor';

/** One line on stderr for a user's error; the stack only with --verbose. */
function fail(error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`error: ${message}\n`);
  if (verbose && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  process.exit(1);
}

async function main() {
  const version = readPackageVersion(__dirname);
  const command = commandToRun(process.argv.slice(2));
  if (command === undefined) {
    // The help, the version or commander's error, without loading the application.
    await cliProgram(version).parseAsync(process.argv);
    return;
  }
  await import('reflect-metadata');
  await import('dotenv/config');
  const { StderrLogger } = await import('./cli/stderr-logger');
  (await import('./cli/skip-prompts')).skipPrompts();
  const { CommandFactory } = await import('nest-commander');
  // Settings first, so that a bad one is one line here (the modules validate it again when loaded).
  (await import('./config/env.validation')).validateEnv(process.env);
  const { CliModule } = await import('./cli.module');

  await CommandFactory.run(await CliModule.forCommand(command), {
    // Colours for a terminal only (Nest's default colours any stream), and never with NO_COLOR.
    logger: new StderrLogger('cli', {
      logLevels: ['error', 'warn'],
      colors: Boolean(process.stderr.isTTY) && !process.env.NO_COLOR,
    }),
    // A failure while the app is built (bad settings) is thrown to us, not printed with its stack.
    abortOnError: false,
    cliName: 'store-monitor',
    version,
    // Commander has already printed the help, the version or its own one-line error: exit with its code.
    errorHandler: (error: Error) => process.exit((error as CommanderError).exitCode ?? 1),
    serviceErrorHandler: fail,
  });
}

main().catch(fail);
