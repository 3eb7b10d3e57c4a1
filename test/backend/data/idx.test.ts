import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseIdx } from '../../../src/backend/data/idx.js';
import { DatasetError } from '../../../src/core/errors.js';

function idx(type: number, dims: number[], data: number[]): Uint8Array {
  const header = [0, 0, type, dims.length, ...dims.flatMap((d) => [(d >>> 24) & 255, (d >>> 16) & 255, (d >>> 8) & 255, d & 255])];
  return Uint8Array.from([...header, ...data]);
}

describe('parseIdx', () => {
  it('reads big-endian dimensions and the data after the header', () => {
    const parsed = parseIdx(idx(8, [2, 3], [1, 2, 3, 4, 5, 6]), 'a.idx');
    expect(parsed.dims).toEqual([2, 3]);
    expect(Array.from(parsed.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('reads dimensions above 255 (0x00000801 with 300 labels)', () => {
    const parsed = parseIdx(idx(8, [300], new Array<number>(300).fill(7)), 'labels');
    expect(parsed.dims).toEqual([300]);
    expect(parsed.data.length).toBe(300);
  });

  it('inflates a gzipped file', () => {
    const parsed = parseIdx(new Uint8Array(gzipSync(idx(8, [1, 2, 2], [9, 8, 7, 6]))), 'a.idx.gz');
    expect(parsed.dims).toEqual([1, 2, 2]);
    expect(Array.from(parsed.data)).toEqual([9, 8, 7, 6]);
  });

  it('rejects another element type, naming the file and the magic number', () => {
    expect(() => parseIdx(idx(0x0d, [1], [0, 0, 0, 0]), 'floats.idx')).toThrow(/floats\.idx.*0x00000d01/);
  });

  it('rejects a file whose size disagrees with its header, naming both sizes', () => {
    const call = () => parseIdx(idx(8, [2, 3], [1, 2, 3]), 'short.idx');
    expect(call).toThrow(DatasetError);
    expect(call).toThrow(/short\.idx: size 15 bytes .* 2×3: expected 18 bytes/);
  });

  it('rejects a truncated header', () => {
    expect(() => parseIdx(Uint8Array.from([0, 0, 8, 3, 0, 0]), 'h.idx')).toThrow(/h\.idx: truncated IDX header \(6 bytes, expected at least 16\)/);
  });
});
