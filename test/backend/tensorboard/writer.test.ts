import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  EventFileError,
  EventFileWriter,
  writeTrialEvents,
  type HistogramRecord,
} from '../../../src/backend/tensorboard/index.js';
import { tempDir } from '../storage/temp.js';
import { readEventFile, readRecords, type Event } from './event-reader.js';

const root = tempDir('nas-tensorboard-');
let dirs = 0;
const freshDir = (): string => path.join(root, `run-${dirs++}`);

/** A clock that reads 1700000000.5, then one second later at each read. */
function ticking(): () => number {
  let t = 1_700_000_000.5;
  return () => t++;
}

const VERSION: Event = { wallTime: 1_700_000_000.5, step: 0, fileVersion: 'brain.Event:2', values: [], unknown: [] };

describe('the TensorBoard event writer', () => {
  it('names a new file as TensorBoard expects and starts it with the version record', () => {
    const dir = freshDir();
    const writer = EventFileWriter.open(dir, { now: ticking() });
    expect(path.dirname(writer.file)).toBe(dir);
    expect(path.basename(writer.file)).toBe(`events.out.tfevents.1700000000.${os.hostname()}.${process.pid}`);
    expect(readEventFile(writer.file)).toEqual({ events: [VERSION], tail: 0 });
    writer.close();
  });

  it('writes each scalar: tag, step, wall time, and the value rounded to float32 (non-finite ones as they are)', () => {
    const scalars = [
      { tag: 'loss/train', step: 0, value: 0.1 },
      { tag: 'accuracy/val', step: 1, value: 1 / 3 },
      { tag: 'lr', step: 127, value: 0.05 },
      { tag: 'grad_norm/max', step: 128, value: 3e38 },
      { tag: 'loss/val', step: 2 ** 40 + 3, value: Number.NaN },
      { tag: 'loss/train', step: 3, value: Infinity },
      { tag: 'loss/train', step: 4, value: -Infinity },
      { tag: 'ünïcode/τ', step: 5, value: -2.5 },
    ];
    const file = writeTrialEvents(freshDir(), { scalars }, { now: ticking() });
    const { events, tail } = readEventFile(file);
    expect(tail).toBe(0);
    expect(events).toEqual([
      VERSION,
      ...[
        0.10000000149011612,
        0.3333333432674408,
        0.05000000074505806,
        3.0000000054977558e38,
        Number.NaN,
        Infinity,
        -Infinity,
        -2.5,
      ].map((value, i) => ({
        wallTime: 1_700_000_001.5 + i,
        step: scalars[i]!.step,
        values: [{ tag: scalars[i]!.tag, simpleValue: value }],
        unknown: [],
      })),
    ]);
  });

  it('writes binned histograms with their bucket limits, count, and the sums given or taken at the bins’ centres', () => {
    const histograms: HistogramRecord[] = [
      { tag: 'weights/conv1', step: 1, min: -1, max: 1, counts: [1, 2, 3, 4] },
      {
        tag: 'gradients/conv1',
        step: 1,
        min: -1,
        max: 1,
        counts: Float32Array.from([1, 2, 3, 4]),
        sum: 0.3,
        sumSquares: 1.7,
      },
      { tag: 'weights/bias', step: 2, min: 0, max: 0, counts: [0, 5, 0] },
    ];
    const { events } = readEventFile(writeTrialEvents(freshDir(), { histograms }, { now: ticking() }));
    expect(events.slice(1).map((e) => [e.step, e.values, e.unknown])).toEqual([
      [
        1,
        [
          {
            tag: 'weights/conv1',
            histo: {
              min: -1,
              max: 1,
              num: 10,
              sum: 2.5,
              sumSquares: 3.125,
              bucketLimit: [-0.5, 0, 0.5, 1],
              bucket: [1, 2, 3, 4],
            },
          },
        ],
        [],
      ],
      [
        1,
        [
          {
            tag: 'gradients/conv1',
            histo: {
              min: -1,
              max: 1,
              num: 10,
              sum: 0.3,
              sumSquares: 1.7,
              bucketLimit: [-0.5, 0, 0.5, 1],
              bucket: [1, 2, 3, 4],
            },
          },
        ],
        [],
      ],
      [
        2,
        [
          {
            tag: 'weights/bias',
            histo: { min: 0, max: 0, num: 5, sum: 0, sumSquares: 0, bucketLimit: [0], bucket: [5] },
          },
        ],
        [],
      ],
    ]);
  });

  it('bins values into equal-width buckets (30 by default), with their exact min, max, count and sums', () => {
    const histograms: HistogramRecord[] = [
      { tag: 'activations/relu1', step: 3, values: [9, 0, 1, 2, 3, 4, 5, 6, 7, 8], buckets: 3 },
      { tag: 'activations/relu2', step: 3, values: Float32Array.from({ length: 30 }, (_, i) => i) },
      { tag: 'activations/constant', step: 3, values: [2.5, 2.5, 2.5] },
    ];
    const { events } = readEventFile(writeTrialEvents(freshDir(), { histograms }));
    expect(events.slice(1).map((e) => e.values[0]!.histo)).toEqual([
      // Width 3: [0, 3) holds 0, 1, 2; [3, 6) holds 3, 4, 5; [6, 9] holds 6, 7, 8, 9.
      { min: 0, max: 9, num: 10, sum: 45, sumSquares: 285, bucketLimit: [3, 6, 9], bucket: [3, 3, 4] },
      // Width 29/30: value i falls in bucket i.
      {
        min: 0,
        max: 29,
        num: 30,
        sum: 435,
        sumSquares: 8555,
        bucketLimit: Array.from({ length: 30 }, (_, i) => (i === 29 ? 29 : (i + 1) * (29 / 30))),
        bucket: new Array(30).fill(1),
      },
      { min: 2.5, max: 2.5, num: 3, sum: 7.5, sumSquares: 18.75, bucketLimit: [2.5], bucket: [3] },
    ]);
  });

  it('leaves records in memory until flush(): the file reads whole up to the last flush', () => {
    const writer = EventFileWriter.open(freshDir(), { now: ticking() });
    writer.addScalar({ tag: 'loss/train', step: 1, value: 0.5 });
    expect(readEventFile(writer.file).events).toHaveLength(1);
    writer.flush();
    writer.addHistogram({ tag: 'weights/dense', step: 1, values: [1, 2] });
    expect(readEventFile(writer.file).events.map((e) => e.values)).toEqual([
      [],
      [{ tag: 'loss/train', simpleValue: 0.5 }],
    ]);
    writer.close();
    expect(readEventFile(writer.file).events).toHaveLength(3);
    writer.close();
    expect(() => writer.addScalar({ tag: 'loss/train', step: 2, value: 1 })).toThrow(
      `${writer.file}: the event writer is closed`,
    );
  });

  it('never appends to an existing file: a second writer of the same second and process gets its own', () => {
    const dir = freshDir();
    const first = writeTrialEvents(
      dir,
      { scalars: [{ tag: 'loss/train', step: 1, value: 1 }] },
      { now: () => 1_700_000_000 },
    );
    const second = writeTrialEvents(
      dir,
      { scalars: [{ tag: 'loss/train', step: 1, value: 2 }] },
      { now: () => 1_700_000_000 },
    );
    expect(second).toBe(`${first}.1`);
    expect(readdirSync(dir).sort()).toEqual([path.basename(first), path.basename(second)]);
    expect(readEventFile(first).events[1]!.values).toEqual([{ tag: 'loss/train', simpleValue: 1 }]);
    expect(readEventFile(second).events[1]!.values).toEqual([{ tag: 'loss/train', simpleValue: 2 }]);
  });

  it.each<[string, (w: EventFileWriter) => void, string]>([
    [
      'an empty tag',
      (w) => w.addScalar({ tag: '', step: 1, value: 1 }),
      'scalar tag must be a non-empty string, got ""',
    ],
    [
      'a fractional step',
      (w) => w.addScalar({ tag: 'lr', step: 1.5, value: 1 }),
      "scalar 'lr': step must be an integer ≥ 0, got 1.5",
    ],
    [
      'a negative step',
      (w) => w.addHistogram({ tag: 'w', step: -1, values: [1] }),
      "histogram 'w': step must be an integer ≥ 0, got -1",
    ],
    [
      'a scalar that is not a number',
      (w) => w.addScalar({ tag: 'lr', step: 1, value: '0.1' as unknown as number }),
      'scalar \'lr\' at step 1: value must be a number, got "0.1"',
    ],
    [
      'max below min',
      (w) => w.addHistogram({ tag: 'w', step: 2, min: 1, max: 0, counts: [1] }),
      "histogram 'w' at step 2: max must be a finite number ≥ min (1), got 0",
    ],
    [
      'a NaN min',
      (w) => w.addHistogram({ tag: 'w', step: 2, min: Number.NaN, max: 0, counts: [1] }),
      "histogram 'w' at step 2: min must be a finite number, got NaN",
    ],
    [
      'no counts',
      (w) => w.addHistogram({ tag: 'w', step: 2, min: 0, max: 1, counts: [] }),
      "histogram 'w' at step 2: counts must be a non-empty array of counts, got []",
    ],
    [
      'a negative count',
      (w) => w.addHistogram({ tag: 'w', step: 2, min: 0, max: 1, counts: [3, -1] }),
      "histogram 'w' at step 2: counts[1] must be a finite number ≥ 0, got -1",
    ],
    [
      'a non-finite sum',
      (w) => w.addHistogram({ tag: 'w', step: 2, min: 0, max: 1, counts: [3], sum: Infinity }),
      "histogram 'w' at step 2: sum must be a finite number or absent, got Infinity",
    ],
    [
      'no values',
      (w) => w.addHistogram({ tag: 'g', step: 2, values: [] }),
      "histogram 'g' at step 2: values must not be empty",
    ],
    [
      'a NaN value',
      (w) => w.addHistogram({ tag: 'g', step: 2, values: [0, Number.NaN] }),
      "histogram 'g' at step 2: values[1] must be a finite number, got NaN",
    ],
    [
      'zero buckets',
      (w) => w.addHistogram({ tag: 'g', step: 2, values: [1], buckets: 0 }),
      "histogram 'g' at step 2: buckets must be an integer ≥ 1, got 0",
    ],
  ])('refuses %s, naming the file, the record and the field, and writes nothing of it', (_name, add, message) => {
    const writer = EventFileWriter.open(freshDir());
    expect(() => add(writer)).toThrow(`${writer.file}: ${message}`);
    writer.close();
    expect(readEventFile(writer.file).events).toHaveLength(1);
  });

  it('names the folder it cannot create, with node’s error code', () => {
    const blocker = path.join(root, 'a-file');
    writeFileSync(blocker, '');
    const dir = path.join(blocker, 'runs');
    let thrown: unknown;
    try {
      EventFileWriter.open(dir);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(EventFileError);
    expect(thrown).toMatchObject({ code: 'ENOTDIR', file: dir });
    expect((thrown as Error).message).toMatch(`cannot create the TensorBoard run folder ${dir}: ENOTDIR`);
  });
});

describe('the test reader (it must be able to fail)', () => {
  const file = writeTrialEvents(freshDir(), { scalars: [{ tag: 'loss/train', step: 1, value: 0.5 }] });
  const bytes = readFileSync(file);
  const versionLength = 12 + Number(bytes.readBigUInt64LE(0)) + 4;

  it('reads a whole file with no torn tail', () => {
    expect(readRecords(bytes)).toMatchObject({ tail: 0 });
    expect(readRecords(bytes).records).toHaveLength(2);
  });

  it('stops at a torn last record and says how many bytes it left', () => {
    const torn = bytes.subarray(0, bytes.length - 3);
    expect(readRecords(torn).records).toHaveLength(1);
    expect(readRecords(torn).tail).toBe(bytes.length - 3 - versionLength);
  });

  it.each([
    ['length', versionLength + 2, `length CRC mismatch at byte ${versionLength}`],
    ['data', versionLength + 14, `data CRC mismatch at byte ${versionLength}`],
    ['data CRC', bytes.length - 1, `data CRC mismatch at byte ${versionLength}`],
  ])('rejects a flipped bit in the %s', (_what, at, message) => {
    const damaged = Buffer.from(bytes);
    damaged[at] = (damaged[at] as number) ^ 0x10;
    expect(() => readRecords(damaged)).toThrow(message);
  });
});
