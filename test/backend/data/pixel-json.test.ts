import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fashionMnistDataDir } from '../../../src/backend/data/fashion-mnist.js';
import { parsePixelJson } from '../../../src/backend/data/pixel-json.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('parsePixelJson', () => {
  it('reads records back to back and skips empty ones', () => {
    const parsed = parsePixelJson(bytes('{"data":[[1,2,3],[],[255,0,17]]}\n'), 3, 'f.json');
    expect(Array.from(parsed.data)).toEqual([1, 2, 3, 255, 0, 17]);
    expect(parsed.count).toBe(2);
    expect(parsed.skippedEmpty).toBe(1);
  });

  it.each([
    ['{"data":[[1,2],[3,4,5]]}', /f\.json: record 0 has 2 values, expected 3 at byte 14/],
    ['{"data":[[1,256,3]]}', /f\.json: pixel value 256 above 255 at byte 12/],
    ['{"data":[[1,-2,3]]}', /f\.json: expected a pixel value at byte 12/],
    ['{"data":[[1,2,3] ]}', /f\.json: expected "," or "]" after a record at byte 16/],
    ['{"data":[[1,2,3]]}x', /f\.json: unexpected content after the data at byte 18/],
    ['{"data":[[1,2,3]]', /f\.json: expected "}" closing the file at byte 17/],
    ['{"pixels":[[1,2,3]]}', /f\.json: expected \{"data":\[, found/],
  ])('rejects %s', (text, message) => {
    expect(() => parsePixelJson(bytes(text), 3, 'f.json')).toThrow(message);
  });

  it('agrees with JSON.parse on a file of the fashion-mnist package', () => {
    const file = join(fashionMnistDataDir(), '5.json');
    const text = readFileSync(file);
    const records = (JSON.parse(text.toString('utf8')) as { data: number[][] }).data.filter((r) => r.length > 0);
    const parsed = parsePixelJson(text, 784, file);
    expect(parsed.count).toBe(records.length);
    const expected = Uint8Array.from(records.flat());
    expect(parsed.data.length).toBe(expected.length);
    expect(parsed.data.findIndex((v, i) => v !== expected[i])).toBe(-1);
  });
});
