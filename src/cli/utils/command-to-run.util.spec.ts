import { commandToRun } from './command-to-run.util';

describe('commandToRun', () => {
  it.each([
    ['a command', ['report', '--out', 'r.csv'], 'report'],
    ['a command with its argument', ['store', '42'], 'store'],
    ['a command without its required argument (the application says so)', ['store'], 'store'],
    ['a command with an unknown option (the application says so)', ['report', '--bogus'], 'report'],
    ['no arguments', [], undefined],
    ['--help', ['--help'], undefined],
    ['-h', ['-h'], undefined],
    ['--version', ['--version'], undefined],
    ['-V', ['-V'], undefined],
    ['the help command', ['help', 'report'], undefined],
    ["a command's help", ['report', '--help'], undefined],
    ["a command's help, short", ['seed', '--stores', '3', '-h'], undefined],
    ['an unknown command', ['bogus'], undefined],
    ['an option before any command', ['-x', 'report'], undefined],
    ['a name of Object.prototype', ['toString'], undefined],
  ])('%s', (_what, args, expected) => {
    expect(commandToRun(args)).toBe(expected);
  });
});
