import { Command, Option } from 'commander';
import type { CliCommand } from '../common/cli-command';
import { CLI_COMMANDS } from './cli-commands';

/**
 * The CLI's commands as commander programs, built the way nest-commander builds them from the
 * command classes (same names, arguments, descriptions, options), but without their actions:
 * enough to print the help and the version, or commander's error for an unknown command or
 * option, without starting Nest.
 */
export function cliProgram(version: string): Command {
  const program = new Command();
  for (const spec of Object.values(CLI_COMMANDS) as CliCommand[]) {
    const command = new Command(spec.command.name);
    if (spec.command.arguments) for (const arg of spec.command.arguments.split(' ')) command.argument(arg, '');
    command.description(spec.command.description);
    for (const option of Object.values(spec.options)) {
      command.addOption(new Option(option.flags, option.description).default(undefined).preset(undefined));
    }
    program.addCommand(command);
  }
  return program.version(version);
}
