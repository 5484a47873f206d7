import { spawnSync } from 'node:child_process';
import { detachedCopy } from './detached-copy.util';

describe('detachedCopy', () => {
  it.each([[''], ['a'], ['123456789012'], ['1234567890123'], ['0f2d8a1e-5b7c-4c3e-9a61-2b7f3d4c5e6f'], ['18446744073709551615']])(
    'gives %j back, equal',
    (s) => {
      expect(detachedCopy(s)).toBe(s);
    },
  );

  /**
   * Heap used after keeping one 36-character id cut from each of 2,000 texts of 26 KB (52 MB in all), as they
   * are (slices) or copied: measured in a child process, which can force a full collection.
   */
  function heapKeptMb(copy: boolean): number {
    const body = `
      const detachedCopy = ${detachedCopy.toString()};
      const text = Buffer.from('x'.repeat(36) + ',1678719600000000,active\\n'.repeat(1000), 'latin1');
      const ids = [];
      for (let c = 0; c < 2000; c++) {
        const chunk = text.toString('latin1');
        const id = chunk.slice(0, 36);
        ids.push(${copy} ? detachedCopy(id) : id);
      }
      global.gc();
      global.gc();
      process.stdout.write(String(process.memoryUsage().heapUsed / 2 ** 20 + ids.length * 0));
    `;
    const run = spawnSync(process.execPath, ['--expose-gc', '-e', body], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(run.stderr);
    return Number(run.stdout);
  }

  it('keeps none of the text an id was cut from (a slice keeps all of it)', () => {
    expect(heapKeptMb(false)).toBeGreaterThan(40);
    expect(heapKeptMb(true)).toBeLessThan(10);
  });
});
