import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPackageVersion } from './read-package-version.util';

describe('readPackageVersion', () => {
  const root = mkdtempSync(join(tmpdir(), 'sm-version-'));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'x', version: '1.2.3' }));
  mkdirSync(join(root, 'dist', 'src'), { recursive: true });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it.each([
    ['the folder of package.json', root],
    ['two folders down', join(root, 'dist', 'src')],
  ])('from %s → 1.2.3', (_name, dir) => {
    expect(readPackageVersion(dir)).toBe('1.2.3');
  });
});
