import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCifar10 } from '../../../src/backend/data/cifar10.js';
import { DatasetError } from '../../../src/core/errors.js';

const RECORDS = 3;
const RECORD_BYTES = 3073;
const FILES = ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin', 'test_batch.bin'];

/** Record k: label k % 10; red, green and blue planes hold (k + 3p) % 256, (k + 5p) % 256, (k + 7p) % 256 at pixel p. */
function record(k: number): number[] {
  const planes = [3, 5, 7].flatMap((step) => Array.from({ length: 1024 }, (_, p) => (k + step * p) % 256));
  return [k % 10, ...planes];
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'nas-cifar-'));
  FILES.forEach((name, f) => {
    const bytes = Array.from({ length: RECORDS }, (_, r) => record(f * RECORDS + r)).flat();
    writeFileSync(join(dir, name), Uint8Array.from(bytes));
  });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('loadCifar10', () => {
  it('reads 5 training files and the test file in order, with their labels', async () => {
    const cifar = await loadCifar10({ dir, recordsPerFile: RECORDS });
    expect(cifar.train.count).toBe(15);
    expect(cifar.test.count).toBe(3);
    expect(cifar.train.shape).toEqual([32, 32, 3]);
    expect(Array.from(cifar.train.labels)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4]);
    expect(Array.from(cifar.test.labels)).toEqual([5, 6, 7]);
  });

  it('converts channel-major records to NHWC exactly', async () => {
    const cifar = await loadCifar10({ dir, recordsPerFile: RECORDS });
    const k = 4;
    const at = (y: number, x: number, c: number) => cifar.train.images[k * 3072 + (y * 32 + x) * 3 + c];
    expect([at(0, 0, 0), at(0, 0, 1), at(0, 0, 2)]).toEqual([4, 4, 4].map((b) => Math.fround(b / 255)));
    expect([at(0, 1, 0), at(0, 1, 1), at(0, 1, 2)]).toEqual([7, 9, 11].map((b) => Math.fround(b / 255)));
    expect([at(1, 0, 0), at(1, 0, 1), at(1, 0, 2)]).toEqual([100, 164, 228].map((b) => Math.fround(b / 255)));
    const bytes = record(k);
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 32; x++) {
        for (let c = 0; c < 3; c++) expect(at(y, x, c)).toBe(Math.fround((bytes[1 + c * 1024 + y * 32 + x] as number) / 255));
      }
    }
    expect(cifar.test.images[2 * 3072 + (31 * 32 + 31) * 3 + 2]).toBe(Math.fround(((17 + 7 * 1023) % 256) / 255));
  });

  it('names a missing file with its full path and the expected size', async () => {
    rmSync(join(dir, 'data_batch_3.bin'));
    const error = await loadCifar10({ dir, recordsPerFile: RECORDS }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetError);
    expect((error as Error).message).toContain(`${join(dir, 'data_batch_3.bin')}: missing; expected 3 records × 3,073 bytes = 9,219 bytes`);
    expect((error as DatasetError).hint).toMatch(/cifar-10-binary\.tar\.gz/);
  });

  it('names a truncated file with its size and the expected size, and lists every problem', async () => {
    truncateSync(join(dir, 'test_batch.bin'), 100);
    rmSync(join(dir, 'data_batch_1.bin'));
    const message = await loadCifar10({ dir, recordsPerFile: RECORDS }).catch((e: unknown) => (e as Error).message);
    expect(message).toContain('(2 problems)');
    expect(message).toContain(`${join(dir, 'test_batch.bin')}: truncated, 100 bytes; expected 3 records × 3,073 bytes = 9,219 bytes`);
    expect(message).toContain(`${join(dir, 'data_batch_1.bin')}: missing`);
  });

  it('expects 10,000 records per file by default', async () => {
    await expect(loadCifar10({ dir })).rejects.toThrow(`${join(dir, 'data_batch_1.bin')}: truncated, 9,219 bytes; expected 10,000 records × 3,073 bytes = 30,730,000 bytes`);
  });

  it('rejects a file with extra bytes', async () => {
    writeFileSync(join(dir, 'data_batch_2.bin'), new Uint8Array(RECORDS * RECORD_BYTES + 1));
    await expect(loadCifar10({ dir, recordsPerFile: RECORDS })).rejects.toThrow('data_batch_2.bin: too large, 9,220 bytes');
  });

  it('rejects a label outside 0..9, naming the file', async () => {
    const bad = Uint8Array.from(Array.from({ length: RECORDS }, (_, r) => record(r)).flat());
    bad[RECORD_BYTES] = 10;
    writeFileSync(join(dir, 'test_batch.bin'), bad);
    await expect(loadCifar10({ dir, recordsPerFile: RECORDS })).rejects.toThrow(/test_batch\.bin: label 10 at index 1/);
  });

  it('names a directory that does not exist', async () => {
    await expect(loadCifar10({ dir: join(dir, 'nope') })).rejects.toThrow(`CIFAR-10 directory ${join(dir, 'nope')} does not exist`);
  });
});
