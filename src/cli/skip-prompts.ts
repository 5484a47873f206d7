import Module from 'node:module';
import { dirname } from 'node:path';

/**
 * nest-commander loads inquirer (the prompts of commands that ask questions) whenever it starts.
 * No command of ours asks anything, and inquirer with its dependencies is about an eighth of a
 * command's start: this registers an empty module as inquirer, already loaded, where
 * nest-commander's `require` finds it. Call before nest-commander is loaded.
 */
export function skipPrompts(): void {
  let path: string;
  try {
    path = require.resolve('inquirer', { paths: [dirname(require.resolve('nest-commander'))] });
  } catch {
    return; // not where nest-commander would find it: nothing to skip
  }
  const empty = new Module(path);
  empty.filename = path;
  empty.loaded = true;
  require.cache[path] = empty;
}
