import { Injectable, Module } from '@nestjs/common';
import { Command } from 'commander';
import { CommandFactory, InjectCommander } from 'nest-commander';
import { CliModule } from '../cli.module';
import { cliProgram } from './cli-program';

@Injectable()
class CommanderProbe {
  constructor(@InjectCommander() readonly commander: Command) {}
}

/** The help printed without Nest is the help nest-commander builds from the command classes. */
describe('cliProgram', () => {
  let nest: Command;
  let close: () => Promise<void>;

  beforeAll(async () => {
    // The CLI's database connects at its first query: building the commands connects nothing.
    @Module({ imports: [await CliModule.forAll()], providers: [CommanderProbe] })
    class ProbeModule {}
    const app = await CommandFactory.createWithoutRunning(ProbeModule, {
      logger: false,
      cliName: 'store-monitor',
      version: '9.9.9',
    });
    close = () => app.close();
    nest = app.get(CommanderProbe).commander.name('store-monitor');
  });
  afterAll(() => close());

  const fast = cliProgram('9.9.9').name('store-monitor');

  it('lists the same commands in the same order', () => {
    expect(fast.commands.map((c) => c.name())).toEqual(nest.commands.map((c) => c.name()));
    expect(fast.commands.map((c) => c.name())).toEqual(['migrate', 'import', 'store', 'status', 'events', 'report', 'seed']);
  });

  it('prints the same top-level help', () => {
    expect(fast.helpInformation()).toBe(nest.helpInformation());
  });

  it.each(['migrate', 'import', 'store', 'status', 'events', 'report', 'seed'])("prints the same help for '%s'", (name) => {
    const ours = fast.commands.find((c) => c.name() === name)!;
    const theirs = nest.commands.find((c) => c.name() === name)!;
    expect(ours.helpInformation()).toBe(theirs.helpInformation());
    expect(ours.helpInformation()).toContain(`Usage: store-monitor ${name}`);
  });

  it('has the version', () => {
    expect(fast.version()).toBe('9.9.9');
  });
});
