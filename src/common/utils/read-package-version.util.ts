import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The version in the nearest package.json above `dir` (the compiled code sits two folders down). */
export function readPackageVersion(dir: string): string {
  for (let at = dir; ; at = dirname(at)) {
    const path = join(at, 'package.json');
    if (existsSync(path)) return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
    if (dirname(at) === at) return 'unknown';
  }
}
