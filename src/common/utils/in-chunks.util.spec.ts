import { inChunks } from './in-chunks.util';

describe('inChunks', () => {
  it.each([
    [[], 3, []],
    [[1, 2], 3, [[1, 2]]],
    [[1, 2, 3], 3, [[1, 2, 3]]],
    [[1, 2, 3, 4, 5, 6, 7], 3, [[1, 2, 3], [4, 5, 6], [7]]],
    [[1, 2, 3], 1, [[1], [2], [3]]],
  ])('%j in slices of %i → %j, in order', async (items, size, expected) => {
    const seen: number[][] = [];
    await inChunks(items, size, async (chunk) => seen.push(chunk));
    expect(seen).toEqual(expected);
  });

  it('waits for each slice before the next', async () => {
    const order: string[] = [];
    await inChunks([1, 2], 1, async ([n]) => {
      order.push(`start ${n}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      order.push(`end ${n}`);
    });
    expect(order).toEqual(['start 1', 'end 1', 'start 2', 'end 2']);
  });
});
