import { perStoreCsvChunks } from './per-store-csv-chunks.util';

/** The chunks of `count` stores that each have one row `i\n`. */
function chunksOf(count: number): string[] {
  const stores = Array.from({ length: count }, (_, index) => ({ index }));
  return [...perStoreCsvChunks('h\n', stores, (s) => `${s.index}\n`)];
}

describe('perStoreCsvChunks', () => {
  it.each<[number, number[]]>([
    // stores, then the number of rows in each chunk after the header
    [0, []],
    [1, [1]],
    [999, [999]],
    [1000, [1000]],
    [1001, [1000, 1]],
    [2500, [1000, 1000, 500]],
  ])('%i stores: the header, then chunks of %j rows', (count, rowsPerChunk) => {
    const [header, ...chunks] = chunksOf(count);
    expect(header).toBe('h\n');
    expect(chunks.map((c) => c.split('\n').length - 1)).toEqual(rowsPerChunk);
  });

  it.each<[string, (index: number) => string, string[]]>([
    ['stores without rows are left out', (i) => (i % 2 === 0 ? `${i}\n` : ''), ['h\n', '0\n2\n']],
    ['a store may have several rows', (i) => `${i},a\n${i},b\n`, ['h\n', '0,a\n0,b\n1,a\n1,b\n2,a\n2,b\n']],
    ['no rows at all: the header alone', () => '', ['h\n']],
  ])('%s', (_name, rowsOf, expected) => {
    const stores = [{ index: 0 }, { index: 1 }, { index: 2 }];
    expect([...perStoreCsvChunks('h\n', stores, (s) => rowsOf(s.index))]).toEqual(expected);
  });

  it('cuts chunks by store index, so a chunk of 1,000 stores without rows is yielded empty', () => {
    const stores = Array.from({ length: 1001 }, (_, index) => ({ index }));
    expect([...perStoreCsvChunks('h\n', stores, (s) => (s.index === 1000 ? 'last\n' : ''))]).toEqual(['h\n', '', 'last\n']);
  });
});
