import { CLI_COMMANDS, CliCommandName } from '../cli-commands';

const HELP_OR_VERSION = new Set(['-h', '--help', '-V', '--version']);

/**
 * The command that needs the application to run, from the CLI's arguments; undefined when
 * commander alone answers: the help or the version, no command, an unknown command or option.
 */
export function commandToRun(args: readonly string[]): CliCommandName | undefined {
  const [first] = args;
  if (first === undefined || !Object.hasOwn(CLI_COMMANDS, first)) return undefined;
  if (args.some((arg) => HELP_OR_VERSION.has(arg))) return undefined;
  return first as CliCommandName;
}
