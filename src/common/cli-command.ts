/** A CLI command as nest-commander's `@Command` takes it, and its options (as `@Option` takes them) by the name of their parser. */
export interface CliCommand {
  command: { name: string; description: string; arguments?: string };
  options: Record<string, { flags: string; description: string }>;
}
