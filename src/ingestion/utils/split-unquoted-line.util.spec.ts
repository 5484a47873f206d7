import { parseString } from 'fast-csv';
import { splitUnquotedLine } from './split-unquoted-line.util';

/** fast-csv's reading of one line, with the import's options: what splitUnquotedLine must equal. */
const fastCsv = (line: string) =>
  new Promise<string[][]>((resolve, reject) => {
    const rows: string[][] = [];
    parseString(`${line}\n`, { headers: false, trim: true })
      .on('data', (r: string[]) => rows.push(r))
      .on('error', reject)
      .on('end', () => resolve(rows));
  });

describe('splitUnquotedLine', () => {
  it.each([
    [
      '4821665419609500683,active,2023-03-03 18:00:01.252551 UTC',
      ['4821665419609500683', 'active', '2023-03-03 18:00:01.252551 UTC'],
    ],
    [' a , b ,c ', ['a', 'b', 'c']],
    ['\uFEFFstore_id,status', ['store_id', 'status']],
    ['a,,b', ['a', '', 'b']],
    [',a', ['', 'a']],
    ['a,', ['a', '']],
    [',', ['', '']],
    [' , ', ['', '']],
    ['a,\tb\t,\u00a0c', ['a', 'b', 'c']],
    ['a b,c', ['a b', 'c']],
    ['', []],
    ['   ', []],
    ['\t\u00a0', []],
  ])('%j → %j, as fast-csv reads it', async (line, values) => {
    expect(splitUnquotedLine(line)).toEqual(values);
    expect(await fastCsv(line)).toEqual([values]);
  });
});
