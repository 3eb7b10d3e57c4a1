import type { Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DatasetError } from '../../core/errors.js';
import { checkLabels, createImageSet, type Dataset, type ImageSet } from './types.js';

const SIDE = 32;
const PLANE = SIDE * SIDE;
const RECORD_BYTES = 1 + 3 * PLANE;
const TRAIN_FILES = ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin'];
const TEST_FILES = ['test_batch.bin'];
const HINT =
  'download the binary version (cifar-10-binary.tar.gz) from https://www.cs.toronto.edu/~kriz/cifar.html, ' +
  'extract it, and set dir to its cifar-10-batches-bin directory';

/** Class names of CIFAR-10, by label. */
export const CIFAR10_CLASSES = [
  'airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck',
] as const;

/** Where to find CIFAR-10: a directory of the binary batches, and records per file (10,000 officially). */
export type Cifar10Options = { readonly dir: string; readonly recordsPerFile?: number };

/**
 * CIFAR-10 (Krizhevsky 2009), 32×32×3, from the binary release: `data_batch_1.bin` … `data_batch_5.bin`
 * and `test_batch.bin`, each record a label byte then 1,024 red, 1,024 green and 1,024 blue bytes.
 * Every file is checked before any is read; all problems are reported together.
 */
export async function loadCifar10(options: Cifar10Options): Promise<Dataset> {
  const dir = resolve(options.dir);
  if (!(await stat(dir).then((s) => s.isDirectory(), () => false))) {
    throw new DatasetError(`CIFAR-10 directory ${dir} does not exist or is not a directory`, HINT);
  }
  const records = options.recordsPerFile ?? 10_000;
  const expected = records * RECORD_BYTES;
  const trainFiles = TRAIN_FILES.map((name) => join(dir, name));
  const testFiles = TEST_FILES.map((name) => join(dir, name));
  const checks = await Promise.all([...trainFiles, ...testFiles].map((file) => checkSize(file, records, expected)));
  const problems = checks.filter((p) => p !== undefined);
  if (problems.length > 0) {
    const list = problems.map((p) => `\n  • ${p}`).join('');
    const count = `${problems.length} problem${problems.length === 1 ? '' : 's'}`;
    throw new DatasetError(`CIFAR-10 in ${dir} is incomplete (${count}):${list}`, HINT);
  }
  const [train, test] = await Promise.all([readRecords(trainFiles, records), readRecords(testFiles, records)]);
  return { name: 'cifar10', numClasses: CIFAR10_CLASSES.length, classNames: CIFAR10_CLASSES, train, test };
}

async function checkSize(file: string, records: number, expected: number): Promise<string | undefined> {
  const want = `expected ${fmt(records)} records × ${fmt(RECORD_BYTES)} bytes = ${fmt(expected)} bytes`;
  let info: Stats;
  try {
    info = await stat(file);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return `${file}: missing; ${want}`;
    throw cause;
  }
  if (!info.isFile()) return `${file}: not a file; ${want}`;
  if (info.size < expected) return `${file}: truncated, ${fmt(info.size)} bytes; ${want}`;
  if (info.size > expected) return `${file}: too large, ${fmt(info.size)} bytes; ${want}`;
  return undefined;
}

async function readRecords(files: readonly string[], recordsPerFile: number): Promise<ImageSet> {
  const set = createImageSet(files.length * recordsPerFile, [SIDE, SIDE, 3]);
  const contents = await Promise.all(files.map((file) => readFile(file)));
  contents.forEach((bytes, f) => {
    for (let r = 0; r < recordsPerFile; r++) {
      const index = f * recordsPerFile + r;
      set.labels[index] = recordToNhwc(bytes.subarray(r * RECORD_BYTES, (r + 1) * RECORD_BYTES), set.images, index * 3 * PLANE);
    }
  });
  files.forEach((file, f) => checkLabels(set.labels.subarray(f * recordsPerFile, (f + 1) * recordsPerFile), CIFAR10_CLASSES.length, file));
  return set;
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

/** Writes one 3,073-byte record (label, then channel-major pixels) as HWC floats at `offset`; returns its label. */
export function recordToNhwc(record: Uint8Array, out: Float32Array, offset: number): number {
  for (let p = 0; p < PLANE; p++) {
    for (let c = 0; c < 3; c++) out[offset + p * 3 + c] = (record[1 + c * PLANE + p] as number) / 255;
  }
  return record[0] as number;
}
